"""Tests of analysis/tokens.py, pinned to published values with the source named.

Reference values: the 2N rule (Kaplan et al. 2020), NVIDIA dense BF16 peaks
(nvidia-h100-datasheet, nvidia-h200-datasheet, nvidia-h800-specs, nvidia-h20-specs),
Google's monthly token counts (google-io-2025, alphabet-q2-2025-call,
google-cloud-event-2025-10), Doubao's launch price (volcano-force-2024-05), IDC's
public-cloud token counts, and the cross-checks of ../shared/seeds/NOTES.md
section 3 (items 3, 7, 9, 11). Tolerances: exact arithmetic is checked to
floating-point precision (rel 1e-12); values a source or the notes round are
checked to half a unit of their last printed figure; hand computations in
comments are carried to 4-5 significant figures and checked to rel 1e-3.
"""

from __future__ import annotations

import ast
import inspect
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ModelInputError
from analysis.models import capex, chain, tokens, uncertainty
from analysis.models.units import HOURS_PER_YEAR, RMB_PER_BN, USD_PER_BN
from analysis import report
from conftest import RecordingDict

EXACT = 1e-12
HAND = 1e-3  # hand computations below are carried to 4-5 significant figures

H200_BF16_DENSE = 989e12  # nvidia-h200-datasheet: 1,979 TFLOPS with sparsity, dense is half
H20_BF16_DENSE = 148e12  # nvidia-h20-specs: 296 TFLOPS FP16 with sparsity, 148 dense


# --------------------------------------------------------------------------- compute

@pytest.mark.parametrize(
    "active_params, expected",
    [
        (70e9, 1.4e11),  # dense 70 B model: 2N rule (Kaplan et al. 2020, section 2.1)
        (20e9, 4e10),  # Doubao 1.5 thinking, 20 B active (S1-13): "≈2x20B = 40 GFLOP per token" (S1-03)
        (0, 0),
    ],
)
def test_flops_per_token_2n_rule(active_params, expected):
    assert tokens.flops_per_token(active_params) == pytest.approx(expected, rel=EXACT)


def test_accelerators_for_50t_tokens_notes_s3_item3():
    # NOTES s3 item 3: 2 x 20e9 x 50e12 = 2.0e24 FLOP/day = 2.3e19 FLOP/s (claims S1-13, S2-03).
    flop_per_day = tokens.flops_per_token(20e9) * 50e12
    assert flop_per_day == pytest.approx(2.0e24, rel=EXACT)
    assert flop_per_day / 86_400 == pytest.approx(2.3e19, abs=0.05e19)  # printed to 2 figures
    # "about 78k GPUs at 30% MFU, or about 234k at 10%" on H200 (989 dense BF16 TFLOPS):
    # 2.3148e19 / (989e12 x 0.3) = 78,019 and / (989e12 x 0.1) = 234,057; printed in thousands.
    assert tokens.accelerators_needed(50e12, 20e9, H200_BF16_DENSE, 0.3) == pytest.approx(78_000, abs=500)
    assert tokens.accelerators_needed(50e12, 20e9, H200_BF16_DENSE, 0.1) == pytest.approx(234_000, abs=500)


@pytest.mark.parametrize("gpu", ["H100 SXM", "H200 SXM", "H800 SXM"])
def test_hopper_sxm_parts_share_989_dense_tflops(gpu):
    # nvidia-h100-datasheet, nvidia-h200-datasheet, nvidia-h800-specs: same die, 989 dense BF16 TFLOPS,
    # so a 70 B dense model at 30% MFU serves 989e12 x 0.3 / 1.4e11 = 2,119.3 tokens/s on each.
    tps = tokens.tokens_per_second_per_accelerator(989e12, 0.3, 70e9)
    assert tps == pytest.approx(2_119.3, rel=HAND)


def test_h20_needs_6_68_times_the_accelerators_of_an_h200():
    # REFERENCES.md A (nvidia-h20-specs): "H100 SXM ≈ 6.68x H20 on FP16 tensor" = 989 / 148 = 6.6824.
    h20 = tokens.accelerators_needed(50e12, 20e9, H20_BF16_DENSE, 0.15)
    h200 = tokens.accelerators_needed(50e12, 20e9, H200_BF16_DENSE, 0.15)
    assert h20 / h200 == pytest.approx(6.68, abs=0.005)


def test_accelerators_and_throughput_are_consistent():
    # accelerators x tokens per second x 86,400 s = tokens per day.
    n = tokens.accelerators_needed(50e12, 20e9, H200_BF16_DENSE, 0.15)
    tps = tokens.tokens_per_second_per_accelerator(H200_BF16_DENSE, 0.15, 20e9)
    assert n * tps * 86_400 == pytest.approx(50e12, rel=EXACT)
    # H200 at 15% MFU on 20 B active: 989e12 x 0.15 / 4e10 = 3,708.75 tokens/s.
    assert tps == pytest.approx(3_708.75, rel=EXACT)


