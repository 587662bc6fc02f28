"""The cross-check chapter's functions: verdicts, model quantities, claim ranges, the table."""

import math
import shutil
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.errors import DataError, ModelInputError
from analysis.models import audit, capex, chain, uncertainty
from analysis import report
from analysis.inputs import paths
from analysis.report import formatting, reference

INF = math.inf


# --------------------------------------------------------------------------- verdict

@pytest.mark.parametrize("model, claim, expected", [
    ((10, 20), (12, 18), "consistent"),       # claim inside the model range
    ((10, 20), (15, 30), "consistent"),       # half the narrower range shared
    ((10, 20), (17.5, 30), "consistent"),     # exactly a quarter shared: not below the threshold
    ((10, 20), (19, 30), "tension"),          # a tenth of the narrower range shared
    ((10, 20), (20, 30), "tension"),          # touching ends share one value
    ((10, 20), (21, 30), "contradiction"),    # no value in common
    ((10, 20), (0, 9.999), "contradiction"),  # below as well as above
    ((10, 20), (15, 15), "consistent"),       # a single value inside
    ((10, 20), (20, 20), "consistent"),       # a single value on the edge still lies in the range
    ((10, 20), (25, 25), "contradiction"),    # a single value outside
    ((5, 5), (5, 5), "consistent"),           # two equal single values
    ((10, 20), (15, INF), "consistent"),      # an open claim ("more than 15")
    ((10, 20), (19, INF), "tension"),
    ((10, 20), (21, INF), "contradiction"),
    ((10, INF), (20, INF), "consistent"),     # both open the same way share an infinite stretch
    ((-INF, 10), (5, INF), "tension"),        # opposite open ends share a finite stretch only
])
def test_verdict_cases_and_boundaries(model, claim, expected):
    assert audit.verdict(*model, *claim) == expected
    assert audit.verdict(*claim, *model) == expected  # symmetric in its two ranges


def test_verdict_threshold_is_a_parameter():
    assert audit.verdict(10, 20, 19, 30, tension_share=0.05) == "consistent"
    with pytest.raises(ValueError, match="tension_share"):
        audit.verdict(10, 20, 19, 30, tension_share=0)


def test_verdict_on_arrays():
    out = audit.verdict(np.array([10, 10, 10]), 20, np.array([12, 19, 21]), 30)
    assert list(out) == ["consistent", "tension", "contradiction"]


def test_overlap_share_values():
    assert audit.overlap_share(10, 20, 15, 30) == pytest.approx(0.5)
    assert audit.overlap_share(10, 20, 21, 30) == -1.0
    assert audit.overlap_share(0, 100, 40, 50) == pytest.approx(1.0)


@pytest.mark.parametrize("args, match", [
    ((20, 10, 0, 1), "model_low must not exceed model_high, got 20 > 10"),
    ((0, 1, 5, 4), "claim_low must not exceed claim_high"),
    ((math.nan, 1, 0, 1), "must be a number"),
])
def test_verdict_rejects_bad_ranges(args, match):
    with pytest.raises(ValueError, match=match):
        audit.verdict(*args)


# --------------------------------------------------------------------------- model functions

def test_serveable_tokens_by_hand():
    # 50 T a day needing half the fleet: the fleet serves 100 T a day.
    assert audit.serveable_tokens_trillion_per_day(50, 0.5) == pytest.approx(100)
    with pytest.raises(ValueError, match="share_of_fleet_needed must be a finite number > 0, got 0"):
        audit.serveable_tokens_trillion_per_day(50, 0)


DATONG_NOTES_S3_ITEM16 = {"datong_server_racks": 12_000, "rack_power_kw": 12, "fleet_utilization": 0.7, "pue": 1.25}


def test_site_draw_datong_notes_s3_item16(defaults):
    # >12,000 racks x 12 kW = 144 MW of IT (S0-28); at 70% load and PUE 1.25: 126,000 kWh an hour.
    q = chain.evaluate({**defaults, **DATONG_NOTES_S3_ITEM16}, "audit").audit
    assert q.datong_draw_kwh_per_hour == pytest.approx(126_000)
    # The same hour through the one facility-energy definition (GWh in one hour -> kWh).
    it_mw = capex.rack_it_power_mw(12_000, 12)
    assert it_mw == pytest.approx(144)
    assert capex.facility_energy_gwh(it_mw, 1.25, 0.7, hours=1.0) * 1e6 == pytest.approx(126_000)
    with pytest.raises(ModelInputError, match=r"pue must be >= 1 .*got 0.9"):
        chain.evaluate({**defaults, **DATONG_NOTES_S3_ITEM16, "pue": 0.9}, "audit")
    with pytest.raises(ModelInputError, match=r"pue must be >= 1 .*got 0.9"):
        capex.facility_energy_gwh(it_mw, 0.9, 0.7, hours=1.0)


