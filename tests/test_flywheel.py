"""Tests of analysis/models/flywheel.py: the algebra pinned by hand, the simulation's invariants.

Reference values: hand-computed cases (exact to floating-point precision, rel 1e-12),
and the seed notes' cross-check of the ad-intent flywheel (../shared/seeds/NOTES.md
section 3 item 20: a 20-90 bn RMB burn is 1.8-8.2% of 2024 revenue of USD 155 bn,
claims S4-03 and S0-20; the notes round to one decimal of a percent, so +/-0.05 pp).
"""

from __future__ import annotations

import ast
import inspect
import math

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.errors import DataError, ModelInputError
from analysis.inputs import paths
from analysis.models import chain, flywheel
from analysis.models.units import DAYS_PER_YEAR
from analysis import report

EXACT = 1e-12


# --------------------------------------------------------------------------- fixtures

def _inputs(p):
    """The flywheel stage's typed inputs from any mapping of parameter values."""
    return flywheel.FlywheelInputs.from_params(p)


def _serving(p):
    """The app's first-year serving cost, RMB bn, from the token economics of the same values."""
    return chain.evaluate(p, "traffic").traffic.app_annual_serving_cost_rmb_bn


def _headline(p):
    """The flywheel headline through the chain (fleet -> traffic -> flywheel)."""
    return chain.evaluate(p, "flywheel").flywheel


def _simulate(p, years=None):
    return flywheel.simulate_flywheel(_inputs(p), _serving(p), years)


def _grid(p, *args, **kwargs):
    return flywheel.breakeven_grid(_inputs(p), _serving(p), *args, **kwargs)

# --------------------------------------------------------------------------- the algebra, by hand

def test_incremental_ad_revenue_by_hand():
    # 100 of ad revenue, half of it affected, +10% yield: 100 x 0.5 x 0.1 = 5.
    assert flywheel.incremental_ad_revenue(100, 0.5, 0.1) == pytest.approx(5, rel=EXACT)


def test_breakeven_yield_uplift_by_hand():
    # A cost of 10 on the same 100 x 0.5 needs +20%: 10 / (100 x 0.5) = 0.2.
    assert flywheel.breakeven_yield_uplift(10, 100, 0.5) == pytest.approx(0.2, rel=EXACT)


@pytest.mark.parametrize("cost, revenue, share", [(10, 100, 0.5), (43, 743.75, 0.1), (0, 5, 1.0), (7, 3, 0.25)])
def test_breakeven_uplift_makes_extra_revenue_equal_cost(cost, revenue, share):
    uplift = flywheel.breakeven_yield_uplift(cost, revenue, share)
    assert flywheel.incremental_ad_revenue(revenue, share, uplift) == pytest.approx(cost, rel=EXACT, abs=EXACT)


@pytest.mark.parametrize("burn_rmb_bn, expected", [(20, 0.018), (90, 0.082)])
def test_burn_as_share_of_revenue_notes_s3_item20(burn_rmb_bn, expected):
    # NOTES s3 item 20: 20-90 bn RMB is 1.8-8.2% of USD 155 bn (S0-20) at 7.05 RMB/USD (S3-08);
    # the uplift needed if all revenue were lifted. One decimal of a percent: +/-0.0005.
    revenue_rmb_bn = flywheel.domestic_ad_revenue_rmb_bn(155, 7.05, 1.0, 1.0)
    assert flywheel.breakeven_yield_uplift(burn_rmb_bn, revenue_rmb_bn, 1.0) == pytest.approx(expected, abs=0.0005)


def test_domestic_ad_revenue_by_hand():
    # 155 x 7.05 x 0.75 x 0.75 x 1.1^2 = 743.753... RMB bn
    expected = 155 * 7.05 * 0.75 * 0.75 * 1.1 ** 2
    assert flywheel.domestic_ad_revenue_rmb_bn(155, 7.05, 0.75, 0.75, 0.1, 2) == pytest.approx(expected, rel=EXACT)