def test_cached_input_needs_no_prefill_compute():
    # 20% output, 30% of input cached: 1 - 0.8 x 0.3 = 0.76 of tokens need compute.
    assert tokens.uncached_token_share(0.2, 0.3) == pytest.approx(0.76, rel=EXACT)
    assert tokens.uncached_token_share(0.2, 0.0) == 1
    assert tokens.uncached_token_share(0.0, 1.0) == 0
    # Served throughput rises by 1 / 0.76.
    plain = tokens.tokens_per_second_per_accelerator(H200_BF16_DENSE, 0.15, 20e9)
    cached = tokens.tokens_per_second_per_accelerator(H200_BF16_DENSE, 0.15, 20e9, uncached_share=0.76)
    assert cached == pytest.approx(plain / 0.76, rel=EXACT)


# --------------------------------------------------------------------------- cost and price

def test_cost_per_m_tokens_by_hand():
    # USD 2 per GPU-hour at 1,000 tokens/s: 2 / 3.6e6 tokens x 1e6 = USD 0.5556 per M.
    assert tokens.cost_per_m_tokens_usd(2.0, 1_000) == pytest.approx(2 / 3.6, rel=EXACT)
    # H100 rental range USD 1.65-6.88 per GPU-hour (X-h100-cloud-rental), same throughput.
    low, high = tokens.cost_per_m_tokens_usd(np.array([1.65, 6.88]), 1_000)
    assert (low, high) == pytest.approx((1.65 / 3.6, 6.88 / 3.6), rel=EXACT)


def test_doubao_pro_32k_launch_price_volcano_force_2024():
    # volcano-force-2024-05 (X-doubao-pro-32k-input-price-2024): 0.0008 RMB per thousand input
    # tokens = 0.8 RMB per million; "1 RMB buys 1.25 M tokens". Revenue is linear in the price,
    # so RMB prices give RMB.
    per_m = 0.0008 * 1_000
    assert per_m == pytest.approx(0.8, rel=EXACT)
    assert tokens.serving_revenue(1.25e6, 0, 0.0, 0.0, per_m, 0.0) == pytest.approx(1.0, rel=EXACT)
    # "99.3% below the industry" reference of 0.12 RMB per thousand (X-industry-ref-price-2024),
    # i.e. 1 - 0.8 / 120 = 0.99333, and "150x": 120 / 0.8.
    assert 1 - per_m / 120 == pytest.approx(0.993, abs=0.0005)
    assert 120 / per_m == pytest.approx(150, rel=EXACT)


def test_revenue_with_cache_hits_gpt4o_prices():
    # openai-api-pricing (X-gpt-4o-input-price): USD 2.50 input, 1.25 cached, 10.00 output per M.
    # 1 M input, half cached, + 1 M output = 0.5 x 1.25 + 0.5 x 2.50 + 10 = USD 11.875.
    assert tokens.serving_revenue(1e6, 1e6, 0.5, 1.25, 2.50, 10.0) == pytest.approx(11.875, rel=EXACT)


def test_blended_price_is_revenue_of_one_million_tokens():
    # 20% output, 30% cache hits, 0.16 / 0.8 / 2.0 RMB: 0.8 x (0.3 x 0.16 + 0.7 x 0.8) + 0.2 x 2 = 0.8864.
    price = tokens.blended_price_per_m_tokens(0.2, 0.3, 0.16, 0.8, 2.0)
    assert price == pytest.approx(0.8864, rel=EXACT)
    assert price == pytest.approx(tokens.serving_revenue(0.8e6, 0.2e6, 0.3, 0.16, 0.8, 2.0), rel=EXACT)


def test_breakeven_utilization_inverts_the_cost():
    # At the break-even MFU the cost per M tokens equals the price.
    u = tokens.breakeven_utilization(1.5, 0.12, H200_BF16_DENSE, 20e9, uncached_share=0.76)
    tps = tokens.tokens_per_second_per_accelerator(H200_BF16_DENSE, u, 20e9, uncached_share=0.76)
    assert tokens.cost_per_m_tokens_usd(1.5, tps) == pytest.approx(0.12, rel=1e-12)
    # By hand: 1.5 x 4e10 x 0.76 x 1e6 / (989e12 x 3600 x 0.12) = 0.10677.
    assert u == pytest.approx(0.10677, rel=HAND)


@pytest.mark.parametrize("burn_rmb_bn, expected", [(20, 1.1), (90, 4.9)])
def test_burn_per_million_tokens_notes_s3_item11(burn_rmb_bn, expected):
    # NOTES s3 item 11: 20-90 bn RMB a year (S4-03) over 50 T tokens a day (S2-03, 18.25
    # quadrillion a year) is 1.1-4.9 RMB per million tokens (1.096 and 4.932; 2 figures).
    assert tokens.implied_rmb_per_m_tokens(burn_rmb_bn, 50e12) == pytest.approx(expected, abs=0.05)


# --------------------------------------------------------------------------- growth

def test_growth_october_to_december_notes_s3_item9():
    # NOTES s3 item 9: 30 T (S3-11) -> 50 T (S2-03) in about 2 months is about +29% a month:
    # (50 / 30) ^ (1/2) - 1 = 0.29099.
    assert tokens.monthly_growth_between(30, 50, 2) == pytest.approx(0.29, abs=0.005)


