"""Accessibility of the built book at desktop width: axe-core on every page, light and dark.

The book is the one conftest's `clean_build` made, served on loopback and opened in Debian's
Chromium as in test_browser.py. axe-core comes with the axe-playwright-python package (its
script bundled: nothing is fetched). Each page is checked in light and in dark mode for serious
and critical violations, here at desktop width and in test_keyboard_and_phone.py at phone width
(the two files run on two test workers at once). axe's colour-contrast rule, most of the time
taken (5 to 15 s a page), runs at desktop width only: the book's colours do not depend on the
window's width (no rule of _static/book.css sets a colour inside a media query, which a test
below checks), so at phone width every rule but that one runs.

They skip, with the reason, when /usr/bin/chromium, playwright or axe-playwright-python is
missing (`.ci/run` installs them).
"""

from __future__ import annotations

import re

import pytest

from browsing import CONTRAST, DOCS, ROOT, SERIOUS, axe_page, start_axe


def test_axe_reports_serious_violations_where_there_are_some(browser, axe):
    """The checks can fail: on a page with an image without text, an empty button and grey text on
    white, the same calls report all three."""
    page = browser.new_page()
    try:
        page.set_content("<html lang='en'><head><title>t</title></head><body><main><h1>t</h1>"
                         "<img src='data:,'><button></button><p style='color:#bbb'>faint</p></main></body></html>")
        start_axe(page, axe)
        results = page.evaluate("() => window.bookAxe")
    finally:
        page.close()
    assert {v["id"] for v in results["violations"] if v["impact"] in SERIOUS} >= {"image-alt", "button-name", CONTRAST}


@pytest.mark.parametrize("doc", DOCS)
def test_axe_finds_no_serious_or_critical_violation_in_light_or_dark_mode(browser, base_url, axe, doc):
    """axe-core on the page as a reader first sees it at 1280 px, charts drawn, in both modes."""
    assert axe_page(browser, base_url, axe, doc, 1280) == {"light": [], "dark": []}


def test_axe_finds_no_serious_or_critical_violation_in_the_charts_data_tables(browser, base_url, axe):
    """The same, on every chart of a chapter with its data table open (the one part a click shows)."""
    assert axe_page(browser, base_url, axe, "chapters/capex.ipynb", 1280, tables=True) == {"light": [], "dark": []}


def test_colours_do_not_depend_on_the_window_width():
    """Why colour contrast is checked at one width: no colour is set inside a media query of the
    book's stylesheet (the theme's own colours change with the mode only)."""
    css = (ROOT / "_static" / "book.css").read_text()
    queries = re.findall(r"@media([^{]*)\{((?:[^{}]*\{[^{}]*\})*)[^{}]*\}", css)
    assert queries, "no media query found: the check below would prove nothing"
    coloured = [q for q, body in queries if "print" not in q
                and re.search(r"(^|[;{\s])(color|background(-color)?|fill)\s*:", body)]
    assert coloured == []
