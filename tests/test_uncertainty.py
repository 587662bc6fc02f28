"""Monte Carlo draws, percentile summaries, the tornado table, correlated draws and Sobol' indices."""

import math

import numpy as np
import pytest
from scipy import stats

from analysis.errors import ModelInputError
from analysis.models import correlation, sensitivity, uncertainty
from analysis.models.correlation import Group
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


# --------------------------------------------------------------------------- draws without groups


@pytest.mark.parametrize("groups", [None, ()])
def test_sample_and_simulate_without_groups_are_the_independent_draws(groups):
    """No groups: exactly `draw`'s values, as before `groups=` existed (the book's numbers do not move)."""
    direct = {name: value if REG[name].distribution == "fixed" else uncertainty.draw(REG[name], value, 2_000)
              for name, value in VALUES.items()}
    drawn = uncertainty.sample(VALUES, REG, n=2_000, groups=groups)
    assert drawn.keys() == direct.keys() and drawn["d"] == 2.0
    for name in "abc":
        np.testing.assert_array_equal(drawn[name], direct[name])
    simulated = uncertainty.simulate(lambda v: {"y": linear(v)}, VALUES, REG, n=2_000, groups=groups)
    np.testing.assert_array_equal(simulated["y"].to_numpy(), linear(direct))


# --------------------------------------------------------------------------- Iman-Conover

# A valid 3 x 3 target (eigenvalues about 0.24, 0.99, 1.77), positive and negative pairs.
TARGET = [[1.0, 0.7, -0.3], [0.7, 1.0, 0.2], [-0.3, 0.2, 1.0]]
TRIO = Group(("a", "b", "c"), TARGET)


def test_iman_conover_keeps_every_marginal_exactly():
    independent = uncertainty.sample(VALUES, REG, n=20_000)
    correlated = correlation.correlate(independent, [TRIO])
    for name in "abc":
        assert not np.array_equal(correlated[name], independent[name])
        np.testing.assert_array_equal(np.sort(correlated[name]), np.sort(independent[name]))


def test_iman_conover_reaches_the_target_rank_correlation():
    # Tolerance 0.02: at n = 20,000 the sampling error of a Spearman rho is about
    # (1 - rho^2) / sqrt(n) <= 0.007, and the 2 sin(pi R / 6) step removes the up-to-0.018
    # bias of taking R as the normal scores' Pearson correlation.
    correlated = correlation.correlate(uncertainty.sample(VALUES, REG, n=20_000), [TRIO])
    achieved = stats.spearmanr(np.column_stack([correlated[name] for name in "abc"])).statistic
    np.testing.assert_allclose(achieved, TARGET, atol=0.02)


def test_parameters_outside_groups_are_untouched():
    reg = {**REG, "e": make("e", "uniform")}
    independent = uncertainty.sample({**VALUES, "e": 2.0}, reg, n=5_000)
    correlated = correlation.correlate(independent, [Group(("a", "b"), 0.5)])
    assert correlated["c"] is independent["c"] and correlated["e"] is independent["e"]
    assert correlated["d"] == 2.0


def test_correlated_draws_are_deterministic_given_the_seed():
    independent = uncertainty.sample(VALUES, REG, n=5_000)
    first = correlation.correlate(independent, [TRIO])
    again = correlation.correlate(independent, [TRIO])
    other = correlation.correlate(independent, [TRIO], seed=1)
    for name in "abc":
        np.testing.assert_array_equal(first[name], again[name])
    assert not np.array_equal(first["a"], other["a"])


def test_sample_and_simulate_take_groups():
    group = Group(("a", "c"), -0.6)
    drawn = uncertainty.sample(VALUES, REG, n=20_000, groups=[group])
    assert stats.spearmanr(drawn["a"], drawn["c"]).statistic == pytest.approx(-0.6, abs=0.02)
    np.testing.assert_array_equal(drawn["b"], uncertainty.draw(REG["b"], 2.0, 20_000))
    simulated = uncertainty.simulate(lambda v: {"a": v["a"], "c": v["c"]}, VALUES, REG, n=20_000, groups=[group])
    np.testing.assert_array_equal(simulated["c"].to_numpy(), drawn["c"])


