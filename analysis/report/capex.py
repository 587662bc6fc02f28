"""What the compute-capex chapter shows: its results table and the tidy tables behind its charts.

They take the chapter's parameter values (scalars, not draws) and/or the P10/P50/P90
table `uncertainty.summarize` makes of `fleet` draws (outputs and inputs alike).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import ReportError
from ..inputs.data import claim_values

from ..models import capex, chain
from ..models.units import BN_PER_TN, HOURS_PER_YEAR, KW_PER_MW, M_PER_BN, RMB_PER_BN, USD_PER_BN, W_PER_KW
from ..models.validation import non_negative as _non_negative
from .formatting import format_significant, round_significant
from .outputs import OUTPUTS

RESULTS = ["accelerators", "imported_accelerators", "domestic_accelerators", "peak_bf16_flops", "peak_fp8_flops",
           "it_power_mw", "facility_power_mw", "annual_energy_gwh", "racks", "unallocated_budget_rmb_bn",
           "annual_cost_usd_bn", "cost_per_gpu_hour_usd", "installed_accelerators", "installed_peak_bf16_flops",
           "installed_it_power_mw", "whole_fleet_accelerators", "whole_fleet_it_power_mw", "compute_growth_2026"]
"""The outputs `results_markdown` lists; labels and units from the output registry."""


def results_markdown(summary) -> str:
    """A Markdown table of the outputs in RESULTS: label, unit, P10, P50, P90.

    `summary` is `uncertainty.summarize(fleet draws)` (index: output names;
    columns p10, p50, p90). Values in each output's shown unit and significant figures.
    """
    rows = ["| result | unit | P10 | P50 | P90 |", "|---|---|--:|--:|--:|"]
    for name in RESULTS:
        out = OUTPUTS[name]
        cells = [format_significant(out.table_value(summary.loc[name, col]), out.digits) for col in ("p10", "p50", "p90")]
        rows.append(f"| {out.label} | {out.table_unit} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def claim_figures(dataset) -> dict[str, float]:
    """The claims the chapter's text quotes, by the name the text uses.

    Seed 000's servers draw "tens of thousands of kWh per hour" (S0-34); kWh per hour is kW,
    shown here in MW. H100 rental prices (USD per GPU-hour) are Lambda's on-demand price and AWS's
    capacity blocks.
    """
    c = dataset.claims
    figures = claim_values(dataset, {
        "google_raise_usd_bn": "S2-21", "meta_raise_usd_bn": "S2-22", "s2_06_usd_bn": "S2-06",
        "big4_guidance_usd_bn": "X-big4-capex-2025", "reuters_2025_rmb_bn": "X-bytedance-capex-2025-reuters",
        "uptime_pue_2024": "X-uptime-pue-2024", "uptime_pue_new_large": "X-uptime-pue-new-large",
        "renter_low_usd": "X-lambda-h100-on-demand-2026", "renter_high_usd": "X-aws-capacity-block-h100",
        "raised_2026_rmb_bn": "X-bytedance-capex-2026-raised"})
    figures["seed_power_low_mw"] = c["S0-34"].value / KW_PER_MW
    figures["seed_power_high_mw"] = c["S0-34"].value_high / KW_PER_MW
    return figures


def budget_figures(p: Mapping, base: capex.Fleet) -> dict[str, float]:
    """How the budget reads, with every input at its value: growth, the processors' share, USD amounts."""
    return {
        "budget_growth": float(base.budget_growth_fraction),
        "chips_share_of_budget": capex.share_of(p["ai_processor_budget_2026_rmb_bn"], p["ai_budget_2026_rmb_bn"]),
        "budget_usd_bn": float(base.budget_usd_bn),
        "budget_increase_usd_bn": _budget_increase_usd_bn(p),
    }


def _budget_increase_usd_bn(p: Mapping) -> float:
    return capex.rmb_bn_to_usd_bn(p["ai_budget_2026_rmb_bn"] - p["ai_budget_2025_rmb_bn"], p["rmb_per_usd"])


def fleet_figures(p: Mapping, base: capex.Fleet) -> dict[str, float]:
    """The fleet with every input at its value (three significant figures), and the H200 test order
    (claim S3-08) against the processor budget."""
    return {
        "base_imported": round_significant(base.imported_accelerators),
        "base_domestic": round_significant(base.domestic_accelerators),
        "base_accelerators": round_significant(base.accelerators),
        "test_order_usd_bn": p["h200_test_order_units"] * p["h200_unit_price_usd"] / USD_PER_BN,
        "test_order_share": float(base.h200_test_order_share_of_processor_budget),
    }