def test_cut_share_by_hand():
    assert audit.cut_share_by(0.2, -0.024, 4) == pytest.approx(1 - 0.8 * 0.976 ** 4)
    assert audit.cut_share_by(1.0, 0.0, 4) == pytest.approx(1.0)  # all green: everything cut
    assert audit.cut_share_by(0.0, 0.0, 4) == pytest.approx(0.0)  # nothing changes: nothing cut
    assert audit.cut_share_by(0.0, 0.05, 4) < 0  # a dirtier grid and no green power: emissions rise
    np.testing.assert_allclose(audit.cut_share_by(np.array([0.0, 0.5]), 0.0, 4), [0.0, 0.5])
    with pytest.raises(ValueError, match="green_power_share must be a fraction in"):
        audit.cut_share_by(1.2, 0.0, 4)


def test_green_share_for_cut_by_hand():
    # A 90% cut (S0-30) on a grid 2.4% cleaner a year for four years: 1 - 0.1 / 0.976**4 = 89.0% green.
    assert audit.green_share_for_cut(0.9, -0.024, 4) == pytest.approx(1 - 0.1 / 0.976 ** 4, rel=1e-12)
    assert audit.green_share_for_cut(1.0, -0.024, 4) == pytest.approx(1.0)  # everything cut: all green
    assert audit.green_share_for_cut(0.5, 0.0, 4) == pytest.approx(0.5)  # a flat grid: the cut is the share
    # Exactly what the grid alone cuts needs no green power (and rounding does not make it negative).
    assert audit.green_share_for_cut(1 - 0.976 ** 4, -0.024, 4) == pytest.approx(0.0, abs=1e-15)
    assert audit.green_share_for_cut(1 - 0.976 ** 4, -0.024, 4) >= 0


@pytest.mark.parametrize("rate", [-0.061, -0.024, -0.01, 0.0, 0.015, 0.05])
@pytest.mark.parametrize("years", [0, 1, 2.5, 4, 10])
def test_green_share_for_cut_inverts_cut_share_by(rate, years):
    # Every cut the grid's trend leaves to green power, from the grid's own cut up to 100%.
    grid_cut = 1 - (1 + rate) ** years
    cuts = np.linspace(max(0.0, grid_cut), 1.0, 41)
    green = audit.green_share_for_cut(cuts, rate, years)
    assert np.all((green >= 0) & (green <= 1))
    np.testing.assert_allclose(audit.cut_share_by(green, rate, years), cuts, rtol=0, atol=1e-12)
    # ... and the other way round (on a dirtier grid, for the shares whose cut is not negative), one
    # value at a time too.
    shares = np.linspace(0.0, 1.0, 21)
    shares = shares[audit.cut_share_by(shares, rate, years) >= 0]
    np.testing.assert_allclose(audit.green_share_for_cut(audit.cut_share_by(shares, rate, years), rate, years),
                               shares, rtol=0, atol=1e-12)
    assert audit.cut_share_by(audit.green_share_for_cut(cuts[5], rate, years), rate, years) == pytest.approx(
        cuts[5], abs=1e-12)


def test_green_share_for_cut_broadcasts():
    rates = np.array([-0.061, -0.024, 0.0])
    green = audit.green_share_for_cut(0.9, rates, 4)
    assert green.shape == (3,)
    np.testing.assert_allclose(green, 1 - 0.1 / (1 + rates) ** 4)
    assert np.all(np.diff(green) > 0)  # a slower-cleaning grid needs more green power


def test_green_share_for_cut_matches_the_chapters_old_interpolation(registry, defaults):
    # The chapter read the share off a 21-point curve of cut_share_by with np.interp; the closed form is
    # the exact point that interpolation approximated (to well under a percentage point).
    rate = registry["grid_factor_change_per_year"].low
    years = defaults["neutrality_target_year"] - defaults["fleet_base_year"]
    grid = np.linspace(0, 1, 21)
    interpolated = np.interp(0.9, audit.cut_share_by(grid, rate, years), grid)
    assert audit.green_share_for_cut(0.9, rate, years) == pytest.approx(interpolated, abs=1e-6)