@pytest.mark.parametrize("members, matrix, message", [
    (("a", "b", "c"), [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], r"must be positive definite .* got smallest eigenvalue -0\.\d+"),
    (("a", "b"), [[1, 1], [1, 1]], "must be positive definite"),
    (("a", "b"), [[1, 0.5], [0.4, 1]], "must be symmetric, got 0.5 at row 0, column 1 but 0.4 at row 1, column 0"),
    (("a", "b", "c"), [[1, 0.5], [0.5, 1]], r"must be a 3 x 3 matrix .* got shape \(2, 2\)"),
    (("a", "b"), [[1, 0.5], [0.5, 0.9]], "must have 1 on its diagonal .* got 0.9 at row 1"),
    (("a", "b"), 1.5, r"must have entries in \[-1, 1\], got 1.5"),
    (("a",), 0.5, "must be two or more parameter names"),
    (("a", "a"), 0.5, "must each appear once, got a twice"),
])
def test_an_invalid_group_is_refused_with_what_is_wrong(members, matrix, message):
    with pytest.raises(ModelInputError, match=message) as error:
        Group(members, matrix)
    assert "group (" in str(error.value)


@pytest.mark.parametrize("groups, message", [
    ([Group(("a", "d"), 0.5)], "member 'd' of group \\(a, d\\) is fixed"),
    ([Group(("a", "zz"), 0.5)], "member 'zz' of group \\(a, zz\\) is not among the parameters given"),
    ([Group(("a", "b"), 0.5), Group(("b", "c"), 0.5)], "parameter 'b' is in two groups"),
    (["a"], "groups must hold Group records"),
])
def test_groups_must_name_uncertain_parameters_once(groups, message):
    with pytest.raises(ModelInputError, match=message):
        uncertainty.sample(VALUES, REG, n=100, groups=groups)
    with pytest.raises(ModelInputError, match=message):
        sensitivity.sobol_indices(linear, VALUES, REG, n=64, groups=groups)


def test_correlate_needs_more_draws_than_members_and_equal_lengths():
    with pytest.raises(ModelInputError, match="needs more draws than members to be correlated, got n = 3 for 3 members"):
        correlation.correlate({"a": np.ones(3), "b": np.ones(3), "c": np.ones(3)}, [TRIO])
    with pytest.raises(ModelInputError, match="must have the same number of draws, got a: 10, b: 20"):
        correlation.correlate({"a": np.ones(10), "b": np.ones(20)}, [Group(("a", "b"), 0.5)])


# --------------------------------------------------------------------------- Sobol' indices


def uniform(name, low, high):
    return make(name, "uniform", default=(low + high) / 2, low=low, high=high)


def ishigami(v, a=7.0, b=0.1):
    return np.sin(v["x1"]) + a * np.sin(v["x2"]) ** 2 + b * v["x3"] ** 4 * np.sin(v["x1"])


def test_sobol_indices_match_the_ishigami_functions_analytical_values():
    """Ishigami & Homma (1990), a = 7, b = 0.1, inputs uniform on [-pi, pi].

    Analytical variances (Sobol' & Levitan 1999; Saltelli et al. 2008, Global Sensitivity
    Analysis: The Primer, section 4.9): V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8,
    V13 = 8 b^2 pi^8 / 225, V = V1 + V2 + V13: S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    Tolerance 0.03 at n = 2**13: the bootstrap standard error of the least precise index
    (ST1) is about 0.014 there, and the QMC design does better (errors below 0.005 here).
    """
    a, b = 7.0, 0.1
    v1, v2, v13 = (1 + b * math.pi**4 / 5) ** 2 / 2, a**2 / 8, 8 * b**2 * math.pi**8 / 225
    v = v1 + v2 + v13
    reg = {name: uniform(name, -math.pi, math.pi) for name in ("x1", "x2", "x3")}
    table = sensitivity.sobol_indices(ishigami, {name: 0.0 for name in reg}, reg, n=2**13).set_index("parameter")
    assert table.loc[["x1", "x2", "x3"], "first_order"].tolist() == pytest.approx([v1 / v, v2 / v, 0.0], abs=0.03)
    assert table.loc[["x1", "x2", "x3"], "total_order"].tolist() == pytest.approx(
        [(v1 + v13) / v, v2 / v, v13 / v], abs=0.03)
    assert [round(x, 4) for x in (v1 / v, v2 / v, (v1 + v13) / v, v13 / v)] == [0.3139, 0.4424, 0.5576, 0.2437]
    assert list(table.index) == ["x1", "x2", "x3"]  # by total order: 0.56, 0.44, 0.24
    assert (table.first_order_low <= table.first_order).all() and (table.first_order <= table.first_order_high).all()
    assert (table.total_order_low <= table.total_order).all() and (table.total_order <= table.total_order_high).all()


