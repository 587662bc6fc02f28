"""The book's open data: a Frictionless data package (https://datapackage.org) of what the book
reads and what it finds, published with every build under the site's `data/`.

Resources, each a CSV with a table schema (types, units, constraints, keys):

- `sources`, `claims` (claims -> sources), `parameters` and the links of each parameter's basis
  (`parameter_claims` -> claims, `parameter_sources` -> sources): data/ as the book reads it;
- `parameter_values`: the values this build ran with, one column per parameter, each constrained
  to its range;
- `headlines` and `checks` (with `check_claims` -> claims): the front page's Monte Carlo results
  and cross-check verdicts, taken from the front page itself (`results`), so the package holds
  the numbers the pages show.

The front page computes the results (`results`, the heavy part: the chapters' seeded Monte
Carlo); `package` writes the files from them and from data/ with the standard library only, so
the build that calls it needs neither pandas nor SciPy.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..inputs.data import Dataset, Parameter, Status, Theme

NAME = "bytedance-ai-bet"  # the package's name; a scenario book's adds "-<scenario>"
DEFAULT_SCENARIO = "default"  # the published book: every parameter at its default
DESCRIPTOR = "datapackage.json"
RESULTS_MIME = "application/vnd.analysis.datapackage-results+json"  # the front page's output
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"  # analysis.inputs.data.Id
LIST_NOTE = "ids separated by single spaces"
# analysis.models.audit.VERDICTS (a test keeps them equal), named here so the build imports no model
VERDICTS = ("consistent", "tension", "contradiction")


# --------------------------------------------------------------------------- the front page's side


class Results:
    """The front page's headline and cross-check results, as a notebook output the build reads back.

    Shown by a cell tagged `remove-cell`: the page shows none of it; the executed notebook keeps it
    under `RESULTS_MIME`, where `analysis.book.datapackage` finds it (cached notebooks included).
    """

    def __init__(self, payload: dict):
        self.payload = payload

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {RESULTS_MIME: self.payload, "text/plain": repr(self)}

    def __repr__(self) -> str:
        return (f"<data package results: {len(self.payload['headlines'])} headlines, "
                f"{len(self.payload['checks'])} checks>")


def _number(value) -> float | str:
    """A float for JSON: infinite and missing values as the table schema writes them (INF, -INF, NaN)."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return value


def results(summaries: Mapping, checks) -> Results:
    """The headline ranges (`headlines.headline_table(summaries)`) and the checks' verdicts
    (`audit.checks_table`) for the data package: what the front page has just computed."""
    from . import headlines

    table = headlines.headline_table(summaries)
    rows = [{"chapter": r.chapter, "output": r.output, "label": r.label, "unit": r.unit,
             "p10": _number(r.p10), "p50": _number(r.p50), "p90": _number(r.p90), "text": r.text}
            for r in table.itertuples()]
    verdicts = [{"id": r.id, "title": r.title, "question": r.question, "unit": r.unit, "claims": list(r.claims),
                 "model_low": _number(r.model_low), "model_mid": _number(r.model_mid),
                 "model_high": _number(r.model_high), "claim_low": _number(r.claim_low),
                 "claim_high": _number(r.claim_high), "overlap_share": _number(r.overlap_share),
                 "verdict": r.verdict}
                for r in checks.itertuples()]
    return Results({"headlines": rows, "checks": verdicts})


# --------------------------------------------------------------------------- schemas


def _field(name: str, type_: str = "string", description: str = "", unit: str | None = None,
           required: bool = False, **constraints) -> dict:
    field: dict[str, Any] = {"name": name, "type": type_}
    if description:
        field["description"] = description + (f" [{unit}]" if unit else "")
    if unit:
        field["unit"] = unit
    if required:
        constraints["required"] = True
    if constraints:
        field["constraints"] = constraints
    return field


def _id(name: str, description: str, **constraints) -> dict:
    return _field(name, description=description, required=True, pattern=ID_PATTERN, **constraints)


def _fk(field: str, resource: str, key: str) -> dict:
    return {"fields": [field], "reference": {"resource": resource, "fields": [key]}}


