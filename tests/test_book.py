"""The real book: reproducible from a clean copy, offline, in sync with data/."""

import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import theme_chapters

from analysis.book import plan as plan_mod
from analysis.inputs import registry as params, paths

ROOT = paths.REPO_ROOT


def notebooks():
    return [d for d in plan_mod.toc_files(ROOT) if d.endswith(".ipynb")]


def test_clean_build_reproduces_the_committed_notebooks_byte_for_byte(clean_build):
    assert sorted(clean_build.executed) == sorted(notebooks())
    for doc in notebooks():
        assert (clean_build.root / doc).read_bytes() == (ROOT / doc).read_bytes(), f"{doc} differs from its committed version"


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and attrs.get("src"):
            self.urls.append((tag, attrs["src"]))
        if tag == "link" and attrs.get("href") and set((attrs.get("rel") or "").split()) & {
                "stylesheet", "preload", "icon", "modulepreload", "prefetch"}:
            self.urls.append((tag, attrs["href"]))


def _scripts(page):
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls


def test_built_pages_load_nothing_from_outside_the_site(clean_build):
    html_dir = clean_build.published
    pages = sorted(html_dir.rglob("*.html"))
    assert pages
    outside = []
    for page in pages:
        parser = _Assets()
        text = page.read_text(encoding="utf-8")
        parser.feed(text)
        outside += [(page.name, tag, url) for tag, url in parser.urls if re.match(r"^(https?:)?//", url)]
        outside += [(page.name, "css", url) for url in re.findall(r"@import\s+url\(['\"]?(https?://[^)'\"]+)", text)]
    for css in html_dir.rglob("*.css"):
        outside += [(css.name, "css", u) for u in re.findall(r"@import\s+url\(['\"]?((?:https?:)?//[^)'\"]+)",
                                                            css.read_text(errors="ignore"))]
    assert outside == []
    assert (html_dir / "_static/vega/vega-bundle.js").stat().st_size > 100_000
    for page in pages:  # a second copy of a script re-declares its globals: a console error
        scripts = [url.split("?")[0] for tag, url in _scripts(page) if tag == "script"]
        assert len(scripts) == len(set(scripts)), f"{page.name} loads a script twice"
        if page.parent.name == "chapters":
            assert any(url.endswith("_static/vega/vega-bundle.js") for url in scripts), page.name


def _meta(page_html: str) -> dict[str, str]:
    tags = {}
    for match in re.finditer(r'<meta (property|name)="([^"]+)" content="([^"]*)"', page_html):
        tags[match.group(2)] = html.unescape(match.group(3))
    return tags


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_every_page_has_its_title_and_first_finding_as_description(clean_build):
    """Open Graph tags and the meta description (sphinxext-opengraph, analysis.book.sharing): the
    page's title, and the first item of its Key results box or, without one, its first paragraph."""
    title = yaml.safe_load((ROOT / "_config.yml").read_text())["title"]
    pages = sorted((clean_build.published / "chapters").glob("*.html"))
    assert len(pages) >= 8
    with_findings = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        meta = _meta(text)
        heading = _text(re.search(r"<h1>(.*?)</h1>", text, re.S).group(1)).rstrip("#").strip()
        assert meta["og:title"] == heading, page.name
        assert meta["og:site_name"] == title, page.name
        assert meta["description"] == meta["og:description"] and len(meta["description"]) > 40, page.name
        assert not re.match(r"(https?:)?//", meta["og:url"]) and meta["og:url"].endswith(page.name), page.name
        box = re.search(r'<p class="admonition-title">Key results</p>\s*<ul[^>]*>\s*<li>(.*?)</li>', text, re.S)
        if box:
            with_findings += 1
            assert meta["description"].rstrip("…") in _text(box.group(1)), page.name
    assert with_findings >= 5  # the five chapters


def test_every_notebook_in_chapters_is_in_the_toc():
    in_toc = set(plan_mod.toc_files(ROOT))
    assert {str(p.relative_to(ROOT)) for p in (ROOT / "chapters").glob("*.ipynb")} <= in_toc


@pytest.mark.parametrize("doc", notebooks())
def test_notebook_parameter_defaults_match_data(doc):
    declared = plan_mod.notebook_parameters(nbformat.read(ROOT / doc, as_version=4))
    reg = params.registry()
    for name, value in declared.items():
        assert name in reg, f"{doc} declares unknown parameter {name}"
        assert value == reg[name].value, f"{doc}: {name} = {value!r}, data/ says {reg[name].value!r}"
        assert type(value) is type(reg[name].value), f"{doc}: {name} = {value!r}; its type comes from data/"


@pytest.mark.parametrize("theme", theme_chapters())
def test_a_parameters_cell_holds_its_own_themes_inputs_only(theme):
    """Other themes' inputs come from the registry (STYLE.md); the cross-check chapter has none of its own."""
    declared = plan_mod.notebook_parameters(nbformat.read(ROOT / "chapters" / f"{theme}.ipynb", as_version=4))
    theme_file = ROOT / "data" / "parameters" / f"{theme}.yaml"
    own = [p["name"] for p in yaml.safe_load(theme_file.read_text(encoding="utf-8"))] if theme_file.exists() else []
    assert list(declared) == own, f"chapters/{theme}.ipynb's parameters cell must list data/parameters/{theme}.yaml"


