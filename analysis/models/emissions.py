"""Emissions: what the fleet's energy emits, what the credits cover, and what a query costs.

Pure, vectorized model functions: every argument may be a float, a numpy array
or a pandas Series (which keeps its index), and arrays broadcast as numpy does.
The unit of every quantity is in its name. Invalid input raises ModelInputError
(a ValueError) with the bad value and the valid range.

The chain is fleet IT power -> facility energy (utilization, PUE) -> operational
emissions (grid factor, green-power share) -> years of emissions the company's
carbon credits cover -> the 2030 plan (cut 90%, offset 10%) -> energy and
emissions per thousand tokens and per chatbot query. `footprint(EmissionsInputs,
fleet, traffic)` runs it on the fleet and traffic of the same evaluation
(`analysis.models.chain`). The tables of claims the chapter shows are in
`analysis.report.emissions`. Claim ids (S0-xx ...; X-... for external figures) are in data/claims.yaml,
source ids in data/sources.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import capex, tokens
from .capex import check_pue
from .units import (
    DAYS_PER_YEAR,
    G_PER_KG,
    HOURS_PER_YEAR,
    KG_PER_T,
    KWH_PER_GWH,
    KWH_PER_MWH,
    MINUTES_PER_HOUR,
    MWH_PER_GWH,
    TOKENS_PER_K,
    W_PER_KW,
    WH_PER_KWH,
)
from .validation import Numeric, Outputs, StageInputs, yearly_change
from .validation import fraction as _fraction
from .validation import non_negative as _non_negative
from .validation import positive as _positive
from .validation import require as _require

# --------------------------------------------------------------------------- energy

def gpu_energy_mwh(gpu_hours, power_w, pue=1.0):
    """Energy drawn by accelerators over some GPU-hours, optionally with facility overhead.

    energy_mwh = gpu_hours x power_w / 1000 x pue / 1000

    With pue=1 (the default) this is the accelerators alone, the boundary of
    Meta's model cards.

    Parameters
    ----------
    gpu_hours : float or array [accelerator-hours]
    power_w : float or array [W per accelerator]
    pue : float or array [ratio, >= 1], default 1

    Returns
    -------
    energy_mwh : float or array [MWh]

    References
    ----------
    .. [1] Llama 2 7B, 184,320 A100 GPU-hours at 400 W (meta-llama2-model-card,
       claims X-llama2-7b-gpu-hours, X-llama2-7b-power).
    .. [2] Llama 3 8B, 1.3 M H100 GPU-hours at 700 W (meta-llama3-model-card).

    Examples
    --------
    >>> round(float(gpu_energy_mwh(184_320, 400.0)), 1)
    73.7
    """
    _non_negative("gpu_hours", gpu_hours)
    _non_negative("power_w", power_w)
    check_pue(pue)
    return gpu_hours * power_w / W_PER_KW * pue / KWH_PER_MWH


def operational_emissions_t(energy_mwh, grid_kg_per_kwh, green_share=0.0, residual_mix_ratio=1.0):
    """Operational (Scope 2) emissions of grid power, less the green-power share.

    emissions_t = energy_mwh x 1000 kWh/MWh x grid_kg_per_kwh x residual_mix_ratio
                  x (1 - green_share) / 1000 kg/t

    Location-based with the defaults (every kWh at the average grid factor).
    Market-based with a green share and the residual mix: the green share is
    zero-carbon, and the rest is charged at the factor of the grid power nobody
    bought as green, grid_kg_per_kwh x residual_mix_ratio (the average factor
    already counts the green power others buy; charging the rest at it counts
    that green power twice).

    Parameters
    ----------
    energy_mwh : float or array [MWh]
    grid_kg_per_kwh : float or array [kg CO2 per kWh]
        Grid emission factor.
    green_share : float or array [fraction of energy, 0-1], default 0
    residual_mix_ratio : float or array [ratio, >= 1 in practice], default 1
        Residual-mix factor over the average factor (MEE & NBS publish China's
        factor excluding market-traded non-fossil power: 0.6096 against 0.5306 in
        2023, claims X-grid-factor-china-excl-green-2023, X-grid-factor-china-2023).

    Returns
    -------
    emissions_t : float or array [t CO2]

    References
    ----------
    .. [1] Patterson et al. 2021 (patterson-2021): GPT-3, 1,287 MWh x 0.429 kg/kWh
       = 552 tCO2e.
    .. [2] China's official factors, MEE & NBS (mee-nbs-grid-factor-2022,
       mee-nbs-grid-factor-2023).

    Examples
    --------
    >>> round(float(operational_emissions_t(1_287.0, 0.429)))
    552
    >>> round(float(operational_emissions_t(1_000.0, 0.5, green_share=0.2)), 1)
    400.0
    >>> round(float(operational_emissions_t(1_000.0, 0.5, green_share=0.2, residual_mix_ratio=0.6096 / 0.5306)), 1)
    459.6
    """
    _non_negative("energy_mwh", energy_mwh)
    _non_negative("grid_kg_per_kwh", grid_kg_per_kwh)
    _fraction("green_share", green_share)
    _non_negative("residual_mix_ratio", residual_mix_ratio)
    return energy_mwh * KWH_PER_MWH * grid_kg_per_kwh * residual_mix_ratio * (1 - green_share) / KG_PER_T


def implied_grid_factor_kg_per_kwh(emissions_t, energy_kwh):
    """The emission factor a stated pair of tonnes and kWh implies, for auditing claims.

    factor_kg_per_kwh = emissions_t x 1000 kg/t / energy_kwh

    Parameters
    ----------
    emissions_t : float or array [t CO2]
    energy_kwh : float or array [kWh]

    Returns
    -------
    factor_kg_per_kwh : float or array [kg CO2 per kWh]

    References
    ----------
    .. [1] Claims S0-25/S0-36 (5,182 kWh "equal to" 27.9 t: ~5.38 kg/kWh) and
       S0-26/S0-37 (420 kWh for 4.99 t: ~11.9 kg/kWh), against China's grid at
       0.53-0.57 (seed notes section 3 item 14).
    .. [2] Llama 2 7B, 31.22 t for 73.7 MWh (~0.42, meta-llama2-model-card).

    Examples
    --------
    >>> round(float(implied_grid_factor_kg_per_kwh(27.9, 5_182.0)), 2)
    5.38
    """
    _non_negative("emissions_t", emissions_t)
    _positive("energy_kwh", energy_kwh)
    return emissions_t * KG_PER_T / energy_kwh


def grow(value, rate_per_year, years):
    """Compound growth of a value over a number of years.

    grown = value x (1 + rate_per_year) ** years

    Used for the fleet's energy and the grid factor from the fleet year to the
    target year.

    Parameters
    ----------
    value : float or array [any unit]
    rate_per_year : float or array [fraction per year, > -1]
    years : float or array [years, >= 0]

    Returns
    -------
    grown : float or array [the unit of value]

    References
    ----------
    .. [1] IEA Energy and AI (iea-energy-and-ai-2025): China's data-centre
       electricity 102 -> 277 TWh over 2024-2030, about +18.1% a year.

    Examples
    --------
    >>> round(float(grow(102.0, 0.181, 6)))
    277
    """
    yearly_change("rate_per_year", rate_per_year)
    _non_negative("years", years)
    return value * (1 + rate_per_year) ** years


# --------------------------------------------------------------------------- credits and the 2030 plan

def credit_coverage_years(credits_t, annual_emissions_t):
    """Years of emissions a stock of carbon credits offsets.

    years = credits_t / annual_emissions_t

    Infinite when there are no emissions.

    Parameters
    ----------
    credits_t : float or array [t CO2e]
    annual_emissions_t : float or array [t CO2 per year]

    Returns
    -------
    years : float or numpy array [years]

    References
    ----------
    .. [1] ByteDance's >100,000 t of Rubicon credits (claim S0-02); seed notes
       section 3 item 16 (100k t is about 11-16% of one year of the Datong site's
       grid emissions).

    Examples
    --------
    >>> float(credit_coverage_years(100_000.0, 2_500_000.0)), float(credit_coverage_years(100_000.0, 0.0))
    (0.04, inf)
    """
    _non_negative("credits_t", credits_t)
    _non_negative("annual_emissions_t", annual_emissions_t)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.true_divide(credits_t, annual_emissions_t)


def offset_needed_t(annual_emissions_t, offset_share):
    """Credits needed to offset a share of a year's emissions.

    offset_t = annual_emissions_t x offset_share

    Parameters
    ----------
    annual_emissions_t : float or array [t CO2 per year]
    offset_share : float or array [fraction of emissions, 0-1]

    Returns
    -------
    offset_t : float or array [t CO2e per year]

    References
    ----------
    .. [1] ByteDance's 2030 plan: cut at least 90% of operational emissions and
       offset the remaining 10% (claims S0-29, S0-30).

    Examples
    --------
    >>> round(float(offset_needed_t(5_000_000.0, 0.1)))
    500000
    """
    _non_negative("annual_emissions_t", annual_emissions_t)
    _fraction("offset_share", offset_share)
    return annual_emissions_t * offset_share


# --------------------------------------------------------------------------- per unit of use

def energy_per_thousand_tokens_wh(annual_energy_gwh, tokens_per_day):
    """Average energy per thousand tokens of a year's energy spread over a daily token volume.

    wh_per_1k_tokens = annual_energy_gwh x 1e9 Wh/GWh / (tokens_per_day x 365) x 1000

    Pass only the energy that serves the tokens (see `footprint`).

    Parameters
    ----------
    annual_energy_gwh : float or array [GWh per year]
    tokens_per_day : float or array [tokens per day]
        A count of tokens (not trillions).

    Returns
    -------
    wh_per_1k_tokens : float or array [Wh per thousand tokens]

    References
    ----------
    .. [1] Doubao's 50 trillion tokens a day in December 2025 (claim S2-03); token
       volumes are parameters of the token-economics chapter.

    Examples
    --------
    >>> round(float(energy_per_thousand_tokens_wh(365.0, 1e12)), 6)
    1.0
    """
    _non_negative("annual_energy_gwh", annual_energy_gwh)
    _positive("tokens_per_day", tokens_per_day)
    wh_per_year = annual_energy_gwh * KWH_PER_GWH * WH_PER_KWH
    return wh_per_year / (tokens_per_day * DAYS_PER_YEAR) * TOKENS_PER_K


def energy_per_query_wh(energy_per_thousand_tokens_wh, tokens_per_query):
    """Energy of one chatbot query of `tokens_per_query` tokens.

    wh_per_query = energy_per_thousand_tokens_wh x tokens_per_query / 1000

    Parameters
    ----------
    energy_per_thousand_tokens_wh : float or array [Wh per thousand tokens]
    tokens_per_query : float or array [tokens per query]

    Returns
    -------
    wh_per_query : float or array [Wh per query]

    References
    ----------
    .. [1] For comparison: Google's median Gemini text prompt, 0.24 Wh (claim
       X-gemini-prompt-energy, google-gemini-prompt-energy-2025) and Epoch AI's
       ~0.3 Wh per ChatGPT query (X-chatgpt-query-energy-epoch,
       epoch-chatgpt-energy-2025).

    Examples
    --------
    >>> round(float(energy_per_query_wh(0.24, 500.0)), 3)
    0.12
    """
    _non_negative("energy_per_thousand_tokens_wh", energy_per_thousand_tokens_wh)
    _non_negative("tokens_per_query", tokens_per_query)
    return energy_per_thousand_tokens_wh * tokens_per_query / TOKENS_PER_K


def emissions_per_query_g(energy_per_query_wh, grid_kg_per_kwh, green_share=0.0, residual_mix_ratio=1.0):
    """Emissions of one query's energy (market-based with a green share and residual mix, as
    `operational_emissions_t`).

    g_per_query = energy_per_query_wh / 1000 Wh/kWh x grid_kg_per_kwh x residual_mix_ratio
                  x (1 - green_share) x 1000 g/kg

    Parameters
    ----------
    energy_per_query_wh : float or array [Wh per query]
    grid_kg_per_kwh : float or array [kg CO2 per kWh]
    green_share : float or array [fraction of energy, 0-1], default 0
    residual_mix_ratio : float or array [ratio], default 1

    Returns
    -------
    g_per_query : float or array [g CO2 per query]

    References
    ----------
    .. [1] Google's median Gemini prompt, 0.24 Wh and 0.03 gCO2e (market-based;
       claims X-gemini-prompt-energy, X-gemini-prompt-co2), i.e. 0.125 g/Wh.

    Examples
    --------
    >>> round(float(emissions_per_query_g(0.24, 0.125)), 3)
    0.03
    """
    _non_negative("energy_per_query_wh", energy_per_query_wh)
    _non_negative("grid_kg_per_kwh", grid_kg_per_kwh)
    _fraction("green_share", green_share)
    _non_negative("residual_mix_ratio", residual_mix_ratio)
    return energy_per_query_wh / WH_PER_KWH * grid_kg_per_kwh * residual_mix_ratio * (1 - green_share) * G_PER_KG


def implied_users(total_t, kg_per_user):
    """Users a total footprint implies at a per-user footprint.

    users = total_t x 1000 kg/t / kg_per_user

    Parameters
    ----------
    total_t : float or array [t CO2e]
    kg_per_user : float or array [kg CO2e per user]

    Returns
    -------
    users : float or array [users]

    References
    ----------
    .. [1] Greenly via seed 000 (greenly-tiktok-2024): 7.6 Mt / 48.49 kg ~ 157 M
       users in the US, UK and France, ~50 Mt / 48.49 kg ~ 1.03 bn globally
       (claims S0-13, S0-14, S0-17; seed notes section 3 item 17).

    Examples
    --------
    >>> f"{implied_users(7.6e6, 48.49):.3g}", f"{implied_users(50e6, 48.49):.3g}"
    ('1.57e+08', '1.03e+09')
    """
    _non_negative("total_t", total_t)
    _positive("kg_per_user", kg_per_user)
    return total_t * KG_PER_T / kg_per_user


def footprint_per_viewing_hour_g(kg_per_user_year, minutes_per_day):
    """Footprint per hour of use implied by a yearly per-user footprint and daily use.

    g_per_hour = kg_per_user_year x 1000 g/kg / (minutes_per_day / 60 x 365)

    Parameters
    ----------
    kg_per_user_year : float or array [kg CO2e per user per year]
    minutes_per_day : float or array [minutes of use per user per day]

    Returns
    -------
    g_per_hour : float or array [g CO2e per hour of use]

    References
    ----------
    .. [1] 48.49 kg a year at 45 min a day is ~177 g per viewing hour (claims
       S0-16, S0-17; seed notes section 3 item 17).

    Examples
    --------
    >>> round(float(footprint_per_viewing_hour_g(48.49, 45.0)))
    177
    """
    _non_negative("kg_per_user_year", kg_per_user_year)
    _positive("minutes_per_day", minutes_per_day)
    hours_per_year = minutes_per_day / MINUTES_PER_HOUR * DAYS_PER_YEAR
    return kg_per_user_year * G_PER_KG / hours_per_year


# --------------------------------------------------------------------------- the whole chain

@dataclass(frozen=True)
class EmissionsInputs(StageInputs):
    """What the emissions stage reads besides the fleet and the traffic: grid, green power, credits, plans.

    Floats or arrays of Monte Carlo draws; names and units as in data/parameters/emissions.yaml.
    """

    grid_factor_kg_per_kwh: Numeric  # [kg CO2 per kWh] North grid 2023; mee-nbs-grid-factor-2023
    grid_factor_year: Numeric  # [year] the year grid_factor_kg_per_kwh is for; mee-nbs-grid-factor-2023
    residual_mix_ratio: Numeric  # [ratio] X-grid-factor-china-excl-green-2023 / X-grid-factor-china-2023
    green_power_share: Numeric  # [fraction of energy] claims S0-19, S0-22
    grid_factor_change_per_year: Numeric  # [fraction per year] X-grid-factor-china-2021..2023
    carbon_credits_t: Numeric  # [t CO2e] bought in 2025; claim S0-02
    cut_share_2030: Numeric  # [fraction of operational emissions] claims S0-29, S0-30
    offset_share_2030: Numeric  # [fraction of operational emissions] claim S0-30
    neutrality_target_year: Numeric  # [year] claim S0-29
    fleet_base_year: Numeric  # [year] the fleet's first year; claims S3-01, S4-01
    energy_growth_per_year: Numeric  # [fraction per year] IEA China data-centre electricity
    token_serving_share_of_energy: Numeric  # [fraction of fleet energy] assumption
    tokens_per_query: Numeric  # [tokens per query] X-chatgpt-query-energy-epoch


@dataclass(frozen=True, eq=False)
class Footprint(Outputs):
    """The fleet's energy, emissions, credits, 2030 plan and per-query figures: `footprint`'s outputs.

    Fields are floats or arrays, units in names (`footprint` lists each with its
    unit). Also a read-only mapping of field name -> value, so it can be handed to
    `uncertainty.simulate` and `tornado` as it is.
    """

    # energy of the whole fleet (installed base and 2026 cohort) and of the cohort, as the capex fleet's
    whole_fleet_it_power_mw: object
    whole_fleet_facility_power_mw: object
    whole_fleet_annual_energy_gwh: object
    annual_energy_gwh: object
    average_draw_kwh_per_hour: object
    # emissions in the fleet year: location-based (gross) and market-based (net of green power)
    grid_factor_fleet_year_kg_per_kwh: object
    gross_annual_emissions_t: object
    annual_emissions_t: object
    green_power_avoided_t: object
    # the 2026 cohort alone
    cohort_annual_emissions_t: object
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
    credit_share_of_offset_2030: object  # the credits over the offset 2030 needs (a share of one year)
    # per unit of use
    token_energy_gwh: object
    energy_per_thousand_tokens_wh: object
    energy_per_query_wh: object
    emissions_per_query_g: object


def _check_inputs(inputs: EmissionsInputs) -> None:
    """`footprint`'s argument checks, under the parameter names (a bad -p override is named as typed)."""
    _non_negative("grid_factor_kg_per_kwh", inputs.grid_factor_kg_per_kwh)
    _non_negative("residual_mix_ratio", inputs.residual_mix_ratio)
    for name in ("green_power_share", "cut_share_2030", "offset_share_2030", "token_serving_share_of_energy"):
        _fraction(name, getattr(inputs, name))
    for name in ("grid_factor_change_per_year", "energy_growth_per_year"):
        yearly_change(name, getattr(inputs, name))
    _non_negative("carbon_credits_t", inputs.carbon_credits_t)
    _non_negative("tokens_per_query", inputs.tokens_per_query)