@pytest.mark.parametrize("args, match", [
    ((1.2, -0.024, 4), r"cut_share must be a fraction in \[0, 1\], got 1.2"),
    ((-0.1, -0.024, 4), r"cut_share must be a fraction in \[0, 1\], got -0.1"),
    ((math.nan, -0.024, 4), r"cut_share must be a fraction in \[0, 1\], got nan"),
    ((0.9, -1.0, 4), r"grid_factor_change_per_year must be a finite number > -1"),
    ((0.9, math.inf, 4), r"grid_factor_change_per_year must be"),
    ((0.9, -0.024, -1), r"years must be a finite number >= 0, got -1"),
    ((np.array([0.9, 0.05]), -0.024, 4), r"cut_share must be at least what the grid's trend cuts alone, .* "
                                          r"= 0.0925\d+, got 0.05 \(no green power is needed\)"),
])
def test_green_share_for_cut_names_the_bad_argument(args, match):
    with pytest.raises(ModelInputError, match=match):
        audit.green_share_for_cut(*args)


def test_efficiency_gain_needed_on_capacity():
    # Issue 15 item 3: at 16% a month against the budget's +6.7%, 1.16^12 / 1.067 ~ 5.6.
    assert audit.efficiency_gain_needed(0.16, 160 / 150 - 1) == pytest.approx(1.16 ** 12 / (160 / 150))
    assert 5.5 < audit.efficiency_gain_needed(0.16, 160 / 150 - 1) < 5.7
    assert audit.efficiency_gain_needed(0.0, 0.0) == pytest.approx(1.0)
    # Capacity that grows as fast as the tokens needs no gain.
    assert audit.efficiency_gain_needed(0.16, 1.16 ** 12 - 1) == pytest.approx(1.0)


def test_capacity_check_reads_the_whole_fleet(defaults):
    r = chain.evaluate(defaults, "audit")
    growth = r.fleet.whole_fleet_peak_bf16_flops / r.fleet.installed_peak_bf16_flops
    assert r.audit.efficiency_gain_needed == pytest.approx(
        (1 + defaults["token_growth_per_month"]) ** 12 / growth)
    assert r.fleet.whole_fleet_accelerators == pytest.approx(r.fleet.installed_accelerators + r.fleet.accelerators)


@pytest.mark.parametrize("value, expected", [
    (7.6, (7.55, 7.65)), (50, (45, 55)), (48.49, (48.485, 48.495)), (15, (14.5, 15.5)), (0, (0, 0)),
    (100000, (50000, 150000)),
])
def test_rounding_range(value, expected):
    assert audit.rounding_range(value) == pytest.approx(expected)


def test_quantities_are_the_chapters_models(defaults):
    q = chain.evaluate(defaults, "audit").audit
    # Each chapter's stage evaluated on its own gives the same numbers.
    foot = chain.evaluate(defaults, "emissions").emissions
    econ = chain.evaluate(defaults, "traffic").traffic
    assert q.fleet_draw_kwh_per_hour == pytest.approx(foot.average_draw_kwh_per_hour)
    assert q.credit_coverage_days == pytest.approx(foot.credit_coverage_days)
    assert q.serveable_tokens_trillion_per_day == pytest.approx(
        defaults["tokens_per_day_dec_2025_trillion"] / econ.share_of_installed_fleet_needed)
    assert q.processor_share_of_budget == pytest.approx(85 / 160)


def test_quantities_take_arrays_and_name_missing_parameters(defaults):
    n = 5
    p = {**defaults, "pue": np.linspace(1.1, 1.5, n)}
    q = chain.evaluate(p, "audit").audit
    assert np.shape(q.fleet_draw_kwh_per_hour) == (n,)
    assert np.all(np.diff(q.fleet_draw_kwh_per_hour) > 0)  # more overhead, more draw
    assert np.all(np.diff(q.datong_draw_kwh_per_hour) > 0)
    missing = {k: v for k, v in defaults.items() if k != "pue"}
    with pytest.raises(ModelInputError, match=r"CheckInputs needs parameter\(s\) pue, missing"):
        audit.CheckInputs.from_params(missing)
    # The chain builds every stage's inputs, so it names the parameter too (the fleet reads it first).
    with pytest.raises(ValueError, match=r"needs parameter\(s\) pue"):
        chain.evaluate(missing, "audit")


