"""Accessibility of the built book: axe-core on every page, and every control from the keyboard.

The book is the one conftest's `clean_build` made, served on loopback and opened in Debian's
Chromium as in test_browser.py. axe-core comes with the axe-playwright-python package (its
script bundled: nothing is fetched). Each page is checked in light and in dark mode, at desktop
and at phone width, for serious and critical violations. axe's colour-contrast rule, most of
the time taken (5 to 15 s a page), runs at desktop width in both modes: the book's colours do
not depend on the window's width (no rule of _static/book.css sets a colour inside a media
query, which a test below checks), so at phone width every rule but that one runs.

They skip, with the reason, when /usr/bin/chromium, playwright or axe-playwright-python is
missing (`.ci/run` installs them).
"""

from __future__ import annotations

import re

import pytest

from browsing import DOCS, NARROW, ROOT, luminance, open_page, reader_context

SERIOUS = ("serious", "critical")
CONTRAST = "color-contrast"
OPEN_TABLES = "() => document.querySelectorAll('details.book-chart-data').forEach(d => { d.open = true; })"
# Starts axe-core (its script injected) and returns at once; window.bookAxe: the promise of its results.
AXE_START = """([context, rules]) => {
    window.bookAxe = axe.run(context || document, {resultTypes: ['violations'], rules}); }"""


