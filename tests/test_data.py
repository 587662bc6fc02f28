"""data/: schemas, cross-references and the verbatim quotes."""

import shutil
from pathlib import Path

import pytest
import yaml

from analysis.inputs import data, paths
from analysis.errors import DataError


def test_data_loads_with_records(dataset):
    assert dataset.sources and dataset.claims and dataset.parameters


def test_every_seed_file_is_a_source(dataset):
    if not paths.seeds_dir().is_dir():
        pytest.skip(f"seed articles not found at {paths.seeds_dir()} (../shared/seeds beside the repository)")
    seed_files = {p.name for p in paths.seeds_dir().glob("*.txt")}
    assert seed_files == {s.file for s in dataset.sources.values() if s.kind == "seed"}


def test_every_seed_quote_is_verbatim_in_its_article(dataset):
    if not paths.seeds_dir().is_dir():
        pytest.skip(f"seed articles not found at {paths.seeds_dir()} (../shared/seeds beside the repository)")
    missing = []
    for claim in dataset.claims.values():
        source = dataset.sources[claim.source]
        if source.kind == "seed":
            text = (paths.seeds_dir() / source.file).read_text(encoding="utf-8")
            if claim.quote not in text:
                missing.append(claim.id)
    assert missing == []


def test_every_claim_status_has_a_reason(dataset):
    assert all(c.reason.strip() for c in dataset.claims.values())


def test_every_parameter_basis_exists(dataset):
    for p in dataset.parameters.values():
        assert all(c in dataset.claims for c in p.basis.claims), p.name
        assert all(s in dataset.sources for s in p.basis.sources), p.name


def test_defaults_lie_within_their_ranges(dataset):
    for p in dataset.parameters.values():
        assert p.low <= p.default <= p.high, p.name


def _write(tmp_path: Path, sources=None, claims=None, parameters=None, checks=None, correlations=None) -> Path:
    """A copy of data/ with some files replaced; `parameters` replaces parameters/capex.yaml."""
    real = paths.data_dir()
    shutil.copytree(real, tmp_path, dirs_exist_ok=True)
    for rel, records in (("sources.yaml", sources), ("claims.yaml", claims),
                         ("parameters/capex.yaml", parameters), ("checks.yaml", checks),
                         (data.CORRELATIONS_FILE, correlations)):
        if records is not None:
            (tmp_path / rel).write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return tmp_path


def _first(name):
    rel = "parameters/capex.yaml" if name == "parameters" else f"{name}.yaml"
    return yaml.safe_load((paths.data_dir() / rel).read_text(encoding="utf-8"))


def test_unknown_key_names_file_record_and_field(tmp_path):
    params = _first("parameters")
    params[0]["defualt"] = 1
    with pytest.raises(DataError, match=rf"parameters/capex.yaml: record '{params[0]['name']}': field 'defualt'"):
        data.Dataset.from_dir(_write(tmp_path, parameters=params))


def test_default_outside_range_is_refused(tmp_path):
    params = _first("parameters")
    params[0]["default"] = params[0]["high"] + 1
    with pytest.raises(DataError, match="outside"):
        data.Dataset.from_dir(_write(tmp_path, parameters=params))


def test_basis_naming_an_unknown_claim_is_refused(tmp_path):
    params = _first("parameters")
    params[0]["basis"] = {"claims": ["NO-SUCH-CLAIM"]}
    with pytest.raises(DataError, match="unknown claim 'NO-SUCH-CLAIM'"):
        data.Dataset.from_dir(_write(tmp_path, parameters=params))


def test_empty_basis_is_refused(tmp_path):
    params = _first("parameters")
    params[0]["basis"] = {}
    with pytest.raises(DataError, match="basis needs at least one"):
        data.Dataset.from_dir(_write(tmp_path, parameters=params))


def test_bad_status_is_refused(tmp_path):
    claims = _first("claims")
    claims[0]["status"] = "fine"
    with pytest.raises(DataError, match=rf"claims.yaml: record '{claims[0]['id']}': field 'status'"):
        data.Dataset.from_dir(_write(tmp_path, claims=claims))


def test_claim_of_unknown_source_is_refused(tmp_path):
    claims = _first("claims")
    claims[0]["source"] = "nowhere"
    with pytest.raises(DataError, match="unknown source 'nowhere'"):
        data.Dataset.from_dir(_write(tmp_path, claims=claims))


def test_duplicate_id_is_refused(tmp_path):
    claims = _first("claims")
    with pytest.raises(DataError, match="duplicate id"):
        data.Dataset.from_dir(_write(tmp_path, claims=[claims[0], claims[0]]))


def test_seed_source_without_file_is_refused(tmp_path):
    sources = _first("sources")
    seed = next(s for s in sources if s["kind"] == "seed")
    seed.pop("file")
    with pytest.raises(DataError, match="a seed source needs 'file'"):
        data.Dataset.from_dir(_write(tmp_path, sources=sources))