# --------------------------------------------------------------------------- claim ranges

def test_claim_ranges_follow_the_seed_notes(dataset):
    ranges = report.audit.claim_ranges(dataset)
    # Seed notes section 3 item 14: the rooftop PV implies 5.38 kg/kWh, the bike shed 11.9.
    assert ranges["pv_rooftop"][0] == pytest.approx(5.38, abs=0.005)
    assert ranges["pv_shed"][0] == pytest.approx(11.9, abs=0.05)
    # Item 11: 20-90 bn RMB over 50 T a day is 1.1 to 4.9 RMB per million tokens.
    assert ranges["cost_per_token"] == pytest.approx((1.10, 4.93), abs=0.005)
    # Item 7: IDC's 536.7 T x 49.2% over 181 days is ~1.46 T a day, ~9% of end-May's 16.4 T.
    assert ranges["external_share"][0] == pytest.approx(1.459 / 16.4, abs=0.001)
    assert ranges["external_share"][1] > ranges["external_share"][0]  # the H1 average is below end-May
    # Item 18: "1.6倍" over 2023-2030 is 6.9% a year as x1.6, 14.6% as +160%.
    assert ranges["power_growth"] == pytest.approx((6.94, 14.63), abs=0.01)
    assert ranges["credits_residual"] == pytest.approx((36.5, INF))
    assert ranges["capex_vs_tokens"] == pytest.approx((1.0, 5.0))  # up to the five times an 80% cost cut gives


def test_fixed_ranges_follow_the_seed_notes(dataset):
    fixed = report.audit.fixed_ranges(dataset)
    # Item 17: 7.6 Mt / 48.49 kg ~ 157 M users, 50 Mt / 48.49 kg ~ 1.03 bn: 15.2% in three countries.
    low, mid, high = fixed["greenly_users"]
    assert mid == pytest.approx(0.152) and low < mid < high
    # Google: 43 T a day in October (S3-14) grown two months at its own 2025 pace.
    low, mid, high = fixed["google_rank"]
    assert 43 < low < mid < high < 43 * 1.25 ** 2


def test_idc_external_tokens_a_day(dataset):
    c = dataset.claims
    assert report.audit.idc_external_trillion_per_day(c, "X-idc-china-maas-tokens-2025h1", "X-idc-volcano-share-2025h1") \
        == pytest.approx(536.7 * 0.492 / 181, rel=1e-9)
    assert report.audit.idc_external_trillion_per_day(c, "X-idc-china-maas-tokens-2024", "X-idc-volcano-share-2024") \
        == pytest.approx(114.2 * 0.464 / 366, rel=1e-9)


# --------------------------------------------------------------------------- the table

@pytest.fixture(scope="module")
def simulated(registry, defaults):
    values = {k: defaults[k] for k in chain.parameters(["audit"])}
    draws = uncertainty.simulate(chain.model("audit"), values, registry, n=20_000)
    return draws, uncertainty.summarize(draws)


def test_every_check_is_complete(dataset):
    checks = report.audit.checks()  # data/checks.yaml
    ids = [c.id for c in checks]
    assert len(ids) == len(set(ids)) >= 8
    assert set(report.audit.fixed_ranges(dataset)) == set(report.audit.FIXED_OUTPUTS)
    outputs = set(audit.Quantities._names()) | set(report.audit.FIXED_OUTPUTS)
    claims = report.audit.claim_ranges(dataset)
    assert set(claims) == set(ids)  # a claim range for every check, and no range without its check
    for check in checks:
        assert check.output in outputs, check.id
        assert check.missing and check.question.endswith("?"), check.id
        for cid in check.claims:
            assert cid in dataset.claims, (check.id, cid)


def _data_copy(tmp_path, checks):
    """A copy of data/ with checks.yaml replaced by `checks` (records); the path of that file."""
    shutil.copytree(paths.data_dir(), tmp_path, dirs_exist_ok=True)
    (tmp_path / "checks.yaml").write_text(yaml.safe_dump(checks, allow_unicode=True), encoding="utf-8")
    return tmp_path / "checks.yaml"


