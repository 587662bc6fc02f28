"""The site's data package (data/): valid Frictionless, true to data/ and to the pages' numbers."""

import ast
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest

from analysis.book import datapackage as book_package
from analysis.book import plan as plan_mod
from analysis.inputs import data, paths
from analysis.report import datapackage as package_mod
from analysis.report.outputs import OUTPUTS

ROOT = paths.REPO_ROOT


def rows(folder: Path, resource: str) -> list[dict]:
    with open(folder / f"{resource}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def glued(notebook: Path) -> dict[str, object]:
    """The values a notebook glues, by name (glue stores their repr)."""
    found = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook", {})
            if "name" in meta:
                found[meta["name"]] = ast.literal_eval(out["data"][meta.get("mime_prefix", "") + "text/plain"])
    return found


@pytest.fixture(scope="module")
def package(clean_build) -> Path:
    """The data/ folder of the book built from a clean copy of its sources."""
    return clean_build.published / book_package.DATA_DIR


@pytest.fixture(scope="module")
def report(package):
    return frictionless.validate(str(package / package_mod.DESCRIPTOR))


def test_the_built_package_is_valid_with_every_resource(package, report):
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:20]
    descriptor = json.loads((package / package_mod.DESCRIPTOR).read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == list(package_mod.RESOURCES)
    assert descriptor["scenario"] == package_mod.DEFAULT_SCENARIO and descriptor["name"] == package_mod.NAME
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert field.get("description"), (resource["name"], field["name"])


def test_foreign_keys_hold(package):
    sources = {r["id"] for r in rows(package, "sources")}
    claims = {r["id"] for r in rows(package, "claims")}
    parameters = {r["name"] for r in rows(package, "parameters")}
    assert {r["source"] for r in rows(package, "claims")} <= sources
    assert {r["claim"] for r in rows(package, "parameter_claims")} <= claims
    assert {r["source"] for r in rows(package, "parameter_sources")} <= sources
    assert {r["parameter"] for r in rows(package, "parameter_claims")} <= parameters
    assert {r["claim"] for r in rows(package, "check_claims")} <= claims
    assert {r["check"] for r in rows(package, "check_claims")} == {r["id"] for r in rows(package, "checks")}
    for row in rows(package, "parameters"):  # the link tables hold each basis, id for id
        links = [r["claim"] for r in rows(package, "parameter_claims") if r["parameter"] == row["name"]]
        assert row["basis_claims"].split() == links, row["name"]


def test_every_quote_is_the_one_in_claims_yaml_verbatim(package):
    raw = {record["id"]: record for record in data.load_yaml(ROOT / "data" / "claims.yaml")}
    written = rows(package, "claims")
    assert [r["id"] for r in written] == list(raw)
    for row in written:
        assert row["quote"] == raw[row["id"]]["quote"], row["id"]
        assert row["english"] == raw[row["id"]]["english"], row["id"]


def test_parameter_defaults_lie_inside_their_constraints(package):
    descriptor = json.loads((package / package_mod.DESCRIPTOR).read_text(encoding="utf-8"))
    values = next(r for r in descriptor["resources"] if r["name"] == "parameter_values")
    fields = {f["name"]: f for f in values["schema"]["fields"]}
    (published,) = rows(package, "parameter_values")
    for row in rows(package, "parameters"):
        limits = fields[row["name"]]["constraints"]
        assert limits["minimum"] <= float(row["default"]) <= limits["maximum"], row["name"]
        assert (limits["minimum"], limits["maximum"]) == (float(row["low"]), float(row["high"]))
        assert fields[row["name"]]["unit"] == row["unit"]
        assert float(published[row["name"]]) == float(row["default"])  # the published book runs the defaults


def test_headlines_are_the_numbers_the_front_page_shows(clean_build, package):
    # Taken from the front page's own Monte Carlo (report.headlines.stage_draws): each range the
    # front page glues is the text written from the package's P10, P50 and P90 (OUTPUTS).
    front = glued(clean_build.root / "chapters" / "intro.ipynb")
    headlines = rows(package, "headlines")
    assert [r["output"] for r in headlines] == [h.output for h in package_mod_headlines()]
    shown = 0
    for row in headlines:
        text = OUTPUTS[row["output"]].range_text(float(row["p10"]), float(row["p50"]), float(row["p90"]))
        assert row["text"] == text
        if row["output"] in front:
            assert front[row["output"]] == text, row["output"]
            shown += 1
    assert shown >= 12
    verdicts = [r["verdict"] for r in rows(package, "checks")]
    assert front["n_checks"] == len(verdicts)
    for verdict in package_mod.VERDICTS:
        assert front[f"n_{verdict}"] == verdicts.count(verdict)
    audit = glued(clean_build.root / "chapters" / "audit.ipynb")  # the cross-check chapter says the same
    for row in rows(package, "checks"):
        assert audit[f"{row['id']}_verdict"] == row["verdict"], row["id"]


def package_mod_headlines():
    from analysis.report import headlines

    return headlines.headlines()


def test_the_verdicts_are_the_models():
    from analysis.models import audit

    assert package_mod.VERDICTS == audit.VERDICTS


def test_a_claim_with_an_unknown_source_fails_validation(package, tmp_path):
    broken = tmp_path / "data"
    shutil.copytree(package, broken)
    claims = (broken / "claims.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    first = claims[1].split(",")
    claims[1] = ",".join([first[0], "no-such-source", *first[2:]])
    (broken / "claims.csv").write_text("".join(claims), encoding="utf-8")
    descriptor = json.loads((broken / package_mod.DESCRIPTOR).read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in ("sources", "claims")]
    (broken / package_mod.DESCRIPTOR).write_text(json.dumps(descriptor), encoding="utf-8")
    result = frictionless.validate(str(broken / package_mod.DESCRIPTOR))
    assert not result.valid
    assert [e[1] for e in result.flatten(["rowNumber", "type"])] == ["foreign-key"]


def test_a_scenario_package_carries_its_name_and_values(dataset):
    payload = {"headlines": [], "checks": []}
    files = package_mod.package(dataset, payload, scenario="hot", inputs_hash="a" * 12,
                                values={**{n: p.value for n, p in dataset.parameters.items()}, "pue": 1.4})
    descriptor = json.loads(files[package_mod.DESCRIPTOR])
    assert descriptor["name"] == f"{package_mod.NAME}-hot" and descriptor["scenario"] == "hot"
    header, row = files["parameter_values.csv"].splitlines()
    assert dict(zip(header.split(","), row.split(",")))["pue"] == "1.4"
    assert row.startswith("hot,")


def test_the_package_is_cached_until_what_it_is_made_of_changes(toy_book, monkeypatch):
    # A toy book has no front page results: the package holds what data/ holds.
    target = plan_mod.Target(root=toy_book)
    first = book_package.files(target)
    assert f"{book_package.EXTRA_DIR}/data/claims.csv" in first and not any("headlines" in k for k in first)
    monkeypatch.setattr(package_mod, "package", lambda *a, **k: pytest.fail("rebuilt an unchanged package"))
    assert book_package.files(target) == first
    other = plan_mod.Target(root=toy_book, name="hot", overrides={"pue": 1.4})
    with pytest.raises(pytest.fail.Exception):
        book_package.files(other)


def test_a_no_op_build_rewrites_nothing_and_imports_no_pandas_or_scipy(clean_build, tmp_path):
    root = tmp_path / "book"
    shutil.copytree(clean_build.root, root, symlinks=True)
    before = {p: p.read_bytes() for p in (root / "_build" / "html" / "data").iterdir()}
    code = ("import sys\nfrom analysis.book import build\n"
            f"s = build.build({str(root)!r}, report=lambda line: None, pdf={clean_build.pdf})\n"
            "heavy = [m for m in ('pandas', 'scipy', 'frictionless', 'analysis.report.headlines') if m in sys.modules]\n"
            "print(len(s.executed), s.html_built, heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.split("\n")[0] == "0 False []", out.stdout + out.stderr
    assert {p: p.read_bytes() for p in (root / "_build" / "html" / "data").iterdir()} == before


def test_the_reference_pages_link_the_package_and_the_data_page_describes_every_table(clean_build, package):
    html_dir = clean_build.published
    for page, resources in (("sources", ["sources", "claims"]), ("parameters", ["parameters", "parameter_values"])):
        text = (html_dir / "chapters" / f"{page}.html").read_text(encoding="utf-8")
        for resource in resources:
            assert f'href="../data/{resource}.csv"' in text, (page, resource)
    page = (html_dir / "chapters" / "data.html").read_text(encoding="utf-8")
    for resource in package_mod.RESOURCES:
        assert f'href="../data/{resource}.csv"' in page, resource
        assert (package / f"{resource}.csv").is_file()
    assert "CC BY 4.0" in page
    assert "chapters/data.md" in plan_mod.toc_files(ROOT)