@pytest.mark.parametrize("doc", notebooks())
def test_committed_notebooks_are_executed_and_clean(doc):
    nb = nbformat.read(ROOT / doc, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert "papermill" not in nb.metadata
    assert str(ROOT) not in (ROOT / doc).read_text(), f"{doc} stores a machine path"


def test_the_bench_names_the_notebooks_a_parameter_change_re_executes():
    """Its 'one parameter changed' row must say what the build re-runs, not what a parameters cell lists."""
    from analysis.book import bench

    name, first, users, low, high = bench._one_parameter(ROOT)
    target = plan_mod.Target(root=ROOT, name="bench-check", overrides={name: high})
    injected = [job.doc for job in plan_mod.plan(target) if name in job.injected]
    assert users.split(", ") == injected and first == injected[0]
    assert low < high


THEME_CHAPTERS = theme_chapters()


@pytest.mark.parametrize("chapter", THEME_CHAPTERS)
def test_chapters_open_with_their_title_and_hide_their_plumbing(chapter):
    # Issue 16: the title comes first; cells that only glue or set up are removed from the page;
    # the parameters cell and the code that computes, tabulates or draws are folded under a label.
    from analysis.book import layout

    nb = json.loads((paths.REPO_ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    assert nb["cells"][0]["cell_type"] == "markdown" and "".join(nb["cells"][0]["source"]).startswith("# ")
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            mode, label = layout.presentation(cell)
            assert mode in cell["metadata"]["tags"], "".join(cell["source"])[:80]
            assert cell["metadata"].get("mystnb", {}).get("code_prompt_show") == label


def test_layout_removes_glue_only_cells_and_labels_the_rest():
    from analysis.book import layout

    def cell(source, tags=()):
        return {"cell_type": "code", "source": source, "metadata": {"tags": list(tags)}}

    assert layout.presentation(cell("report.glue.values(P)\nreport.glue.ranges(s, ['a'])")) == ("remove-input", None)
    assert layout.presentation(cell("x = 1\nreport.glue.values(x=x)"))[0] == "hide-input"
    assert layout.presentation(cell("charts.finish(chart, title='t', source='s')")) == \
        ("hide-input", "Show the code that draws this chart")
    assert layout.presentation(cell("pue = 1.2", tags=["parameters"]))[1] == layout.PARAMETERS_LABEL
    nb = {"cells": [cell("pue = 1.2", ["parameters"]), {"cell_type": "markdown", "source": "# Title", "metadata": {}},
                    cell("report.glue.values(P)", ["hide-input"])]}
    layout.apply(nb)
    assert nb["cells"][0]["source"] == "# Title"
    assert nb["cells"][2]["metadata"]["tags"] == ["remove-input"]


@pytest.mark.parametrize("chapter", THEME_CHAPTERS)
def test_chapters_write_their_core_formulas_as_numbered_referenced_equations(chapter):
    # Issue 16: each chapter's core formulas are numbered equations ({math} with a label) and the
    # prose refers to each by number ({eq}); MathJax comes from the book's own files.
    nb = json.loads((paths.REPO_ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    labels = re.findall(r"```\{math\}\n:label: ([\w-]+)\n", text)
    assert labels, f"{chapter} has no numbered equation"
    for label in labels:
        assert label.startswith(f"{chapter}-"), label  # labels are global to the book: prefix them
        assert f"{{eq}}`{label}`" in text, f"equation {label} is never referred to"


def test_mathjax_is_staged_from_the_books_own_files():
    from analysis.book import staging

    files = staging.extra_files()
    assert f"{staging.EXTRA_DIR}/_static/mathjax/tex-chtml.js" in files
    assert any(rel.endswith(".woff") for rel in files)
    config = yaml.safe_load((paths.REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["html_extra_path"] == [staging.EXTRA_DIR]
    assert "://" not in config["sphinx"]["config"]["mathjax_path"]


def test_notebook_code_is_formatted_to_the_width_the_page_shows_it_at():
    """ruff formats every notebook's code to the column (pyproject.toml, [tool.ruff]); lines it cannot
    split (comments, strings) are held to the same width by the line-length rule."""
    ruff = [sys.executable, "-m", "ruff"]
    formatted = subprocess.run([*ruff, "format", "--check", "--diff", "."], cwd=ROOT, capture_output=True, text=True)
    assert formatted.returncode == 0, "notebook code not formatted; run `ruff format`:\n" + formatted.stdout[-3000:]
    long_lines = subprocess.run([*ruff, "check", "--select", "E501", "--output-format", "concise", "."],
                                cwd=ROOT, capture_output=True, text=True)
    assert long_lines.returncode == 0, "code lines wider than the column:\n" + long_lines.stdout[-3000:]
    verbose = subprocess.run([*ruff, "format", "--check", "--verbose", "."], cwd=ROOT, capture_output=True, text=True)
    included = {Path(p).relative_to(ROOT).as_posix() for p in re.findall(r'Included path via `include`: "(.*)"', verbose.stderr)}
    notebooks = {d for d in plan_mod.toc_files(ROOT) if d.endswith(".ipynb")} | {"analysis/book/scenario-comparison.ipynb"}
    assert notebooks <= included, f"notebooks ruff does not check: {sorted(notebooks - included)}"
