"""The build on a toy book: cache, overrides, atomic publish, clean notebooks."""

import nbformat
import pytest
from conftest import snapshot
from nbformat.v4 import new_code_cell

from analysis.book.build import build
from analysis.errors import BuildError, ParameterError

quiet = dict(report=lambda line: None)


def test_first_build_executes_then_a_rebuild_executes_nothing(toy_book):
    first = build(toy_book, **quiet)
    assert sorted(first.executed) == ["chapters/a.ipynb", "chapters/b.ipynb"] and first.html_built
    assert (toy_book / "_build/html/chapters/a.html").is_file()
    assert (toy_book / "_build/html/_static/vega/vega-bundle.js").is_file()
    provenance = (toy_book / "_build/html/_static/provenance.js").read_text()
    assert '"scenario": "baseline (published defaults)"' in provenance and '"inputs": "' in provenance
    second = build(toy_book, **quiet)
    assert second.executed == [] and not second.html_built


def test_executed_notebooks_are_written_back_clean(toy_book):
    build(toy_book, **quiet)
    nb = nbformat.read(toy_book / "chapters/a.ipynb", as_version=4)
    assert "papermill" not in nb.metadata
    assert all("execution" not in c.metadata and "papermill" not in c.metadata for c in nb.cells)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    assert str(toy_book) not in (toy_book / "chapters/a.ipynb").read_text()


def test_an_override_builds_a_separate_book_and_reruns_only_its_users(toy_book, two_params):
    (name_a, pa), (name_b, pb) = two_params
    build(toy_book, **quiet)
    chapters_before, html_before = snapshot(toy_book / "chapters"), snapshot(toy_book / "_build/html")
    first = build(toy_book, overrides={name_a: pa.low}, **quiet)
    assert first.published == toy_book / "_build/scenarios/custom/html"
    compare = "chapters/scenario-comparison.ipynb"  # every scenario book's comparison page
    assert sorted(first.executed) == ["chapters/a.ipynb", "chapters/b.ipynb", compare]
    second = build(toy_book, overrides={name_a: pa.high}, **quiet)
    assert sorted(second.executed) == ["chapters/a.ipynb", compare]
    page = (toy_book / "_build/scenarios/custom/html/chapters/a.html").read_text()
    assert f"{pa.high * 2:g}" in page or f"{pa.high * 2}" in page
    assert snapshot(toy_book / "chapters") == chapters_before
    assert snapshot(toy_book / "_build/html") == html_before


def test_a_failing_notebook_leaves_the_published_book_in_place(toy_book):
    build(toy_book, **quiet)
    before = snapshot(toy_book / "_build/html")
    nb = nbformat.read(toy_book / "chapters/b.ipynb", as_version=4)
    nb.cells.append(new_code_cell("raise ValueError('boom: bad input')"))
    nbformat.write(nb, toy_book / "chapters/b.ipynb")
    with pytest.raises(BuildError, match=r"chapters/b.ipynb failed at cell 4 .*ValueError: boom: bad input"):
        build(toy_book, **quiet)
    assert snapshot(toy_book / "_build/html") == before


def test_a_sphinx_warning_fails_the_build_and_keeps_the_published_book(toy_book):
    build(toy_book, **quiet)
    before = snapshot(toy_book / "_build/html")
    (toy_book / "chapters/index.md").write_text("# Toy book\n\nSee {ref}`nowhere`.\n")
    with pytest.raises(BuildError, match=r"(?s)jupyter-book failed.*\n  chapters/index.md:3: WARNING: undefined label: 'nowhere'"):
        build(toy_book, **quiet)
    assert snapshot(toy_book / "_build/html") == before


def test_unknown_chapter_names_the_book_notebooks(toy_book):
    with pytest.raises(ParameterError, match="Unknown chapter 'c'; the book's notebooks are: a, b"):
        build(toy_book, chapter="c", **quiet)


def test_chapter_option_executes_only_that_notebook(toy_book):
    build(toy_book, **quiet)
    for doc in ("a", "b"):  # make both stale
        nb = nbformat.read(toy_book / f"chapters/{doc}.ipynb", as_version=4)
        nb.cells.append(new_code_cell("1 + 1"))
        nbformat.write(nb, toy_book / f"chapters/{doc}.ipynb")
    summary = build(toy_book, chapter="b", **quiet)
    assert summary.executed == ["chapters/b.ipynb"] and summary.cached == ["chapters/a.ipynb"]
    assert (toy_book / "_build/html/chapters/a.html").is_file()
    assert "1 + 1" in (toy_book / "chapters/a.ipynb").read_text()  # the skipped notebook keeps its edit


def test_plain_papermill_refuses_an_unknown_parameter(toy_book, tmp_path):
    papermill = pytest.importorskip("papermill")
    with pytest.raises(papermill.PapermillExecutionError, match="Unknown parameter 'gpu_prise_usd'"):
        papermill.execute_notebook(str(toy_book / "chapters/a.ipynb"), str(tmp_path / "out.ipynb"),
                                   parameters={"gpu_prise_usd": 1.0}, progress_bar=False)


def test_a_second_build_of_the_same_book_at_once_is_refused(toy_book):
    from analysis.book.build import _lock
    from analysis.book.plan import Target

    with _lock(Target(root=toy_book)):
        with pytest.raises(BuildError, match="another build of 'default' is running"):
            build(toy_book, **quiet)