def test_fit_growth_google_monthly_tokens():
    # google-io-2025 (480 T, May 2025), alphabet-q2-2025-call (980 T, June), google-cloud-event-2025-10
    # (1.3 quadrillion, October), dated mid-month. By hand, with t = days / (365/12):
    #   t = 0, 31/30.4167 = 1.01918, 153/30.4167 = 5.03014 months
    #   y = ln 480, ln 980, ln 1300 = 6.173786, 6.887553, 7.170120
    #   mean t = 2.01644, mean y = 6.743820
    #   Sxy = 2.290841, Sxx = 14.142947 -> slope b = 0.161978 per month
    #   growth = exp(b) - 1 = 17.58% a month; doubling = ln 2 / b = 4.279 months
    #   residuals -0.243411, 0.305273, -0.061848: SSR = 0.156266, se(b) = sqrt(SSR / 1 / Sxx) = 0.10512
    #   P10/P90 with t(0.9, 1 df) = 3.0777: exp(0.161978 -/+ 0.32352) - 1 = -14.92% / +62.50%
    fit = tokens.fit_growth(["2025-05-16", "2025-06-16", "2025-10-16"], [480, 980, 1300])
    assert fit.points == 3
    assert fit.slope_per_month == pytest.approx(0.161978, rel=HAND)
    assert fit.monthly_growth_rate == pytest.approx(0.1758, rel=HAND)
    assert fit.doubling_time_months == pytest.approx(4.279, rel=HAND)
    assert fit.slope_standard_error == pytest.approx(0.10512, rel=HAND)
    assert fit.monthly_growth_rate_p10 == pytest.approx(-0.1492, rel=HAND)
    assert fit.monthly_growth_rate_p90 == pytest.approx(0.6250, rel=HAND)
    assert fit.annual_growth_multiple == pytest.approx(math.exp(12 * fit.slope_per_month), rel=EXACT)
    # Same slope as numpy's least squares.
    t = np.array([0, 31, 153]) / (365 / 12)
    assert fit.slope_per_month == pytest.approx(np.polyfit(t, np.log([480, 980, 1300]), 1)[0], rel=1e-9)
    # The fitted line passes through the mean point.
    assert np.exp(np.mean(np.log(fit.predict(["2025-05-16", "2025-06-16", "2025-10-16"])))) == \
        pytest.approx(np.exp(6.743820), rel=1e-6)


def test_fit_growth_recovers_exact_exponential_growth():
    dates = pd.date_range("2024-01-01", periods=6, freq="30D")
    months = (dates - dates[0]).days / (365 / 12)
    values = 2.0 * 1.25 ** months
    fit = tokens.fit_growth(dates, values)
    assert fit.monthly_growth_rate == pytest.approx(0.25, rel=1e-9)
    assert fit.slope_standard_error == pytest.approx(0, abs=1e-9)
    assert fit.monthly_growth_rate_p10 == pytest.approx(0.25, rel=1e-6)
    assert fit.doubling_time_months == pytest.approx(math.log(2) / math.log(1.25), rel=1e-9)


def test_fit_growth_with_two_points_has_no_band():
    fit = tokens.fit_growth(np.array(["2025-10-16", "2025-12-16"], dtype="datetime64[D]"), [30, 50])
    # Two points fit exactly: 61 days = 2.0055 months, (50/30)^(1/2.0055) - 1.
    assert fit.monthly_growth_rate == pytest.approx((50 / 30) ** (1 / (61 / (365 / 12))) - 1, rel=1e-9)
    assert math.isnan(fit.monthly_growth_rate_p10) and math.isnan(fit.slope_standard_error)


@pytest.mark.parametrize(
    "probability, df, table",
    # Student's t table (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2), 3 decimals.
    [(0.9, 1, 3.078), (0.9, 2, 1.886), (0.9, 10, 1.372)],
)
def test_growth_band_uses_students_t_quantiles_of_the_table(probability, df, table):
    # n = df + 2 points with known residuals: the band's half-width on the slope is t x se.
    n = df + 2
    dates = np.datetime64("2025-01-01") + np.arange(n) * np.timedelta64(30, "D")
    t = np.arange(n) * 30 / (365 / 12)
    noise = np.where(np.arange(n) % 2 == 0, 0.05, -0.05)
    fit = tokens.fit_growth(dates, np.exp(0.1 * t + noise), band=(100 - 100 * probability, 100 * probability))
    half_width = math.log1p(fit.monthly_growth_rate_p90) - fit.slope_per_month
    assert half_width == pytest.approx(table * fit.slope_standard_error, rel=0.0005 / table + 1e-9, abs=1e-6)


def test_token_growth_default_matches_the_fit_of_2025_doubao_points(dataset, registry):
    # data/parameters/tokens.yaml: token_growth_per_month = fit of end-May, September, October
    # and December 2025 Doubao volumes, rounded to whole percent (+/- 0.005).
    v = report.tokens.token_volumes(dataset)
    doubao = v[v.series.str.startswith("Doubao") & (v.date >= "2025-01-01")]
    assert len(doubao) == 4
    fit = tokens.fit_growth(doubao.date, doubao.tokens_per_day_trillion)
    assert registry["token_growth_per_month"].default == pytest.approx(fit.monthly_growth_rate, abs=0.005)
    # ... and the high end is the October-December two-point rate (NOTES s3 item 9).
    assert registry["token_growth_per_month"].high == pytest.approx(
        tokens.monthly_growth_between(30, 50, 2), abs=0.005)


# --------------------------------------------------------------------------- chart data from claims

