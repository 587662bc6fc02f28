"""Tests of analysis/capex.py, pinned to published values with the source named.

Reference values: NVIDIA H100/H200/H20 datasheets and the DGX H100 user guide
(data/sources.yaml ids in the comments), Uptime Institute PUE surveys, and the
seed claims (S0-xx ... S4-xx) with the cross-checks of ../shared/seeds/NOTES.md
section 3. Tolerances: exact arithmetic is checked to floating-point precision
(rel 1e-12); values the notes round to two or three figures are checked to half
a unit of their last figure.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from conftest import RecordingDict

from analysis.errors import DataError, ModelInputError, ReportError
from analysis.inputs import data
from analysis.models import capex, chain
from analysis.models.units import HOURS_PER_YEAR, RMB_PER_BN, USD_PER_BN
from analysis import report
from analysis.report import formatting

EXACT = 1e-12


# --------------------------------------------------------------------------- fixtures

def _fleet(p):
    """The fleet stage on any mapping of parameter values, through its typed inputs."""
    return capex.fleet(capex.FleetInputs.from_params(p))


# --------------------------------------------------------------------------- accelerator counts

def test_h200_test_order_value_matches_seed_003():
    # S3-08: 20,000 H200 at ~USD 20,000 (~141,000 RMB) each; NOTES s3 item 2: USD 0.40 bn ~ 2.8 bn RMB at 7.05.
    order_usd = 20_000 * 20_000
    assert order_usd / USD_PER_BN == pytest.approx(0.40, rel=EXACT)
    order_rmb = order_usd * 7.05
    assert order_rmb / RMB_PER_BN == pytest.approx(2.82, rel=EXACT)
    assert capex.accelerator_count(order_rmb, 20_000, 7.05) == pytest.approx(20_000, rel=EXACT)
    # 2.82 bn of the 85 bn chip budget is "about 3.3%" (NOTES s3 item 2): within 0.05 pp.
    assert capex.share_of(order_rmb / RMB_PER_BN, 85) == pytest.approx(0.033, abs=0.0005)


def test_chip_budget_buys_0_60m_h200_equivalents_notes_s3_item2():
    # NOTES s3 item 2: 85 bn RMB at 141k RMB per card ~ 0.60 M H200-equivalents (2 figures: +/-0.005 M).
    n = capex.accelerator_count(85 * RMB_PER_BN, 20_000, 7.05)
    assert n / 1e6 == pytest.approx(0.60, abs=0.005)
    # ... and about 0.3 M if servers and networking double the cost per GPU.
    assert capex.accelerator_count(85 * RMB_PER_BN, 2 * 20_000, 7.05) / 1e6 == pytest.approx(0.30, abs=0.005)


def test_rmb_price_count_matches_usd_price_count():
    a = capex.accelerator_count(1e9, 20_000, 7.05)
    b = capex.accelerator_count_from_rmb_price(1e9, 141_000)
    assert a == pytest.approx(b, rel=EXACT)


# --------------------------------------------------------------------------- compute (NVIDIA datasheets)

@pytest.mark.parametrize(
    "gpu, sparse_tflops, dense_tflops",
    [
        # nvidia-h100-datasheet / nvidia-h200-datasheet: headline figures include 2:4 sparsity.
        ("H100/H200 SXM BF16", 1_979, 989),
        ("H100/H200 SXM FP8", 3_958, 1_979),
        # nvidia-h20-specs: 296 TFLOPS (sparse) FP16/BF16, 148 dense.
        ("H20 BF16", 296, 148),
    ],
)
def test_dense_is_half_of_sparse_nvidia_datasheets(gpu, sparse_tflops, dense_tflops):
    # Datasheets round to whole TFLOPS, so half the sparse value matches within 0.5 TFLOPS.
    assert sparse_tflops / 2 == pytest.approx(dense_tflops, abs=0.5)
    assert capex.peak_compute_flops(1, dense_tflops) == pytest.approx(dense_tflops * 1e12, rel=EXACT)


def test_eight_h200_peak_bf16_nvidia_h200_datasheet():
    # 8 x 989 dense BF16 TFLOPS = 7.912 PFLOP/s per HGX H200 board.
    assert capex.peak_compute_flops(8, 989) == pytest.approx(7.912e15, rel=EXACT)


@pytest.mark.parametrize(
    "name, value",
    [
        ("h200_bf16_dense_tflops", 989),  # nvidia-h200-datasheet, dense
        ("h200_fp8_dense_tflops", 1_979),  # nvidia-h200-datasheet, dense
        ("h200_power_w", 700),  # nvidia-h200-datasheet, max TDP
        ("dgx_server_power_kw", 10.2),  # nvidia-dgx-h100-user-guide, max system power
        ("accelerators_per_server", 8),  # DGX/HGX: 8 GPUs
        ("rack_power_kw", 12),  # S0-28, Datong
        ("datong_server_racks", 12_000),  # S0-28
        ("datong_capex_usd_m", 614),  # S0-27
        ("h200_unit_price_usd", 20_000),  # S3-08
        ("ai_budget_2026_rmb_bn", 160),  # S3-01, S4-01
        ("ai_processor_budget_2026_rmb_bn", 85),  # S3-05, S4-02
        ("revenue_2024_usd_bn", 155),  # S0-20
        ("net_profit_2024_usd_bn", 33),  # S0-20
        ("us_hyperscaler_capex_2025_usd_bn", 300),  # S3-06
    ],
)
def test_parameter_defaults_match_their_sources(registry, name, value):
    assert registry[name].default == value


def test_spec_parameters_are_fixed(registry):
    for name in ("h200_bf16_dense_tflops", "h200_fp8_dense_tflops", "h200_power_w", "dgx_server_power_kw"):
        assert registry[name].distribution == "fixed"


# --------------------------------------------------------------------------- power

def test_dgx_h100_power_nvidia_user_guide():
    # nvidia-dgx-h100-user-guide: 8 GPUs, max 10.2 kW -> 10.2 kW per 8 GPUs = 0.0102 MW.
    assert capex.fleet_it_power_mw(8, 10.2) == pytest.approx(0.0102, rel=EXACT)
    # 1,000 DGX H100 = 10.2 MW IT.
    assert capex.fleet_it_power_mw(8_000, 10.2, gpus_per_server=8) == pytest.approx(10.2, rel=EXACT)
    # Host overhead: 10.2 kW / (8 x 700 W) = 1.8214...
    ratio = capex.host_power_ratio(10.2, 700)
    assert ratio == pytest.approx(10_200 / 5_600, rel=EXACT)
    assert capex.estimated_server_power_kw(700, ratio) == pytest.approx(10.2, rel=EXACT)


def test_h20_server_power_scaled_from_dgx():
    # nvidia-h20-specs: 400 W; scaled with the DGX H100 host ratio: 8 x 400 W x 1.82 = 5.83 kW.
    ratio = capex.host_power_ratio(10.2, 700)
    assert capex.estimated_server_power_kw(400, ratio) == pytest.approx(10.2 * 400 / 700, rel=EXACT)


@pytest.mark.parametrize(
    "pue, source",
    [(1.58, "uptime-2023-pue"), (1.56, "uptime-2024-survey")],
)
def test_facility_power_uptime_average_pue(pue, source):
    # Uptime Institute industry-average PUE, applied to Datong's 144 MW IT (S0-28).
    assert capex.facility_power_mw(144, pue) == pytest.approx(144 * pue, rel=EXACT)


def test_annual_energy_datong_notes_s3_item16():
    # NOTES s3 item 16: >=144 MW x 70% load x PUE 1.25 ~ 1.1 TWh/yr (2 figures: +/-0.05 TWh).
    energy = capex.facility_energy_gwh(144, 1.25, 0.7)
    assert energy == pytest.approx(144 * 1.25 * 0.7 * 8_760 / 1_000, rel=EXACT)
    assert energy / 1_000 == pytest.approx(1.1, abs=0.05)


def test_hours_per_year():
    assert HOURS_PER_YEAR == 8_760.0
    # 1 MW of IT at PUE 1, busy all year: 8.76 GWh.
    assert capex.facility_energy_gwh(1, 1, 1) == pytest.approx(8.76, rel=EXACT)
    assert capex.facility_energy_gwh(1, 1, 1, hours=HOURS_PER_YEAR) == capex.facility_energy_gwh(1, 1, 1)


# --------------------------------------------------------------------------- racks and Datong

def test_datong_it_power_144_mw_seed_000():
    # S0-28: >12,000 racks x 12 kW = 144 MW IT (NOTES s3 item 4).
    assert capex.rack_it_power_mw(12_000, 12) == pytest.approx(144, rel=EXACT)


def test_12kw_rack_holds_one_dgx_h100():
    # 10.2 kW DGX H100 (nvidia-dgx-h100-user-guide) in a 12 kW Datong rack (S0-28): 1 server, 8 GPUs.
    assert capex.servers_per_rack(12, 10.2) == 1
    assert capex.accelerators_per_rack(12, 10.2) == 8
    # NOTES s3 item 4: 12,000 racks x 8 GPUs ~ 96k GPUs.
    assert 12_000 * capex.accelerators_per_rack(12, 10.2) == 96_000
    assert capex.racks_needed(96_000, 12, 10.2) == pytest.approx(12_000, rel=EXACT)


def test_12kw_rack_holds_two_h20_class_servers():
    # Two 5.83 kW servers (8 x 400 W H20-class, DGX host ratio) fit in 12 kW; three do not.
    server_kw = capex.estimated_server_power_kw(400, capex.host_power_ratio(10.2, 700))
    assert capex.accelerators_per_rack(12, server_kw) == 16


def test_rack_count_exact_division_is_not_lost_to_rounding():
    # 12 / (12 / 3) may evaluate to 2.9999999999999996; three servers still fit.
    assert capex.servers_per_rack(12, 12 / 3) == 3
    assert capex.servers_per_rack(0.3, 0.1) == 3


def test_datong_capex_per_mw_notes_s3_item4():
    # S0-27 USD 614 M / 144 MW ~ USD 4.3 M/MW (NOTES s3 item 4; 2 figures: +/-0.05).
    per_mw = capex.capex_per_mw_usd_m(614, capex.rack_it_power_mw(12_000, 12))
    assert per_mw == pytest.approx(614 / 144, rel=EXACT)
    assert per_mw == pytest.approx(4.3, abs=0.05)
    assert capex.facility_capex_usd_bn(144, per_mw) == pytest.approx(0.614, rel=EXACT)


def test_fleet_share_hosted_is_capped_at_one():
    assert capex.fleet_share_hosted(12_000, 60_000) == pytest.approx(0.2, rel=EXACT)
    assert capex.fleet_share_hosted(12_000, 6_000) == 1.0


# --------------------------------------------------------------------------- cost

def test_cost_per_gpu_hour_by_hand():
    # USD 4.4 bn a year over 655,600 accelerators busy 70% of 8,760 h: USD 1.0945 per busy hour.
    got = capex.cost_per_gpu_hour_usd(4.4, 655_600, 0.7)
    assert got == pytest.approx(4.4e9 / (655_600 * 8_760 * 0.7), rel=EXACT)
    # One GPU busy all year, USD 8,760 a year: one dollar an hour.
    assert capex.cost_per_gpu_hour_usd(8_760 / 1e9, 1, 1.0) == pytest.approx(1.0, rel=EXACT)
    with pytest.raises(ModelInputError, match="utilization must be a fraction in"):
        capex.cost_per_gpu_hour_usd(4.4, 655_600, 0.0)


@pytest.mark.parametrize("rate, life, expected", [
    (0.0, 5.0, 0.2),  # straight-line
    (0.09, 5.0, 0.2570925),  # annuity factor tables: 9%, 5 years
    (0.10, 14.0, 0.1357462),  # 10%, 14 years
])
def test_capital_recovery_factor_matches_annuity_tables(rate, life, expected):
    assert capex.capital_recovery_factor(rate, life) == pytest.approx(expected, abs=1e-7)
    # It repays the investment: the present value of the payments is 1.
    years = np.arange(1, int(life) + 1)
    assert np.sum(capex.capital_recovery_factor(rate, life) / (1 + rate) ** years) == pytest.approx(1, rel=1e-9)


def test_capital_recovery_factor_is_vectorized_and_continuous_at_zero():
    crf = capex.capital_recovery_factor(np.array([0.0, 1e-9, 0.09]), 5.0)
    assert crf[0] == pytest.approx(0.2, rel=EXACT) and crf[1] == pytest.approx(0.2, rel=1e-6)
    with pytest.raises(ModelInputError, match="cost_of_capital must be a finite number >= 0"):
        capex.capital_recovery_factor(-0.1, 5.0)


def test_capital_and_energy_cost():
    assert capex.annual_capital_usd_bn(20, 5) == pytest.approx(4, rel=EXACT)
    assert capex.annual_capital_usd_bn(20, 5, 0.09) == pytest.approx(20 * 0.2570925, rel=1e-6)
    # 1 GWh at USD 0.10/kWh = USD 100,000.
    assert capex.energy_cost_usd_bn(1, 0.10) * USD_PER_BN == pytest.approx(100_000, rel=EXACT)


# --------------------------------------------------------------------------- comparisons

def test_us_hyperscaler_capex_in_rmb_seed_003():
    # S3-06: >USD 300 bn "approximately 2.11 trillion RMB" (implied 7.03; 3 figures: +/-0.005 T).
    assert capex.usd_bn_to_rmb_bn(300, 7.03) / 1_000 == pytest.approx(2.11, abs=0.005)


@pytest.mark.parametrize(
    "reference_usd_bn, expected, what",
    [
        (155, 0.146, "2024 revenue, S0-20"),  # NOTES s3 item 5: ~14.6%
        (33, 0.69, "2024 net profit, S0-20"),  # ~69%
        (300, 0.076, "US big-4 capex, S3-06"),  # ~7.6%
    ],
)
def test_budget_shares_notes_s3_item5(reference_usd_bn, expected, what):
    # 160 bn RMB ~ USD 22.7 bn at 7.05; shares checked to half a unit of the notes' last figure.
    budget_usd_bn = capex.rmb_bn_to_usd_bn(160, 7.05)
    assert budget_usd_bn == pytest.approx(22.7, abs=0.05)
    last_figure = 10.0 ** -(len(str(expected).split(".")[1]))
    assert capex.share_of(budget_usd_bn, reference_usd_bn) == pytest.approx(expected, abs=last_figure / 2)


def test_budget_growth_notes_s3_item1():
    # S3-03 / S4-01: 160 vs 150 bn RMB = +6.7%.
    assert capex.growth_rate(160, 150) == pytest.approx(0.067, abs=0.0005)


# --------------------------------------------------------------------------- edge cases

def test_zero_inputs_give_zero():
    assert capex.accelerator_count(0, 20_000, 7.05) == 0
    assert capex.fleet_it_power_mw(0, 10.2) == 0
    assert capex.facility_power_mw(0, 1.3) == 0
    assert capex.facility_energy_gwh(100, 1.0, 0) == 0
    assert capex.peak_compute_flops(0, 989) == 0
    assert capex.energy_cost_usd_bn(0, 0.07) == 0
    assert capex.racks_needed(0, 12, 10.2) == 0


def test_arrays_keep_their_shape():
    budget = np.full((2, 3), 85e9)
    price = np.array([15_000.0, 20_000.0, 30_000.0])
    n = capex.accelerator_count(budget, price, 7.05)
    assert n.shape == (2, 3)
    assert n[1, 1] == pytest.approx(capex.accelerator_count(85e9, 20_000, 7.05), rel=EXACT)
    it = capex.fleet_it_power_mw(n, 10.2)
    assert capex.facility_energy_gwh(it, 1.25, 0.7).shape == (2, 3)
    cost = capex.annual_capital_usd_bn(price, np.array([4.0, 5.0, 6.0]), 0.09)
    assert cost.shape == (3,)
    assert capex.accelerators_per_rack(np.array([12.0, 24.0]), 10.2).tolist() == [8.0, 16.0]


def test_pandas_series_keeps_its_index():
    pue = pd.Series([1.1, 1.25, 1.58], index=["hyperscale", "default", "uptime-2023"])
    out = capex.facility_power_mw(144, pue)
    assert isinstance(out, pd.Series)
    assert list(out.index) == list(pue.index)


@pytest.mark.parametrize(
    "func, kwargs, match",
    [
        (capex.accelerator_count, dict(budget_rmb=1e9, unit_price_usd=0, rmb_per_usd=7.05), "unit_price_usd must be"),
        (capex.accelerator_count, dict(budget_rmb=1e9, unit_price_usd=-5, rmb_per_usd=7.05), "got -5"),
        (capex.accelerator_count, dict(budget_rmb=-1, unit_price_usd=20_000, rmb_per_usd=7.05), "budget_rmb must be"),
        (capex.accelerator_count, dict(budget_rmb=1e9, unit_price_usd=20_000, rmb_per_usd=0), "rmb_per_usd must be"),
        (capex.accelerator_count_from_rmb_price, dict(budget_rmb=1e9, unit_price_rmb=np.nan), "unit_price_rmb"),
        (capex.fleet_it_power_mw, dict(accelerators=8, server_power_kw=0), "server_power_kw must be"),
        (capex.fleet_it_power_mw, dict(accelerators=8, server_power_kw=10.2, gpus_per_server=0), "gpus_per_server"),
        (capex.facility_power_mw, dict(it_power_mw=144, pue=0.9), r"pue must be >= 1"),
        (capex.facility_power_mw, dict(it_power_mw=144, pue=np.array([1.2, 0.95])), r"got 0\.95"),
        (capex.facility_energy_gwh, dict(it_power_mw=100, pue=1.0, utilization=1.2),
         r"utilization must be a fraction in \[0, 1\]"),
        (capex.facility_energy_gwh, dict(it_power_mw=100, pue=1.0, utilization=-0.1), "utilization"),
        (capex.facility_energy_gwh, dict(it_power_mw=np.inf, pue=1.0, utilization=0.5), "it_power_mw must be a finite"),
        (capex.facility_energy_gwh, dict(it_power_mw=100, pue=0.9, utilization=0.5), r"pue must be >= 1"),
        (capex.annual_capital_usd_bn, dict(capex_usd_bn=20, life_years=0), "life_years must be"),
        (capex.cost_per_gpu_hour_usd, dict(annual_cost_usd_bn=4.4, accelerators=655_600, utilization=0),
         r"utilization must be a fraction in \(0, 1\]"),
        (capex.cost_per_gpu_hour_usd, dict(annual_cost_usd_bn=4.4, accelerators=0, utilization=0.7),
         "accelerators must be"),
        (capex.servers_per_rack, dict(rack_power_kw=12, server_power_kw=14.3), "does not fit a 12 kW rack"),
        (capex.estimated_server_power_kw, dict(accelerator_power_w=400, host_power_ratio=0.5), "host_power_ratio"),
        (capex.fleet_share_hosted, dict(site_racks=12_000, fleet_racks=0), "fleet_racks must be"),
        (capex.share_of, dict(amount=1, reference=0), "reference must be"),
        (capex.rmb_bn_to_usd_bn, dict(amount_rmb_bn=160, rmb_per_usd=-7), "rmb_per_usd must be"),
    ],
)
def test_invalid_input_raises_value_error(func, kwargs, match):
    with pytest.raises(ValueError, match=match):
        func(**kwargs)


# --------------------------------------------------------------------------- fleet(inputs)



def test_fleet_reads_parameters_only_by_registry_names(registry, defaults):
    assert set(capex.FleetInputs.names()) <= set(registry)
    assert len(capex.FleetInputs.names()) == 34
    p = RecordingDict(defaults)
    inputs = capex.FleetInputs.from_params(p)
    assert p.read <= set(registry)
    assert p.read == set(capex.FleetInputs.names())
    # The chain's fleet stage reads exactly the same names.
    assert set(chain.parameters(["fleet"])) == set(capex.FleetInputs.names())
    assert isinstance(capex.fleet(inputs), capex.Fleet)


def test_fleet_defaults_reproduce_the_seed_cross_checks(defaults):
    f = _fleet(defaults)
    assert f.accelerators == pytest.approx(f.imported_accelerators + f.domestic_accelerators, rel=EXACT)
    assert f.h200_test_order_share_of_processor_budget == pytest.approx(0.033, abs=0.0005)  # NOTES s3 item 2
    assert f.budget_usd_bn == pytest.approx(22.7, abs=0.05)  # NOTES s3 item 5
    assert f.budget_growth_fraction == pytest.approx(0.067, abs=0.0005)  # NOTES s3 item 1
    assert f.imported_accelerators_per_rack == 8  # one DGX per 12 kW rack
    # All of the processor budget on H200s at 141k RMB: ~0.60 M (NOTES s3 item 2).
    all_imported = _fleet({**defaults, "imported_share_of_processor_budget": 1.0})
    assert all_imported.domestic_accelerators == 0
    assert all_imported.accelerators / 1e6 == pytest.approx(0.60, abs=0.005)
    assert all_imported.peak_bf16_flops == pytest.approx(all_imported.accelerators * 989e12, rel=EXACT)


def test_fleet_is_internally_consistent(defaults):
    f = _fleet(defaults)
    d = defaults
    assert f.servers == pytest.approx(f.accelerators / d["accelerators_per_server"], rel=EXACT)
    assert f.facility_power_mw == pytest.approx(f.it_power_mw * d["pue"], rel=EXACT)
    assert f.annual_energy_gwh == pytest.approx(
        f.facility_power_mw * d["fleet_utilization"] * HOURS_PER_YEAR / 1_000, rel=EXACT)
    # Annual cost = cost per GPU-hour x GPU-hours of use.
    gpu_hours = f.accelerators * HOURS_PER_YEAR * d["fleet_utilization"]
    assert f.annual_cost_usd_bn * USD_PER_BN == pytest.approx(f.cost_per_gpu_hour_usd * gpu_hours, rel=1e-9)
    assert f.annual_cost_usd_bn == pytest.approx(
        f.annual_it_capital_usd_bn + f.annual_facility_capital_usd_bn + f.annual_energy_cost_usd_bn, rel=EXACT)
    # IT power = DGX-rated imported servers + domestic servers scaled by the DGX host ratio.
    ratio = capex.host_power_ratio(d["dgx_server_power_kw"], d["h200_power_w"])
    domestic_kw = capex.estimated_server_power_kw(d["domestic_accelerator_power_w"], ratio)
    expected_mw = (capex.fleet_it_power_mw(f.imported_accelerators, d["dgx_server_power_kw"])
                   + capex.fleet_it_power_mw(f.domestic_accelerators, domestic_kw))
    assert f.it_power_mw == pytest.approx(expected_mw, rel=EXACT)
    assert f.racks == pytest.approx(f.imported_accelerators / 8 + f.domestic_accelerators
                                    / capex.accelerators_per_rack(d["rack_power_kw"], domestic_kw), rel=EXACT)
    assert f.it_capex_rmb_bn == pytest.approx(
        d["ai_processor_budget_2026_rmb_bn"] * (1 + d["server_overhead_ratio"]), rel=EXACT)
    assert 0 < f.datong_share_of_fleet_racks <= 1


def test_fleet_is_vectorized(registry, defaults):
    # Monte Carlo style: every uncertain parameter an array of draws within its range.
    rng = np.random.default_rng(2026)
    n = 7
    arrays = {
        name: (rng.uniform(param.low, param.high, n) if param.distribution != "fixed" else param.value)
        for name, param in registry.items() if name in defaults
    }
    f = _fleet(arrays)
    for name, value in f.items():
        assert np.shape(value) in {(), (n,)}, name
    assert np.shape(f.cost_per_gpu_hour_usd) == (n,)
    assert np.shape(f.annual_energy_gwh) == (n,)
    # Each element equals the scalar computation on that draw.
    for i in (0, n - 1):
        scalar = _fleet({k: (v[i] if np.ndim(v) else v) for k, v in arrays.items()})
        for name in f:
            assert np.broadcast_to(f[name], (n,))[i] == pytest.approx(scalar[name], rel=1e-12), name


def test_fleet_is_a_read_only_mapping(defaults):
    f = _fleet(defaults)
    assert isinstance(f, Mapping)
    assert list(f) == [fld for fld in f.__dataclass_fields__]
    assert dict(f)["accelerators"] == f.accelerators
    with pytest.raises(AttributeError):
        f.accelerators = 0
    with pytest.raises(KeyError):
        f["no_such_output"]


def test_fleet_missing_parameter_names_it(defaults):
    p = {k: v for k, v in defaults.items() if k not in ("pue", "rack_power_kw")}
    with pytest.raises(ModelInputError, match=r"FleetInputs needs parameter\(s\) rack_power_kw, pue, missing"):
        capex.FleetInputs.from_params(p)
    # The chain builds the same inputs, so it names them too.
    with pytest.raises(ModelInputError, match=r"FleetInputs needs parameter\(s\) rack_power_kw, pue"):
        chain.evaluate(p, "fleet")


@pytest.mark.parametrize(
    "name, value, match",
    [
        ("imported_share_of_processor_budget", 1.5, r"imported_share_of_processor_budget must be a fraction"),
        ("pue", 0.8, "pue must be >= 1"),
        ("fleet_utilization", 1.1, "utilization"),
        ("h200_unit_price_usd", 0, "unit_price_usd must be"),
        ("ai_processor_budget_2026_rmb_bn", 0, "ai_processor_budget_2026_rmb_bn must be"),
        ("server_overhead_ratio", -0.1, "server_overhead_ratio must be"),
        ("domestic_accelerator_power_w", 2_000, "does not fit a 12 kW rack"),
    ],
)
def test_fleet_rejects_invalid_parameters(defaults, name, value, match):
    with pytest.raises(ValueError, match=match):
        _fleet({**defaults, name: value})


# --------------------------------------------------------------------------- house style

def test_no_sourced_literals_in_capex_module():
    # Numbers in code are only 0, 1, the 8-GPU default the interface prescribes and the
    # floating-point slack; sourced values live in data/parameters.yaml.
    allowed = {0, 1, 8, 1e-9}
    tree = ast.parse(inspect.getsource(capex))
    literals = {
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    }
    assert literals <= allowed, literals - allowed


def test_parameters_cross_reference_claims_and_sources():
    """data.load() checks every basis id against data/claims.yaml and data/sources.yaml."""
    try:
        parameters = data.load().parameters
    except DataError as exc:
        if "unknown claim" in str(exc) or "unknown source" in str(exc):
            pytest.skip(f"claims.yaml / sources.yaml not complete yet: {exc}")
        raise
    assert set(capex.FleetInputs.names()) <= set(parameters)


# --------------------------------------------------------------------------- tables for the chapter

def _summary(frame: pd.DataFrame) -> pd.DataFrame:
    """A P10/P50/P90 table like uncertainty.summarize's, from a frame of draws."""
    from analysis.models import uncertainty
    return uncertainty.summarize(frame)


