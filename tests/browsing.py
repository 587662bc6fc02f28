"""What the browser tests share: Debian's Chromium, how a reader's browser is set up, page names.

Used by test_browser.py (what a page load shows) and test_accessibility.py (axe-core, keyboard);
their fixtures (the served book, the browser) are in conftest.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.book import plan as plan_mod
from analysis.book.pdf import CHARTS_DRAWN as RENDERED  # noqa: F401 - every chart drawn (or its failure shown)
from analysis.book.pdf import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - Debian's Chromium, as the build prints with
from analysis.inputs import paths

ROOT = paths.REPO_ROOT
NARROW = 390  # a phone's CSS width
DOCS = plan_mod.toc_files(ROOT)



def html_name(doc: str) -> str:
    return str(Path(doc).with_suffix(".html"))


def reader_context(browser, base_url: str, mode: str = "light", width: int = 1280):
    """A browser context as a reader has it: in `mode` (light or dark), at `width` CSS pixels (a
    phone's at NARROW), every request beyond the loopback server refused."""
    phone = width <= NARROW
    context = browser.new_context(viewport={"width": width, "height": 844 if phone else 900},
                                  device_scale_factor=2 if phone else 1, is_mobile=phone, has_touch=phone,
                                  color_scheme=mode, accept_downloads=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url)
                  else route.abort())
    # The theme keeps the reader's choice in localStorage (the book's default mode is light).
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    return context


def open_page(context, base_url: str, doc: str):
    """A new page of `context` showing `doc`, its charts drawn."""
    page = context.new_page()
    page.goto(base_url + html_name(doc), wait_until="load")
    page.wait_for_function(RENDERED, timeout=20_000)
    return page


def luminance(css_color: str) -> float:
    """Relative luminance (WCAG 2) of a computed CSS colour, `rgb(r, g, b)` or `rgba(...)`."""
    r, g, b = (float(v) / 255 for v in re.findall(r"[\d.]+", css_color)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


# --------------------------------------------------------------------------- axe-core

SERIOUS = ("serious", "critical")
CONTRAST = "color-contrast"
OPEN_TABLES = "() => document.querySelectorAll('details.book-chart-data').forEach(d => { d.open = true; })"
# The theme's own switch to dark mode (its button cycles light, dark, auto; this sets dark as a click does).
TO_DARK = """() => { document.documentElement.dataset.mode = 'dark'; document.documentElement.dataset.theme = 'dark';
    localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark'); }"""
ANIMATIONS_DONE = "() => document.getAnimations().every(a => a.playState !== 'running')"
# Starts axe-core (its script injected) and returns at once; window.bookAxe: the promise of its results.
AXE_START = """([context, rules]) => {
    window.bookAxe = axe.run(context || document, {resultTypes: ['violations'], rules}); }"""


def serious(results: dict) -> list[str]:
    """axe-core's serious and critical violations, each with up to five of its elements."""
    return [f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
        f"    {', '.join(map(str, n['target']))}: {n['html'][:160]}" for n in v["nodes"][:5])
        for v in results["violations"] if v["impact"] in SERIOUS]


def start_axe(page, axe, context: str | None = None, rules: dict | None = None) -> None:
    """Inject axe-core into the page and start it on `context` (default: the whole document)."""
    page.evaluate(axe.axe_script)
    page.evaluate(AXE_START, [context, rules or {}])


def axe_page(browser, base_url: str, axe, doc: str, width: int, tables: bool = False) -> dict[str, list[str]]:
    """The serious and critical violations axe-core finds on a page in each colour mode; with
    `tables`, only in the charts, data tables open. The page opens in light mode, then the reader's
    switch (the theme's button) turns it dark. Colour contrast is checked at desktop width only
    (test_accessibility.py says why)."""
    rules = {CONTRAST: {"enabled": width > NARROW}}
    context = reader_context(browser, base_url, "light", width)
    found = {}
    try:
        page = open_page(context, base_url, doc)
        if tables:
            page.evaluate(OPEN_TABLES)
        for mode in ("light", "dark"):
            if mode == "dark":
                page.evaluate(TO_DARK)
                # The theme's colours change with a transition: checked once it has run (a reader
                # who clicks sees the end of it).
                page.wait_for_function(ANIMATIONS_DONE, timeout=10_000)
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert (luminance(background) < 0.05) == (mode == "dark"), f"{doc}: not in {mode} mode"
            start_axe(page, axe, "figure.book-chart" if tables else None, rules)
            results = page.evaluate("() => window.bookAxe")
            assert results["testEngine"]["name"] == "axe-core"
            found[mode] = serious(results)
    finally:
        context.close()
    return found
