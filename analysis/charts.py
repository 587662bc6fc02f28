"""One Altair look for the book, and a renderer that works offline.

Every chart the book shows goes through `finish()`, which insists on a title, a
source line and units on the quantitative axes, and through the "book" renderer,
which writes a small HTML block: a container, the spec, a call to the locally
served vega-embed (`_static/vega/vega-bundle.js`, built at install time from the
vl-convert-python package, never a CDN), and links to download the chart's data
as CSV and its spec as JSON, both made in the browser from the spec itself.

Call `enable()` once per notebook (the chapters' setup call does).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
from collections.abc import Mapping

import altair as alt

RENDERER = "book"
THEME = "book"
BUNDLE_PATH = "_static/vega/vega-bundle.js"
WIDTH = 640
# One palette across all charts (Okabe-Ito, readable with colour-vision deficiencies).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

_SCRIPT = """(function () {{
  var spec = {spec};
  function draw() {{
    // Lay single views out at the column's width (text stays full size); wrap long titles to fit.
    var el = document.getElementById("{id}"), px = el.clientWidth || 640, view = spec;
    var wrap = function (t, n) {{
      if (typeof t !== "string" || t.length <= n) {{ return t; }}
      return t.split(" ").reduce(function (ls, w) {{
        if (ls[ls.length - 1] && (ls[ls.length - 1] + " " + w).length > n) {{ ls.push(w); }}
        else {{ ls[ls.length - 1] = (ls[ls.length - 1] ? ls[ls.length - 1] + " " : "") + w; }}
        return ls;
      }}, [""]);
    }};
    if (!(spec.vconcat || spec.hconcat || spec.concat || spec.facet || spec.repeat) &&
        (spec.width === undefined || typeof spec.width === "number")) {{
      var t = typeof spec.title === "object" ? Object.assign({{}}, spec.title) : {{text: spec.title || ""}};
      t.text = wrap(t.text, px / 9 | 0);
      if (t.subtitle) {{ t.subtitle = wrap(t.subtitle, px / 7 | 0); }}
      var legend = Object.assign({{}}, (spec.config || {{}}).legend, {{columns: Math.max(1, px / 260 | 0)}});
      view = Object.assign({{}}, spec, {{width: "container", title: t, config: Object.assign({{}}, spec.config,
        {{legend: legend}}), autosize: {{type: "fit-x", contains: "padding"}}}});  // legends wrap, too
      el.style.display = "block";
    }}
    vegaEmbed("#{id}", view, {{actions: false, renderer: "svg"}}).catch(function (err) {{
      document.getElementById("{id}").textContent = "Chart failed to render: " + err;
    }});
    var rows = ((spec.datasets || {{}})[Object.keys(spec.datasets || {{}})[0]]) || [];
    var cols = rows.length ? Object.keys(rows[0]) : [];
    var esc = function (v) {{
      var s = v === null || v === undefined ? "" : String(v);
      return /[",\\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }};
    var csv = [cols.map(esc).join(",")].concat(rows.map(function (r) {{
      return cols.map(function (c) {{ return esc(r[c]); }}).join(",");
    }})).join("\\n") + "\\n";
    var title = spec.title && spec.title.text !== undefined ? spec.title.text : spec.title || "";
    var meta = document.querySelector('meta[name="book-provenance"]'), p = window.bookProvenance;
    var build = meta ? meta.content : p ? "commit " + p.commit + ", built " + p.built + ", scenario " +
      p.scenario + ", data hash " + p.inputs : "";
    var head = [["page", location.href.split("#")[0]], ["chart", [].concat(title).join(" ")],
      ["source", (spec.usermeta || {{}}).source || ""], ["build", build]];
    csv = head.filter(function (h) {{ return h[1]; }}).map(function (h) {{
      return "# " + h[0] + ": " + String(h[1]).replace(/\\s+/g, " ");
    }}).join("\\n") + "\\n" + csv;
    var link = function (sel, text, type) {{
      var a = document.querySelector("#{id}-downloads " + sel);
      a.href = URL.createObjectURL(new Blob([text], {{type: type}}));
    }};
    link(".csv", csv, "text/csv");
    link(".json", JSON.stringify(spec, null, 2), "application/json");
  }}
  if (window.vegaEmbed) {{ draw(); }} else {{ window.addEventListener("vega-ready", draw, {{once: true}}); }}
}})();"""


def theme() -> alt.theme.ThemeConfig:
    """The book's chart style: palette, fonts, sizes."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": 320, "stroke": None},
            "range": {"category": PALETTE},
            "mark": {"color": PALETTE[0]},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "subtitleColor": "#555"},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
        }
    }