def test_sobol_indices_of_a_linear_model_are_each_terms_share_of_the_variance():
    """y = sum c_i x_i, independent inputs: S_i = ST_i = c_i^2 var_i / sum_j c_j^2 var_j (exact).

    Variances of the three distributions as `draw` defines them: triangular (low, mode, high)
    (l^2 + m^2 + h^2 - lm - lh - mh) / 18; uniform (h - l)^2 / 12; lognormal with median m
    and sigma s: (e^(s^2) - 1) m^2 e^(s^2). Tolerance 0.005 at n = 2**12: a linear model is
    the easy case for a Sobol' sequence (errors below 0.0015 here).
    """
    sigma = math.log(4.0) / (2 * uncertainty.Z_95)
    variance = {"a": (1 + 4 + 16 - 2 - 4 - 8) / 18, "b": 9 / 12, "c": (math.exp(sigma**2) - 1) * 4 * math.exp(sigma**2)}
    coefficient = {"a": 3.0, "b": 1.0, "c": -2.0}  # linear() without the fixed d
    total = sum(coefficient[k] ** 2 * variance[k] for k in variance)
    table = sensitivity.sobol_indices(linear, VALUES, REG, n=2**12, confidence_level=None).set_index("parameter")
    expected = [coefficient[k] ** 2 * variance[k] / total for k in "abc"]
    assert table.loc[list("abc"), "first_order"].tolist() == pytest.approx(expected, abs=0.005)
    assert table.loc[list("abc"), "total_order"].tolist() == pytest.approx(expected, abs=0.005)


def test_a_correlated_group_is_one_factor():
    """y = x1 + x2 + x3, uniform on [0, 1], x1 and x2 with rank correlation 0.6.

    For uniforms the Pearson correlation is the Spearman one, so var(x1 + x2) = 2 (1 + 0.6) / 12
    and the group's share is 3.2 / 4.2 (first = total: no interaction). Tolerance 0.01 at n = 2**12.
    """
    reg = {name: uniform(name, 0.0, 1.0) for name in ("x1", "x2", "x3")}
    table = sensitivity.sobol_indices(lambda v: v["x1"] + v["x2"] + v["x3"], {k: 0.5 for k in reg}, reg, n=2**12,
                                      groups=[Group(("x1", "x2"), 0.6)], confidence_level=None)
    assert table["parameter"].tolist() == ["x1 + x2", "x3"]
    assert table["members"].tolist() == [("x1", "x2"), ("x3",)]
    assert table["label"].tolist() == ["Input X1 + Input X2", "Input X3"]
    assert table["first_order"].tolist() == pytest.approx([3.2 / 4.2, 1 / 4.2], abs=0.01)
    assert table["total_order"].tolist() == pytest.approx([3.2 / 4.2, 1 / 4.2], abs=0.01)


def test_fixed_parameters_are_not_factors_and_reach_the_model_as_their_value():
    seen = []

    def model(v):
        seen.append(v["d"])
        return linear(v)

    table = sensitivity.sobol_indices(model, VALUES, REG, n=64, confidence_level=None)
    assert sorted(table["parameter"]) == ["a", "b", "c"] and set(seen) == {2.0}
    assert list(table.columns) == ["parameter", "label", "unit", "members", "first_order", "total_order"]
    assert list(table["total_order"]) == sorted(table["total_order"], reverse=True)
    empty = sensitivity.sobol_indices(model, {"d": 2.0}, REG, n=64)
    assert empty.empty and "total_order_high" in empty.columns


def test_sobol_indices_are_deterministic_given_the_seed():
    first = sensitivity.sobol_indices(linear, VALUES, REG, n=256)
    assert first.equals(sensitivity.sobol_indices(linear, VALUES, REG, n=256))
    assert not first.equals(sensitivity.sobol_indices(linear, VALUES, REG, n=256, seed=1))


@pytest.mark.parametrize("n", [1000, 0, 1, 3, 1024.0, True])
def test_sobol_n_must_be_a_power_of_two(n):
    with pytest.raises(ModelInputError, match=f"n must be a power of two >= 2 .* got {n!r}"):
        sensitivity.sobol_indices(linear, VALUES, REG, n=n)


def test_sobol_needs_an_output_the_model_returns():
    two = lambda v: {"y": linear(v), "z": v["a"]}  # noqa: E731
    with pytest.raises(ModelInputError, match=r"several outputs \['y', 'z'\]; name one with output="):
        sensitivity.sobol_indices(two, VALUES, REG, n=64)
    with pytest.raises(ModelInputError, match="output 'w' is not among the model's outputs: y, z"):
        sensitivity.sobol_indices(two, VALUES, REG, output="w", n=64)
    table = sensitivity.sobol_indices(two, VALUES, REG, output="z", n=64, confidence_level=None)
    assert table["parameter"].iloc[0] == "a" and table["first_order"].iloc[0] == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("arguments, message", [
    ({"confidence_level": 1.0}, "confidence_level must be between 0 and 1"),
    ({"resamples": 0}, "resamples must be a whole number >= 1, got 0"),
])
def test_sobol_refuses_a_bad_bootstrap(arguments, message):
    with pytest.raises(ModelInputError, match=message):
        sensitivity.sobol_indices(linear, VALUES, REG, n=64, **arguments)


