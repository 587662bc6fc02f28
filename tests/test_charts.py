"""The book's chart theme, checks and offline renderer."""

import json
import re

import altair as alt
import pandas as pd
import pytest

from analysis.errors import ReportError
from analysis.inputs import paths
from analysis.report import charts

FRAME = pd.DataFrame({"year": [2025, 2026], "capex": [150.0, 160.0]})


def bar(x_title="Capex (RMB bn)"):
    return alt.Chart(FRAME).mark_bar().encode(x=alt.X("capex:Q", title=x_title), y="year:O")


def test_finish_sets_title_and_source():
    spec = charts.finish(bar(), title="Capex", source="seed 003").to_dict()
    assert spec["title"] == "Capex" and spec["usermeta"]["source"] == "seed 003"


@pytest.mark.parametrize("title", ["Capex", "capex", "Capex (RMB bn"])
def test_finish_requires_units_on_quantitative_axes(title):
    with pytest.raises(ReportError, match="needs its unit in parentheses"):
        charts.finish(bar(title), title="Capex", source="seed 003")


def test_finish_requires_a_source():
    with pytest.raises(ReportError, match="title and a source"):
        charts.finish(bar(), title="Capex", source="")


def test_rendered_html_is_deterministic_offline_and_offers_downloads():
    charts.enable()
    spec = charts.finish(bar(), title="Capex by year", source="seed 003").to_dict()
    html = charts.render_html(spec)
    assert html == charts.render_html(spec)
    assert re.search(r'id="chart-capex-by-year-[0-9a-f]{8}"', html)
    assert "Data (CSV)" in html and "Spec (JSON)" in html and "Source: seed 003" in html
    assert not re.search(r"https?://(?!vega\.github\.io/schema)", html)  # only the $schema id


def test_chart_spec_is_strict_json_data_drawn_by_the_one_static_script():
    frame = pd.DataFrame({"x": [1.0, float("nan")], "y": [float("inf"), 2.0]})
    chart = charts.finish(alt.Chart(frame).mark_point().encode(x=alt.X("x:Q", title="X (units)"),
                                                              y=alt.Y("y:Q", title="Y (units)")),
                          title="Gaps", source="test")
    html = charts.render_html(chart.to_dict())
    chart_id = re.search(r'<div id="([^"]+)" class="book-chart-view"', html).group(1)
    spec_text = re.search(rf'<script type="application/json" id="{chart_id}-spec">(.*?)</script>', html, re.S).group(1)
    rows = next(iter(json.loads(spec_text)["datasets"].values()))  # strict JSON: NaN is not allowed
    assert rows == [{"x": 1.0, "y": None}, {"x": None, "y": 2.0}]
    assert "<script>" not in html  # no inline code: the page's one chart script draws it
    script = (paths.REPO_ROOT / charts.CHART_SCRIPT).read_text()
    assert ".book-chart-view" in script and '"-spec"' in script and "vegaEmbed(" in script


def test_enable_selects_theme_and_renderer():
    charts.enable()
    assert alt.theme.active == charts.THEME and alt.renderers.active == charts.RENDERER
    bundle = bar()._repr_mimebundle_()
    assert "book-chart" in (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]


def test_tornado_chart_shows_labels_and_keeps_names_in_the_tooltip(registry):
    from analysis.models import uncertainty

    names = ["grid_factor_kg_per_kwh", "pue"]
    values = {n: registry[n].value for n in names}
    table = uncertainty.tornado(lambda v: v["grid_factor_kg_per_kwh"] * v["pue"], values, registry)
    spec = charts.tornado_chart(table, "Result (units)", source="model", title="Tornado").to_dict()
    assert spec["title"]["text"] == "Tornado"
    bars = spec["layer"][0]
    assert bars["encoding"]["y"]["field"] == "label"
    assert bars["encoding"]["y"]["sort"] == [registry[n].label for n in table["parameter"]]
    rows = spec["datasets"][spec["data"]["name"]]
    assert {r["label"] for r in rows} == {"Grid emission factor", registry["pue"].label}
    assert {"field": "parameter", "type": "nominal", "title": "parameter"} in bars["encoding"]["tooltip"]
    # Two bars per input, from the baseline to the result at each end of its range, in two colours.
    assert bars["encoding"]["x"]["field"] == "baseline" and bars["encoding"]["x2"]["field"] == "result"
    assert bars["encoding"]["color"]["sort"] == list(charts.TORNADO_ENDS.values())


def test_captions_name_the_parameters_that_differ_from_baseline():
    from analysis.inputs import registry as params

    reg = params.registry()
    name = next(n for n, p in reg.items() if p.low < p.high)
    other = reg[name].high if reg[name].high != reg[name].value else reg[name].low
    chart = charts.finish(bar(), title="Capex", source="seed 003")
    charts.enable(params.from_namespace({name: other}))
    html = chart._repr_mimebundle_()
    html = (html[0] if isinstance(html, tuple) else html)["text/html"]
    assert f"Parameters differing from the baseline: {name} = {other:g}." in html
    charts.enable(params.from_namespace({name: reg[name].value}))
    html = chart._repr_mimebundle_()
    assert "differing" not in (html[0] if isinstance(html, tuple) else html)["text/html"]