def test_queries_and_intent_signals_by_hand():
    # 200 M users x 5 a day x 365 = 365 bn queries a year; 15% of them commercial: 54.75 bn.
    assert flywheel.queries_bn_per_year(200, 5) == pytest.approx(200e6 * 5 * DAYS_PER_YEAR / 1e9, rel=EXACT)
    assert flywheel.intent_signals_bn_per_year(200, 5, 0.15) == pytest.approx(54.75, rel=EXACT)


def test_live_intent_fraction_poisson():
    # One expected live intent per impression: 1 - e^-1.
    assert flywheel.live_intent_fraction(2, 0.5, 10, 0.1) == pytest.approx(1 - math.exp(-1), rel=EXACT)
    assert flywheel.live_intent_fraction(0, 0.5, 10, 0.1) == 0
    assert flywheel.live_intent_fraction(1e6, 1, 30, 1) == pytest.approx(1, rel=EXACT)


def test_matched_ad_share_by_hand():
    # 200 of 1,000 users, 80% with a live intent: direct 0.16; spillover 5% on the other 0.84;
    # half of ad revenue matchable: 0.5 x (0.16 + 0.84 x 0.05) = 0.101.
    assert flywheel.matched_ad_share(200, 1000, 0.8, 0.5, 0.05) == pytest.approx(0.101, rel=EXACT)
    # Everyone a user with a live intent, or full spillover: the matchable share itself.
    assert flywheel.matched_ad_share(1000, 1000, 1.0, 0.5, 0.0) == pytest.approx(0.5, rel=EXACT)
    assert flywheel.matched_ad_share(10, 1000, 0.3, 0.5, 1.0) == pytest.approx(0.5, rel=EXACT)
    assert flywheel.matched_ad_share(0, 1000, 0.8, 0.5, 0.0) == 0


def test_app_cost_scales_with_users_and_the_80_percent_cut():
    # Twice the users, at a fifth of the cost per token (S1-05/S1-06's 80% cut), plus 3 fixed.
    assert flywheel.app_cost_rmb_bn(40, 400, 200, 0.2, 1.0, 3) == pytest.approx(40 * 2 * 0.2 + 3, rel=EXACT)


def test_next_year_users_logistic():
    assert flywheel.next_year_users_m(100, 1000, 0.2) == pytest.approx(100 * (1 + 0.2 * 0.9), rel=EXACT)
    assert flywheel.next_year_users_m(1000, 1000, 0.5, 0.1, 1.0) == pytest.approx(1000, rel=EXACT)  # at ceiling
    assert flywheel.next_year_users_m(100, 1000, -1.0) >= 0  # the worst decline ends at zero, not below
    # Funding adds growth pro rata, capped once the app is fully paid for.
    half = flywheel.next_year_users_m(100, 1000, 0.2, 0.1, 0.5)
    full = flywheel.next_year_users_m(100, 1000, 0.2, 0.1, 1.0)
    assert half == pytest.approx(100 * (1 + 0.25 * 0.9), rel=EXACT)
    assert flywheel.next_year_users_m(100, 1000, 0.2, 0.1, 5.0) == pytest.approx(full, rel=EXACT)


def test_zero_inputs_give_zero():
    assert flywheel.incremental_ad_revenue(0, 0.5, 0.1) == 0
    assert flywheel.incremental_ad_revenue(100, 0, 0.1) == 0
    assert flywheel.incremental_ad_revenue(100, 0.5, 0) == 0
    assert flywheel.breakeven_yield_uplift(0, 100, 0.5) == 0
    assert flywheel.queries_bn_per_year(0, 5) == 0


# --------------------------------------------------------------------------- vectorization

def test_arrays_keep_their_shape():
    revenue = np.full((2, 3), 100.0)
    share = np.array([0.1, 0.5, 1.0])
    assert flywheel.incremental_ad_revenue(revenue, share, 0.1).shape == (2, 3)
    out = flywheel.breakeven_yield_uplift(10.0, revenue, share)
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out[0], [1.0, 0.2, 0.1], rtol=EXACT)
    assert flywheel.live_intent_fraction(np.ones(4), 0.5, 2, 1).shape == (4,)
    assert flywheel.matched_ad_share(np.array([100.0, 200.0]), 1000, 0.5, 0.5).shape == (2,)


