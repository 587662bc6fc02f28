"""The built book as a reader gets it: served on loopback, opened in a real browser.

The book is built once from a clean copy of its sources (conftest's `clean_build`, shared
with test_book.py and test_accessibility.py), served by `analysis.serve` on 127.0.0.1, and
every page in the table of contents is opened in Debian's Chromium driven by Playwright (one
browser for the whole module). Each page is loaded once; most tests below check what that load
saw. Others open it afresh: in a new browser (first load: console, missing files, the icon),
at phone width, in dark mode. Full-page screenshots go to the repository's `_build/screenshots/`
for a human to look at. Accessibility (axe-core, the keyboard) is in test_accessibility.py.

The page-weight and serve tests need no browser; the others skip, with the reason, when
/usr/bin/chromium or the playwright package is missing (`.ci/run` installs both).
"""

from __future__ import annotations

import csv
import io
import re
import threading
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from analysis.book import serve as serve_mod
from browsing import DOCS, NARROW, RENDERED, ROOT, html_name, luminance, open_page, reader_context

SCREENSHOTS = ROOT / "_build" / "screenshots"
SCREENSHOT_MS = 120_000  # a long page's full capture can take over 30 s (Playwright's default) on a busy machine
MAX_PAGE_BYTES = 1_500_000  # HTML plus the page's own images; shared _static/ files excluded
MAX_SHARED_BYTES = 5_000_000  # theme, vega, MathJax (1.6 MB, pages with equations only), search index, counted once (4.3 MB on 2026-12-01)

CHARTS = """() => [...document.querySelectorAll('.book-chart-view')].map(v => {
    const svg = v.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : null;
    return {id: v.id, failed: /Chart failed to render/.test(v.textContent),
            marks: svg ? [...svg.querySelectorAll('.role-mark path, .role-mark rect, .role-mark line, '
                                                  + '.role-mark text')].filter(m => {
                // Drawn: no NaN coordinates, and an extent (a bar of width 0 is not drawn).
                const b = m.getBBox();
                const thin = /mark-(line|rule|trail)/.test(m.closest('.role-mark').className.baseVal);
                return ![...m.attributes].some(a => /NaN/.test(a.value))
                    && (thin ? b.width + b.height > 0 : b.width > 0 && b.height > 0);
            }).length : 0,
            right: box ? box.right : null, width: box ? box.width : null,
            // Drawn wider than its column, a chart is shrunk to fit and its text with it.
            drawn: svg ? parseFloat(svg.getAttribute('width')) : null, column: v.clientWidth};
})"""
FACTS = """() => ({
    links: [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.href]),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    emptyGlue: [...document.querySelectorAll('span.pasted-text')].filter(s => !s.textContent.trim()).length,
    provenance: [...document.querySelectorAll('.book-provenance')].map(p => ({text: p.textContent,
        top: p.getBoundingClientRect().top, width: p.getBoundingClientRect().width,
        linksBottom: Math.max(0, ...[...document.querySelectorAll('.prev-next-area a')].map(
            a => a.getBoundingClientRect().bottom))})),
    text: document.body.innerText,
})"""


# --------------------------------------------------------------------------- fixtures


class Visit:
    """What one page load saw: status, console errors, requests, charts, links, text."""

    def __init__(self, page, doc: str, url: str):
        self.page, self.doc, self.url = page, doc, url
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.status = None
        self.charts: list[dict] = []
        self.facts: dict = {}