def test_malformed_yaml_is_refused(tmp_path):
    _write(tmp_path)
    (tmp_path / "claims.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match="claims.yaml: not valid YAML"):
        data.Dataset.from_dir(tmp_path)


@pytest.mark.parametrize("rel", ["sources.yaml", "claims.yaml", "parameters/capex.yaml", "correlations.yaml",
                                 "checks.yaml"])
def test_a_key_given_twice_in_a_record_is_refused_with_both_lines(tmp_path, rel):
    # PyYAML keeps the last of two equal keys silently; the loader names the key, both lines and the fix.
    _write(tmp_path)
    path = tmp_path / rel
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("- "))  # the first record's first key
    key = lines[first][2:].split(":")[0]
    lines.insert(first + 1, "  " + lines[first][2:])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = rf"{rel}: key '{key}' is given twice, on lines {first + 1} and {first + 2}; keep one$"
    with pytest.raises(DataError, match=message):
        data.load_checks(path) if rel == "checks.yaml" else data.Dataset.from_dir(tmp_path)


def test_a_key_given_twice_in_a_nested_mapping_is_refused(tmp_path):
    _write(tmp_path)
    path = tmp_path / "parameters" / "capex.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\n  basis:\n" in text
    path.write_text(text.replace("\n  basis:\n", "\n  basis:\n    assumption: one\n    assumption: two\n", 1),
                    encoding="utf-8")
    line = text[:text.index("\n  basis:\n")].count("\n") + 3  # the line after `basis:`, counted from 1
    with pytest.raises(DataError, match=rf"capex.yaml: key 'assumption' is given twice, on lines {line} and "
                                        rf"{line + 1}; keep one"):
        data.Dataset.from_dir(tmp_path)