def test_token_volumes_keep_claim_values_and_ids(dataset):
    v = report.tokens.token_volumes(dataset)
    assert list(v.columns) == ["series", "claim", "date", "period_days", "value", "unit",
                               "tokens_per_day_trillion", "lower_bound", "status"]
    for _, row in v.iterrows():
        first = row.claim.split(" x ")[0]
        assert row.value == dataset.claims[first].value
    assert pd.api.types.is_datetime64_any_dtype(v.date)
    # Doubao daily points are taken as they are (S2-03: 50 T in December 2025; S3-11: >30 T, a lower bound).
    row = v.set_index("claim").loc["S2-03"]
    assert row.tokens_per_day_trillion == 50 and row.date == pd.Timestamp("2025-12-16")
    assert bool(v.set_index("claim").loc["S3-11", "lower_bound"])


def test_google_monthly_tokens_per_day_match_goldman_43t(dataset):
    # google-cloud-event-2025-10: 1.3 quadrillion a month / 31 days = 41.9 T a day, against Goldman's
    # 43 T a day for October (S3-14); ">1.3" is a lower bound, so within 3%.
    v = report.tokens.token_volumes(dataset).set_index("claim")
    assert v.loc["X-google-tokens-2025-10", "tokens_per_day_trillion"] == pytest.approx(1300 / 31, rel=EXACT)
    assert v.loc["X-google-tokens-2025-10", "tokens_per_day_trillion"] == pytest.approx(43, rel=0.03)


def test_idc_public_cloud_tokens_per_day_notes_s3_item7(dataset):
    # NOTES s3 item 7: IDC H1 2025, 536.7 T x 49.2% ≈ 1.46 T a day for Volcano (181 days) and
    # about 2.97 T a day for all China public cloud; printed to 2 decimals (+/- 0.005).
    v = report.tokens.token_volumes(dataset).set_index("claim")
    assert v.loc["X-idc-china-maas-tokens-2025h1", "tokens_per_day_trillion"] == pytest.approx(2.97, abs=0.005)
    assert v.loc["X-idc-china-maas-tokens-2025h1 x X-idc-volcano-share-2025h1", "tokens_per_day_trillion"] == \
        pytest.approx(1.46, abs=0.005)
    assert v.loc["X-idc-china-maas-tokens-2025h1", "period_days"] == 181
    assert v.loc["X-idc-china-maas-tokens-2024", "period_days"] == 366  # 2024 is a leap year


def test_list_prices_convert_rmb_and_keep_usd(dataset):
    prices = report.tokens.list_prices(7.05, dataset).set_index("model")
    byteplus = prices.loc["ByteDance-Seed-1.6 (BytePlus)"]  # byteplus-model-pricing: USD 0.25 / 2
    assert (byteplus.input_usd_per_m, byteplus.output_usd_per_m) == (0.25, 2)
    pro = prices.loc["Doubao-pro-32k (launch, May 2024)"]  # 0.8 RMB per M at 7.05 RMB per USD
    assert pro.input_usd_per_m == pytest.approx(0.8 / 7.05, rel=EXACT)
    assert pro.status == "unsourced"  # its output price is from memory
    assert math.isnan(prices.loc["Industry reference (May 2024)", "output_usd_per_m"])


# --------------------------------------------------------------------------- edge cases

def test_zero_volume_needs_no_accelerators_and_costs_nothing():
    assert tokens.accelerators_needed(0, 20e9, H200_BF16_DENSE, 0.15) == 0
    assert tokens.serving_revenue(0, 0, 0.3, 0.16, 0.8, 2.0) == 0
    assert tokens.months_to_reach(1.5, 0.2) == 0  # already over capacity


def test_months_to_reach_by_hand():
    # Half the capacity, doubling monthly: one month; at +16% a month, ln 2 / ln 1.16 = 4.670.
    assert tokens.months_to_reach(0.5, 1.0) == pytest.approx(1.0, rel=EXACT)
    assert tokens.months_to_reach(0.5, 0.16) == pytest.approx(4.670, rel=HAND)


def test_arrays_keep_their_shape():
    tokens_per_day = np.array([[10e12, 50e12], [30e12, 0.0]])
    n = tokens.accelerators_needed(tokens_per_day, 20e9, H200_BF16_DENSE, np.array([0.1, 0.3]))
    assert n.shape == (2, 2)
    assert n[0, 1] == pytest.approx(tokens.accelerators_needed(50e12, 20e9, H200_BF16_DENSE, 0.3), rel=EXACT)
    assert tokens.cost_per_m_tokens_usd(np.ones(3), np.full(3, 1e3)).shape == (3,)
    assert tokens.serving_revenue(np.ones(4) * 1e6, 0, 0.3, 0.16, 0.8, 2.0).shape == (4,)


def test_pandas_series_keeps_its_index():
    s = pd.Series([10e12, 50e12], index=["oct", "dec"])
    out = tokens.accelerators_needed(s, 20e9, H200_BF16_DENSE, 0.3)
    assert isinstance(out, pd.Series) and list(out.index) == ["oct", "dec"]


