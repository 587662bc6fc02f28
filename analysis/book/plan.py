"""What a build must execute: the book's documents, each notebook's parameters, and cache keys.

A notebook's key hashes its source cells, the parameter values injected into it (those of
its parameters cell and of the model-chain stages its metadata names), the `analysis`
package and `data/`. A notebook whose key matches the last
successful run is not executed.
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError, ParameterError
from ..inputs import paths
from ..inputs import registry as params_mod
from ..inputs.data import load_yaml
from .files import atomic_write

DEFAULT = "default"
BUILD_DIR = "_build"
COMPARE_PAGE = "chapters/scenario-comparison"  # in scenario books only, executed from COMPARE_TEMPLATE
COMPARE_DOC = f"{COMPARE_PAGE}.ipynb"
COMPARE_TEMPLATE = Path(__file__).with_name("scenario-comparison.ipynb")


# --------------------------------------------------------------------------- the book's documents


def toc_files(root: Path) -> list[str]:
    """Every document in `_toc.yml`, as paths relative to the root, in reading order."""
    toc = load_yaml(root / "_toc.yml", BuildError, "table of contents")
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key in ("root", "file"):
                if key in node:
                    found.append(_resolve_doc(root, node[key]))
            for value in node.values():
                if isinstance(value, (list, dict)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return found


def _resolve_doc(root: Path, name: str) -> str:
    for suffix in ("", ".ipynb", ".md"):
        if (root / f"{name}{suffix}").is_file():
            return f"{name}{suffix}"
    raise BuildError(f"_toc.yml names '{name}', but no {name}.ipynb or {name}.md exists")


def find_chapter(docs: list[str], chapter: str) -> str:
    """The notebook among `docs` named `chapter` (its stem, e.g. `capex`, or its path)."""
    for doc in docs:
        if Path(doc).stem == chapter or doc == chapter:
            return doc
    names = ", ".join(Path(d).stem for d in docs)
    raise ParameterError(f"Unknown chapter '{chapter}'; the book's notebooks are: {names}")


# --------------------------------------------------------------------------- notebooks and their parameters


def read_notebook_json(path: Path) -> dict:
    """A notebook as plain JSON: enough for hashing and the parameters cell, and much faster
    than nbformat (whose import and validation took about a second of every no-op build)."""
    return json.loads(path.read_text(encoding="utf-8"))


def notebook_parameters(nb: Mapping) -> dict[str, object]:
    """The names and literal values of a notebook's cell tagged `parameters`."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            found = {}
            for stmt in ast.parse(source).body:
                if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
                    for target in stmt.targets:
                        found[target.id] = ast.literal_eval(stmt.value)
            return found
    return {}


def stage_parameters(root: Path, code_digest: str) -> dict[str, list[str]]:
    """The parameters each stage of the model chain reads (with its upstream stages'), by stage.

    Derived from the stages' typed inputs (`analysis.models.chain.parameters`); cached per
    digest of the code and data, so a no-op build never imports the models (numpy, pandas).
    """
    path = root / BUILD_DIR / ".cache" / f"stages-{code_digest[:16]}.json"
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        pass
    from ..models import chain

    table = {stage: list(chain.parameters([stage])) for stage in chain.STAGES}
    atomic_write(path, json.dumps(table, indent=1))
    return table


def notebook_dependencies(nb: Mapping, stages: Mapping[str, list[str]]) -> list[str]:
    """The parameters a notebook depends on: its parameters cell's, then those of the chain stages it reads.

    A chapter names the stages it reads in its metadata (`"analysis": {"stages": ["traffic"]}`);
    an unknown stage is a BuildError naming the stages there are.
    """
    names = list(notebook_parameters(nb))
    for stage in nb.get("metadata", {}).get("analysis", {}).get("stages", []):
        if stage not in stages:
            raise BuildError(f"notebook metadata names unknown stage '{stage}'; the stages are {', '.join(stages)}")
        names += stages[stage]
    return list(dict.fromkeys(names))


def chapter_parameters(chapter: str, root: Path | None = None) -> list[str]:
    """The parameters a chapter depends on (its own, then its stages'), in order."""
    root = Path(root or paths.REPO_ROOT)
    doc = find_chapter([d for d in toc_files(root) if d.endswith(".ipynb")], chapter)
    return notebook_dependencies(read_notebook_json(root / doc), stage_parameters(root, dependencies_digest(True)))


# --------------------------------------------------------------------------- digests and keys


