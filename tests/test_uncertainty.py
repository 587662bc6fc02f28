"""Monte Carlo draws, percentile summaries and the tornado table."""

import numpy as np
import pytest

from analysis.models import uncertainty
from analysis.inputs.data import Basis, Parameter


def make(name, distribution, default=2.0, low=1.0, high=4.0):
    return Parameter(name=name, label=f"Input {name.upper()}", unit="x", default=default, low=low, high=high,
                     distribution=distribution, description="test", basis=Basis(assumption="test"))


REG = {p.name: p for p in [make("a", "triangular"), make("b", "uniform"), make("c", "lognormal"),
                           make("d", "fixed")]}
VALUES = {"a": 2.0, "b": 2.0, "c": 2.0, "d": 2.0}


def linear(v):
    return 3 * v["a"] + v["b"] - 2 * v["c"] + v["d"]


def test_draws_are_reproducible_with_the_seed():
    first = uncertainty.sample(VALUES, REG, n=1000)
    second = uncertainty.sample(VALUES, REG, n=1000)
    for name in "abc":
        np.testing.assert_array_equal(first[name], second[name])
    assert not np.array_equal(uncertainty.sample(VALUES, REG, n=1000, seed=1)["a"], first["a"])


def test_each_parameter_has_its_own_stream():
    alone = uncertainty.sample({"a": 2.0}, REG, n=500)["a"]
    together = uncertainty.sample(VALUES, REG, n=500)["a"]
    np.testing.assert_array_equal(alone, together)


def test_bounded_distributions_stay_within_their_range():
    draws = uncertainty.sample(VALUES, REG, n=100_000)
    for name in "ab":
        assert draws[name].min() >= 1.0 and draws[name].max() <= 4.0


def test_triangular_mode_follows_the_current_value():
    # mean of a triangular distribution is (low + mode + high) / 3
    for mode in (1.5, 3.5):
        draws = uncertainty.sample({"a": mode}, REG, n=200_000)["a"]
        assert draws.mean() == pytest.approx((1.0 + mode + 4.0) / 3, rel=0.01)


def test_lognormal_has_median_at_value_and_range_as_p5_p95():
    draws = uncertainty.sample({"c": 2.0}, REG, n=400_000)["c"]
    assert np.median(draws) == pytest.approx(2.0, rel=0.01)
    # low/high are P5/P95 of a lognormal centred geometrically between them: 2 = sqrt(1 * 4)
    assert np.percentile(draws, [5, 95]) == pytest.approx([1.0, 4.0], rel=0.02)


def test_fixed_parameters_stay_scalar():
    assert uncertainty.sample(VALUES, REG, n=10)["d"] == 2.0


def test_simulate_and_summarize_give_percentiles_per_output():
    draws = uncertainty.simulate(lambda v: {"y": linear(v), "a": v["a"]}, VALUES, REG, n=50_000)
    table = uncertainty.summarize(draws)
    assert list(table.columns) == ["p10", "p50", "p90"] and list(table.index) == ["y", "a"]
    assert table.loc["a", "p10"] < table.loc["a", "p50"] < table.loc["a", "p90"]
    assert table.loc["a", "p50"] == pytest.approx(np.percentile(draws["a"], 50))


def test_a_million_draws_of_ten_inputs_are_vectorized():
    reg = {f"x{i}": make(f"x{i}", "triangular") for i in range(10)}
    values = {name: 2.0 for name in reg}
    draws = uncertainty.simulate(lambda v: sum(v.values()), values, reg, n=1_000_000)
    assert draws.shape == (1_000_000, 1)
    assert draws["value"].mean() == pytest.approx(10 * 7 / 3, rel=0.001)


def test_tornado_ranks_inputs_by_swing():
    table = uncertainty.tornado(linear, VALUES, REG)
    assert list(table["parameter"]) == ["a", "c", "b"]  # swings 3*3, 2*3, 1*3; d is fixed
    row = table.set_index("parameter").loc["c"]
    assert (row.output_at_low, row.output_at_high) == (linear({**VALUES, "c": 1.0}), linear({**VALUES, "c": 4.0}))
    assert (table["baseline"] == linear(VALUES)).all()


def test_tornado_rows_carry_each_inputs_label_for_charts_and_prose():
    table = uncertainty.tornado(linear, VALUES, REG)
    assert list(table["label"]) == ["Input A", "Input C", "Input B"]
    unlabelled = {**REG, "a": REG["a"].model_copy(update={"label": None})}
    assert uncertainty.tornado(linear, VALUES, unlabelled)["label"].iloc[0] == "a"  # no label: the name


def test_tornado_needs_an_output_name_for_several_outputs():
    with pytest.raises(ValueError, match="name one with output="):
        uncertainty.tornado(lambda v: {"y": linear(v), "z": v["a"]}, VALUES, REG)
    table = uncertainty.tornado(lambda v: {"y": linear(v), "z": v["a"]}, VALUES, REG, output="z")
    assert list(table["parameter"])[0] == "a"