@pytest.mark.parametrize(
    "value, digits, text",
    [
        (628_667.3, 3, "629,000"),
        (1.2285, 3, "1.23"),
        (0.0731, 2, "0.073"),
        (-7.39, 2, "-7.4"),
        (999.6, 3, "1,000"),  # rounding carries into the next power of ten
        (0.9996, 3, "1.00"),
        (0, 3, "0"),
    ],
)
def test_format_significant(value, digits, text):
    assert formatting.format_significant(value, digits) == text


def test_format_significant_rejects_zero_digits():
    with pytest.raises(ReportError, match="significant_digits must be >= 1, got 0"):
        formatting.format_significant(1.0, 0)


def test_budget_waterfall_steps_add_up_to_fleet(defaults):
    f = _fleet(defaults)
    w = report.capex.budget_waterfall(defaults)
    assert list(w["order"]) == list(range(len(w)))
    assert w["kind"].tolist() == ["budget"] + ["spending"] * 4 + ["remainder"]
    # Each spending step starts where the previous one ended.
    spending = w[w["kind"] == "spending"]
    assert spending["start_rmb_bn"].iloc[1:].tolist() == pytest.approx(spending["end_rmb_bn"].iloc[:-1].tolist())
    assert (spending["end_rmb_bn"] - spending["start_rmb_bn"]).tolist() == pytest.approx(
        spending["amount_rmb_bn"].tolist())
    # Chips (S3-05, S4-02: 85 bn RMB) split by the imported share; the remainder is fleet()'s.
    chips = -spending["amount_rmb_bn"].iloc[:2].sum()
    assert chips == pytest.approx(defaults["ai_processor_budget_2026_rmb_bn"], rel=EXACT)
    assert w["amount_rmb_bn"].iloc[-1] == pytest.approx(f.unallocated_budget_rmb_bn, rel=EXACT)
    assert w["amount_rmb_bn"].iloc[0] == defaults["ai_budget_2026_rmb_bn"]
    assert w["amount_rmb_bn"].sum() - w["amount_rmb_bn"].iloc[-1] == pytest.approx(f.unallocated_budget_rmb_bn)


