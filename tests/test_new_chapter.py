"""`python -m analysis new-chapter`: a chapter that builds and passes the tests right after, or nothing written."""

import os
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import snapshot

from analysis.book import plan, scaffold, staging
from analysis.cli import main
from analysis.errors import ScaffoldError
from analysis.inputs import paths

ROOT = paths.REPO_ROOT
NAME = "scaffold_demo"
TITLE = "Scaffold demo: what an example activity costs"
WRITTEN_INTO = ("chapters", "data/parameters", "analysis/models", "analysis/report", "tests")


@pytest.mark.parametrize("name, message", [
    ("Water", "is not usable"), ("2water", "is not usable"), ("water-use", "is not usable"), ("class", "is not usable"),
    ("a" * 25, "is not usable"), ("capex", "is taken: .*chapters/capex.ipynb"),
    ("chain", "is taken: analysis/models/chain.py"), ("glue", "is taken: analysis/report/glue.py"),
    ("book", "is taken: tests/test_book.py"),
])
def test_a_bad_or_taken_name_is_refused(name, message):
    with pytest.raises(ScaffoldError, match=f"chapter name '{name}' {message}"):
        scaffold.check(name, TITLE, ROOT)


@pytest.mark.parametrize("title", ["", "two\nlines", 'a "quoted" title', "x" * 101])
def test_a_title_that_does_not_fit_the_files_is_refused(title):
    with pytest.raises(ScaffoldError, match="chapter title .* is not usable"):
        scaffold.check(NAME, title, ROOT)


def test_the_command_refuses_with_exit_2_and_writes_nothing():
    before = [snapshot(ROOT / folder) for folder in WRITTEN_INTO], (ROOT / "_toc.yml").read_bytes()
    result = CliRunner().invoke(main, ["new-chapter", "capex", "--title", TITLE])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: chapter name 'capex' is taken: data/parameters/capex.yaml")
    assert lines[0].endswith("chapters/capex.ipynb already exists; choose another name")
    assert ([snapshot(ROOT / folder) for folder in WRITTEN_INTO], (ROOT / "_toc.yml").read_bytes()) == before


@pytest.fixture(scope="module")
def new_book(tmp_path_factory):
    """A copy of the repository (book, package, data, tests) after `new-chapter NAME` ran in it.

    Every command runs in the copy with the copy's package first on the path (the kernels too),
    so the real repository is never written to.
    """
    root = staging.copy_sources(tmp_path_factory.mktemp("new-chapter") / "repo")
    for folder in ("analysis", "data", "tests"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.run([sys.executable, "-m", "analysis", "new-chapter", NAME, "--title", TITLE],
                          cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root, env, proc.stdout


def test_the_new_chapter_is_built_with_its_title_and_glued_key_result(new_book):
    root, _, output = new_book
    assert f"chapters/{NAME}.ipynb" in plan.toc_files(root)
    docs = plan.toc_files(root)
    assert docs.index(f"chapters/{NAME}.ipynb") == docs.index("chapters/audit.ipynb") - 1  # before the cross-checks
    for rel in (f"data/parameters/{NAME}.yaml", f"analysis/models/{NAME}.py", f"tests/test_{NAME}.py"):
        assert f"written  {rel}" in output
    page = (root / "_build" / "html" / "chapters" / f"{NAME}.html").read_text(encoding="utf-8")
    assert f"<h1>{TITLE}" in page
    assert re.search(r"costs [\d.]+ bn RMB \(P10–P90 [\d.]+–[\d.]+\) a year", page)  # glued from the Monte Carlo
    assert 'class="book-chart-description"' in page


def test_the_new_chapter_passes_its_model_tests_nbval_and_the_house_tests(new_book):
    root, env, _ = new_book
    house = ("test_every_chapter_chart_is_described_in_words_from_its_data or "
             "test_parameters_cover_the_registry_but_the_chapter_only_ones or "
             "test_notebook_code_is_formatted_to_the_width_the_page_shows_it_at")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", f"tests/test_{NAME}.py",
         f"analysis/models/{NAME}.py", f"chapters/{NAME}.ipynb", "tests/test_book.py", "tests/test_charts.py",
         "tests/test_chain.py", "-k", f"{NAME} or {house}"],
        cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", proc.stdout).group(1))
    # the model's tests and doctests, every cell under nbval, and the house tests of a chapter
    assert passed >= 20, proc.stdout[-2000:]
