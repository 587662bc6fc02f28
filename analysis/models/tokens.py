"""Token economics: how many tokens ByteDance serves, what they take in compute, cost and earn.

Pure, vectorized model functions: every argument may be a float, a numpy array
or a pandas Series (which keeps its index), and arrays broadcast as numpy does.
The unit of every quantity is in its name; token and parameter counts are plain
counts (50e12 tokens, 20e9 parameters) unless a name says `_trillion` or `_bn`.
Invalid input raises ModelInputError with the bad value and the valid range.

The chain is tokens per day -> FLOPs (2 x active parameters per token, prefill
and decode alike; cached input tokens need none) -> busy accelerators at a
serving MFU -> accelerators provisioned for the peak -> cost per million tokens
from the fleet's cost per accelerator-hour -> app serving cost and API revenue
at list prices. `economics(TokenInputs, fleet)` runs it on the fleet that
`capex.fleet` built; `analysis.models.chain.evaluate` builds both once per evaluation.

Claim ids (S0-xx ... S4-xx) are seed claims and X-... external claims in
data/claims.yaml; source ids are in data/sources.yaml.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ModelInputError
from . import capex
from .units import (
    COUNT_PER_M,
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    FLOP_PER_MULTIPLY_ADD,
    HOURS_PER_YEAR,
    MONTHS_PER_YEAR,
    PARAMS_PER_BN,
    PERCENT,
    RMB_PER_BN,
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    TOKENS_PER_M,
    TOKENS_PER_T,
    USD_PER_BN,
)
from .validation import Numeric, Outputs, StageInputs
from .validation import fraction as _fraction
from .validation import non_negative as _non_negative
from .validation import positive as _positive
from .validation import require as _require

# Months between the two dated volume parameters (October and December 2025).
_MONTHS_OCT_TO_DEC_2025 = 2.0


def _utilization(name: str, value) -> None:
    _require(name, value, lambda a: (a > 0) & (a <= 1),
             "a fraction in (0, 1] (model FLOPs utilization: achieved / peak FLOP/s)")


def _share_below_one(name: str, value) -> None:
    _require(name, value, lambda a: (a >= 0) & (a < 1), "a fraction in [0, 1)")


# --------------------------------------------------------------------------- compute

def flops_per_token(active_params):
    """Forward-pass compute per token of a transformer: two FLOPs per active parameter.

    flops_per_token = 2 x active_params

    One multiply-accumulate per weight per token. Attention over the context
    (which grows with context length) is left out, as in the usual "2N" rule.
    For a mixture-of-experts model only the active parameters count.

    Parameters
    ----------
    active_params : float or array [parameters]
        Parameters used per token (a count, e.g. 20e9, not bn).

    Returns
    -------
    flops_per_token : float or array [FLOP per token]

    References
    ----------
    .. [1] Kaplan et al. 2020, Scaling Laws for Neural Language Models, section 2.1.
    .. [2] Doubao 1.5 thinking, 20 B active of 200 B (claims S1-02, S1-13), about
       4e10 FLOPs per token (claim S1-03). A dense 70 B model needs 1.4e11.

    Examples
    --------
    >>> f"{flops_per_token(20e9):.2g}", f"{flops_per_token(70e9):.2g}"
    ('4e+10', '1.4e+11')
    """
    _non_negative("active_params", active_params)
    return FLOP_PER_MULTIPLY_ADD * active_params


def uncached_token_share(output_share, cache_hit_share):
    """Share of served tokens that need forward compute: output plus uncached input.

    uncached_share = 1 - (1 - output_share) x cache_hit_share

    Input tokens found in the prompt (KV) cache skip prefill compute, which is
    why list prices charge them less. Output tokens are always computed.

    Parameters
    ----------
    output_share : float or array [fraction of tokens, 0-1]
    cache_hit_share : float or array [fraction of input tokens, 0-1]
        Share of input tokens served from the prompt cache.

    Returns
    -------
    uncached_share : float or array [fraction of tokens, 0-1]

    References
    ----------
    .. [1] Doubao 1.5 Lite, 0.06 vs 0.30 RMB per M input tokens on a cache hit vs a
       miss (claim X-doubao-1-5-lite-input-price); BytePlus USD 0.05 vs 0.25
       (X-byteplus-seed-1-6-input-price).

    Examples
    --------
    >>> round(float(uncached_token_share(0.2, 0.3)), 2)
    0.76
    """
    _fraction("output_share", output_share)
    _fraction("cache_hit_share", cache_hit_share)
    return 1 - (1 - output_share) * cache_hit_share


def tokens_per_second_per_accelerator(peak_flops, utilization, active_params, uncached_share=1.0):
    """Tokens one busy accelerator serves per second.

    tokens_per_second = peak_flops x utilization / (2 x active_params) / uncached_share

    Cached input tokens count as served but not computed, hence the division by
    `uncached_share` (see `uncached_token_share`).

    Parameters
    ----------
    peak_flops : float or array [FLOP/s]
        The accelerator's dense peak (NVIDIA headline figures include 2:4 sparsity,
        dense is half).
    utilization : float or array [fraction of peak FLOP/s, in (0, 1]]
        Model FLOPs utilization (MFU) achieved while serving.
    active_params : float or array [parameters]
        Active parameters per token (a count).
    uncached_share : float or array [fraction of tokens, in (0, 1]], default 1
        Share of served tokens that need compute.

    Returns
    -------
    tokens_per_second : float or array [tokens per second per busy accelerator]

    References
    ----------
    .. [1] Dense peaks: H100/H200/H800 SXM 989e12 BF16 (nvidia-h200-datasheet);
       H20 148e12 (nvidia-h20-specs).
    .. [2] The 2N rule (`flops_per_token`).

    Examples
    --------
    >>> round(float(tokens_per_second_per_accelerator(989e12, 0.3, 20e9)), 1)
    7417.5
    >>> round(float(tokens_per_second_per_accelerator(989e12, 0.3, 20e9, 0.76)), 1)
    9759.9
    """
    _non_negative("peak_flops", peak_flops)
    _utilization("utilization", utilization)
    _positive("active_params", active_params)
    _require("uncached_share", uncached_share, lambda a: (a > 0) & (a <= 1), "a fraction in (0, 1]")
    return peak_flops * utilization / flops_per_token(active_params) / uncached_share


def accelerators_needed(tokens_per_day, active_params, peak_flops_per_accelerator, utilization):
    """Accelerators kept busy around the clock by a daily token volume.

    accelerators = tokens_per_day x 2 x active_params / 86,400 s
                   / (peak_flops_per_accelerator x utilization)

    An average: provision for the peak by multiplying by a peak-to-average ratio.

    Parameters
    ----------
    tokens_per_day : float or array [tokens per day]
        Tokens that need compute (see `uncached_token_share`); a count, not trillions.
    active_params : float or array [parameters]
    peak_flops_per_accelerator : float or array [FLOP/s, dense]
    utilization : float or array [fraction of peak FLOP/s, in (0, 1]]
        Serving MFU.

    Returns
    -------
    accelerators : float or array [accelerators, busy on average]

    References
    ----------
    .. [1] Seed notes section 3 item 3: 2 x 20e9 x 50e12 = 2.0e24 FLOP/day
       (claims S1-13, S2-03), about 2.3e19 FLOP/s, i.e. about 78k H200 (989e12
       dense BF16, nvidia-h200-datasheet) at 30% MFU and 234k at 10%.

    Examples
    --------
    >>> round(float(accelerators_needed(50e12, 20e9, 989e12, 0.3)), -3)
    78000.0
    >>> round(float(accelerators_needed(50e12, 20e9, 989e12, 0.1)), -3)
    234000.0
    """
    _non_negative("tokens_per_day", tokens_per_day)
    _non_negative("active_params", active_params)
    _positive("peak_flops_per_accelerator", peak_flops_per_accelerator)
    _utilization("utilization", utilization)
    flop_per_second = tokens_per_day * flops_per_token(active_params) / SECONDS_PER_DAY
    return flop_per_second / (peak_flops_per_accelerator * utilization)




# --------------------------------------------------------------------------- cost and price



def cost_per_m_tokens_usd(usd_per_gpu_hour, tokens_per_second_per_accelerator):
    """Serving cost per million tokens.

    cost_usd_per_m = usd_per_gpu_hour / (tokens_per_second_per_accelerator x 3,600 s) x 1e6

    Use the cost and the throughput of the same hour: per busy hour with the busy
    throughput, or per owned hour with the average throughput.

    Parameters
    ----------
    usd_per_gpu_hour : float or array [USD per accelerator-hour]
    tokens_per_second_per_accelerator : float or array [tokens per second]

    Returns
    -------
    cost_usd_per_m : float or array [USD per million tokens]

    References
    ----------
    .. [1] H100 rental USD 1.65-6.88 per GPU-hour (claim X-h100-cloud-rental); the
       fleet's own cost per GPU-hour from `capex.fleet`.

    Examples
    --------
    >>> round(float(cost_per_m_tokens_usd(2.0, 1_000.0)), 4)
    0.5556
    """
    _non_negative("usd_per_gpu_hour", usd_per_gpu_hour)
    _positive("tokens_per_second_per_accelerator", tokens_per_second_per_accelerator)
    return usd_per_gpu_hour / (tokens_per_second_per_accelerator * SECONDS_PER_HOUR) * TOKENS_PER_M


def serving_revenue(input_tokens, output_tokens, cache_hit_share, price_per_m_input_hit,
                    price_per_m_input_miss, price_per_m_output):
    """Revenue from tokens sold at list prices per million tokens, in the prices' currency.

    revenue = input_tokens x (h x p_hit + (1 - h) x p_miss) / 1e6 + output_tokens x p_out / 1e6

    with h the share of input tokens served from the prompt cache. Linear in the
    prices, so prices in RMB give revenue in RMB.

    Parameters
    ----------
    input_tokens : float or array [tokens]
    output_tokens : float or array [tokens]
    cache_hit_share : float or array [fraction of input tokens, 0-1]
    price_per_m_input_hit : float or array [currency per million input tokens]
        Price of a cache hit.
    price_per_m_input_miss : float or array [currency per million input tokens]
        Price of a cache miss.
    price_per_m_output : float or array [currency per million output tokens]

    Returns
    -------
    revenue : float or array [currency of the prices, e.g. RMB]

    References
    ----------
    .. [1] Doubao-pro-32k launch price 0.0008 RMB per thousand input tokens,
       "1 RMB buys 1.25 M tokens" (claim X-doubao-pro-32k-input-price-2024).
    .. [2] Cache-hit prices in X-doubao-1-5-lite-input-price and
       X-byteplus-seed-1-6-input-price.

    Examples
    --------
    1.25 M input tokens at 0.8 RMB per million (no cache hits) earn 1 RMB:

    >>> serving_revenue(1.25e6, 0.0, 0.0, 0.16, 0.8, 2.0)
    1.0
    """
    _non_negative("input_tokens", input_tokens)
    _non_negative("output_tokens", output_tokens)
    _fraction("cache_hit_share", cache_hit_share)
    for name, price in (("price_per_m_input_hit", price_per_m_input_hit),
                        ("price_per_m_input_miss", price_per_m_input_miss),
                        ("price_per_m_output", price_per_m_output)):
        _non_negative(name, price)
    input_price = cache_hit_share * price_per_m_input_hit + (1 - cache_hit_share) * price_per_m_input_miss
    return (input_tokens * input_price + output_tokens * price_per_m_output) / TOKENS_PER_M


def blended_price_per_m_tokens(output_share, cache_hit_share, price_per_m_input_hit,
                               price_per_m_input_miss, price_per_m_output):
    """Average list price per million served tokens (any currency; the prices' own).

    price = (1 - o) x (h x p_hit + (1 - h) x p_miss) + o x p_out

    with o the output share of tokens and h the cache-hit share of input tokens:
    `serving_revenue` of one million tokens.

    Parameters
    ----------
    output_share : float or array [fraction of tokens, 0-1]
    cache_hit_share : float or array [fraction of input tokens, 0-1]
    price_per_m_input_hit : float or array [currency per million input tokens]
    price_per_m_input_miss : float or array [currency per million input tokens]
    price_per_m_output : float or array [currency per million output tokens]

    Returns
    -------
    price : float or array [currency per million tokens]

    References
    ----------
    As `serving_revenue`.

    Examples
    --------
    >>> round(float(blended_price_per_m_tokens(0.2, 0.3, 0.16, 0.8, 2.0)), 4)
    0.8864
    """
    _fraction("output_share", output_share)
    return serving_revenue((1 - output_share) * TOKENS_PER_M, output_share * TOKENS_PER_M,
                               cache_hit_share, price_per_m_input_hit, price_per_m_input_miss,
                               price_per_m_output)


def breakeven_utilization(usd_per_gpu_hour, price_usd_per_m_tokens, peak_flops_per_accelerator,
                          active_params, uncached_share=1.0):
    """MFU at which the serving cost per million tokens equals a price.

    utilization = usd_per_gpu_hour x 2 x active_params x uncached_share x 1e6
                  / (peak_flops_per_accelerator x 3,600 s x price_usd_per_m_tokens)

    The inverse of `cost_per_m_tokens_usd` of `tokens_per_second_per_accelerator`
    in the utilization. Above 1 the price is below cost even at full peak compute.

    Parameters
    ----------
    usd_per_gpu_hour : float or array [USD per accelerator-hour]
    price_usd_per_m_tokens : float or array [USD per million tokens]
    peak_flops_per_accelerator : float or array [FLOP/s, dense]
    active_params : float or array [parameters]
    uncached_share : float or array [fraction of tokens, 0-1], default 1

    Returns
    -------
    utilization : float or array [fraction of peak FLOP/s; may exceed 1]

    References
    ----------
    As `tokens_per_second_per_accelerator`.

    Examples
    --------
    >>> u = breakeven_utilization(2.0, 0.5, 989e12, 20e9)
    >>> round(float(u), 3)
    0.045
    >>> round(float(cost_per_m_tokens_usd(2.0, tokens_per_second_per_accelerator(989e12, u, 20e9))), 6)
    0.5
    """
    _non_negative("usd_per_gpu_hour", usd_per_gpu_hour)
    _positive("price_usd_per_m_tokens", price_usd_per_m_tokens)
    _positive("peak_flops_per_accelerator", peak_flops_per_accelerator)
    _non_negative("active_params", active_params)
    _require("uncached_share", uncached_share, lambda a: (a >= 0) & (a <= 1), "a fraction in [0, 1]")
    flop_per_m_tokens = flops_per_token(active_params) * uncached_share * TOKENS_PER_M
    return usd_per_gpu_hour * flop_per_m_tokens / (peak_flops_per_accelerator * SECONDS_PER_HOUR
                                                   * price_usd_per_m_tokens)


def implied_rmb_per_m_tokens(annual_cost_rmb_bn, tokens_per_day):
    """Cost per million tokens implied by an annual cost spread over a daily volume.

    rmb_per_m = annual_cost_rmb_bn x 1e9 / (tokens_per_day x 365) x 1e6

    Parameters
    ----------
    annual_cost_rmb_bn : float or array [RMB bn per year]
    tokens_per_day : float or array [tokens per day]

    Returns
    -------
    rmb_per_m : float or array [RMB per million tokens]

    References
    ----------
    .. [1] Seed notes section 3 item 11: 20-90 bn RMB a year (claim S4-03, "几百亿")
       over 50 T tokens a day (claim S2-03) is 1.1-4.9 RMB per million tokens.

    Examples
    --------
    >>> implied_rmb_per_m_tokens(np.array([20.0, 90.0]), 50e12).round(1)
    array([1.1, 4.9])
    """
    _non_negative("annual_cost_rmb_bn", annual_cost_rmb_bn)
    _positive("tokens_per_day", tokens_per_day)
    return annual_cost_rmb_bn * RMB_PER_BN / (tokens_per_day * DAYS_PER_YEAR) * TOKENS_PER_M


def monthly_growth_between(start_value, end_value, months):
    """Constant monthly growth rate that turns one value into another.

    rate = (end_value / start_value) ^ (1 / months) - 1

    Parameters
    ----------
    start_value : float or array [any unit, > 0]
    end_value : float or array [the unit of start_value, > 0]
    months : float or array [months]

    Returns
    -------
    rate : float or array [fraction per month]

    References
    ----------
    .. [1] Seed notes section 3 item 9: 30 T (October 2025, claim S3-11) to 50 T
       tokens a day (December 2025, claim S2-03) in two months is about +29% a month.

    Examples
    --------
    >>> round(float(monthly_growth_between(30.0, 50.0, 2.0)), 3)
    0.291
    """
    _positive("start_value", start_value)
    _positive("end_value", end_value)
    _positive("months", months)
    return (end_value / start_value) ** (1 / months) - 1


def months_to_reach(share, monthly_growth_rate):
    """Months of steady growth until a volume that needs `share` of a capacity needs all of it.

    months = ln(1 / share) / ln(1 + monthly_growth_rate), and 0 once share >= 1

    Parameters
    ----------
    share : float or array [fraction of the capacity, > 0]
    monthly_growth_rate : float or array [fraction per month, > 0]

    Returns
    -------
    months : float or numpy array [months]

    References
    ----------
    Growth as in `fit_growth`; share of the fleet from `economics`.

    Examples
    --------
    >>> round(float(months_to_reach(0.5, 0.2)), 2), float(months_to_reach(1.5, 0.2))
    (3.8, 0.0)
    """
    _positive("share", share)
    _positive("monthly_growth_rate", monthly_growth_rate)
    return np.maximum(0.0, -np.log(share) / np.log1p(monthly_growth_rate))


# --------------------------------------------------------------------------- growth fit

@dataclass(frozen=True)
class GrowthFit:
    """A log-linear fit ln(value) = intercept + slope x months since `start` (see `fit_growth`).

    Rates are per month; the P10-P90 band of the monthly growth rate comes from
    the slope's standard error and Student's t with n - 2 degrees of freedom
    (NaN with two points, which fit exactly).

    Attributes
    ----------
    start : numpy.datetime64
        The first date; t = 0.
    points : int
        Number of points fitted.
    intercept : float [ln of the values' unit]
    slope_per_month : float [1 / month]
    slope_standard_error : float [1 / month]
    monthly_growth_rate, monthly_growth_rate_p10, monthly_growth_rate_p90 : float [fraction per month]
    doubling_time_months : float [months]
        Infinite when the slope is not positive.
    annual_growth_multiple : float [ratio, value after 12 months / value now]
    """

    start: np.datetime64
    points: int
    intercept: float
    slope_per_month: float
    slope_standard_error: float
    monthly_growth_rate: float
    monthly_growth_rate_p10: float
    monthly_growth_rate_p90: float
    doubling_time_months: float
    annual_growth_multiple: float

    def predict(self, dates):
        """Fitted values at `dates`.

        value = exp(intercept + slope_per_month x months_since(dates, start))

        Parameters
        ----------
        dates : dates, ISO date strings or array-like of them

        Returns
        -------
        values : numpy array [the unit of the values fitted]

        Examples
        --------
        >>> fit = fit_growth(["2025-10-16", "2025-12-16"], [30.0, 50.0])
        >>> fit.predict(["2025-12-16"]).round(6)
        array([50.])
        """
        return np.exp(self.intercept + self.slope_per_month * months_since(dates, self.start))

def as_datetimes(dates) -> np.ndarray:
    """Dates as a flat numpy datetime64[s] array.

    Parameters
    ----------
    dates : dates, ISO 8601 date strings, or array-like of them

    Returns
    -------
    numpy array of datetime64[s]

    Raises
    ------
    ModelInputError
        If a value cannot be read as a date.

    Examples
    --------
    >>> d = as_datetimes(["2025-05-16", "2025-06-16"])
    >>> str(d.dtype), d.astype(str).tolist()
    ('datetime64[s]', ['2025-05-16T00:00:00', '2025-06-16T00:00:00'])
    """
    try:
        return np.asarray(pd.to_datetime(np.asarray(dates).ravel(), format="ISO8601"), dtype="datetime64[s]")
    except (ValueError, TypeError) as exc:
        raise ModelInputError(f"dates must be dates or ISO date strings (e.g. '2025-05-16'), got {dates!r}: {exc}") \
            from None


def months_since(dates, start: np.datetime64) -> np.ndarray:
    """Time from `start` to each date, in average months of a non-leap year.

    months = (date - start) in days / (365 / 12)

    Parameters
    ----------
    dates : dates, ISO date strings or array-like of them
    start : numpy.datetime64

    Returns
    -------
    months : numpy array [months]; negative before `start`

    Examples
    --------
    >>> months_since(["2025-01-01", "2026-01-01"], np.datetime64("2025-01-01")).round(6)
    array([ 0., 12.])
    """
    seconds = (as_datetimes(dates) - start) / np.timedelta64(1, "s")
    return seconds / SECONDS_PER_DAY / DAYS_PER_MONTH


def fit_growth(dates, values, band=(10, 90)) -> GrowthFit:
    """Least-squares fit of ln(values) on time in months: growth rate, doubling time and band.

    ln(value) = a + b x t,  t = days since the first date / (365 / 12)
    monthly growth = exp(b) - 1,  doubling time = ln 2 / b,  annual multiple = exp(12 b)
    band: exp(b -/+ t_(0.9, n-2) x se(b)) - 1, se(b) = sqrt(SSR / (n - 2) / sum (t - mean t)^2)

    Ordinary least squares on logs weights each point equally in relative terms.

    Parameters
    ----------
    dates : dates, ISO date strings or array-like of them
    values : array-like [any unit, > 0]
        One value per date (e.g. tokens per day or per month).
    band : tuple of two percentiles, default (10, 90)
        Symmetric percentiles of the growth-rate band.

    Returns
    -------
    GrowthFit
        monthly_growth_rate and its band [fraction per month], doubling_time_months
        [months], annual_growth_multiple [ratio], slope_per_month [1 / month].

    Raises
    ------
    ModelInputError
        With fewer than two points or two distinct dates, mismatched lengths,
        non-positive values or an asymmetric band.

    References
    ----------
    .. [1] Google's monthly tokens 480 T (May 2025, X-google-tokens-2025-05),
       980 T (June, X-google-tokens-2025-06) and >1.3 quadrillion (October,
       X-google-tokens-2025-10) give about +18% a month (see tests).

    Examples
    --------
    >>> fit = fit_growth(["2025-05-16", "2025-06-16", "2025-10-16"], [480, 980, 1300])
    >>> round(fit.monthly_growth_rate, 4), round(fit.doubling_time_months, 2)
    (0.1758, 4.28)
    >>> round(fit.monthly_growth_rate_p10, 3), round(fit.monthly_growth_rate_p90, 3)
    (-0.149, 0.625)
    """
    t_dates = as_datetimes(dates)
    y = np.asarray(values, dtype=float).ravel()
    if t_dates.size != y.size:
        raise ModelInputError(f"dates and values must have the same length, got {t_dates.size} and {y.size}")
    if y.size < 2:
        raise ModelInputError(f"fit_growth needs at least 2 points, got {y.size}")
    _positive("values", y)
    low, high = band
    if not 0 < low < PERCENT / 2 < high < PERCENT or low + high != PERCENT:
        raise ModelInputError(f"band must be symmetric percentiles such as (10, 90), got {band!r}")
    start = t_dates.min()
    t = months_since(t_dates, start)
    if np.ptp(t) == 0:
        raise ModelInputError("fit_growth needs at least two different dates")
    log_y = np.log(y)
    t_mean, y_mean = t.mean(), log_y.mean()
    sxx = np.sum((t - t_mean) ** 2)
    slope = float(np.sum((t - t_mean) * (log_y - y_mean)) / sxx)
    intercept = float(y_mean - slope * t_mean)
    df = y.size - 2
    if df > 0:
        residuals = log_y - (intercept + slope * t)
        se = float(np.sqrt(np.sum(residuals ** 2) / df / sxx))
        from scipy import stats  # imported here: only a fit needs it (a no-op build imports no SciPy)
        half_width = float(stats.t.ppf(high / PERCENT, df)) * se
        lo_rate, hi_rate = math.expm1(slope - half_width), math.expm1(slope + half_width)
    else:
        se = lo_rate = hi_rate = math.nan
    return GrowthFit(
        start=start,
        points=int(y.size),
        intercept=intercept,
        slope_per_month=slope,
        slope_standard_error=se,
        monthly_growth_rate=math.expm1(slope),
        monthly_growth_rate_p10=lo_rate,
        monthly_growth_rate_p90=hi_rate,
        doubling_time_months=math.log(2) / slope if slope > 0 else math.inf,
        annual_growth_multiple=math.exp(MONTHS_PER_YEAR * slope),
    )


# --------------------------------------------------------------------------- the whole chain

@dataclass(frozen=True)
class TokenInputs(StageInputs):
    """What the token-economics stage reads besides the fleet: volume, model, serving and prices.

    Floats or arrays of Monte Carlo draws; names and units as in data/parameters/tokens.yaml
    (and the exchange rate of capex.yaml).
    """

    tokens_per_day_dec_2025_trillion: Numeric  # [trillion tokens per day] claim S2-03
    tokens_per_day_oct_2025_trillion: Numeric  # [trillion tokens per day] claim S3-11
    token_growth_per_month: Numeric  # [fraction per month] X-doubao-tokens-* fit
    active_params_bn: Numeric  # [bn parameters] active per token; claims S1-13, S1-02
    total_params_bn: Numeric  # [bn parameters] claim S1-02
    serving_utilization: Numeric  # [fraction of peak FLOP/s] serving MFU; claim S1-06
    peak_to_average_ratio: Numeric  # [ratio] peak-hour to average load; assumption
    output_share_of_tokens: Numeric  # [fraction of tokens] assumption
    cache_hit_share: Numeric  # [fraction of input tokens] X-doubao-1-5-lite-input-price
    doubao_mau_m: Numeric  # [M monthly active users] the free app's users in 2026; assumption
    queries_per_user_per_day: Numeric  # [queries per monthly user per day] assumption
    tokens_per_query: Numeric  # [tokens per query] input, resent context and output; assumption
    api_share_of_tokens: Numeric  # [fraction of tokens] the paid API; claims S2-01, S2-02
    doubao_price_input_rmb_per_m: Numeric  # [RMB per million input tokens] cache miss
    doubao_price_cache_hit_rmb_per_m: Numeric  # [RMB per million input tokens] cache hit
    doubao_price_output_rmb_per_m: Numeric  # [RMB per million output tokens]
    gpu_cost_cut_share: Numeric  # [fraction] claimed GPU cost cut; claims S1-05, S1-06
    app_burn_rmb_bn: Numeric  # [RMB bn per year] the app's reported burn; claim S4-03
    rmb_per_usd: Numeric  # [RMB per USD] exchange rate (capex.yaml); claims S3-06, S3-08


@dataclass(frozen=True, eq=False)
class TokenEconomics(Outputs):
    """Token volume, compute, cost and revenue: the outputs of `economics`.

    Fields are floats or arrays, units in names (`economics` lists each with its
    unit). Token counts are plain counts (tokens, not trillions). Also a read-only
    mapping of field name -> value, for `uncertainty.simulate` and `uncertainty.tornado`.

    A few outputs need their definition: `tokens_per_second_per_accelerator` counts
    served tokens (cached input included) per busy accelerator; `accelerators_needed`
    is the count provisioned for the peak hour, `accelerators_busy_average` the
    average in use; `cost_per_gpu_hour_owned_usd` spreads the fleet's annual cost
    over every hour of the year, `cost_per_busy_gpu_hour_usd` over the hours a
    serving accelerator is busy (1 / peak_to_average_ratio of them);
    `accelerators_needed` counts accelerators of the 2026 cohort's average peak;
    `share_of_fleet_needed` is the peak compute they make up as a share of the whole
    fleet's (the installed base and the 2026 cohort, `capex.fleet`), and
    `share_of_installed_fleet_needed` of the base installed before 2026 alone, the
    fleet that served December 2025; `fleet_accelerators` counts the whole fleet;
    `months_to_fill_fleet` is how long growth at `token_growth_per_month` takes to
    need the whole fleet for serving (no training, no retirements);
    `burn_rmb_per_m_tokens_all` and `burn_rmb_per_m_app_tokens` spread the seed's
    burn over all tokens and over the app's tokens.
    """

    # volume
    tokens_per_day: object
    annual_tokens: object
    token_growth_oct_dec_2025_per_month: object
    app_queries_per_day: object
    app_tokens_per_day: object
    app_share_of_tokens: object
    api_tokens_per_day: object
    internal_tokens_per_day: object
    app_and_api_share_of_reported_tokens: object
    # compute
    flops_per_token: object
    active_param_share: object
    uncached_token_share: object
    prefill_flop_per_day: object
    decode_flop_per_day: object
    decode_share_of_flop: object
    peak_flops_per_accelerator: object
    tokens_per_second_per_accelerator: object
    accelerators_busy_average: object
    accelerators_needed: object
    fleet_accelerators: object
    share_of_fleet_needed: object
    share_of_installed_fleet_needed: object
    months_to_fill_fleet: object
    # cost and price
    cost_per_gpu_hour_owned_usd: object
    cost_per_busy_gpu_hour_usd: object
    cost_per_m_tokens_usd: object
    cost_per_m_tokens_rmb: object
    cost_per_m_tokens_before_cut_usd: object
    blended_price_per_m_tokens_rmb: object
    blended_price_per_m_tokens_usd: object
    price_to_cost_ratio: object
    breakeven_utilization: object
    # who pays
    total_annual_serving_cost_rmb_bn: object
    app_annual_serving_cost_rmb_bn: object
    app_annual_serving_cost_before_cut_rmb_bn: object
    app_serving_cost_share_of_burn: object
    burn_rmb_per_m_tokens_all: object
    burn_rmb_per_m_app_tokens: object
    api_annual_revenue_rmb_bn: object
    api_annual_serving_cost_rmb_bn: object
    api_annual_margin_rmb_bn: object
    internal_annual_serving_cost_rmb_bn: object


def _check_token_inputs(inputs: TokenInputs) -> None:
    """Validate under the parameters' own names, so a message names what to change."""
    for name in ("tokens_per_day_dec_2025_trillion", "tokens_per_day_oct_2025_trillion", "token_growth_per_month",
                 "active_params_bn", "total_params_bn", "app_burn_rmb_bn", "rmb_per_usd",
                 "doubao_price_input_rmb_per_m", "doubao_price_cache_hit_rmb_per_m",
                 "doubao_price_output_rmb_per_m"):
        _positive(name, getattr(inputs, name))
    for name in ("output_share_of_tokens", "cache_hit_share", "api_share_of_tokens"):
        _fraction(name, getattr(inputs, name))
    for name in ("doubao_mau_m", "queries_per_user_per_day", "tokens_per_query"):
        _non_negative(name, getattr(inputs, name))
    _utilization("serving_utilization", inputs.serving_utilization)
    _share_below_one("gpu_cost_cut_share", inputs.gpu_cost_cut_share)
    _require("peak_to_average_ratio", inputs.peak_to_average_ratio, lambda a: a >= 1,
             ">= 1 (the peak is at least the average)")
    _require("total_params_bn - active_params_bn", inputs.total_params_bn - inputs.active_params_bn,
             lambda a: a >= 0, ">= 0 (a model cannot activate more parameters than it has)")


def _volume(inputs: TokenInputs) -> dict:
    """Step 1: the day's tokens, and who uses them: the free app counted bottom-up (users x queries
    x tokens per query), the paid API as a share, internal use as what the reported volume leaves
    (none when the app and the API alone exceed it: `app_and_api_share_of_reported_tokens` > 1)."""
    tokens_day = inputs.tokens_per_day_dec_2025_trillion * TOKENS_PER_T
    queries_day = inputs.doubao_mau_m * COUNT_PER_M * inputs.queries_per_user_per_day
    app_day = queries_day * inputs.tokens_per_query
    api_day = tokens_day * inputs.api_share_of_tokens
    return dict(
        tokens_per_day=tokens_day,
        annual_tokens=tokens_day * DAYS_PER_YEAR,
        token_growth_oct_dec_2025_per_month=monthly_growth_between(
            inputs.tokens_per_day_oct_2025_trillion, inputs.tokens_per_day_dec_2025_trillion,
            _MONTHS_OCT_TO_DEC_2025),
        app_queries_per_day=queries_day,
        app_tokens_per_day=app_day,
        app_share_of_tokens=app_day / tokens_day,
        api_tokens_per_day=api_day,
        internal_tokens_per_day=np.maximum(tokens_day - app_day - api_day, 0.0),
        app_and_api_share_of_reported_tokens=(app_day + api_day) / tokens_day,
    )


def _compute(inputs: TokenInputs, fleet: capex.Fleet, tokens_day) -> dict:
    """Step 2: FLOPs per token and per day, busy and provisioned accelerators, the share of the fleet."""
    active = inputs.active_params_bn * PARAMS_PER_BN
    output_share, hit_share = inputs.output_share_of_tokens, inputs.cache_hit_share
    computed = uncached_token_share(output_share, hit_share)
    _positive("uncached token share (output_share_of_tokens, cache_hit_share)", computed)
    per_token = flops_per_token(active)
    prefill_flop = per_token * tokens_day * (1 - output_share) * (1 - hit_share)
    decode_flop = per_token * tokens_day * output_share
    peak_per_acc = fleet.peak_bf16_flops / fleet.accelerators
    mfu = inputs.serving_utilization
    busy = accelerators_needed(tokens_day * computed, active, peak_per_acc, mfu)
    needed = busy * inputs.peak_to_average_ratio
    needed_flops = needed * peak_per_acc  # peak FLOP/s the busiest hour needs
    share_fleet = needed_flops / fleet.whole_fleet_peak_bf16_flops
    return dict(
        flops_per_token=per_token,
        active_param_share=active / (inputs.total_params_bn * PARAMS_PER_BN),
        uncached_token_share=computed,
        prefill_flop_per_day=prefill_flop,
        decode_flop_per_day=decode_flop,
        decode_share_of_flop=decode_flop / (prefill_flop + decode_flop),
        peak_flops_per_accelerator=peak_per_acc,
        tokens_per_second_per_accelerator=tokens_per_second_per_accelerator(peak_per_acc, mfu, active, computed),
        accelerators_busy_average=busy,
        accelerators_needed=needed,
        fleet_accelerators=fleet.whole_fleet_accelerators,
        share_of_fleet_needed=share_fleet,
        share_of_installed_fleet_needed=needed_flops / fleet.installed_peak_bf16_flops,
        months_to_fill_fleet=months_to_reach(share_fleet, inputs.token_growth_per_month),
    )


def _cost_and_price(inputs: TokenInputs, fleet: capex.Fleet, compute: dict) -> dict:
    """Steps 3 and 4: the cost of a busy GPU-hour and of a million tokens; list prices; break-even MFU."""
    owned_hour_usd = fleet.annual_cost_usd_bn * USD_PER_BN / (fleet.accelerators * HOURS_PER_YEAR)
    busy_hour_usd = fleet.cost_per_gpu_hour_usd  # the fleet's one cost of a busy GPU-hour (capex.fleet)
    cost_m_usd = cost_per_m_tokens_usd(busy_hour_usd, compute["tokens_per_second_per_accelerator"])
    price_m_rmb = blended_price_per_m_tokens(inputs.output_share_of_tokens, inputs.cache_hit_share,
                                             inputs.doubao_price_cache_hit_rmb_per_m,
                                             inputs.doubao_price_input_rmb_per_m,
                                             inputs.doubao_price_output_rmb_per_m)
    price_m_usd = price_m_rmb / inputs.rmb_per_usd
    return dict(
        cost_per_gpu_hour_owned_usd=owned_hour_usd,
        cost_per_busy_gpu_hour_usd=busy_hour_usd,
        cost_per_m_tokens_usd=cost_m_usd,
        cost_per_m_tokens_rmb=cost_m_usd * inputs.rmb_per_usd,
        cost_per_m_tokens_before_cut_usd=cost_m_usd / (1 - inputs.gpu_cost_cut_share),
        blended_price_per_m_tokens_rmb=price_m_rmb,
        blended_price_per_m_tokens_usd=price_m_usd,
        price_to_cost_ratio=price_m_usd / cost_m_usd,
        breakeven_utilization=breakeven_utilization(busy_hour_usd, price_m_usd,
                                                    compute["peak_flops_per_accelerator"],
                                                    inputs.active_params_bn * PARAMS_PER_BN,
                                                    compute["uncached_token_share"]),
    )


def annual_serving_cost_rmb_bn(tokens_per_day, cost_usd_per_m_tokens, rmb_per_usd):
    """A year of serving a daily volume at a cost per million tokens, in RMB bn.

    cost_rmb_bn = tokens_per_day x 365 / 1e6 x cost_usd_per_m_tokens x rmb_per_usd / 1e9

    Unlike the other functions of this module it does not check its arguments.

    Parameters
    ----------
    tokens_per_day : float or array [tokens per day]
    cost_usd_per_m_tokens : float or array [USD per million tokens]
    rmb_per_usd : float or array [RMB per USD]

    Returns
    -------
    cost_rmb_bn : float or array [RMB bn per year]

    References
    ----------
    `economics` step 5; seed notes section 3 item 11.

    Examples
    --------
    >>> round(float(annual_serving_cost_rmb_bn(1e12, 1.0, 7.0)), 3)
    2.555
    """
    return tokens_per_day * DAYS_PER_YEAR / TOKENS_PER_M * cost_usd_per_m_tokens * rmb_per_usd / RMB_PER_BN


def _who_pays(inputs: TokenInputs, volume: dict, cost: dict) -> dict:
    """Step 5: the app's, the API's and internal serving cost a year; API revenue and margin."""
    rate, per_m = inputs.rmb_per_usd, cost["cost_per_m_tokens_usd"]
    app_day, api_day = volume["app_tokens_per_day"], volume["api_tokens_per_day"]
    app_cost = annual_serving_cost_rmb_bn(app_day, per_m, rate)
    api_cost = annual_serving_cost_rmb_bn(api_day, per_m, rate)
    output_share = inputs.output_share_of_tokens
    api_revenue = serving_revenue(api_day * (1 - output_share), api_day * output_share, inputs.cache_hit_share,
                                  inputs.doubao_price_cache_hit_rmb_per_m, inputs.doubao_price_input_rmb_per_m,
                                  inputs.doubao_price_output_rmb_per_m) * DAYS_PER_YEAR / RMB_PER_BN
    burn = inputs.app_burn_rmb_bn
    with np.errstate(divide="ignore"):  # no app tokens: the burn per app token is infinite
        burn_per_app_m = burn * RMB_PER_BN / (app_day * DAYS_PER_YEAR) * TOKENS_PER_M
    return dict(
        total_annual_serving_cost_rmb_bn=annual_serving_cost_rmb_bn(volume["tokens_per_day"], per_m, rate),
        app_annual_serving_cost_rmb_bn=app_cost,
        app_annual_serving_cost_before_cut_rmb_bn=annual_serving_cost_rmb_bn(
            app_day, cost["cost_per_m_tokens_before_cut_usd"], rate),
        app_serving_cost_share_of_burn=app_cost / burn,
        burn_rmb_per_m_tokens_all=implied_rmb_per_m_tokens(burn, volume["tokens_per_day"]),
        burn_rmb_per_m_app_tokens=burn_per_app_m,
        api_annual_revenue_rmb_bn=api_revenue,
        api_annual_serving_cost_rmb_bn=api_cost,
        api_annual_margin_rmb_bn=api_revenue - api_cost,
        internal_annual_serving_cost_rmb_bn=annual_serving_cost_rmb_bn(
            volume["internal_tokens_per_day"], per_m, rate),
    )


def economics(inputs: TokenInputs, fleet: capex.Fleet) -> TokenEconomics:
    """Token economics of December 2025's volume served on the 2026 fleet.

    Steps:

    1. Volume: 50 T tokens a day in December 2025 (claim S2-03), split into the
       free Doubao app, the paid API (IDC: Volcano's public-cloud share, S2-01,
       S2-02) and internal ByteDance uses (the rest, S2-15); October's 30 T
       (S3-11) gives the recent monthly growth (seed notes section 3 item 9).
    2. Compute: 2 x active parameters per token (S1-02, S1-13); cached input
       tokens skip prefill. Busy accelerators at the serving MFU on the fleet's
       average dense BF16 peak (`accelerators_needed`), provisioned for the peak
       hour (x peak_to_average_ratio), as a share of the accelerators the 2026
       budget buys, and the months of growth until they would all be needed
       (`months_to_reach`).
    3. Cost: the fleet's annual cost (depreciation + energy) per accelerator-hour
       owned, annual_cost_usd_bn x 1e9 / (accelerators x 8,760 h); a provisioned
       accelerator is busy 1 / peak_to_average_ratio of the time, so a busy hour
       costs that much more. Before the claimed 80% cut (S1-05, S1-06) a token cost
       1 / (1 - cut) times as much.
    4. Price: list prices in RMB per million tokens (Doubao, X-... price claims)
       blended over input (cache hit and miss) and output
       (`blended_price_per_m_tokens`), converted at rmb_per_usd; the MFU at which
       the cost equals it (`breakeven_utilization`).
    5. Who pays: app serving cost against the seed's "several tens of billions"
       a year (S4-03), API revenue and margin at list prices.

    Parameters
    ----------
    inputs : TokenInputs
        Floats or equal-length numpy arrays (Monte Carlo draws); units in
        `TokenInputs` and data/parameters/tokens.yaml.
    fleet : capex.Fleet
        `capex.fleet` of the same draws (uses accelerators, peak_bf16_flops and
        annual_cost_usd_bn).

    Returns
    -------
    TokenEconomics
        Floats or arrays:

        - tokens_per_day, app_tokens_per_day, api_tokens_per_day,
          internal_tokens_per_day [tokens per day]; annual_tokens [tokens per year];
          token_growth_oct_dec_2025_per_month [fraction per month]
        - flops_per_token [FLOP per token]; active_param_share, uncached_token_share
          [fraction]; prefill_flop_per_day, decode_flop_per_day [FLOP per day];
          decode_share_of_flop [fraction]; peak_flops_per_accelerator [FLOP/s];
          tokens_per_second_per_accelerator [tokens per second per busy accelerator]
        - accelerators_busy_average, accelerators_needed, fleet_accelerators
          [accelerators]; share_of_fleet_needed, share_of_installed_fleet_needed
          [fraction of peak compute]; months_to_fill_fleet [months]
        - cost_per_gpu_hour_owned_usd, cost_per_busy_gpu_hour_usd [USD per
          accelerator-hour]; cost_per_m_tokens_usd, cost_per_m_tokens_before_cut_usd,
          blended_price_per_m_tokens_usd [USD per million tokens];
          cost_per_m_tokens_rmb, blended_price_per_m_tokens_rmb [RMB per million
          tokens]; price_to_cost_ratio [ratio]; breakeven_utilization [fraction of
          peak FLOP/s]
        - total_, app_, app_..._before_cut_, api_ and internal_annual_serving_cost_rmb_bn,
          api_annual_revenue_rmb_bn, api_annual_margin_rmb_bn [RMB bn per year];
          app_serving_cost_share_of_burn [fraction]; burn_rmb_per_m_tokens_all,
          burn_rmb_per_m_app_tokens [RMB per million tokens]

    References
    ----------
    Claims S1-02, S1-05, S1-06, S1-13, S2-01, S2-02, S2-03, S2-15, S3-11, S4-03 and
    the X-... price claims (data/claims.yaml); seed notes section 3 items 3, 9 and 11.

    Examples
    --------
    At the registry's default parameter values:

    >>> from analysis.inputs import registry
    >>> p = registry.registry().defaults()
    >>> fl = capex.fleet(capex.FleetInputs.from_params(p))
    >>> t = economics(TokenInputs.from_params(p), fl)
    >>> f"{t.tokens_per_day:.3g}", f"{t.share_of_fleet_needed:.3g}", f"{t.cost_per_m_tokens_rmb:.3g}"
    ('5e+13', '0.276', '0.824')
    >>> f"{t.app_annual_serving_cost_rmb_bn:.3g}", f"{t.price_to_cost_ratio:.3g}"
    ('0.601', '1.08')
    """
    _check_token_inputs(inputs)
    volume = _volume(inputs)
    compute = _compute(inputs, fleet, volume["tokens_per_day"])
    cost = _cost_and_price(inputs, fleet, compute)
    return TokenEconomics(**volume, **compute, **cost, **_who_pays(inputs, volume, cost))

