"""Emissions: what the fleet's energy emits, what the credits cover, and what a query costs.

Pure, vectorized model functions: every argument may be a float, a numpy array
or a pandas Series (which keeps its index), and arrays broadcast as numpy does.
The unit of every quantity is in its name. Invalid input raises ValueError with
the bad value and the valid range.

The chain is fleet IT power -> facility energy (utilization, PUE) -> operational
emissions (grid factor, green-power share) -> years of emissions the company's
carbon credits cover -> the 2030 plan (cut 90%, offset 10%) -> energy and
emissions per thousand tokens and per chatbot query. `footprint(p)` runs it on a
mapping of parameter name -> value (data/parameters/), calling `capex.fleet(p)`
for the fleet.

`claim_audit`, `credit_deals`, `greenly_audit` and `per_query_benchmarks` build
tidy tables from data/claims.yaml by claim id, so no seed number is retyped here.
Claim ids (S0-xx ...; X-... for external figures) are in data/claims.yaml,
source ids in data/sources.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import capex
from .capex import _pue
from .errors import DataError
from .units import (
    DAYS_PER_YEAR,
    G_PER_KG,
    HOURS_PER_YEAR,
    KG_PER_T,
    KWH_PER_GWH,
    KWH_PER_MWH,
    MINUTES_PER_HOUR,
    MWH_PER_GWH,
    T_PER_MT,
    TOKENS_PER_K,
    TOKENS_PER_T,
    W_PER_KW,
    WH_PER_KWH,
)
from .checks import Outputs, read_parameter
from .data import claim_record as _claim
from .data import claim_value as _value
from .data import claims_of as _claims
from .checks import fraction as _fraction
from .checks import non_negative as _non_negative
from .checks import positive as _positive
from .checks import require as _require

# --------------------------------------------------------------------------- energy

def gpu_energy_mwh(gpu_hours, power_w, pue=1.0):
    """Energy drawn by accelerators over some GPU-hours, optionally with facility overhead.

    energy_mwh = gpu_hours x power_w / 1000 x PUE / 1000

    With pue=1 (the default) this is the accelerators alone, the boundary of
    Meta's model cards. Reference: Llama 2 7B, 184,320 A100 GPU-hours at 400 W
    (meta-llama2-model-card, claims X-llama2-7b-gpu-hours, X-llama2-7b-power);
    Llama 3 8B, 1.3 M H100 GPU-hours at 700 W (meta-llama3-model-card).
    """
    _non_negative("gpu_hours", gpu_hours)
    _non_negative("power_w", power_w)
    _pue(pue)
    return gpu_hours * power_w / W_PER_KW * pue / KWH_PER_MWH


def facility_energy_mwh(it_power_mw, hours, utilization, pue):
    """Energy a data centre draws over `hours`, busy a fraction `utilization` of the time.

    energy_mwh = it_power_mw x utilization x hours x PUE

    Same formula as `capex.annual_energy_gwh(capex.facility_power_mw(...))`, in MWh
    and for any period. Reference: seed notes section 3 item 16 (Datong, 144 MW
    IT x 70% x PUE 1.25 x 8,760 h ~ 1.1 TWh a year; claim S0-28).
    """
    _non_negative("it_power_mw", it_power_mw)
    _non_negative("hours", hours)
    _fraction("utilization", utilization)
    _pue(pue)
    return it_power_mw * utilization * hours * pue


def operational_emissions_t(energy_mwh, grid_kg_per_kwh, green_share=0.0):
    """Operational (Scope 2) emissions of grid power, less the green-power share.

    emissions_t = energy_mwh x 1000 kWh/MWh x grid_kg_per_kwh x (1 - green_share) / 1000 kg/t

    The green share is taken as zero-carbon; the rest is charged at the grid
    factor (location-based when green_share = 0). Reference: Patterson et al. 2021
    (patterson-2021): GPT-3, 1,287 MWh x 0.429 kg/kWh = 552 tCO2e; China's
    official factors, MEE & NBS (mee-nbs-grid-factor-2022, mee-nbs-grid-factor-2023).
    """
    _non_negative("energy_mwh", energy_mwh)
    _non_negative("grid_kg_per_kwh", grid_kg_per_kwh)
    _fraction("green_share", green_share)
    return energy_mwh * KWH_PER_MWH * grid_kg_per_kwh * (1 - green_share) / KG_PER_T


def implied_grid_factor_kg_per_kwh(emissions_t, energy_kwh):
    """The emission factor a stated pair of tonnes and kWh implies, for auditing claims.

    factor_kg_per_kwh = emissions_t x 1000 kg/t / energy_kwh

    Reference: claims S0-25/S0-36 (5,182 kWh "equal to" 27.9 t: ~5.38 kg/kWh) and
    S0-26/S0-37 (420 kWh for 4.99 t: ~11.9 kg/kWh), against China's grid at
    0.53-0.57 (seed notes section 3 item 14); Llama 2 7B, 31.22 t for 73.7 MWh
    (~0.42, meta-llama2-model-card).
    """
    _non_negative("emissions_t", emissions_t)
    _positive("energy_kwh", energy_kwh)
    return emissions_t * KG_PER_T / energy_kwh


def grow(value, rate_per_year, years):
    """Compound growth: value x (1 + rate_per_year) ** years.

    Used for the fleet's energy and the grid factor from the fleet year to the
    target year. Reference: IEA Energy and AI (iea-energy-and-ai-2025): China's
    data-centre electricity 102 -> 277 TWh over 2024-2030, about +18.1% a year.
    """
    _require("rate_per_year", rate_per_year, lambda a: a > -1, "a finite number > -1 (a yearly change)")
    _non_negative("years", years)
    return value * (1 + rate_per_year) ** years


# --------------------------------------------------------------------------- credits and the 2030 plan

def credit_coverage_years(credits_t, annual_emissions_t):
    """Years of emissions a stock of carbon credits offsets.

    years = credits_t / annual_emissions_t

    Infinite when there are no emissions. Reference: ByteDance's >100,000 t of
    Rubicon credits (claim S0-02); seed notes section 3 item 16 (100k t is about
    11-16% of one year of the Datong site's grid emissions).
    """
    _non_negative("credits_t", credits_t)
    _non_negative("annual_emissions_t", annual_emissions_t)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.true_divide(credits_t, annual_emissions_t)


def offset_needed_t(annual_emissions_t, offset_share):
    """Credits needed to offset a share of a year's emissions.

    offset_t = annual_emissions_t x offset_share

    Reference: ByteDance's 2030 plan, cut at least 90% of operational emissions
    and offset the remaining 10% (claims S0-29, S0-30).
    """
    _non_negative("annual_emissions_t", annual_emissions_t)
    _fraction("offset_share", offset_share)
    return annual_emissions_t * offset_share


# --------------------------------------------------------------------------- per unit of use

def energy_per_thousand_tokens_wh(annual_energy_gwh, tokens_per_day):
    """Average energy per thousand tokens of a year's energy spread over a daily token volume.

    wh_per_1k_tokens = annual_energy_gwh x 1e9 Wh/GWh / (tokens_per_day x 365) x 1000

    `tokens_per_day` is a count of tokens (not trillions). Pass only the energy
    that serves the tokens (see `footprint`). Reference: Doubao's 50 trillion
    tokens a day in December 2025 (claim S2-03); token volumes are parameters of
    the token-economics chapter.
    """
    _non_negative("annual_energy_gwh", annual_energy_gwh)
    _positive("tokens_per_day", tokens_per_day)
    wh_per_year = annual_energy_gwh * KWH_PER_GWH * WH_PER_KWH
    return wh_per_year / (tokens_per_day * DAYS_PER_YEAR) * TOKENS_PER_K


def energy_per_query_wh(energy_per_thousand_tokens_wh, tokens_per_query):
    """Energy of one chatbot query of `tokens_per_query` tokens.

    wh_per_query = energy_per_thousand_tokens_wh x tokens_per_query / 1000

    Compare with Google's median Gemini text prompt, 0.24 Wh (claim
    X-gemini-prompt-energy, google-gemini-prompt-energy-2025) and Epoch AI's
    ~0.3 Wh per ChatGPT query (X-chatgpt-query-energy-epoch, epoch-chatgpt-energy-2025).
    """
    _non_negative("energy_per_thousand_tokens_wh", energy_per_thousand_tokens_wh)
    _non_negative("tokens_per_query", tokens_per_query)
    return energy_per_thousand_tokens_wh * tokens_per_query / TOKENS_PER_K


def emissions_per_query_g(energy_per_query_wh, grid_kg_per_kwh, green_share=0.0):
    """Emissions of one query's energy.

    g_per_query = energy_per_query_wh / 1000 Wh/kWh x grid_kg_per_kwh x (1 - green_share) x 1000 g/kg

    Reference: Google's median Gemini prompt, 0.24 Wh and 0.03 gCO2e (market-based;
    claims X-gemini-prompt-energy, X-gemini-prompt-co2), i.e. 0.125 g/Wh.
    """
    _non_negative("energy_per_query_wh", energy_per_query_wh)
    _non_negative("grid_kg_per_kwh", grid_kg_per_kwh)
    _fraction("green_share", green_share)
    return energy_per_query_wh / WH_PER_KWH * grid_kg_per_kwh * (1 - green_share) * G_PER_KG


def implied_users(total_t, kg_per_user):
    """Users a total footprint implies at a per-user footprint.

    users = total_t x 1000 kg/t / kg_per_user

    Reference: Greenly via seed 000 (greenly-tiktok-2024): 7.6 Mt / 48.49 kg ~ 157 M
    users in the US, UK and France, ~50 Mt / 48.49 kg ~ 1.03 bn globally (claims
    S0-13, S0-14, S0-17; seed notes section 3 item 17).
    """
    _non_negative("total_t", total_t)
    _positive("kg_per_user", kg_per_user)
    return total_t * KG_PER_T / kg_per_user


def footprint_per_viewing_hour_g(kg_per_user_year, minutes_per_day):
    """Footprint per hour of use implied by a yearly per-user footprint and daily use.

    g_per_hour = kg_per_user_year x 1000 g/kg / (minutes_per_day / 60 x 365)

    Reference: 48.49 kg a year at 45 min a day is ~177 g per viewing hour (claims
    S0-16, S0-17; seed notes section 3 item 17).
    """
    _non_negative("kg_per_user_year", kg_per_user_year)
    _positive("minutes_per_day", minutes_per_day)
    hours_per_year = minutes_per_day / MINUTES_PER_HOUR * DAYS_PER_YEAR
    return kg_per_user_year * G_PER_KG / hours_per_year


# --------------------------------------------------------------------------- the whole chain

EMISSIONS_PARAMETERS = (
    "grid_factor_kg_per_kwh",
    "green_power_share",
    "grid_factor_change_per_year",
    "carbon_credits_t",
    "cut_share_2030",
    "offset_share_2030",
    "neutrality_target_year",
    "fleet_base_year",
    "energy_growth_per_year",
    "token_serving_share_of_energy",
    "tokens_per_query",
)
"""The parameters of data/parameters/emissions.yaml that `footprint` reads."""

TOKEN_PARAMETERS = ("tokens_per_day_dec_2025_t",)
"""Parameters of the token-economics chapter that `footprint` reads (trillion tokens a day)."""

FOOTPRINT_PARAMETERS = tuple(capex.FLEET_PARAMETERS) + EMISSIONS_PARAMETERS + TOKEN_PARAMETERS
"""Every parameter name `footprint` reads, as in data/parameters/."""


@dataclass(frozen=True, eq=False)
class Footprint(Outputs):
    """The fleet's energy, emissions, credit coverage, 2030 plan and per-query figures.

    Fields are floats or arrays, units in names. Also a read-only mapping of field
    name -> value, so it can be handed to `uncertainty.simulate` and `tornado` as it is.
    """

    # energy (from the capex fleet)
    it_power_mw: object
    facility_power_mw: object
    annual_energy_gwh: object
    average_draw_kwh_per_hour: object
    # emissions in the fleet year
    gross_annual_emissions_t: object
    annual_emissions_t: object
    green_power_avoided_t: object
    # the credits bought in 2025
    credit_coverage_years: object
    credit_coverage_days: object
    # the 2030 plan
    years_to_target: object
    energy_2030_gwh: object
    grid_factor_2030_kg_per_kwh: object
    gross_emissions_2030_t: object
    cut_2030_t: object
    offset_2030_t: object
    unoffset_residual_2030_t: object
    credit_coverage_of_offset_2030_years: object
    # per unit of use
    token_energy_gwh: object
    energy_per_thousand_tokens_wh: object
    energy_per_query_wh: object
    emissions_per_query_g: object



def _read(p: Mapping, name: str):
    return read_parameter(p, name, FOOTPRINT_PARAMETERS, "footprint()")


def footprint(p: Mapping) -> Footprint:
    """Energy and operational emissions of the 2026 fleet, what the credits cover, and per query.

    `p` maps the names in FOOTPRINT_PARAMETERS (data/parameters/) to floats or
    equal-length numpy arrays (Monte Carlo draws). Steps:

    1. The fleet's IT power from `capex.fleet(p)`; energy = IT power x
       utilization x 8,760 h x PUE (`facility_energy_mwh`).
    2. Gross (location-based) emissions = energy x grid factor (MEE & NBS; North
       grid 2023 by default, mee-nbs-grid-factor-2023); net of the green-power
       share (`operational_emissions_t`).
    3. Years (and days) of net emissions the >100,000 t of credits cover (claim S0-02).
    4. The 2030 plan (claims S0-29, S0-30): energy grows at `energy_growth_per_year`
       and the grid factor changes at `grid_factor_change_per_year` from
       `fleet_base_year` to `neutrality_target_year`; of the gross emissions then,
       `cut_share_2030` is abated and `offset_share_2030` offset with credits;
       what is neither is the un-offset residual (zero when the shares add to 1).
    5. Per unit of use: the share of energy that serves tokens, spread over the
       daily token volume (`tokens_per_day_dec_2025_t`, trillion a day, claim
       S2-03), per thousand tokens and per query of `tokens_per_query` tokens;
       emissions per query at the fleet-year grid factor and green share. Compare
       with Google's 0.24 Wh / 0.03 gCO2e per Gemini prompt and Epoch AI's ~0.3 Wh
       per ChatGPT query (`per_query_benchmarks`). The token volume is December
       2025's while the fleet is 2026's: if tokens keep growing, energy per token
       is lower than shown.
    """
    def get(name: str):
        return _read(p, name)

    for name in FOOTPRINT_PARAMETERS:  # name every missing parameter before any work
        get(name)
    # Validate under the parameter names, so a bad -p override is named as the reader typed it.
    _non_negative("grid_factor_kg_per_kwh", get("grid_factor_kg_per_kwh"))
    for name in ("green_power_share", "cut_share_2030", "offset_share_2030", "token_serving_share_of_energy"):
        _fraction(name, get(name))
    for name in ("grid_factor_change_per_year", "energy_growth_per_year"):
        _require(name, get(name), lambda a: a > -1, "a finite number > -1 (a yearly change)")
    _non_negative("carbon_credits_t", get("carbon_credits_t"))
    _positive("tokens_per_day_dec_2025_t", get("tokens_per_day_dec_2025_t"))
    _non_negative("tokens_per_query", get("tokens_per_query"))

    # 1. energy
    f = capex.fleet(p)
    pue = get("pue")
    energy_mwh = facility_energy_mwh(f.it_power_mw, HOURS_PER_YEAR, get("fleet_utilization"), pue)
    energy_gwh = energy_mwh / MWH_PER_GWH

    # 2. emissions in the fleet year
    grid = get("grid_factor_kg_per_kwh")
    green = get("green_power_share")
    gross_t = operational_emissions_t(energy_mwh, grid)
    net_t = operational_emissions_t(energy_mwh, grid, green)

    # 3. credits
    credits = get("carbon_credits_t")
    coverage_years = credit_coverage_years(credits, net_t)

    # 4. the 2030 plan
    years = get("neutrality_target_year") - get("fleet_base_year")
    _require("neutrality_target_year - fleet_base_year", years, lambda a: a >= 0,
             "a number of years >= 0 (the target year cannot precede the fleet year)")
    energy_2030_gwh = grow(energy_gwh, get("energy_growth_per_year"), years)
    grid_2030 = grow(grid, get("grid_factor_change_per_year"), years)
    gross_2030_t = operational_emissions_t(energy_2030_gwh * MWH_PER_GWH, grid_2030)
    cut_share = get("cut_share_2030")
    offset_share = get("offset_share_2030")
    offset_2030 = offset_needed_t(gross_2030_t, offset_share)

    # 5. per unit of use
    serving_share = get("token_serving_share_of_energy")
    tokens_t = get("tokens_per_day_dec_2025_t")
    token_gwh = energy_gwh * serving_share
    per_1k_wh = energy_per_thousand_tokens_wh(token_gwh, tokens_t * TOKENS_PER_T)
    per_query_wh = energy_per_query_wh(per_1k_wh, get("tokens_per_query"))

    return Footprint(
        it_power_mw=f.it_power_mw,
        facility_power_mw=f.facility_power_mw,
        annual_energy_gwh=energy_gwh,
        average_draw_kwh_per_hour=energy_gwh * KWH_PER_GWH / HOURS_PER_YEAR,
        gross_annual_emissions_t=gross_t,
        annual_emissions_t=net_t,
        green_power_avoided_t=gross_t - net_t,
        credit_coverage_years=coverage_years,
        credit_coverage_days=coverage_years * DAYS_PER_YEAR,
        years_to_target=years,
        energy_2030_gwh=energy_2030_gwh,
        grid_factor_2030_kg_per_kwh=grid_2030,
        gross_emissions_2030_t=gross_2030_t,
        cut_2030_t=gross_2030_t * cut_share,
        offset_2030_t=offset_2030,
        unoffset_residual_2030_t=gross_2030_t * (1 - (cut_share + offset_share)),
        credit_coverage_of_offset_2030_years=credit_coverage_years(credits, offset_2030),
        token_energy_gwh=token_gwh,
        energy_per_thousand_tokens_wh=per_1k_wh,
        energy_per_query_wh=per_query_wh,
        emissions_per_query_g=emissions_per_query_g(per_query_wh, grid, green),
    )


# --------------------------------------------------------------------------- claims, by id

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
    official = _value(claims, official_factor_claim, "kg CO2", "claim_audit")
    rows = []
    for tonnes_id, kwh_id, what in AUDIT_CLAIMS:
        stated_t = _value(claims, tonnes_id, "t CO2e", "claim_audit")
        stated_kwh = _value(claims, kwh_id, "kWh", "claim_audit") if kwh_id else np.nan
        has_kwh = kwh_id is not None
        expected = operational_emissions_t(stated_kwh / KWH_PER_MWH, official) if has_kwh else np.nan
        rows.append({
            "claim_id": tonnes_id,
            "energy_claim_id": kwh_id,
            "what": what,
            "stated_kwh": stated_kwh,
            "stated_t": stated_t,
            "implied_kg_per_kwh": implied_grid_factor_kg_per_kwh(stated_t, stated_kwh) if has_kwh else np.nan,
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
        claim = _claim(claims, claim_id, "credit_deals")
        unit_word = claim.unit.split()[0] if claim.unit.split() else ""
        if unit_word not in _TONNES_PER_UNIT:
            raise DataError(
                f"credit_deals: claim '{claim_id}' needs a unit starting with one of "
                f"{sorted(_TONNES_PER_UNIT)}, got '{claim.unit}'"
            )
        value = _value(claims, claim_id, unit_word, "credit_deals")
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
        return _value(claims, claim_id, unit_prefix, "greenly_audit")

    three_t = value("S0-13", "Mt") * T_PER_MT
    global_t = value("S0-14", "Mt") * T_PER_MT
    greece_t = value("S0-15", "Mt") * T_PER_MT
    per_user_kg = value("S0-17", "kg CO2e/user/yr")
    youtube_kg = value("S0-18", "kg CO2e/user/yr")
    minutes = value("S0-16", "min/user/day")
    g_per_min = value("X-greenly-tiktok-g-per-min", "g CO2e per minute")
    rows = [
        ("users implied, US + UK + France", implied_users(three_t, per_user_kg), "users",
         "S0-13, S0-17", "7.6 Mt / 48.49 kg per user-year"),
        ("users implied, global", implied_users(global_t, per_user_kg), "users",
         "S0-14, S0-17", "~50 Mt / 48.49 kg; roughly TikTok's global MAU, without Douyin"),
        ("global / US + UK + France footprint", global_t / three_t, "ratio",
         "S0-13, S0-14", "the three countries' share of users is its inverse"),
        ("global footprint / Greece's 2023 emissions", global_t / greece_t, "ratio",
         "S0-14, S0-15", "CO2e compared with (probably) CO2 only"),
        ("footprint per viewing hour", footprint_per_viewing_hour_g(per_user_kg, minutes), "g CO2e per hour",
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
    its 0.03 g is market-based; Epoch's ~0.3 Wh is the GPU server without PUE.
    Reference: google-gemini-prompt-energy-2025, epoch-chatgpt-energy-2025,
    altman-gentle-singularity-2025.
    """
    claims = _claims(dataset)
    rows = []
    for claim_id in PER_QUERY_CLAIMS:
        claim = _claim(claims, claim_id, "per_query_benchmarks")
        quantity = "energy_wh" if claim.unit.startswith("Wh") else "emissions_g"
        value = _value(claims, claim_id, "Wh" if quantity == "energy_wh" else "g CO2e", "per_query_benchmarks")
        rows.append({"claim_id": claim_id, "source": claim.source, "quantity": quantity,
                     "value": value, "unit": claim.unit, "as_of": claim.as_of, "english": claim.english})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- tidy tables for the chapter's charts

