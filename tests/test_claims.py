"""The reference pages' Markdown: the parameter table and the parameter entries."""

from analysis.report import reference as claims


def test_parameter_table_shows_label_and_name_and_links_to_the_full_entry(dataset):
    table = claims.parameters_markdown(dataset, names=["grid_factor_kg_per_kwh", "datong_server_racks"])
    lines = table.splitlines()
    assert lines[0] == ":::{table}" and lines[1] == f":class: {claims.PARAMETER_TABLE_CLASS}" and lines[-1] == ":::"
    header, grid = lines[2:4], lines[4:-1]
    assert header[0] == "| input | unit | default | range | basis |"
    assert grid[0].startswith("| {ref}`Grid emission factor <param-grid-factor-kg-per-kwh>` `grid_factor_kg_per_kwh` |")
    assert all(row.count(" | ") == 4 for row in grid)  # five columns, narrow enough for a phone
    # The reasoning behind an assumption is one click away, not in the table.
    assert "{ref}`assumption <param-grid-factor-kg-per-kwh>`" in grid[0]
    assert dataset.parameters["grid_factor_kg_per_kwh"].basis.assumption[:40] not in table
    assert "| 0.5306 to 0.75, triangular |" in grid[0]
    assert "| 12,000 | fixed |" in grid[1]


def test_parameter_entries_carry_the_label_the_name_and_the_anchor_the_table_links_to(dataset):
    details = claims.parameter_details_markdown(dataset)
    for p in dataset.parameters.values():
        assert f"({claims.parameter_label(p.name)})=\n**{p.label}** · `{p.name}` (" in details.replace("\\", "")


def test_a_calendar_year_has_no_thousands_separator_and_a_fixed_value_no_range(dataset):
    table = claims.parameters_markdown(dataset, names=["neutrality_target_year"])
    assert "| year | 2030 | fixed |" in table
    details = claims.parameter_details_markdown(dataset)
    assert "Default 2030, fixed." in details and "2,030" not in details
    assert "Default 12,000, fixed." in details  # a count keeps its separator
