"""Shared fixtures: a small book in a temporary folder, built by the real pipeline; the real book
built once from a clean copy of its sources, served on loopback, and Debian's Chromium."""

import fcntl
import functools
import json
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.book import build as build_mod
from analysis.book import pdf as pdf_mod
from analysis.book import serve as serve_mod
from analysis.book import staging
from analysis.inputs import data, registry as params, paths
from browsing import CHROMIUM, CHROMIUM_ARGS

BOOK_FILES = ("_config.yml", "_toc.yml", "_static")


def notebook(title: str, name: str, value, extra_cells=()) -> nbformat.NotebookNode:
    """A minimal chapter: a parameters cell declaring `name`, validation, one glued number."""
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                               "language": "python"}})
    cells = [
        new_code_cell(f"{name} = {value!r}", metadata={"tags": ["parameters"]}),
        new_code_cell("from analysis.inputs import registry as params\nfrom myst_nb import glue\nP = params.from_namespace(globals())"),
        new_markdown_cell(f"# {title}\n\nThe value is {{glue:text}}`value_{title}`."),
        new_code_cell(f"glue('value_{title}', P[{name!r}] * 2, display=False)\nprint(P[{name!r}])"),
        *extra_cells,
    ]
    for i, cell in enumerate(cells):
        cell["id"] = f"{title}-{i}"
    nb.cells = cells
    return nb


@pytest.fixture(scope="session")
def dataset():
    """data/, loaded and cross-checked (a broken file fails the tests that use it)."""
    return data.load()


@pytest.fixture(scope="session")
def registry(dataset):
    """Every parameter by name."""
    return dict(dataset.parameters)


@pytest.fixture(scope="session")
def defaults(registry):
    """Every parameter at its default, typed: the mapping the chapter models take."""
    return {name: p.value for name, p in registry.items()}


@pytest.fixture(scope="session")
def two_params():
    """Two uncertain float parameters of the real registry, for the toy chapters to declare."""
    reg = params.registry()
    names = [n for n, p in reg.items() if p.type == "float" and p.low < p.high][:2]
    return [(n, reg[n]) for n in names]


@pytest.fixture
def toy_book(tmp_path: Path, two_params) -> Path:
    """A two-chapter book (a.ipynb declares the first parameter, b.ipynb the second)."""
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    shutil.copy(paths.REPO_ROOT / "_config.yml", root / "_config.yml")
    shutil.copytree(paths.REPO_ROOT / "_static", root / "_static", ignore=shutil.ignore_patterns("vega"))
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/index\nchapters:\n  - file: chapters/a\n  - file: chapters/b\n")
    (root / "chapters" / "index.md").write_text("# Toy book\n\nTwo chapters.\n")
    for title, (name, p) in zip("ab", two_params):
        nbformat.write(notebook(title, name, p.value), root / "chapters" / f"{title}.ipynb")
    return root


def snapshot(folder: Path) -> dict:
    """Every file under a folder with its size and modification time."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_outputs(root: Path) -> list[dict]:
    """`snapshot` of what a build writes into a book (`_build`, without its `.cache`, and `chapters/`).

    The cache is left out: other tests running at the same time may fill it, and it holds
    nothing a reader sees.
    """
    return [{k: v for k, v in snapshot(folder).items() if not k.startswith(".cache")}
            for folder in (root / "_build", root / "chapters")]


def theme_chapters(root: Path = paths.REPO_ROOT) -> list[str]:
    """The chapters of the toc's "Chapters" part, by name (capex, ..., the cross-check chapter audit), in
    order: what a test of every chapter runs over, so a chapter added by `new-chapter` is held to it too."""
    toc = data.load_yaml(root / "_toc.yml")
    part = next(part for part in toc["parts"] if part["caption"] == "Chapters")
    return [Path(entry["file"]).stem for entry in part["chapters"]]


def read_json(path: Path) -> dict:
    return json.loads(path.read_text())


class RecordingDict(dict):
    """A dict that records which keys were read (to check a model reads only registry names)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


# --------------------------------------------------------------------------- the real book, built once


@dataclass(frozen=True)
class CleanBuild:
    root: Path  # the copy of the book's sources it was built in
    executed: list[str]  # the notebooks the build executed
    published: Path  # its _build/html
    pdf: bool  # printed to PDF too (build(pdf=True)): a rebuild of it must say the same to be a no-op


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory, worker_id) -> CleanBuild:
    """The book built from a clean copy of its sources (no cache: every notebook re-executed) and
    printed to PDF (`pdf=True`, when this machine can), once for the whole run: the first test worker to ask builds it, the others wait for it on a lock and
    read what it recorded (pytest-xdist's way of sharing a session fixture). Nothing may change it."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the run's folder, above each worker's own
    record = shared / "clean-build.json"
    with open(shared / "clean-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            root = staging.copy_sources(shared / "clean-build" / "book")
            pdf = not pdf_mod.unavailable()
            try:
                summary = build_mod.build(root, report=lambda line: None, pdf=pdf)
                record.write_text(json.dumps({"root": str(root), "executed": summary.executed,
                                              "published": str(summary.published), "pdf": pdf}))
            except Exception as exc:
                record.write_text(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        built = json.loads(record.read_text())
    if "error" in built:
        pytest.fail(f"the book did not build from a clean copy of its sources: {built['error']}")
    return CleanBuild(Path(built["root"]), built["executed"], Path(built["published"]), built["pdf"])


@pytest.fixture(scope="module")
def site(clean_build) -> Path:
    """`_build/html` of the book built from a clean copy of its sources."""
    return clean_build.published


class Answered(list):
    """(path, status) of every request the server answered, in order; `url`: the server's address."""
    url = ""


@pytest.fixture(scope="module")
def answered(site):
    """`analysis.serve`'s server for the site, and every (path, status) it answered, in order.

    Kept by the server, so requests the browser makes on its own (a page's icon) count too.
    """
    server = serve_mod.make_server(site, port=0)
    log = Answered()
    handler = server.RequestHandlerClass  # functools.partial(handler class, directory=site)

    class Recording(handler.func):
        def log_request(self, code="-", size="-"):
            log.append((self.path, int(code)))

    server.RequestHandlerClass = functools.partial(Recording, *handler.args, **handler.keywords)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    log.url = serve_mod.url(server)
    yield log
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def base_url(answered) -> str:
    return answered.url


@pytest.fixture(scope="module")
def launch():
    """Starts Debian's Chromium: each call a new browser, with a new empty profile."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing (Debian package chromium; .ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is missing (pip install -r requirements.txt)")
    with sync_playwright() as pw:
        # Playwright adds --headless and a new empty --user-data-dir itself.
        yield lambda: pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def browser(launch):
    chromium = launch()
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def axe():
    """axe-core, from the axe-playwright-python package (its script is bundled: nothing fetched)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.skip("the axe-playwright-python package is missing (pip install -r requirements.txt)")
    return Axe()