# Official grid factors the chapter compares (MEE & NBS releases), by claim id.
GRID_SCENARIO_CLAIMS = (
    "X-grid-factor-china-2022",
    "X-grid-factor-china-2023",
    "X-grid-factor-china-ets",
    "X-grid-factor-china-excl-green-2023",
    "X-grid-factor-north-2023",
    "X-grid-factor-north-2022",
)


def _percentiles(values) -> dict[str, float]:
    """P10/P50/P90 (uncertainty.PERCENTILES) of draws; a scalar gives three equal values."""
    # Imported here to keep this module's imports light.
    from .uncertainty import PERCENTILES

    flat = np.ravel(np.asarray(values, dtype=float))
    return {f"p{q}": float(v) for q, v in zip(PERCENTILES, np.percentile(flat, list(PERCENTILES)))}


def grid_scenarios(energy_gwh, green_share=0.0, dataset=None,
                   claim_ids: tuple[str, ...] = GRID_SCENARIO_CLAIMS) -> pd.DataFrame:
    """Annual operational emissions of the fleet's energy at each official grid factor.

    emissions_mt = energy_gwh x 1000 MWh/GWh x factor x (1 - green_share) / 1000 kg/t / 1e6 t/Mt
    (`operational_emissions_t`), for each factor claim in `claim_ids`, read from
    data/claims.yaml. `energy_gwh` and `green_share` may be Monte Carlo draws (equal
    length): each row then gives the P10/P50/P90 of the emissions at that factor,
    so the spread within a row is the fleet's and the green share's, and the spread
    between rows is the grid's. Sorted by factor, lowest first.
    Reference: mee-nbs-grid-factor-2022, mee-nbs-grid-factor-2023, mee-ets-grid-factor-2023.
    """
    claims = _claims(dataset)
    rows = []
    for claim_id in claim_ids:
        factor = _value(claims, claim_id, "kg CO2", "grid_scenarios")
        emissions_mt = operational_emissions_t(energy_gwh * MWH_PER_GWH, factor, green_share) / T_PER_MT
        rows.append({"scenario": _claim(claims, claim_id, "grid_scenarios").english, "claim_id": claim_id,
                     "kg_per_kwh": factor, **{f"{k}_mt": v for k, v in _percentiles(emissions_mt).items()}})
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
    rows += [{"label": _claim(claims, cid, "factor_comparison").english, "kind": "official grid factor",
              "claim_id": cid, "kg_per_kwh": _value(claims, cid, "kg CO2", "factor_comparison")}
             for cid in official_claims]
    return pd.DataFrame(rows, columns=["label", "kind", "claim_id", "kg_per_kwh"])


