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


# --------------------------------------------------------------------------- text alternatives


def test_description_of_bars_names_items_range_and_largest():
    frame = pd.DataFrame({"item": ["Chips", "Servers", "Buildings"], "amount": [85.0, 42.5, 12.4]})
    chart = alt.Chart(frame).mark_bar().encode(x=alt.X("amount:Q", title="Amount (RMB bn)"), y="item:N")
    assert charts.describe(charts.finish(chart, title="Budget", source="test").to_dict()) == (
        "Bar chart. Amount (RMB bn) for 3 items (Chips; Servers; Buildings), from 12.4 to 85; "
        "the largest is Chips (85).")


def test_description_of_lines_names_series_along_the_x_axis():
    frame = pd.DataFrame({"users_m": [100, 500, 100, 500], "case": ["today", "today", "cut", "cut"],
                          "uplift": [0.3, 0.1, 0.2, 0.05]})
    chart = alt.Chart(frame).mark_line().encode(x=alt.X("users_m:Q", title="Users (M)"),
                                                y=alt.Y("uplift:Q", title="Uplift (share)"), color="case:N")
    assert charts.describe(chart.to_dict()) == (
        "Line chart. Uplift (share) for 2 series (today; cut) along Users (M) (100 to 500), from 0.05 to 0.3; "
        "the largest is today at 100 (0.3).")


def test_description_of_dates_drops_midnight():
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-05-16", "2025-12-16"]), "tokens": [0.12, 50.0]})
    chart = alt.Chart(frame).mark_point().encode(x="date:T", y=alt.Y("tokens:Q", title="Tokens (T per day)"))
    assert charts.describe(chart.to_dict()) == (
        "Dot chart. Tokens (T per day) along date (2024-05-16 to 2025-12-16), from 0.12 to 50; "
        "the largest is at 2025-12-16 (50).")


def test_description_ranks_bars_from_x_to_x2_by_length_and_stacked_bars_by_total():
    steps = pd.DataFrame({"step": ["Budget", "Chips", "Rest"], "start": [0.0, 160.0, 60.0], "end": [160.0, 60.0, 0.0]})
    waterfall = alt.Chart(steps).mark_bar().encode(x=alt.X("start:Q", title="Amount (RMB bn)"), x2="end:Q",
                                                   y=alt.Y("step:N", sort=None))
    assert charts.describe(waterfall.to_dict()).endswith("from 0 to 160; the longest is Budget (0 to 160).")
    parts = pd.DataFrame({"life": [4, 4, 6, 6], "part": ["chips", "buildings"] * 2, "cost": [1.5, 0.25, 1.0, 0.5]})
    stacked = alt.Chart(parts).mark_bar().encode(x=alt.X("cost:Q", title="Cost (USD per hour)"),
                                                 y=alt.Y("life:O", title="Life (years)"), color="part:N")
    assert charts.describe(stacked.to_dict()) == (
        "Bar chart. Cost (USD per hour) for 2 values of Life (years) (4; 6), from 0.25 to 1.5; "
        "the largest total is 4 (1.75).")


def test_description_reads_the_data_as_filters_and_folds_leave_it():
    """Panels of one dataset split by a filter get a sentence each, with their own unit and range."""
    frame = pd.DataFrame({"measure": ["mw", "mw", "racks"], "item": ["IT", "Facility", "Racks"],
                          "p50": [700.0, 950.0, 77600.0], "p90": [900.0, 1200.0, 103000.0]})
    base = alt.Chart(frame)
    panels = [base.transform_filter(alt.datum.measure == measure).mark_bar().encode(
        x=alt.X("p50:Q", title=title), y="item:N") for measure, title in (("mw", "Power (MW)"), ("racks", "Racks (count)"))]
    assert charts.describe(alt.vconcat(*panels).to_dict()) == (
        "Bar chart. Power (MW) for 2 items (IT; Facility), from 700 to 950; the largest is Facility (950). "
        "Racks (count) for 1 item (Racks), from 77,600; the largest is Racks (77,600).")


