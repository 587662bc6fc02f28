"""Each chapter's headline numbers, computed in-process from parameter values.

The same functions the chapters call, evaluated without running a notebook: the
comparison page of a scenario book, `python -m analysis compare` and
`python -m analysis sweep` all use them, so they agree with the chapters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..inputs import registry as params_mod
from ..models import chain, uncertainty
from ..models.units import PERCENT
from .formatting import format_signed, format_significant
from .outputs import OUTPUTS


@dataclass(frozen=True)
class Headline:
    chapter: str
    output: str
    label: str
    unit: str


# chapter -> (the chain stage it reports, its headline outputs; labels and units in the output registry)
MODELS = {
    "capex": ("fleet", ["accelerators", "it_power_mw", "annual_cost_usd_bn", "cost_per_gpu_hour_usd"]),
    "tokens": ("traffic", ["accelerators_needed", "cost_per_m_tokens_usd", "app_annual_serving_cost_rmb_bn"]),
    "emissions": ("emissions", ["annual_emissions_t", "credit_coverage_days", "energy_per_query_wh"]),
    "flywheel": ("flywheel", ["breakeven_yield_uplift", "cumulative_net_rmb_bn"]),
}


def stage_draws(P: params_mod.Params, stage: str, n: int = uncertainty.DRAWS) -> pd.DataFrame:
    """The Monte Carlo of one stage of the chain, as a chapter runs it: `n` draws of every uncertain
    input the stage reads (`P.for_stage`), inputs that move together drawn together
    (`P.groups`), through `chain.model(stage)`. Seeded: the same call gives the same draws, so
    the front page and the chapter that argues a number show the same range.
    """
    return uncertainty.simulate(chain.model(stage), P.for_stage(stage), P.registry, n=n, groups=P.groups(stage))


def headline_table(summaries: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every headline's P10, P50 and P90 from each chapter's summary (`uncertainty.summarize` of
    `stage_draws`), by chapter name, with the range relative to the P50 for one chart of all.

    Columns: chapter, output, label, unit, p10, p50, p90 (the model's units), low, high (the P10
    and P90 as a change from the P50, in % of its size: (p - p50) / |p50| x 100), text (the P50
    and range as the chapters write them, `outputs.Output.range_text`).
    """
    rows = []
    for h in headlines():
        p10, p50, p90 = (float(summaries[h.chapter].loc[h.output, k]) for k in ("p10", "p50", "p90"))
        rows.append({"chapter": h.chapter, "output": h.output, "label": h.label, "unit": h.unit,
                     "p10": p10, "p50": p50, "p90": p90,
                     "low": (p10 - p50) / abs(p50) * PERCENT, "high": (p90 - p50) / abs(p50) * PERCENT,
                     "text": OUTPUTS[h.output].range_text(p10, p50, p90)})
    return pd.DataFrame(rows)


def headline_chart(table: pd.DataFrame):
    """All headlines on one axis: each one's P10 to P90 as a change from its P50, in percent."""
    import altair as alt

    from . import charts

    data = table.assign(headline=table["label"] + ": " + table["text"],
                        p50=0.0)[["chapter", "headline", "low", "p50", "high"]].round(4)
    base = alt.Chart(data).encode(y=alt.Y("headline:N", sort=None, title=None,
                                          axis=alt.Axis(labelLimit=460, labelExpr=charts.two_line_labels(60))),
                                  color=alt.Color("chapter:N", title="Chapter"),
                                  tooltip=["chapter", "headline", "low", "high"])
    x_title = "P10 to P90, change from the P50 (% of the P50)"
    chart = alt.layer(
        base.mark_rule(strokeWidth=3).encode(x=alt.X("low:Q", title=x_title), x2="high:Q"),
        base.mark_point(filled=True, size=70).encode(x=alt.X("p50:Q", title=x_title)),
    ).properties(width=300, height=alt.Step(34))
    return charts.finish(chart, title="The book's headlines and how uncertain each is",
                         subtitle="Each result's P10 to P90 around its P50 (at 0), in % of the P50",
                         source="Each chapter's Monte Carlo (analysis.report.headlines.stage_draws); "
                                "ranges in data/parameters/")


def headlines() -> list[Headline]:
    """Every headline, chapter by chapter, with the label and model unit of `analysis.report.outputs`."""
    return [Headline(chapter, name, OUTPUTS[name].label, OUTPUTS[name].unit)
            for chapter, (_, names) in MODELS.items() for name in names]


def evaluate(values: Mapping[str, object]) -> pd.DataFrame:
    """Every headline for these parameter values (scalars, or arrays of one length).

    Parameters not given keep their defaults. One row per headline (and per array
    element, with a `step` column, when arrays are given).
    """
    full = {**params_mod.registry().defaults(), **values}
    steps = max([np.size(v) for v in values.values()] or [1])
    results = chain.evaluate(full, *(stage for stage, _ in MODELS.values()))  # once: one fleet for all
    rows = []
    for h in headlines():
        value = np.broadcast_to(np.asarray(results[MODELS[h.chapter][0]][h.output], dtype=float), (steps,))
        for step, v in enumerate(value):
            rows.append({"chapter": h.chapter, "output": h.output, "label": h.label, "unit": h.unit,
                         "step": step, "value": float(v)})
    return pd.DataFrame(rows)