def emissions_trajectory(p: Mapping) -> pd.DataFrame:
    """Yearly emissions from the fleet year to the target year, against the credits and the offset.

    For each year y from `fleet_base_year` to `neutrality_target_year`:
    energy_y = grow(energy, energy_growth_per_year, y - base), factor_y = grow(grid
    factor, grid_factor_change_per_year, y - base), gross_y = energy_y x factor_y,
    net_y = gross_y x (1 - green_power_share), offset_y = gross_y x offset_share_2030
    (what the plan's offset would need that year; the plan applies to the target
    year), and the credits (constant). `p` is as for `footprint`; with Monte Carlo
    arrays each row gives the P10/P50/P90 of the draws. Long format: year, series,
    p10_t, p50_t, p90_t. Reference: claims S0-02, S0-29, S0-30; iea-energy-and-ai-2025.
    """
    base = footprint(p)
    first, last = int(np.min(p["fleet_base_year"])), int(np.max(p["neutrality_target_year"]))
    green, offset_share = p["green_power_share"], p["offset_share_2030"]
    rows = []
    for year in range(first, last + 1):
        energy_gwh = grow(base.annual_energy_gwh, p["energy_growth_per_year"], year - first)
        factor = grow(p["grid_factor_kg_per_kwh"], p["grid_factor_change_per_year"], year - first)
        gross_t = operational_emissions_t(energy_gwh * MWH_PER_GWH, factor)
        for series, values in (("emissions, net of green power", gross_t * (1 - green)),
                               ("offset the plan needs (share of gross)", gross_t * offset_share),
                               ("carbon credits bought in 2025", p["carbon_credits_t"])):
            rows.append({"year": year, "series": series,
                         **{f"{k}_t": v for k, v in _percentiles(values).items()}})
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
             **_percentiles(values), "as_of": "2026 fleet"}
            for quantity, values in (("energy_wh", model_wh), ("emissions_g", model_g))]
    rows += [{"label": row.english, "claim_id": row.claim_id, "quantity": row.quantity,
              **_percentiles(row.value), "as_of": row.as_of} for row in bench.itertuples()]
    return pd.DataFrame(rows, columns=["label", "claim_id", "quantity", "p10", "p50", "p90", "as_of"])
