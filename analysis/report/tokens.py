"""What the token-economics chapter shows: data points from claims and the tidy tables behind its charts."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import DataError, ReportError
from ..inputs import periods
from ..inputs.data import claim_record
from ..models import chain, tokens, uncertainty
from ..models.units import COUNT_PER_M, FLOPS_PER_TFLOPS, M_PER_BN, PERCENT, TOKENS_PER_T
from ..models.validation import fraction as _fraction
from ..models.validation import positive as _positive
from .formatting import round_significant


def token_volumes(dataset=None) -> pd.DataFrame:
    """The data points of the token-volume chart, one row per claim, in trillion tokens a day.

    tokens_per_day_trillion = value (a daily rate), or value / days in the claim's period
    (a monthly, half-year or yearly total), times a share claim / 100 where given.

    Columns: series, claim (id; "A x B" for a total times a share), date (middle
    of the claim's period), period_days, value, unit (both as in the claim),
    tokens_per_day_trillion, lower_bound (the claim says "more than"), status (the
    claim's flag). Doubao and Google count all traffic (own apps included); IDC
    counts public-cloud API calls by external customers only (claims S2-01, S0-10,
    seed notes section 3 items 7-8). `dataset` defaults to `analysis.data.load()`.
    """
    if dataset is None:
        from ..inputs import data
        dataset = data.load()
    rows = []
    for series, cid, kind, share_id in VOLUME_POINTS:
        claim = claim_record(dataset.claims, cid, "token_volumes", needs_value=True)
        if not claim.unit.startswith("trillion tokens"):
            raise DataError(f"claims.yaml: claim '{cid}' is in {claim.unit!r}; token_volumes expects "
                            "trillion tokens")
        start, end = periods.period(claim.as_of)
        days = float((end - start) / np.timedelta64(1, "D"))
        per_day = claim.value if kind == "per_day" else claim.value / days
        ids, status, lower = cid, claim.status, "lower bound" in claim.unit
        if share_id is not None:
            share = claim_record(dataset.claims, share_id, "token_volumes", needs_value=True)
            per_day = per_day * share.value / PERCENT
            ids = f"{cid} x {share_id}"
            status = claim.status if claim.status != "ok" else share.status
        rows.append({
            "series": series,
            "claim": ids,
            "date": start + (end - start) // 2,
            "period_days": days,
            "value": claim.value,
            "unit": claim.unit,
            "tokens_per_day_trillion": per_day,
            "lower_bound": lower,
            "status": status,
        })
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def _to_usd(claim, rmb_per_usd) -> float:
    if claim.unit.startswith("USD per million"):
        return claim.value
    if claim.unit.startswith("RMB per million"):
        return claim.value / rmb_per_usd
    raise DataError(f"claims.yaml: claim '{claim.id}' is in {claim.unit!r}; list_prices expects "
                    "'RMB per million ...' or 'USD per million ...'")


def list_prices(rmb_per_usd, dataset=None) -> pd.DataFrame:
    """List prices per million tokens of Doubao and peers, in USD, one row per model.

    usd_per_m = value (USD claims) or value / rmb_per_usd (RMB claims)

    Columns: model, input_usd_per_m, output_usd_per_m, currency (the source's),
    input_claim, output_claim, status (worst of the two claims' flags: several
    prices are from memory and flagged unsourced in data/claims.yaml).
    Reference: sources volcano-force-2024-05, volcano-ark-pricing,
    volcano-force-2025-06, byteplus-model-pricing, openai-api-pricing.
    """
    _positive("rmb_per_usd", rmb_per_usd)
    if dataset is None:
        from ..inputs import data
        dataset = data.load()
    order = ("ok", "ambiguous", "inconsistent", "unsourced")
    rows = []
    for model, in_id, out_id in PRICE_POINTS:
        inp = claim_record(dataset.claims, in_id, "list_prices", needs_value=True)
        out = claim_record(dataset.claims, out_id, "list_prices", needs_value=True) if out_id else None
        statuses = [inp.status] + ([out.status] if out else [])
        rows.append({
            "model": model,
            "input_usd_per_m": _to_usd(inp, rmb_per_usd),
            "output_usd_per_m": _to_usd(out, rmb_per_usd) if out else math.nan,
            "currency": inp.unit.split()[0],
            "input_claim": in_id,
            "output_claim": out_id,
            "status": max(statuses, key=order.index),
        })
    return pd.DataFrame(rows)


def growth_curve(fit: tokens.GrowthFit, fitted_dates, dates) -> pd.DataFrame:
    """A fitted growth line and its P10-P90 band at `dates`, one row per date.

    fitted = exp(a + b x t);  low, high = fitted(t_c) x (1 + rate_p10 or rate_p90) ^ (t - t_c)

    with t in months since the fit's start and t_c the mean of `fitted_dates` (the
    dates the fit was made on), where a log-linear fit's slope uncertainty
    vanishes; low and high are the smaller and larger of the two. The band shows
    the slope's uncertainty only (`fit_growth`); with two points it is NaN.
    Columns: date, fitted, low, high (the fitted values' unit).
    """
    centre = float(np.mean(tokens.months_since(fitted_dates, fit.start)))
    t = tokens.months_since(dates, fit.start)
    anchor = math.exp(fit.intercept + fit.slope_per_month * centre)
    slow = anchor * (1 + fit.monthly_growth_rate_p10) ** (t - centre)
    fast = anchor * (1 + fit.monthly_growth_rate_p90) ** (t - centre)
    return pd.DataFrame({
        "date": pd.to_datetime(tokens.as_datetimes(dates)),
        "fitted": np.exp(fit.intercept + fit.slope_per_month * t),
        "low": np.minimum(slow, fast),  # before the centre the slower rate gives the higher value
        "high": np.maximum(slow, fast),
    })


def percentile_table(summary: pd.DataFrame, labels: Mapping[str, str], scale=1.0) -> pd.DataFrame:
    """Chosen rows of an `uncertainty.summarize` table, relabelled and rescaled, for bars with whiskers.

    p10, p50, p90 = the summary's percentiles / scale

    `labels` maps output names (the summary's index) to the labels shown, in the
    order wanted; `scale` converts units (1e3 for thousands). Columns: item,
    output, p10, p50, p90.
    """
    _positive("scale", scale)
    missing = [name for name in labels if name not in summary.index]
    if missing:
        raise ReportError(f"outputs {missing} are not in the summary; it has {sorted(summary.index)}")
    rows = summary.loc[list(labels), ["p10", "p50", "p90"]] / scale
    return rows.rename_axis("output").reset_index().assign(item=list(labels.values()))[
        ["item", "output", "p10", "p50", "p90"]]


def cost_by_utilization(p: Mapping, utilizations) -> pd.DataFrame:
    """Serving cost per million tokens (USD) against the serving MFU, every other input at its value.

    cost = `economics`(p with serving_utilization = u).cost_per_m_tokens_usd, and before
    the claimed GPU-cost cut cost / (1 - gpu_cost_cut_share)

    Columns: serving_utilization, case ("after the claimed cut" or "before the cut"),
    cost_usd_per_m; one row per utilization and case. Reference: `economics` steps 2-3.
    """
    u = np.asarray(utilizations, dtype=float).ravel()
    result = chain.evaluate({**p, "serving_utilization": u}, "traffic").traffic
    after = np.broadcast_to(result.cost_per_m_tokens_usd, u.shape)
    before = np.broadcast_to(result.cost_per_m_tokens_before_cut_usd, u.shape)
    return pd.concat([
        pd.DataFrame({"serving_utilization": u, "case": "after the claimed cut", "cost_usd_per_m": after}),
        pd.DataFrame({"serving_utilization": u, "case": "before the cut", "cost_usd_per_m": before}),
    ], ignore_index=True)


def blended_list_prices(prices: pd.DataFrame, output_share) -> pd.DataFrame:
    """Each model's list price per million served tokens, blended over input and output, no cache hits.

    blended_usd_per_m = (1 - output_share) x input_usd_per_m + output_share x output_usd_per_m

    `prices` is a `list_prices` table; models without an output price are dropped.
    Returns it with a blended_usd_per_m column. Reference: `blended_price_per_m_tokens`.
    """
    _fraction("output_share", output_share)
    priced = prices.dropna(subset=["output_usd_per_m"]).reset_index(drop=True)
    blended = tokens.blended_price_per_m_tokens(output_share, 0.0, priced["input_usd_per_m"], priced["input_usd_per_m"],
                                         priced["output_usd_per_m"])
    return priced.assign(blended_usd_per_m=np.asarray(blended, dtype=float))


# Which claims are points of the token-volume chart, and what their value counts:
# "per_day" = trillion tokens a day; "per_period" = trillion tokens over the period
# the claim's as_of names (a month, a half-year or a year). A second claim id is a
# percentage share applied to the first (Volcano Engine's share of IDC's market).
VOLUME_POINTS: tuple[tuple[str, str, str, str | None], ...] = (
    ("Doubao (all ByteDance traffic)", "X-doubao-tokens-2024-05", "per_day", None),
    ("Doubao (all ByteDance traffic)", "X-doubao-tokens-2024-09", "per_day", None),
    ("Doubao (all ByteDance traffic)", "X-doubao-tokens-2025-05", "per_day", None),
    ("Doubao (all ByteDance traffic)", "X-doubao-tokens-2025-09", "per_day", None),
    ("Doubao (all ByteDance traffic)", "S3-11", "per_day", None),
    ("Doubao (all ByteDance traffic)", "S2-03", "per_day", None),
    ("Google (all surfaces)", "X-google-tokens-2024-05", "per_period", None),
    ("Google (all surfaces)", "X-google-tokens-2025-05", "per_period", None),
    ("Google (all surfaces)", "X-google-tokens-2025-06", "per_period", None),
    ("Google (all surfaces)", "X-google-tokens-2025-10", "per_period", None),
    ("Google (all surfaces)", "S3-14", "per_day", None),
    ("China public-cloud LLM APIs (IDC)", "X-idc-china-maas-tokens-2024", "per_period", None),
    ("China public-cloud LLM APIs (IDC)", "X-idc-china-maas-tokens-2025h1", "per_period", None),
    ("Volcano Engine public-cloud API (IDC)", "X-idc-china-maas-tokens-2024", "per_period",
     "X-idc-volcano-share-2024"),
    ("Volcano Engine public-cloud API (IDC)", "X-idc-china-maas-tokens-2025h1", "per_period",
     "X-idc-volcano-share-2025h1"),
)
"""(series, claim id, what the value counts, share claim id) for `token_volumes`."""


# (model, input-price claim, output-price claim) for `list_prices`.
PRICE_POINTS: tuple[tuple[str, str, str | None], ...] = (
    ("Doubao-pro-32k (launch, May 2024)", "X-doubao-pro-32k-input-price-2024",
     "X-doubao-pro-32k-output-price-2024"),
    ("Doubao 1.5 Lite 32K", "X-doubao-1-5-lite-input-price", "X-doubao-1-5-lite-output-price"),
    ("Doubao 1.5 Pro 32K", "X-doubao-1-5-pro-input-price", "X-doubao-1-5-pro-output-price"),
    ("Doubao Seed 1.6 (China, <=32K)", "X-doubao-seed-1-6-cn-input-price", "X-doubao-seed-1-6-cn-output-price"),
    ("ByteDance-Seed-1.6 (BytePlus)", "X-byteplus-seed-1-6-input-price", "X-byteplus-seed-1-6-output-price"),
    ("Industry reference (May 2024)", "X-industry-ref-price-2024", None),
    ("OpenAI GPT-4o", "X-gpt-4o-input-price", "X-gpt-4o-output-price"),
    ("OpenAI GPT-4o mini", "X-gpt-4o-mini-input-price", "X-gpt-4o-mini-output-price"),
)
"""(model, input-price claim id, output-price claim id or None) for `list_prices`."""


# ---------------------------------------------------------------------------- figures the text quotes

# The claims the chapter's text quotes, by the name the text uses (`analysis.inputs.data.claim_values`).
QUOTED_CLAIMS = {
    "doubao_2024_05": "X-doubao-tokens-2024-05", "doubao_2024_09": "X-doubao-tokens-2024-09",
    "doubao_2025_05": "X-doubao-tokens-2025-05", "doubao_2025_09": "X-doubao-tokens-2025-09",
    "goldman_bytedance": "S3-11", "goldman_google": "S3-14", "google_2025_05": "X-google-tokens-2025-05",
    "google_2025_06": "X-google-tokens-2025-06", "google_2025_10": "X-google-tokens-2025-10",
    "idc_h1": "S2-01", "idc_volcano_seed": "S2-02", "idc_volcano_h1": "X-idc-volcano-share-2025h1",
    "idc_volcano_seed000": "S0-10", "idc_volcano_2024": "X-idc-volcano-share-2024",
    "idc_2024": "X-idc-china-maas-tokens-2024", "active_claim_bn": "S1-13", "total_claim_bn": "S1-02",
    "cut_claim": "S1-05", "burn": "S4-03", "s2_15": "S2-15",
}

_FIT_FIELDS = ("monthly_growth_rate", "monthly_growth_rate_p10", "monthly_growth_rate_p90", "doubling_time_months",
               "annual_growth_multiple")


def growth_fits(volumes: pd.DataFrame) -> dict[str, tokens.GrowthFit]:
    """Constant monthly growth fitted (`tokens.fit_growth`) to Doubao's whole history ("all"), to
    its 2025 points ("recent") and to Google's 2025 points ("google"), from `token_volumes`."""
    doubao = volumes[volumes["series"].str.startswith("Doubao")]
    doubao_2025 = doubao[doubao["date"].dt.year == 2025]
    google_2025 = volumes[volumes["claim"].str.startswith("X-google-tokens-2025")]
    return {name: tokens.fit_growth(points["date"], points["tokens_per_day_trillion"])
            for name, points in [("all", doubao), ("recent", doubao_2025), ("google", google_2025)]}


def volume_figures(volumes: pd.DataFrame, fits: Mapping[str, tokens.GrowthFit], dataset) -> dict[str, float]:
    """The growth fits (three significant figures) and the volumes the text quotes, per day:
    Google around October 2025, IDC's Chinese public-cloud market and Volcano Engine's part of it
    in the first half of 2025, and that part over Doubao's own volume in May 2025."""
    def per_day(claim: str) -> float:
        return volumes.loc[volumes["claim"] == claim, "tokens_per_day_trillion"].iloc[0]

    figures = {f"fit_{name}_{field}": round_significant(getattr(fit, field))
               for name, fit in fits.items() for field in _FIT_FIELDS}
    volcano_h1 = volumes.loc[volumes["claim"].str.endswith("X-idc-volcano-share-2025h1"),
                             "tokens_per_day_trillion"].iloc[0]
    doubao_may = claim_record(dataset.claims, "X-doubao-tokens-2025-05", "volume_figures", needs_value=True).value
    figures.update({
        "google_oct_per_day": round_significant(per_day("X-google-tokens-2025-10")),
        "idc_h1_per_day": round_significant(per_day("X-idc-china-maas-tokens-2025h1")),
        "volcano_h1_per_day": round_significant(volcano_h1),
        "volcano_share_of_doubao": round_significant(volcano_h1 / doubao_may, 2),
    })
    return figures


_BASE_FIELDS = ("uncached_token_share", "decode_share_of_flop", "tokens_per_second_per_accelerator",
                "share_of_fleet_needed", "share_of_installed_fleet_needed", "months_to_fill_fleet", "price_to_cost_ratio", "breakeven_utilization",
                "cost_per_gpu_hour_owned_usd", "cost_per_busy_gpu_hour_usd", "cost_per_m_tokens_usd",
                "cost_per_m_tokens_rmb", "cost_per_m_tokens_before_cut_usd", "blended_price_per_m_tokens_rmb",
                "app_annual_serving_cost_before_cut_rmb_bn")


def base_figures(base: tokens.TokenEconomics) -> dict[str, float]:
    """The traffic with every input at its value, three significant figures, as `base_<field>`:
    FLOP per token (GFLOP), peak TFLOP/s per accelerator, accelerator counts in millions; the app's
    share of the tokens and its tokens a day (trillion)."""
    figures = {f"base_{name}": round_significant(float(base[name])) for name in _BASE_FIELDS}
    figures["base_app_share_of_tokens"] = float(base.app_share_of_tokens)
    figures["base_app_tokens_per_day_t"] = float(base.app_tokens_per_day) / TOKENS_PER_T
    figures["base_flops_per_token_g"] = float(base.flops_per_token) / FLOPS_PER_TFLOPS * M_PER_BN
    figures["base_peak_tflops"] = round_significant(float(base.peak_flops_per_accelerator) / FLOPS_PER_TFLOPS)
    for name in ("accelerators_busy_average", "accelerators_needed", "fleet_accelerators"):
        figures[f"base_{name}_m"] = round_significant(float(base[name]) / COUNT_PER_M)
    return figures


def draw_figures(draws: pd.DataFrame) -> dict[str, float]:
    """What the text says of the Monte Carlo beyond ranges: the share of draws in which the app and
    the API alone use more tokens than the reported daily volume (internal use is then zero), and
    the share in which the paid API's list-price revenue falls short of its serving cost (its
    margin's sign flips)."""
    return {"share_of_draws_over_reported": float((draws["app_and_api_share_of_reported_tokens"] > 1).mean()),
            "share_of_draws_api_loses": uncertainty.share_below(draws["api_annual_margin_rmb_bn"])}
