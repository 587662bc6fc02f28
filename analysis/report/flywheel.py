"""What the flywheel chapter shows from the claims: what the seeds assert and the seed's burn."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import DataError
from ..models.units import TOKENS_PER_T

SEED_ASSERTION_IDS = ("S4-04", "S4-05", "S4-06", "S4-10", "S4-07", "S4-08", "S1-11", "S3-10", "S2-15")
"""Claims the seeds assert about the flywheel but give no numbers to test: shown, never used as inputs."""


SEED_BURN_CLAIM = "S4-03"
"""Seed 004's '豆包APP免费,每年烧几百亿' (value and value_high: the range read into it)."""


def _dataset(dataset):
    if dataset is None:
        from ..inputs import data  # imported here: no file reads at import time
        dataset = data.load()
    return dataset


def seed_assertions(dataset=None, ids: Iterable[str] = SEED_ASSERTION_IDS) -> pd.DataFrame:
    """The flywheel claims the seeds assert but cannot show, as a tidy table: claims, not inputs.

    One row per claim id, in the order given: id, source, quote (verbatim),
    english, value, value_high, unit, as_of, status, reason, and
    used_as_input = False. `dataset` is a `data.Dataset` (default: `data.load()`).
    Unknown ids raise DataError. Reference: data/claims.yaml; seed notes section 1
    (seed 004 "gives no ad-revenue, conversion or pricing data").
    """
    claims = _dataset(dataset).claims
    ids = list(ids)
    unknown = [i for i in ids if i not in claims]
    if unknown:
        raise DataError(f"unknown claim id(s) {', '.join(unknown)}; ids are those in data/claims.yaml")
    rows = [{
        "id": c.id, "source": c.source, "quote": c.quote, "english": c.english,
        "value": np.nan if c.value is None else c.value,
        "value_high": np.nan if c.value_high is None else c.value_high,
        "unit": c.unit, "as_of": c.as_of, "status": c.status, "reason": c.reason,
        "used_as_input": False,
    } for c in (claims[i] for i in ids)]
    return pd.DataFrame(rows, columns=["id", "source", "quote", "english", "value", "value_high", "unit",
                                       "as_of", "status", "reason", "used_as_input"])


def seed_burn_range_rmb_bn(dataset=None) -> tuple[float, float]:
    """Seed 004's '几百亿' a year as read in claim S4-03: (low, high) in RMB bn a year.

    For comparing the token chapter's bottom-up app cost with the seed's assertion.
    """
    claim = _dataset(dataset).claims[SEED_BURN_CLAIM]
    high = claim.value if claim.value_high is None else claim.value_high
    return float(claim.value), float(high)


def simulation_figures(traffic, simulation: pd.DataFrame, dataset=None) -> dict[str, float]:
    """What the text quotes of the token economics (every input at its value: the app's tokens a day
    in trillions and their share of the total, the cost per million tokens), the seed's burn
    (S4-03) and the flywheel's simulation (`flywheel.simulate_flywheel`): its first year's ad
    revenue and matched part, its years, and its last year's users, net and cumulative net."""
    first, last = simulation.iloc[0], simulation.iloc[-1]
    burn_low, burn_high = seed_burn_range_rmb_bn(dataset)
    return {
        "cost_per_m_tokens_rmb": float(traffic["cost_per_m_tokens_rmb"]),
        "app_tokens_per_day_t": float(traffic["app_tokens_per_day"]) / TOKENS_PER_T,
        "app_share_of_tokens": float(traffic["app_share_of_tokens"]),
        "serving_before_cut_rmb_bn": float(traffic["app_annual_serving_cost_before_cut_rmb_bn"]),
        "burn_low": burn_low,
        "burn_high": burn_high,
        "ad_revenue_first_rmb_bn": float(first["ad_revenue_rmb_bn"]),
        "matched_ad_revenue_rmb_bn": float(first["ad_revenue_rmb_bn"] * first["matched_ad_share"]),
        "first_year": int(first["year"]),
        "last_year": int(last["year"]),
        "last_users_m": float(last["doubao_mau_m"]),
        "last_net_rmb_bn": float(last["net_rmb_bn"]),
        "cumulative_rmb_bn": float(last["cumulative_net_rmb_bn"]),
    }