def datong_figures(p: Mapping, base: capex.Fleet) -> dict[str, float]:
    """The Datong site (claims S0-27, S0-28, S0-38): IT and facility capacity, cost per MW, and
    what its racks would hold filled with H200s, against its capex."""
    it_mw = capex.rack_it_power_mw(p["datong_server_racks"], p["rack_power_kw"])
    h200 = p["datong_server_racks"] * base.imported_accelerators_per_rack
    return {
        "datong_it_mw": float(it_mw),
        "datong_facility_mw": float(capex.facility_power_mw(it_mw, p["pue"])),
        "datong_usd_m_per_mw": float(capex.capex_per_mw_usd_m(p["datong_capex_usd_m"], it_mw)),
        "datong_h200": float(h200),
        "datong_h200_rmb_bn": float(h200 * p["h200_unit_price_usd"] * p["rmb_per_usd"] / RMB_PER_BN),
        "datong_capex_rmb_bn": float(capex.usd_bn_to_rmb_bn(p["datong_capex_usd_m"] / M_PER_BN, p["rmb_per_usd"])),
    }


def rack_figures(p: Mapping, base: capex.Fleet) -> dict[str, float]:
    """What one rack holds: the host overhead per accelerator watt, servers per rack, unused power,
    and the largest domestic accelerator for which two servers still share one rack."""
    host_ratio = capex.host_power_ratio(p["dgx_server_power_kw"], p["h200_power_w"], p["accelerators_per_server"])
    imported_servers = capex.servers_per_rack(p["rack_power_kw"], p["dgx_server_power_kw"])
    return {
        "host_ratio": float(host_ratio),
        "domestic_server_kw": float(capex.estimated_server_power_kw(p["domestic_accelerator_power_w"], host_ratio,
                                                                    p["accelerators_per_server"])),
        "imported_per_rack": float(base.imported_accelerators_per_rack),
        "domestic_per_rack": float(base.domestic_accelerators_per_rack),
        "rack_unused_share": float(1 - imported_servers * p["dgx_server_power_kw"] / p["rack_power_kw"]),
        "two_servers_max_w": float(p["rack_power_kw"] * W_PER_KW / 2 / (p["accelerators_per_server"] * host_ratio)),
    }


def peer_figures(p: Mapping, base: capex.Fleet, us_capex_high_usd_bn: float,
                 google_raise_usd_bn: float) -> dict[str, float]:
    """The budget against US hyperscalers' 2025 capex (claim S3-06; the top of its range) and
    Alphabet's guidance raise (claim S2-21)."""
    return {
        "us_capex_high_usd_bn": us_capex_high_usd_bn,
        "us_capex_rmb_tn": capex.usd_bn_to_rmb_bn(p["us_hyperscaler_capex_2025_usd_bn"], p["rmb_per_usd"])
        / BN_PER_TN,
        "google_raise_share_of_budget": float(google_raise_usd_bn / base.budget_usd_bn),
        "google_raise_over_increase": float(capex.multiple_of(google_raise_usd_bn, _budget_increase_usd_bn(p))),
    }


def life_figures(costs: pd.DataFrame, base: capex.Fleet) -> dict[str, float]:
    """The cost per GPU-hour at the shortest and longest depreciation life of `costs`
    (`cost_by_depreciation_life`), and electricity's share of the annual cost."""
    per_hour = costs.groupby("life_years")["usd_per_gpu_hour"].sum()
    return {
        "life_short": float(per_hour.index[0]),
        "life_long": float(per_hour.index[-1]),
        "gpu_hour_short_life": float(per_hour.iloc[0]),
        "gpu_hour_long_life": float(per_hour.iloc[-1]),
        "energy_share_of_cost": float(base.annual_energy_cost_usd_bn / base.annual_cost_usd_bn),
    }


def _scalar(name: str, value) -> float:
    if np.ndim(value):
        raise ReportError(f"{name} must be a single value here, not an array of {np.size(value)} draws")
    return float(value)


def budget_waterfall(p: Mapping):
    """The 2026 budget spent step by step, in RMB bn, for a waterfall chart.

    budget - imported chips - domestic chips - servers and networking
           - data-centre buildings = unallocated

    Chips split by imported_share_of_processor_budget (claims S3-05, S4-02);
    servers and networking = server_overhead_ratio x chips; buildings at Datong's
    cost per MW (claims S0-27, S0-28), as in `fleet`. A negative unallocated
    amount means the budget does not cover them. Scalar parameters only.
    Columns: step, order, kind ('budget', 'spending' or 'remainder'),
    amount_rmb_bn (spending negative), start_rmb_bn, end_rmb_bn.
    """
    f = chain.evaluate(p, "fleet").fleet
    chips = _scalar("ai_processor_budget_2026_rmb_bn", p["ai_processor_budget_2026_rmb_bn"])
    share = _scalar("imported_share_of_processor_budget", p["imported_share_of_processor_budget"])
    budget = _scalar("ai_budget_2026_rmb_bn", p["ai_budget_2026_rmb_bn"])
    spending = [
        ("Imported chips (H200-class)", chips * share),
        ("Domestic chips", chips * (1 - share)),
        ("Servers and networking", _scalar("it_capex_rmb_bn", f.it_capex_rmb_bn) - chips),
        ("Data-centre buildings", _scalar("facility_capex_rmb_bn", f.facility_capex_rmb_bn)),
    ]
    rows = [("2026 AI budget", "budget", budget, 0.0, budget)]
    level = budget
    for step, amount in spending:
        rows.append((step, "spending", -amount, level, level - amount))
        level -= amount
    rows.append(("Unallocated", "remainder", level, 0.0, level))
    frame = pd.DataFrame(rows, columns=["step", "kind", "amount_rmb_bn", "start_rmb_bn", "end_rmb_bn"])
    frame.insert(1, "order", range(len(frame)))
    return frame


