"""Accessibility of the built book at phone width, and from the keyboard.

axe-core on every page in light and dark mode at 390 px, every rule but colour contrast (checked
at desktop width in test_accessibility.py, which says why); then every control of a page of each
kind reached with Tab, and a chart's data table, CSV and JSON links and the colour-mode switch worked
with Enter. Skips as test_accessibility.py does.
"""

from __future__ import annotations

import pytest

from browsing import DOCS, NARROW, axe_page, open_page, reader_context


@pytest.mark.parametrize("doc", DOCS)
def test_axe_finds_no_serious_or_critical_violation_at_phone_width(browser, base_url, axe, doc):
    assert axe_page(browser, base_url, axe, doc, NARROW) == {"light": [], "dark": []}


# Every element the keyboard can reach (shown: not in a closed <details> either; not disabled; tabindex not
# negative), numbered.
TABBABLE = """() => [...document.querySelectorAll('a[href], button, summary, input, select, textarea, [tabindex]')]
    .filter(e => e.tabIndex >= 0 && !e.disabled && e.checkVisibility({visibilityProperty: true}))
    .map((e, i) => { e.dataset.kb = i; return {i, what: e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 30),
                                              chart: e.matches('.book-chart a, .book-chart summary')}; })"""
RECORD_FOCUS = """() => { window.bookFocused = [];
    document.addEventListener('focusin', e => e.target.dataset.kb && window.bookFocused.push(+e.target.dataset.kb)); }"""


# One page of each kind: the front page, a theme chapter (charts, folded code, equations), the
# table-heavy parameter reference and a plain Markdown page. Every page is built from the same
# templates and chart helper, so their controls are of these kinds; pressing Tab through all of
# them on every page would take minutes.
KEYBOARD_PAGES = ["chapters/intro.ipynb", "chapters/capex.ipynb", "chapters/parameters.ipynb", "chapters/cite.md"]


@pytest.mark.parametrize("doc", KEYBOARD_PAGES)
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


def test_the_keyboard_pages_are_one_of_each_kind():
    assert set(KEYBOARD_PAGES) <= set(DOCS)
    assert any(d.endswith(".md") for d in KEYBOARD_PAGES) == any(d.endswith(".md") for d in DOCS)