@pytest.fixture(scope="module")
def visits(browser, base_url, site):
    """Each toc page, loaded once on demand in one shared browser context; kept open."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  service_workers="block")
    outside: list[str] = []

    def only_loopback(route):
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    loaded: dict[str, Visit] = {}

    def visit(doc: str) -> Visit:
        if doc in loaded:
            return loaded[doc]
        page = context.new_page()
        v = Visit(page, doc, base_url + html_name(doc))
        page.on("console", lambda m: m.type == "error" and v.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda exc: v.errors.append(f"pageerror: {exc}"))
        page.on("request", lambda r: v.requests.append(r.url))
        page.on("requestfailed", lambda r: v.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and v.failed.append(f"{r.url} (HTTP {r.status})"))
        response = page.goto(v.url, wait_until="load")
        v.status = response.status if response else None
        try:
            page.wait_for_function(RENDERED, timeout=20_000)
        except PlaywrightTimeout:
            pass  # a chart that never draws is reported by test_every_chart_renders
        v.facts = page.evaluate(FACTS)
        page.screenshot(path=str(SCREENSHOTS / f"{Path(doc).stem}.png"), full_page=True, timeout=SCREENSHOT_MS)
        v.charts = page.evaluate(CHARTS)  # after the full-page capture, which resizes the window
        loaded[doc] = v
        return v

    visit.outside = outside
    yield visit
    context.close()


# --------------------------------------------------------------------------- in the browser


@pytest.mark.parametrize("doc", DOCS)
def test_page_loads_without_errors_or_outside_requests(visits, doc, base_url):
    v = visits(doc)
    assert v.status == 200, f"{v.url}: HTTP {v.status}"
    assert v.errors == [], f"{doc}: errors in the browser console:\n" + "\n".join(v.errors)
    assert v.failed == [], f"{doc}: requests that failed:\n" + "\n".join(v.failed)
    outside = [u for u in v.requests if not u.startswith((base_url, "data:", "blob:"))]
    assert outside == [], f"{doc}: requests beyond the loopback server:\n" + "\n".join(outside)
    assert visits.outside == [], "blocked requests beyond the loopback server:\n" + "\n".join(visits.outside)


@pytest.mark.parametrize("doc", DOCS)
def test_every_chart_renders(visits, doc, site):
    v = visits(doc)
    failed = [c["id"] for c in v.charts if c["failed"] or c["marks"] == 0]
    assert failed == [], f"{doc}: charts that failed or show no data marks (blank)"
    built = (site / html_name(doc)).read_text(encoding="utf-8")
    assert len(v.charts) == built.count('class="book-chart-view"')


@pytest.mark.parametrize("doc", DOCS)
def test_every_chart_is_drawn_at_its_columns_width(visits, doc):
    shrunk = [(c["id"], c["drawn"], c["column"]) for c in visits(doc).charts
              if c["drawn"] is not None and c["drawn"] > c["column"] + 1]
    assert shrunk == [], f"{doc}: charts drawn wider than their column, shrunk to fit (id, drawn, column)"


@pytest.mark.parametrize("doc", DOCS)
def test_code_fits_the_column_unwrapped(visits, doc):
    """At 1280 px every line of code, opened, fits its box without wrapping: the notebooks are
    formatted to the column's width (pyproject.toml, [tool.ruff]; test_book checks the formatting)."""
    cut = visits(doc).page.evaluate(CODE_CUT, True)
    assert cut == [], f"{doc}: code lines cut off at 1280 px (scroll/box width: longest line)"


_ids_cache: dict[Path, set[str]] = {}


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.ids.update(v for k, v in attrs.items() if v and (k == "id" or (k == "name" and tag == "a")))


def _ids(path: Path) -> set[str]:
    if path not in _ids_cache:
        parser = _Ids()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        _ids_cache[path] = parser.ids
    return _ids_cache[path]


@pytest.mark.parametrize("doc", DOCS)
def test_internal_links_and_anchors_resolve(visits, doc, site, base_url):
    v = visits(doc)
    broken = []
    for raw, resolved in v.facts["links"]:
        if not resolved.startswith(base_url):
            continue  # external sites, mailto:, blob: downloads, javascript:
        parts = urlsplit(resolved)
        rel = unquote(parts.path)[len(urlsplit(base_url).path):]
        target = site / rel
        if rel == "" or rel.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{raw!r}: no file {rel or '/'}")
            continue
        frag = unquote(parts.fragment)
        if frag:
            ids = set(v.facts["ids"]) if target == site / html_name(doc) else _ids(target)
            if frag not in ids:
                broken.append(f"{raw!r}: no element with id {frag!r} in {rel}")
    assert broken == [], f"{doc}: broken internal links:\n" + "\n".join(broken)


