"""The book's chart theme, checks and offline renderer."""

import re

import altair as alt
import pandas as pd
import pytest

from analysis import charts

FRAME = pd.DataFrame({"year": [2025, 2026], "capex": [150.0, 160.0]})


def bar(x_title="Capex (RMB bn)"):
    return alt.Chart(FRAME).mark_bar().encode(x=alt.X("capex:Q", title=x_title), y="year:O")


def test_finish_sets_title_and_source():
    spec = charts.finish(bar(), title="Capex", source="seed 003").to_dict()
    assert spec["title"] == "Capex" and spec["usermeta"]["source"] == "seed 003"


@pytest.mark.parametrize("title", ["Capex", "capex", "Capex (RMB bn"])
def test_finish_requires_units_on_quantitative_axes(title):
    with pytest.raises(ValueError, match="needs its unit in parentheses"):
        charts.finish(bar(title), title="Capex", source="seed 003")


def test_finish_requires_a_source():
    with pytest.raises(ValueError, match="title and a source"):
        charts.finish(bar(), title="Capex", source="")


def test_rendered_html_is_deterministic_offline_and_offers_downloads():
    charts.enable()
    spec = charts.finish(bar(), title="Capex by year", source="seed 003").to_dict()
    html = charts.render_html(spec)
    assert html == charts.render_html(spec)
    assert re.search(r'id="chart-capex-by-year-[0-9a-f]{8}"', html)
    assert "Data (CSV)" in html and "Spec (JSON)" in html and "Source: seed 003" in html
    assert not re.search(r"https?://(?!vega\.github\.io/schema)", html)  # only the $schema id


def test_enable_selects_theme_and_renderer():
    charts.enable()
    assert alt.theme.active == charts.THEME and alt.renderers.active == charts.RENDERER
    bundle = bar()._repr_mimebundle_()
    assert "book-chart" in (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]


def test_tornado_chart_from_a_table():
    table = pd.DataFrame({"parameter": ["a"], "unit": ["x"], "low": [1.0], "high": [2.0],
                          "output_at_low": [3.0], "output_at_high": [5.0], "baseline": [4.0],
                          "swing": [2.0]})
    spec = charts.tornado_chart(table, "Result (units)", source="model", title="Tornado").to_dict()
    assert spec["title"]["text"] == "Tornado"


def test_captions_name_the_parameters_that_differ_from_baseline():
    from analysis import params

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
