"""Does it add up? Cross-checks of the seeds' claims against each other and the models.

Each check sets a range the models compute (P10 to P90 of the Monte Carlo, or the
range a figure's rounding allows) against the range a claim states or implies, and
`verdict` names the outcome: consistent, tension (the ranges barely overlap) or
contradiction (they do not overlap). Nothing is typed in: model ranges come from
`quantities` (the theme chapters' own functions) and `fixed_ranges`, claim ranges
from data/claims.yaml by id (`claim_ranges`). The checks follow the seed notes
(section 3) and issue 8; data/checks.yaml lists them with what would settle each.

Pure and vectorized like the other modules: `verdict` and the model functions take
floats or numpy arrays. Claim ids are in data/claims.yaml.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import ModelInputError
from . import capex, emissions, tokens
from . import flywheel as flywheel_model
from .units import KWH_PER_GWH, MONTHS_PER_YEAR
from .validation import Numeric, Outputs, StageInputs, require, yearly_change
from .validation import fraction as _fraction
from .validation import positive as _positive

VERDICTS = ("consistent", "tension", "contradiction")
TENSION_SHARE = 0.25
"""Overlaps covering less than this share of the narrower range are a tension."""

# --------------------------------------------------------------------------- verdicts

def _bounds(name: str, value) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if np.isnan(arr).any():
        raise ModelInputError(f"{name} must be a number (infinity allowed for an open end), got nan")
    return arr


def overlap_share(model_low, model_high, claim_low, claim_high):
    """The share of the narrower range that the two ranges have in common.

    share = (min(model_high, claim_high) - max(model_low, claim_low))
            / min(model_high - model_low, claim_high - claim_low), clipped to [0, 1]

    and -1 when the ranges do not meet. Endpoints count: ranges that touch share
    a point. A range of zero width (a single value) inside the other range counts
    as fully covered (share 1). Open ends are +/- infinity: two ranges open the
    same way share an infinite stretch (share 1).

    Parameters
    ----------
    model_low, model_high : float or array [the quantity's unit]
        The range the models compute (e.g. P10 and P90).
    claim_low, claim_high : float or array [the same unit]
        The range a claim states or implies; +/- inf for an open end.

    Returns
    -------
    share : float (for scalar inputs) or numpy array [fraction of the narrower range, 0-1; -1 = no overlap]

    Raises
    ------
    ModelInputError
        (a ValueError) for NaN or a low above its high.

    References
    ----------
    Book's own arithmetic.

    Examples
    --------
    >>> overlap_share(10, 20, 19, 30), overlap_share(10, 20, 15, 30), overlap_share(10, 20, 21, 30)
    (0.1, 0.5, -1.0)
    >>> overlap_share(1e5, 2e5, 1e5, np.inf)
    1.0
    """
    ml, mh, cl, ch = np.broadcast_arrays(*(_bounds(n, v) for n, v in [
        ("model_low", model_low), ("model_high", model_high), ("claim_low", claim_low), ("claim_high", claim_high)]))
    for low, high, what in [(ml, mh, "model"), (cl, ch, "claim")]:
        if np.any(low > high):
            bad = np.flatnonzero(np.ravel(low > high))[0]
            raise ModelInputError(f"{what}_low must not exceed {what}_high, got {np.ravel(low)[bad]:g} > "
                             f"{np.ravel(high)[bad]:g}")
    lo, hi = np.maximum(ml, cl), np.minimum(mh, ch)
    narrower = np.minimum(mh - ml, ch - cl)
    with np.errstate(invalid="ignore", divide="ignore"):
        overlap = hi - lo
        share = np.where(narrower == 0, 1.0,
                         np.where(np.isinf(narrower), np.where(np.isinf(overlap), 1.0, 0.0), overlap / narrower))
    share = np.where(lo > hi, -1.0, np.clip(share, 0.0, 1.0))
    return float(share) if share.ndim == 0 else share


def verdict(model_low, model_high, claim_low, claim_high, tension_share: float = TENSION_SHARE):
    """consistent, tension or contradiction, from a model range and a claim range.

    - contradiction: the ranges have no value in common (`overlap_share` < 0);
    - tension: they overlap, but on less than `tension_share` (a quarter) of the
      narrower range: only the tails agree;
    - consistent: otherwise.

    A one-sided claim ("more than 100,000 t") is a range open to infinity.

    Parameters
    ----------
    model_low, model_high : float or array [the quantity's unit]
    claim_low, claim_high : float or array [the same unit; +/- inf for an open end]
    tension_share : float [fraction of the narrower range, in (0, 1]], default 0.25
        Overlaps below this share are a tension (`TENSION_SHARE`).

    Returns
    -------
    verdict : str (for scalar inputs) or numpy array of str
        One of `VERDICTS`: "consistent", "tension", "contradiction".

    References
    ----------
    Book's own rule; the checks follow the seed notes (section 3).

    Examples
    --------
    Model 10-20 against claim 19-30 overlaps on 1 of the narrower 10, a tension;
    against claim 15-30, consistent; against 21-30, a contradiction:

    >>> verdict(10, 20, 19, 30), verdict(10, 20, 15, 30), verdict(10, 20, 21, 30)
    ('tension', 'consistent', 'contradiction')
    >>> verdict(np.array([10.0, 10.0]), 20.0, np.array([15.0, 21.0]), 30.0).tolist()
    ['consistent', 'contradiction']
    >>> verdict(1.2e5, 3e5, 1e5, np.inf)
    'consistent'
    """
    if not 0 < tension_share <= 1:
        raise ModelInputError(f"tension_share must be in (0, 1], got {tension_share!r}")
    share = np.asarray(overlap_share(model_low, model_high, claim_low, claim_high))
    out = np.where(share < 0, VERDICTS[2], np.where(share < tension_share, VERDICTS[1], VERDICTS[0]))
    return str(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------- model functions

def serveable_tokens_trillion_per_day(tokens_per_day_trillion, share_of_fleet_needed):
    """The daily tokens a fleet can serve, from the share of it a known volume needs.

    capacity = tokens_per_day_trillion / share_of_fleet_needed

    Same utilization and peak headroom as `tokens.economics`.

    Parameters
    ----------
    tokens_per_day_trillion : float or array [trillion tokens per day]
    share_of_fleet_needed : float or array [fraction of the fleet, > 0]

    Returns
    -------
    capacity : float or array [trillion tokens per day]

    References
    ----------
    .. [1] 50 T a day needing half the fleet means the fleet serves 100 T a day
       (seed notes section 3 item 3).

    Examples
    --------
    >>> serveable_tokens_trillion_per_day(50.0, 0.5)
    100.0
    """
    _positive("tokens_per_day_trillion", tokens_per_day_trillion)
    _positive("share_of_fleet_needed", share_of_fleet_needed)
    return tokens_per_day_trillion / share_of_fleet_needed


def cut_share_by(green_power_share, grid_factor_change_per_year, years):
    """Share of emissions cut, against the same energy at today's grid factor with no green power.

    cut = 1 - (1 - green_power_share) x (1 + grid_factor_change_per_year) ** years

    Parameters
    ----------
    green_power_share : float or array [fraction of energy, 0-1]
    grid_factor_change_per_year : float or array [fraction per year, > -1]
    years : float or array [years, >= 0]

    Returns
    -------
    cut : float or array [fraction of emissions]

    References
    ----------
    .. [1] A fifth green power and a grid 2.4% cleaner each year for four years cut
       1 - 0.8 x 0.976**4 = 27%; a 90% cut (claim S0-30) needs about 89% green
       power on that grid.

    Examples
    --------
    >>> round(float(cut_share_by(0.2, -0.024, 4)), 2)
    0.27
    """
    _fraction("green_power_share", green_power_share)
    yearly_change("grid_factor_change_per_year", grid_factor_change_per_year)
    require("years", years, lambda a: a >= 0, "a finite number >= 0")
    return 1 - (1 - green_power_share) * (1 + grid_factor_change_per_year) ** years


def green_share_for_cut(cut_share, grid_factor_change_per_year, years):
    """Green-power share that cuts emissions by `cut_share`: the inverse of `cut_share_by`.

    green_power_share = 1 - (1 - cut_share) / (1 + grid_factor_change_per_year) ** years

    from cut = 1 - (1 - green) x (1 + rate) ** years solved for green. The grid's trend
    alone cuts 1 - (1 + rate) ** years; a smaller cut needs no green power and is refused
    (the share would be negative).

    Parameters
    ----------
    cut_share : float or array [fraction of emissions, 0-1]
        The cut to reach, against the same energy at today's grid factor.
    grid_factor_change_per_year : float or array [fraction per year, > -1]
    years : float or array [years, >= 0]

    Returns
    -------
    green_power_share : float or array [fraction of energy, 0-1]

    Raises
    ------
    ModelInputError
        Naming the argument: a cut outside [0, 1] or below what the grid alone cuts, a
        yearly change <= -1, negative years (NaN and infinity always).

    References
    ----------
    .. [1] A 90% cut by 2030 (claim S0-30) on a grid 2.4% cleaner each year for four
       years needs 1 - 0.1 / 0.976**4 = 89.0% green power.

    Examples
    --------
    >>> round(float(green_share_for_cut(0.9, -0.024, 4)), 4)
    0.8898
    >>> round(float(cut_share_by(green_share_for_cut(0.9, -0.024, 4), -0.024, 4)), 12)
    0.9
    """
    _fraction("cut_share", cut_share)
    yearly_change("grid_factor_change_per_year", grid_factor_change_per_year)
    require("years", years, lambda a: a >= 0, "a finite number >= 0")
    grid_left = (1 + np.asarray(grid_factor_change_per_year, dtype=float)) ** np.asarray(years, dtype=float)
    cut, grid_cut = np.broadcast_arrays(np.asarray(cut_share, dtype=float), 1 - grid_left)
    short = cut < grid_cut
    if np.any(short):
        first = np.flatnonzero(np.ravel(short))[0]
        raise ModelInputError(
            f"cut_share must be at least what the grid's trend cuts alone, 1 - (1 + grid_factor_change_per_year) "
            f"** years = {np.ravel(grid_cut)[first]:g}, got {np.ravel(cut)[first]:g} (no green power is needed)")
    # Clipping only absorbs rounding: the cut was checked to lie between the grid's cut and 1.
    green = np.clip(1 - (1 - cut) / grid_left, 0.0, 1.0)
    return float(green) if green.ndim == 0 else green


def efficiency_gain_needed(token_growth_per_month, capacity_growth_per_year):
    """How much more each unit of serving capacity must do in a year to keep up with the tokens.

    gain = (1 + token_growth_per_month) ** 12 / (1 + capacity_growth_per_year)

    Capacity is the installed fleet's (a stock), to which a year's purchase is added;
    a year's capex (a flow) is not capacity.

    Parameters
    ----------
    token_growth_per_month : float or array [fraction per month, > -1]
    capacity_growth_per_year : float or array [fraction per year, > -1]
        Growth of the fleet's peak compute over the year (`capex.fleet`'s
        compute_growth_2026 - 1).

    Returns
    -------
    gain : float or array [ratio of tokens per unit of compute, a year from now / now]

    References
    ----------
    .. [1] Issue "Numbers that hold together", item 3: at the token chapter's fitted
       16% a month against a budget up 6.7% (150 to 160 bn RMB, S3-03),
       1.16 ** 12 / 1.067 is about 5.6; the budget, a flow, stands in for capacity there.

    Examples
    --------
    Tokens growing 16% a month against a fleet whose compute triples in the year:

    >>> round(float(efficiency_gain_needed(0.16, 160 / 150 - 1)), 1), round(float(efficiency_gain_needed(0.16, 2.0)), 2)
    (5.6, 1.98)
    """
    require("token_growth_per_month", token_growth_per_month, lambda a: a > -1, "a finite number > -1")
    require("capacity_growth_per_year", capacity_growth_per_year, lambda a: a > -1, "a finite number > -1")
    return (1 + token_growth_per_month) ** MONTHS_PER_YEAR / (1 + capacity_growth_per_year)


@dataclass(frozen=True)
class CheckInputs(StageInputs):
    """What the cross-checks read besides the other stages' results (names as in data/parameters/)."""

    tokens_per_day_dec_2025_trillion: Numeric  # [trillion tokens per day] claim S2-03
    token_growth_per_month: Numeric  # [fraction per month] X-doubao-tokens-* fit
    api_share_of_tokens: Numeric  # [fraction of tokens] claims S2-01, S2-02
    datong_server_racks: Numeric  # [racks] claim S0-28
    rack_power_kw: Numeric  # [kW per rack] claims S0-38, S0-28
    fleet_utilization: Numeric  # [fraction of hours] assumption
    pue: Numeric  # [ratio] uptime-2024-survey
    green_power_share: Numeric  # [fraction of energy] claims S0-19, S0-22
    grid_factor_change_per_year: Numeric  # [fraction per year] X-grid-factor-china-*
    grid_factor_kg_per_kwh: Numeric  # [kg CO2 per kWh] mee-nbs-grid-factor-2023
    ai_budget_2026_rmb_bn: Numeric  # [RMB bn] claims S3-01, S4-01
    ai_processor_budget_2026_rmb_bn: Numeric  # [RMB bn] claims S3-05, S4-02
    revenue_2024_usd_bn: Numeric  # [USD bn] claim S0-20
    rmb_per_usd: Numeric  # [RMB per USD] claims S3-06, S3-08
    ad_share_of_revenue: Numeric  # [fraction of revenue] assumption
    domestic_share_of_revenue: Numeric  # [fraction of revenue] X-bytedance-overseas-share-2024


@dataclass(frozen=True, eq=False)
class Quantities(Outputs):
    """The model side of the checks that depend on parameters: the outputs of `quantities`.

    Floats or arrays; `quantities` lists each with its unit.
    """

    serveable_tokens_trillion_per_day: Numeric
    app_cost_rmb_bn: Numeric
    cost_per_m_tokens_rmb: Numeric
    fleet_draw_kwh_per_hour: Numeric
    datong_draw_kwh_per_hour: Numeric
    credit_coverage_days: Numeric
    cut_share_2030: Numeric
    grid_factor_kg_per_kwh: Numeric
    api_share_of_tokens: Numeric
    efficiency_gain_needed: Numeric
    compute_growth_2026: Numeric
    processor_share_of_budget: Numeric
    domestic_ad_revenue_2024_rmb_bn: Numeric


def quantities(inputs: CheckInputs, fleet: capex.Fleet, traffic: tokens.TokenEconomics,
               footprint: emissions.Footprint, flywheel: flywheel_model.FlywheelHeadline) -> Quantities:
    """Every parameter-dependent model quantity of the checks, from the other stages' results.

    Most are read from the stages' results; three are computed here:
    serveable tokens = tokens_per_day_dec_2025_trillion / share_of_installed_fleet_needed
    (what the fleet installed before 2026, which served December 2025, can serve)
    (`serveable_tokens_trillion_per_day`); Datong's draw = its racks' facility
    energy in one hour, `capex.facility_energy_gwh(datong racks x rack_power_kw /
    1000, pue, fleet_utilization, hours=1)`; the 2030 cut = `cut_share_by` over the
    years to the target.

    Parameters
    ----------
    inputs : CheckInputs
        Floats or equal-length arrays; units in `CheckInputs`.
    fleet : capex.Fleet
    traffic : tokens.TokenEconomics
    footprint : emissions.Footprint
    flywheel : flywheel.FlywheelHeadline
        The stages' results of the same draws (`analysis.models.chain.evaluate`
        computes each once).

    Returns
    -------
    Quantities
        Floats or arrays:

        - serveable_tokens_trillion_per_day [trillion tokens per day]
        - app_cost_rmb_bn [RMB bn per year] (flywheel, first year)
        - cost_per_m_tokens_rmb [RMB per million tokens]
        - fleet_draw_kwh_per_hour, datong_draw_kwh_per_hour [kWh per hour]
        - credit_coverage_days [days]
        - cut_share_2030 [fraction of emissions]
        - grid_factor_kg_per_kwh [kg CO2 per kWh]
        - api_share_of_tokens [fraction of tokens]
        - efficiency_gain_needed [ratio]; compute_growth_2026 [ratio, the fleet's]
        - processor_share_of_budget [fraction of the 2026 AI budget]
        - domestic_ad_revenue_2024_rmb_bn [RMB bn per year]: the flywheel's ad revenue in
          2024 (`flywheel.domestic_ad_revenue_rmb_bn`), for the check against China's
          whole internet ad market

    References
    ----------
    Seed notes section 3; claims S0-28, S3-01, S3-05, S4-01, S4-02 (inputs).

    Examples
    --------
    At the registry's default parameter values (Datong: 12,000 racks x 12 kW x
    PUE 1.25 x 70% busy is 126,000 kWh in an hour):

    >>> from analysis.inputs import registry
    >>> from analysis.models import chain
    >>> p = registry.registry().defaults()
    >>> r = chain.evaluate(p, "emissions", "flywheel")
    >>> q = quantities(CheckInputs.from_params(p), r.fleet, r.traffic, r.emissions, r.flywheel)
    >>> round(float(q.datong_draw_kwh_per_hour)), round(float(q.processor_share_of_budget), 3)
    (126000, 0.531)
    >>> round(float(q.serveable_tokens_trillion_per_day), 1)
    54.5
    """
    datong_it_mw = capex.rack_it_power_mw(inputs.datong_server_racks, inputs.rack_power_kw)
    datong_gwh_per_hour = capex.facility_energy_gwh(datong_it_mw, inputs.pue, inputs.fleet_utilization, hours=1.0)
    return Quantities(
        serveable_tokens_trillion_per_day=serveable_tokens_trillion_per_day(
            inputs.tokens_per_day_dec_2025_trillion, traffic.share_of_installed_fleet_needed),
        app_cost_rmb_bn=flywheel.app_cost_rmb_bn,
        cost_per_m_tokens_rmb=traffic.cost_per_m_tokens_rmb,
        fleet_draw_kwh_per_hour=footprint.average_draw_kwh_per_hour,
        datong_draw_kwh_per_hour=datong_gwh_per_hour * KWH_PER_GWH,
        credit_coverage_days=footprint.credit_coverage_days,
        cut_share_2030=cut_share_by(inputs.green_power_share, inputs.grid_factor_change_per_year,
                                    footprint.years_to_target),
        grid_factor_kg_per_kwh=np.asarray(inputs.grid_factor_kg_per_kwh, dtype=float),
        api_share_of_tokens=np.asarray(inputs.api_share_of_tokens, dtype=float),
        efficiency_gain_needed=efficiency_gain_needed(inputs.token_growth_per_month,
                                                      fleet.compute_growth_2026 - 1),
        compute_growth_2026=fleet.compute_growth_2026,
        processor_share_of_budget=capex.share_of(inputs.ai_processor_budget_2026_rmb_bn,
                                                 inputs.ai_budget_2026_rmb_bn),
        domestic_ad_revenue_2024_rmb_bn=flywheel_model.domestic_ad_revenue_rmb_bn(
            inputs.revenue_2024_usd_bn, inputs.rmb_per_usd, inputs.ad_share_of_revenue,
            inputs.domestic_share_of_revenue),
    )


# --------------------------------------------------------------------------- ranges from claims

def rounding_range(value: float) -> tuple[float, float]:
    """The values a figure written as `value` can stand for: +/- half its last significant digit.

    range = (value - step / 2, value + step / 2), step = 10 ** -(decimals), or the
    place of the last non-zero digit of a whole number.

    Parameters
    ----------
    value : float [any unit]
        A figure as written (finite; not in exponent notation).

    Returns
    -------
    (low, high) : tuple of float [the unit of value]

    Raises
    ------
    ModelInputError
        For a non-finite value or one whose precision cannot be read.

    Examples
    --------
    7.6 -> (7.55, 7.65); 50 -> (45, 55); 48.49 -> (48.485, 48.495); 0 -> (0, 0):

    >>> [round(x, 6) for x in rounding_range(7.6)], rounding_range(50), rounding_range(0)
    ([7.55, 7.65], (45.0, 55.0), (0.0, 0.0))
    >>> [round(x, 6) for x in rounding_range(48.49)]
    [48.485, 48.495]
    """
    if not math.isfinite(value):
        raise ModelInputError(f"rounding_range needs a finite number, got {value!r}")
    if value == 0:
        return 0.0, 0.0
    digits = f"{abs(value):.10g}"
    if "e" in digits:
        raise ModelInputError(f"rounding_range cannot read the precision of {value!r}")
    if "." in digits:
        step = 10.0 ** -len(digits.split(".")[1])
    else:
        step = 10.0 ** (len(digits) - len(digits.rstrip("0")))
    return value - step / 2, value + step / 2
