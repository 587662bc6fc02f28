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


def test_front_page_shows_the_chapters_own_ranges():
    # The front page glues each headline from the same seeded Monte Carlo call the chapter makes, so
    # a number on the front page is the number in the chapter, character for character.
    import json
    from analysis.inputs import paths

    def glued(doc):
        nb = json.loads((paths.REPO_ROOT / "chapters" / doc).read_text(encoding="utf-8"))
        found = {}
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                meta = out.get("metadata", {}).get("scrapbook", {})
                if "name" in meta:
                    prefix = meta.get("mime_prefix", "")
                    found[meta["name"]] = out["data"].get(prefix + "text/plain", out["data"].get("text/plain"))
        return found

    front = glued("intro.ipynb")
    shared = 0
    for doc in ("capex.ipynb", "tokens.ipynb", "emissions.ipynb", "flywheel.ipynb", "audit.ipynb"):
        chapter = glued(doc)
        for name in front.keys() & chapter.keys():
            assert front[name] == chapter[name], (doc, name)
            shared += 1
    assert shared >= 14  # every front-page figure but one (the USD cost per token) is quoted in its chapter


def test_headline_table_puts_each_range_around_its_p50():
    import pandas as pd

    summaries = {}
    for h in headlines.headlines():
        summaries.setdefault(h.chapter, []).append(
            {"output": h.output, "p10": -3.0 if h.output == "cumulative_net_rmb_bn" else 0.5,
             "p50": -2.0 if h.output == "cumulative_net_rmb_bn" else 1.0,
             "p90": 1.0 if h.output == "cumulative_net_rmb_bn" else 2.0})
    summaries = {ch: pd.DataFrame(rows).set_index("output") for ch, rows in summaries.items()}
    table = headlines.headline_table(summaries).set_index("output")
    assert table.loc["accelerators", ["low", "high"]].tolist() == [-50.0, 100.0]
    # A negative P50 (a loss) keeps its direction: P10 below, P90 above.
    assert table.loc["cumulative_net_rmb_bn", ["low", "high"]].tolist() == [-50.0, 150.0]
