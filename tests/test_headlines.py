"""Headline numbers: every chapter model stays finite across every parameter's range."""

import numpy as np
import pytest

from analysis.inputs import registry as params
from analysis.report import headlines

REG = params.registry()


@pytest.mark.parametrize("name", list(REG))
def test_every_headline_is_a_number_at_both_ends_of_every_range(name):
    p = REG[name]
    for end in (p.low, p.high):
        table = headlines.evaluate({name: int(end) if p.type == "int" else end})
        assert len(table) == len(headlines.headlines())
        assert not table["value"].isna().any(), table[table["value"].isna()]


def test_compare_against_itself_changes_nothing():
    table = headlines.compare({"same": {}})
    assert (table["same - baseline"] == 0).all()


def test_sweep_is_one_vectorized_evaluation_per_value():
    name = next(n for n, p in REG.items() if p.low < p.high)
    values = np.linspace(REG[name].low, REG[name].high, 7)
    table = headlines.sweep(name, values)
    assert len(table) == 7 * len(headlines.headlines())
    first = table[table["output"] == "accelerators"]
    assert list(first[name]) == pytest.approx(list(values))


def test_comparison_markdown_writes_plain_signed_numbers():
    table = headlines.compare({"hot": {"pue": 1.4}})
    text = headlines.comparison_markdown(table, "hot")
    assert "e+" not in text and "e-0" not in text  # no exponents on the page
    row = next(line for line in text.splitlines() if "Fleet emissions a year" in line)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[5].startswith("+") and cells[6].startswith("+")  # a higher PUE adds emissions
    assert len(text.splitlines()) == 2 + len(table)