def test_one_warm_kernel_runs_several_notebooks_like_fresh_kernels(toy_book, two_params, tmp_path):
    """-j 1: both notebooks share one kernel; the result equals papermill's fresh kernel per notebook."""
    papermill = pytest.importorskip("papermill")
    summary = build(toy_book, workers=1, **quiet)
    assert sorted(summary.executed) == ["chapters/a.ipynb", "chapters/b.ipynb"]
    for doc in ("a", "b"):
        warm = nbformat.read(toy_book / f"chapters/{doc}.ipynb", as_version=4)
        fresh = papermill.execute_notebook(str(toy_book / f"chapters/{doc}.ipynb"), str(tmp_path / f"{doc}.ipynb"),
                                           progress_bar=False)
        assert [c.get("outputs") for c in warm.cells] == [c.get("outputs") for c in fresh.cells]
        assert [c.get("execution_count") for c in warm.cells] == [c.get("execution_count") for c in fresh.cells]


def test_changing_a_default_changes_only_the_keys_of_chapters_declaring_it(toy_book, two_params, monkeypatch):
    """Editing one parameter in data/parameters/ re-executes only the chapters that declare it."""
    from analysis.book import plan as plan_mod
    from analysis.inputs import registry as params_mod
    from analysis.book.plan import Target, plan

    (name_a, pa), _ = two_params
    reference = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Reference")])
    nbformat.write(reference, toy_book / "chapters/ref.ipynb")
    (toy_book / "_toc.yml").write_text((toy_book / "_toc.yml").read_text() + "  - file: chapters/ref\n")
    before = {j.doc: j.key for j in plan(Target(root=toy_book))}
    # the edit: a new default for name_a, which also changes the parameter files' digest
    edited = params_mod.Registry({**dict(params_mod.registry()), name_a: pa.model_copy(update={"default": pa.high})})
    real_digest = plan_mod.dependencies_digest
    monkeypatch.setattr(plan_mod.params_mod, "registry", lambda: edited)
    monkeypatch.setattr(plan_mod, "dependencies_digest",
                        lambda include_parameters=True: real_digest(include_parameters) + ("+edited" * include_parameters))
    after = {j.doc: j.key for j in plan(Target(root=toy_book))}
    assert before["chapters/a.ipynb"] != after["chapters/a.ipynb"]  # declares the parameter
    assert before["chapters/b.ipynb"] == after["chapters/b.ipynb"]  # does not
    assert before["chapters/ref.ipynb"] != after["chapters/ref.ipynb"]  # declares none: reads them all


def test_injected_parameters_cell_is_shown_like_the_parameters_cell():
    from analysis.book.kernels import clean_notebook

    nb = nbformat.v4.new_notebook()
    nb.cells = [new_code_cell("x = 1", metadata={"tags": ["parameters", "hide-input"]}),
                new_code_cell("# Parameters\nx = 2", metadata={"tags": ["injected-parameters"], "papermill": {}}),
                new_code_cell("print(x)")]
    clean_notebook(nb)
    injected = nb.cells[1]
    assert injected.metadata["tags"] == ["injected-parameters", "hide-input"]
    assert injected["id"] == "injected-parameters" and "papermill" not in injected.metadata
    assert nb.cells[2].metadata.get("tags") is None  # other cells keep their own tags


def _kernels_die_at_start(monkeypatch, tmp_path, times: int) -> list:
    """Kernels started in `tmp_path` write 'boom' to their stderr and exit, `times` times; the starts are counted."""
    from analysis.book import kernels

    die = ("import os, sys; n = len(os.listdir('.')); "
           f"(open(f'died-{{n}}', 'w').close(), sys.__stderr__.write('boom\\n'), sys.__stderr__.flush(), os._exit(3)) "
           f"if n < {times} else None")
    monkeypatch.setattr(kernels, "KERNEL_ARGUMENTS", [*kernels.KERNEL_ARGUMENTS, f"--IPKernelApp.exec_lines={die}"])
    starts = []
    real_init = kernels.WarmKernel.__init__
    monkeypatch.setattr(kernels.WarmKernel, "__init__", lambda self, cwd: (starts.append(cwd), real_init(self, cwd))[1])
    return starts


def test_a_kernel_that_dies_while_starting_is_started_again(monkeypatch, tmp_path):
    """Two kernels started at once can pick the same port; the one that dies is replaced, not reported."""
    from analysis.book.kernels import WarmKernel

    starts = _kernels_die_at_start(monkeypatch, tmp_path, times=1)
    kernel = WarmKernel.start(tmp_path)
    try:
        assert kernel.km.is_alive() and len(starts) == 2
    finally:
        kernel.shutdown()


def test_a_kernel_that_keeps_dying_is_reported_with_its_last_words(monkeypatch, tmp_path):
    from analysis.book.kernels import KernelStartError, WarmKernel

    starts = _kernels_die_at_start(monkeypatch, tmp_path, times=99)
    with pytest.raises(KernelStartError, match=r"died before replying.*last words.*boom"):
        WarmKernel.start(tmp_path, attempts=2)
    assert len(starts) == 2
