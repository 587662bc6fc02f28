"""One Altair look for the book, and a renderer that works offline.

Every chart the book shows goes through `finish()`, which insists on a title, a
source line and units on the quantitative axes, and through the "book" renderer,
which writes a small HTML block: a container, the spec (as JSON data, not code) and
links to download the chart's data as CSV and its spec as JSON. One script in the
book's static files, `_static/book-charts.js`, draws every chart of a page with the
locally served vega-embed (`_static/vega/vega-bundle.js`, built from the
vl-convert-python package, never a CDN) and makes those links from the spec.

Call `enable()` once per notebook (the chapters' setup call does).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
from collections.abc import Mapping
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from ..errors import ReportError
from ..inputs.paths import REPO_ROOT

RENDERER = "book"
THEME = "book"
WIDTH = 640
# One palette across all charts (Okabe-Ito, readable with colour-vision deficiencies).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# The script that draws every chart of a page, once in the book's static files.
CHART_SCRIPT = Path("_static") / "book-charts.js"



def theme() -> alt.theme.ThemeConfig:
    """The book's chart style: palette, fonts, sizes."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": 320, "stroke": None},
            "range": {"category": PALETTE},
            "mark": {"color": PALETTE[0]},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "subtitleColor": "#555"},
            # labelSeparation: tick labels closer than this are thinned out, never left touching.
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e6e6e6", "labelSeparation": 6},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
        }
    }


def _slug(text: str) -> str:
    cleaned = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in cleaned.split("-") if part)[:48] or "chart"


def _json_safe(value):
    """`value` with every NaN or infinite float replaced by None, for strict JSON."""
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


def render_html(spec: dict, note: str = "") -> str:
    """The HTML block for one chart spec; deterministic (the element id hashes the spec).

    `note` is added to the caption, e.g. the parameters that differ from the baseline.
    """
    # Keys keep Altair's order (deterministic: it follows the DataFrame's columns), so the CSV
    # download lists columns as the chart's data has them, not alphabetically.
    # Strict JSON (the page parses it): a missing value (NaN, infinite) is null, as Vega-Lite reads it.
    text = json.dumps(_json_safe(spec), separators=(",", ":"), allow_nan=False)
    title = spec.get("title", {})
    title_text = title.get("text", "chart") if isinstance(title, dict) else str(title)
    if isinstance(title_text, list):
        title_text = " ".join(title_text)
    name = _slug(title_text)
    chart_id = f"chart-{name}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    source = (spec.get("usermeta") or {}).get("source", "")
    safe_json = text.replace("</", "<\\/")  # the spec cannot close its script element
    return (
        f'<figure class="book-chart">\n<div id="{chart_id}" class="book-chart-view"></div>\n'
        f'<figcaption class="book-chart-caption">Source: {html.escape(source)}'
        + (f' <span class="book-chart-note">{html.escape(note)}</span>' if note else "") +
        f'<span id="{chart_id}-downloads" class="book-chart-downloads"> · '
        f'<a class="csv" download="{name}.csv">Data (CSV)</a> · '
        f'<a class="json" download="{name}.vl.json">Spec (JSON)</a></span></figcaption>\n'
        f'<script type="application/json" id="{chart_id}-spec">{safe_json}</script>\n</figure>'
    )


def _renderer(spec: dict, note: str = "", **_: object) -> dict:
    return {"text/html": render_html(spec, note), "text/plain": f"<chart: {spec.get('title', {})}>"}


def changed_note(params: Mapping | None) -> str:
    """The caption note for charts drawn with parameters that differ from the baseline."""
    changed = params.changed() if params is not None and hasattr(params, "changed") else {}
    if not changed:
        return ""
    return "Parameters differing from the baseline: " + ", ".join(
        f"{name} = {value:g}" for name, value in sorted(changed.items())) + "."


def enable(params: Mapping | None = None) -> None:
    """Use the book's theme and offline renderer for every chart shown afterwards.

    Pass the chapter's validated parameters (`params.from_namespace(...)`) so every
    chart's caption says which of them differ from the baseline, if any.
    """
    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(theme)
    alt.theme.enable(THEME)
    alt.renderers.register(RENDERER, functools.partial(_renderer, note=changed_note(params)))
    alt.renderers.enable(RENDERER)