def test_pandas_series_keeps_its_index():
    revenue = pd.Series([100.0, 200.0], index=["2026", "2027"])
    out = flywheel.incremental_ad_revenue(revenue, 0.5, 0.1)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["2026", "2027"]
    assert out["2027"] == pytest.approx(10, rel=EXACT)


# --------------------------------------------------------------------------- invalid input

@pytest.mark.parametrize(
    "func, args, match",
    [
        (flywheel.incremental_ad_revenue, (-100, 0.5, 0.1), r"ad_revenue must be a finite number >= 0, got -100"),
        (flywheel.incremental_ad_revenue, (100, 1.5, 0.1), r"affected_share must be a fraction in \[0, 1\].*1.5"),
        (flywheel.incremental_ad_revenue, (100, -0.1, 0.1), r"affected_share must be a fraction"),
        (flywheel.incremental_ad_revenue, (100, 0.5, -1.0), r"yield_uplift must be a relative change > -1"),
        (flywheel.incremental_ad_revenue, (np.array([100, np.nan]), 0.5, 0.1), r"ad_revenue must be .* got nan"),
        (flywheel.breakeven_yield_uplift, (10, 100, 0), r"affected_share must be a fraction in \(0, 1\]"),
        (flywheel.breakeven_yield_uplift, (10, 0, 0.5), r"ad_revenue must be a finite number > 0"),
        (flywheel.breakeven_yield_uplift, (-1, 100, 0.5), r"app_cost must be a finite number >= 0"),
        (flywheel.breakeven_yield_uplift, (10, -100, 0.5), r"ad_revenue must be a finite number > 0, got -100"),
        (flywheel.domestic_ad_revenue_rmb_bn, (-155, 7.05, 0.75, 0.75), r"revenue_usd_bn must be"),
        (flywheel.domestic_ad_revenue_rmb_bn, (155, 7.05, 1.2, 0.75), r"ad_share_of_revenue must be a fraction"),
        (flywheel.domestic_ad_revenue_rmb_bn, (155, 7.05, 0.75, 0.75, -1.5, 1), r"ad_revenue_growth_per_year"),
        (flywheel.intent_signals_bn_per_year, (200, 5, 2.0), r"commercial_intent_share must be a fraction"),
        (flywheel.matched_ad_share, (1200, 1000, 0.5, 0.5), r"users_m / ad_audience_mau_m must be <= 1"),
        (flywheel.next_year_users_m, (100, 1000, 1.5), r"user_growth_per_year must be a yearly rate in \[-1, 1\]"),
        (flywheel.app_cost_rmb_bn, (40, 200, 0), r"reference_users_m must be a finite number > 0"),
    ],
)
def test_invalid_input_raises_value_error(func, args, match):
    with pytest.raises(ValueError, match=match):
        func(*args)


# --------------------------------------------------------------------------- the parameters

def test_flywheel_parameters_are_in_the_registry(registry):
    assert set(flywheel.FlywheelInputs.names()) <= set(registry)
    assert set(chain.parameters(["flywheel"])) <= set(registry)
    assert registry["flywheel_years"].type == "int" and registry["flywheel_years"].distribution == "fixed"
    assert registry["flywheel_start_year"].type == "int"


def test_app_cost_default_lies_in_the_seed_burn_range(registry, dataset):
    # S4-03: '每年烧几百亿', read as 20-90 bn RMB a year; the parameter's range is that reading.
    low, high = report.flywheel.seed_burn_range_rmb_bn(dataset)
    p = registry["app_burn_rmb_bn"]
    assert (p.low, p.high) == (low, high)
    assert low <= p.default <= high
    assert "S4-03" in p.basis.claims