@pytest.mark.parametrize("doc", DOCS)
def test_glued_numbers_are_filled_in(visits, doc):
    v = visits(doc)
    assert v.facts["emptyGlue"] == 0, f"{doc}: {v.facts['emptyGlue']} empty glued values"
    raw = re.findall(r".{0,40}\{glue(?::\w+)?\}.{0,40}", v.facts["text"])
    assert raw == [], f"{doc}: glue roles left as text"


@pytest.mark.parametrize("doc", DOCS)
def test_footer_names_the_build_below_the_previous_and_next_links(visits, doc):
    [line] = visits(doc).facts["provenance"]
    assert line["text"].startswith("Built ") and "hash" in line["text"]
    assert line["top"] >= line["linksBottom"], f"{doc}: the build line sits beside the previous/next links"


@pytest.mark.parametrize("doc", DOCS)
def test_chart_data_downloads_as_csv_with_provenance(visits, doc, tmp_path):
    v = visits(doc)
    if not v.charts:
        pytest.skip(f"{doc} has no charts")
    link = v.page.locator("figure.book-chart a.csv").first
    with v.page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [ln for ln in lines if ln.startswith("#")]
    assert any(ln.startswith("# page: ") and html_name(doc) in ln for ln in comments), comments
    assert any(ln.startswith("# chart: ") and len(ln) > len("# chart: ") for ln in comments), comments
    assert any(ln.startswith("# source: ") for ln in comments), comments
    rows = list(csv.reader(io.StringIO("\n".join(ln for ln in lines if not ln.startswith("#")))))
    header = rows[0]
    assert header and all(name.strip() for name in header), f"{doc}: bad CSV header {header}"
    assert len(rows) > 1 and all(len(r) == len(header) for r in rows[1:]), f"{doc}: ragged CSV"


# At phone width, what makes the page scroll sideways: elements past the right edge (outside a box
# that scrolls on its own); and tables of up to five columns that do not fit the column (wider ones
# may scroll sideways in their own box).
OVERFLOW = """() => {
    const MAX_COLUMNS = 5;
    const inner = window.innerWidth;
    const scrolls = e => e.parentElement && e.parentElement.closest('.pst-scrollable-table-container, '
        + '.book-chart-view, pre, .highlight, .bd-sidebar-primary, .bd-sidebar-secondary');
    const wide = [...document.querySelectorAll('.bd-main *')].filter(e => e.getBoundingClientRect().right > inner + 1
        && e.getClientRects().length && !scrolls(e)).slice(0, 5).map(e => e.tagName + '.' + e.className);
    const tables = [...document.querySelectorAll('.pst-scrollable-table-container')]
        .filter(c => c.scrollWidth > c.clientWidth + 1 && c.querySelector('tr').cells.length <= MAX_COLUMNS)
        .map(c => c.scrollWidth + ' px: ' + c.querySelector('tr').textContent.replace(/\\s+/g, ' ').trim());
    return {scrollWidth: document.documentElement.scrollWidth, innerWidth: inner, wide, tables};
}"""
# Code blocks (cell inputs, folded or not, and text outputs) whose lines run past their box: measured
# with every fold open. `unwrapped`: as if lines never wrapped (the stylesheet wraps them on a screen
# narrower than the one the code is formatted for), so the formatting itself is measured.
CODE_CUT = """unwrapped => {
    const closed = [...document.querySelectorAll('details:not([open])')];
    closed.forEach(d => { d.open = true; });
    const cut = [...document.querySelectorAll('.bd-content div.cell pre')].filter(pre => {
        const before = pre.style.whiteSpace;
        if (unwrapped) pre.style.whiteSpace = 'pre';
        const over = pre.scrollWidth > pre.clientWidth + 1;
        pre.style.whiteSpace = before;
        return over;
    }).map(pre => pre.scrollWidth + '/' + pre.clientWidth + ' px: '
        + pre.textContent.split('\\n').reduce((a, b) => b.length > a.length ? b : a, ''));
    closed.forEach(d => { d.open = false; });
    return cut;
}"""
NARROW_SHOTS = {"capex", "parameters"}  # full-page phone screenshots of a chapter and the widest table