def _slug(text: str) -> str:
    cleaned = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in cleaned.split("-") if part)[:48] or "chart"


def render_html(spec: dict, note: str = "") -> str:
    """The HTML block for one chart spec; deterministic (the element id hashes the spec).

    `note` is added to the caption, e.g. the parameters that differ from the baseline.
    """
    # Keys keep Altair's order (deterministic: it follows the DataFrame's columns), so the CSV
    # download lists columns as the chart's data has them, not alphabetically.
    text = json.dumps(spec, separators=(",", ":"))
    title = spec.get("title", {})
    title_text = title.get("text", "chart") if isinstance(title, dict) else str(title)
    if isinstance(title_text, list):
        title_text = " ".join(title_text)
    name = _slug(title_text)
    chart_id = f"chart-{name}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    source = (spec.get("usermeta") or {}).get("source", "")
    safe_json = text.replace("</", "<\\/")
    return (
        f'<figure class="book-chart">\n<div id="{chart_id}" class="book-chart-view"></div>\n'
        f'<figcaption class="book-chart-caption">Source: {html.escape(source)}'
        + (f' <span class="book-chart-note">{html.escape(note)}</span>' if note else "") +
        f'<span id="{chart_id}-downloads" class="book-chart-downloads"> · '
        f'<a class="csv" download="{name}.csv">Data (CSV)</a> · '
        f'<a class="json" download="{name}.vl.json">Spec (JSON)</a></span></figcaption>\n'
        f"<script>{_SCRIPT.format(spec=safe_json, id=chart_id)}</script>\n</figure>"
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
        raise ValueError("every chart needs a title and a source line")
    titled = chart.properties(title=alt.Title(title, subtitle=subtitle) if subtitle else title,
                              usermeta={"source": source})
    for channel, axis_title in _axis_titles(titled.to_dict(validate=False)):
        if "(" not in axis_title or not axis_title.rstrip().endswith(")"):
            raise ValueError(
                f"chart {title!r}: the {channel} axis title {axis_title!r} needs its unit in parentheses, "
                f"e.g. 'Power (MW)'"
            )
    return titled


def tornado_chart(table, output_label: str, source: str, title: str):
    """The sensitivity chart of a headline result, from `uncertainty.tornado`'s table."""
    rows = table.assign(
        label=table["parameter"],
        lo=table[["output_at_low", "output_at_high"]].min(axis=1),
        hi=table[["output_at_low", "output_at_high"]].max(axis=1),
    )[["label", "lo", "hi", "baseline", "low", "high", "unit"]]
    order = list(rows["label"])
    bars = alt.Chart(rows).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("lo:Q", title=output_label),
        x2="hi:Q",
        tooltip=["label", "low", "high", "unit", alt.Tooltip("lo:Q", format=",.3~g"),
                 alt.Tooltip("hi:Q", format=",.3~g")],
    )
    base = alt.Chart(rows).mark_rule(color=PALETTE[3], strokeDash=[4, 3]).encode(x=alt.X("mean(baseline):Q", title=output_label))
    return finish(alt.layer(bars, base), title=title, source=source,
                  subtitle="Each bar: the result with one input at its low, then its high end")


def standalone_page(chart, bundle_js: str, title: str) -> str:
    """A self-contained HTML page for one chart, for files written outside the book (works offline)."""
    spec = chart.to_dict()
    return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>\n"
            f"<script>{bundle_js}</script></head>\n<body>\n{render_html(spec)}\n</body></html>\n")