def _source_digest(nb: Mapping) -> list:
    return [
        [c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
         sorted(c.get("metadata", {}).get("tags", []))]
        for c in nb["cells"]
        if "injected-parameters" not in c.get("metadata", {}).get("tags", [])
    ]


def dependencies_digest(include_parameters: bool = True) -> str:
    """A hash of what notebooks depend on: the `analysis` package and the data files.

    With `include_parameters=False` the parameter files are left out: a chapter's key
    holds the records of the parameters it declares instead, so changing one
    parameter re-executes only the chapters that declare it. Scenario files
    (data/scenarios/) are never in it: a scenario reaches a notebook as injected values.
    """
    digest = hashlib.sha256()
    files = [*sorted(paths.PACKAGE_DIR.rglob("*.py")), *sorted(paths.data_dir().glob("*.yaml"))]
    if include_parameters:
        files += sorted(paths.data_dir().glob("parameters/*.yaml"))
    for path in files:
        digest.update(str(path.relative_to(paths.REPO_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _key(nb: Mapping, injected: Mapping, deps: str, records: Mapping) -> str:
    """A notebook's cache key: its source cells, injected values, dependencies and parameter records."""
    payload = json.dumps({"cells": _source_digest(nb), "injected": injected, "deps": deps,
                          "parameters": records, "python": sys.version_info[:2]}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Job:
    """One notebook to execute, or to take from the cache."""

    doc: str  # path relative to the book root
    injected: dict
    key: str
    cached: bool
    skipped: bool = False  # stale, but left out by --chapter: the staged or committed version is used
    source: Path | None = None  # the notebook to execute, when it is not the book's own `doc`


@dataclass
class Target:
    """What one build produces: the default book, or a scenario's."""

    root: Path
    name: str = DEFAULT
    overrides: dict = field(default_factory=dict)
    description: str = ""

    @property
    def is_default(self) -> bool:
        return self.name == DEFAULT

    @property
    def build_dir(self) -> Path:
        return self.root / BUILD_DIR

    @property
    def published(self) -> Path:
        if self.is_default:
            return self.build_dir / "html"
        return self.build_dir / "scenarios" / self.name / "html"

    @property
    def stage(self) -> Path:
        return self.build_dir / ".stage" / self.name

    @property
    def manifest_path(self) -> Path:
        return self.build_dir / ".cache" / f"{self.name}.json"

    def manifest(self) -> dict:
        try:
            return json.loads(self.manifest_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def save_manifest(self, manifest: dict) -> None:
        atomic_write(self.manifest_path, json.dumps(manifest, indent=1, sort_keys=True))


def plan(target: Target, chapter: str | None = None) -> list[Job]:
    """Decide, for every notebook of the book, whether it must run, and with which parameters."""
    docs = [d for d in toc_files(target.root) if d.endswith(".ipynb")]
    chosen = find_chapter(docs, chapter) if chapter is not None else None
    code_and_claims, everything = dependencies_digest(False), dependencies_digest(True)
    reg = params_mod.registry()
    manifest = target.manifest().get("notebooks", {})

    def is_cached(doc: str, doc_key: str) -> bool:
        return manifest.get(doc) == doc_key and (target.stage / "src" / doc).is_file()

    stages = stage_parameters(target.root, everything)
    jobs = []
    for doc in docs:
        nb = read_notebook_json(target.root / doc)
        declared = notebook_dependencies(nb, stages)
        injected = {k: v for k, v in target.overrides.items() if k in declared}
        # A chapter depends on its own parameters and on those of the chain stages it reads,
        # so its key holds just those records; a page that declares none (the parameter
        # reference) depends on every parameter file.
        records = {n: reg[n].model_dump(mode="json") if n in reg else None for n in sorted(declared)}
        doc_key = _key(nb, injected, code_and_claims if declared else everything, records)
        cached = is_cached(doc, doc_key)
        skipped = chosen is not None and doc != chosen and not cached
        jobs.append(Job(doc=doc, injected=injected, key=doc_key, cached=cached or skipped, skipped=skipped))
    if not target.is_default:  # the scenario's comparison page, executed like a chapter
        doc = COMPARE_DOC
        injected = {"scenario_name": target.name, "scenario_description": target.description,
                    "scenario_values": dict(sorted(target.overrides.items()))}
        doc_key = _key(read_notebook_json(COMPARE_TEMPLATE), injected, everything, {})
        jobs.append(Job(doc=doc, injected=injected, key=doc_key, cached=is_cached(doc, doc_key),
                        source=COMPARE_TEMPLATE))
    return jobs