BASIS_KINDS = ("claims", "sources", "assumption", "claims+sources", "claims+assumption",
               "sources+assumption", "claims+sources+assumption")
SCENARIO_FIELD = _field("scenario", description=f"the scenario this build shows ('{DEFAULT_SCENARIO}': "
                        "the published book, every parameter at its default)", required=True)
HASH_FIELD = _field("inputs_hash", description="hash of the data, parameters and code the numbers come from, "
                    "as in every page's footer", required=True, pattern="^[0-9a-f]{12}$")

SCHEMAS: dict[str, dict] = {
    "sources": {
        "fields": [
            _id("id", "the source's id, as claims and parameters name it", unique=True),
            _field("kind", description="seed (one of the five articles the work starts from) or external",
                   required=True, enum=["seed", "external"]),
            _field("title", description="title in the original language", required=True),
            _field("publisher", description="the original publisher (and author where known)", required=True),
            _field("date", description="publication date, ISO 8601, as precise as known (YYYY, YYYY-MM or "
                   "YYYY-MM-DD)", required=True, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
            _field("language", description="language of the text quoted (BCP 47 tag)", required=True),
            _field("url", description="where the source is published; empty for the seed articles"),
            _field("file", description="a seed article's file name in the project's shared/seeds folder"),
            _field("note", description="dating, confidence and known errors of the source"),
        ],
        "primaryKey": ["id"],
    },
    "claims": {
        "fields": [
            _id("id", "the claim's id (S<seed>-<n> for the seeds, X-... for external sources)", unique=True),
            _id("source", "the source it is taken from (sources.id)"),
            _field("quote", description="the source's own words, verbatim, in the original language",
                   required=True),
            _field("english", description="our English rendering", required=True),
            _field("value", "number", "the number the claim states, in `unit`; empty when it states none"),
            _field("value_high", "number", "the upper end when the claim states a range"),
            _field("unit", description="the unit of value and value_high, with the claim's scope", required=True),
            _field("as_of", description="the date or period the claim refers to", required=True),
            _field("theme", description="the chapter theme it serves", required=True,
                   enum=list(Theme.__args__)),
            _field("status", description="ok, ambiguous, unsourced or inconsistent (see the Sources and "
                   "claims page)", required=True, enum=list(Status.__args__)),
            _field("reason", description="why it has that status", required=True),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [_fk("source", "sources", "id")],
    },
    "parameters": {
        "fields": [
            _field("name", description="the parameter's name, as a scenario file or -p takes it", required=True,
                   unique=True, pattern=r"^[a-z][a-z0-9_]*$"),
            _field("label", description="its short label, as charts show it", required=True),
            _field("unit", description="the unit of default, low and high", required=True),
            _field("type", description="float or int", required=True, enum=["float", "int"]),
            _field("default", "number", "the default (the published book's value)", "see unit", required=True),
            _field("low", "number", "the low end of its plausible range", "see unit", required=True),
            _field("high", "number", "the high end of its plausible range", "see unit", required=True),
            _field("distribution", description="how the Monte Carlo draws it: fixed, uniform, triangular (mode "
                   "= default) or lognormal (median = default, low and high about its 5th and 95th percentiles)",
                   required=True, enum=["fixed", "uniform", "triangular", "lognormal"]),
            _field("description", description="what it is", required=True),
            _field("basis_kind", description="what the default rests on: claims, sources, an assumption",
                   required=True, enum=list(BASIS_KINDS)),
            _field("basis_claims", description=f"the claims it rests on (claims.id; {LIST_NOTE}; one row each "
                   "in parameter_claims)"),
            _field("basis_sources", description=f"the external sources it rests on (sources.id; {LIST_NOTE}; "
                   "one row each in parameter_sources)"),
            _field("basis_assumption", description="the assumption and its reasoning, in words"),
        ],
        "primaryKey": ["name"],
    },
    "parameter_claims": {
        "fields": [_field("parameter", description="parameters.name", required=True),
                   _id("claim", "a claim the parameter's default rests on (claims.id)")],
        "primaryKey": ["parameter", "claim"],
        "foreignKeys": [_fk("parameter", "parameters", "name"), _fk("claim", "claims", "id")],
    },
    "parameter_sources": {
        "fields": [_field("parameter", description="parameters.name", required=True),
                   _id("source", "an external source the parameter's default rests on (sources.id)")],
        "primaryKey": ["parameter", "source"],
        "foreignKeys": [_fk("parameter", "parameters", "name"), _fk("source", "sources", "id")],
    },
    "headlines": {
        "fields": [
            _field("chapter", description="the chapter that argues it", required=True),
            _field("output", description="the model output's name", required=True, unique=True),
            _field("label", description="what it is, as the pages label it", required=True),
            _field("unit", description="the unit of p10, p50 and p90", required=True),
            _field("p10", "number", "10th percentile of the chapter's Monte Carlo", "see unit", required=True),
            _field("p50", "number", "median of the chapter's Monte Carlo", "see unit", required=True),
            _field("p90", "number", "90th percentile of the chapter's Monte Carlo", "see unit", required=True),
            _field("text", description="the P50 and range as the pages write them", required=True),
            SCENARIO_FIELD, HASH_FIELD,
        ],
        "primaryKey": ["output"],
    },
    "checks": {
        "fields": [
            _field("id", description="the cross-check's id", required=True, unique=True,
                   pattern=r"^[a-z][a-z0-9_]*$"),
            _field("title", description="what it compares", required=True),
            _field("question", description="the question it answers", required=True),
            _field("unit", description="the unit of both ranges ('share': a fraction)", required=True),
            _field("model_low", "number", "the model side's low end: P10 of the Monte Carlo, or a fixed "
                   "range's low end", "see unit", required=True),
            _field("model_mid", "number", "the model side's P50 or central value", "see unit", required=True),
            _field("model_high", "number", "the model side's high end: P90, or a fixed range's high end",
                   "see unit", required=True),
            _field("claim_low", "number", "the low end the claims state or imply", "see unit", required=True),
            _field("claim_high", "number", "the high end the claims state or imply; INF when open-ended",
                   "see unit", required=True),
            _field("overlap_share", "number", "the share of the narrower range the two ranges have in common "
                   "(0 to 1); -1 when they do not meet", "fraction", required=True, minimum=-1, maximum=1),
            _field("verdict", description="consistent, tension or contradiction (computed from the overlap)",
                   required=True, enum=list(VERDICTS)),
            _field("claims", description=f"the claims it rests on (claims.id; {LIST_NOTE}; one row each in "
                   "check_claims)", required=True),
            SCENARIO_FIELD, HASH_FIELD,
        ],
        "primaryKey": ["id"],
    },
    "check_claims": {
        "fields": [_field("check", description="checks.id", required=True),
                   _id("claim", "a claim the check rests on (claims.id)")],
        "primaryKey": ["check", "claim"],
        "foreignKeys": [_fk("check", "checks", "id"), _fk("claim", "claims", "id")],
    },
}

TITLES = {
    "sources": "Sources: the publications the book takes numbers from",
    "claims": "Claims: one statement of one source each, quoted verbatim",
    "parameters": "Parameters: every model input with its unit, default, range, distribution and basis",
    "parameter_claims": "The claims each parameter's default rests on",
    "parameter_sources": "The external sources each parameter's default rests on",
    "parameter_values": "The parameter values this build ran with, each within its range",
    "headlines": "Headline results: P10, P50 and P90 of each chapter's Monte Carlo",
    "checks": "Cross-checks: the model's range against the claims' range, and the verdict",
    "check_claims": "The claims each cross-check rests on",
}
RESOURCES = tuple(TITLES)  # in the order the package lists them


def values_schema(parameters: Mapping[str, Parameter]) -> dict:
    """`parameter_values`: the scenario, then one column per parameter typed, with its unit, constrained to its range."""
    fields = [SCENARIO_FIELD]
    for p in parameters.values():
        kind = "integer" if p.type == "int" else "number"
        low, high = (int(p.low), int(p.high)) if p.type == "int" else (p.low, p.high)
        fields.append(_field(p.name, kind, f"{p.display_label}: {p.description}", p.unit, required=True,
                             minimum=low, maximum=high))
    return {"fields": fields, "primaryKey": ["scenario"]}


# --------------------------------------------------------------------------- rows


def _ids(ids: Sequence[str]) -> str:
    return " ".join(ids)


def basis_kind(param: Parameter) -> str:
    """'claims', 'claims+assumption', ...: which parts of its basis a parameter has."""
    parts = [part for part, present in (("claims", param.basis.claims), ("sources", param.basis.sources),
                                        ("assumption", param.basis.assumption)) if present]
    return "+".join(parts)


def tables(dataset: Dataset, front_page: Mapping, scenario: str, inputs_hash: str,
           values: Mapping[str, float | int]) -> dict[str, list[dict]]:
    """Every resource's rows by name. `front_page` is `Results.payload` (None: no headlines or checks)."""
    params = dataset.parameters.values()
    found = {
        "sources": [s.model_dump() for s in dataset.sources.values()],
        "claims": [{k: v for k, v in c.model_dump().items()} for c in dataset.claims.values()],
        "parameters": [{"name": p.name, "label": p.display_label, "unit": p.unit, "type": p.type,
                        "default": p.value, "low": p.low, "high": p.high, "distribution": p.distribution,
                        "description": p.description, "basis_kind": basis_kind(p),
                        "basis_claims": _ids(p.basis.claims), "basis_sources": _ids(p.basis.sources),
                        "basis_assumption": p.basis.assumption} for p in params],
        "parameter_claims": [{"parameter": p.name, "claim": c} for p in params for c in p.basis.claims],
        "parameter_sources": [{"parameter": p.name, "source": s} for p in params for s in p.basis.sources],
        "parameter_values": [{"scenario": scenario, **{p.name: values.get(p.name, p.value) for p in params}}],
    }
    if front_page is None:
        return found
    stamp = {"scenario": scenario, "inputs_hash": inputs_hash}
    found["headlines"] = [{**row, **stamp} for row in front_page["headlines"]]
    found["checks"] = [{**r, "claims": _ids(r["claims"]), **stamp} for r in front_page["checks"]]
    found["check_claims"] = [{"check": r["id"], "claim": c} for r in front_page["checks"] for c in r["claims"]]
    return found


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def to_csv(fields: Sequence[dict], rows: Sequence[Mapping]) -> str:
    """Rows as CSV (RFC 4180, LF line ends, UTF-8), the columns in the schema's order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [f["name"] for f in fields]
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in names])
    return out.getvalue()


def package(dataset: Dataset, front_page: Mapping | None, scenario: str = DEFAULT_SCENARIO,
            inputs_hash: str = "0" * 12, values: Mapping[str, float | int] | None = None,
            title: str = "") -> dict[str, str]:
    """The data package's files: `datapackage.json` and one CSV per resource, by file name."""
    rows = tables(dataset, front_page, scenario, inputs_hash, dict(values or {}))
    schemas = {**SCHEMAS, "parameter_values": values_schema(dataset.parameters)}
    files: dict[str, str] = {}
    resources = []
    for name in RESOURCES:
        if name not in rows:
            continue
        path = f"{name}.csv"
        files[path] = to_csv(schemas[name]["fields"], rows[name])
        resources.append({"name": name, "title": TITLES[name], "path": path,
                          "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "schema": schemas[name]})
    descriptor = {
        "profile": "tabular-data-package",
        "name": NAME if scenario == DEFAULT_SCENARIO else f"{NAME}-{scenario}",
        "title": title + ("" if scenario == DEFAULT_SCENARIO else f" [scenario: {scenario}]"),
        "description": "What the book reads (sources, claims verbatim, parameters) and what it finds (headline "
                       "ranges, cross-check verdicts) for one build; see the book's Data page.",
        "scenario": scenario,
        "inputs_hash": inputs_hash,
        "licenses": [LICENSE],
        "resources": resources,
    }
    files[DESCRIPTOR] = json.dumps(descriptor, indent=1, ensure_ascii=False) + "\n"
    return files