@pytest.mark.parametrize("doc", DOCS)
def test_narrow_screen_fits_charts_and_tables(browser, base_url, doc):
    """A 390 px wide phone: charts and tables fit the column, nothing widens the page."""
    context = reader_context(browser, base_url, width=NARROW)
    try:
        page = open_page(context, base_url, doc)
        if Path(doc).stem in NARROW_SHOTS:
            page.screenshot(path=str(SCREENSHOTS / f"{Path(doc).stem}-{NARROW}px.png"), full_page=True, timeout=SCREENSHOT_MS)
        too_wide = [(c["id"], round(c["right"]), c["drawn"]) for c in page.evaluate(CHARTS)
                    if c["right"] is not None and (c["right"] > NARROW or c["drawn"] > c["column"] + 1)]
        overflow = page.evaluate(OVERFLOW)
        code_cut = page.evaluate(CODE_CUT, False)
    finally:
        context.close()
    assert overflow["innerWidth"] == NARROW
    assert code_cut == [], f"{doc}: code cut off at {NARROW} px (scroll/box width: longest line)"
    assert too_wide == [], f"{doc}: charts wider than a {NARROW} px screen or shrunk to fit (id, right, drawn)"
    assert overflow["tables"] == [], f"{doc}: tables that scroll sideways at {NARROW} px"
    assert overflow["scrollWidth"] <= overflow["innerWidth"], (
        f"{doc}: the page scrolls sideways ({overflow['scrollWidth']} px); past the edge: {overflow['wide']}")


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


DARK = """() => ({
    theme: document.documentElement.dataset.theme,
    page: getComputedStyle(document.body).backgroundColor,
    charts: [...document.querySelectorAll('figure.book-chart')].map(f => ({
        background: getComputedStyle(f).backgroundColor,
        frame: getComputedStyle(f.parentElement).backgroundColor,
        caption: getComputedStyle(f.querySelector('figcaption')).color,
        links: [...f.querySelectorAll('figcaption a')].map(a => getComputedStyle(a).color),
        texts: [...f.querySelectorAll('svg text')].filter(t => t.textContent.trim())
            .map(t => getComputedStyle(t).fill),
    })),
})"""


def test_dark_mode_puts_charts_on_a_light_card(browser, base_url, visits):
    """In dark mode each chart, drawn for a light page, sits on a light card with readable text."""
    doc = next((d for d in DOCS if visits(d).charts), None)
    if doc is None:
        pytest.skip("no page has charts")
    context = reader_context(browser, base_url, mode="dark")
    try:
        page = open_page(context, base_url, doc)
        page.screenshot(path=str(SCREENSHOTS / f"{Path(doc).stem}-dark.png"), full_page=True, timeout=SCREENSHOT_MS)
        seen = page.evaluate(DARK)
    finally:
        context.close()
    assert seen["theme"] == "dark" and luminance(seen["page"]) < 0.05, f"{doc}: not in dark mode: {seen['page']}"
    assert seen["charts"], f"{doc}: no charts in dark mode"
    for chart in seen["charts"]:
        assert luminance(chart["background"]) > 0.9, f"{doc}: a chart's card is not light: {chart['background']}"
        assert chart["frame"] == "rgba(0, 0, 0, 0)", f"{doc}: the card sits in a {chart['frame']} frame"
        for colour in [chart["caption"], *chart["links"], *chart["texts"]]:
            assert _contrast(colour, chart["background"]) >= 4.5, (
                f"{doc}: text in {colour} on {chart['background']} is hard to read")


ICON = """() => (document.querySelector('link[rel~="icon"]') || {}).href || null"""


