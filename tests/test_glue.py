"""Glue helpers and the registry of reported outputs."""

import numpy as np
import pandas as pd
import pytest

from analysis.errors import AnalysisError
from analysis.inputs import data, registry
from analysis.models import capex, emissions, flywheel, tokens
from analysis.report import glue, outputs


@pytest.fixture
def glued(monkeypatch):
    """What `glue.values` hands to MyST-NB's glue, by name."""
    calls = {}

    def fake_glue(name, value, display=True):
        assert display is False
        calls[name] = value

    import myst_nb
    monkeypatch.setattr(myst_nb, "glue", fake_glue)
    return calls


def test_range_text_writes_the_p50_with_its_unit_once_and_the_range_in_the_same_format():
    cost = outputs.OUTPUTS["annual_cost_usd_bn"]
    assert cost.range_text(3.7777, 4.5123, 5.3888) == "USD 4.51 bn (P10–P90 3.78–5.39)"
    flops = outputs.OUTPUTS["peak_bf16_flops"]  # FLOP/s shown in EFLOP/s, three figures
    assert flops.range_text(3.214e20, 4.2649e20, 5.5151e20) == "426 EFLOP/s (P10–P90 321–552)"
    share = outputs.OUTPUTS["datong_share_of_fleet_racks"]
    assert share.range_text(0.1234, 0.2049, 0.3) == "20% (P10–P90 12%–30%)"


def test_an_output_text_needs_exactly_one_placeholder():
    with pytest.raises(AnalysisError, match="exactly one"):
        outputs.Output("Bad", "MW", text="{} MW or {}")


def test_unknown_output_is_refused_with_the_fix():
    with pytest.raises(AnalysisError, match="add it to OUTPUTS"):
        outputs.output("no_such_output")


def test_every_reported_output_is_a_model_output_and_no_parameter_shares_its_name():
    fields = set()
    for result in (capex.Fleet, tokens.TokenEconomics, emissions.Footprint, flywheel.FlywheelHeadline):
        fields |= set(result._names())
    assert set(outputs.OUTPUTS) <= fields, sorted(set(outputs.OUTPUTS) - fields)
    assert not set(outputs.OUTPUTS) & set(registry.registry()), "a glued range would hide the parameter"


def test_ranges_glue_one_text_per_output(glued):
    summary = pd.DataFrame({"p10": [500.0, 0.1], "p50": [665.4, 0.2], "p90": [887.0, 0.3]},
                           index=["it_power_mw", "breakeven_yield_uplift"])
    glue.ranges(summary, ["it_power_mw", "breakeven_yield_uplift"])
    assert glued == {"it_power_mw": "665 MW (P10–P90 500–887)", "breakeven_yield_uplift": "20% (P10–P90 10%–30%)"}


def test_values_glue_plain_python_numbers_and_refuse_a_name_given_twice(glued):
    glue.values({"a": np.float64(0.5), "b": np.array(3)}, c=np.int64(2), d="text")
    assert glued == {"a": 0.5, "b": 3, "c": 2, "d": "text"}
    assert [type(v) for v in glued.values()] == [float, int, int, str]  # repr must read back as a number
    with pytest.raises(AnalysisError, match="given twice"):
        glue.values({"a": 1.0}, a=2.0)
    with pytest.raises(AnalysisError, match="one value, not an array"):
        glue.values(x=np.arange(3.0))


def test_drivers_glue_the_largest_inputs_labels_and_need_enough_of_them(glued):
    table = pd.DataFrame({"label": ["PUE", "Price", "Life"]})
    glue.drivers(table, "cost_driver", n=2)
    assert glued == {"cost_driver_1": "PUE", "cost_driver_2": "Price"}
    with pytest.raises(AnalysisError, match="cannot name 4"):
        glue.drivers(table, n=4)


def test_claim_values_give_the_value_and_the_upper_value_of_a_range():
    dataset = data.load()
    found = data.claim_values(dataset, {"draw": "S0-34", "daily": "S2-03"})
    assert found["draw"] == dataset.claims["S0-34"].value
    assert found["draw_high"] == dataset.claims["S0-34"].value_high
    assert found["daily"] == dataset.claims["S2-03"].value and "daily_high" not in found
    with pytest.raises(data.DataError, match="S9-99"):
        data.claim_values(dataset, {"x": "S9-99"})


def test_round_significant_is_what_the_text_and_the_registry_show():
    from analysis.report import formatting
    assert formatting.round_significant(628_667.3) == 629_000.0
    assert formatting.round_significant(0.0012345, 2) == 0.0012
    assert formatting.round_significant(999.6) == 1000.0  # carries into the next power of ten
    assert outputs.OUTPUTS["it_power_mw"].shown(665.4321) == formatting.round_significant(665.4321)