@pytest.mark.parametrize(
    "func, kwargs, match",
    [
        (tokens.accelerators_needed, dict(tokens_per_day=-1, active_params=20e9,
                                          peak_flops_per_accelerator=989e12, utilization=0.3),
         "tokens_per_day must be a finite number >= 0, got -1"),
        (tokens.accelerators_needed, dict(tokens_per_day=1e12, active_params=20e9,
                                          peak_flops_per_accelerator=989e12, utilization=0),
         r"utilization must be a fraction in \(0, 1\]"),
        (tokens.accelerators_needed, dict(tokens_per_day=1e12, active_params=20e9,
                                          peak_flops_per_accelerator=989e12, utilization=np.array([0.2, 1.5])),
         "utilization must be .* got 1.5"),
        (tokens.accelerators_needed, dict(tokens_per_day=1e12, active_params=20e9,
                                          peak_flops_per_accelerator=0, utilization=0.3),
         "peak_flops_per_accelerator must be a finite number > 0"),
        (tokens.flops_per_token, dict(active_params=np.nan), "active_params must be a finite number"),
        (tokens.tokens_per_second_per_accelerator, dict(peak_flops=989e12, utilization=0.3, active_params=0),
         "active_params must be a finite number > 0"),
        (tokens.cost_per_m_tokens_usd, dict(usd_per_gpu_hour=2, tokens_per_second_per_accelerator=0),
         "tokens_per_second_per_accelerator must be a finite number > 0"),
        (tokens.serving_revenue, dict(input_tokens=1, output_tokens=1, cache_hit_share=1.2,
                                      price_per_m_input_hit=0.1, price_per_m_input_miss=1, price_per_m_output=2),
         r"cache_hit_share must be a fraction in \[0, 1\]"),
        (tokens.serving_revenue, dict(input_tokens=1, output_tokens=1, cache_hit_share=0.2,
                                      price_per_m_input_hit=0.1, price_per_m_input_miss=-1, price_per_m_output=2),
         "price_per_m_input_miss must be a finite number >= 0"),
        (tokens.breakeven_utilization, dict(usd_per_gpu_hour=2, price_usd_per_m_tokens=0,
                                            peak_flops_per_accelerator=989e12, active_params=20e9),
         "price_usd_per_m_tokens must be a finite number > 0"),
        (tokens.implied_rmb_per_m_tokens, dict(annual_cost_rmb_bn=20, tokens_per_day=0),
         "tokens_per_day must be a finite number > 0"),
        (tokens.monthly_growth_between, dict(start_value=0, end_value=50, months=2),
         "start_value must be a finite number > 0"),
        (tokens.uncached_token_share, dict(output_share=-0.1, cache_hit_share=0.3),
         r"output_share must be a fraction in \[0, 1\]"),
    ],
)
def test_invalid_input_raises_value_error(func, kwargs, match):
    with pytest.raises(ValueError, match=match):
        func(**kwargs)


@pytest.mark.parametrize(
    "dates, values, match",
    [
        (["2025-05-16"], [480], "at least 2 points"),
        (["2025-05-16", "2025-06-16"], [480], "same length"),
        (["2025-05-16", "2025-06-16"], [480, 0], "values must be a finite number > 0"),
        (["2025-05-16", "2025-05-16"], [480, 980], "two different dates"),
        (["May 2025", "not a date"], [480, 980], "dates must be dates"),
    ],
)
def test_fit_growth_rejects_bad_input(dates, values, match):
    with pytest.raises(ValueError, match=match):
        tokens.fit_growth(dates, values)


# --------------------------------------------------------------------------- parameters

@pytest.mark.parametrize(
    "name, claim",
    [
        ("tokens_per_day_dec_2025_trillion", "S2-03"),  # 50 T a day, December 2025
        ("tokens_per_day_oct_2025_trillion", "S3-11"),  # >30 T a day, October 2025 (Goldman Sachs)
        ("active_params_bn", "S1-13"),  # 20 B active
        ("total_params_bn", "S1-02"),  # 200 B total
        ("doubao_price_input_rmb_per_m", "X-doubao-pro-32k-input-price-2024"),  # 0.8 RMB per M
        ("doubao_price_output_rmb_per_m", "X-doubao-1-5-pro-output-price"),  # 2.0 RMB per M
    ],
)
def test_parameter_defaults_match_their_claims(dataset, registry, name, claim):
    assert registry[name].default == dataset.claims[claim].value
    assert claim in registry[name].basis.claims


def test_seed_ranges_match_their_claims(dataset, registry):
    # S4-03: "几百亿" read as 20-90 bn RMB a year; S1-05/S1-06: an 80% cut.
    burn = dataset.claims["S4-03"]
    assert (registry["app_burn_rmb_bn"].low, registry["app_burn_rmb_bn"].high) == (burn.value, burn.value_high)
    assert registry["gpu_cost_cut_share"].default * 100 == dataset.claims["S1-05"].value
    # Cache-hit price: a fifth of the input price, as Lite's 0.06 / 0.30 and BytePlus' 0.05 / 0.25.
    assert registry["doubao_price_cache_hit_rmb_per_m"].default == pytest.approx(
        registry["doubao_price_input_rmb_per_m"].default * 0.06 / 0.30, rel=EXACT)


def _traffic(p):
    """The traffic stage of the chain (token economics on the fleet of the same values)."""
    return chain.evaluate(p, "traffic").traffic


