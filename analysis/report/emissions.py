"""What the emissions chapter shows: tables of claims by id and the tidy tables behind its charts."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import DataError
from ..inputs.data import claim_record, claim_value
from ..inputs.data import claims_of as _claims
from ..models import chain, emissions
from ..models.uncertainty import percentiles
from ..models.units import (COUNT_PER_BN, COUNT_PER_M, DAYS_PER_YEAR, G_PER_KG, KG_PER_T, KWH_PER_GWH, KWH_PER_MWH,
                            MWH_PER_GWH, T_PER_MT)
from .formatting import round_significant

# Pairs of claims the audit reads: (claim stating tonnes, claim stating the kWh or None, what).
AUDIT_CLAIMS = (
    ("S0-25", "S0-36", "Chengdu rooftop PV (60 kW), cumulative to end-2024"),
    ("S0-26", "S0-37", "Chengdu bike-shed PV-storage-charging system, cumulative to end-2024"),
    ("S0-23", None, "Beijing Yingdu Building D on >90% green power, May-Dec 2024"),
)


# Credit purchases compared: (claim id, buyer, seller).
CREDIT_DEAL_CLAIMS = (
    ("S0-02", "ByteDance", "Rubicon Carbon"),
    ("S0-32", "Microsoft", "Rubicon Carbon"),
    ("S0-33", "Meta", "EFM"),
)


# Public per-query figures (energy in Wh, emissions in g CO2e).
PER_QUERY_CLAIMS = (
    "X-gemini-prompt-energy",
    "X-gemini-prompt-energy-accelerator",
    "X-gemini-prompt-co2",
    "X-chatgpt-query-energy-epoch",
    "X-chatgpt-query-energy-openai",
    "X-chatgpt-long-input-energy-epoch",
)


# Tonnes per unit a claim's value is stated in, by the first word of its unit.
_TONNES_PER_UNIT = {"Mt": T_PER_MT, "t": 1.0, "credits": 1.0}


def claim_audit(official_factor_claim: str = "X-grid-factor-china-2023", dataset=None) -> pd.DataFrame:
    """The company's green-power claims (seed 000) against an official grid factor.

    One row per claim in AUDIT_CLAIMS, read from data/claims.yaml by id:

    - implied_kg_per_kwh = stated_t x 1000 / stated_kwh (`implied_grid_factor_kg_per_kwh`)
    - expected_t = stated_kwh x official factor / 1000 (`operational_emissions_t`)
    - stated_over_expected = stated_t / expected_t
    - implied_kwh = stated_t x 1000 / official factor: the clean kWh the stated
      tonnes need (for Beijing, the green share of the building's use)

    `official_factor_claim` picks the factor, e.g. "X-grid-factor-china-2022"
    (0.5366, as in seed notes section 3 item 14) or "X-grid-factor-north-2023".
    Reference: claims S0-23, S0-25, S0-26, S0-36, S0-37; mee-nbs-grid-factor-2022/2023.
    """
    claims = _claims(dataset)
    official = claim_value(claims, official_factor_claim, "kg CO2", "claim_audit")
    rows = []
    for tonnes_id, kwh_id, what in AUDIT_CLAIMS:
        stated_t = claim_value(claims, tonnes_id, "t CO2e", "claim_audit")
        stated_kwh = claim_value(claims, kwh_id, "kWh", "claim_audit") if kwh_id else np.nan
        has_kwh = kwh_id is not None
        expected = emissions.operational_emissions_t(stated_kwh / KWH_PER_MWH, official) if has_kwh else np.nan
        rows.append({
            "claim_id": tonnes_id,
            "energy_claim_id": kwh_id,
            "what": what,
            "stated_kwh": stated_kwh,
            "stated_t": stated_t,
            "implied_kg_per_kwh": emissions.implied_grid_factor_kg_per_kwh(stated_t, stated_kwh) if has_kwh else np.nan,
            "official_factor_claim": official_factor_claim,
            "official_kg_per_kwh": official,
            "expected_t": expected,
            "stated_over_expected": stated_t / expected if has_kwh else np.nan,
            "implied_kwh": stated_t * KG_PER_T / official,
        })
    return pd.DataFrame(rows)


def credit_deals(dataset=None) -> pd.DataFrame:
    """Carbon-credit purchases compared: ByteDance's with Microsoft's and Meta's.

    credits_t = claim value x tonnes per unit ("Mt" -> 1e6); multiple_of_bytedance
    = credits_t / ByteDance's credits. Microsoft's 18 Mt is a 15-20-year offtake
    and Meta's 676,000 run to 2035 (rubicon-microsoft-2025): compare them with
    `credit_coverage_years` against the fleet's emissions, not as one year's volume.
    Reference: claims S0-02, S0-32, S0-33.
    """
    claims = _claims(dataset)
    rows = []
    for claim_id, buyer, seller in CREDIT_DEAL_CLAIMS:
        claim = claim_record(claims, claim_id, "credit_deals")
        unit_word = claim.unit.split()[0] if claim.unit.split() else ""
        if unit_word not in _TONNES_PER_UNIT:
            raise DataError(
                f"credit_deals: claim '{claim_id}' needs a unit starting with one of "
                f"{sorted(_TONNES_PER_UNIT)}, got '{claim.unit}'"
            )
        value = claim_value(claims, claim_id, unit_word, "credit_deals")
        rows.append({"claim_id": claim_id, "buyer": buyer, "seller": seller,
                     "credits_t": value * _TONNES_PER_UNIT[unit_word],
                     "as_of": claim.as_of, "english": claim.english})
    table = pd.DataFrame(rows)
    bytedance = table.loc[table["buyer"] == "ByteDance", "credits_t"].iloc[0]
    table["multiple_of_bytedance"] = table["credits_t"] / bytedance
    return table[["claim_id", "buyer", "seller", "credits_t", "multiple_of_bytedance", "as_of", "english"]]


def greenly_audit(dataset=None) -> pd.DataFrame:
    """Consistency checks of Greenly's TikTok figures as seed 000 reports them.

    Rows: users implied in the US, UK and France (7.6 Mt / 48.49 kg) and globally
    (~50 Mt / 48.49 kg) with `implied_users`; global over three-country footprint;
    global footprint over Greece's 2023 emissions (51.67 Mt, probably CO2 only);
    grams per viewing hour at 45 min a day (`footprint_per_viewing_hour_g`);
    the per-user footprint rebuilt from Greenly's 2.921 g per minute; TikTok over
    YouTube per user-year. This is a user-side lifecycle scope, not ByteDance's
    operational emissions. Reference: claims S0-13 to S0-18,
    X-greenly-tiktok-g-per-min (greenly-tiktok-2024); seed notes section 3 item 17.
    """
    claims = _claims(dataset)

    def value(claim_id: str, unit_prefix: str) -> float:
        return claim_value(claims, claim_id, unit_prefix, "greenly_audit")

    three_t = value("S0-13", "Mt") * T_PER_MT
    global_t = value("S0-14", "Mt") * T_PER_MT
    greece_t = value("S0-15", "Mt") * T_PER_MT
    per_user_kg = value("S0-17", "kg CO2e/user/yr")
    youtube_kg = value("S0-18", "kg CO2e/user/yr")
    minutes = value("S0-16", "min/user/day")
    g_per_min = value("X-greenly-tiktok-g-per-min", "g CO2e per minute")
    rows = [
        ("users implied, US + UK + France", emissions.implied_users(three_t, per_user_kg), "users",
         "S0-13, S0-17", "7.6 Mt / 48.49 kg per user-year"),
        ("users implied, global", emissions.implied_users(global_t, per_user_kg), "users",
         "S0-14, S0-17", "~50 Mt / 48.49 kg; roughly TikTok's global MAU, without Douyin"),
        ("global / US + UK + France footprint", global_t / three_t, "ratio",
         "S0-13, S0-14", "the three countries' share of users is its inverse"),
        ("global footprint / Greece's 2023 emissions", global_t / greece_t, "ratio",
         "S0-14, S0-15", "CO2e compared with (probably) CO2 only"),
        ("footprint per viewing hour", emissions.footprint_per_viewing_hour_g(per_user_kg, minutes), "g CO2e per hour",
         "S0-16, S0-17", "several times typical video-streaming estimates"),
        ("per-user footprint from g per minute x 45 min a day",
         g_per_min * minutes * DAYS_PER_YEAR / G_PER_KG, "kg CO2e per user-year",
         "X-greenly-tiktok-g-per-min, S0-16", "against the stated 48.49 kg (Greenly used ~45.5 min)"),
        ("TikTok / YouTube per user-year", per_user_kg / youtube_kg, "ratio",
         "S0-17, S0-18", "same Greenly study"),
    ]
    return pd.DataFrame(rows, columns=["check", "value", "unit", "claims", "note"])


def per_query_benchmarks(dataset=None) -> pd.DataFrame:
    """Public per-query energy and emissions figures, from data/claims.yaml by id.

    One row per claim in PER_QUERY_CLAIMS with its source, value, unit and date;
    `quantity` is "energy_wh" or "emissions_g". Boundaries differ: Google's 0.24 Wh
    includes idle capacity and data-centre overhead (0.10 Wh accelerators only) and
    its 0.03 g is market-based; Epoch's ~0.3 Wh is a GPU server's energy with a PUE of 1.2 (X-epoch-query-pue).
    Reference: google-gemini-prompt-energy-2025, epoch-chatgpt-energy-2025,
    altman-gentle-singularity-2025.
    """
    claims = _claims(dataset)
    rows = []
    for claim_id in PER_QUERY_CLAIMS:
        claim = claim_record(claims, claim_id, "per_query_benchmarks")
        quantity = "energy_wh" if claim.unit.startswith("Wh") else "emissions_g"
        value = claim_value(claims, claim_id, "Wh" if quantity == "energy_wh" else "g CO2e", "per_query_benchmarks")
        rows.append({"claim_id": claim_id, "source": claim.source, "quantity": quantity,
                     "value": value, "unit": claim.unit, "as_of": claim.as_of, "english": claim.english})
    return pd.DataFrame(rows)


# Official grid factors the chapter compares (MEE & NBS releases), by claim id.
GRID_SCENARIO_CLAIMS = (
    "X-grid-factor-china-2022",
    "X-grid-factor-china-2023",
    "X-grid-factor-china-ets",
    "X-grid-factor-china-excl-green-2023",
    "X-grid-factor-north-2023",
    "X-grid-factor-north-2022",
)


def grid_scenarios(energy_gwh, dataset=None, claim_ids: tuple[str, ...] = GRID_SCENARIO_CLAIMS) -> pd.DataFrame:
    """Annual operational emissions of the fleet's energy at each official grid factor, location-based.

    emissions_mt = energy_gwh x 1000 MWh/GWh x factor / 1000 kg/t / 1e6 t/Mt
    (`operational_emissions_t`), for each factor claim in `claim_ids`, read from
    data/claims.yaml, as published for its year. `energy_gwh` may be Monte Carlo
    draws: each row then gives the P10/P50/P90 of the emissions at that factor, so
    the spread within a row is the fleet's, and the spread between rows is the
    grid's. Sorted by factor, lowest first.
    Reference: mee-nbs-grid-factor-2022, mee-nbs-grid-factor-2023, mee-ets-grid-factor-2023.
    """
    claims = _claims(dataset)
    rows = []
    for claim_id in claim_ids:
        factor = claim_value(claims, claim_id, "kg CO2", "grid_scenarios")
        emissions_mt = emissions.operational_emissions_t(energy_gwh * MWH_PER_GWH, factor) / T_PER_MT
        rows.append({"scenario": claim_record(claims, claim_id, "grid_scenarios").english, "claim_id": claim_id,
                     "kg_per_kwh": factor, **{f"{k}_mt": v for k, v in percentiles(emissions_mt).items()}})
    return pd.DataFrame(rows).sort_values("kg_per_kwh", kind="stable", ignore_index=True)


def factor_comparison(official_claims: tuple[str, ...] = GRID_SCENARIO_CLAIMS, dataset=None) -> pd.DataFrame:
    """The grid factors the company's PV claims imply, next to the official factors.

    Rows of `claim_audit` that state both tonnes and kWh (implied factor = stated
    t x 1000 / stated kWh), then one row per official factor claim. Columns: label,
    kind ("implied by a company claim" or "official grid factor"), claim_id,
    kg_per_kwh. For a dot chart on a log axis. Reference: claims S0-25, S0-26,
    S0-36, S0-37; mee-nbs-grid-factor-2022/2023.
    """
    claims = _claims(dataset)
    audit = claim_audit(dataset=dataset).dropna(subset=["implied_kg_per_kwh"])
    rows = [{"label": row.what, "kind": "implied by a company claim", "claim_id": row.claim_id,
             "kg_per_kwh": row.implied_kg_per_kwh} for row in audit.itertuples()]
    rows += [{"label": claim_record(claims, cid, "factor_comparison").english, "kind": "official grid factor",
              "claim_id": cid, "kg_per_kwh": claim_value(claims, cid, "kg CO2", "factor_comparison")}
             for cid in official_claims]
    return pd.DataFrame(rows, columns=["label", "kind", "claim_id", "kg_per_kwh"])


def emissions_trajectory(p: Mapping) -> pd.DataFrame:
    """Yearly emissions of the whole fleet from the fleet year to the target year, against the credits
    and the offset.

    For each year y from `fleet_base_year` to `neutrality_target_year`, from the
    footprint's fleet-year energy and grid factor (`emissions.footprint`):
    energy_y = emissions.grow(energy, energy_growth_per_year, y - base), factor_y =
    emissions.grow(fleet-year factor, grid_factor_change_per_year, y - base), gross_y =
    energy_y x factor_y (location-based), net_y = `operational_emissions_t` with the
    green share and the residual mix (market-based, as the footprint's),
    offset_y = gross_y x offset_share_2030 (what the plan's offset would need that
    year; the plan applies to the target year), and the credits (constant). `p` is
    as for `footprint`; with Monte Carlo arrays each row gives the P10/P50/P90 of the
    draws. Long format: year, series, p10_t, p50_t, p90_t. Reference: claims S0-02,
    S0-29, S0-30; iea-energy-and-ai-2025.
    """
    base = chain.evaluate(p, "emissions").emissions
    first, last = int(np.min(p["fleet_base_year"])), int(np.max(p["neutrality_target_year"]))
    green, residual, offset_share = p["green_power_share"], p["residual_mix_ratio"], p["offset_share_2030"]
    rows = []
    for year in range(first, last + 1):
        energy_mwh = emissions.grow(base.whole_fleet_annual_energy_gwh, p["energy_growth_per_year"], year - first) * MWH_PER_GWH
        factor = emissions.grow(base.grid_factor_fleet_year_kg_per_kwh, p["grid_factor_change_per_year"], year - first)
        gross_t = emissions.operational_emissions_t(energy_mwh, factor)
        for series, values in (("emissions, net of green power",
                                emissions.operational_emissions_t(energy_mwh, factor, green, residual)),
                               ("offset the plan needs (share of gross)", gross_t * offset_share),
                               ("carbon credits bought in 2025", p["carbon_credits_t"])):
            rows.append({"year": year, "series": series,
                         **{f"{k}_t": v for k, v in percentiles(values).items()}})
    return pd.DataFrame(rows)


def per_query_comparison(model_wh, model_g, dataset=None) -> pd.DataFrame:
    """The model's energy and emissions per query next to the public per-query figures.

    `model_wh` and `model_g` are floats or Monte Carlo draws of `footprint`'s
    energy_per_query_wh and emissions_per_query_g; their rows carry P10/P50/P90,
    each benchmark (`per_query_benchmarks`) three equal values. Columns: label,
    claim_id (None for the model), quantity ("energy_wh" / "emissions_g"), p10,
    p50, p90, as_of. Reference: google-gemini-prompt-energy-2025, epoch-chatgpt-energy-2025.
    """
    bench = per_query_benchmarks(dataset)
    rows = [{"label": "ByteDance fleet (this model)", "claim_id": None, "quantity": quantity,
             **percentiles(values), "as_of": "2026 fleet"}
            for quantity, values in (("energy_wh", model_wh), ("emissions_g", model_g))]
    rows += [{"label": row.english, "claim_id": row.claim_id, "quantity": row.quantity,
              **percentiles(row.value), "as_of": row.as_of} for row in bench.itertuples()]
    return pd.DataFrame(rows, columns=["label", "claim_id", "quantity", "p10", "p50", "p90", "as_of"])


# ---------------------------------------------------------------------------- figures the text quotes

# The claims the chapter's text quotes, by the name the text uses (`analysis.report.glue.claims`).
QUOTED_CLAIMS = {
    "credits_claim_t": "S0-02", "cut_claim_pct": "S0-30", "beijing_green_pct": "S0-22", "beijing_saving_t": "S0-23",
    "pv_kw": "S0-24", "pv_kwh": "S0-36", "pv_t": "S0-25", "shed_kwh": "S0-37", "shed_t": "S0-26",
    "microsoft_mt": "S0-32", "meta_credits": "S0-33", "gemini_wh": "X-gemini-prompt-energy",
    "gemini_g": "X-gemini-prompt-co2", "epoch_wh": "X-chatgpt-query-energy-epoch", "greenly_3_mt": "S0-13",
    "greenly_global_mt": "S0-14", "greece_mt": "S0-15", "tiktok_kg": "S0-17", "youtube_kg": "S0-18",
    "tiktok_minutes": "S0-16", "grid_china_2022": "X-grid-factor-china-2022",
    "grid_china_2023": "X-grid-factor-china-2023", "grid_north_2023": "X-grid-factor-north-2023",
    "grid_china_excl_green_2023": "X-grid-factor-china-excl-green-2023",
    "seed_draw": "S0-34",
}


def base_figures(base: emissions.Footprint, dataset) -> dict[str, float]:
    """The footprint with every input at its value: energy, gross, net and avoided emissions (Mt),
    the average draw (kWh per hour, three significant figures), and the grams per Wh of a query
    over Gemini's (claims X-gemini-prompt-co2, X-gemini-prompt-energy)."""
    claims = _claims(dataset)
    gemini_g_per_wh = claims["X-gemini-prompt-co2"].value / claims["X-gemini-prompt-energy"].value
    return {
        "base_energy_gwh": float(base.whole_fleet_annual_energy_gwh),
        "base_cohort_energy_gwh": float(base.annual_energy_gwh),
        "base_cohort_net_mt": float(base.cohort_annual_emissions_t / T_PER_MT),
        "base_grid_factor_2026": float(base.grid_factor_fleet_year_kg_per_kwh),
        "base_gross_mt": float(base.gross_annual_emissions_t / T_PER_MT),
        "base_net_mt": float(base.annual_emissions_t / T_PER_MT),
        "base_avoided_mt": float(base.green_power_avoided_t / T_PER_MT),
        "base_draw_kwh_per_hour": round_significant(base.average_draw_kwh_per_hour),
        "g_per_wh_ratio": float(base.emissions_per_query_g / base.energy_per_query_wh / gemini_g_per_wh),
    }


def claim_check_figures(dataset, base: emissions.Footprint) -> dict[str, float]:
    """What the company's PV and green-power claims imply (`claim_audit`), and seed 000's
    "tens of thousands of kWh per hour" (S0-34) as a share of the fleet's average draw."""
    china = claim_audit("X-grid-factor-china-2023", dataset).set_index("claim_id")
    north = claim_audit("X-grid-factor-north-2023", dataset).set_index("claim_id")
    draw = _claims(dataset)["S0-34"]
    return {
        "pv_implied": float(china.loc["S0-25", "implied_kg_per_kwh"]),
        "shed_implied": float(china.loc["S0-26", "implied_kg_per_kwh"]),
        "pv_over": float(china.loc["S0-25", "stated_over_expected"]),
        "shed_over": float(china.loc["S0-26", "stated_over_expected"]),
        "beijing_implied_gwh": float(north.loc["S0-23", "implied_kwh"] / KWH_PER_GWH),
        "seed_draw_share_low": float(draw.value / base.average_draw_kwh_per_hour),
        "seed_draw_share_high": float(draw.value_high / base.average_draw_kwh_per_hour),
    }


def deal_figures(deals: pd.DataFrame) -> dict[str, float]:
    """Microsoft's and Meta's credit purchases (`credit_deals` with a `fleet_years` column: credits
    over the fleet's annual emissions) against ByteDance's."""
    by_buyer = deals.set_index("buyer")
    return {
        "microsoft_multiple": float(by_buyer.loc["Microsoft", "multiple_of_bytedance"]),
        "microsoft_fleet_years": float(by_buyer.loc["Microsoft", "fleet_years"]),
        "meta_fleet_years": float(by_buyer.loc["Meta", "fleet_years"]),
    }


def greenly_figures(greenly: pd.DataFrame, dataset, annual_emissions_t_p50: float) -> dict[str, float]:
    """Greenly's TikTok estimate rebuilt (`greenly_audit`, in its row order), and its global figure
    (claim S0-14) over the fleet's median annual emissions."""
    value = greenly["value"]
    return {
        "users_3_m": float(value.iloc[0] / COUNT_PER_M),
        "users_global_bn": float(value.iloc[1] / COUNT_PER_BN),
        "global_over_3": float(value.iloc[2]),
        "global_over_greece": float(value.iloc[3]),
        "g_per_hour": float(value.iloc[4]),
        "per_user_rebuilt": float(value.iloc[5]),
        "tiktok_over_youtube": float(value.iloc[6]),
        "tiktok_over_fleet": float(_claims(dataset)["S0-14"].value * T_PER_MT / annual_emissions_t_p50),
    }
