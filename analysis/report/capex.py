"""What the compute-capex chapter shows: its results table and the tidy tables behind its charts.

They take the chapter's parameter values (scalars, not draws) and/or the P10/P50/P90
table `uncertainty.summarize` makes of `fleet` draws (outputs and inputs alike).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..models import capex, chain
from ..models.units import FLOPS_PER_EFLOPS, HOURS_PER_YEAR, USD_PER_BN
from ..models.validation import non_negative as _non_negative
from .formatting import format_significant

REPORTED_OUTPUTS = {
    # output: (label, unit, divisor from the output's unit to the shown one)
    "accelerators": ("Accelerators", "count", 1),
    "imported_accelerators": ("of which imported (H200-class)", "count", 1),
    "domestic_accelerators": ("of which domestic", "count", 1),
    "peak_bf16_flops": ("Peak dense BF16 compute", "EFLOP/s", FLOPS_PER_EFLOPS),
    "peak_fp8_flops": ("Peak dense FP8 compute", "EFLOP/s", FLOPS_PER_EFLOPS),
    "it_power_mw": ("IT power (servers at rated power)", "MW", 1),
    "facility_power_mw": ("Facility power (IT x PUE)", "MW", 1),
    "annual_energy_gwh": ("Annual energy", "GWh", 1),
    "racks": ("Racks", "count", 1),
    "unallocated_budget_rmb_bn": ("Budget left after chips, servers and buildings", "RMB bn", 1),
    "annual_cost_usd_bn": ("Annual cost: depreciation + electricity", "USD bn", 1),
    "cost_per_gpu_hour_usd": ("Cost per GPU-hour of use", "USD", 1),
}
"""The outputs `results_markdown` lists, with their label and displayed unit."""


def results_markdown(summary, significant_digits: int) -> str:
    """A Markdown table of the outputs in REPORTED_OUTPUTS: label, unit, P10, P50, P90.

    `summary` is `uncertainty.summarize(fleet draws)` (index: output names;
    columns p10, p50, p90).
    """
    rows = ["| result | unit | P10 | P50 | P90 |", "|---|---|--:|--:|--:|"]
    for name, (label, unit, divisor) in REPORTED_OUTPUTS.items():
        cells = [format_significant(summary.loc[name, col] / divisor, significant_digits)
                 for col in ("p10", "p50", "p90")]
        rows.append(f"| {label} | {unit} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _scalar(name: str, value) -> float:
    if np.ndim(value):
        raise ValueError(f"{name} must be a single value here, not an array of {np.size(value)} draws")
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
    """Annual cost and cost per GPU-hour, split into depreciation and electricity, per depreciation life.

    For each life L: `fleet` with depreciation_life_years = L; per GPU-hour =
    annual amount / (accelerators x 8,760 h x fleet_utilization), so the two
    components add up to `cost_per_gpu_hour_usd`. Scalar parameters only.
    Columns: life_years, component ('Depreciation' or 'Electricity'),
    annual_usd_bn, usd_per_gpu_hour.
    """
    rows = []
    for life in life_years:
        f = chain.evaluate({**p, "depreciation_life_years": _scalar("life_years", life)}, "fleet").fleet
        gpu_hours = (_scalar("accelerators", f.accelerators) * HOURS_PER_YEAR
                     * _scalar("fleet_utilization", p["fleet_utilization"]))
        for component, annual in [("Depreciation", f.annual_depreciation_usd_bn),
                                  ("Electricity", f.annual_energy_cost_usd_bn)]:
            rows.append((float(life), component, float(annual), float(annual) * USD_PER_BN / gpu_hours))
    return pd.DataFrame(rows, columns=["life_years", "component", "annual_usd_bn", "usd_per_gpu_hour"])
