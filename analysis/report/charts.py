"""One Altair look for the book, and a renderer that works offline.

Every chart the book shows goes through `finish()`, which insists on a title, a
source line and units on the quantitative axes, and through the "book" renderer,
which writes a small HTML block: a container, the spec (as JSON data, not code), the
chart's description in words (`describe`, generated from its data: what it shows, the
range, the largest item; also the accessible label Vega gives the drawing), its data as
a table one click away, and links to download the data as CSV and the spec as JSON. One script in the
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
import re
from collections.abc import Mapping
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from ..errors import ReportError
from ..inputs.paths import REPO_ROOT
from .formatting import format_significant, range_text

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


# --------------------------------------------------------------------------- text alternatives

DISCRETE = ("nominal", "ordinal", "temporal")
MARK_NAMES = {"bar": "Bar chart", "point": "Dot chart", "circle": "Dot chart", "square": "Dot chart",
              "tick": "Tick chart", "line": "Line chart", "area": "Area chart"}
LISTED_ITEMS = 8  # a description names at most this many items or series
BY_VALUE, BY_LENGTH = 2, 1  # how a view's marks are ranked: bars, dots and lines by value; x-to-x2 bars by length


def _title_text(spec: dict) -> str:
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text)


def _views(spec: dict, data=None, encoding=None, transforms=(), facet=None):
    """Each view (one mark) of a spec, with the data, encoding, transforms and facet it inherits."""
    data = spec.get("data", data)
    encoding = {**(encoding or {}), **(spec.get("encoding") or {})}
    transforms = [*transforms, *spec.get("transform", [])]
    if isinstance(spec.get("facet"), dict):
        facet = spec["facet"].get("field", facet)
    if "mark" in spec:
        mark = spec["mark"] if isinstance(spec["mark"], str) else spec["mark"].get("type", "")
        yield {"mark": mark, "data": data, "encoding": encoding, "transforms": transforms, "facet": facet}
    for sub in spec.get("layer", []):
        yield from _views(sub, data, encoding, transforms, facet)
    for sub in [*spec.get("vconcat", []), *spec.get("hconcat", []), *spec.get("concat", [])]:
        yield from _views(sub, data, None, transforms, facet)
    if isinstance(spec.get("spec"), dict):
        yield from _views(spec["spec"], data, None, transforms, facet)


def _passes(row: dict, predicate) -> bool:
    """Whether `row` passes a filter: the expressions Altair writes (`alt.datum.f == v`, `isValid`,
    joined by `&&`) and field predicates (equal, oneOf, valid). Anything else keeps the row."""
    if isinstance(predicate, dict):
        value = row.get(predicate.get("field"))
        if "equal" in predicate:
            return value == predicate["equal"]
        if "oneOf" in predicate:
            return value in predicate["oneOf"]
        if "valid" in predicate:
            return (_number(value) is not None or isinstance(value, str)) == bool(predicate["valid"])
        return True
    for term in str(predicate).split("&&"):
        term = term.strip()
        while term.startswith("(") and term.endswith(")"):
            term = term[1:-1].strip()
        valid = re.fullmatch(r"isValid\(datum\.(\w+)\)", term)
        compare = re.fullmatch(r"datum\.(\w+)\s*(===|==|!==|!=)\s*(.+)", term)
        if valid and row.get(valid.group(1)) is None:
            return False
        if compare:
            try:
                literal = json.loads(compare.group(3).replace("'", '"'))
            except ValueError:
                continue
            if (row.get(compare.group(1)) == literal) != compare.group(2).startswith("="):
                return False
    return True


def _rows(spec: dict, view: dict) -> list[dict]:
    """The rows a view draws: its data after its fold and filter transforms (other transforms skipped)."""
    data = view["data"] or {}
    rows = data.get("values") or (spec.get("datasets") or {}).get(data.get("name"), [])
    for step in view["transforms"]:
        if "fold" in step:
            key, value = step.get("as", ["key", "value"])
            rows = [{**row, key: name, value: row.get(name)} for row in rows for name in step["fold"]]
        elif "filter" in step:
            rows = [row for row in rows if _passes(row, step["filter"])]
    return rows


def _field(encoding: dict, channel: str) -> str | None:
    enc = encoding.get(channel)
    return enc.get("field") if isinstance(enc, dict) else None


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
        return None
    return float(value)


def _show(value) -> str:
    """A value as a description says it: three significant figures at most, a date without its time."""
    number = _number(value)
    if number is None:
        text = str(value)
        return text.split("T")[0] if re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+", text) else text
    if number.is_integer() and abs(number) < 1e4:
        return str(int(number))  # a year, a count
    text = format_significant(number, 3)
    return text.rstrip("0").rstrip(".") if "." in text else text


class _Quantity:
    """What one value axis (in one facet panel) shows: its values, its items and the largest."""

    def __init__(self):
        self.values: list[float] = []
        self.names: list[str] = []  # the items (or series), in the data's order
        self.noun = ""  # the items' axis title, if it has one
        self.along = ""  # the continuous axis of a chart of series, and its values
        self.along_values: list = []
        self.categorical = False  # its items are a discrete axis's values: lines along it only add values
        self.rank = 0
        self.kind = ""
        self.best: dict[str, tuple] = {}  # item -> (score, what the description says of it)
        self.phrase = ""

    def counts(self, rank: int, kind: str) -> bool:
        """Whether a view ranked `rank` names the items and the largest (the best-ranked views do)."""
        if rank == 0 or rank < self.rank:
            return False
        if rank > self.rank:
            self.rank, self.kind, self.names, self.best = rank, kind, [], {}
        return True

    def sentence(self, head: str) -> str:
        noun = "series" if self.along else f"values of {self.noun}" if self.noun else \
            "item" if len(self.names) == 1 else "items"
        listed = "; ".join(self.names[:LISTED_ITEMS]) + (
            f" and {len(self.names) - LISTED_ITEMS} more" if len(self.names) > LISTED_ITEMS else "")
        text = head + (f" for {len(self.names)} {noun} ({listed})" if self.names else "")
        if self.along:
            ends = sorted(self.along_values, key=lambda v: (_number(v) is None, _number(v) or 0, str(v)))
            text += f" along {self.along} ({_show(ends[0])} to {_show(ends[-1])})"
        text += f", from {range_text(min(self.values), max(self.values), number=_show)}"
        if self.best:
            name, best = max(self.best.items(), key=lambda item: item[1][0])
            text += f"; {self.phrase} {name} ({best[1]})"
        return text


def describe(spec: dict) -> str:
    """What a chart shows, in words, from its spec and data: for screen readers and every reader.

    One sentence per quantity on a value axis (a quantitative y, else x, by its title; each facet
    panel apart): the items it is shown for, the range of its values and its largest item. The
    items are the values of the other axis when that is discrete (bars, dots); when it is continuous
    (a quantitative or temporal axis, or the years of a line) they are the colour's series, along it.
    Bars and bands from x to x2 are ranked by length, stacked bars by their total, other marks by
    value (with their colour: "Facility power, 2026 fleet"); rules and text (error bars, reference
    lines, labels) only widen the range. The data is read as the chart's fold and filter transforms
    leave it; the other transforms are not applied.
    """
    quantities: dict[tuple, _Quantity] = {}
    for view in _views(spec):
        enc = view["encoding"]
        value = next((ch for ch in ("y", "x") if isinstance(enc.get(ch), dict)
                      and enc[ch].get("type") == "quantitative" and enc[ch].get("field")), None)
        if value is None:
            continue
        across = "x" if value == "y" else "y"
        across_type = enc[across].get("type") if isinstance(enc.get(across), dict) else None
        continuous = across_type in ("quantitative", "temporal") or (
            across_type == "ordinal" and view["mark"] in ("line", "area", "trail"))
        category = _field(enc, across) if across_type in DISCRETE and not continuous else None
        along = _field(enc, across) if continuous else None
        series = list(dict.fromkeys(f for f in (_field(enc, "color"), _field(enc, f"{across}Offset"),
                                                _field(enc, "detail")) if f and f != category))
        fields = [f for f in (_field(enc, value), _field(enc, f"{value}2")) if f]
        title = str(enc[value].get("title") or fields[0])
        rank = 0 if view["mark"] in ("rule", "text") or not (category or series or along) else \
            BY_LENGTH if len(fields) == 2 else BY_VALUE
        stacked = (rank == BY_VALUE and category and view["mark"] in ("bar", "area") and series
                   and not _field(enc, f"{across}Offset") and enc[value].get("stack", "zero") not in (None, False))
        rows = _rows(spec, view)
        panels = sorted({row.get(view["facet"]) for row in rows}, key=str) if view["facet"] else [None]
        for panel in panels:
            if (title, panel) not in quantities and not (category or series or along):
                continue  # a reference line on an axis no item is drawn along
            q = quantities.setdefault((title, panel), _Quantity())
            panel_rows = [r for r in rows if panel is None or r.get(view["facet"]) == panel]
            ends = [[_number(r.get(f)) for f in fields] for r in panel_rows]
            q.values += [v for row_ends in ends for v in row_ends if v is not None]
            if (along and q.categorical) or not q.counts(rank, MARK_NAMES.get(view["mark"], "Chart")):
                continue
            q.categorical = q.categorical or bool(category)
            if along:
                q.along = str(enc[across].get("title") or along)
                q.along_values += [r[along] for r in panel_rows if r.get(along) is not None]
            if category and enc[across].get("title"):
                q.noun = str(enc[across]["title"])
            for row, row_ends in zip(panel_rows, ends):
                if None in row_ends:
                    continue
                item = ", ".join(_show(row.get(f)).strip() for f in ([category] if category else series))
                if item and item not in q.names:
                    q.names.append(item)
                if rank == BY_LENGTH:
                    low, high = min(row_ends), max(row_ends)
                    if item in q.best:
                        low, high = min(low, q.best[item][2]), max(high, q.best[item][3])
                    q.best[item] = (high - low, f"{_show(low)} to {_show(high)}", low, high)
                    q.phrase = "the longest is"
                elif stacked:  # a bar per item, of one part per colour
                    total, _, parts = q.best.get(item, (0.0, "", 0))
                    q.best[item] = (total + row_ends[0], _show(total + row_ends[0]), parts + 1)
                    q.phrase = "the largest total is" if max(b[2] for b in q.best.values()) > 1 else "the largest is"
                else:
                    mark = " ".join(part for part in (
                        ", ".join(_show(row.get(f)).strip() for f in [category, *series] if f),
                        f"at {_show(row[along])}" if along and row.get(along) is not None else "") if part)
                    if mark not in q.best or row_ends[0] > q.best[mark][0]:
                        q.best[mark] = (row_ends[0], _show(row_ends[0]))
                    q.phrase = "the largest is"
    described = [(f"{panel}: {title}" if panel is not None else title, q)
                 for (title, panel), q in quantities.items() if q.values]
    if not described:
        return f"Chart: {_title_text(spec)}."
    kind = next((q.kind for _, q in described if q.kind), "Chart")
    return ". ".join([kind, *(q.sentence(head) for head, q in described)]) + "."


def _cell(value) -> str:
    number = _number(value)
    if number is None:
        return "" if value is None else html.escape(str(value))
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}" if abs(number) >= 1e4 else f"{int(number)}"  # a year without a comma
    text = format_significant(number, 4)
    return text.rstrip("0").rstrip(".") if "." in text else text


def data_tables(spec: dict) -> str:
    """The chart's data as HTML tables, one per dataset, numbers to four significant figures."""
    tables = []
    datasets = [rows for rows in (spec.get("datasets") or {}).values() if rows]
    for number, rows in enumerate(datasets, start=1):
        columns = list(dict.fromkeys(key for row in rows for key in row))
        caption = f"<caption>Table {number} of {len(datasets)}</caption>" if len(datasets) > 1 else ""
        head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
        body = "".join("<tr>" + "".join(
            f'<td class="num">{_cell(row.get(c))}</td>' if _number(row.get(c)) is not None
            else f"<td>{_cell(row.get(c))}</td>" for c in columns) + "</tr>" for row in rows)
        tables.append(f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    return "".join(tables)


def render_html(spec: dict, note: str = "") -> str:
    """The HTML block for one chart spec; deterministic (the element id hashes the spec).

    Under the chart: its description in words (`describe`, also the spec's `description`, which
    Vega sets as the drawing's accessible label), its data as tables in a closed <details>, and the
    caption: source, `note` (e.g. the parameters that differ from the baseline) and downloads.
    """
    title_text = _title_text(spec) or "chart"
    description = describe(spec)
    spec = {**spec, "description": spec.get("description") or f"{title_text}. {description}"}
    # Keys keep Altair's order (deterministic: it follows the DataFrame's columns), so the CSV
    # download lists columns as the chart's data has them, not alphabetically.
    # Strict JSON (the page parses it): a missing value (NaN, infinite) is null, as Vega-Lite reads it.
    text = json.dumps(_json_safe(spec), separators=(",", ":"), allow_nan=False)
    name = _slug(title_text)
    chart_id = f"chart-{name}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    source = (spec.get("usermeta") or {}).get("source", "")
    safe_json = text.replace("</", "<\\/")  # the spec cannot close its script element
    tables = data_tables(spec)
    return (
        f'<figure class="book-chart">\n<div id="{chart_id}" class="book-chart-view"></div>\n'
        f'<script type="application/json" id="{chart_id}-spec">{safe_json}</script>\n'
        f'<p id="{chart_id}-description" class="book-chart-description">{html.escape(description)}</p>\n'
        + (f'<details class="book-chart-data"><summary>Data table</summary>\n'
           f'<div class="book-chart-table" role="region" tabindex="0" aria-label="Data of the chart: '
           f'{html.escape(title_text)}">{tables}</div></details>\n' if tables else "") +
        f'<figcaption class="book-chart-caption">Source: {html.escape(source)}'
        + (f' <span class="book-chart-note">{html.escape(note)}</span>' if note else "") +
        f'<span id="{chart_id}-downloads" class="book-chart-downloads"> · '
        f'<a class="csv" download="{name}.csv">Data (CSV)</a> · '
        f'<a class="json" download="{name}.vl.json">Spec (JSON)</a></span></figcaption>\n</figure>'
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