@pytest.mark.parametrize("doc", DOCS)
def test_first_load_in_a_new_browser_is_clean_icon_included(launch, answered, doc):
    """A new browser (empty profile) opens the page: no console error, no file missing, and the
    page's icon served (Chromium asks for it by itself; for /favicon.ico if the page names none).
    Nothing is routed here: with a routed context Chromium does not ask for the icon at all."""
    start = len(answered)
    errors, outside = [], []
    chromium = launch()
    try:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.on("request", lambda r: r.url.startswith((answered.url, "data:", "blob:")) or outside.append(r.url))
        page.goto(answered.url + html_name(doc), wait_until="load")
        page.wait_for_function(RENDERED, timeout=20_000)
        icon = page.evaluate(ICON)
        icon_path = urlsplit(icon).path if icon else "/favicon.ico"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and all(path != icon_path for path, _ in answered[start:]):
            page.wait_for_timeout(100)
        page.wait_for_timeout(300)  # the console reports a failed load a moment after the response
    finally:
        chromium.close()
    seen = answered[start:]
    assert icon, f"{doc}: the page names no icon (<link rel='icon'>)"
    assert (icon_path, 200) in seen, f"{doc}: its icon {icon_path} was not served; answered: {seen}"
    assert [(p, status) for p, status in seen if status >= 400] == [], f"{doc}: files missing on first load"
    assert errors == [], f"{doc}: errors in the console on first load:\n" + "\n".join(errors)
    assert outside == [], f"{doc}: requests beyond the loopback server:\n" + "\n".join(outside)


# --------------------------------------------------------------------------- without a browser


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("src", "poster", "data"):
            if attrs.get(key) and tag in ("img", "script", "source", "video", "audio", "embed", "object",
                                         "iframe", "input"):
                self.urls.add(attrs[key])
        for candidate in (attrs.get("srcset") or "").split(","):
            if candidate.strip():
                self.urls.add(candidate.split()[0])
        if tag == "link" and attrs.get("href") and set((attrs.get("rel") or "").split()) & {
                "stylesheet", "icon", "preload", "modulepreload"}:
            self.urls.add(attrs["href"])
        if tag == "image" and (attrs.get("href") or attrs.get("xlink:href")):
            self.urls.add(attrs.get("href") or attrs.get("xlink:href"))


def _local_files(page: Path, site: Path) -> set[Path]:
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    found = set()
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            continue  # data: URIs are inside the HTML already; outside URLs are test_book's business
        path = (page.parent / unquote(parts.path)).resolve()
        if path.is_file() and path.is_relative_to(site.resolve()):
            found.add(path)
    return found


def test_page_weight(site):
    """Each page with its own files (images...) stays under 1.5 MB; shared files count once.

    Shared: everything under _static/ (theme, vega) and whatever several pages load
    (searchindex.js); the browser caches those across pages.
    """
    refs = {doc: _local_files(site / html_name(doc), site) for doc in DOCS}
    users: dict[Path, int] = {}
    for files in refs.values():
        for f in files:
            users[f] = users.get(f, 0) + 1
    static = (site / "_static").resolve()
    shared = {f for f, n in users.items() if f.is_relative_to(static) or (n > 1 and len(DOCS) > 1)}
    heavy = []
    for doc in DOCS:
        page = site / html_name(doc)
        own = refs[doc] - shared
        weight = page.stat().st_size + sum(f.stat().st_size for f in own)
        if weight > MAX_PAGE_BYTES:
            heavy.append(f"{doc}: {weight / 1e6:.2f} MB (HTML {page.stat().st_size / 1e6:.2f} MB, "
                         f"{len(own)} files of its own)")
    assert heavy == [], f"pages over {MAX_PAGE_BYTES / 1e6} MB:\n" + "\n".join(heavy)
    shared_bytes = sum(f.stat().st_size for f in shared)
    assert shared_bytes <= MAX_SHARED_BYTES, f"shared files: {shared_bytes / 1e6:.2f} MB"


def test_serve_serves_the_built_book_on_loopback(site):
    server = serve_mod.make_server(site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert server.server_address[0] == "127.0.0.1"
        with urllib.request.urlopen(serve_mod.url(server) + "index.html", timeout=10) as response:
            assert response.status == 200
            assert html_name(DOCS[0]) in response.read().decode()
    finally:
        server.shutdown()
        server.server_close()


def test_serve_names_the_missing_build(tmp_path):
    from analysis.errors import BuildError, ParameterError

    with pytest.raises(BuildError, match="analysis build"):
        serve_mod.site_dir(root=tmp_path)
    with pytest.raises(BuildError, match="--scenario"):
        serve_mod.site_dir("bear", root=tmp_path)
    with pytest.raises(ParameterError, match="safe folder name"):
        serve_mod.site_dir("../x", root=tmp_path)
