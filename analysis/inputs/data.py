"""Schemas and loaders for data/: sources.yaml, claims.yaml, parameters/*.yaml, correlations.yaml and checks.yaml.

Every number that enters the book enters here. Records are validated on load
with pydantic; schemas forbid unknown keys, so a typo fails loudly with the
file, the record and the field.
"""

from __future__ import annotations

from collections.abc import Mapping

import difflib
import math
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import paths
from ..errors import AnalysisError, DataError

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
ParameterName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
CHECKS_FILE = "checks.yaml"  # data/checks.yaml: the audit chapter's cross-checks
CORRELATIONS_FILE = "correlations.yaml"  # data/correlations.yaml: inputs that move together
PARAMETERS_DIR = "parameters"  # data/parameters/<theme>.yaml, one file per chapter theme
Theme = Literal["capex", "tokens", "emissions", "flywheel", "meta"]
Status = Literal["ok", "inconsistent", "ambiguous", "unsourced"]
Distribution = Literal["fixed", "uniform", "triangular", "lognormal"]
LABEL_MAX_CHARS = 40  # a tornado bar's label, a table cell: short enough to read at a glance


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Record):
    """A publication the book takes numbers from: a seed article or an external one."""

    id: Id
    kind: Literal["seed", "external"]
    title: str
    publisher: str
    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="ISO date, as precise as known")
    language: str
    url: str | None = None
    file: str | None = Field(None, description="for a seed: its file name in ../shared/seeds")
    note: str | None = None

    @model_validator(mode="after")
    def _seed_has_file(self) -> Source:
        if self.kind == "seed" and not self.file:
            raise ValueError("a seed source needs 'file', its file name in ../shared/seeds")
        if self.kind == "external" and self.file:
            raise ValueError("only seed sources have 'file'; give an external source a 'url'")
        return self


class Claim(Record):
    """One statement taken from a source, with its words kept verbatim."""

    id: Id
    source: Id
    quote: str = Field(min_length=1, description="verbatim, original language, exact substring")
    english: str = Field(min_length=1)
    value: float | None = None
    value_high: float | None = Field(None, description="upper end when the claim is a range")
    unit: str
    as_of: str
    theme: Theme
    status: Status
    reason: str = Field(min_length=1)


class Basis(Record):
    """Where a parameter's default comes from: claims, external sources, or a stated assumption."""

    claims: list[Id] = []
    sources: list[Id] = []
    assumption: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Basis:
        if not (self.claims or self.sources or self.assumption):
            raise ValueError("basis needs at least one of 'claims', 'sources' or 'assumption'")
        return self


class Parameter(Record):
    """One model input: its default, plausible range and uncertainty."""

    name: ParameterName
    label: str | None = Field(None, min_length=1, max_length=LABEL_MAX_CHARS,
                              description="a short plain-English name for charts and tables")
    unit: str
    type: Literal["float", "int"] = "float"
    default: float
    low: float
    high: float
    distribution: Distribution
    description: str
    basis: Basis

    @model_validator(mode="after")
    def _range(self) -> Parameter:
        for field in ("default", "low", "high"):
            value = getattr(self, field)
            if not math.isfinite(value):
                raise ValueError(f"{field} must be finite, got {value}")
            if self.type == "int" and value != int(value):
                raise ValueError(f"{field} must be a whole number for an int parameter, got {value}")
        if not self.low <= self.default <= self.high:
            raise ValueError(f"default {self.default} lies outside [low, high] = [{self.low}, {self.high}]")
        if self.distribution != "fixed" and self.low == self.high:
            raise ValueError(f"distribution '{self.distribution}' needs low < high; use 'fixed'")
        if self.distribution == "lognormal" and self.low <= 0:
            raise ValueError("a lognormal parameter needs low > 0")
        return self

    @property
    def display_label(self) -> str:
        """What readers see: the label, or the name where a record has none."""
        return self.label or self.name

    @property
    def value(self) -> float:
        """The default, typed as the parameter's type."""
        return int(self.default) if self.type == "int" else float(self.default)


class CorrelationGroup(Record):
    """Parameters that move together: their target rank correlation and why (data/correlations.yaml)."""

    name: ParameterName
    label: str = Field(min_length=1, max_length=LABEL_MAX_CHARS, description="a short name for charts and prose")
    members: tuple[ParameterName, ...] = Field(min_length=2, description="uncertain parameters, each in one group")
    rank_correlation: float | tuple[tuple[float, ...], ...] = Field(
        description="Spearman's rho: one number for every pair, or a matrix in members order")
    basis: Basis

    @property
    def group(self):
        """The group as the models take it (`analysis.models.correlation.Group`)."""
        from ..models.correlation import Group  # SciPy loads only where groups are used

        return Group(self.members, self.rank_correlation, self.label)