def site_comparison(summary, p: Mapping):
    """The fleet's power and racks (P10/P50/P90) beside the capacity of the Datong site.

    Datong IT power = datong_server_racks x rack_power_kw (claim S0-28); its
    facility power at the same PUE as the fleet. `summary` is
    `uncertainty.summarize(fleet draws)`; `p` holds the chapter's parameter values.
    Columns: measure ('power_mw' or 'racks'), item, site ('2026 fleet' or
    'Datong site'), p10, p50, p90 (equal for Datong, whose inputs are fixed).
    """
    racks = _scalar("datong_server_racks", p["datong_server_racks"])
    it_mw = capex.rack_it_power_mw(racks, _scalar("rack_power_kw", p["rack_power_kw"]))
    facility_mw = capex.facility_power_mw(it_mw, _scalar("pue", p["pue"]))
    rows = []
    for measure, item, output, datong in [("power_mw", "IT power", "it_power_mw", it_mw),
                                          ("power_mw", "Facility power", "facility_power_mw", facility_mw),
                                          ("racks", "Server racks", "racks", racks)]:
        fleet_row = summary.loc[output]
        rows.append((measure, item, "2026 fleet", *(float(fleet_row[c]) for c in ("p10", "p50", "p90"))))
        rows.append((measure, item, "Datong site", datong, datong, datong))
    return pd.DataFrame(rows, columns=["measure", "item", "site", "p10", "p50", "p90"])


def spending_comparison(summary, google_raise_usd_bn, meta_raise_usd_bn):
    """ByteDance's 2026 budget beside US hyperscaler capex and its own revenue and profit, in USD bn.

    `summary` is `uncertainty.summarize` of the fleet draws joined with the input
    draws (`uncertainty.sample`), so that it has rows for budget_usd_bn,
    us_hyperscaler_capex_2025_usd_bn (the "big four": Microsoft, Alphabet, Amazon,
    Meta; claim S3-06), revenue_2024_usd_bn (S0-20) and net_profit_2024_usd_bn
    (S0-35). The two guidance raises are claim values (S2-21, S2-22), without a
    range. Columns: item, company ('ByteDance' or 'US hyperscalers'), p10, p50, p90.
    """
    rows = []
    for item, company, output in [
        ("US big four: 2025 capex", "US hyperscalers", "us_hyperscaler_capex_2025_usd_bn"),
        ("ByteDance: 2024 revenue", "ByteDance", "revenue_2024_usd_bn"),
        ("ByteDance: 2024 net profit", "ByteDance", "net_profit_2024_usd_bn"),
        ("ByteDance: 2026 AI budget", "ByteDance", "budget_usd_bn"),
    ]:
        row = summary.loc[output]
        rows.append((item, company, *(float(row[c]) for c in ("p10", "p50", "p90"))))
    for item, value in [("Alphabet: one guidance raise", google_raise_usd_bn),
                        ("Meta: one guidance raise", meta_raise_usd_bn)]:
        value = _scalar(item, value)
        _non_negative(item, value)
        rows.append((item, "US hyperscalers", value, value, value))
    return pd.DataFrame(rows, columns=["item", "company", "p10", "p50", "p90"])


def cost_by_depreciation_life(p: Mapping, life_years):
    """Annual cost and cost per GPU-hour, split into IT capital, buildings and electricity, per IT life.

    For each life L: `fleet` with depreciation_life_years = L; per GPU-hour =
    annual amount / (accelerators x 8,760 h x fleet_utilization), so the three
    components add up to `cost_per_gpu_hour_usd`. Capital is recovered with interest
    at cost_of_capital. Scalar parameters only. Columns: life_years, component
    ('Chips, servers, networking', 'Buildings' or 'Electricity'), annual_usd_bn, usd_per_gpu_hour.
    """
    rows = []
    for life in life_years:
        f = chain.evaluate({**p, "depreciation_life_years": _scalar("life_years", life)}, "fleet").fleet
        gpu_hours = (_scalar("accelerators", f.accelerators) * HOURS_PER_YEAR
                     * _scalar("fleet_utilization", p["fleet_utilization"]))
        for component, annual in [("Chips, servers, networking", f.annual_it_capital_usd_bn),
                                  ("Buildings", f.annual_facility_capital_usd_bn),
                                  ("Electricity", f.annual_energy_cost_usd_bn)]:
            rows.append((float(life), component, float(annual), float(annual) * USD_PER_BN / gpu_hours))
    return pd.DataFrame(rows, columns=["life_years", "component", "annual_usd_bn", "usd_per_gpu_hour"])
