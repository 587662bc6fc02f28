"""The book on paper: every page of a built site printed to PDF by Debian's Chromium, and the book.

`print_site` serves the built HTML on loopback, opens each page of the table of contents in
Chromium (driven by Playwright, as the browser tests do), waits until its charts are drawn and
its equations typeset, and prints it to `pdf/<page>.pdf` inside the site, with a footer naming
the book, the commit and the scenario. The pages' PDFs are then joined, in the order of the
table of contents, into `pdf/book.pdf`, with an outline entry per page. Links to another page
of the book become links to that page's PDF (in a page's own PDF) or to its first sheet (in the
book's PDF); links elsewhere are kept as they are.

A page is printed again only when its HTML, the stylesheet or the footer changed (the keys are
kept in `pdf/keys.json`), so a rebuild that changes one chapter reprints that chapter only.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

from ..errors import BuildError

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; never a downloaded browser
# The network is closed: without these, Chromium keeps trying Google's hosts.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PDF_DIR = "pdf"  # in the built site
BOOK_PDF = "book.pdf"
KEYS = "keys.json"
CHECKSUM = re.compile(r"\?v=[0-9a-f]+\b")  # Sphinx's checksum in a static file's address
# Every chart drawn (or its failure shown).
CHARTS_DRAWN = """() => [...document.querySelectorAll('.book-chart-view')].every(
    v => /Chart failed to render/.test(v.textContent) || v.querySelector('svg .role-mark'))"""
EQUATIONS_TYPESET = "() => window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => true) : true"
SHEET = {"format": "A4", "margin": {"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}}
FOOTER = ('<div style="font-size:7pt; width:100%; padding:0 14mm; color:#444; display:flex; '
          'justify-content:space-between; font-family:sans-serif">'
          '<span>{text}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')

Report = Callable[[str], None]


def unavailable() -> str:
    """Why this machine cannot print the book ('' if it can)."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (Debian package chromium)"
    try:
        import playwright.sync_api  # noqa: F401
        import pypdf  # noqa: F401
    except ImportError as exc:
        return f"the {exc.name} package is missing (pip install -r requirements.txt)"
    return ""


def pdf_name(doc: str) -> str:
    """Where a page's PDF goes in the site: chapters/capex.ipynb -> pdf/chapters/capex.pdf."""
    return f"{PDF_DIR}/{Path(doc).with_suffix('.pdf').as_posix()}"


def footer_text(info: dict[str, str], title: str) -> str:
    """The line at the foot of every printed sheet: the book, the commit and the scenario."""
    return f"{title} · commit {info['commit']} · scenario: {info['scenario']}"