def test_app_cost_is_modelled_and_compared_with_the_seed_burn(defaults):
    h = _headline(defaults)
    serving = chain.evaluate(defaults, "traffic").traffic["app_annual_serving_cost_rmb_bn"]
    assert h["app_serving_cost_rmb_bn"] == pytest.approx(serving, rel=1e-12)
    assert h["app_fixed_costs_rmb_bn"] == pytest.approx(
        defaults["app_other_costs_rmb_bn"] + defaults["intent_products_annual_cost_rmb_bn"], rel=EXACT)
    assert h["app_cost_rmb_bn"] == pytest.approx(h["app_serving_cost_rmb_bn"] + h["app_fixed_costs_rmb_bn"],
                                                 rel=1e-12)
    assert h["seed_burn_rmb_bn"] == defaults["app_burn_rmb_bn"]
    assert h["modelled_cost_share_of_seed_burn"] == pytest.approx(
        h["app_cost_rmb_bn"] / defaults["app_burn_rmb_bn"], rel=EXACT)
    # The seed's figure does not enter the cost: changing it changes only the comparison.
    other = _headline({**defaults, "app_burn_rmb_bn": 2 * defaults["app_burn_rmb_bn"]})
    assert other["app_cost_rmb_bn"] == h["app_cost_rmb_bn"]
    assert other["breakeven_yield_uplift"] == h["breakeven_yield_uplift"]
    # Shorter queries (fewer tokens each) lower the cost and the break-even.
    cheaper = _headline({**defaults, "tokens_per_query": defaults["tokens_per_query"] / 2})
    assert cheaper["app_cost_rmb_bn"] < h["app_cost_rmb_bn"]
    assert cheaper["breakeven_yield_uplift"] < h["breakeven_yield_uplift"]


def test_token_economics_parameters_are_declared():
    # The flywheel stage reads the traffic (and so the fleet): their parameters are the flywheel's too.
    assert set(chain.parameters(["traffic"])) <= set(chain.parameters(["flywheel"]))
    assert set(flywheel.FlywheelInputs.names()) <= set(chain.parameters(["flywheel"]))
    assert "app_other_costs_rmb_bn" in flywheel.FlywheelInputs.names()
    assert len(set(chain.parameters(["flywheel"]))) == len(chain.parameters(["flywheel"]))


def test_fixed_app_costs_reject_negative(defaults):
    with pytest.raises(ValueError, match="app_other_costs_rmb_bn must be a finite number >= 0"):
        _headline({**defaults, "app_other_costs_rmb_bn": -1.0})
    with pytest.raises(ModelInputError, match="intent_products_annual_cost_rmb_bn must be a finite number >= 0"):
        flywheel.fixed_app_costs_rmb_bn(_inputs({**defaults, "intent_products_annual_cost_rmb_bn": -1.0}))


def test_capex_parameters_are_read_not_redefined():
    raw = yaml.safe_load((paths.data_dir() / "parameters" / "flywheel.yaml").read_text(encoding="utf-8"))
    names = {r["name"] for r in raw}
    assert not names & {"revenue_2024_usd_bn", "rmb_per_usd"}
    assert {"revenue_2024_usd_bn", "rmb_per_usd"} <= set(flywheel.FlywheelInputs.names())


# --------------------------------------------------------------------------- the simulation

def test_simulation_has_one_row_per_year(defaults):
    for years in (1, 3, 7):
        sim = _simulate(defaults, years)
        assert len(sim) == years
        assert list(sim.columns) == list(flywheel.SIMULATION_COLUMNS)
        start = defaults["flywheel_start_year"]
        assert list(sim["year"]) == list(range(start, start + years))
    assert len(_simulate(defaults)) == defaults["flywheel_years"]


def test_simulation_first_year_by_hand(defaults):
    d = defaults
    first = _simulate(d, 1).iloc[0]
    assert first["doubao_mau_m"] == d["doubao_mau_m"]
    # The app's cost is modelled (token economics + fixed costs), not the seed's burn (S4-03).
    serving = chain.evaluate({n: d[n] for n in chain.parameters(["traffic"])},
                             "traffic").traffic["app_annual_serving_cost_rmb_bn"]
    assert first["app_cost_rmb_bn"] == pytest.approx(
        serving + d["app_other_costs_rmb_bn"] + d["intent_products_annual_cost_rmb_bn"], rel=EXACT)
    ad = flywheel.domestic_ad_revenue_rmb_bn(
        d["revenue_2024_usd_bn"], d["rmb_per_usd"], d["ad_share_of_revenue"], d["domestic_share_of_revenue"],
        d["ad_revenue_growth_per_year"], d["flywheel_start_year"] - flywheel.REVENUE_BASE_YEAR)
    assert first["ad_revenue_rmb_bn"] == pytest.approx(ad, rel=EXACT)
    assert first["extra_ad_revenue_rmb_bn"] == pytest.approx(
        ad * first["matched_ad_share"] * d["yield_uplift"], rel=EXACT)
    assert first["net_rmb_bn"] == pytest.approx(first["extra_ad_revenue_rmb_bn"] - first["app_cost_rmb_bn"],
                                                rel=EXACT)


