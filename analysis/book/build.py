"""`python -m analysis build`: validate, execute (cached, in parallel, warm kernels), build, publish.

The steps:

1. Validate every override against the parameter registry; nothing runs on a bad one.
2. Plan: for each notebook in `_toc.yml`, a key hashes its source cells, the
   parameter values injected into it, the `analysis` package and `data/`. A
   notebook whose key matches the last successful run is not executed.
3. Execute the rest with papermill, in worker processes that each keep one
   kernel warm across notebooks (start-up and imports paid once per worker);
   the namespace is reset between notebooks and execution counts renumbered,
   so the output is the same as from a fresh kernel.
4. Mirror the book's sources and the executed notebooks into a persistent
   staging tree and run jupyter-book there with warnings as errors (the
   persistent tree keeps Sphinx's incremental caches).
5. Publish: swap the staged HTML into place only on success. The default run
   then writes the executed notebooks back into `chapters/`; a run with
   overrides never touches `chapters/` and publishes under
   `_build/scenarios/<name>/html`.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import hashlib
import html
import json
import multiprocessing
import os
import queue as queue_mod
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import BuildError, ParameterError
from ..inputs import paths
from ..inputs import registry as params_mod
from ..inputs.scenarios import Scenario, check_name

DEFAULT = "default"
KERNEL = "python3"
BUILD_DIR = "_build"
VEGA_BUNDLE = Path("_static") / "vega" / "vega-bundle.js"
COMPARE_PAGE = "chapters/scenario-comparison"  # in scenario books only, executed from COMPARE_TEMPLATE
COMPARE_DOC = f"{COMPARE_PAGE}.ipynb"
COMPARE_TEMPLATE = Path(__file__).with_name("scenario-comparison.ipynb")
PROVENANCE_JS = Path("_static") / "provenance.js"  # generated for every build
# jsonschema (under nbformat, altair and jupyter-book's config) imports rfc3987_syntax when it is
# installed, which compiles 38 grammars (about 1 s per process) for the optional "iri" format
# checks; no schema the build validates (notebooks, Vega-Lite, jupyter-book's config) uses
# them. The build's processes skip that import; every other check of jsonschema stays.
SLOW_OPTIONAL_IMPORT = "rfc3987_syntax"
SKIP_SLOW_IMPORTS = f"__import__('sys').modules.setdefault({SLOW_OPTIONAL_IMPORT!r}, None)"  # in child processes
# Imported once per warm kernel, before any notebook runs, leaving no name in its namespace
# (so the first notebook needs no reset).
WARM_IMPORTS = SKIP_SLOW_IMPORTS + "\n" + "\n".join(
    f"__import__({m!r})" for m in ("numpy", "pandas", "altair", "myst_nb", "analysis.report.charts", "analysis.models.uncertainty"))
# Files beside the toc entries that the book needs.
BOOK_FILES = ("_config.yml", "_toc.yml")
BOOK_DIRS = ("_static",)

Report = Callable[[str], None]


# --------------------------------------------------------------------------- planning


def toc_files(root: Path) -> list[str]:
    """Every document in `_toc.yml`, as paths relative to the root, in reading order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
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


def read_notebook_json(path: Path) -> dict:
    """A notebook as plain JSON: enough for hashing and the parameters cell, and much faster
    than nbformat (whose import and validation took about a second of every no-op build)."""
    return json.loads(path.read_text(encoding="utf-8"))


def copy_sources(dest: Path, root: Path | None = None) -> Path:
    """Copy a book's sources (config, toc, _static without generated files, every toc document)
    into the new folder `dest`: a clean copy to build, benchmark or test, with no caches."""
    root = Path(root or paths.REPO_ROOT)
    dest.mkdir(parents=True)
    for name in BOOK_FILES:
        shutil.copy(root / name, dest / name)
    for folder in BOOK_DIRS:
        if (root / folder).is_dir():
            shutil.copytree(root / folder, dest / folder, ignore=shutil.ignore_patterns("vega"))
    for doc in toc_files(root):
        (dest / doc).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / doc, dest / doc)
    return dest