def test_budget_waterfall_rejects_draws(defaults):
    draws = {**defaults, "server_overhead_ratio": np.array([0.5, 0.7])}
    with pytest.raises(ReportError, match="must be a single value here, not an array of 2 draws"):
        report.capex.budget_waterfall(draws)


def test_site_comparison_datong_144_mw_seed_000(defaults):
    f = _fleet(defaults)
    summary = _summary(pd.DataFrame({name: np.full(3, float(f[name])) for name in f}))
    sites = report.capex.site_comparison(summary, defaults)
    datong = sites[sites["site"] == "Datong site"].set_index("item")
    # S0-28: >12,000 racks x 12 kW = 144 MW IT (NOTES s3 item 4); facility at the chapter's PUE.
    assert datong.loc["IT power", "p50"] == pytest.approx(144, rel=EXACT)
    assert datong.loc["Facility power", "p50"] == pytest.approx(144 * defaults["pue"], rel=EXACT)
    assert datong.loc["Server racks", "p50"] == 12_000
    fleet_rows = sites[sites["site"] == "2026 fleet"].set_index("item")
    assert fleet_rows.loc["Server racks", "p50"] == pytest.approx(f.racks, rel=EXACT)
    assert fleet_rows.loc["IT power", "p90"] == pytest.approx(f.it_power_mw, rel=EXACT)
    assert set(sites["measure"]) == {"power_mw", "racks"}