def _check_groups(groups: Mapping[str, CorrelationGroup], parameters: Mapping[str, Parameter],
                  claims: Mapping[str, Claim], sources: Mapping[str, Source]) -> None:
    """Members known and uncertain, each in one group; a valid correlation; the basis's ids known."""
    from ..errors import ModelInputError

    where = CORRELATIONS_FILE
    group_of: dict[str, str] = {}
    for group in groups.values():
        at = f"{where}: group '{group.name}'"
        for member in group.members:
            if member not in parameters:
                close = difflib.get_close_matches(member, list(parameters), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise DataError(f"{at}: field 'members': unknown parameter '{member}'{hint} "
                                "(members are names in data/parameters/*.yaml)")
            if parameters[member].distribution == "fixed":
                raise DataError(f"{at}: field 'members': '{member}' is fixed; only uncertain parameters "
                                "can move together")
            if member in group_of:
                raise DataError(f"{at}: field 'members': '{member}' is already in group '{group_of[member]}'; "
                                "put each parameter in one group")
            group_of[member] = group.name
        try:
            group.group
        except ModelInputError as exc:
            raise DataError(f"{at}: field 'rank_correlation': {exc}") from None
        _check_basis(group.basis, claims, sources, f"{at}: field 'basis'")


class Check(Record):
    """One cross-check of the audit chapter: what it compares, the claims it rests on, what would settle it.

    The model side is `output` (a model output's name); the claim side's range is computed
    from the claims under the check's `id` (`analysis.report.audit.claim_ranges`).
    """

    id: ParameterName = Field(description="lower case with underscores: the chapter glues <id>_model etc.")
    title: str = Field(min_length=1)
    question: str = Field(min_length=1, description="one sentence ending in '?'")
    claims: tuple[Id, ...] = Field(min_length=1, description="the claim ids it rests on")
    model: str = Field(min_length=1, description="what the model side computes, in words")
    claim: str = Field(min_length=1, description="what the claim side states or implies, in words")
    unit: str = Field(min_length=1, description="of both ranges; 'share' is a fraction shown as a percentage")
    output: ParameterName = Field(description="a model output or a fixed range's name")
    missing: str = Field(min_length=1, description="what would settle the check")

    @field_validator("question")
    @classmethod
    def _is_a_question(cls, question: str) -> str:
        if not question.rstrip().endswith("?"):
            raise ValueError("a check's question is one sentence ending in '?'")
        return question


def _check_basis(basis: Basis, claims, sources, at: str) -> None:
    """Every claim and source a basis names exists; a DataError saying where (`at`) otherwise."""
    for cid in basis.claims:
        if cid not in claims:
            raise DataError(f"{at} names unknown claim '{cid}'")
    for sid in basis.sources:
        if sid not in sources:
            raise DataError(f"{at} names unknown source '{sid}'")


class DuplicateKeyError(yaml.YAMLError):
    """A mapping gives one key twice; `load_yaml` turns it into the caller's error, naming the file."""

    def __init__(self, key: object, first_line: int, second_line: int):
        super().__init__(f"key {key!r} is given twice, on lines {first_line} and {second_line}; keep one")


class UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice in one mapping (plain `safe_load` keeps the last).

    Lines are counted from 1, as an editor shows them; merge keys (`<<`) are left to PyYAML.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        first_line: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in first_line:
                raise DuplicateKeyError(key, first_line[key], line)
            first_line[key] = line
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str, origin: str, error: type[AnalysisError] = DataError):
    """YAML text's content, read with `UniqueKeyLoader`: the one way this package reads YAML.

    Bad YAML or a key given twice in one mapping raises `error` naming `origin`, e.g.
    "my-case.yaml: key 'pue' is given twice, on lines 2 and 3; keep one".
    """
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)
    except DuplicateKeyError as exc:
        raise error(f"{origin}: {exc}") from None
    except yaml.YAMLError as exc:
        raise error(f"{origin}: not valid YAML: {exc}") from None


def load_yaml(path: Path, error: type[AnalysisError] = DataError, what: str = "file", origin: str | None = None):
    """A YAML file's content (`parse_yaml`); a missing file, bad YAML or a key given twice raises `error`
    naming the file (`origin`, default the path)."""
    where = origin or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{where}: {what} not found") from None
    return parse_yaml(text, where, error)


def _read_records(path: Path, model: type[Record], key: str, seen: set | None = None, noun: str = "record") -> list:
    raw = load_yaml(path)
    if not isinstance(raw, list):
        raise DataError(f"{path}: expected a list of records, got {type(raw).__name__}")
    records, seen = [], set() if seen is None else seen
    where = f"{path.parent.name}/{path.name}" if path.parent.name == PARAMETERS_DIR else path.name
    for index, item in enumerate(raw):
        label = item.get(key, f"#{index + 1}") if isinstance(item, dict) else f"#{index + 1}"
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            problems = "; ".join(
                f"field '{'.'.join(str(p) for p in err['loc']) or '(record)'}': {err['msg']}"
                for err in exc.errors()
            )
            raise DataError(f"{where}: {noun} '{label}': {problems}") from None
        ident = getattr(record, key)
        if ident in seen:
            raise DataError(f"{where}: {noun} '{ident}': duplicate {key}")
        seen.add(ident)
        records.append(record)
    return records