def find_chapter(docs: list[str], chapter: str) -> str:
    """The notebook among `docs` named `chapter` (its stem, e.g. `capex`, or its path)."""
    for doc in docs:
        if Path(doc).stem == chapter or doc == chapter:
            return doc
    names = ", ".join(Path(d).stem for d in docs)
    raise ParameterError(f"Unknown chapter '{chapter}'; the book's notebooks are: {names}")


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
    _atomic_write(path, json.dumps(table, indent=1))
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
        _atomic_write(self.manifest_path, json.dumps(manifest, indent=1, sort_keys=True))


def plan(target: Target, chapter: str | None = None) -> list[Job]:
    """Decide, for every notebook of the book, whether it must run, and with which parameters."""
    docs = [d for d in toc_files(target.root) if d.endswith(".ipynb")]
    chosen = find_chapter(docs, chapter) if chapter is not None else None
    code_and_claims, everything = dependencies_digest(False), dependencies_digest(True)
    reg = params_mod.registry()
    manifest = target.manifest().get("notebooks", {})
    def key(nb: Mapping, injected: Mapping, deps: str, records: Mapping) -> str:
        payload = json.dumps({"cells": _source_digest(nb), "injected": injected, "deps": deps,
                              "parameters": records, "python": sys.version_info[:2]}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

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
        doc_key = key(nb, injected, code_and_claims if declared else everything, records)
        cached = is_cached(doc, doc_key)
        skipped = chosen is not None and doc != chosen and not cached
        jobs.append(Job(doc=doc, injected=injected, key=doc_key, cached=cached or skipped, skipped=skipped))
    if not target.is_default:  # the scenario's comparison page, executed like a chapter
        doc = COMPARE_DOC
        injected = {"scenario_name": target.name, "scenario_description": target.description,
                    "scenario_values": dict(sorted(target.overrides.items()))}
        doc_key = key(read_notebook_json(COMPARE_TEMPLATE), injected, everything, {})
        jobs.append(Job(doc=doc, injected=injected, key=doc_key, cached=is_cached(doc, doc_key),
                        source=COMPARE_TEMPLATE))
    return jobs


# --------------------------------------------------------------------------- execution


class WarmKernel:
    """One kernel kept alive across notebooks, reset to a clean namespace before each."""

    def __init__(self, cwd: Path):
        from jupyter_client.manager import KernelManager

        self.cwd, self.used = cwd, False  # a fresh kernel in `cwd` needs no reset before its first notebook
        self.km = KernelManager(kernel_name=KERNEL)
        # The kernel's own stderr carries only its start-up chatter; cell output comes over iopub.
        # No input history: execution counts restart at 1 for every notebook, which a history
        # database would refuse ("Session/line number was not unique"), printing into the output.
        self.km.start_kernel(cwd=str(cwd), env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
                             stderr=subprocess.DEVNULL, extra_arguments=["--HistoryManager.enabled=False"])
        import papermill  # noqa: F401 - imported here while the kernel starts, not in the first task

        self._run(WARM_IMPORTS)

    def _run(self, code: str) -> None:
        # A fresh client each time: papermill's own client on the same kernel leaves an
        # earlier one without replies, so a client is never reused across notebooks.
        kc = self.km.blocking_client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive(code, silent=True, store_history=False, timeout=120,
                                           output_hook=lambda msg: None)
        finally:
            kc.stop_channels()
        if reply["content"]["status"] != "ok":
            raise BuildError(f"warm kernel could not run {code!r}: {reply['content'].get('evalue')}")

    def reset(self, cwd: Path) -> None:
        """Clear the namespace, restart execution counts at 1 and move to the notebook's folder."""
        if not self.used and cwd == self.cwd:
            return
        self.cwd, self.used = cwd, False
        self._run(
            "get_ipython().run_line_magic('reset', '-f')\n"
            f"__import__('os').chdir({str(cwd)!r})\n"
            "get_ipython().execution_count = 1"
        )

    def shutdown(self) -> None:
        self.km.shutdown_kernel(now=True)


def clean_notebook(nb) -> None:
    """Drop what differs from run to run: timings, paths, papermill's metadata; renumber counts.

    Papermill's injected-parameters cell also takes the display tags of the parameters
    cell it overrides (hide-input, remove-input), so a scenario's page shows it as the
    published page shows its parameters cell.
    """
    nb.metadata.pop("papermill", None)
    display_tags = [t for c in nb.cells if "parameters" in c.metadata.get("tags", [])
                    for t in c.metadata["tags"] if t != "parameters"]
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
            cell.metadata["tags"] = ["injected-parameters", *display_tags]
        if cell.cell_type == "code":
            if cell.get("execution_count") is not None:
                count += 1
                cell.execution_count = count
                for output in cell.outputs:
                    if "execution_count" in output:
                        output["execution_count"] = count


@dataclass(frozen=True)
class Task:
    doc: str
    input_path: str
    output_path: str
    injected: dict


@dataclass(frozen=True)
class Result:
    doc: str
    ok: bool
    seconds: float
    error: str = ""


def _failure_message(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first = (exc.source or "").strip().splitlines()[:1]
        snippet = f" `{first[0][:60]}`" if first else ""
        return f"cell {exc.exec_count}{snippet}: {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def execute_one(kernel: WarmKernel, task: Task) -> Result:
    """Run one notebook with papermill in the warm kernel; write it only if it succeeds."""
    import nbformat
    import papermill

    start = time.perf_counter()
    tmp = Path(task.output_path).with_suffix(".running.ipynb")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    try:
        kernel.reset(Path(task.input_path).parent)
        kernel.used = True
        nb = papermill.execute_notebook(
            task.input_path, str(tmp), parameters=task.injected or None, kernel_name=KERNEL,
            progress_bar=False, request_save_on_cell_execute=False, km=kernel.km,
        )
        clean_notebook(nb)
        nbformat.write(nb, str(tmp))
        os.replace(tmp, task.output_path)
        return Result(task.doc, True, time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - every failure is reported, none escapes the worker
        tmp.unlink(missing_ok=True)
        return Result(task.doc, False, time.perf_counter() - start, _failure_message(exc))


def _worker(tasks, results) -> None:
    kernel = None
    try:
        while (task := tasks.get()) is not None:
            if kernel is None:
                try:
                    kernel = WarmKernel(Path(task.input_path).parent)
                except Exception as exc:  # noqa: BLE001
                    results.put(Result(task.doc, False, 0.0, f"kernel failed to start: {exc}"))
                    continue
            results.put(execute_one(kernel, task))
    finally:
        if kernel is not None:
            kernel.shutdown()


def execute(tasks: list[Task], workers: int, report: Report) -> list[Result]:
    """Run tasks on up to `workers` warm kernels; report each as it finishes."""
    if not tasks:
        return []
    sys.modules.setdefault(SLOW_OPTIONAL_IMPORT, None)  # before the workers fork: they import papermill, jsonschema
    ctx = multiprocessing.get_context("fork")
    queue, results = ctx.Queue(), ctx.Queue()
    for task in tasks:
        queue.put(task)
    count = max(1, min(workers, len(tasks)))
    for _ in range(count):
        queue.put(None)
    procs = [ctx.Process(target=_worker, args=(queue, results), daemon=True) for _ in range(count)]
    for proc in procs:
        proc.start()
    done = []
    while len(done) < len(tasks):
        try:
            result = results.get(timeout=1.0)
        except queue_mod.Empty:
            if any(proc.is_alive() for proc in procs):
                continue
            finished = {r.doc for r in done}
            result = Result(next(t.doc for t in tasks if t.doc not in finished), False, 0.0,
                            "the worker process died (out of memory?)")
        report(f"{'executed' if result.ok else 'FAILED':>9}  {result.doc:<34} {result.seconds:6.1f} s"
               + (f"\n           {result.error}" if not result.ok else ""))
        done.append(result)
    for proc in procs:
        proc.join(timeout=30)
    return done


# --------------------------------------------------------------------------- staging and HTML


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _sync_file(src: Path | bytes, dst: Path) -> None:
    """Copy (or write) only when the content differs, so Sphinx sees unchanged files as unchanged."""
    content = src if isinstance(src, bytes) else src.read_bytes()
    if dst.is_file() and dst.stat().st_size == len(content) and dst.read_bytes() == content:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, dst)


def vega_bundle() -> Path:
    """vega, vega-lite and vega-embed as one script, from the vl-convert-python package (cached)."""
    import vl_convert

    version = "-".join([vl_convert.get_vega_version(), vl_convert.get_vega_embed_version(),
                        vl_convert.get_vegalite_versions()[-1]])
    path = paths.REPO_ROOT / BUILD_DIR / ".cache" / f"vega-bundle-{version}-iife.js"
    if not path.is_file():
        snippet = ("window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;\n"
                   "window.dispatchEvent(new Event('vega-ready'));")
        # A classic script (works from file:// too), wrapped so that its minified top-level
        # names stay out of the page's global scope shared with other scripts.
        _atomic_write(path, "(function () {\n" + vl_convert.javascript_bundle(snippet) + "\n})();\n")
    return path


def stage_sources(target: Target, docs: list[str], generated: Mapping[str, str] | None = None) -> str:
    """Mirror the book into the staging tree; return a hash of everything Sphinx will read.

    `generated` maps paths to text written instead of (or beside) the book's own
    files: a scenario book's config with its banner, its toc and comparison page.
    """
    root, src = target.root, target.stage / "src"
    wanted: dict[str, Path | bytes] = {}
    for name in BOOK_FILES:
        wanted[name] = root / name
    for folder in BOOK_DIRS:
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
            if path.is_file() and VEGA_BUNDLE.parts[:2] != path.relative_to(root).parts[:2]:
                wanted[str(path.relative_to(root))] = path
    wanted[str(VEGA_BUNDLE)] = vega_bundle()
    for doc in docs:
        staged = src / doc
        if doc.endswith(".ipynb") and staged.is_file():
            wanted[doc] = staged  # executed notebook, already in place
        else:
            wanted[doc] = root / doc
    for rel, text in (generated or {}).items():
        wanted[rel] = text.encode("utf-8")
    digest = hashlib.sha256()
    for rel in sorted(wanted):
        dst = src / rel
        if wanted[rel] != dst:
            _sync_file(wanted[rel], dst)
        if rel != str(PROVENANCE_JS):  # the build's own date and commit do not make the book stale
            digest.update(rel.encode())
            digest.update(dst.read_bytes())
    keep = {src / rel for rel in wanted}
    for path in sorted(src.rglob("*"), reverse=True):
        if path.is_file() and path not in keep and not path.name.endswith(".running.ipynb"):
            path.unlink()
    return digest.hexdigest()


def jupyter_book_command() -> list[str]:
    exe = Path(sys.executable).with_name("jupyter-book")
    return [str(exe) if exe.exists() else (shutil.which("jupyter-book") or "jupyter-book")]


# Runs in a child process started before the notebooks execute, so that importing
# Sphinx, jupyter-book and their extensions overlaps with the execution; it then
# waits for its arguments on stdin (an empty line means: nothing to build).
_HTML_RUNNER = SKIP_SLOW_IMPORTS + """
import json, sys
from jupyter_book.cli.main import main
import jupyter_book.sphinx, myst_nb, sphinx.application, sphinx_book_theme, sphinx_design  # noqa: F401
line = sys.stdin.readline()
if not line.strip():
    sys.exit(0)
main(json.loads(line), prog_name="jupyter-book")
"""


class HtmlBuilder:
    """jupyter-book on the staging tree, warnings as errors, in a process started ahead of time."""

    def __init__(self, target: Target):
        self.target = target
        self.proc = subprocess.Popen([sys.executable, "-c", _HTML_RUNNER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     cwd=target.root)

    def cancel(self) -> None:
        if self.proc.poll() is None:
            self.proc.communicate("\n")

    def run(self) -> None:
        stage = self.target.stage
        args = ["build", str(stage / "src"), "--path-output", str(stage / "out"), "--builder", "html",
                "-W", "--keep-going", "-q"]
        output, _ = self.proc.communicate(json.dumps(args) + "\n")
        if self.proc.returncode != 0:
            text = re.sub(r"\x1b\[[0-9;]*m", "", output)
            text = text.replace(f"{stage / 'src'}{os.sep}", "")  # name files as in the book
            lines = [ln for ln in text.splitlines() if ln.strip()]
            problems = [ln for ln in lines if "WARNING" in ln or "ERROR" in ln or "Error" in ln] or lines[-15:]
            raise BuildError("jupyter-book failed; the published book was left as it was:\n  "
                             + "\n  ".join(problems[:30]))


def publish(target: Target) -> None:
    """Replace the published HTML with the staged build, in two renames."""
    built = target.stage / "out" / "_build" / "html"
    dest = target.published
    dest.parent.mkdir(parents=True, exist_ok=True)
    fresh, old = dest.with_name(f".{dest.name}.new"), dest.with_name(f".{dest.name}.old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(built, fresh)
    if dest.exists():
        os.replace(dest, old)
    os.replace(fresh, dest)
    shutil.rmtree(old, ignore_errors=True)


def provenance(target: Target) -> dict[str, str]:
    """What a built book was made from: commit, build date, scenario, and a hash of data and parameters."""
    def git(*args: str) -> str:
        try:
            proc = subprocess.run(["git", "-C", str(target.root), *args], capture_output=True, text=True,
                                  timeout=10)
        except (OSError, subprocess.SubprocessError):
            return ""
        return proc.stdout.strip() if proc.returncode == 0 else ""

    commit = git("rev-parse", "--short=12", "HEAD") or "not a git checkout"
    if commit != "not a git checkout" and git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    inputs = json.dumps({"deps": dependencies_digest(), "overrides": target.overrides}, sort_keys=True)
    reg = params_mod.registry()
    differs = [f"{n} = {v:g} (baseline {reg[n].value:g} {reg[n].unit})"
               for n, v in sorted(target.overrides.items()) if v != reg[n].value]
    return {
        "differs": ("Differs from the baseline in: " + "; ".join(differs) + ".") if differs
        else "Same parameter values as the baseline.",
        "commit": commit,
        "built": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "scenario": "baseline (published defaults)" if target.is_default else target.name,
        "inputs": hashlib.sha256(inputs.encode()).hexdigest()[:12],
    }


def provenance_script(target: Target) -> str:
    """`_static/provenance.js`: exposes the provenance and writes it into every page's footer."""
    info = json.dumps(provenance(target), sort_keys=True)
    return (
        f"window.bookProvenance = {info};\n"
        "document.addEventListener('DOMContentLoaded', function () {\n"
        "  var p = window.bookProvenance, footer = document.querySelector('footer') || document.body;\n"
        "  var el = document.createElement('p');\n"
        "  el.className = 'book-provenance';\n"
        "  el.textContent = 'Built ' + p.built + ' from commit ' + p.commit + '; scenario: ' + p.scenario +\n"
        "    '; data and parameters hash ' + p.inputs + '.';\n"
        "  footer.appendChild(el);\n"
        "  document.querySelectorAll('.book-scenario-diff').forEach(function (span) {\n"
        "    span.textContent = p.differs;\n"
        "  });\n"
        "});\n"
    )


def scenario_overlay(target: Target) -> dict[str, str]:
    """What a scenario book adds to the book's sources: a banner on every page."""
    if target.is_default:
        return {}
    # The config names the scenario only, so it stays the same when its values change and
    # Sphinx keeps its incremental caches; provenance.js fills in the differing parameters.
    banner = (f"Scenario <strong>{html.escape(target.name)}</strong>, not the published baseline. "
              f"<span class=\"book-scenario-diff\">The parameters that differ from the baseline are "
              f"listed on the scenario comparison page.</span>")
    if target.description:
        banner += f" <em>{html.escape(target.description)}</em>"
    config = yaml.safe_load((target.root / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = f"{config.get('title', '')} [scenario: {target.name}]"
    config.setdefault("html", {})["announcement"] = banner
    toc = yaml.safe_load((target.root / "_toc.yml").read_text(encoding="utf-8"))
    if "parts" in toc:
        toc["parts"].append({"caption": "Scenario", "chapters": [{"file": COMPARE_PAGE}]})
    else:
        toc.setdefault("chapters", []).append({"file": COMPARE_PAGE})
    return {"_config.yml": yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
            "_toc.yml": yaml.safe_dump(toc, sort_keys=False, allow_unicode=True)}


# --------------------------------------------------------------------------- the build


@contextlib.contextmanager
def _lock(target: Target):
    """One build of a target at a time; a second one fails at once instead of corrupting the first."""
    path = target.build_dir / ".cache" / f"{target.name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build of '{target.name}' is running in {target.root}; "
                             "wait for it to finish") from None
        yield


@dataclass
class Summary:
    executed: list[str]
    cached: list[str]
    html_built: bool
    published: Path
    seconds: float


def build(root: Path | None = None, overrides: Mapping[str, object] | None = None,
          chapter: str | None = None, name: str | None = None, workers: int = 2,
          report: Report = print, scenario: Scenario | None = None) -> Summary:
    """Build the book (default) or a scenario book (a scenario file or any override).

    `-p` overrides apply on top of the scenario's values. See the module docstring.
    """
    start = time.perf_counter()
    root = Path(root or paths.REPO_ROOT).resolve()
    values = {**(scenario.values if scenario else {}),
              **params_mod.registry().validate(dict(overrides or {}))}
    name = name or (scenario.name if scenario else None) or ("custom" if values else DEFAULT)
    if name == DEFAULT and values:
        raise ParameterError("the name 'default' is the published book's; give the scenario another --name")
    if name != DEFAULT:
        check_name(name, "--name")
    target = Target(root=root, name=name, overrides=values,
                    description=scenario.description if scenario else "")
    jobs = plan(target, chapter)
    declared_anywhere = {k for j in jobs for k in j.injected}
    for unused in sorted(set(values) - declared_anywhere):
        report(f"{'note':>9}  parameter '{unused}' is used by no notebook in this build")

    with _lock(target):
        return _execute_and_publish(target, jobs, workers, report, start)


def _execute_and_publish(target: Target, jobs: list[Job], workers: int, report: Report,
                         start: float) -> Summary:
    root = target.root
    stage_src = target.stage / "src"
    for job in jobs:
        if job.cached:
            staged = stage_src / job.doc
            if not staged.is_file():  # --chapter: take the committed notebook
                staged.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / job.doc, staged)
            report(f"{'skipped' if job.skipped else 'cached':>9}  {job.doc}"
                   + ("  (stale; not executed because of --chapter)" if job.skipped else ""))
    tasks = [Task(j.doc, str(j.source or root / j.doc), str(stage_src / j.doc), j.injected)
             for j in jobs if not j.cached]
    html = HtmlBuilder(target) if tasks or not target.published.is_dir() else None
    try:
        results = execute(tasks, workers, report)
    except BaseException:
        if html:
            html.cancel()
        raise
    failed = [r for r in results if not r.ok]
    manifest = target.manifest()
    notebooks = manifest.setdefault("notebooks", {})
    keys = {j.doc: j.key for j in jobs}
    for result in results:
        if result.ok:
            notebooks[result.doc] = keys[result.doc]
        else:
            notebooks.pop(result.doc, None)
    target.save_manifest(manifest)
    if failed:
        if html:
            html.cancel()
        raise BuildError(
            "; ".join(f"{r.doc} failed at {r.error}" for r in failed)
            + f". Nothing was published; {target.published} is as it was."
        )

    docs = toc_files(root) + ([] if target.is_default else [COMPARE_DOC])
    site_key = stage_sources(target, docs, {**scenario_overlay(target), str(PROVENANCE_JS): provenance_script(target)})
    html_built = False
    if manifest.get("site") != site_key or not target.published.is_dir():
        t0 = time.perf_counter()
        (html or HtmlBuilder(target)).run()
        publish(target)
        manifest["site"] = site_key
        target.save_manifest(manifest)
        html_built = True
        report(f"{'built':>9}  {target.published.relative_to(root)}{'':<21} {time.perf_counter() - t0:6.1f} s")
    else:
        if html:
            html.cancel()
        report(f"{'unchanged':>9}  {target.published.relative_to(root)}")

    if target.is_default:  # the published book's notebooks become the committed ones
        for job in jobs:
            if not job.skipped:
                _sync_file(stage_src / job.doc, root / job.doc)
    return Summary(executed=[r.doc for r in results], cached=[j.doc for j in jobs if j.cached],
                   html_built=html_built, published=target.published,
                   seconds=time.perf_counter() - start)