def test_every_yaml_file_is_read_by_the_one_loader():
    # One mechanism: plain yaml.safe_load would let a key given twice through.
    for path in sorted(paths.PACKAGE_DIR.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "safe_load(" not in text and "yaml.load(" not in text or path.name == "data.py", path


def test_a_parameter_defined_in_two_files_is_refused(tmp_path):
    _write(tmp_path)
    params = _first("parameters")
    (tmp_path / "parameters" / "zz-copy.yaml").write_text(yaml.safe_dump(params[:1]), encoding="utf-8")
    with pytest.raises(DataError, match=rf"parameters/zz-copy.yaml: record '{params[0]['name']}': duplicate name"):
        data.Dataset.from_dir(tmp_path)


def test_every_parameter_has_a_short_label_of_its_own(dataset):
    """Charts and tables show the label: every parameter has one, short, plain and unique."""
    labels = {name: p.label for name, p in dataset.parameters.items()}
    assert [n for n, label in labels.items() if not label] == []
    too_long = [label for label in labels.values() if len(label) > data.LABEL_MAX_CHARS]
    assert too_long == []
    assert [n for n, label in labels.items() if "_" in label or label == n] == []  # words, not the name
    assert len(set(labels.values())) == len(labels)


def test_a_label_over_the_limit_is_refused(tmp_path):
    params = _first("parameters")
    params[0]["label"] = "x" * (data.LABEL_MAX_CHARS + 1)
    limit = data.LABEL_MAX_CHARS
    with pytest.raises(DataError, match=rf"record '{params[0]['name']}': field 'label': .*at most {limit}"):
        data.Dataset.from_dir(_write(tmp_path, parameters=params))


def test_two_parameters_with_one_label_are_refused(tmp_path):
    params = _first("parameters")
    params[1]["label"] = params[0]["label"]
    first, second = params[0]["name"], params[1]["name"]
    with pytest.raises(DataError, match=rf"record '{second}': label .* already used by '{first}'"):
        data.Dataset.from_dir(_write(tmp_path, parameters=params))


def test_a_parameter_without_a_label_shows_its_name(tmp_path):
    params = _first("parameters")
    del params[0]["label"]
    loaded = data.Dataset.from_dir(_write(tmp_path, parameters=params)).parameters[params[0]["name"]]
    assert loaded.label is None and loaded.display_label == params[0]["name"]


# --------------------------------------------------------------------------- data/checks.yaml

def test_checks_load_in_file_order_with_known_claims(dataset):
    checks = data.load_checks()
    records = _first("checks")
    assert [c.id for c in checks] == [r["id"] for r in records]
    assert len(checks) >= 8
    for check in checks:
        assert check.question.endswith("?") and check.missing, check.id
        assert all(cid in dataset.claims for cid in check.claims), check.id


def _checks_dir(tmp_path, records) -> Path:
    return _write(tmp_path, checks=records) / data.CHECKS_FILE


def test_a_check_with_an_unknown_field_is_refused(tmp_path):
    checks = _first("checks")
    checks[1]["titel"] = checks[1].pop("title")
    with pytest.raises(DataError, match=rf"checks.yaml: record '{checks[1]['id']}': field 'title': Field required; "
                                        r"field 'titel': Extra inputs are not permitted; each record's fields are "
                                        r"described at the top of data/checks.yaml"):
        data.load_checks(_checks_dir(tmp_path, checks))


def test_a_check_with_a_missing_field_is_refused(tmp_path):
    checks = _first("checks")
    del checks[2]["missing"]
    with pytest.raises(DataError, match=rf"checks.yaml: record '{checks[2]['id']}': field 'missing': Field required"):
        data.load_checks(_checks_dir(tmp_path, checks))


def test_two_checks_with_one_id_are_refused(tmp_path):
    checks = _first("checks")
    checks[3]["id"] = checks[0]["id"]
    with pytest.raises(DataError, match=rf"checks.yaml: record '{checks[0]['id']}': duplicate id; give each check "
                                        "its own id"):
        data.load_checks(_checks_dir(tmp_path, checks))


def test_a_check_naming_an_unknown_claim_is_refused(tmp_path):
    checks = _first("checks")
    checks[0]["claims"] = [*checks[0]["claims"], "S9-99"]
    with pytest.raises(DataError, match=rf"checks.yaml: record '{checks[0]['id']}': field 'claims' names unknown "
                                        r"claim\(s\) 'S9-99'; correct the id or add the claim"):
        data.load_checks(_checks_dir(tmp_path, checks))


@pytest.mark.parametrize("field, value, match", [
    ("question", "Does it add up.", r"field 'question': .*ending in '\?'"),
    ("claims", [], r"field 'claims': .*at least 1"),
    ("id", "Compute Fit", r"field 'id': String should match pattern"),
    ("output", "", r"field 'output': String should match pattern"),
])
def test_a_check_with_a_bad_value_is_refused(tmp_path, field, value, match):
    checks = _first("checks")
    checks[0][field] = value
    with pytest.raises(DataError, match=rf"checks.yaml: record '.*': {match}"):
        data.load_checks(_checks_dir(tmp_path, checks))


def test_a_checks_file_that_is_not_a_list_or_missing_is_refused(tmp_path):
    path = _checks_dir(tmp_path, {"compute_fit": {}})
    with pytest.raises(DataError, match="checks.yaml: expected a list of records, got dict"):
        data.load_checks(path)
    path.unlink()
    with pytest.raises(DataError, match="checks.yaml: file not found"):
        data.load_checks(path)


# ---------------------------------------------------------------- data/correlations.yaml

def _group(**changes):
    record = {"name": "siting_test", "label": "Siting test", "members": ["pue", "electricity_price_usd_per_kwh"],
              "rank_correlation": 0.3, "basis": {"assumption": "test"}}
    return {**record, **changes}


def test_the_groups_load_with_the_dataset_as_model_groups(dataset):
    assert dataset.groups, "data/correlations.yaml declares no group"
    for record in dataset.groups.values():
        group = record.group
        assert group.members == record.members and group.label == record.label
        assert all(dataset.parameters[m].distribution != "fixed" for m in record.members)


@pytest.mark.parametrize("group, message", [
    (_group(members=["pue", "pue_typo"]), r"group 'siting_test': field 'members': unknown parameter 'pue_typo'"),
    (_group(members=["pue", "accelerators_per_server"]),
     r"group 'siting_test': field 'members': 'accelerators_per_server' is fixed"),
    (_group(rank_correlation=[[1.0, 0.3], [0.2, 1.0]]), r"group 'siting_test': field 'rank_correlation': .*symmetric"),
    (_group(rank_correlation=[[1.0, 0.3, 0.1], [0.3, 1.0, 0.1], [0.1, 0.1, 1.0]]),
     r"field 'rank_correlation': .*must be a 2 x 2 matrix"),
    (_group(rank_correlation=1.5), r"field 'rank_correlation': .*entries in \[-1, 1\]"),
    (_group(members=["pue"]), r"group 'siting_test': field 'members'"),
    (_group(colour="red"), r"group 'siting_test': field 'colour'"),
])
def test_a_bad_group_is_refused_naming_file_group_and_field(tmp_path, group, message):
    with pytest.raises(DataError, match=rf"correlations.yaml: .*{message}"):
        data.Dataset.from_dir(_write(tmp_path, correlations=[group]))


def test_a_parameter_in_two_groups_is_refused(tmp_path):
    groups = [_group(), _group(name="other", label="Other", members=["pue", "fleet_utilization"])]
    with pytest.raises(DataError, match=r"correlations.yaml: group 'other': field 'members': 'pue' is already in "
                                        r"group 'siting_test'"):
        data.Dataset.from_dir(_write(tmp_path, correlations=groups))


def test_a_correlation_matrix_that_no_joint_draw_can_have_is_refused(tmp_path):
    members = ["pue", "electricity_price_usd_per_kwh", "fleet_utilization"]
    matrix = [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]
    with pytest.raises(DataError, match=r"group 'siting_test': field 'rank_correlation': .*positive definite"):
        data.Dataset.from_dir(_write(tmp_path, correlations=[_group(members=members, rank_correlation=matrix)]))
