"""Command-line errors: one clear line, exit status 2, nothing executed or written."""

import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import build_outputs

from analysis.inputs import registry as params, paths
from analysis.cli import main


@pytest.fixture(scope="module")
def name():
    reg = params.registry()
    return next(n for n, p in reg.items() if p.type == "float" and p.low < p.high)


def bad_overrides(name):
    p = params.registry()[name]
    typo = name[:-1] + ("x" if name[-1] != "x" else "y")
    return [
        ([f"{typo}=1"], rf"Unknown parameter '{typo}'.*did you mean '{name}'"),
        ([f"{name}=abc"], rf"{name} \(-p\) must be a number .*valid range {p.low:g} to {p.high:g}"),
        ([f"{name}={p.high * 10 + 1:g}"], rf"{name} \(-p\) = .* is out of range; valid range"),
        ([f"{name}=nan"], rf"{name} \(-p\) must be finite"),
        ([f"{name}=inf"], rf"{name} \(-p\) must be finite"),
        ([name], r"Cannot read -p .*write it as name=value"),
    ]


@pytest.mark.parametrize("case", range(6))
def test_bad_override_exits_2_with_one_line_and_writes_nothing(name, case):
    args, message = bad_overrides(name)[case]
    before = build_outputs(paths.REPO_ROOT)
    result = CliRunner().invoke(main, ["build", *[a for arg in args for a in ("-p", arg)]])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert __import__("re").search(message, lines[0]), lines[0]
    assert build_outputs(paths.REPO_ROOT) == before


def test_unknown_chapter_exits_2(name):
    result = CliRunner().invoke(main, ["build", "--chapter", "nonexistent"])
    assert result.exit_code == 2 and "Unknown chapter 'nonexistent'" in result.output


def test_params_lists_every_parameter():
    result = CliRunner().invoke(main, ["params"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split()[:4] == ["name", "label", "default", "unit"]
    reg = params.registry()
    assert [ln.split()[0] for ln in lines[1:]] == list(reg)
    assert all(reg[ln.split()[0]].label in ln for ln in lines[1:])  # each row carries its label


def test_module_entry_point_has_help():
    proc = subprocess.run([sys.executable, "-m", "analysis", "build", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "Usage: python -m analysis build" in proc.stdout
    for option in ("--param", "--chapter", "--name", "--jobs", "--root"):
        assert option in proc.stdout


def test_compare_prints_and_writes_headlines_for_each_scenario(tmp_path):
    scen = paths.data_dir() / "scenarios"
    out = tmp_path / "cmp.csv"
    result = CliRunner().invoke(main, ["compare", str(scen / "bear.yaml"), str(scen / "bull.yaml"),
                                       "--csv", str(out)])
    assert result.exit_code == 0, result.output
    import pandas as pd

    table = pd.read_csv(out)
    assert {"chapter", "label", "unit", "baseline", "bear", "bull", "bear - baseline"} <= set(table.columns)
    assert set(table["chapter"]) == {"capex", "tokens", "emissions", "flywheel"}
    assert (table["bear - baseline"] == table["bear"] - table["baseline"]).all()
    assert "Accelerators bought" in result.output


def test_sweep_writes_csv_and_an_offline_chart(tmp_path, name):
    from analysis.report import headlines

    p = params.registry()[name]
    result = CliRunner().invoke(main, ["sweep", f"{name}={p.low}:{p.high}:100", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    csvs, pages = list(tmp_path.glob("*.csv")), list(tmp_path.glob("*.html"))
    import pandas as pd

    table = pd.read_csv(csvs[0])
    assert len(table) == 100 * len(headlines.headlines())
    assert table[name].min() == pytest.approx(p.low) and table[name].max() == pytest.approx(p.high)
    assert not __import__("re").search(r"<script[^>]+src=", pages[0].read_text())


@pytest.mark.parametrize("spec, message", [
    ("pue", "write it as NAME=LOW:HIGH:STEPS"),
    ("pue=1.1:1.3", "write it as NAME=LOW:HIGH:STEPS"),
    ("puee=1.1:1.3:10", "Unknown parameter 'puee'"),
    ("pue=1.1:9:10", r"pue \(sweep high\) = 9 is out of range"),
    ("pue=1.1:1.3:1", "steps must be a whole number from 2"),
])
def test_sweep_refuses_bad_specs(spec, message, tmp_path):
    result = CliRunner().invoke(main, ["sweep", spec, "--out", str(tmp_path)])
    assert result.exit_code == 2 and __import__("re").search(message, result.output), result.output
    assert list(tmp_path.iterdir()) == []


def test_compare_prints_plain_numbers_in_the_units_a_reader_uses(tmp_path):
    bear = paths.data_dir() / "scenarios" / "bear.yaml"
    csv_path = tmp_path / "compare.csv"
    result = CliRunner().invoke(main, ["compare", str(bear), "--csv", str(csv_path)])
    assert result.exit_code == 0, result.output
    assert "e+" not in result.output and "e-" not in result.output  # no exponents (6.556e+05 before)
    lines = result.output.splitlines()
    assert lines[0].split()[:4] == ["chapter", "headline", "unit", "baseline"]
    cover = next(line for line in lines if "credits cover" in line)
    assert " days " in cover  # a cover of a few days, not 0.018 years
    emissions = next(line for line in lines if "Fleet emissions a year" in line)
    assert " Mt CO2e " in emissions  # the unit the chapter writes, not millions of t CO2e
    # The CSV keeps full precision in the model's unit, and says which unit that is.
    import pandas as pd

    table = pd.read_csv(csv_path).set_index("output")
    assert table.loc["credit_coverage_days", "unit"] == "days"
    assert table.loc["annual_emissions_t", "unit"] == "t CO2e" and table.loc["annual_emissions_t", "baseline"] > 1e6
