"""The book on paper: `python -m analysis pdf` (`build --pdf`) prints every page of the table of
contents and the whole book with Debian's Chromium (analysis.book.pdf).

The real book's PDFs are those of conftest's `clean_build` (built with `pdf=True`); the toy book
shows a scenario book's own PDFs, the reprinting of changed pages only, and a build without PDFs.
"""

from __future__ import annotations

import html
import re
import unicodedata

import pytest

from analysis.book import pdf as pdf_mod
from analysis.book import plan as plan_mod
from analysis.book.build import build
from analysis.book.provenance import provenance
from analysis.book.plan import Target
from browsing import ROOT

pytestmark = pytest.mark.skipif(bool(pdf_mod.unavailable()), reason=pdf_mod.unavailable() or "can print")
DOCS = plan_mod.toc_files(ROOT)


def _text(path) -> str:
    from pypdf import PdfReader

    # NFKC: the printed text's ligatures (the "fl" of "fleet" is one glyph) as plain letters
    text = " ".join((sheet.extract_text() or "") for sheet in PdfReader(path).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _meta(page_html: str, name: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', page_html)
    return html.unescape(match.group(1)) if match else ""


def test_every_page_is_printed_with_its_title_its_first_finding_and_the_footer(clean_build):
    """Each page's PDF holds its title, the numbers of its first finding (glued: the page's meta
    description, analysis.book.sharing) and, on every sheet, the commit and the scenario."""
    site = clean_build.published
    info = provenance(Target(root=clean_build.root, name="default", overrides={}, description=""))
    for doc in DOCS:
        page = (site / doc).with_suffix(".html").read_text(encoding="utf-8")
        text = _text(site / pdf_mod.pdf_name(doc))
        title = " ".join(unicodedata.normalize("NFKC", _meta(page, "og:title")).split())
        assert title and title in text, f"{doc}: its title {title!r} is not in its PDF"
        numbers = re.findall(r"\d[\d,.]*\d|\d", _meta(page, "og:description"))
        assert numbers == [] or any(n in text for n in numbers), f"{doc}: none of {numbers} in its PDF"
        assert f"commit {info['commit']}" in text and "scenario: baseline" in text, f"{doc}: footer"


def test_the_book_joins_every_page_with_an_outline_and_links_between_them(clean_build):
    from pypdf import PdfReader

    site = clean_build.published
    book = PdfReader(site / "pdf" / pdf_mod.BOOK_PDF)
    pages = {doc: PdfReader(site / pdf_mod.pdf_name(doc)) for doc in DOCS}
    assert len(book.pages) == sum(len(r.pages) for r in pages.values())
    assert [o.title for o in book.outline] == [str(r.metadata.title).split(" — ")[0] for r in pages.values()]
    actions = [a.get_object()["/A"] for sheet in book.pages for a in sheet.get("/Annots") or []
               if "/A" in a.get_object()]
    assert any(a["/S"] == "/GoTo" for a in actions), "no link from one page of the book to another"
    assert any(str(a.get("/URI", "")).startswith("https://") for a in actions), "links to sources lost"
    # In a page's own PDF, a link to another page of the book opens that page's PDF.
    intro = pages["chapters/intro.ipynb"]
    uris = {str(a.get_object()["/A"].get("/URI")) for sheet in intro.pages for a in sheet.get("/Annots") or []
            if "/A" in a.get_object()}
    assert "capex.pdf" in uris, sorted(uris)[:20]


def test_a_scenario_book_prints_its_own_pdfs_reprints_only_what_changed_and_a_plain_build_none(
        toy_book, two_params):
    lines: list[str] = []
    name, p = two_params[0]
    summary = build(toy_book, overrides={name: p.high}, pdf=True, report=lines.append)
    scenario_pdf = summary.published / pdf_mod.pdf_name("chapters/a.ipynb")
    assert summary.published.parent.name == "custom" and scenario_pdf.is_file()
    assert "scenario: custom" in _text(scenario_pdf)
    assert (summary.published / "pdf" / pdf_mod.BOOK_PDF).is_file()
    lines.clear()
    build(toy_book, overrides={name: p.high}, pdf=True, report=lines.append)
    assert not any("printed" in line for line in lines), lines  # nothing changed, nothing printed
    lines.clear()
    build(toy_book, overrides={name: p.low}, pdf=True, report=lines.append)
    printed = [line.split()[1] for line in lines if line.split()[:1] == ["printed"]]
    # only the page whose value changed, the comparison page that shows it, and the book
    assert printed == ["pdf/chapters/a.pdf", "pdf/chapters/scenario-comparison.pdf", "pdf/book.pdf"], lines
    # A build without --pdf leaves none behind: its pages no longer link them.
    assert not (build(toy_book, overrides={name: p.low}, report=lines.append).published / "pdf").exists()


def test_each_page_links_its_pdf_and_the_books(browser, base_url, clean_build):
    from browsing import open_page, reader_context

    context = reader_context(browser, base_url)
    try:
        for doc in ("chapters/intro.ipynb", "chapters/capex.ipynb", "chapters/cite.md"):
            page = open_page(context, base_url, doc)
            links = page.eval_on_selector_all(".book-pdf a", "links => links.map(a => a.href)")
            page.close()
            expected = [base_url + pdf_mod.pdf_name(doc), base_url + f"pdf/{pdf_mod.BOOK_PDF}"]
            assert links == expected, doc
            assert all((clean_build.published / link[len(base_url):]).is_file() for link in links)
    finally:
        context.close()