def _axis_titles(spec: dict) -> list[tuple[str, str]]:
    found = []
    for layer in [spec, *spec.get("layer", []), *spec.get("hconcat", []), *spec.get("vconcat", [])]:
        for channel in ("x", "y"):
            enc = (layer.get("encoding") or {}).get(channel)
            if isinstance(enc, dict) and enc.get("type") == "quantitative":
                found.append((channel, str(enc.get("title", enc.get("field", "")))))
    return found


def finish(chart: alt.TopLevelMixin, title: str, source: str, subtitle: str | None = None) -> alt.TopLevelMixin:
    """Give a chart its title and source line, and check its quantitative axes name a unit.

    A quantitative x or y axis needs a title with the unit in parentheses, e.g.
    "Power (MW)"; write "(ratio)" or "(count)" for unitless quantities.
    """
    if not title or not source:
        raise ReportError("every chart needs a title and a source line")
    titled = chart.properties(title=alt.Title(title, subtitle=subtitle) if subtitle else title,
                              usermeta={"source": source})
    for channel, axis_title in _axis_titles(titled.to_dict(validate=False)):
        if "(" not in axis_title or not axis_title.rstrip().endswith(")"):
            raise ReportError(
                f"chart {title!r}: the {channel} axis title {axis_title!r} needs its unit in parentheses, "
                f"e.g. 'Power (MW)'"
            )
    return titled


TORNADO_ENDS = {"output_at_low": "Input at its low end", "output_at_high": "Input at its high end"}


def tornado_chart(table, output_label: str, source: str, title: str):
    """The sensitivity chart of a headline result, from `uncertainty.tornado`'s table.

    One row per input, shown by its label (its name is in the tooltip). Each row has two
    bars from the baseline result: to the result with the input at its low end, and at its
    high end, in two colours, so the chart shows which way each input moves the result.
    """
    rows = table[["label", "parameter", "unit", "low", "high", *TORNADO_ENDS, "baseline"]]
    end = "datum.end === 'output_at_low' ? '{}' : '{}'".format(*TORNADO_ENDS.values())
    ends = alt.Chart(rows).transform_fold(list(TORNADO_ENDS), as_=["end", "result"]).transform_calculate(end=end)
    bars = ends.mark_bar().encode(
        y=alt.Y("label:N", sort=list(rows["label"]), title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("baseline:Q", title=output_label),
        x2="result:Q",
        color=alt.Color("end:N", title=None, sort=list(TORNADO_ENDS.values()),
                        scale=alt.Scale(range=[PALETTE[1], PALETTE[0]])),
        tooltip=[alt.Tooltip("label:N", title="input"), alt.Tooltip("parameter:N", title="parameter"),
                 "low", "high", "unit", alt.Tooltip("end:N", title="set to"),
                 alt.Tooltip("result:Q", title="result", format=",.3~g")],
    )
    base = alt.Chart(rows).mark_rule(color=PALETTE[7], strokeDash=[4, 3]).encode(
        x=alt.X("mean(baseline):Q", title=output_label))
    return finish(alt.layer(bars, base), title=title, source=source,
                  subtitle="Each input alone at the low or high end of its range; dashed line: all at their values")


SOBOL_ORDERS = {"first_order": "First order (alone)", "total_order": "Total order (with interactions)"}
SOBOL_ROWS = 12  # inputs shown: the rest explain little of the variance


def sobol_chart(table, title: str, source: str, n: int = SOBOL_ROWS):
    """The global sensitivity chart of a headline result, from `sensitivity.sobol_indices`'s table.

    One row per input or group of inputs that move together (by its label; the parameters are
    in the tooltip), the `n` largest by total order: two bars, the first-order index (the share
    of the output's variance the input explains alone) and the total-order one (with its
    interactions), and the bootstrap confidence interval of each as a rule where the table has one.
    Inputs with no effect (a total-order index of 0: the output never changed when they did) are left out.
    """
    rows = table[table["total_order"] > 0].head(n)
    has_intervals = {"first_order_low", "total_order_high"} <= set(rows.columns)
    long = []
    for _, row in rows.iterrows():
        for order, name in SOBOL_ORDERS.items():
            long.append({"label": row["label"], "parameter": row["parameter"], "order": name,
                         "index": float(row[order]),
                         "low": float(row[f"{order}_low"]) if has_intervals else np.nan,
                         "high": float(row[f"{order}_high"]) if has_intervals else np.nan})
    frame = pd.DataFrame(long)
    x_title = "Share of the output's variance (fraction)"
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", sort=list(rows["label"]), title=None, axis=alt.Axis(labelLimit=320)),
        yOffset=alt.YOffset("order:N", sort=list(SOBOL_ORDERS.values())))
    bars = base.mark_bar().encode(
        x=alt.X("index:Q", title=x_title),
        color=alt.Color("order:N", title=None, sort=list(SOBOL_ORDERS.values()),
                        scale=alt.Scale(range=[PALETTE[4], PALETTE[0]])),
        tooltip=[alt.Tooltip("label:N", title="input"), alt.Tooltip("parameter:N", title="parameters"),
                 alt.Tooltip("order:N", title="index"), alt.Tooltip("index:Q", title="share", format=".3f"),
                 alt.Tooltip("low:Q", title="low", format=".3f"), alt.Tooltip("high:Q", title="high", format=".3f")])
    layers = [bars]
    subtitle = "Sobol' indices over the inputs' joint distribution; inputs that move together count as one"
    if has_intervals:
        layers.append(base.mark_rule(color=PALETTE[7]).encode(x=alt.X("low:Q", title=x_title), x2="high:Q"))
        subtitle += "; rules: bootstrap confidence intervals"
    return finish(alt.layer(*layers), title=title, source=source, subtitle=subtitle)