def test_a_check_naming_an_unknown_output_is_refused(tmp_path):
    records = [c.model_dump(mode="json") for c in report.audit.checks()]
    records[0]["output"] = "serveable_tokens_per_day"
    with pytest.raises(DataError, match=rf"checks.yaml: record '{records[0]['id']}': field 'output': unknown model "
                                        r"output 'serveable_tokens_per_day'; the outputs are serveable_tokens_trillion"):
        report.audit.checks(_data_copy(tmp_path, records))


def test_a_check_without_a_claim_range_is_refused(simulated, dataset, monkeypatch):
    _, summary = simulated
    extra = report.audit.checks()[0].model_copy(update={"id": "no_such_check"})
    monkeypatch.setattr(report.audit, "checks", lambda: (*report.audit.data.load_checks(), extra))
    with pytest.raises(DataError, match="record 'no_such_check': no claim range for this check"):
        report.audit.checks_table(summary, dataset)


def test_checks_table_verdicts_are_computed(simulated, dataset):
    draws, summary = simulated
    table = report.audit.checks_table(summary, dataset)
    assert list(table["id"]) == [c.id for c in report.audit.checks()]
    for r in table.itertuples():
        assert r.verdict == audit.verdict(r.model_low, r.model_high, r.claim_low, r.claim_high)
        assert r.model_low <= r.model_mid <= r.model_high
    row = table.set_index("id").loc["fleet_draw"]
    assert row["model_low"] == pytest.approx(summary.loc["fleet_draw_kwh_per_hour", "p10"])
    # The seed's "tens of thousands of kWh an hour" is far below the fleet; the PV factors above any grid.
    verdicts = table.set_index("id")["verdict"]
    assert verdicts["fleet_draw"] == verdicts["pv_rooftop"] == verdicts["pv_shed"] == "contradiction"
    assert verdicts["compute_fit"] == "consistent"


def test_a_changed_claim_changes_its_verdict(simulated, dataset):
    _, summary = simulated
    claim = dataset.claims["S0-34"]
    edited = SimpleNamespace(claims={**dataset.claims, "S0-34": claim.model_copy(
        update={"value": 1_000_000.0, "value_high": 3_000_000.0})})
    before = report.audit.checks_table(summary, dataset).set_index("id")["verdict"]
    after = report.audit.checks_table(summary, edited).set_index("id")["verdict"]
    assert before["fleet_draw"] == "contradiction" and after["fleet_draw"] == "consistent"
    assert (before.drop(["fleet_draw", "datong_draw"]) == after.drop(["fleet_draw", "datong_draw"])).all()


def test_share_in_claim_counts_draws(simulated, dataset):
    draws, summary = simulated
    table = report.audit.checks_table(summary, dataset)
    share = report.audit.share_in_claim(draws, table)
    rows = table.set_index("id").index
    shares = pd.Series(share.to_numpy(), index=rows)
    assert shares["fleet_draw"] == 0.0
    assert np.isnan(shares["greenly_users"])  # a fixed range has no draws
    expected = float(np.mean(draws["serveable_tokens_trillion_per_day"] >= 50))
    assert shares["compute_fit"] == pytest.approx(expected)


def test_normalized_puts_the_claim_at_one(simulated, dataset):
    _, summary = simulated
    table = report.audit.checks_table(summary, dataset)
    ratios = report.audit.normalized(table)
    claims = ratios[ratios["kind"] == "claim"]
    assert np.allclose(claims["mid"], 1.0)
    assert np.isfinite(ratios[["low", "mid", "high"]].to_numpy()).all()  # open ends drawn at the edge
    assert (claims.loc[claims["open"], "high"] == ratios["high"].max()).all()


@pytest.mark.parametrize("low, high, unit, expected", [
    (0.2146, 0.628, "share", "21.5 to 62.8%"),
    (50, INF, "T tokens per day", "at least 50.0 T tokens per day"),
    (5, 5, "times", "5.00 times"),
    (400_961, 824_000, "kWh per hour", "401,000 to 824,000 kWh per hour"),
])
def test_check_range_text(low, high, unit, expected):
    assert report.audit.check_range_text(low, high, unit) == expected