def test_spending_comparison_seed_values(defaults):
    f = _fleet(defaults)
    columns = {name: np.full(3, float(f[name])) for name in f}
    columns.update({name: np.full(3, float(defaults[name])) for name in
                    ("us_hyperscaler_capex_2025_usd_bn", "revenue_2024_usd_bn", "net_profit_2024_usd_bn")})
    # S2-21 / S2-22: Google +USD 8 bn, Meta +USD 4 bn in one round of guidance raises.
    table = report.capex.spending_comparison(_summary(pd.DataFrame(columns)), 8, 4).set_index("item")
    assert table.loc["US big four: 2025 capex", "p50"] == 300  # S3-06
    assert table.loc["ByteDance: 2024 revenue", "p50"] == 155  # S0-20
    assert table.loc["ByteDance: 2024 net profit", "p50"] == 33  # S0-35
    assert table.loc["ByteDance: 2026 AI budget", "p50"] == pytest.approx(22.7, abs=0.05)  # NOTES s3 item 5
    assert table.loc["Alphabet: one guidance raise"].tolist()[1:] == [8.0, 8.0, 8.0]
    assert table.loc["Meta: one guidance raise", "company"] == "US hyperscalers"
    with pytest.raises(ValueError, match="Meta: one guidance raise must be a finite number >= 0"):
        report.capex.spending_comparison(_summary(pd.DataFrame(columns)), 8, -4)