def test_simulation_invariants(defaults):
    sim = _simulate(defaults, 10)
    assert (sim["doubao_mau_m"] >= 0).all()
    assert (sim["doubao_mau_m"] <= defaults["ad_audience_mau_m"]).all()
    np.testing.assert_allclose(sim["cumulative_net_rmb_bn"], sim["net_rmb_bn"].cumsum(), rtol=EXACT)
    np.testing.assert_allclose(sim["net_rmb_bn"], sim["extra_ad_revenue_rmb_bn"] - sim["app_cost_rmb_bn"],
                               rtol=EXACT)
    np.testing.assert_allclose(sim["intent_signals_bn"], sim["queries_bn"] * defaults["commercial_intent_share"],
                               rtol=EXACT)
    assert ((sim["matched_ad_share"] >= 0) & (sim["matched_ad_share"] <= defaults["affected_ad_share"])).all()


def test_zero_uplift_never_breaks_even(defaults):
    sim = _simulate({**defaults, "yield_uplift": 0.0}, 8)
    assert (sim["extra_ad_revenue_rmb_bn"] == 0).all()
    assert (sim["net_rmb_bn"] < 0).all()
    assert (np.diff(sim["cumulative_net_rmb_bn"]) < 0).all()  # strictly decreasing while cost > 0


def test_uplift_above_breakeven_pays_every_year(defaults):
    # With no cost growth and no user growth, the first-year break-even holds every year
    # only if ad revenue does not shrink; twice it makes every year's net positive.
    p = {**defaults, "tokens_per_user_growth_per_year": 0.0, "user_growth_per_year": 0.0,
         "user_growth_from_funding": 0.0, "cost_per_token_decline_per_year": 0.0,
         "ad_revenue_growth_per_year": 0.0}
    needed = _headline(p)["breakeven_yield_uplift"]
    sim = _simulate({**p, "yield_uplift": 2 * needed}, 5)
    assert (sim["net_rmb_bn"] > 0).all()
    np.testing.assert_allclose(sim["extra_ad_revenue_rmb_bn"], 2 * sim["app_cost_rmb_bn"], rtol=1e-9)


def test_funding_feedback_only_adds_users(defaults):
    without = _simulate({**defaults, "user_growth_from_funding": 0.0}, 6)
    with_loop = _simulate({**defaults, "user_growth_from_funding": 0.15}, 6)
    assert (with_loop["doubao_mau_m"].to_numpy() >= without["doubao_mau_m"].to_numpy()).all()


def test_simulation_rejects_bad_input(defaults):
    serving = _serving(defaults)
    with pytest.raises(ValueError, match="years must be one whole number >= 1"):
        flywheel.simulate_flywheel(_inputs(defaults), serving, 0)
    with pytest.raises(ValueError, match="takes one float per parameter"):
        flywheel.simulate_flywheel(_inputs({**defaults, "yield_uplift": np.array([0.1, 0.2])}), serving, 3)
    with pytest.raises(ValueError, match="takes one float per parameter.*'app_serving_cost_rmb_bn'"):
        flywheel.simulate_flywheel(_inputs(defaults), np.array([serving, serving]), 3)
    missing = {k: v for k, v in defaults.items() if k != "doubao_mau_m"}
    with pytest.raises(ModelInputError, match=r"FlywheelInputs needs parameter\(s\) doubao_mau_m, missing"):
        _inputs(missing)
    with pytest.raises(ModelInputError, match=r"needs parameter\(s\) doubao_mau_m, missing"):
        _simulate(missing, 3)
    # The flywheel's own checks, on the serving cost at the defaults (a negative revenue would
    # first fail in the fleet stage, which also reads revenue_2024_usd_bn).
    for name, value, match in (
        ("ad_share_of_revenue", 1.3, "ad_share_of_revenue must be a fraction"),
        ("revenue_2024_usd_bn", -1.0, "revenue(_2024)?_usd_bn must be a finite number >= 0"),
        ("doubao_mau_m", 2_000.0, "users_m / ad_audience_mau_m must be <= 1"),
    ):
        with pytest.raises(ValueError, match=match):
            flywheel.simulate_flywheel(_inputs({**defaults, name: value}), serving, 3)


