"""Does it add up? Cross-checks of the seeds' claims against each other and the models.

Each check sets a range the models compute (P10 to P90 of the Monte Carlo, or the
range a figure's rounding allows) against the range a claim states or implies, and
`verdict` names the outcome: consistent, tension (the ranges barely overlap) or
contradiction (they do not overlap). Nothing is typed in: model ranges come from
`quantities` (the theme chapters' own functions) and `fixed_ranges`, claim ranges
from data/claims.yaml by id (`claim_ranges`). The checks follow the seed notes
(section 3) and issue 8; `CHECKS` lists them with what would settle each.

Pure and vectorized like the other modules: `verdict` and the model functions take
floats or numpy arrays. Claim ids are in data/claims.yaml.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import capex, emissions, flywheel, tokens
from .units import MONTHS_PER_YEAR
from .validation import Outputs, read_parameter, require
from .validation import fraction as _fraction
from .validation import positive as _positive

VERDICTS = ("consistent", "tension", "contradiction")
TENSION_SHARE = 0.25
"""Overlaps covering less than this share of the narrower range are a tension."""

AUDIT_PARAMETERS = tuple(dict.fromkeys(
    emissions.FOOTPRINT_PARAMETERS + flywheel.FLYWHEEL_PARAMETERS))
"""Every parameter the checks read: the fleet, token economics, emissions and the flywheel."""


# --------------------------------------------------------------------------- verdicts

def _bounds(name: str, value) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if np.isnan(arr).any():
        raise ValueError(f"{name} must be a number (infinity allowed for an open end), got nan")
    return arr


def overlap_share(model_low, model_high, claim_low, claim_high):
    """The share of the narrower range that the two ranges have in common.

    share = (min(highs) - max(lows)) / min(model width, claim width), in [0, 1],
    and -1 when the ranges do not meet. Endpoints count: ranges that touch share
    a point. A range of zero width (a single value) inside the other range counts
    as fully covered (share 1). Open ends are +/- infinity: two ranges open the
    same way share an infinite stretch (share 1). Raises ValueError for NaN or a
    low above its high.
    """
    ml, mh, cl, ch = np.broadcast_arrays(*(_bounds(n, v) for n, v in [
        ("model_low", model_low), ("model_high", model_high), ("claim_low", claim_low), ("claim_high", claim_high)]))
    for low, high, what in [(ml, mh, "model"), (cl, ch, "claim")]:
        if np.any(low > high):
            bad = np.flatnonzero(np.ravel(low > high))[0]
            raise ValueError(f"{what}_low must not exceed {what}_high, got {np.ravel(low)[bad]:g} > "
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

    A one-sided claim ("more than 100,000 t") is a range open to infinity. Works
    on floats (returns a str) and arrays (returns an array of str).
    Example: model 10-20 against claim 19-30 overlaps on 1 of the narrower 10,
    a tension; against claim 15-30, consistent; against 21-30, a contradiction.
    """
    if not 0 < tension_share <= 1:
        raise ValueError(f"tension_share must be in (0, 1], got {tension_share!r}")
    share = np.asarray(overlap_share(model_low, model_high, claim_low, claim_high))
    out = np.where(share < 0, VERDICTS[2], np.where(share < tension_share, VERDICTS[1], VERDICTS[0]))
    return str(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------- model functions

def serveable_tokens_t_per_day(tokens_per_day_t, share_of_fleet_needed):
    """The daily tokens a fleet can serve, from the share of it a known volume needs.

    capacity = tokens_per_day_t / share_of_fleet_needed (same utilization and
    peak headroom as `tokens.economics`). Reference: 50 T a day needing half the
    fleet means the fleet serves 100 T a day (seed notes section 3 item 3).
    """
    _positive("tokens_per_day_t", tokens_per_day_t)
    _positive("share_of_fleet_needed", share_of_fleet_needed)
    return tokens_per_day_t / share_of_fleet_needed


def site_draw_kwh_per_hour(racks, rack_power_kw, utilization, pue):
    """Average electricity a data-centre site draws, in kWh each hour (= kW).

    draw = racks x rack_power_kw x utilization x PUE. Reference: Datong, more
    than 12,000 racks at 12 kW (claim S0-28), is at least 144,000 kW of IT load;
    at 70% load and PUE 1.25, 126,000 kWh an hour (seed notes item 16).
    """
    _positive("racks", racks)
    _positive("rack_power_kw", rack_power_kw)
    _fraction("utilization", utilization)
    require("pue", pue, lambda a: a >= 1, "a PUE >= 1")
    return racks * rack_power_kw * utilization * pue


def cut_share_by(green_power_share, grid_factor_change_per_year, years):
    """Share of emissions cut, against the same energy at today's grid factor with no green power.

    cut = 1 - (1 - green_power_share) x (1 + grid_factor_change_per_year) ** years.
    Reference: a fifth green power and a grid 2.4% cleaner each year for four
    years cut 1 - 0.8 x 0.976**4 = 27%; a 90% cut (claim S0-30) needs about 89%
    green power on that grid.
    """
    _fraction("green_power_share", green_power_share)
    require("grid_factor_change_per_year", grid_factor_change_per_year, lambda a: a > -1,
            "a finite number > -1 (a yearly change)")
    require("years", years, lambda a: a >= 0, "a finite number >= 0")
    return 1 - (1 - green_power_share) * (1 + grid_factor_change_per_year) ** years


def efficiency_gain_needed(token_growth_per_month, capex_growth_per_year):
    """How much more work each yuan of capex must do in a year to keep up with the tokens.

    gain = (1 + token_growth_per_month) ** 12 / (1 + capex_growth_per_year).
    Reference: 30 to 50 T a day in two months (+29% a month, claims S3-11, S2-03)
    against a budget up 6.7% (150 to 160 bn RMB, S3-03) needs about 20 times
    more tokens per yuan within a year (seed notes section 3 item 9).
    """
    require("token_growth_per_month", token_growth_per_month, lambda a: a > -1, "a finite number > -1")
    require("capex_growth_per_year", capex_growth_per_year, lambda a: a > -1, "a finite number > -1")
    return (1 + token_growth_per_month) ** MONTHS_PER_YEAR / (1 + capex_growth_per_year)


@dataclass(frozen=True, eq=False)
class Quantities(Outputs):
    """The model side of the checks that depend on parameters (floats or arrays)."""

    serveable_tokens_t_per_day: object
    app_cost_rmb_bn: object
    cost_per_m_tokens_rmb: object
    fleet_draw_kwh_per_hour: object
    datong_draw_kwh_per_hour: object
    credit_coverage_days: object
    cut_share_2030: object
    grid_factor_kg_per_kwh: object
    api_share_of_tokens: object
    efficiency_gain_needed: object
    processor_share_of_budget: object


def quantities(p: Mapping) -> Quantities:
    """Every parameter-dependent model quantity of the checks, from the chapters' own models.

    `p` maps the names in AUDIT_PARAMETERS to floats or equal-length arrays.
    The fleet is `capex.fleet`, the token volume and cost `tokens.economics`, the
    energy and credits `emissions.footprint`, the app's cost `flywheel.headline`.
    """
    def get(name):
        return read_parameter(p, name, AUDIT_PARAMETERS, "audit.quantities()")

    for name in AUDIT_PARAMETERS:
        get(name)
    econ = tokens.economics(p)
    foot = emissions.footprint(p)
    fly = flywheel.headline(p)
    years = get("neutrality_target_year") - get("fleet_base_year")
    return Quantities(
        serveable_tokens_t_per_day=serveable_tokens_t_per_day(get("tokens_per_day_dec_2025_t"),
                                                              econ.share_of_fleet_needed),
        app_cost_rmb_bn=fly["app_cost_rmb_bn"],
        cost_per_m_tokens_rmb=econ.cost_per_m_tokens_rmb,
        fleet_draw_kwh_per_hour=foot.average_draw_kwh_per_hour,
        datong_draw_kwh_per_hour=site_draw_kwh_per_hour(get("datong_server_racks"), get("rack_power_kw"),
                                                        get("fleet_utilization"), get("pue")),
        credit_coverage_days=foot.credit_coverage_days,
        cut_share_2030=cut_share_by(get("green_power_share"), get("grid_factor_change_per_year"), years),
        grid_factor_kg_per_kwh=np.asarray(get("grid_factor_kg_per_kwh"), dtype=float),
        api_share_of_tokens=np.asarray(get("api_share_of_tokens"), dtype=float),
        efficiency_gain_needed=efficiency_gain_needed(
            econ.token_growth_oct_dec_2025_per_month,
            capex.growth_rate(get("ai_budget_2026_rmb_bn"), get("ai_budget_2025_rmb_bn"))),
        processor_share_of_budget=capex.share_of(get("ai_processor_budget_2026_rmb_bn"),
                                                 get("ai_budget_2026_rmb_bn")),
    )


# --------------------------------------------------------------------------- ranges from claims

def rounding_range(value: float) -> tuple[float, float]:
    """The values a figure written as `value` can stand for: +/- half its last significant digit.

    7.6 -> (7.55, 7.65); 50 -> (45, 55); 48.49 -> (48.485, 48.495); 0 -> (0, 0).
    """
    if not math.isfinite(value):
        raise ValueError(f"rounding_range needs a finite number, got {value!r}")
    if value == 0:
        return 0.0, 0.0
    digits = f"{abs(value):.10g}"
    if "e" in digits:
        raise ValueError(f"rounding_range cannot read the precision of {value!r}")
    if "." in digits:
        step = 10.0 ** -len(digits.split(".")[1])
    else:
        step = 10.0 ** (len(digits) - len(digits.rstrip("0")))
    return value - step / 2, value + step / 2


# --------------------------------------------------------------------------- the checks