def test_economics_reads_parameters_only_by_registry_names(registry, defaults):
    assert set(tokens.TokenInputs.names()) <= set(registry)
    assert set(chain.parameters(["traffic"])) <= set(registry)
    p = RecordingDict(defaults)
    inputs = tokens.TokenInputs.from_params(p)
    assert p.read == set(tokens.TokenInputs.names())
    assert isinstance(inputs, tokens.TokenInputs)
    # The chain's traffic stage reads its own inputs and the fleet's, nothing else.
    p = RecordingDict(defaults)
    _traffic(p)
    assert p.read == set(chain.parameters(["traffic"]))
    assert set(chain.parameters(["traffic"])) == set(tokens.TokenInputs.names()) | set(capex.FleetInputs.names())


# --------------------------------------------------------------------------- the whole chain

def test_economics_with_defaults_is_internally_consistent(defaults):
    r = chain.evaluate(defaults, "traffic")
    e, f = r.traffic, r.fleet
    d = defaults
    assert isinstance(e, Mapping) and list(e) == list(e.__dataclass_fields__)
    assert e.tokens_per_day == pytest.approx(d["tokens_per_day_dec_2025_trillion"] * 1e12, rel=EXACT)
    assert e.app_tokens_per_day + e.api_tokens_per_day + e.internal_tokens_per_day == \
        pytest.approx(e.tokens_per_day, rel=EXACT)
    # Compute: busy accelerators on the fleet's average peak, provisioned for the peak hour.
    assert e.peak_flops_per_accelerator == pytest.approx(f.peak_bf16_flops / f.accelerators, rel=EXACT)
    assert e.accelerators_busy_average == pytest.approx(tokens.accelerators_needed(
        e.tokens_per_day * e.uncached_token_share, d["active_params_bn"] * 1e9,
        e.peak_flops_per_accelerator, d["serving_utilization"]), rel=EXACT)
    assert e.accelerators_needed == pytest.approx(e.accelerators_busy_average * d["peak_to_average_ratio"],
                                                  rel=EXACT)
    # Fleet scope: the compute needed, as a share of the whole fleet's and of the installed base's.
    needed_flops = e.accelerators_needed * e.peak_flops_per_accelerator
    assert e.share_of_fleet_needed == pytest.approx(needed_flops / f.whole_fleet_peak_bf16_flops, rel=EXACT)
    assert e.share_of_installed_fleet_needed == pytest.approx(needed_flops / f.installed_peak_bf16_flops, rel=EXACT)
    assert e.fleet_accelerators == f.installed_accelerators + f.accelerators
    assert (e.prefill_flop_per_day + e.decode_flop_per_day) / 86_400 == pytest.approx(
        e.accelerators_busy_average * e.peak_flops_per_accelerator * d["serving_utilization"], rel=1e-9)
    # Cost: an owned accelerator-hour is the fleet's annual cost over all its hours ...
    assert e.cost_per_gpu_hour_owned_usd * f.accelerators * HOURS_PER_YEAR == pytest.approx(
        f.annual_cost_usd_bn * USD_PER_BN, rel=1e-9)
    # ... and a busy one is the compute chapter's cost per GPU-hour, one definition for the book:
    assert e.cost_per_busy_gpu_hour_usd == f.cost_per_gpu_hour_usd
    assert e.cost_per_busy_gpu_hour_usd == pytest.approx(
        e.cost_per_gpu_hour_owned_usd / d["fleet_utilization"], rel=1e-9)
    # so the accelerators busy on average, at the busy-hour cost, make the whole serving bill.
    year = e.accelerators_busy_average * e.cost_per_busy_gpu_hour_usd * HOURS_PER_YEAR
    assert year * d["rmb_per_usd"] / RMB_PER_BN == pytest.approx(e.total_annual_serving_cost_rmb_bn, rel=1e-9)
    assert (e.app_annual_serving_cost_rmb_bn + e.api_annual_serving_cost_rmb_bn
            + e.internal_annual_serving_cost_rmb_bn) == pytest.approx(e.total_annual_serving_cost_rmb_bn, rel=1e-9)
    assert e.cost_per_m_tokens_before_cut_usd == pytest.approx(
        e.cost_per_m_tokens_usd / (1 - d["gpu_cost_cut_share"]), rel=EXACT)
    # Price and margin.
    assert e.api_annual_margin_rmb_bn == pytest.approx(
        e.api_annual_revenue_rmb_bn - e.api_annual_serving_cost_rmb_bn, rel=EXACT)
    assert e.api_annual_revenue_rmb_bn == pytest.approx(
        e.api_tokens_per_day * 365 / 1e6 * e.blended_price_per_m_tokens_rmb / 1e9, rel=1e-9)
    # The seed's burn over all 50 T a day (NOTES s3 item 11) at the 50 bn RMB default: 2.74 RMB per M.
    assert e.burn_rmb_per_m_tokens_all == pytest.approx(50e9 / (50e12 * 365) * 1e6, rel=EXACT)
    # Recent growth, October to December 2025 (NOTES s3 item 9).
    assert e.token_growth_oct_dec_2025_per_month == pytest.approx(0.29, abs=0.005)
    assert e.active_param_share == pytest.approx(0.1, rel=EXACT)  # 20 / 200 (S1-03: 10%)


def test_economics_at_breakeven_utilization_prices_equal_cost(defaults):
    e = _traffic(defaults)
    at_breakeven = _traffic({**defaults, "serving_utilization": float(e.breakeven_utilization)})
    assert at_breakeven.price_to_cost_ratio == pytest.approx(1.0, rel=1e-9)