def footprint(inputs: EmissionsInputs, fleet: capex.Fleet, traffic: tokens.TokenEconomics) -> Footprint:
    """Energy and operational emissions of the whole fleet in 2026, what the credits cover, and per query.

    Steps:

    1. The whole fleet's facility energy (the base installed before 2026 and the
       2026 cohort; IT power x PUE x utilization x 8,760 h, `capex.fleet`), and the
       cohort's apart.
    2. The grid factor in the fleet year: the official factor of `grid_factor_year`
       (MEE & NBS; North grid 2023 by default, mee-nbs-grid-factor-2023) moved at
       `grid_factor_change_per_year` to `fleet_base_year` (`grow`). Gross emissions
       are location-based, energy x that factor; net emissions are market-based,
       the green share at zero and the rest at the residual mix, factor x
       `residual_mix_ratio` (`operational_emissions_t`): the average factor already
       holds the green power others buy.
    3. Years (and days) of the whole fleet's net emissions the >100,000 t of
       credits cover (claim S0-02): credits / net emissions.
    4. The 2030 plan (claims S0-29, S0-30): the whole fleet's energy grows at
       `energy_growth_per_year` and the grid factor changes at
       `grid_factor_change_per_year` from `fleet_base_year` to
       `neutrality_target_year` (`grow`); of the gross
       emissions then, `cut_share_2030` is abated and `offset_share_2030` offset
       with credits; what is neither is the un-offset residual, gross x (1 - cut -
       offset) (zero when the shares add to 1).
    5. Per unit of use: the share of the installed base's energy that serves tokens
       (the fleet that served December 2025), spread over December 2025's daily
       token volume (claim S2-03), per thousand tokens and per query of
       `tokens_per_query` tokens; emissions per query, market-based, at the
       fleet-year factor. Compare with Google's 0.24 Wh / 0.03 gCO2e per Gemini
       prompt and Epoch AI's ~0.3 Wh per ChatGPT query
       (`analysis.report.emissions.per_query_benchmarks`).

    Parameters
    ----------
    inputs : EmissionsInputs
        Floats or equal-length numpy arrays (Monte Carlo draws); units in
        `EmissionsInputs` and data/parameters/emissions.yaml.
    fleet : capex.Fleet
        `capex.fleet` of the same draws (uses whole_fleet_it_power_mw,
        whole_fleet_facility_power_mw, whole_fleet_annual_energy_gwh,
        installed_annual_energy_gwh and the cohort's annual_energy_gwh).
    traffic : tokens.TokenEconomics
        `tokens.economics` of the same draws (uses tokens_per_day).

    Returns
    -------
    Footprint
        Floats or arrays:

        - whole_fleet_it_power_mw, whole_fleet_facility_power_mw [MW];
          whole_fleet_annual_energy_gwh [GWh per year]; average_draw_kwh_per_hour
          [kWh per hour, i.e. kW]: the whole fleet, as `capex.fleet` gives them;
          annual_energy_gwh [GWh per year]: the 2026 cohort's, as `capex.fleet`'s
        - grid_factor_fleet_year_kg_per_kwh [kg CO2 per kWh, location-based]
        - gross_annual_emissions_t (location-based), annual_emissions_t
          (market-based: net of green power, the rest at the residual mix),
          green_power_avoided_t (their difference) [t CO2 per year]
        - cohort_annual_emissions_t [t CO2 per year, market-based]: the 2026 cohort alone
        - credit_coverage_years [years]; credit_coverage_days [days]
        - years_to_target [years]; energy_2030_gwh [GWh per year];
          grid_factor_2030_kg_per_kwh [kg CO2 per kWh]; gross_emissions_2030_t,
          cut_2030_t, offset_2030_t, unoffset_residual_2030_t [t CO2 per year];
          credit_coverage_of_offset_2030_years [years]
        - token_energy_gwh [GWh per year]; energy_per_thousand_tokens_wh [Wh per
          thousand tokens]; energy_per_query_wh [Wh per query];
          emissions_per_query_g [g CO2 per query]

    References
    ----------
    Claims S0-02, S0-29, S0-30, S2-03, X-grid-factor-china-excl-green-2023; sources mee-nbs-grid-factor-2023,
    iea-energy-and-ai-2025, google-gemini-prompt-energy-2025, epoch-chatgpt-energy-2025.

    Examples
    --------
    At the registry's default parameter values:

    >>> from analysis.inputs import registry
    >>> from analysis.models import chain
    >>> p = registry.registry().defaults()
    >>> r = chain.evaluate(p, "traffic")
    >>> fp = footprint(EmissionsInputs.from_params(p), r.fleet, r.traffic)
    >>> f"{fp.annual_emissions_t:.3g}", f"{fp.credit_coverage_days:.3g}"
    ('5.53e+06', '6.6')
    >>> f"{fp.energy_per_query_wh:.2g}", f"{fp.emissions_per_query_g:.2g}"
    ('0.31', '0.15')
    """
    _check_inputs(inputs)

    # 1. energy of the whole fleet
    energy_gwh = fleet.whole_fleet_annual_energy_gwh
    energy_mwh = energy_gwh * MWH_PER_GWH

    # 2. emissions in the fleet year: the factor moved to that year; location- and market-based
    lag = inputs.fleet_base_year - inputs.grid_factor_year
    _require("fleet_base_year - grid_factor_year", lag, lambda a: a >= 0,
             "a number of years >= 0 (the grid factor cannot be for a year after the fleet's)")
    grid = grow(inputs.grid_factor_kg_per_kwh, inputs.grid_factor_change_per_year, lag)
    green, residual = inputs.green_power_share, inputs.residual_mix_ratio
    gross_t = operational_emissions_t(energy_mwh, grid)
    net_t = operational_emissions_t(energy_mwh, grid, green, residual)

    # 3. credits
    credits = inputs.carbon_credits_t
    coverage_years = credit_coverage_years(credits, net_t)

    # 4. the 2030 plan
    years = inputs.neutrality_target_year - inputs.fleet_base_year
    _require("neutrality_target_year - fleet_base_year", years, lambda a: a >= 0,
             "a number of years >= 0 (the target year cannot precede the fleet year)")
    energy_2030_gwh = grow(energy_gwh, inputs.energy_growth_per_year, years)
    grid_2030 = grow(grid, inputs.grid_factor_change_per_year, years)
    gross_2030_t = operational_emissions_t(energy_2030_gwh * MWH_PER_GWH, grid_2030)
    cut_share = inputs.cut_share_2030
    offset_share = inputs.offset_share_2030
    offset_2030 = offset_needed_t(gross_2030_t, offset_share)

    # 5. per unit of use
    serving_share = inputs.token_serving_share_of_energy
    token_gwh = fleet.installed_annual_energy_gwh * serving_share
    per_1k_wh = energy_per_thousand_tokens_wh(token_gwh, traffic.tokens_per_day)
    per_query_wh = energy_per_query_wh(per_1k_wh, inputs.tokens_per_query)

    return Footprint(
        whole_fleet_it_power_mw=fleet.whole_fleet_it_power_mw,
        whole_fleet_facility_power_mw=fleet.whole_fleet_facility_power_mw,
        whole_fleet_annual_energy_gwh=energy_gwh,
        annual_energy_gwh=fleet.annual_energy_gwh,
        average_draw_kwh_per_hour=energy_gwh * KWH_PER_GWH / HOURS_PER_YEAR,
        grid_factor_fleet_year_kg_per_kwh=grid,
        gross_annual_emissions_t=gross_t,
        annual_emissions_t=net_t,
        green_power_avoided_t=gross_t - net_t,
        cohort_annual_emissions_t=operational_emissions_t(fleet.annual_energy_gwh * MWH_PER_GWH, grid, green,
                                                          residual),
        credit_coverage_years=coverage_years,
        credit_coverage_days=coverage_years * DAYS_PER_YEAR,
        years_to_target=years,
        energy_2030_gwh=energy_2030_gwh,
        grid_factor_2030_kg_per_kwh=grid_2030,
        gross_emissions_2030_t=gross_2030_t,
        cut_2030_t=gross_2030_t * cut_share,
        offset_2030_t=offset_2030,
        unoffset_residual_2030_t=gross_2030_t * (1 - (cut_share + offset_share)),
        credit_share_of_offset_2030=credit_coverage_years(credits, offset_2030),
        token_energy_gwh=token_gwh,
        energy_per_thousand_tokens_wh=per_1k_wh,
        energy_per_query_wh=per_query_wh,
        emissions_per_query_g=emissions_per_query_g(per_query_wh, grid, green, residual),
    )

