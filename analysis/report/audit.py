"""What the cross-check chapter shows: claim ranges, the checks (data/checks.yaml), their tables and texts."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import DataError, ReportError
from ..inputs import data, periods
from ..inputs.data import claim_value
from ..inputs.data import claims_of as _claims
from ..models import audit, emissions, tokens
from ..models.units import DAYS_PER_MONTH, DAYS_PER_YEAR, PERCENT, RMB_PER_BN, TOKENS_PER_M, TOKENS_PER_T
from ..models.validation import field_names
from .formatting import format_significant, range_text


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
    top3_floor = claim_value(c, "X-china-internet-ad-top3-2024", "RMB bn", "audit")
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
        # The gain the fleet still needs fits if the claimed cost cut can deliver it: none up to 5x.
        "capex_vs_tokens": (1.0, 1 / (1 - cost_cut)),
        "chip_share": (budget_share - ABOUT_MARGIN, budget_share + ABOUT_MARGIN),
        "greenly_users": tuple(v / PERCENT for v in audit.rounding_range(three * PERCENT)),
        "google_rank": (daily_t, math.inf),
        "us_capex": (claim_value(c, "S3-06", "USD bn", "audit"), math.inf),
        "power_growth": (readings[0] * PERCENT, readings[1] * PERCENT),
        # Above the top-three floor, and at most the whole market less Alibaba's and Tencent's floors.
        "ad_market": (top3_floor, claim_value(c, "X-china-internet-ad-market-2024", "RMB bn", "audit") - 2 * top3_floor),
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


FIXED_OUTPUTS = ("greenly_users", "google_rank", "us_capex", "power_growth")
"""The model sides that need no parameter: the keys of `fixed_ranges`."""


def checks(path=None) -> tuple[data.Check, ...]:
    """The cross-checks, in the order the chapter shows them: data/checks.yaml (or `path`).

    `data.load_checks` validates the records and their claim ids; here each check's
    `output` must name a model output (a field of `analysis.models.audit.Quantities`)
    or a fixed range (`FIXED_OUTPUTS`). A check's claim range is `claim_ranges()[id]`.
    """
    loaded = data.load_checks(path)
    known = (*field_names(audit.Quantities), *FIXED_OUTPUTS)
    for check in loaded:
        if check.output not in known:
            raise DataError(f"{data.CHECKS_FILE}: record '{check.id}': field 'output': unknown model output "
                            f"'{check.output}'; the outputs are {', '.join(known)} (analysis.models.audit."
                            "Quantities and analysis.report.audit.FIXED_OUTPUTS)")
    return loaded


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
    for check in checks():
        if check.id not in claimed:
            raise DataError(f"{data.CHECKS_FILE}: record '{check.id}': no claim range for this check; add one "
                            "under its id to analysis.report.audit.claim_ranges")
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
            raise ReportError(f"check {r.id!r}: cannot normalize by a claim reference of {ref!r}")
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
    outputs = {check.id: check.output for check in checks()}
    out = []
    for r in table.itertuples():
        output = outputs[r.id]
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


def check_range_text(low: float, high: float, unit: str) -> str:
    """A check's range as the text shows it: `formatting.range_text` with each end a `display_value`.

    "21.5 to 62.8%" for a share, "at least 50.0 T tokens per day" for an open range,
    "5.00 times" for a single value.
    """
    return range_text(low, high, "%" if unit == "share" else unit, number=lambda v: display_value(v, unit))


def check_figures(table: pd.DataFrame) -> dict[str, str | int | float]:
    """What the chapter's text quotes of the checks table (`checks_table`), by glue name.

    Per check: `<id>_model` (model range), `<id>_claim` (claim range), `<id>_mid` (the
    model's P50 or central value), as `check_range_text`, and `<id>_verdict`. Then
    `n_checks`, `n_<verdict>` (how many checks have each verdict, zero included) and
    `tension_share` (the overlap below which a verdict is a tension).
    """
    figures: dict[str, str | int | float] = {}
    for r in table.itertuples():
        figures[f"{r.id}_model"] = check_range_text(r.model_low, r.model_high, r.unit)
        figures[f"{r.id}_claim"] = check_range_text(r.claim_low, r.claim_high, r.unit)
        figures[f"{r.id}_mid"] = check_range_text(r.model_mid, r.model_mid, r.unit)
        figures[f"{r.id}_verdict"] = r.verdict
    figures["n_checks"] = len(table)
    for name in audit.VERDICTS:
        figures[f"n_{name}"] = int((table["verdict"] == name).sum())
    figures["tension_share"] = audit.TENSION_SHARE
    return figures


QUOTED_CLAIMS = {
    "daily_t": "S2-03", "october_t": "S3-11", "active_bn": "S1-13", "chips_rmb_bn": "S4-02",
    "budget_2025_rmb_bn": "S3-12", "budget_2026_rmb_bn": "S3-03", "cost_cut_pct": "S1-05",
    "idc_h1_t": "S2-01", "idc_h1_share_pct": "X-idc-volcano-share-2025h1", "idc_2024_share_pct": "S0-10",
    "cut_pct": "S0-30", "credits_t": "S0-02", "big4_floor_usd_bn": "S3-06", "industry_floor_usd_bn": "S2-06",
    "greenly_share_pct": "X-greenly-three-country-user-share",
}
"""The claims the chapter's text quotes as they are: glue name -> claim id."""


def claim_figures(dataset=None) -> dict[str, float]:
    """The claims' figures the chapter's text quotes, by glue name.

    The values of `QUOTED_CLAIMS` (`data.claim_values`), and from them:
    `cost_cut_multiple`, the claimed cost cut as a factor, 1 / (1 - S1-05);
    `residual_days`, the days of a year the credits would cover as the tenth left
    after the cut (`claim_ranges`' credits_residual floor); and Volcano Engine's
    external tokens a day in 2024 and H1 2025 (`idc_external_trillion_per_day`),
    `idc_2024_trillion_per_day` and `idc_2025_trillion_per_day`.
    """
    c = _claims(dataset)
    figures = data.claim_values(dataset, QUOTED_CLAIMS)
    figures["cost_cut_multiple"] = 1 / (1 - claim_value(c, "S1-05", "%", "audit") / PERCENT)
    figures["residual_days"] = claim_ranges(dataset)["credits_residual"][0]
    figures["idc_2024_trillion_per_day"] = idc_external_trillion_per_day(
        c, "X-idc-china-maas-tokens-2024", "X-idc-volcano-share-2024")
    figures["idc_2025_trillion_per_day"] = idc_external_trillion_per_day(
        c, "X-idc-china-maas-tokens-2025h1", "X-idc-volcano-share-2025h1")
    return figures


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