def compare(named_values: Mapping[str, Mapping[str, object]]) -> pd.DataFrame:
    """Headlines for the baseline and each named scenario, with differences from the baseline."""
    table = evaluate({}).drop(columns="step").rename(columns={"value": "baseline"})
    for name, values in named_values.items():
        scen = evaluate(values)["value"].to_numpy()
        table[name] = scen
        table[f"{name} - baseline"] = scen - table["baseline"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            table[f"{name} vs baseline (%)"] = 100 * (scen / table["baseline"].to_numpy() - 1)
    return table


COMPARE_DIGITS = 4  # significant figures of a comparison: enough to see a small change


def comparison_display(table: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """`compare`'s table as a reader sees it: text cells, each headline in its output's table unit.

    Columns: chapter, headline, unit, baseline, then for each scenario in `names`: its value,
    "<name> - baseline" (signed) and "<name> vs baseline (%)" (signed). Numbers have
    `COMPARE_DIGITS` significant figures, thousands separators and no exponent
    (`formatting.format_significant`); units as the output registry shows them (e.g. Mt CO2e, %, days).
    """
    out = [OUTPUTS[name] for name in table["output"]]

    def column(values, write=format_significant) -> list[str]:
        return [write(o.table_value(v), COMPARE_DIGITS) for o, v in zip(out, values)]

    shown = pd.DataFrame({"chapter": table["chapter"].to_numpy(), "headline": [o.label for o in out],
                          "unit": [o.table_unit for o in out], "baseline": column(table["baseline"])})
    for name in names:
        shown[name] = column(table[name])
        shown[f"{name} - baseline"] = column(table[f"{name} - baseline"], format_signed)
        shown[f"{name} vs baseline (%)"] = [f"{format_signed(v, 3)}%" for v in table[f"{name} vs baseline (%)"]]
    return shown


def comparison_markdown(table: pd.DataFrame, name: str) -> str:
    """`compare`'s table for one scenario as a Markdown table (the scenario book's comparison page)."""
    lines = ["| chapter | headline | unit | baseline | scenario | difference | change |",
             "|---|---|---|---:|---:|---:|---:|"]
    lines += ["| " + " | ".join(row) + " |" for row in comparison_display(table, [name]).itertuples(index=False)]
    return "\n".join(lines)


def comparison_chart(table: pd.DataFrame, name: str):
    """Each headline's change from the baseline in one scenario, in percent."""
    import altair as alt

    from . import charts

    pct = f"{name} vs baseline (%)"
    data = table.assign(change=table[pct].fillna(0.0).round(2))[["chapter", "label", "change"]]
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", sort=None, title=None),
        x=alt.X("change:Q", title="Change from baseline (%)"),
        color=alt.Color("chapter:N", title="Chapter"),
        tooltip=["chapter", "label", "change"],
    ).properties(height=alt.Step(22))
    return charts.finish(chart, title=f"Headline results: scenario {name} against the baseline",
                         source="This book's models (analysis.headlines)")


def parse_sweep(spec: str) -> tuple[str, np.ndarray]:
    """`NAME=LOW:HIGH:STEPS` -> (name, values), checked against the registry."""
    name, sep, rng = spec.partition("=")
    parts = rng.split(":")
    if not sep or len(parts) != 3:
        raise ParameterError(f"Cannot read sweep {spec!r}; write it as NAME=LOW:HIGH:STEPS, e.g. pue=1.1:1.5:41")
    reg = params_mod.registry()
    low = reg.coerce(name.strip(), parts[0], origin="sweep low")
    high = reg.coerce(name.strip(), parts[1], origin="sweep high")
    try:
        steps = int(parts[2])
    except ValueError:
        steps = 0
    if steps < 2 or steps > 100_000:
        raise ParameterError(f"Sweep steps must be a whole number from 2 to 100000, got {parts[2]!r}")
    values = np.linspace(low, high, steps)
    if reg[name.strip()].type == "int":
        values = np.unique(np.round(values).astype(int))
    return name.strip(), values


def sweep(name: str, values: np.ndarray, base: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Every headline as `name` runs through `values` (one vectorized evaluation), tidy."""
    table = evaluate({**(base or {}), name: values})
    table.insert(0, name, np.asarray(values)[table["step"].to_numpy()])
    return table.drop(columns="step")


def sweep_chart(table: pd.DataFrame, name: str, unit: str):
    """Small multiples: each headline against the swept parameter."""
    import altair as alt

    from . import charts

    data = table.assign(panel=table["label"] + " (" + table["unit"] + ")")[[name, "panel", "value"]]
    chart = alt.Chart(data).mark_line(point=len(data) <= 400).encode(
        x=alt.X(f"{name}:Q", title=f"{name} ({unit})"),
        y=alt.Y("value:Q", title="Value (unit in panel title)"),
        tooltip=[name, "panel", alt.Tooltip("value:Q", format=",.4~g")],
    ).properties(width=260, height=160).facet(facet=alt.Facet("panel:N", title=None), columns=3
                                              ).resolve_scale(y="independent")
    return charts.finish(chart, title=f"Headline results as {name} varies",
                         source="This book's models (analysis.models.chain), other parameters as given")