def test_sobol_refuses_non_finite_outputs():
    with pytest.raises(ModelInputError, match="must be finite at every design point"):
        sensitivity.sobol_indices(lambda v: np.where(v["a"] > 3.5, np.nan, v["a"]), VALUES, REG, n=64)


@pytest.mark.parametrize("name", ["a", "b", "c"])
def test_the_sobol_design_samples_the_distributions_draw_samples(name):
    """The design's inverse CDFs and `draw` describe the same distribution (quantiles within 1%)."""
    quantiles = [0.05, 0.25, 0.5, 0.75, 0.95]
    drawn = np.quantile(uncertainty.draw(REG[name], 2.0, 200_000), quantiles)
    assert sensitivity.distribution(REG[name], 2.0).ppf(quantiles) == pytest.approx(drawn, rel=0.01)
    with pytest.raises(ModelInputError, match="distribution of d must be uniform, triangular or lognormal"):
        sensitivity.distribution(REG["d"], 2.0)


def test_the_bootstraps_weighted_estimator_is_scipys_on_each_resample():
    """The bootstrap re-estimates with rows weighted by their count in a resample: the same as SciPy on it."""
    rng = np.random.default_rng(0)
    f_a, f_b = rng.normal(size=(2, 512))
    f = np.vstack([f_a, f_b, 0.7 * f_a + 0.3 * rng.normal(size=(4, 512))]) * 5 + 1e4
    rows = rng.integers(0, 512, 512)
    weights = np.vstack([np.full(512, 1 / 512), np.bincount(rows, minlength=512) / 512])
    first, total = sensitivity._weighted_estimate(f, weights)
    for estimate, on in zip(zip(first, total), (f, f[:, rows])):
        np.testing.assert_allclose(estimate, sensitivity._estimate(on), atol=1e-12)


def test_one_uncertain_input_explains_all_the_variance():
    table = sensitivity.sobol_indices(lambda v: v["a"] * v["d"], {"a": 2.0, "d": 2.0}, REG, n=256)
    assert table["parameter"].tolist() == ["a"]
    assert table[["first_order", "total_order"]].iloc[0].tolist() == pytest.approx([1.0, 1.0], abs=0.02)


# ---------------------------------------------------------------- the book's groups (data/correlations.yaml)

def _spearman(x, y):
    return float(stats.spearmanr(x, y).statistic)


@pytest.mark.parametrize("stage", ["emissions", "traffic"])
def test_a_stages_draws_have_the_declared_rank_correlations(stage):
    """The Iman-Conover draws of a chapter stage hit each declared Spearman rho within 0.03 at n = 20,000."""
    from analysis.inputs import registry as params

    P = params.Params({}, params.registry())
    groups = P.groups(stage)
    assert groups
    draws = uncertainty.sample(P.for_stage(stage), P.registry, n=20_000, groups=groups)
    for group in groups:
        for i, a in enumerate(group.members):
            for j, b in enumerate(group.members[:i]):
                assert _spearman(draws[a], draws[b]) == pytest.approx(group.matrix[i, j], abs=0.03), (a, b)


def test_a_stage_without_groups_draws_exactly_as_before():
    from analysis.inputs import registry as params

    P = params.Params({}, params.registry())
    values = P.for_stage("emissions")
    independent = uncertainty.sample(values, P.registry, n=5_000)
    for groups in (None, ()):
        same = uncertainty.sample(values, P.registry, n=5_000, groups=groups)
        for name in values:
            np.testing.assert_array_equal(same[name], independent[name])
    grouped = uncertainty.sample(values, P.registry, n=5_000, groups=P.groups("emissions"))
    members = {m for g in P.groups("emissions") for m in g.members}
    for name in values:
        if name in members:  # the same values, paired differently
            np.testing.assert_array_equal(np.sort(grouped[name]), np.sort(independent[name]))
        else:
            np.testing.assert_array_equal(grouped[name], independent[name])


def test_a_stage_gets_the_groups_restricted_to_the_inputs_it_reads():
    from analysis.inputs import registry as params

    P = params.Params({}, params.registry())
    fleet = {g.label: g for g in P.groups("fleet")}
    siting = next(g for g in P.registry.groups if g.label == "Siting")
    kept = fleet["Siting"]
    assert set(kept.members) < set(siting.members) and set(kept.members) <= set(P.for_stage("fleet"))
    at = [siting.members.index(m) for m in kept.members]
    np.testing.assert_array_equal(kept.matrix, siting.matrix[np.ix_(at, at)])
    assert correlation.restrict(P.registry.groups, ["pue"]) == ()
