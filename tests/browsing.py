"""What the browser tests share: Debian's Chromium, how a reader's browser is set up, page names.

Used by test_browser.py (what a page load shows) and test_accessibility.py (axe-core, keyboard);
their fixtures (the served book, the browser) are in conftest.py.
"""

from __future__ import annotations

from pathlib import Path

from analysis.book import plan as plan_mod
from analysis.inputs import paths

ROOT = paths.REPO_ROOT
CHROMIUM = Path("/usr/bin/chromium")
# This machine's network is closed: without these, Chromium keeps trying Google's hosts.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NARROW = 390  # a phone's CSS width
DOCS = plan_mod.toc_files(ROOT)

# Every chart drawn (or its failure shown).
RENDERED = """() => [...document.querySelectorAll('.book-chart-view')].every(
    v => /Chart failed to render/.test(v.textContent) || v.querySelector('svg .role-mark'))"""


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
    import re

    r, g, b = (float(v) / 255 for v in re.findall(r"[\d.]+", css_color)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
