"""What the cross-check chapter shows: claim ranges, the checks with their prose, and their tables."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..inputs import periods
from ..inputs.data import claim_value
from ..inputs.data import claims_of as _claims
from ..models import audit, emissions, tokens
from ..models.units import DAYS_PER_MONTH, DAYS_PER_YEAR, PERCENT, RMB_PER_BN, TOKENS_PER_M, TOKENS_PER_T
from .formatting import format_significant


def _months_between(claims: Mapping, first: str, second: str) -> float:
    start, end = (periods.period(claims[c].as_of) for c in (first, second))
    mid = [s + (e - s) // 2 for s, e in (start, end)]
    return float((mid[1] - mid[0]) / np.timedelta64(1, "D")) / DAYS_PER_MONTH


def idc_external_trillion_per_day(claims: Mapping, total_id: str, share_id: str) -> float:
    """Volcano Engine's external public-cloud tokens a day: IDC's total x share / days in its period."""
    start, end = periods.period(claims[total_id].as_of)
    days = float((end - start) / np.timedelta64(1, "D"))
    total = claim_value(claims, total_id, "trillion tokens", "audit")
    return total * claim_value(claims, share_id, "%", "audit") / PERCENT / days


def doubao_average_trillion_per_day(claims: Mapping, period: str) -> float:
    """ByteDance-wide tokens a day averaged over `period` (e.g. "2025-H1"), from a fit of the Doubao points.

    A log-linear fit (`tokens.fit_growth`) of the Doubao daily volumes from May
    2024 to September 2025 (claims X-doubao-tokens-*), averaged over the days of
    the period.
    """
    ids = [c for c in sorted(claims) if c.startswith("X-doubao-tokens-")]
    dates = [periods.period(claims[c].as_of)[0] for c in ids]
    fit = tokens.fit_growth(dates, [claim_value(claims, c, "trillion tokens/day", "audit") for c in ids])
    start, end = periods.period(period)
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
    external = idc_external_trillion_per_day(c, "X-idc-china-maas-tokens-2025h1", "X-idc-volcano-share-2025h1")
    end_may = claim_value(c, "X-doubao-tokens-2025-05", "trillion tokens/day", "audit")
    h1_average = doubao_average_trillion_per_day(c, "2025-H1")
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
        "greenly_users": tuple(v / PERCENT for v in audit.rounding_range(three * PERCENT)),
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
    three_low, three_high = audit.rounding_range(claim_value(c, "S0-13", "Mt CO2e", "audit"))
    global_low, global_high = audit.rounding_range(claim_value(c, "S0-14", "Mt CO2e", "audit"))
    central = claim_value(c, "S0-13", "Mt", "audit") / claim_value(c, "S0-14", "Mt", "audit")
    greenly = (three_low / global_high, central, three_high / global_low)
    monthly = {cid: claim_value(c, cid, "trillion tokens/month", "audit") for cid in
               ("X-google-tokens-2025-05", "X-google-tokens-2025-06", "X-google-tokens-2025-10")}
    rates = [tokens.monthly_growth_between(monthly[a], monthly["X-google-tokens-2025-10"],
                                           _months_between(c, a, "X-google-tokens-2025-10"))
             for a in ("X-google-tokens-2025-06", "X-google-tokens-2025-05")]
    fit = tokens.fit_growth([periods.period(c[k].as_of)[0] for k in monthly], list(monthly.values()))
    october = claim_value(c, "S3-14", "trillion tokens/day", "audit")
    months = _months_between(c, "S3-14", "S2-03")
    google = tuple(october * (1 + r) ** months for r in (min(rates), fit.monthly_growth_rate, max(rates)))
    big4 = claim_value(c, "X-big4-capex-2025", "USD bn", "audit")
    iea = claim_value(c, "X-iea-dc-growth", "%", "audit")
    iea_low, iea_high = audit.rounding_range(iea)
    return {"greenly_users": greenly, "google_rank": google, "us_capex": (big4, big4, big4),
            "power_growth": (iea_low, iea, iea_high)}


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
          "At least the 50 T a day the company reports", "T tokens per day", "serveable_tokens_trillion_per_day",
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
                     "overlap_share": audit.overlap_share(low, high, c_low, c_high),
                     "verdict": audit.verdict(low, high, c_low, c_high), "missing": check.missing})
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
    return format_significant(value, 3)


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
        for s, c in zip(shares, audit.cut_share_by(shares, rate, years))
    ])


ABOUT_MARGIN = 0.05
"""How far "about" a share reaches either way: "about half" is read as 45% to 55%."""
