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
import pandas as pd

from . import capex, emissions, flywheel, tokens
from .checks import Outputs, read_parameter, require
from .data import claim_value
from .data import claims_of as _claims
from .checks import fraction as _fraction
from .checks import positive as _positive
from .units import DAYS_PER_MONTH, DAYS_PER_YEAR, MONTHS_PER_YEAR, PERCENT, RMB_PER_BN, TOKENS_PER_M, TOKENS_PER_T

VERDICTS = ("consistent", "tension", "contradiction")
TENSION_SHARE = 0.25
"""Overlaps covering less than this share of the narrower range are a tension."""
ABOUT_MARGIN = 0.05
"""How far "about" a share reaches either way: "about half" is read as 45% to 55%."""

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


def _months_between(claims: Mapping, first: str, second: str) -> float:
    start, end = (tokens._period(claims[c].as_of) for c in (first, second))
    mid = [s + (e - s) // 2 for s, e in (start, end)]
    return float((mid[1] - mid[0]) / np.timedelta64(1, "D")) / DAYS_PER_MONTH


def idc_external_t_per_day(claims: Mapping, total_id: str, share_id: str) -> float:
    """Volcano Engine's external public-cloud tokens a day: IDC's total x share / days in its period."""
    start, end = tokens._period(claims[total_id].as_of)
    days = float((end - start) / np.timedelta64(1, "D"))
    total = claim_value(claims, total_id, "trillion tokens", "audit")
    return total * claim_value(claims, share_id, "%", "audit") / PERCENT / days


def doubao_average_t_per_day(claims: Mapping, period: str) -> float:
    """ByteDance-wide tokens a day averaged over `period` (e.g. "2025-H1"), from a fit of the Doubao points.

    A log-linear fit (`tokens.fit_growth`) of the Doubao daily volumes from May
    2024 to September 2025 (claims X-doubao-tokens-*), averaged over the days of
    the period.
    """
    ids = [c for c in sorted(claims) if c.startswith("X-doubao-tokens-")]
    dates = [tokens._period(claims[c].as_of)[0] for c in ids]
    fit = tokens.fit_growth(dates, [claim_value(claims, c, "trillion tokens/day", "audit") for c in ids])
    start, end = tokens._period(period)
    days = np.arange(start, end, np.timedelta64(1, "D"))
    return float(np.mean(fit.predict(days)))


def claim_ranges(dataset=None) -> dict[str, tuple[float, float]]:
    """The claim side of every check, (low, high), from data/claims.yaml; open ends are infinite."""
    c = _claims(dataset)
    burn_low = claim_value(c, "S4-03", "RMB bn", "audit")
    burn_high = float(c["S4-03"].value_high)
    daily_t = claim_value(c, "S2-03", "trillion tokens/day", "audit")
    annual_m_tokens = daily_t * TOKENS_PER_T * DAYS_PER_YEAR / TOKENS_PER_M
    draw_low = claim_value(c, "S0-34", "kWh per hour", "audit")
    draw_high = float(c["S0-34"].value_high)
    offset_share = 1 - claim_value(c, "S0-30", "%", "audit") / PERCENT
    pv = {key: emissions.implied_grid_factor_kg_per_kwh(claim_value(c, t, "t CO2e", "audit"),
                                                        claim_value(c, kwh, "kWh", "audit"))
          for key, t, kwh in [("pv_rooftop", "S0-25", "S0-36"), ("pv_shed", "S0-26", "S0-37")]}
    external = idc_external_t_per_day(c, "X-idc-china-maas-tokens-2025h1", "X-idc-volcano-share-2025h1")
    end_may = claim_value(c, "X-doubao-tokens-2025-05", "trillion tokens/day", "audit")
    h1_average = doubao_average_t_per_day(c, "2025-H1")
    cost_cut = claim_value(c, "S1-05", "%", "audit") / PERCENT
    budget_share = claim_value(c, "S3-04", "%", "audit") / PERCENT
    three = claim_value(c, "X-greenly-three-country-user-share", "%", "audit") / PERCENT
    goldman = claim_value(c, "S0-21", "growth factor", "audit")
    first, last = (int(y) for y in c["S0-21"].as_of.split("-"))  # "2023-2030"
    years = last - first
    readings = sorted([goldman ** (1 / years) - 1, (1 + goldman) ** (1 / years) - 1])
    return {
        "compute_fit": (daily_t, math.inf),
        "app_cost": (burn_low, burn_high),
        "cost_per_token": (burn_low * RMB_PER_BN / annual_m_tokens, burn_high * RMB_PER_BN / annual_m_tokens),
        "fleet_draw": (draw_low, draw_high),
        "datong_draw": (draw_low, draw_high),
        "credits_residual": (offset_share * DAYS_PER_YEAR, math.inf),
        "cut_2030": (claim_value(c, "S0-30", "%", "audit") / PERCENT, 1.0),
        "pv_rooftop": (pv["pv_rooftop"], pv["pv_rooftop"]),
        "pv_shed": (pv["pv_shed"], pv["pv_shed"]),
        "external_share": (external / end_may, external / h1_average),
        "capex_vs_tokens": (1 / (1 - cost_cut), 1 / (1 - cost_cut)),
        "chip_share": (budget_share - ABOUT_MARGIN, budget_share + ABOUT_MARGIN),
        "greenly_users": tuple(v / PERCENT for v in rounding_range(three * PERCENT)),
        "google_rank": (daily_t, math.inf),
        "us_capex": (claim_value(c, "S3-06", "USD bn", "audit"), math.inf),
        "power_growth": (readings[0] * PERCENT, readings[1] * PERCENT),
    }


def fixed_ranges(dataset=None) -> dict[str, tuple[float, float, float]]:
    """The model side of checks that need no parameter: (low, central, high) from claims.

    - greenly_users: share of TikTok's users in the US, UK and France that
      Greenly's figures imply, (7.6 Mt / 48.49 kg) / (~50 Mt / 48.49 kg), over the
      rounding of 7.6 and 50 (claims S0-13, S0-14, S0-17).
    - google_rank: Google's daily tokens in December 2025, 43 T in October
      (S3-14) grown two months at its June-October rate (low) to its May-October
      rate (high), central the log-linear fit of May, June and October
      (X-google-tokens-*).
    - us_capex: the four US hyperscalers' 2025 capex on October guidance
      (X-big4-capex-2025), a single figure.
    - power_growth: the IEA's data-centre electricity growth a year to 2030
      (X-iea-dc-growth), over its rounding.
    """
    c = _claims(dataset)
    three_low, three_high = rounding_range(claim_value(c, "S0-13", "Mt CO2e", "audit"))
    global_low, global_high = rounding_range(claim_value(c, "S0-14", "Mt CO2e", "audit"))
    central = claim_value(c, "S0-13", "Mt", "audit") / claim_value(c, "S0-14", "Mt", "audit")
    greenly = (three_low / global_high, central, three_high / global_low)
    monthly = {cid: claim_value(c, cid, "trillion tokens/month", "audit") for cid in
               ("X-google-tokens-2025-05", "X-google-tokens-2025-06", "X-google-tokens-2025-10")}
    rates = [tokens.monthly_growth_between(monthly[a], monthly["X-google-tokens-2025-10"],
                                           _months_between(c, a, "X-google-tokens-2025-10"))
             for a in ("X-google-tokens-2025-06", "X-google-tokens-2025-05")]
    fit = tokens.fit_growth([tokens._period(c[k].as_of)[0] for k in monthly], list(monthly.values()))
    october = claim_value(c, "S3-14", "trillion tokens/day", "audit")
    months = _months_between(c, "S3-14", "S2-03")
    google = tuple(october * (1 + r) ** months for r in (min(rates), fit.monthly_growth_rate, max(rates)))
    big4 = claim_value(c, "X-big4-capex-2025", "USD bn", "audit")
    iea = claim_value(c, "X-iea-dc-growth", "%", "audit")
    iea_low, iea_high = rounding_range(iea)
    return {"greenly_users": greenly, "google_rank": google, "us_capex": (big4, big4, big4),
            "power_growth": (iea_low, iea, iea_high)}


# --------------------------------------------------------------------------- the checks

@dataclass(frozen=True)
class Check:
    """One cross-check: what is compared, the claims it rests on, and what would settle it.

    `output` names the model side: a field of `Quantities` (Monte Carlo, P10-P90)
    or a key of `fixed_ranges`; the claim side is `claim_ranges()[id]`.
    """

    id: str
    title: str
    question: str
    claims: tuple[str, ...]
    model: str
    claim: str
    unit: str
    output: str
    missing: str


CHECKS: tuple[Check, ...] = (
    Check("compute_fit", "50 T tokens a day on the chips 85 bn RMB buys",
          "Does 50 T tokens a day (December 2025) fit in the compute that 85 bn RMB of chips buys, at a "
          "realistic utilization, given a 20 B-active model?",
          ("S2-03", "S1-02", "S4-02", "S3-05", "S3-08"),
          "Tokens a day the 2026 accelerators can serve at the modelled utilization and peak headroom",
          "At least the 50 T a day the company reports", "T tokens per day", "serveable_tokens_t_per_day",
          "The active size of the models serving the 50 T today (the 20 B is Doubao 1.5's, April 2025) and the "
          "measured utilization of the serving fleet."),
    Check("app_cost", "The app's \"several tens of billions\" a year",
          "Is the free app's \"several tens of billions of RMB a year\" consistent with its token volume and the "
          "modelled cost per token?",
          ("S4-03", "S2-03"),
          "The app's cost in 2026: its share of the tokens at the modelled serving cost, plus staff, bandwidth "
          "and marketing", "几百亿 read as 20-90 bn RMB a year", "RMB bn per year", "app_cost_rmb_bn",
          "Doubao's own cost figure, and whether it counts depreciation of the same capex (a double count)."),
    Check("cost_per_token", "The burn spread over 50 T tokens a day",
          "If the burn served all 50 T tokens a day, is the cost per token it implies the modelled one?",
          ("S4-03", "S2-03"),
          "Serving cost per million tokens on the 2026 fleet", "20-90 bn RMB over a year of 50 T a day",
          "RMB per M tokens", "cost_per_m_tokens_rmb",
          "What the burn pays for besides serving, and how the 50 T split between the app, internal use and "
          "the paid API."),
    Check("fleet_draw", "\"Tens of thousands of kWh an hour\" against the fleet",
          "Is \"tens of thousands of kWh an hour\" for the servers (seed 000) consistent with the fleet the "
          "budget buys?",
          ("S0-34", "S4-02"),
          "Average draw of the 2026 fleet (IT power x utilization x PUE)", "每小時數萬度: 10,000 to 99,999 kWh",
          "kWh per hour", "fleet_draw_kwh_per_hour",
          "ByteDance's metered electricity use (Greenpeace notes it discloses none, S0-19) and which servers the "
          "seed meant."),
    Check("datong_draw", "\"Tens of thousands of kWh an hour\" against Datong alone",
          "Does one planned site, Datong, already draw more than \"tens of thousands of kWh an hour\"?",
          ("S0-34", "S0-28"),
          "Average draw of the Datong site: racks x 12 kW x utilization x PUE", "10,000 to 99,999 kWh",
          "kWh per hour", "datong_draw_kwh_per_hour",
          "Datong's build-out schedule and load: the 12,000 racks are a plan, not a metered site."),
    Check("credits_residual", "The credits as the residual tenth",
          "If the >100,000 t of credits offset the tenth of emissions left after cuts, do they cover a tenth of "
          "a year of the fleet's emissions?",
          ("S0-02", "S0-30"),
          "Days of the 2026 fleet's net emissions the credits cover", "at least a tenth of a year (36.5 days)",
          "days", "credit_coverage_days",
          "The credits' vintage and delivery years, and which emissions (which years, which sites) they are "
          "meant to offset."),
    Check("cut_2030", "A 90% cut by 2030",
          "Is cutting 90% of operational emissions by 2030 (and offsetting 10%) plausible at the modelled "
          "green power and grid?",
          ("S0-30", "S0-29"),
          "Emissions cut by 2030 against the same energy at today's grid factor, from green power and the grid's "
          "trend", "at least 90%", "share", "cut_share_2030",
          "The baseline year and level of the 90% cut, and ByteDance's contracted green power (PPAs, "
          "certificates)."),
    Check("pv_rooftop", "Chengdu rooftop PV: 5,182 kWh for 27.9 t",
          "Does the emission factor the rooftop PV claim implies match any grid?",
          ("S0-25", "S0-36"),
          "Grid emission factor the fleet draws on, over its range (MEE & NBS regional factors)",
          "27.9 t / 5,182 kWh", "kg CO2 per kWh", "grid_factor_kg_per_kwh",
          "The original disclosure: whether the tonnes or the kWh carry a slipped digit."),
    Check("pv_shed", "Chengdu bike-shed PV: 420 kWh for 4.99 t",
          "Does the emission factor the bike-shed PV claim implies match any grid?",
          ("S0-26", "S0-37"),
          "Grid emission factor the fleet draws on, over its range", "4.99 t / 420 kWh", "kg CO2 per kWh",
          "grid_factor_kg_per_kwh",
          "The original disclosure; no single slipped digit reconciles both Chengdu figures."),
    Check("external_share", "IDC's external calls against the daily tokens",
          "Do IDC's 49% of 536.7 T public-cloud tokens in H1 2025 and the daily-token figures tell one story?",
          ("S2-01", "S2-02", "X-idc-china-maas-tokens-2025h1", "X-idc-volcano-share-2025h1", "S0-10",
           "X-doubao-tokens-2025-05"),
          "Share of the daily tokens sold to external customers (the model's input)",
          "IDC's Volcano Engine calls a day over Doubao's tokens a day, H1 2025 average to end-May level",
          "share", "api_share_of_tokens",
          "Volcano Engine's own split of its tokens into its apps, internal businesses and external customers, "
          "and how many of IDC's calls are third-party models."),
    Check("capex_vs_tokens", "Capex growth against token growth",
          "Can capex growing from 150 to 160 bn RMB carry tokens growing from 30 T to 50 T a day in two months?",
          ("S3-03", "S3-12", "S3-11", "S2-03", "S1-05", "S1-06"),
          "How many times more tokens each yuan of capex must serve within a year if the October-December pace "
          "went on", "the claimed 80% cut in inference cost: five times more per yuan", "times",
          "efficiency_gain_needed",
          "Token volumes for 2026 and the fleet's headroom at the end of 2025 (capacity already built)."),
    Check("chip_share", "Chips as \"about half\" of the budget",
          "Are 85 bn RMB of chips \"about half\" of the 160 bn RMB budget?",
          ("S3-04", "S3-05", "S4-02", "S3-01", "S4-01"),
          "Processor budget over the AI budget", "about half, read as 45-55%", "share",
          "processor_share_of_budget",
          "Nothing: the arithmetic holds once seed 003's years are read as 2026 and 2025."),
    Check("greenly_users", "Greenly's user counts against each other",
          "Do Greenly's 7.6 Mt (US, UK, France), ~50 Mt (world) and 48.49 kg per user imply user counts that "
          "agree with its own basis?",
          ("S0-13", "S0-14", "S0-17", "X-greenly-three-country-user-share"),
          "Users in the three countries over users worldwide, both from the footprints / 48.49 kg",
          "the three countries as about 15% of users", "share", "greenly_users",
          "Greenly's method and user counts; the study was criticised and its per-hour footprint is high."),
    Check("google_rank", "Doubao third, behind OpenAI and Google",
          "Does \"behind only OpenAI and Google\" at 50 T a day fit Google's own volumes?",
          ("S2-04", "S2-03", "S3-14", "X-google-tokens-2025-05", "X-google-tokens-2025-06",
           "X-google-tokens-2025-10"),
          "Google's tokens a day in December 2025: 43 T in October grown at its own 2025 pace",
          "at least Doubao's 50 T a day", "T tokens per day", "google_rank",
          "Google's and OpenAI's December 2025 volumes; the seeds give no OpenAI figure."),
    Check("us_capex", "US hyperscalers' 2025 capex",
          "Do seed 003's \">US$300 bn\" (four firms) and seed 002's \">US$200 bn\" (the industry) agree with the "
          "firms' own guidance?",
          ("S3-06", "S2-06", "X-big4-capex-2025"),
          "Alphabet, Amazon, Meta and Microsoft's 2025 capex on their October guidance",
          "more than US$300 bn (seed 003)", "USD bn", "us_capex",
          "Nothing for the verdict: both seed figures are floors; seed 002's scope and period are unstated."),
    Check("power_growth", "Goldman's \"1.6倍\" power growth",
          "Does Goldman Sachs' data-centre power growth to 2030 (\"激增1.6倍\") agree with the IEA's?",
          ("S0-21", "X-iea-dc-growth"),
          "The IEA's growth of data-centre electricity a year to 2030",
          "1.6x or +160% over 2023-2030, as a yearly rate", "% per year", "power_growth",
          "Goldman's report itself: which reading (x1.6 or +160%) it means."),
)
"""The checks, in the order the chapter shows them."""


def checks_table(summary: pd.DataFrame, dataset=None) -> pd.DataFrame:
    """One row per check: model range, claim range, overlap share and verdict.

    `summary` is `uncertainty.summarize` of `quantities` draws (index = output,
    columns p10, p50, p90). Columns: id, title, question, claims (ids), model,
    claim, unit, model_low, model_mid, model_high (P10, P50, P90 or the fixed
    range), claim_low, claim_high (infinite when open), overlap_share, verdict,
    missing.
    """
    claimed = claim_ranges(dataset)
    fixed = fixed_ranges(dataset)
    rows = []
    for check in CHECKS:
        if check.output in fixed:
            low, mid, high = fixed[check.output]
        else:
            low, mid, high = (float(summary.loc[check.output, k]) for k in ("p10", "p50", "p90"))
        c_low, c_high = claimed[check.id]
        rows.append({"id": check.id, "title": check.title, "question": check.question,
                     "claims": list(check.claims), "model": check.model, "claim": check.claim,
                     "unit": check.unit, "model_low": low, "model_mid": mid, "model_high": high,
                     "claim_low": c_low, "claim_high": c_high,
                     "overlap_share": overlap_share(low, high, c_low, c_high),
                     "verdict": verdict(low, high, c_low, c_high), "missing": check.missing})
    return pd.DataFrame(rows)


def normalized(table: pd.DataFrame, open_end: float = 4.0) -> pd.DataFrame:
    """The checks on one axis: every range divided by the claim's reference value.

    reference = the claim's low end when it is open above, else the geometric
    middle of its range (its value when it is a single value). An open end is
    drawn `open_end` times the largest finite ratio out, so the chart shows it
    running off. Columns: title, verdict, kind ("model" or "claim"), low, mid,
    high (ratios), open (the claim has no upper end).
    """
    rows = []
    for r in table.itertuples():
        ref = r.claim_low if math.isinf(r.claim_high) else math.sqrt(r.claim_low * r.claim_high)
        if not ref > 0:
            raise ValueError(f"check {r.id!r}: cannot normalize by a claim reference of {ref!r}")
        rows.append({"title": r.title, "verdict": r.verdict, "kind": "model",
                     "low": r.model_low / ref, "mid": r.model_mid / ref, "high": r.model_high / ref,
                     "open": False})
        rows.append({"title": r.title, "verdict": r.verdict, "kind": "claim", "low": r.claim_low / ref,
                     "mid": (r.claim_low if math.isinf(r.claim_high) else ref) / ref, "high": r.claim_high / ref,
                     "open": math.isinf(r.claim_high)})
    out = pd.DataFrame(rows)
    finite_max = out.loc[np.isfinite(out["high"]), "high"].max()
    out.loc[out["open"], "high"] = finite_max * open_end
    return out


def share_in_claim(draws: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """For each check, the share of Monte Carlo draws whose model value lies in the claim's range.

    NaN for checks whose model side is a fixed range (no draws). Indexed like `table`.
    """
    out = []
    for r in table.itertuples():
        output = next(c.output for c in CHECKS if c.id == r.id)
        if output in draws:
            values = draws[output].to_numpy()
            out.append(float(np.mean((values >= r.claim_low) & (values <= r.claim_high))))
        else:
            out.append(math.nan)
    return pd.Series(out, index=table.index, name="share_in_claim")


def display_value(value: float, unit: str) -> str:
    """A check's number as the table shows it: shares as percentages, three significant figures."""
    if unit == "share":
        value = value * PERCENT
    if math.isinf(value):
        return "∞"
    return capex.format_significant(value, 3)


def range_text(low: float, high: float, unit: str) -> str:
    """`low`-`high` in the unit the table shows (`display_value`); "at least" for an open range."""
    shown = "%" if unit == "share" else f" {unit}"
    if math.isinf(high):
        return f"at least {display_value(low, unit)}{shown}"
    if low == high:
        return f"{display_value(low, unit)}{shown}"
    return f"{display_value(low, unit)} to {display_value(high, unit)}{shown}"


def cut_curve(green_power_shares, grid_trends: Mapping[str, float], years) -> pd.DataFrame:
    """Emissions cut by the target year against the green-power share, one line per grid trend.

    Tidy: green_power_share, grid_trend (label), cut_share (`cut_share_by`).
    """
    shares = np.asarray(green_power_shares, dtype=float)
    return pd.DataFrame([
        {"green_power_share": float(s), "grid_trend": label, "cut_share": float(c)}
        for label, rate in grid_trends.items()
        for s, c in zip(shares, cut_share_by(shares, rate, years))
    ])
