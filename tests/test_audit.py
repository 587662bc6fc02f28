"""The cross-check chapter's functions: verdicts, model quantities, claim ranges, the table."""

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ModelInputError
from analysis.models import audit, capex, chain, tokens, uncertainty
from analysis import report

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


def test_efficiency_gain_needed_notes_s3_item9():
    # 30 -> 50 T a day in two months (+29.1% a month) against capex +6.7% (150 -> 160 bn RMB).
    monthly = tokens.monthly_growth_between(30, 50, 2)
    assert audit.efficiency_gain_needed(monthly, 160 / 150 - 1) == pytest.approx((50 / 30) ** 6 / (160 / 150))
    assert audit.efficiency_gain_needed(0.0, 0.0) == pytest.approx(1.0)


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
        defaults["tokens_per_day_dec_2025_t"] / econ.share_of_fleet_needed)
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
    assert ranges["capex_vs_tokens"][0] == pytest.approx(5.0)  # an 80% cost cut is five times


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
    ids = [c.id for c in report.audit.CHECKS]
    assert len(ids) == len(set(ids)) >= 8
    outputs = set(audit.Quantities._names()) | set(report.audit.fixed_ranges(dataset))
    claims = report.audit.claim_ranges(dataset)
    for check in report.audit.CHECKS:
        assert check.output in outputs, check.id
        assert check.id in claims, check.id
        assert check.missing and check.question.endswith("?"), check.id
        for cid in check.claims:
            assert cid in dataset.claims, (check.id, cid)


def test_checks_table_verdicts_are_computed(simulated, dataset):
    draws, summary = simulated
    table = report.audit.checks_table(summary, dataset)
    assert list(table["id"]) == [c.id for c in report.audit.CHECKS]
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
        update={"value": 300_000.0, "value_high": 900_000.0})})
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
def test_range_text(low, high, unit, expected):
    assert report.audit.range_text(low, high, unit) == expected


def test_cut_curve_is_tidy():
    curve = report.audit.cut_curve([0.0, 0.5, 1.0], {"flat": 0.0, "cleaner": -0.05}, 4)
    assert list(curve.columns) == ["green_power_share", "grid_trend", "cut_share"]
    assert len(curve) == 6
    assert curve.loc[curve["grid_trend"] == "flat", "cut_share"].tolist() == pytest.approx([0.0, 0.5, 1.0])