def test_cost_by_depreciation_life_adds_up_to_fleet(defaults):
    table = report.capex.cost_by_depreciation_life(defaults, [4.0, 5.0, 6.0])
    assert table["life_years"].tolist() == [4.0] * 3 + [5.0] * 3 + [6.0] * 3
    for life, part in table.groupby("life_years"):
        f = _fleet({**defaults, "depreciation_life_years": life})
        assert part["annual_usd_bn"].sum() == pytest.approx(f.annual_cost_usd_bn, rel=1e-12)
        assert part["usd_per_gpu_hour"].sum() == pytest.approx(f.cost_per_gpu_hour_usd, rel=1e-9)
        it = part.set_index("component").loc["Chips, servers, networking", "annual_usd_bn"]
        crf = capex.capital_recovery_factor(defaults["cost_of_capital"], life)
        assert it == pytest.approx(f.it_capex_rmb_bn / defaults["rmb_per_usd"] * crf, rel=1e-12)
    # Electricity and the buildings do not depend on the IT life.
    for component in ("Electricity", "Buildings"):
        assert table[table["component"] == component]["annual_usd_bn"].nunique() == 1


def test_results_markdown_lists_reported_outputs(defaults):
    f = _fleet(defaults)
    summary = _summary(pd.DataFrame({name: np.linspace(0.5, 1.5, 11) * float(f[name]) for name in f}))
    text = report.capex.results_markdown(summary)
    lines = text.splitlines()
    assert lines[0] == "| result | unit | P10 | P50 | P90 |"
    assert len(lines) == 2 + len(report.capex.RESULTS)
    assert set(report.capex.RESULTS) <= set(capex.Fleet._names())
    # Peak compute is shown in EFLOP/s: 1e18 FLOP/s.
    bf16 = next(line for line in lines if line.startswith("| Peak dense BF16"))
    assert f"| {formatting.format_significant(f.peak_bf16_flops / 1e18, 3)} |" in bf16


def test_multiple_of_tolerates_a_zero_reference():
    # a scenario with the 2026 budget equal to 2025's has no increase to compare with
    assert capex.multiple_of(8.0, 2.0) == 4.0
    assert capex.multiple_of(8.0, 0.0) == np.inf
    assert np.isnan(capex.multiple_of(0.0, 0.0))
    np.testing.assert_array_equal(capex.multiple_of(np.array([2.0, 4.0]), 2.0), [1.0, 2.0])