def test_chart_data_keeps_its_column_order_for_the_csv():
    frame = pd.DataFrame({"zeta": [1.0], "alpha": [2.0]})
    chart = charts.finish(alt.Chart(frame).mark_bar().encode(x=alt.X("zeta:Q", title="Z (units)"),
                                                            y=alt.Y("alpha:Q", title="A (units)")),
                          title="Order", source="test")
    html = charts.render_html(chart.to_dict())
    start = html.index('"datasets"')
    first_row = html[start:html.index("}", start)]
    assert first_row.index('"zeta"') < first_row.index('"alpha"')


@pytest.mark.parametrize("positions, gap", [([1.0, 1.05, 3.0, 2.0, 2.01], 0.1), ([0.0, 0.0, 0.0], 1.0),
                                            ([5.0], 1.0), ([-1.29, -0.9, -0.83, -0.62, -0.5, -0.22, 0.6], 0.11)])
def test_spread_keeps_labels_apart_in_their_lines_order(positions, gap):
    placed = charts.spread(positions, gap)
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    steps = [placed[b] - placed[a] for a, b in zip(order, order[1:])]
    assert all(step >= gap - 1e-12 for step in steps)  # apart, and in the lines' order


def test_spread_leaves_labels_with_room_and_centres_a_crowded_run_on_its_lines():
    assert list(charts.spread([0.0, 1.0, 2.0], 0.5)) == [0.0, 1.0, 2.0]
    assert list(charts.spread([2.0, 1.0, 1.02], 0.1)) == pytest.approx([2.0, 0.96, 1.06])


def test_two_line_labels_break_long_labels_at_a_space():
    """Rendered by Vega itself (vl-convert), a long label becomes two lines; a short one stays one."""
    import vl_convert

    frame = pd.DataFrame({"label": ["North China regional grid factor, 2023", "Short"], "x": [1.0, 2.0]})
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("x:Q", title="X (units)"),
        y=alt.Y("label:N", axis=alt.Axis(labelExpr=charts.two_line_labels(20), labelLimit=0)))
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert "North China regional" in lines and "grid factor, 2023" in lines
    assert ">Short<" in svg


def test_halo_text_draws_each_label_twice_white_stroke_first():
    base = alt.Chart(FRAME).encode(x="capex:Q", text="year:N")
    spec = charts.halo_text(base, color="#555555", fontSize=10).to_dict()
    halo, text = (layer["mark"] for layer in spec["layer"])
    assert halo["stroke"] == "white" and halo["strokeWidth"] > 0 and text["color"] == "#555555"
    assert {k: v for k, v in halo.items() if k not in ("stroke", "strokeWidth", "color")} == \
        {k: v for k, v in text.items() if k != "color"}


def _sobol_table(intervals=True):
    table = pd.DataFrame({"parameter": [f"p{i}" for i in range(15)], "label": [f"Input {i}" for i in range(15)],
                          "unit": "x", "members": [(f"p{i}",) for i in range(15)],
                          "first_order": [0.5 / (i + 1) for i in range(15)],
                          "total_order": [0.6 / (i + 1) for i in range(15)]})
    if intervals:
        for column in ("first_order", "total_order"):
            table[f"{column}_low"], table[f"{column}_high"] = table[column] - 0.01, table[column] + 0.01
    return table


def test_sobol_chart_shows_both_orders_of_the_top_inputs_with_their_intervals():
    spec = charts.sobol_chart(_sobol_table(), title="Sobol", source="model").to_dict()
    assert spec["title"]["text"] == "Sobol" and spec["usermeta"]["source"] == "model"
    bars, rules = spec["layer"]
    rows = spec["datasets"][spec["data"]["name"]]
    assert len(rows) == 2 * charts.SOBOL_ROWS  # the twelve largest, first and total order each
    assert bars["encoding"]["y"]["sort"] == [f"Input {i}" for i in range(charts.SOBOL_ROWS)]
    assert {r["order"] for r in rows} == set(charts.SOBOL_ORDERS.values())
    top = {r["order"]: r for r in rows if r["label"] == "Input 0"}
    assert top[charts.SOBOL_ORDERS["total_order"]]["index"] == pytest.approx(0.6)
    assert top[charts.SOBOL_ORDERS["first_order"]]["high"] == pytest.approx(0.51)
    assert rules["mark"]["type"] == "rule" and rules["encoding"]["x2"]["field"] == "high"
    assert "(fraction)" in bars["encoding"]["x"]["title"]


def test_sobol_chart_without_intervals_draws_no_rules_and_leaves_out_inputs_with_no_effect():
    table = _sobol_table(intervals=False)
    table.loc[1, ["first_order", "total_order"]] = 0.0
    spec = charts.sobol_chart(table, title="Sobol", source="model", n=3).to_dict()
    assert len(spec["layer"]) == 1 and "intervals" not in spec["title"]["subtitle"]
    rows = spec["datasets"][spec["data"]["name"]]
    assert len(rows) == 6 and "Input 1" not in {r["label"] for r in rows}