def print_site(site: Path, docs: list[str], footer: str, report: Report) -> list[str]:
    """Print every page of `docs` found in the built `site`, and the book; the pages printed.

    `footer` is the text of every sheet's footer. Raises BuildError if Chromium cannot print.
    """
    if why := unavailable():
        raise BuildError(f"cannot print the PDFs: {why}")
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from . import serve as serve_mod

    out = site / PDF_DIR
    keys_path = out / KEYS
    old_keys = json.loads(keys_path.read_text()) if keys_path.is_file() else {}
    style = hashlib.sha256(b"".join(p.read_bytes() for p in sorted((site / "_static").glob("book*.css"))))
    pages = [d for d in docs if (site / Path(d).with_suffix(".html")).is_file()]
    keys = {d: _key(site / Path(d).with_suffix(".html"), style.hexdigest(), footer) for d in pages}
    stale = [d for d in pages if old_keys.get(d) != keys[d] or not (site / pdf_name(d)).is_file()]
    if stale or not (out / BOOK_PDF).is_file() or old_keys.get(BOOK_PDF) != _book_key(keys):
        server = serve_mod.make_server(site, port=0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = serve_mod.url(server)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.emulate_media(media="print")
                    for doc in stale:
                        target = site / pdf_name(doc)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        page.goto(base + Path(doc).with_suffix(".html").as_posix(), wait_until="load")
                        page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
                        page.evaluate(EQUATIONS_TYPESET)
                        target.write_bytes(page.pdf(**SHEET, print_background=True, display_header_footer=True,
                                                    header_template="<span></span>", outline=True, tagged=True,
                                                    footer_template=FOOTER.format(text=html.escape(footer))))
                        report(f"{'printed':>9}  {pdf_name(doc)}")
                finally:
                    browser.close()
        except PlaywrightError as exc:
            raise BuildError(f"Chromium could not print the PDFs: {exc}") from exc
        finally:
            server.shutdown()
            server.server_close()
        for doc in stale:
            _relink_page(site / pdf_name(doc), base, doc, pages)
        _join(site, pages)
        report(f"{'printed':>9}  {PDF_DIR}/{BOOK_PDF} ({len(pages)} pages joined)")
    keys_path.write_text(json.dumps({**keys, BOOK_PDF: _book_key(keys)}, indent=1, sort_keys=True) + "\n")
    return stale


def _key(page: Path, style: str, footer: str) -> str:
    """What a page's PDF is printed from: its HTML without the checksums Sphinx puts in the
    addresses of static files. provenance.js changes with every build and shows nothing on paper,
    and an incremental build adds checksums a clean one leaves out; the book's own stylesheets
    count through `style`."""
    text = CHECKSUM.sub("", page.read_text(encoding="utf-8"))
    return hashlib.sha256((text + style + footer).encode()).hexdigest()


def _book_key(keys: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(keys, sort_keys=True).encode()).hexdigest()


def _target_doc(uri: str, base: str, pages: list[str]) -> str | None:
    """The book's page a printed link points to, if it points into the book."""
    if not uri.startswith(base):
        return None
    path = uri[len(base):].split("#")[0].split("?")[0]
    return next((d for d in pages if Path(d).with_suffix(".html").as_posix() == path), None)


def _links(sheets):
    """Every link annotation with a URI on `sheets`."""
    for sheet in sheets:
        for annotation in sheet.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if annotation.get("/Subtype") == "/Link" and action is not None and "/URI" in action:
                yield annotation


def _relink_page(path: Path, base: str, doc: str, pages: list[str]) -> None:
    """In a page's PDF: a link to another page of the book points to that page's PDF, beside it."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(path))
    here = Path(pdf_name(doc)).parent
    for annotation in _links(writer.pages):
        target = _target_doc(str(annotation["/A"]["/URI"]), base, pages)
        if target is not None:
            relative = os.path.relpath(pdf_name(target), here)
            annotation["/A"][NameObject("/URI")] = TextStringObject(Path(relative).as_posix())
    with open(path, "wb") as handle:
        writer.write(handle)


def _join(site: Path, pages: list[str]) -> None:
    """`pdf/book.pdf`: every page's PDF in toc order, one outline entry each, and the links between
    them (to each other's files, see `_relink_page`) pointing at each other's first sheet instead."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    sheets: dict[str, range] = {}
    for doc in pages:
        reader = PdfReader(site / pdf_name(doc))
        first = len(writer.pages)
        writer.append(reader, import_outline=False)
        sheets[doc] = range(first, len(writer.pages))
        title = str((reader.metadata or {}).get("/Title") or Path(doc).stem)
        writer.add_outline_item(title=title.split(" — ")[0], page_number=first)  # "Page — Book", as Sphinx titles it
    by_file = {pdf_name(d): d for d in pages}
    for doc, numbers in sheets.items():
        here = Path(pdf_name(doc)).parent
        for annotation in _links(writer.pages[i] for i in numbers):
            uri = str(annotation["/A"]["/URI"])
            target = by_file.get(os.path.normpath(here / uri)) if "://" not in uri else None
            if target is not None:
                sheet = writer.pages[sheets[target].start].indirect_reference
                annotation[NameObject("/A")] = DictionaryObject({
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): ArrayObject([sheet, NameObject("/XYZ"), NumberObject(0), NumberObject(0),
                                                   NumberObject(0)])})
    with open(site / PDF_DIR / BOOK_PDF, "wb") as handle:
        writer.write(handle)