# --------------------------------------------------------------------------- headline

def test_headline_with_defaults_is_consistent_with_the_simulation(defaults):
    h = _headline(defaults)
    sim = _simulate(defaults)
    first, last = sim.iloc[0], sim.iloc[-1]
    assert h["breakeven_yield_uplift"] == pytest.approx(flywheel.breakeven_yield_uplift(
        first["app_cost_rmb_bn"], first["ad_revenue_rmb_bn"], first["matched_ad_share"]), rel=EXACT)
    assert h["extra_ad_revenue_rmb_bn"] == pytest.approx(first["extra_ad_revenue_rmb_bn"], rel=EXACT)
    assert h["cumulative_net_rmb_bn"] == pytest.approx(last["cumulative_net_rmb_bn"], rel=EXACT)
    assert h["final_doubao_mau_m"] == pytest.approx(last["doubao_mau_m"], rel=EXACT)
    assert h["years_net_positive"] == (sim["net_rmb_bn"] >= 0).sum()
    # Extra revenue / cost = assumed uplift / break-even uplift.
    assert h["extra_ad_revenue_rmb_bn"] / h["app_cost_rmb_bn"] == pytest.approx(
        defaults["yield_uplift"] / h["breakeven_yield_uplift"], rel=1e-9)
    assert h["app_cost_share_of_ad_revenue"] == pytest.approx(h["breakeven_uplift_on_all_ad_revenue"], rel=EXACT)
    assert h["app_cost_usd_bn"] == pytest.approx(h["app_cost_rmb_bn"] / defaults["rmb_per_usd"], rel=EXACT)
    assert h["breakeven_yield_uplift"] >= h["breakeven_uplift_on_all_ad_revenue"]
    for name, value in h.items():
        assert np.ndim(value) == 0 and np.isfinite(value), name


def test_headline_is_vectorized(registry, defaults):
    # Monte Carlo style: every uncertain flywheel input an array of draws within its range.
    rng = np.random.default_rng(2026)
    n = 7
    arrays = {
        name: (rng.uniform(registry[name].low, registry[name].high, n)
               if registry[name].distribution != "fixed" else defaults[name])
        for name in chain.parameters(["flywheel"])
    }
    h = _headline(arrays)
    for name, value in h.items():
        assert np.shape(value) == (n,), name
    for i in (0, n - 1):
        scalar = _headline({k: (v[i] if np.ndim(v) else v) for k, v in arrays.items()})
        for name in h:
            assert h[name][i] == pytest.approx(scalar[name], rel=1e-12), name


def test_headline_runs_with_the_monte_carlo_helpers(registry, defaults):
    from analysis.models import uncertainty

    values = {n: defaults[n] for n in chain.parameters(["flywheel"])}
    draws = uncertainty.simulate(chain.model("flywheel"), values, registry, n=2_000)
    assert len(draws) == 2_000 and "breakeven_yield_uplift" in draws
    assert (draws["breakeven_yield_uplift"] > 0).all()
    table = uncertainty.tornado(chain.model("flywheel"), values, registry, output="breakeven_yield_uplift")
    assert set(table["parameter"]) <= set(values)


def test_headline_years_must_be_one_number(defaults):
    with pytest.raises(ValueError, match="flywheel_years must be one whole number|years must be one whole number"):
        _headline({**defaults, "flywheel_years": np.array([3, 4])})


# --------------------------------------------------------------------------- the chart grid

