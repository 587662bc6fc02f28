"""The registry of reported outputs: how each model result reads on the page.

One entry per model output a chapter reports (a field of a chain stage's result, or a
column a chapter adds to its draws): its label, the unit the model gives it in, how it
is shown (scale, significant figures, format) and how its value reads in a sentence.
Every chapter, the results tables and the headline comparison take the label, unit and
format from here, so an output reads the same wherever it appears.

>>> OUTPUTS["annual_emissions_t"].range_text(0.512e6, 0.634e6, 0.781e6)
'0.63 Mt CO2e (P10–P90 0.51–0.78)'

A table (`compare`, a chapter's results table) gives the unit a column of its own:

>>> out = OUTPUTS["breakeven_yield_uplift"]
>>> out.table_unit, round(out.table_value(0.2046), 2)
('%', 20.46)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ReportError
from ..models.units import COUNT_PER_M, FLOPS_PER_EFLOPS, PERCENT, T_PER_MT
from .formatting import round_significant


@dataclass(frozen=True)
class Output:
    """How one model output is shown.

    `unit` is the unit of the model's value; the page shows `value / scale`, rounded to
    `digits` significant figures and formatted with `format` (a Python format spec), in
    `shown_unit`. `text` is how the shown value reads in prose, `{}` standing for it,
    e.g. "USD {} bn".
    """

    label: str
    unit: str
    format: str = ",.0f"
    text: str = "{}"
    scale: float = 1.0
    shown_unit: str = ""
    digits: int = 3

    def __post_init__(self):
        if self.text.count("{}") != 1:
            raise ReportError(f"output text {self.text!r} must hold exactly one '{{}}' for the value")
        if not self.shown_unit:
            object.__setattr__(self, "shown_unit", self.unit)

    @property
    def table_unit(self) -> str:
        """The unit of this output in a table column: `shown_unit`, or "%" when the page shows a percentage."""
        return "%" if self.format.endswith("%") else self.shown_unit

    def table_value(self, value):
        """The model value in `table_unit`, unrounded: value / scale, in percent for a percentage."""
        return value / self.scale * (PERCENT if self.format.endswith("%") else 1.0)

    def shown(self, value) -> float:
        """The model value in the shown unit, rounded to `digits` significant figures."""
        return round_significant(float(value) / self.scale, self.digits)

    def number(self, value) -> str:
        """The shown value as text, without its unit: `format(shown(value), format)`."""
        return format(self.shown(value), self.format)

    def value_text(self, value) -> str:
        """The shown value as it reads in a sentence, with its unit: e.g. 'USD 1.10 bn'."""
        return self.text.format(self.number(value))

    def range_text(self, p10, p50, p90) -> str:
        """A P50 with its P10-P90 range, written once: 'USD 1.10 bn (P10–P90 0.95–1.30)'."""
        return f"{self.value_text(p50)} (P10–P90 {self.number(p10)}–{self.number(p90)})"


_PERCENT = dict(unit="fraction", format=".0%")
_PERCENT_1 = dict(unit="fraction", format=".1%")
_MT = dict(unit="t CO2e", format=".2f", text="{} Mt CO2e", scale=T_PER_MT, shown_unit="Mt CO2e")

OUTPUTS: Mapping[str, Output] = {
    # fleet (analysis.models.capex.fleet)
    "accelerators": Output("Accelerators bought", "count", text="{} accelerators"),
    "imported_accelerators": Output("of which imported (H200-class)", "count"),
    "domestic_accelerators": Output("of which domestic", "count"),
    "peak_bf16_flops": Output("Peak dense BF16 compute", "FLOP/s", text="{} EFLOP/s", scale=FLOPS_PER_EFLOPS,
                              shown_unit="EFLOP/s"),
    "peak_fp8_flops": Output("Peak dense FP8 compute", "FLOP/s", text="{} EFLOP/s", scale=FLOPS_PER_EFLOPS,
                             shown_unit="EFLOP/s"),
    "it_power_mw": Output("Fleet IT power", "MW", text="{} MW"),
    "facility_power_mw": Output("Facility power (IT x PUE)", "MW", text="{} MW"),
    "annual_energy_gwh": Output("Annual energy of the 2026 cohort", "GWh", text="{} GWh"),
    "racks": Output("Racks", "count", text="{} racks"),
    "datong_share_of_fleet_racks": Output("Share of the fleet's racks Datong holds", **_PERCENT),
    "datong_sites": Output("Datong-sized sites the fleet fills", "count", format=".1f", text="{} sites"),
    "unallocated_budget_rmb_bn": Output("Budget left after chips, servers and buildings", "RMB bn",
                                        text="{} bn RMB"),
    "budget_share_of_revenue": Output("2026 budget over 2024 revenue", **_PERCENT_1),
    "budget_share_of_net_profit": Output("2026 budget over 2024 net profit", **_PERCENT),
    "budget_share_of_us_hyperscaler_capex": Output("2026 budget over US hyperscalers' 2025 capex", **_PERCENT_1),
    "installed_accelerators": Output("Accelerators installed before 2026", "count", format=".2f",
                                     text="{} million accelerators", scale=COUNT_PER_M, shown_unit="million"),
    "whole_fleet_accelerators": Output("Whole fleet's accelerators (installed and 2026)", "count", format=".2f",
                                       text="{} million accelerators", scale=COUNT_PER_M, shown_unit="million"),
    "installed_peak_bf16_flops": Output("Installed base's peak dense BF16 compute", "FLOP/s", text="{} EFLOP/s",
                                        scale=FLOPS_PER_EFLOPS, shown_unit="EFLOP/s"),
    "installed_it_power_mw": Output("Installed base's IT power", "MW", text="{} MW"),
    "whole_fleet_it_power_mw": Output("Whole fleet's IT power", "MW", text="{} MW"),
    "compute_growth_2026": Output("Whole fleet's compute over the installed base's", "ratio", format=".1f",
                                  text="{} times"),
    "annual_cost_usd_bn": Output("Annual cost (capital and power)", "USD bn", format=".2f", text="USD {} bn"),
    "cost_per_gpu_hour_usd": Output("Cost per GPU-hour", "USD", format=".2f", text="USD {} per GPU-hour"),
    # traffic (analysis.models.tokens.economics)
    "accelerators_needed": Output("Accelerators needed to serve the tokens", "count", format=".2f",
                                  text="{} million accelerators", scale=COUNT_PER_M, shown_unit="million"),
    "accelerators_busy_average": Output("Accelerators busy on average", "count", format=".2f",
                                        text="{} million accelerators", scale=COUNT_PER_M, shown_unit="million"),
    "fleet_accelerators": Output("Accelerators of the whole fleet", "count", format=".2f",
                                 text="{} million accelerators", scale=COUNT_PER_M, shown_unit="million"),
    "share_of_fleet_needed": Output("Share of the whole fleet's compute serving needs", **_PERCENT),
    "share_of_installed_fleet_needed": Output("Share of the installed base's compute serving needs", **_PERCENT),
    "months_to_fill_fleet": Output("Months until serving needs the whole fleet", "months", format=".0f",
                                   text="{} months"),
    "cost_per_m_tokens_usd": Output("Serving cost per million tokens", "USD", format=".2f",
                                    text="USD {} per million tokens"),
    "cost_per_m_tokens_rmb": Output("Serving cost per million tokens", "RMB", format=".2f", text="{} RMB"),
    "blended_price_per_m_tokens_rmb": Output("Blended list price per million tokens", "RMB", format=".2f",
                                             text="{} RMB"),
    "price_to_cost_ratio": Output("List price over serving cost", "ratio", format=".1f"),
    "breakeven_utilization": Output("Utilization at which list prices cover cost", **_PERCENT),
    "app_annual_serving_cost_rmb_bn": Output("Free app's annual serving cost", "RMB bn", format=".1f",
                                             text="{} bn RMB"),
    "app_serving_cost_share_of_burn": Output("App serving cost over the seed's burn", **_PERCENT),
    "api_annual_revenue_rmb_bn": Output("Paid API's annual revenue at list prices", "RMB bn", format=".1f",
                                        text="{} bn RMB"),
    # emissions (analysis.models.emissions.footprint)
    "annual_emissions_t": Output("Fleet emissions a year (market-based)", **_MT),
    "gross_annual_emissions_t": Output("Fleet emissions a year (location-based)", **_MT),
    "cohort_annual_emissions_t": Output("2026 cohort's emissions a year (market-based)", **_MT),
    "whole_fleet_annual_energy_gwh": Output("Whole fleet's annual energy", "GWh", text="{} GWh"),
    "grid_factor_fleet_year_kg_per_kwh": Output("Grid factor in 2026 (location-based)", "kg CO2 per kWh",
                                                format=".3f", text="{} kg CO2 per kWh"),
    "green_power_avoided_t": Output("Emissions the green power avoids a year", **_MT),
    "gross_emissions_2030_t": Output("Gross emissions in 2030", **_MT),
    "offset_2030_t": Output("Emissions to offset in 2030", **_MT),
    "credit_coverage_years": Output("Years of emissions the credits cover", "years", format=".2f"),
    "credit_coverage_days": Output("Days of emissions the credits cover", "days", format=".0f", text="{} days"),
    "credit_share_of_offset_2030": Output("Share of the 2030 offset the credits cover", **_PERCENT),
    "energy_per_thousand_tokens_wh": Output("Energy per thousand tokens", "Wh", format=".3f", text="{} Wh"),
    "energy_per_query_wh": Output("Energy per chatbot query", "Wh", format=".2f", text="{} Wh"),
    "emissions_per_query_g": Output("Emissions per chatbot query", "g CO2e", format=".3f", text="{} g CO2e"),
    # flywheel (analysis.models.flywheel.headline)
    "breakeven_yield_uplift": Output("Break-even ad-yield uplift on matched ads", **_PERCENT),
    "breakeven_uplift_on_all_ad_revenue": Output("Break-even uplift on all domestic ad revenue", **_PERCENT_1),
    "app_cost_rmb_bn": Output("The app's cost in its first year", "RMB bn", text="{} bn RMB"),
    "modelled_cost_share_of_seed_burn": Output("Modelled app cost over the seed's burn", **_PERCENT),
    "extra_ad_revenue_rmb_bn": Output("Extra ad revenue in the first year", "RMB bn", format=",.1f",
                                      text="{} bn RMB"),
    "cumulative_net_rmb_bn": Output("Cumulative net of the flywheel", "RMB bn", text="{} bn RMB"),
}
"""Every reported output by its model name."""


def output(name: str, registry: Mapping[str, Output] | None = None) -> Output:
    """The entry of `name` in `registry` (default `OUTPUTS`); an unknown name is refused with the fix."""
    try:
        return (OUTPUTS if registry is None else registry)[name]
    except KeyError:
        where = f"OUTPUTS in {__name__}" if registry is None else "the chapter's output registry"
        raise ReportError(f"{name!r} is not a reported output; add it to {where} (label, unit, format, text)") from None
