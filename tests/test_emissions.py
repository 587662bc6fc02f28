"""Tests of analysis/emissions.py, pinned to published values with the source named.

Reference values: Meta's Llama 2 and Llama 3 model cards, Patterson et al. 2021
(GPT-3), China's official grid factors (MEE & NBS), Google's Gemini prompt paper,
Greenly's TikTok study as reported in seed 000, and the seed claims (S0-xx) with
the cross-checks of ../shared/seeds/NOTES.md section 3 (items 14-17). Source and
claim ids are those of data/sources.yaml and data/claims.yaml.

Tolerances: exact arithmetic is checked to floating-point precision (rel 1e-12);
a published value is checked to half a unit of its last printed figure (e.g.
552 t -> abs 0.5 t, 0.42 kg/kWh -> abs 0.005), since that is all the source states.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import RecordingDict

from analysis.inputs import paths
from analysis.models import capex, chain, emissions, tokens
from analysis.errors import DataError, ModelInputError
from analysis.models.units import HOURS_PER_YEAR
from analysis import report

EXACT = 1e-12


# --------------------------------------------------------------------------- fixtures

def _footprint(p):
    """The emissions stage on any mapping of parameter values, with the fleet and traffic it needs."""
    return chain.evaluate(p, "emissions").emissions


# --------------------------------------------------------------------------- energy: model cards

def test_gpu_energy_matches_llama2_model_card():
    # meta-llama2-model-card: Llama 2 7B, 184,320 A100-80GB GPU-hours at 400 W -> 73.728 MWh (exact),
    # reported as 31.22 tCO2eq: an implied ~0.42 kg/kWh with no PUE (2 figures: abs 0.005).
    energy = emissions.gpu_energy_mwh(184_320, 400)
    assert energy == pytest.approx(73.728, rel=EXACT)
    assert emissions.implied_grid_factor_kg_per_kwh(31.22, energy * 1_000) == pytest.approx(0.42, abs=0.005)


def test_gpu_energy_matches_llama3_model_card():
    # meta-llama3-model-card: Llama 3 8B, 1.3 M H100-80GB GPU-hours at 700 W -> 910 MWh (exact),
    # 390 tCO2eq: implied 0.4286 kg/kWh, i.e. ~0.43 (abs 0.005), with no PUE.
    energy = emissions.gpu_energy_mwh(1.3e6, 700)
    assert energy == pytest.approx(910, rel=EXACT)
    factor = emissions.implied_grid_factor_kg_per_kwh(390, energy * 1_000)
    assert factor == pytest.approx(0.43, abs=0.005)
    # Round trip: energy x implied factor gives back the card's 390 t.
    assert emissions.operational_emissions_t(energy, factor) == pytest.approx(390, rel=EXACT)


def test_llama_model_cards_imply_the_same_grid_factor_within_2_percent():
    # Both cards use Meta's market/location mix of the time; 0.4234 vs 0.4286 kg/kWh.
    f2 = emissions.implied_grid_factor_kg_per_kwh(31.22, emissions.gpu_energy_mwh(184_320, 400) * 1_000)
    f3 = emissions.implied_grid_factor_kg_per_kwh(390, emissions.gpu_energy_mwh(1.3e6, 700) * 1_000)
    assert f3 / f2 == pytest.approx(1, abs=0.02)


def test_gpu_energy_with_pue_scales_linearly():
    assert emissions.gpu_energy_mwh(1_000, 700, pue=1.1) == pytest.approx(0.77, rel=EXACT)


def test_operational_emissions_match_patterson_2021_gpt3():
    # patterson-2021, Table 4: GPT-3 training 1,287 MWh at 0.429 kgCO2e/kWh -> 552 tCO2e (abs 0.5 t).
    assert emissions.operational_emissions_t(1_287, 0.429) == pytest.approx(552, abs=0.5)
    assert emissions.implied_grid_factor_kg_per_kwh(552, 1_287_000) == pytest.approx(0.429, abs=0.0005)


def test_green_share_scales_emissions():
    # 1 MWh at China's 2023 national factor (mee-nbs-grid-factor-2023: 0.5306 kg/kWh) is 0.5306 t.
    assert emissions.operational_emissions_t(1, 0.5306) == pytest.approx(0.5306, rel=EXACT)
    assert emissions.operational_emissions_t(1, 0.5306, green_share=0.25) == pytest.approx(0.75 * 0.5306, rel=EXACT)
    assert emissions.operational_emissions_t(1, 0.5306, green_share=1) == 0


# --------------------------------------------------------------------------- the Datong site and the credits

def test_facility_energy_datong_notes_s3_item16():
    # NOTES s3 item 16: Datong >=144 MW IT (S0-28) x 70% x PUE 1.25 x 8,760 h ~ 1.1 TWh a year (abs 0.05 TWh).
    energy = capex.facility_energy_gwh(144, 1.25, 0.7) * 1_000  # GWh -> MWh
    assert energy == pytest.approx(144 * 0.7 * 1.25 * 8_760, rel=EXACT)
    assert energy / 1e6 == pytest.approx(1.1, abs=0.05)
    # ... which emits about 0.6-0.9 Mt CO2 a year at 0.55-0.85 kg/kWh (1 figure: abs 0.05 Mt).
    assert emissions.operational_emissions_t(energy, 0.55) / 1e6 == pytest.approx(0.6, abs=0.05)
    assert emissions.operational_emissions_t(energy, 0.85) / 1e6 == pytest.approx(0.9, abs=0.05)


def test_facility_energy_is_facility_power_over_the_busy_hours():
    # The one definition of facility energy (capex.facility_energy_gwh), for a year and for explicit hours.
    expected_gwh = capex.facility_power_mw(500, 1.3) * 0.6 * HOURS_PER_YEAR / 1e3
    assert capex.facility_energy_gwh(500, 1.3, 0.6) == pytest.approx(expected_gwh, rel=EXACT)
    assert capex.facility_energy_gwh(500, 1.3, 0.6, hours=HOURS_PER_YEAR) == pytest.approx(expected_gwh, rel=EXACT)
    assert capex.facility_energy_gwh(500, 1.3, 0.6, hours=1) * HOURS_PER_YEAR == pytest.approx(expected_gwh, rel=EXACT)


def test_credits_cover_11_to_16_percent_of_datong_notes_s3_item16():
    # NOTES s3 item 16: 100k t (S0-02) is ~11-16% of a year of Datong's grid emissions at 0.85-0.55 kg/kWh
    # (whole percent: abs 0.005).
    energy = capex.facility_energy_gwh(144, 1.25, 0.7) * 1_000  # GWh -> MWh
    low = emissions.credit_coverage_years(100_000, emissions.operational_emissions_t(energy, 0.85))
    high = emissions.credit_coverage_years(100_000, emissions.operational_emissions_t(energy, 0.55))
    assert low == pytest.approx(0.11, abs=0.005)
    assert high == pytest.approx(0.16, abs=0.005)


def test_offset_needed_for_the_2030_plan_seed_000():
    # S0-30: cut >=90%, offset the remaining 10%. If 100k t were that 10%, emissions would be 1 Mt
    # (NOTES s3 item 16).
    assert emissions.offset_needed_t(1e6, 0.1) == pytest.approx(100_000, rel=EXACT)
    assert emissions.credit_coverage_years(100_000, emissions.offset_needed_t(1e6, 0.1)) == pytest.approx(1, rel=EXACT)


def test_credit_coverage_is_infinite_without_emissions():
    assert emissions.credit_coverage_years(100_000, 0) == np.inf
    assert emissions.credit_coverage_years(0, 1_000) == 0


def test_grow_compounds():
    # IEA Energy and AI: China's data-centre electricity 102 -> 277 TWh over 2024-2030 is ~18.1%/yr.
    rate = (277 / 102) ** (1 / 6) - 1
    assert rate == pytest.approx(0.181, abs=0.0005)
    assert emissions.grow(102, rate, 6) == pytest.approx(277, rel=1e-12)
    assert emissions.grow(5.0, 0.5, 0) == 5.0


# --------------------------------------------------------------------------- per unit of use

def test_energy_per_thousand_tokens_by_hand():
    # 365 GWh a year over 1 trillion tokens a day: 3.65e11 Wh / 3.65e14 tokens = 1 Wh per thousand tokens.
    assert emissions.energy_per_thousand_tokens_wh(365, 1e12) == pytest.approx(1, rel=EXACT)
    assert emissions.energy_per_query_wh(1, 500) == pytest.approx(0.5, rel=EXACT)


def test_emissions_per_query_match_google_gemini_2025():
    # google-gemini-prompt-energy-2025: median Gemini prompt 0.24 Wh and 0.03 gCO2e (market-based),
    # i.e. 0.125 g/Wh = 0.125 kg/kWh; both figures are given to 2 significant digits.
    implied = emissions.implied_grid_factor_kg_per_kwh(0.03 / 1e6, 0.24 / 1e3)
    assert implied == pytest.approx(0.125, rel=EXACT)
    assert emissions.emissions_per_query_g(0.24, implied) == pytest.approx(0.03, rel=EXACT)
    # At China's 2023 national factor the same 0.24 Wh would emit 0.127 g (abs 0.0005 g).
    assert emissions.emissions_per_query_g(0.24, 0.5306) == pytest.approx(0.127, abs=0.0005)


# --------------------------------------------------------------------------- TikTok (Greenly, seed 000)

@pytest.mark.parametrize(
    "total_t, expected_users, tolerance, what",
    [
        (7.6e6, 157e6, 0.5e6, "US + UK + France, S0-13 / S0-17: ~157 M (abs 0.5 M)"),
        (50e6, 1.03e9, 0.005e9, "global extrapolation, S0-14 / S0-17: ~1.03 bn (abs 5 M)"),
    ],
)
def test_implied_users_greenly_tiktok(total_t, expected_users, tolerance, what):
    # greenly-tiktok-2024 via seed 000: 48.49 kg CO2e per user-year (S0-17).
    assert emissions.implied_users(total_t, 48.49) == pytest.approx(expected_users, abs=tolerance), what


def test_footprint_per_viewing_hour_notes_s3_item17():
    # NOTES s3 item 17: 48.49 kg at 45 min/day (S0-16, S0-17) is ~177 g per viewing hour (abs 0.5 g).
    assert emissions.footprint_per_viewing_hour_g(48.49, 45) == pytest.approx(177, abs=0.5)


def test_greenly_audit_reads_claims(dataset):
    table = report.emissions.greenly_audit(dataset).set_index("check")
    assert table.loc["users implied, US + UK + France", "value"] == pytest.approx(157e6, abs=0.5e6)
    assert table.loc["users implied, global", "value"] == pytest.approx(1.03e9, abs=0.005e9)
    # ~50 Mt vs Greece's 51.67 Mt (S0-15): 0.97 (abs 0.005); US+UK+FR ~15% of users (REFERENCES G).
    assert table.loc["global footprint / Greece's 2023 emissions", "value"] == pytest.approx(0.97, abs=0.005)
    assert 1 / table.loc["global / US + UK + France footprint", "value"] == pytest.approx(0.15, abs=0.005)
    assert table.loc["footprint per viewing hour", "value"] == pytest.approx(177, abs=0.5)
    # Greenly's 2.921 g/min x 45 min x 365 d = 48.0 kg, within 1.1% of the stated 48.49 kg.
    rebuilt = table.loc["per-user footprint from g per minute x 45 min a day", "value"]
    assert rebuilt == pytest.approx(48.49, rel=0.011)
    # TikTok 48.49 vs YouTube 40.17 kg (S0-18): 1.21 (abs 0.005).
    assert table.loc["TikTok / YouTube per user-year", "value"] == pytest.approx(1.21, abs=0.005)


# --------------------------------------------------------------------------- the company's own claims

def test_implied_factor_of_chengdu_pv_claims_seed_000():
    # S0-25/S0-36: 5,182 kWh "equal to" 27.9 t -> 5.38 kg/kWh; S0-26/S0-37: 420 kWh for 4.99 t -> 11.9
    # (NOTES s3 item 14; checked to the figures the notes print).
    assert emissions.implied_grid_factor_kg_per_kwh(27.9, 5_182) == pytest.approx(5.38, abs=0.005)
    assert emissions.implied_grid_factor_kg_per_kwh(4.99, 420) == pytest.approx(11.9, abs=0.05)


def test_claim_audit_flags_the_pv_claims(dataset):
    table = report.emissions.claim_audit(dataset=dataset).set_index("claim_id")
    assert list(table.index) == ["S0-25", "S0-26", "S0-23"]
    assert table.loc["S0-25", "stated_kwh"] == dataset.claims["S0-36"].value
    assert table.loc["S0-25", "implied_kg_per_kwh"] == pytest.approx(5.38, abs=0.005)
    assert table.loc["S0-26", "implied_kg_per_kwh"] == pytest.approx(11.9, abs=0.05)
    assert (table["official_kg_per_kwh"] == dataset.claims["X-grid-factor-china-2023"].value).all()
    # ~10x and ~22x any official factor (NOTES s3 item 14, claims' reasons).
    assert table.loc["S0-25", "stated_over_expected"] == pytest.approx(10, abs=0.5)
    assert table.loc["S0-26", "stated_over_expected"] == pytest.approx(22, abs=0.5)
    # 27.9 t would need ~49-52 MWh of clean power (NOTES s3 item 14; 0.5306 gives 52.6 MWh).
    assert table.loc["S0-25", "implied_kwh"] / 1e3 == pytest.approx(52.6, abs=0.05)
    # Beijing (S0-23) states no kWh: only the clean kWh its 1,496 t implies.
    assert np.isnan(table.loc["S0-23", "stated_kwh"]) and np.isnan(table.loc["S0-23", "implied_kg_per_kwh"])


def test_claim_audit_with_the_2022_factor_notes_s3_items14_15(dataset):
    table = report.emissions.claim_audit("X-grid-factor-china-2022", dataset).set_index("claim_id")
    # NOTES s3 item 14: expected savings 2.78 t (rooftop) and 0.23 t (bike shed) at 0.5366 (abs 0.005 t).
    assert table.loc["S0-25", "expected_t"] == pytest.approx(2.78, abs=0.005)
    assert table.loc["S0-26", "expected_t"] == pytest.approx(0.23, abs=0.005)
    # NOTES s3 item 15: 1,496 t / (0.9 x 0.54-0.57) ~ 2.9-3.1 GWh of building use (0.5366: 3.1 GWh).
    building_gwh = table.loc["S0-23", "implied_kwh"] / (dataset.claims["S0-22"].value / 100) / 1e6
    assert building_gwh == pytest.approx(3.1, abs=0.05)


def test_claim_audit_unknown_factor_claim_is_a_data_error(dataset):
    with pytest.raises(DataError, match="claim 'X-no-such-factor' is not in data/claims.yaml"):
        report.emissions.claim_audit("X-no-such-factor", dataset)
    with pytest.raises(DataError, match="should state a value in 'kg CO2"):
        report.emissions.claim_audit("S0-02", dataset)  # tonnes of credits, not a factor


def test_credit_deals_compare_microsoft_and_meta(dataset):
    table = report.emissions.credit_deals(dataset).set_index("buyer")
    # S0-02 100,000 t; S0-32 Microsoft 18 Mt (rubicon-microsoft-2025) = 180x; S0-33 Meta 676,000 = 6.76x.
    assert table.loc["ByteDance", "credits_t"] == pytest.approx(100_000, rel=EXACT)
    assert table.loc["Microsoft", "credits_t"] == pytest.approx(18e6, rel=EXACT)
    assert table.loc["Microsoft", "multiple_of_bytedance"] == pytest.approx(180, rel=EXACT)
    assert table.loc["Meta", "multiple_of_bytedance"] == pytest.approx(6.76, rel=EXACT)


def test_per_query_benchmarks_read_claims(dataset):
    table = report.emissions.per_query_benchmarks(dataset).set_index("claim_id")
    # google-gemini-prompt-energy-2025 (Aug 2025) and epoch-chatgpt-energy-2025 (Feb 2025).
    assert table.loc["X-gemini-prompt-energy", "value"] == 0.24
    assert table.loc["X-gemini-prompt-co2", "quantity"] == "emissions_g"
    assert table.loc["X-chatgpt-query-energy-epoch", "value"] == 0.3
    assert set(table["quantity"]) == {"energy_wh", "emissions_g"}


# --------------------------------------------------------------------------- edge cases

def test_zero_inputs_give_zero():
    assert emissions.gpu_energy_mwh(0, 700) == 0
    assert capex.facility_energy_gwh(0, 1.25, 0.7) == 0
    assert capex.facility_energy_gwh(100, 1.25, 0) == 0
    assert emissions.operational_emissions_t(0, 0.6361) == 0
    assert emissions.implied_grid_factor_kg_per_kwh(0, 1_000) == 0
    assert emissions.offset_needed_t(0, 0.1) == 0
    assert emissions.energy_per_thousand_tokens_wh(0, 1e12) == 0
    assert emissions.energy_per_query_wh(0.2, 0) == 0
    assert emissions.implied_users(0, 48.49) == 0


def test_arrays_keep_their_shape():
    energy = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    out = emissions.operational_emissions_t(energy, 0.5, np.array([0.0, 0.5, 1.0]))
    assert out.shape == (2, 3)
    assert out[1, 1] == pytest.approx(4 * 0.5 * 0.5, rel=EXACT)
    assert out[:, 2].tolist() == [0, 0]
    assert emissions.credit_coverage_years(100_000, np.array([1e5, 2e5, 0])).tolist() == [1, 0.5, np.inf]
    assert emissions.gpu_energy_mwh(np.arange(4), 700).shape == (4,)
    assert emissions.implied_users(np.array([7.6e6, 50e6]), 48.49).shape == (2,)


def test_pandas_series_keeps_its_index():
    energy = pd.Series([1.0, 2.0], index=["2026", "2030"])
    out = emissions.operational_emissions_t(energy, 0.6361)
    assert list(out.index) == ["2026", "2030"]
    cover = emissions.credit_coverage_years(100_000, pd.Series([1e5, 2e5], index=["a", "b"]))
    assert isinstance(cover, pd.Series) and list(cover.index) == ["a", "b"]


@pytest.mark.parametrize(
    "func, kwargs, match",
    [
        (emissions.operational_emissions_t, {"energy_mwh": -1, "grid_kg_per_kwh": 0.5},
         r"energy_mwh must be .* >= 0, got -1"),
        (emissions.operational_emissions_t, {"energy_mwh": 1, "grid_kg_per_kwh": 0.5, "green_share": 1.5},
         r"green_share must be a fraction in \[0, 1\], got 1.5"),
        (emissions.operational_emissions_t, {"energy_mwh": 1, "grid_kg_per_kwh": -0.1}, "grid_kg_per_kwh must be"),
        (emissions.operational_emissions_t, {"energy_mwh": np.nan, "grid_kg_per_kwh": 0.5}, "energy_mwh must be"),
        (emissions.gpu_energy_mwh, {"gpu_hours": 10, "power_w": 700, "pue": 0.9}, "pue must be >= 1"),
        (emissions.gpu_energy_mwh, {"gpu_hours": -10, "power_w": 700}, "gpu_hours must be"),
        (capex.facility_energy_gwh, {"it_power_mw": 1, "hours": 1, "utilization": 1.2, "pue": 1.2},
         r"utilization must be a fraction in \[0, 1\]"),
        (emissions.implied_grid_factor_kg_per_kwh, {"emissions_t": 1, "energy_kwh": 0},
         "energy_kwh must be a finite number > 0"),
        (emissions.credit_coverage_years, {"credits_t": 1, "annual_emissions_t": -5}, "annual_emissions_t must be"),
        (emissions.offset_needed_t, {"annual_emissions_t": 1, "offset_share": -0.1}, "offset_share must be a fraction"),
        (emissions.energy_per_thousand_tokens_wh, {"annual_energy_gwh": 1, "tokens_per_day": 0},
         "tokens_per_day must be"),
        (emissions.energy_per_query_wh, {"energy_per_thousand_tokens_wh": 1, "tokens_per_query": -1},
         "tokens_per_query must be"),
        (emissions.emissions_per_query_g, {"energy_per_query_wh": 1, "grid_kg_per_kwh": 0.5, "green_share": 2},
         "green_share must be a fraction"),
        (emissions.implied_users, {"total_t": 1, "kg_per_user": 0}, "kg_per_user must be"),
        (emissions.footprint_per_viewing_hour_g, {"kg_per_user_year": 1, "minutes_per_day": 0},
         "minutes_per_day must be"),
        (emissions.grow, {"value": 1, "rate_per_year": -1, "years": 1}, "rate_per_year must be a finite number > -1"),
        (emissions.grow, {"value": 1, "rate_per_year": 0.1, "years": -1}, "years must be"),
    ],
)
def test_invalid_input_raises_value_error(func, kwargs, match):
    with pytest.raises(ValueError, match=match):
        func(**kwargs)


# --------------------------------------------------------------------------- footprint(inputs, fleet, traffic)



def test_emissions_parameters_are_in_the_registry(registry):
    assert set(emissions.EmissionsInputs.names()) <= set(registry)
    yaml_names = {r["name"] for r in yaml.safe_load(
        (paths.data_dir() / "parameters" / "emissions.yaml").read_text(encoding="utf-8"))}
    # Tokens per query is the traffic's (one query for every chapter): the token-economics file's.
    assert yaml_names == set(emissions.EmissionsInputs.names()) - {"tokens_per_query"}
    assert {"tokens_per_day_dec_2025_trillion", "tokens_per_query"} <= set(tokens.TokenInputs.names())
    assert not set(tokens.TokenInputs.names()) & yaml_names


def test_footprint_reads_exactly_its_parameters(defaults):
    p = RecordingDict(defaults)
    emissions.EmissionsInputs.from_params(p)
    assert p.read == set(emissions.EmissionsInputs.names())
    # With the fleet and the traffic it needs: its own, the fleet's and the token parameters.
    p = RecordingDict(defaults)
    _footprint(p)
    assert p.read == set(chain.parameters(["emissions"]))
    assert p.read == (set(emissions.EmissionsInputs.names()) | set(capex.FleetInputs.names())
                      | set(tokens.TokenInputs.names()))


def test_footprint_uses_the_fleet_stages_energy(defaults):
    # One chain: the energy that emits is the whole fleet's (installed base and 2026 cohort), as the
    # fleet stage computed it, not a second computation; the cohort's is shown apart.
    for p in (defaults, {**defaults, "pue": 1.4, "fleet_utilization": 0.5}):
        fleet = capex.fleet(capex.FleetInputs.from_params(p))
        traffic = tokens.economics(tokens.TokenInputs.from_params(p), fleet)
        out = emissions.footprint(emissions.EmissionsInputs.from_params(p), fleet, traffic)
        assert out.whole_fleet_annual_energy_gwh == pytest.approx(fleet.whole_fleet_annual_energy_gwh, rel=EXACT)
        assert out.annual_energy_gwh == pytest.approx(fleet.annual_energy_gwh, rel=EXACT)
        assert fleet.whole_fleet_annual_energy_gwh == pytest.approx(
            fleet.annual_energy_gwh + fleet.installed_annual_energy_gwh, rel=EXACT)
        results = chain.evaluate(p, "emissions")
        assert results.emissions.whole_fleet_annual_energy_gwh == pytest.approx(results.fleet.whole_fleet_annual_energy_gwh,
                                                                    rel=EXACT)
    # ... taken from the fleet it is given: double the whole fleet's energy, double the emissions.
    doubled = dataclasses.replace(fleet, whole_fleet_annual_energy_gwh=2 * fleet.whole_fleet_annual_energy_gwh)
    out2 = emissions.footprint(emissions.EmissionsInputs.from_params(p), doubled, traffic)
    assert out2.whole_fleet_annual_energy_gwh == pytest.approx(2 * fleet.whole_fleet_annual_energy_gwh, rel=EXACT)
    assert out2.annual_emissions_t == pytest.approx(2 * out.annual_emissions_t, rel=EXACT)


def test_footprint_defaults_by_hand(defaults):
    d = defaults
    out = _footprint(d)
    fleet = chain.evaluate(d, "fleet").fleet
    assert out.whole_fleet_annual_energy_gwh == pytest.approx(fleet.whole_fleet_annual_energy_gwh, rel=EXACT)
    assert out.whole_fleet_it_power_mw == fleet.whole_fleet_it_power_mw
    # The 2023 factor moved to the fleet year at the yearly change (issue 15 item 7).
    factor = d["grid_factor_kg_per_kwh"] * (1 + d["grid_factor_change_per_year"]) ** (
        d["fleet_base_year"] - d["grid_factor_year"])
    assert out.grid_factor_fleet_year_kg_per_kwh == pytest.approx(factor, rel=EXACT)
    gross = out.whole_fleet_annual_energy_gwh * 1e3 * factor  # GWh -> MWh; MWh x kg/kWh = t
    assert out.gross_annual_emissions_t == pytest.approx(gross, rel=EXACT)
    # Market-based: green power at zero, the rest at the residual mix (item 6: not counted twice).
    market = gross * (1 - d["green_power_share"]) * d["residual_mix_ratio"]
    assert out.annual_emissions_t == pytest.approx(market, rel=EXACT)
    assert out.green_power_avoided_t + out.annual_emissions_t == pytest.approx(gross, rel=EXACT)
    assert out.cohort_annual_emissions_t == pytest.approx(
        fleet.annual_energy_gwh * 1e3 * factor * (1 - d["green_power_share"]) * d["residual_mix_ratio"], rel=EXACT)
    assert out.credit_coverage_years == pytest.approx(d["carbon_credits_t"] / out.annual_emissions_t, rel=EXACT)
    assert out.credit_coverage_days == pytest.approx(out.credit_coverage_years * 365, rel=EXACT)
    assert out.average_draw_kwh_per_hour == pytest.approx(out.whole_fleet_annual_energy_gwh * 1e6 / 8_760, rel=EXACT)
    # The 2030 plan: 4 years of growth from the 2026 fleet; cut + offset = gross; no residual.
    n = d["neutrality_target_year"] - d["fleet_base_year"]
    assert out.years_to_target == n == 4
    assert out.energy_2030_gwh == pytest.approx(
        out.whole_fleet_annual_energy_gwh * (1 + d["energy_growth_per_year"]) ** n, rel=EXACT)
    assert out.cut_2030_t + out.offset_2030_t == pytest.approx(out.gross_emissions_2030_t, rel=EXACT)
    assert out.offset_2030_t == pytest.approx(0.1 * out.gross_emissions_2030_t, rel=EXACT)
    assert out.unoffset_residual_2030_t == 0
    # Per query: the serving share of the installed base's energy (the fleet that served December
    # 2025) over December's tokens a year, x tokens per query; grams market-based at the fleet year.
    tokens_per_year = d["tokens_per_day_dec_2025_trillion"] * 1e12 * 365
    per_token_wh = fleet.installed_annual_energy_gwh * 1e9 * d["token_serving_share_of_energy"] / tokens_per_year
    assert out.energy_per_query_wh == pytest.approx(per_token_wh * d["tokens_per_query"], rel=EXACT)
    assert out.emissions_per_query_g == pytest.approx(
        out.energy_per_query_wh * factor * d["residual_mix_ratio"] * (1 - d["green_power_share"]), rel=EXACT)


def test_footprint_defaults_are_in_a_plausible_range(defaults):
    out = _footprint(defaults)
    # The fleet emits Mt a year, so 100k t of credits (S0-02) covers weeks, not years.
    assert 1e6 < out.annual_emissions_t < 1e7
    assert out.credit_coverage_years < 0.1
    # The modelled average draw is far above "tens of thousands of kWh an hour" (S0-34, upper end 99,999).
    assert out.average_draw_kwh_per_hour > 1e5
    # Per query within a factor 10 of the public figures (0.24-0.3 Wh: X-gemini-prompt-energy,
    # X-chatgpt-query-energy-epoch).
    assert 0.024 < out.energy_per_query_wh < 3


def test_footprint_is_vectorized(registry, defaults):
    # Monte Carlo style: every uncertain parameter an array of draws within its range.
    rng = np.random.default_rng(2026)
    n = 7
    arrays = {
        name: (rng.uniform(registry[name].low, registry[name].high, n)
               if name in registry and registry[name].distribution != "fixed" else value)
        for name, value in defaults.items()
    }
    out = _footprint(arrays)
    for name, value in out.items():
        assert np.shape(value) in {(), (n,)}, name
    assert np.shape(out.annual_emissions_t) == (n,)
    assert np.shape(out.energy_per_query_wh) == (n,)
    for i in (0, n - 1):
        scalar = _footprint({k: (v[i] if np.ndim(v) else v) for k, v in arrays.items()})
        for name in out:
            assert np.broadcast_to(out[name], (n,))[i] == pytest.approx(scalar[name], rel=1e-12), name


def test_footprint_is_a_read_only_mapping(defaults):
    out = _footprint(defaults)
    assert isinstance(out, Mapping)
    assert list(out) == list(out.__dataclass_fields__)
    with pytest.raises(AttributeError):
        out.annual_emissions_t = 0
    with pytest.raises(KeyError):
        out["no_such_output"]


def test_footprint_missing_parameter_names_it(defaults):
    p = {k: v for k, v in defaults.items() if k != "grid_factor_kg_per_kwh"}
    with pytest.raises(ModelInputError,
                       match=r"EmissionsInputs needs parameter\(s\) grid_factor_kg_per_kwh, missing"):
        emissions.EmissionsInputs.from_params(p)
    with pytest.raises(ModelInputError, match=r"EmissionsInputs needs parameter\(s\) grid_factor_kg_per_kwh"):
        _footprint(p)


@pytest.mark.parametrize(
    "name, value, match",
    [
        ("green_power_share", 1.2, r"green_power_share must be a fraction in \[0, 1\], got 1.2"),
        ("grid_factor_kg_per_kwh", -0.5, "grid_factor_kg_per_kwh must be"),
        ("cut_share_2030", -0.1, "cut_share_2030 must be a fraction"),
        ("offset_share_2030", 1.5, "offset_share_2030 must be a fraction"),
        ("energy_growth_per_year", -1.0, "energy_growth_per_year must be a finite number > -1"),
        ("tokens_per_day_dec_2025_trillion", 0, "tokens_per_day_dec_2025_trillion must be"),
        ("neutrality_target_year", 2020, "target year cannot precede the fleet year"),
        ("pue", 0.9, "pue must be >= 1"),
    ],
)
def test_footprint_rejects_invalid_parameters(defaults, name, value, match):
    with pytest.raises(ValueError, match=match):
        _footprint({**defaults, name: value})


def test_footprint_all_green_power_has_no_emissions(defaults):
    out = _footprint({**defaults, "green_power_share": 1.0})
    assert out.annual_emissions_t == 0
    assert out.credit_coverage_years == np.inf
    assert out.emissions_per_query_g == 0


# --------------------------------------------------------------------------- parameters vs their sources

def test_grid_factor_default_is_the_north_grid_2023(registry, dataset):
    # mee-nbs-grid-factor-2023: North China grid 0.6361 kg/kWh (claim X-grid-factor-north-2023).
    p = registry["grid_factor_kg_per_kwh"]
    assert p.default == dataset.claims["X-grid-factor-north-2023"].value
    assert p.low <= dataset.claims["X-grid-factor-china-2023"].value <= p.high
    assert p.low == dataset.claims["X-grid-factor-china-2023"].value
    assert p.high > dataset.claims["X-grid-factor-north-2022"].value  # Shanxi above the North grid's average


def test_residual_mix_ratio_is_the_official_factor_without_traded_green_power(registry, dataset):
    c = dataset.claims
    ratio = registry["residual_mix_ratio"]
    assert ratio.default == pytest.approx(
        c["X-grid-factor-china-excl-green-2023"].value / c["X-grid-factor-china-2023"].value, abs=0.0005)
    assert ratio.low == pytest.approx(
        c["X-grid-factor-china-excl-green-2022"].value / c["X-grid-factor-china-2022"].value, abs=0.0005)


def test_growth_defaults_follow_their_claims(registry, dataset):
    c = dataset.claims
    # IEA: China data-centre electricity 2024 -> 2030 CAGR, to the 3 decimals of the default.
    cagr = (c["X-iea-china-dc-electricity-2030"].value / c["X-iea-china-dc-electricity-2024"].value) ** (1 / 6) - 1
    assert registry["energy_growth_per_year"].default == pytest.approx(cagr, abs=0.0005)
    # MEE & NBS: national factor 2021 -> 2023, average yearly change, to 3 decimals.
    change = (c["X-grid-factor-china-2023"].value / c["X-grid-factor-china-2021"].value) ** (1 / 2) - 1
    assert registry["grid_factor_change_per_year"].default == pytest.approx(change, abs=0.0005)
    north = c["X-grid-factor-north-2023"].value / c["X-grid-factor-north-2022"].value - 1
    assert registry["grid_factor_change_per_year"].low == pytest.approx(north, abs=0.0005)


def test_plan_and_credit_defaults_follow_seed_000(registry, dataset):
    c = dataset.claims
    assert registry["carbon_credits_t"].default == c["S0-02"].value
    assert registry["neutrality_target_year"].default == c["S0-29"].value
    assert registry["cut_share_2030"].default == pytest.approx(c["S0-30"].value / 100, rel=EXACT)
    assert registry["cut_share_2030"].default + registry["offset_share_2030"].default == pytest.approx(1, rel=EXACT)


# --------------------------------------------------------------------------- house style

def test_no_sourced_literals_in_emissions_module():
    # Numbers in code are only 0 and 1 (the neutral PUE and green share defaults, 1 + rate);
    # sourced values live in data/ (parameters or claims, read by id).
    allowed = {0, 1}
    tree = ast.parse(inspect.getsource(emissions))
    literals = {
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    }
    assert literals <= allowed, literals - allowed


# --------------------------------------------------------------------------- tidy tables for the chapter's charts

def test_grid_scenarios_match_mee_nbs_factors_by_hand(dataset):
    # 1,000 GWh at the MEE & NBS national factor for 2023 (0.5306 kg/kWh, mee-nbs-grid-factor-2023)
    # is 0.5306 Mt; exact arithmetic, so a tight tolerance.
    table = report.emissions.grid_scenarios(1000.0, dataset).set_index("claim_id")
    factor = dataset.claims["X-grid-factor-china-2023"].value
    assert table.loc["X-grid-factor-china-2023", "p50_mt"] == pytest.approx(factor, rel=EXACT)
    assert list(table["kg_per_kwh"]) == sorted(table["kg_per_kwh"])
    assert set(table.index) == set(report.emissions.GRID_SCENARIO_CLAIMS)


def test_grid_scenarios_with_draws_give_percentiles(dataset):
    energy = np.linspace(0.0, 2000.0, 1001)  # GWh; median 1,000 GWh, i.e. factor Mt before green power
    table = report.emissions.grid_scenarios(energy, dataset)
    assert (table["p10_mt"] < table["p50_mt"]).all() and (table["p50_mt"] < table["p90_mt"]).all()
    north = table.set_index("claim_id").loc["X-grid-factor-north-2023"]
    assert north["p50_mt"] == pytest.approx(dataset.claims["X-grid-factor-north-2023"].value)


def test_grid_scenarios_reject_negative_energy(dataset):
    with pytest.raises(ValueError, match="energy_mwh"):
        report.emissions.grid_scenarios(-1.0, dataset)


def test_factor_comparison_puts_pv_claims_ten_times_above_the_grid_seed_000(dataset):
    # Claims S0-25/S0-36 (27.9 t for 5,182 kWh, ~5.38 kg/kWh) and S0-26/S0-37 (4.99 t for 420 kWh,
    # ~11.9 kg/kWh) against China's official factors (0.53-0.68 kg/kWh): at least 7x the highest.
    table = report.emissions.factor_comparison(dataset=dataset)
    implied = table[table["kind"] == "implied by a company claim"].set_index("claim_id")["kg_per_kwh"]
    official = table[table["kind"] == "official grid factor"]["kg_per_kwh"]
    assert implied["S0-25"] == pytest.approx(27.9e3 / 5182, rel=1e-9)
    assert implied["S0-26"] == pytest.approx(4.99e3 / 420, rel=1e-9)
    assert implied.min() > 7 * official.max()
    assert len(official) == len(report.emissions.GRID_SCENARIO_CLAIMS)


def test_factor_comparison_unknown_claim_is_a_data_error(dataset):
    with pytest.raises(DataError, match="X-no-such-factor"):
        report.emissions.factor_comparison(("X-no-such-factor",), dataset)


def test_emissions_trajectory_matches_footprint_in_both_years(defaults):
    path = report.emissions.emissions_trajectory(defaults)
    f = _footprint(defaults)
    years = range(defaults["fleet_base_year"], defaults["neutrality_target_year"] + 1)
    assert sorted(path["year"].unique()) == list(years)
    net = path[path["series"].str.startswith("emissions")].set_index("year")["p50_t"]
    offset = path[path["series"].str.startswith("offset")].set_index("year")["p50_t"]
    credits = path[path["series"].str.startswith("carbon credits")]["p50_t"]
    assert net[years[0]] == pytest.approx(f.annual_emissions_t, rel=EXACT)
    assert offset[years[-1]] == pytest.approx(f.offset_2030_t, rel=EXACT)
    assert (credits == defaults["carbon_credits_t"]).all()
    assert (path["p10_t"] == path["p50_t"]).all()  # scalars: no spread


def test_emissions_trajectory_with_draws_spreads(registry, defaults):
    from analysis.models import uncertainty
    draws = uncertainty.sample(defaults, registry, n=2000)
    path = report.emissions.emissions_trajectory(draws)
    net = path[path["series"].str.startswith("emissions")]
    assert (net["p10_t"] < net["p50_t"]).all() and (net["p50_t"] < net["p90_t"]).all()


def test_per_query_comparison_places_model_next_to_google_and_epoch(dataset):
    # Google's median Gemini prompt 0.24 Wh / 0.03 g (google-gemini-prompt-energy-2025);
    # Epoch AI ~0.3 Wh per ChatGPT query (epoch-chatgpt-energy-2025): read from the claims.
    table = report.emissions.per_query_comparison(np.array([0.1, 0.2, 0.3]), 0.05, dataset)
    model = table[table["claim_id"].isna()].set_index("quantity")
    assert model.loc["energy_wh", "p50"] == pytest.approx(0.2)
    assert model.loc["emissions_g", "p10"] == model.loc["emissions_g", "p90"] == pytest.approx(0.05)
    bench = table.dropna(subset=["claim_id"]).set_index("claim_id")
    assert bench.loc["X-gemini-prompt-energy", "p50"] == pytest.approx(0.24)
    assert bench.loc["X-gemini-prompt-co2", "quantity"] == "emissions_g"
    assert bench.loc["X-chatgpt-query-energy-epoch", "p50"] == pytest.approx(0.3)