@pytest.mark.parametrize("args, kwargs, expected", [
    ((0.2146, 0.628), {}, "0.215 to 0.628"),                           # three significant figures by default
    ((21.46, 62.8, "%"), {}, "21.5 to 62.8%"),                         # a percent sign follows the number
    ((50, INF, "T tokens per day"), {}, "at least 50.0 T tokens per day"),
    ((-INF, 3, "times"), {}, "at most 3.00 times"),
    ((5, 5, "times"), {}, "5.00 times"),                               # a single value
    ((400_961, 824_000, "kWh per hour"), {}, "401,000 to 824,000 kWh per hour"),
    ((0.0, 0.8), {"number": lambda v: f"{v:,.6g}"}, "0 to 0.8"),       # the parameter page's numbers
])
def test_range_text_is_one_function_for_every_range(args, kwargs, expected):
    assert formatting.range_text(*args, **kwargs) == expected


def test_range_text_refuses_a_reversed_range():
    with pytest.raises(ValueError, match="low must not exceed high, got 2 > 1"):
        formatting.range_text(2, 1)


def test_parameter_range_text_keeps_the_reference_pages_wording(dataset):
    green = dataset.parameters["green_power_share"]  # 0 to 0.8, triangular
    assert reference.parameter_range_text(green) == "0.05 to 0.6, triangular"
    fixed = green.model_copy(update={"low": 0.2, "high": 0.2, "distribution": "fixed"})
    assert reference.parameter_range_text(fixed) == "fixed"
    year = next(p for p in dataset.parameters.values() if p.unit == "year" and p.low < p.high)
    assert "," not in reference.parameter_range_text(year).split(",")[0]  # years as 2030, not 2,030


def test_check_figures_are_the_texts_the_prose_quotes(simulated, dataset):
    _, summary = simulated
    table = report.audit.checks_table(summary, dataset)
    figures = report.audit.check_figures(table)
    for r in table.itertuples():
        assert figures[f"{r.id}_model"] == report.audit.check_range_text(r.model_low, r.model_high, r.unit)
        assert figures[f"{r.id}_claim"] == report.audit.check_range_text(r.claim_low, r.claim_high, r.unit)
        assert figures[f"{r.id}_mid"] == report.audit.check_range_text(r.model_mid, r.model_mid, r.unit)
        assert figures[f"{r.id}_verdict"] == r.verdict
    assert figures["n_checks"] == len(table) == sum(figures[f"n_{v}"] for v in audit.VERDICTS)
    assert figures["tension_share"] == audit.TENSION_SHARE
    assert len(figures) == 4 * len(table) + 2 + len(audit.VERDICTS)


def test_claim_figures_are_the_claims_values(dataset):
    figures = report.audit.claim_figures(dataset)
    for name, claim_id in report.audit.QUOTED_CLAIMS.items():
        assert figures[name] == dataset.claims[claim_id].value
    assert figures["cost_cut_multiple"] == pytest.approx(5.0)  # an 80% cost cut (S1-05) is a factor of five
    assert figures["residual_days"] == pytest.approx(36.5)  # the tenth left after a 90% cut (S0-30)
    assert figures["idc_2025_trillion_per_day"] == pytest.approx(536.7 * 0.492 / 181, rel=1e-9)


def test_cut_curve_is_tidy():
    curve = report.audit.cut_curve([0.0, 0.5, 1.0], {"flat": 0.0, "cleaner": -0.05}, 4)
    assert list(curve.columns) == ["green_power_share", "grid_trend", "cut_share"]
    assert len(curve) == 6
    assert curve.loc[curve["grid_trend"] == "flat", "cut_share"].tolist() == pytest.approx([0.0, 0.5, 1.0])


def test_ad_market_check_sets_the_flywheels_ad_revenue_against_the_whole_market(dataset, defaults):
    # Issue 15: ByteDance's domestic ad revenue (revenue x ad share x domestic share, ~615 bn RMB at the
    # defaults) against China's whole 2024 internet ad market (650.86 bn, top three each above 100 bn).
    low, high = report.audit.claim_ranges(dataset)["ad_market"]
    assert (low, high) == pytest.approx((100.0, 650.86 - 200.0))
    q = chain.evaluate(defaults, "audit").audit
    d = defaults
    assert q.domestic_ad_revenue_2024_rmb_bn == pytest.approx(
        d["revenue_2024_usd_bn"] * d["rmb_per_usd"] * d["ad_share_of_revenue"] * d["domestic_share_of_revenue"])
    assert audit.verdict(q.domestic_ad_revenue_2024_rmb_bn, q.domestic_ad_revenue_2024_rmb_bn, low, high) \
        == "contradiction"