@pytest.fixture(scope="module")
def axe():
    """axe-core, from the axe-playwright-python package (its script is bundled: nothing fetched)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.skip("the axe-playwright-python package is missing (pip install -r requirements.txt)")
    return Axe()


def _serious(results: dict) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
        f"    {', '.join(map(str, n['target']))}: {n['html'][:160]}" for n in v["nodes"][:5])
        for v in results["violations"] if v["impact"] in SERIOUS]


def _axe(page, axe, context: str | None = None, rules: dict | None = None) -> None:
    page.evaluate(axe.axe_script)
    page.evaluate(AXE_START, [context, rules or {}])


def test_axe_reports_serious_violations_where_there_are_some(browser, axe):
    """The checks below can fail: on a page with an image without text, an empty button and grey
    text on white, the same calls report all three."""
    page = browser.new_page()
    try:
        page.set_content("<html lang='en'><head><title>t</title></head><body><main><h1>t</h1>"
                         "<img src='data:,'><button></button><p style='color:#bbb'>faint</p></main></body></html>")
        _axe(page, axe)
        results = page.evaluate("() => window.bookAxe")
    finally:
        page.close()
    assert {v["id"] for v in results["violations"] if v["impact"] in SERIOUS} >= {"image-alt", "button-name", CONTRAST}


def _axe_page(browser, base_url: str, axe, doc: str, width: int, tables: bool = False) -> dict[str, list[str]]:
    """The serious and critical violations axe-core finds on a page in each colour mode; with
    `tables`, only in the charts, data tables open. The two modes are two browser contexts (the mode
    set before the page is drawn, as the theme does for a returning reader), checked at once."""
    rules = {CONTRAST: {"enabled": width > NARROW}}
    contexts = {mode: reader_context(browser, base_url, mode, width) for mode in ("light", "dark")}
    try:
        pages = {mode: open_page(context, base_url, doc) for mode, context in contexts.items()}
        for mode, page in pages.items():
            if tables:
                page.evaluate(OPEN_TABLES)
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert (luminance(background) < 0.05) == (mode == "dark"), f"{doc}: not in {mode} mode"
            _axe(page, axe, "figure.book-chart" if tables else None, rules)  # runs on while the next starts
        results = {mode: page.evaluate("() => window.bookAxe") for mode, page in pages.items()}
    finally:
        for context in contexts.values():
            context.close()
    assert all(r["testEngine"]["name"] == "axe-core" for r in results.values())
    return {mode: _serious(r) for mode, r in results.items()}


@pytest.mark.parametrize("width", [1280, NARROW])
@pytest.mark.parametrize("doc", DOCS)
def test_axe_finds_no_serious_or_critical_violation_in_light_or_dark_mode(browser, base_url, axe, doc, width):
    """axe-core on the page as a reader first sees it, charts drawn, in light and in dark mode."""
    assert _axe_page(browser, base_url, axe, doc, width) == {"light": [], "dark": []}


def test_axe_finds_no_serious_or_critical_violation_in_the_charts_data_tables(browser, base_url, axe):
    """The same, on every chart of a chapter with its data table open (the one part a click shows)."""
    assert _axe_page(browser, base_url, axe, "chapters/capex.ipynb", 1280, tables=True) == {"light": [], "dark": []}


def test_colours_do_not_depend_on_the_window_width():
    """Why colour contrast is checked at one width: no colour is set inside a media query of the
    book's stylesheet (the theme's own colours change with the mode only)."""
    css = (ROOT / "_static" / "book.css").read_text()
    queries = re.findall(r"@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)[^{}]*\}", css)
    assert not any(re.search(r"(^|[;{\s])(color|background(-color)?|fill)\s*:", q) for q in queries)


# Every element the keyboard can reach (shown: not in a closed <details> either; not disabled; tabindex not
# negative), numbered.
TABBABLE = """() => [...document.querySelectorAll('a[href], button, summary, input, select, textarea, [tabindex]')]
    .filter(e => e.tabIndex >= 0 && !e.disabled && e.checkVisibility({visibilityProperty: true}))
    .map((e, i) => { e.dataset.kb = i; return {i, what: e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 30),
                                              chart: e.matches('.book-chart a, .book-chart summary')}; })"""
RECORD_FOCUS = """() => { window.bookFocused = [];
    document.addEventListener('focusin', e => e.target.dataset.kb && window.bookFocused.push(+e.target.dataset.kb)); }"""


@pytest.mark.parametrize("doc", DOCS)
def test_keyboard_reaches_every_control(browser, base_url, doc):
    """Tab goes through every link, button and disclosure of the page, the charts' ones included."""
    context = reader_context(browser, base_url)
    try:
        page = open_page(context, base_url, doc)
        controls = page.evaluate(TABBABLE)
        figures = page.locator("figure.book-chart").count()
        page.evaluate(RECORD_FOCUS)
        for _ in range(len(controls) + 20):
            page.keyboard.press("Tab")
        reached = set(page.evaluate("() => window.bookFocused"))
    finally:
        context.close()
    # Each chart's "Data table", "Data (CSV)" and "Spec (JSON)": the links have their address.
    assert sum(c["chart"] for c in controls) == 3 * figures, f"{doc}: a chart control is not focusable"
    missed = [c["what"] for c in controls if c["i"] not in reached]
    assert missed == [], f"{doc}: controls Tab does not reach:\n" + "\n".join(missed)


def test_keyboard_opens_chart_data_downloads_and_switches_the_theme(browser, base_url, tmp_path):
    """Enter on a chart's "Data table" opens it, on its CSV and JSON links downloads the files, and
    on the colour-mode button changes the mode."""
    context = reader_context(browser, base_url)
    try:
        page = open_page(context, base_url, "chapters/capex.ipynb")
        figure = page.locator("figure.book-chart").first
        figure.locator("summary").focus()
        page.keyboard.press("Enter")
        assert figure.locator("details").evaluate("d => d.open"), "Enter did not open the data table"
        assert figure.locator("details table tbody tr").count() > 0
        for link, ending in ((".csv", ".csv"), (".json", ".vl.json")):
            figure.locator(f"a{link}").focus()
            with page.expect_download() as info:
                page.keyboard.press("Enter")
            assert info.value.suggested_filename.endswith(ending)
            info.value.save_as(tmp_path / info.value.suggested_filename)
            assert (tmp_path / info.value.suggested_filename).stat().st_size > 0
        before = page.evaluate("document.documentElement.dataset.mode")
        page.locator("button.theme-switch-button").first.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.documentElement.dataset.mode") != before
    finally:
        context.close()