def spread(positions, min_gap: float) -> np.ndarray:
    """Where to put the labels of lines at `positions` so that no two are closer than `min_gap`.

    Each label moves as little as the others allow (least squares) and the labels keep the
    lines' order: with the sorted positions v_i, the labels go at q_i + i * min_gap, where q is
    the isotonic (non-decreasing) fit of v_i - i * min_gap, by pool-adjacent-violators.
    Give log10 positions, and a gap in decades, for a log axis.
    """
    values = np.asarray(positions, dtype=float)
    order = np.argsort(values, kind="stable")
    steps = min_gap * np.arange(len(values))
    blocks: list[list[float]] = []  # [mean, size] of runs of labels pushed together
    for target in values[order] - steps:
        blocks.append([target, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (upper, n_upper), (lower, n_lower) = blocks.pop(), blocks.pop()
            blocks.append([(upper * n_upper + lower * n_lower) / (n_upper + n_lower), n_upper + n_lower])
    placed = np.empty_like(values)
    placed[order] = np.repeat([m for m, _ in blocks], [int(n) for _, n in blocks]) + steps
    return placed


def halo_text(base: alt.Chart, **mark) -> alt.LayerChart:
    """Text marks on a white halo, readable where they cross lines: `base` carries the encoding."""
    return alt.layer(base.mark_text(**{**mark, "color": "white"}, stroke="white", strokeWidth=3),
                     base.mark_text(**mark))


def two_line_labels(max_chars: int) -> str:
    """A Vega `labelExpr` that puts an axis label longer than `max_chars` on two lines.

    The break is the last space within `max_chars`; give the chart's rows room for two lines.
    """
    cut = f"lastindexof(slice(datum.label, 0, {max_chars + 1}), ' ')"
    return (f"length(datum.label) <= {max_chars} ? datum.label : "
            f"[slice(datum.label, 0, {cut}), slice(datum.label, {cut} + 1)]")


def standalone_page(chart, bundle_js: str, title: str) -> str:
    """A self-contained HTML page for one chart, for files written outside the book (works offline)."""
    spec = chart.to_dict()
    script = (REPO_ROOT / CHART_SCRIPT).read_text(encoding="utf-8")
    return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>\n"
            f"<script>{bundle_js}</script>\n<script>{script}</script></head>\n<body>\n{render_html(spec)}\n"
            "</body></html>\n")
