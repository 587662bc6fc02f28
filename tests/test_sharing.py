"""A page's description is its first finding (analysis.book.sharing); the built pages: test_book.py."""

import pytest
from docutils.core import publish_doctree

from analysis.book import sharing

KEY_RESULTS = """
Title
=====

The question.

.. admonition:: Key results

   - **Fleet.** The budget buys 629,000 accelerators
     (P10-P90 493,000-838,000).
   - **Power.** The fleet draws 700 MW.
"""


def test_first_finding_is_the_first_item_of_the_key_results_box_on_one_line():
    assert sharing.first_finding(publish_doctree(KEY_RESULTS)) == (
        "Fleet. The budget buys 629,000 accelerators (P10-P90 493,000-838,000).")


@pytest.mark.parametrize("text", ["Title\n=====\n\nNo box.\n",
                                  "Title\n=====\n\n.. admonition:: Notes\n\n   - **A.** Not a finding.\n"])
def test_a_page_without_key_results_has_no_finding(text):
    assert sharing.first_finding(publish_doctree(text)) is None


def test_shorten_cuts_at_a_word_and_marks_the_cut():
    assert sharing.shorten("short", 10) == "short"
    assert sharing.shorten("The fleet draws seven hundred megawatts", 20) == "The fleet draws…"
    assert len(sharing.shorten("word " * 100)) <= sharing.MAX_CHARS