def test_description_of_tornado_and_sobol_charts(registry):
    from analysis.models import uncertainty

    names = ["grid_factor_kg_per_kwh", "pue"]
    table = uncertainty.tornado(lambda v: v["grid_factor_kg_per_kwh"] * v["pue"] ** 2,
                                {n: registry[n].value for n in names}, registry)
    text = charts.describe(charts.tornado_chart(table, "Result (units)", source="model", title="T").to_dict())
    widest = table.iloc[0]  # the tornado's table is sorted by swing
    low, high = sorted([widest["output_at_low"], widest["output_at_high"]])
    assert text.startswith("Bar chart. Result (units) for 2 items (")
    assert text.endswith(f"the longest is {widest['label']} ({charts._show(low)} to {charts._show(high)}).")
    sobol = pd.DataFrame({"label": ["Siting", "PUE"], "parameter": ["a + b", "pue"],
                          "first_order": [0.6, 0.1], "total_order": [0.7, 0.2]})
    assert charts.describe(charts.sobol_chart(sobol, title="S", source="model").to_dict()) == (
        "Bar chart. Share of the output's variance (fraction) for 2 items (Siting; PUE), from 0.1 to 0.7; "
        "the largest is Siting, Total order (with interactions) (0.7).")


def test_description_of_a_faceted_sweep_has_a_sentence_per_panel():
    from analysis.report import headlines

    table = pd.DataFrame({"pue": [1.1, 1.1, 1.5, 1.5], "label": ["Emissions", "Cost"] * 2,
                          "unit": ["Mt", "USD"] * 2, "value": [1.0, 10.0, 1.4, 12.5]})
    text = charts.describe(headlines.sweep_chart(table, "pue", "ratio").to_dict())
    assert "Cost (USD): Value (unit in panel title) along pue (ratio) (1.1 to 1.5), from 10 to 12.5" in text
    assert "Emissions (Mt): Value (unit in panel title) along pue (ratio) (1.1 to 1.5), from 1 to 1.4" in text


def test_rendered_chart_carries_its_description_and_data_table():
    frame = pd.DataFrame({"year": [2025, 2026], "capex": [150.0, 16000.5]})
    chart = charts.finish(alt.Chart(frame).mark_bar().encode(x=alt.X("capex:Q", title="Capex (RMB bn)"),
                                                             y="year:O"), title="Capex <by> year", source="seed")
    spec = chart.to_dict()
    html = charts.render_html(spec)
    description = charts.describe(spec)
    chart_id = re.search(r'<div id="([^"]+)" class="book-chart-view"', html).group(1)
    embedded = json.loads(re.search(r'id="[^"]+-spec">(.*?)</script>', html, re.S).group(1).replace("<\\/", "</"))
    assert embedded["description"] == f"Capex <by> year. {description}"  # Vega's accessible label
    assert f'<p id="{chart_id}-description" class="book-chart-description">{description}</p>' in html
    table = re.search(r"<details class=\"book-chart-data\"><summary>Data table</summary>.*?</details>", html, re.S)
    assert table and 'aria-label="Data of the chart: Capex &lt;by&gt; year"' in table.group(0)
    assert '<th scope="col">year</th><th scope="col">capex</th>' in table.group(0)
    assert '<td class="num">2025</td><td class="num">150</td>' in table.group(0)
    assert '<td class="num">16,000</td>' in table.group(0)  # four significant figures
    assert html.index("</details>") < html.index("<figcaption") and html.rstrip().endswith("</figcaption>\n</figure>".strip())


def _chapter_charts():
    for path in sorted((paths.REPO_ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                text = "".join(output.get("data", {}).get("text/html", ""))
                for match in re.finditer(r'<figure class="book-chart">.*?</figure>', text, re.S):
                    yield path.stem, match.group(0)


def test_every_chapter_chart_is_described_in_words_from_its_data():
    """Every chart the chapters draw: a description with a range, the same in the spec, and its data table."""
    found = list(_chapter_charts())
    assert len(found) >= 20
    for chapter, html in found:
        spec = json.loads(re.search(r'-spec">(.*?)</script>', html, re.S).group(1).replace("<\\/", "</"))
        text = re.search(r'class="book-chart-description">(.*?)</p>', html, re.S).group(1)
        assert text == charts.describe(spec).replace("&", "&amp;").replace('"', "&quot;").replace(
            "'", "&#x27;").replace("<", "&lt;").replace(">", "&gt;"), chapter
        assert re.search(r"\bfrom -?[\d.,]+( to -?[\d.,]+)?[;.]", text), (chapter, text)
        assert spec["description"].endswith(charts.describe(spec)), chapter
        rows = sum(len(r) for r in spec["datasets"].values())
        assert html.count("<tr>") == rows + len(spec["datasets"]), chapter  # a header row per table