def test_economics_fleet_share_scales_with_volume_and_mfu(defaults):
    base = _traffic(defaults)
    double = _traffic({**defaults, "tokens_per_day_dec_2025_trillion": 2 * defaults["tokens_per_day_dec_2025_trillion"]})
    assert double.share_of_fleet_needed == pytest.approx(2 * base.share_of_fleet_needed, rel=EXACT)
    faster = _traffic({**defaults, "serving_utilization": 2 * defaults["serving_utilization"]})
    assert faster.cost_per_m_tokens_usd == pytest.approx(base.cost_per_m_tokens_usd / 2, rel=EXACT)


def test_economics_is_vectorized_for_monte_carlo(registry, defaults):
    values = {n: defaults[n] for n in chain.parameters(["traffic"])}
    n = 2_000
    draws = uncertainty.sample(values, registry, n=n)
    e = _traffic(draws)
    for name, value in e.items():
        assert np.shape(value) in {(), (n,)}, name
        assert np.all(np.isfinite(value)), name
    assert np.shape(e.cost_per_m_tokens_usd) == (n,)
    # Each element equals the scalar computation on that draw.
    for i in (0, n - 1):
        scalar = _traffic({k: (v[i] if np.ndim(v) else v) for k, v in draws.items()})
        for name in e:
            assert np.broadcast_to(e[name], (n,))[i] == pytest.approx(scalar[name], rel=1e-12), name
    table = uncertainty.summarize(uncertainty.simulate(chain.model("traffic"), values, registry, n=n))
    assert table.loc["share_of_fleet_needed", "p10"] < table.loc["share_of_fleet_needed", "p90"]


def test_economics_missing_parameter_names_it(defaults):
    p = {k: v for k, v in defaults.items() if k not in ("cache_hit_share", "doubao_price_output_rmb_per_m")}
    with pytest.raises(ModelInputError, match=r"TokenInputs needs parameter\(s\) cache_hit_share, "
                                              r"doubao_price_output_rmb_per_m, missing"):
        tokens.TokenInputs.from_params(p)
    # The chain builds the same inputs, so it names them too; the error is still a ValueError.
    with pytest.raises(ValueError, match=r"TokenInputs needs parameter\(s\) cache_hit_share"):
        chain.evaluate(p, "traffic")


@pytest.mark.parametrize(
    "changes, match",
    [
        ({"serving_utilization": 0.0}, r"serving_utilization must be a fraction in \(0, 1\]"),
        ({"serving_utilization": 1.2}, "serving_utilization must be"),
        ({"tokens_per_query": -1}, "tokens_per_query must be a finite number >= 0"),
        ({"tokens_per_day_dec_2025_trillion": -5}, "tokens_per_day_dec_2025_trillion must be a finite number > 0"),
        ({"peak_to_average_ratio": 0.5}, "peak_to_average_ratio must be >= 1"),
        ({"gpu_cost_cut_share": 1.0}, r"gpu_cost_cut_share must be a fraction in \[0, 1\)"),
        ({"active_params_bn": 300}, "total_params_bn - active_params_bn must be >= 0"),
        ({"cache_hit_share": -0.1}, r"cache_hit_share must be a fraction in \[0, 1\]"),
        ({"doubao_price_output_rmb_per_m": 0}, "doubao_price_output_rmb_per_m must be a finite number > 0"),
    ],
)
def test_economics_rejects_invalid_parameters(defaults, changes, match):
    with pytest.raises(ModelInputError, match=match):
        _traffic({**defaults, **changes})


# --------------------------------------------------------------------------- house style

def test_no_sourced_literals_in_tokens_module():
    # Numbers in code are only 0, 1, 2 (halves, squares and the two months from October to
    # December 2025 that the parameter names fix) and the numerical settings of the Student-t
    # quantile (probability bounds 0.5 and 0.999, grid to 400 with 800,001 points) and the
    # default band (10, 90). Sourced values live in data/.
    allowed = {0, 1, 2, 0.5, 0.999, 400.0, 800_001, 10, 90}
    tree = ast.parse(inspect.getsource(tokens))
    literals = {
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    }
    assert literals <= allowed, literals - allowed


# --------------------------------------------------------------------------- tidy tables for charts

def test_growth_curve_follows_an_exact_exponential():
    # Tripling every month (hand-made data): the fit is exact, the band collapses onto the line.
    dates = pd.to_datetime(["2025-01-01", "2025-01-31", "2025-03-02", "2025-04-01"])
    months = (dates - dates[0]).days.to_numpy() / (365 / 12)
    values = 2.0 * 3.0 ** months
    fit = tokens.fit_growth(dates, values)
    curve = report.tokens.growth_curve(fit, dates, dates)
    assert list(curve.columns) == ["date", "fitted", "low", "high"]
    assert curve["fitted"].to_numpy() == pytest.approx(values, rel=1e-9)
    assert curve["low"].to_numpy() == pytest.approx(values, rel=1e-6)
    assert curve["high"].to_numpy() == pytest.approx(values, rel=1e-6)