class Dataset(BaseModel):
    """Sources, claims, parameters and the groups of parameters that move together, loaded together and cross-checked."""

    model_config = ConfigDict(frozen=True)

    sources: dict[str, Source]
    claims: dict[str, Claim]
    parameters: dict[str, Parameter]
    groups: dict[str, CorrelationGroup] = {}

    @classmethod
    def from_dir(cls, directory: Path) -> Dataset:
        sources = {s.id: s for s in _read_records(directory / "sources.yaml", Source, "id")}
        claims = {c.id: c for c in _read_records(directory / "claims.yaml", Claim, "id")}
        files = sorted((directory / PARAMETERS_DIR).glob("*.yaml"))
        if not files:
            raise DataError(f"{directory / PARAMETERS_DIR}: no parameter files (*.yaml) found")
        names: set[str] = set()  # a parameter is defined once, across all files
        parameters = {p.name: p for f in files for p in _read_records(f, Parameter, "name", names)}
        for claim in claims.values():
            if claim.source not in sources:
                raise DataError(f"claims.yaml: record '{claim.id}': unknown source '{claim.source}'")
        labels_seen: dict[str, str] = {}  # charts tell parameters apart by their label
        for param in parameters.values():
            if param.display_label in labels_seen:
                raise DataError(f"parameters: record '{param.name}': label '{param.display_label}' is already "
                                f"used by '{labels_seen[param.display_label]}'; give each parameter its own label")
            labels_seen[param.display_label] = param.name
            _check_basis(param.basis, claims, sources, f"parameters: record '{param.name}': basis")
        groups = {g.name: g for g in _read_records(directory / CORRELATIONS_FILE, CorrelationGroup, "name",
                                                         noun="group")}
        _check_groups(groups, parameters, claims, sources)
        return cls(sources=sources, claims=claims, parameters=parameters, groups=groups)


@lru_cache(maxsize=4)
def load(directory: Path | None = None) -> Dataset:
    """Load and validate data/ (cached per folder)."""
    return Dataset.from_dir(Path(directory) if directory else paths.data_dir())


def claims_of(dataset: Dataset | None = None) -> dict[str, Claim]:
    """The claims of `dataset`, or of data/ when it is None."""
    return (dataset if dataset is not None else load()).claims


def claim_record(claims, claim_id: str, caller: str, needs_value: bool = False) -> Claim:
    """A claim by id, or a DataError naming `caller` and the missing id (or its missing value)."""
    try:
        claim = claims[claim_id]
    except KeyError:
        raise DataError(f"{caller}: claim '{claim_id}' is not in data/claims.yaml") from None
    if needs_value and claim.value is None:
        raise DataError(f"{caller}: claim '{claim_id}' in data/claims.yaml has no value")
    return claim


def claim_value(claims, claim_id: str, unit_prefix: str, caller: str) -> float:
    """A claim's value, checked to exist and to be stated in the expected unit."""
    claim = claim_record(claims, claim_id, caller)
    if claim.value is None or not claim.unit.startswith(unit_prefix):
        raise DataError(
            f"{caller}: claim '{claim_id}' should state a value in '{unit_prefix}...', "
            f"got value {claim.value!r} in '{claim.unit}'"
        )
    return float(claim.value)


def claim_values(dataset: Dataset | None, named: Mapping[str, str]) -> dict[str, float]:
    """The values of claims by the names a text uses (`name -> claim id`), for glue.

    A claim that gives a range adds its upper value as `name_high`. An unknown id is refused.
    """
    claims = claims_of(dataset)
    found: dict[str, float] = {}
    for name, claim_id in named.items():
        claim = claim_record(claims, claim_id, "claim_values", needs_value=True)
        found[name] = claim.value
        if claim.value_high is not None:
            found[f"{name}_high"] = claim.value_high
    return found



CHECKS_HELP = f"each record's fields are described at the top of data/{CHECKS_FILE}"


@lru_cache(maxsize=4)
def load_checks(path: Path | None = None) -> tuple[Check, ...]:
    """The cross-checks of data/checks.yaml (or `path`), in file order, validated (cached per file).

    Each record must match `Check` (no unknown or missing fields), ids must be unique, and every
    claim id must be in the claims.yaml beside the file. Errors are `DataError`s naming the file,
    the check and the field.
    """
    path = Path(path) if path is not None else paths.data_dir() / CHECKS_FILE
    try:
        checks = tuple(_read_records(path, Check, "id"))
    except DataError as exc:
        if ": record '" not in str(exc):  # the file itself (missing, bad YAML, a key twice): its message says the fix
            raise
        fix = "give each check its own id" if str(exc).endswith("duplicate id") else CHECKS_HELP
        raise DataError(f"{exc}; {fix}") from None
    claims = load(path.parent).claims
    for check in checks:
        unknown = [cid for cid in check.claims if cid not in claims]
        if unknown:
            raise DataError(f"{path.name}: record '{check.id}': field 'claims' names unknown claim(s) "
                            f"{', '.join(repr(c) for c in unknown)}; correct the id or add the claim to the "
                            "claims.yaml beside it")
    return checks
