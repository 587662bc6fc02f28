"""Scenario files: validation, separate books, per-scenario cache, papermill equivalence."""

import json

import nbformat
import pytest
import yaml
from click.testing import CliRunner
from conftest import build_outputs, snapshot

from analysis.inputs import paths, scenarios
from analysis.book.build import build
from analysis.cli import main
from analysis.errors import ScenarioError

quiet = dict(report=lambda line: None)


def write(tmp_path, content, name="s.yaml"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted((paths.data_dir() / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_scenarios_load_and_explain_themselves(path):
    scenario = scenarios.load(path)
    assert scenario.name == path.stem and len(scenario.description) > 40


def test_shipped_scenarios_include_baseline_bear_and_bull():
    names = {p.stem for p in (paths.data_dir() / "scenarios").glob("*.yaml")}
    assert {"baseline", "bear", "bull"} <= names


def test_values_are_typed_by_the_registry(tmp_path, two_params):
    (name, p), _ = two_params
    scenario = scenarios.load(write(tmp_path, {"name": "x", name: int(p.high)}))
    assert scenario.values == {name: float(int(p.high))} and isinstance(scenario.values[name], float)


def bad_cases(two_params):
    (name, p), _ = two_params
    typo = name[:-1] + ("x" if name[-1] != "x" else "y")
    return [
        ({"name": "x", typo: p.value}, rf"Unknown parameter '{typo}' \(.*s.yaml\); did you mean '{name}'"),
        ({"name": "x", name: "abc"}, rf"Parameter {name} \(.*s.yaml\) must be a number"),
        ({"name": "x", name: True}, rf"Parameter {name} \(.*s.yaml\) must be a number"),
        ({"name": "x", name: p.high * 10 + 1}, rf"Parameter {name} \(.*s.yaml\) = .* is out of range; valid range"),
        ({"name": "x", name: float("nan")}, r"must be finite"),
        ({name: p.value}, r"s.yaml: missing 'name'; add e.g. `name: s`"),
        ({"name": "../etc", name: p.value}, r"scenario name '../etc' is not a safe folder name"),
        ({"name": "Bear Case"}, r"scenario name 'Bear Case' is not a safe folder name"),
        ({"name": 3}, r"scenario name 3 is not a safe folder name"),
        ("- just\n- a list\n", r"a scenario is a mapping"),
        ("name: [unclosed\n", r"s.yaml: not valid YAML"),
    ]


@pytest.mark.parametrize("case", range(11))
def test_bad_scenarios_are_refused_with_a_clear_message(tmp_path, two_params, case):
    content, message = bad_cases(two_params)[case]
    with pytest.raises(ScenarioError, match=message):
        scenarios.load(write(tmp_path, content))


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ScenarioError, match="nope.yaml: scenario file not found"):
        scenarios.load(tmp_path / "nope.yaml")


@pytest.mark.parametrize("case", [0, 3, 6, 9])
def test_cli_refuses_a_bad_scenario_with_exit_2_and_writes_nothing(tmp_path, two_params, case):
    content, message = bad_cases(two_params)[case]
    path = write(tmp_path, content)
    before = build_outputs(paths.REPO_ROOT)
    result = CliRunner().invoke(main, ["build", "--scenario", str(path)])
    assert result.exit_code == 2 and result.output.startswith("error: ")
    assert build_outputs(paths.REPO_ROOT) == before


def test_cli_refuses_a_key_given_twice_naming_it_and_both_lines_before_anything_runs(tmp_path, two_params):
    # Plain YAML keeps the last value silently: `pue: 1.2` then `pue: 1.3` would build with 1.3.
    (name, p), _ = two_params
    path = write(tmp_path, f"name: twice\n{name}: {p.low!r}\n{name}: {p.high!r}\n")
    before = build_outputs(paths.REPO_ROOT)
    result = CliRunner().invoke(main, ["build", "--scenario", str(path)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert lines == [f"error: {path}: key '{name}' is given twice, on lines 2 and 3; keep one"]
    assert build_outputs(paths.REPO_ROOT) == before
    assert not (paths.REPO_ROOT / "_build" / "scenarios" / "twice").exists()


def test_a_scenario_builds_its_own_book_with_a_banner_and_its_own_cache(toy_book, two_params, tmp_path):
    (name_a, pa), (name_b, pb) = two_params
    build(toy_book, **quiet)
    chapters_before, html_before = snapshot(toy_book / "chapters"), snapshot(toy_book / "_build/html")
    path = write(tmp_path, {"name": "bear", "description": "A test scenario.", name_a: pa.low})
    first = build(toy_book, scenario=scenarios.load(path), **quiet)
    assert first.published == toy_book / "_build/scenarios/bear/html"
    for page in ("chapters/index.html", "chapters/a.html", "chapters/b.html"):
        text = (first.published / page).read_text()
        assert "Scenario <strong>bear</strong>" in text and 'class="book-scenario-diff"' in text
    differs = (first.published / "_static/provenance.js").read_text()
    assert f"Differs from the baseline in: {name_a} = {pa.low:g} (baseline {pa.value:g}" in differs
    assert '"scenario": "bear"' in (first.published / "_static/provenance.js").read_text()
    comparison = (first.published / "chapters/scenario-comparison.html").read_text()
    assert "The scenario against the baseline" in comparison and "book-chart" in comparison
    assert "bear" in comparison
    assert not (toy_book / "_build/html/chapters/scenario-comparison.html").exists()
    again = build(toy_book, scenario=scenarios.load(path), **quiet)
    assert again.executed == [] and not again.html_built
    on_top = build(toy_book, scenario=scenarios.load(path), overrides={name_b: pb.high}, **quiet)
    assert sorted(on_top.executed) == ["chapters/b.ipynb", "chapters/scenario-comparison.ipynb"]
    assert snapshot(toy_book / "chapters") == chapters_before
    assert snapshot(toy_book / "_build/html") == html_before


def glued(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "application/papermill.record/text/plain" in out.get("data", {}):
                return out["data"]["application/papermill.record/text/plain"]
    raise AssertionError("no glued value")


def test_plain_papermill_with_the_scenario_file_gives_the_same_numbers(toy_book, two_params, tmp_path):
    papermill = pytest.importorskip("papermill")
    (name_a, pa), _ = two_params
    path = write(tmp_path, {"name": "low", "description": "Low.", name_a: pa.low})
    build(toy_book, scenario=scenarios.load(path), **quiet)
    built = nbformat.read(toy_book / "_build/.stage/low/src/chapters/a.ipynb", as_version=4)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(toy_book / "chapters/a.ipynb"), str(out),
                               parameters=yaml.safe_load(path.read_text()), progress_bar=False)
    direct = nbformat.read(out, as_version=4)
    assert glued(direct) == glued(built) == json.dumps(pa.low * 2) or glued(direct) == glued(built)
    assert float(glued(built)) == pytest.approx(pa.low * 2)