def test_growth_curve_band_brackets_the_fit_and_pivots_at_the_centre(dataset):
    volumes = report.tokens.token_volumes(dataset)
    doubao = volumes[volumes["series"].str.startswith("Doubao")]
    fit = tokens.fit_growth(doubao["date"], doubao["tokens_per_day_trillion"])
    grid = pd.date_range(doubao["date"].min(), doubao["date"].max(), periods=25)
    curve = report.tokens.growth_curve(fit, doubao["date"], grid)
    assert (curve["low"] <= curve["fitted"] * (1 + 1e-12)).all()
    assert (curve["high"] >= curve["fitted"] * (1 - 1e-12)).all()
    width = np.log(curve["high"] / curve["low"])
    assert width.iloc[0] > width.min() and width.iloc[-1] > width.min()  # narrowest inside the span


def test_growth_curve_with_two_points_has_no_band():
    dates = ["2025-10-16", "2025-12-16"]  # 30 T to 50 T: claims S3-11, S2-03
    fit = tokens.fit_growth(dates, [30.0, 50.0])
    curve = report.tokens.growth_curve(fit, dates, dates)
    assert curve["fitted"].to_numpy() == pytest.approx([30.0, 50.0], rel=1e-9)
    assert curve["low"].isna().all() and curve["high"].isna().all()


def test_percentile_table_relabels_orders_and_scales():
    summary = pd.DataFrame({"p10": [1e6, 2e6], "p50": [3e6, 4e6], "p90": [5e6, 6e6]},
                           index=pd.Index(["a", "b"], name="output"))
    table = report.tokens.percentile_table(summary, {"b": "Bee", "a": "Ay"}, scale=1e6)
    assert list(table["item"]) == ["Bee", "Ay"]
    assert list(table["output"]) == ["b", "a"]
    assert table[["p10", "p50", "p90"]].to_numpy().tolist() == [[2, 4, 6], [1, 3, 5]]


def test_percentile_table_rejects_unknown_outputs_and_bad_scale():
    summary = pd.DataFrame({"p10": [1.0], "p50": [2.0], "p90": [3.0]}, index=["a"])
    with pytest.raises(ValueError, match="not in the summary"):
        report.tokens.percentile_table(summary, {"missing": "M"})
    with pytest.raises(ValueError, match="scale"):
        report.tokens.percentile_table(summary, {"a": "A"}, scale=0)


def test_cost_by_utilization_is_inverse_in_utilization_and_matches_economics(defaults):
    utilizations = [0.05, 0.1, 0.2, 0.4]
    table = report.tokens.cost_by_utilization(defaults, utilizations)
    after = table[table["case"] == "after the claimed cut"]
    before = table[table["case"] == "before the cut"]
    assert len(table) == 2 * len(utilizations)
    # cost per token is proportional to 1 / MFU (tokens_per_second_per_accelerator)
    product = after["serving_utilization"] * after["cost_usd_per_m"]
    assert product.to_numpy() == pytest.approx(np.full(len(utilizations), product.iloc[0]), rel=EXACT)
    cut = defaults["gpu_cost_cut_share"]
    assert before["cost_usd_per_m"].to_numpy() == pytest.approx(after["cost_usd_per_m"].to_numpy() / (1 - cut),
                                                                rel=EXACT)
    at_default = report.tokens.cost_by_utilization(defaults, [defaults["serving_utilization"]])["cost_usd_per_m"].iloc[0]
    assert at_default == pytest.approx(float(_traffic(defaults).cost_per_m_tokens_usd), rel=EXACT)


def test_cost_by_utilization_at_breakeven_equals_the_blended_price(defaults):
    result = _traffic(defaults)
    table = report.tokens.cost_by_utilization(defaults, [float(result.breakeven_utilization)])
    assert table["cost_usd_per_m"].iloc[0] == pytest.approx(float(result.blended_price_per_m_tokens_usd), rel=1e-9)


def test_cost_by_utilization_rejects_zero_utilization(defaults):
    with pytest.raises(ValueError, match="serving_utilization"):
        report.tokens.cost_by_utilization(defaults, [0.0, 0.2])


def test_blended_list_prices_gpt4o_openai_api_pricing(dataset):
    # openai-api-pricing: GPT-4o USD 2.50 in, 10.00 out per million; 80/20 blend = 0.8 x 2.5 + 0.2 x 10 = 4.0
    prices = report.tokens.blended_list_prices(report.tokens.list_prices(7.0, dataset), 0.2)
    gpt4o = prices.set_index("model").loc["OpenAI GPT-4o", "blended_usd_per_m"]
    assert gpt4o == pytest.approx(4.0, rel=EXACT)
    assert "Industry reference (May 2024)" not in set(prices["model"])  # no output price: dropped
    assert prices["blended_usd_per_m"].notna().all()


def test_blended_list_prices_rejects_bad_output_share(dataset):
    with pytest.raises(ValueError, match="output_share"):
        report.tokens.blended_list_prices(report.tokens.list_prices(7.0, dataset), 1.5)


def test_draw_figures_count_the_draws_where_a_sign_flips():
    draws = pd.DataFrame({"app_and_api_share_of_reported_tokens": [0.5, 1.2, 0.9, 1.0],
                          "api_annual_margin_rmb_bn": [1.0, -0.5, 0.0, -2.0]})
    assert report.tokens.draw_figures(draws) == {"share_of_draws_over_reported": 0.25,
                                                 "share_of_draws_api_loses": 0.5}