def test_breakeven_grid_is_tidy_and_falls_with_cost(defaults):
    users = np.array([100.0, 200.0, 350.0])
    factors = [1.0, 0.5, 0.2]  # today's cost per token, half, and S1-05's 80% cut
    grid = _grid(defaults, users, factors)
    assert len(grid) == 9
    assert list(grid.columns) == ["doubao_mau_m", "cost_per_token_factor", "commercial_intent_share",
                                  "app_cost_rmb_bn", "matched_ad_share", "breakeven_yield_uplift"]
    for _, block in grid.groupby("doubao_mau_m"):
        ordered = block.sort_values("cost_per_token_factor")
        assert np.all(np.diff(ordered["breakeven_yield_uplift"]) > 0)
    # At the default users and full cost, the grid reproduces the headline.
    row = grid[(grid["doubao_mau_m"] == 200.0) & (grid["cost_per_token_factor"] == 1.0)].iloc[0]
    assert row["breakeven_yield_uplift"] == pytest.approx(_headline(defaults)["breakeven_yield_uplift"],
                                                          rel=EXACT)


def test_breakeven_grid_over_intent_shares(defaults):
    grid = _grid(defaults, [200.0], [1.0], commercial_intent_shares=[0.05, 0.15, 0.4])
    assert len(grid) == 3
    assert np.all(np.diff(grid.sort_values("commercial_intent_share")["breakeven_yield_uplift"]) < 0)


# --------------------------------------------------------------------------- what the seed asserts

def test_seed_assertions_are_claims_not_inputs(dataset):
    table = report.flywheel.seed_assertions(dataset)
    assert list(table["id"]) == list(report.flywheel.SEED_ASSERTION_IDS)
    assert "S4-04" in set(table["id"])  # 6 months elsewhere, 2 weeks at ByteDance
    assert not table["used_as_input"].any()
    row = table.set_index("id").loc["S4-04"]
    assert row["quote"] == dataset.claims["S4-04"].quote
    # None of them is the basis of a flywheel parameter (other chapters may cite them as context).
    raw = yaml.safe_load((paths.data_dir() / "parameters" / "flywheel.yaml").read_text(encoding="utf-8"))
    cited = {c for r in raw for c in r["basis"].get("claims", [])}
    assert not cited & set(report.flywheel.SEED_ASSERTION_IDS)


def test_seed_assertions_unknown_id(dataset):
    with pytest.raises(DataError, match="unknown claim id\\(s\\) S9-99"):
        report.flywheel.seed_assertions(dataset, ["S4-04", "S9-99"])


# --------------------------------------------------------------------------- house style

def test_no_sourced_literals_in_flywheel_module():
    # Numbers in code are only 0, 1 and the base year of revenue_2024_usd_bn; sourced
    # values live in data/parameters/.
    allowed = {0, 1, 0.5, flywheel.REVENUE_BASE_YEAR}  # 0.5: the chart's "half of today" case, a definition
    tree = ast.parse(inspect.getsource(flywheel))
    literals = {
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    }
    assert literals <= allowed, literals - allowed


@pytest.mark.parametrize("end", ["low", "high"])
def test_breakeven_chart_keeps_every_cost_case_at_both_ends_of_the_cut_range(end, registry, defaults):
    """At the cut's low end (0.5) 'half of today' and 'a second cut' share the factor 0.5: both lines stay."""
    cut = getattr(registry["gpu_cost_cut_share"], end)
    p = {**defaults, "gpu_cost_cut_share": cut}
    results = chain.evaluate(p, "flywheel")
    cases = flywheel.cost_per_token_cases(cut)
    grid = flywheel.breakeven_grid(flywheel.FlywheelInputs.from_params(p),
                                   results.traffic.app_annual_serving_cost_rmb_bn, [100.0, 500.0], cases)
    assert list(grid["cost_per_token_case"].unique()) == list(cases)
    assert grid.groupby("cost_per_token_case").size().to_dict() == {case: 2 for case in cases}
    by_case = grid.set_index(["cost_per_token_case", "doubao_mau_m"])["cost_per_token_factor"]
    assert by_case[("a second cut", 100.0)] == pytest.approx(1 - cut)
    assert by_case[("before the claimed cut", 100.0)] == pytest.approx(1 / (1 - cut))
