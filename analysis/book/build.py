"""`python -m analysis build`: validate, execute (cached, in parallel, warm kernels), build, publish.

The steps:

1. Validate every override against the parameter registry; nothing runs on a bad one.
2. Plan (`plan.py`): for each notebook in `_toc.yml`, a key hashes its source cells, the
   parameter values injected into it, the `analysis` package and `data/`. A
   notebook whose key matches the last successful run is not executed.
3. Execute the rest with papermill (`kernels.py`), in worker processes that each keep one
   kernel warm across notebooks (start-up and imports paid once per worker);
   the namespace is reset between notebooks and execution counts renumbered,
   so the output is the same as from a fresh kernel.
4. Mirror the book's sources, the executed notebooks and the generated files
   (`provenance.py`) into a persistent staging tree and run jupyter-book there with
   warnings as errors (`staging.py`; the persistent tree keeps Sphinx's incremental caches).
5. Publish: swap the staged HTML into place only on success. The default run
   then writes the executed notebooks back into `chapters/`; a run with
   overrides never touches `chapters/` and publishes under
   `_build/scenarios/<name>/html`.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError, ParameterError
from ..inputs import paths
from ..inputs import registry as params_mod
from ..inputs.scenarios import Scenario, check_name
from . import datapackage
from .files import sync_file
from .kernels import Report, Result, Task, execute
from .plan import COMPARE_DOC, DEFAULT, Job, Target, plan, toc_files
from . import pdf as pdf_mod
from .provenance import PROVENANCE_JS, provenance, provenance_script, scenario_overlay
from .staging import HtmlBuilder, publish, stage_sources, staged_html


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
          report: Report = print, scenario: Scenario | None = None, pdf: bool = False) -> Summary:
    """Build the book (default) or a scenario book (a scenario file or any override).

    `-p` overrides apply on top of the scenario's values. With `pdf`, every page and the
    whole book are printed to PDF too (`pdf.py`), inside the site. See the module docstring.
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
        return _execute_and_publish(target, jobs, workers, report, start, pdf)


def _execute_and_publish(target: Target, jobs: list[Job], workers: int, report: Report,
                         start: float, pdf: bool) -> Summary:
    _stage_cached(target, jobs, report)
    stage_src = target.stage / "src"
    tasks = [Task(j.doc, str(j.source or target.root / j.doc), str(stage_src / j.doc), j.injected)
             for j in jobs if not j.cached]
    # started before the notebooks run, so that its imports overlap with their execution
    html = HtmlBuilder(target) if tasks or not target.published.is_dir() else None
    try:
        results = execute(tasks, workers, report)
        manifest = _record(target, jobs, results)
    except BaseException:
        if html:
            html.cancel()
        raise
    html_built = _build_html(target, manifest, html, report, pdf)
    if target.is_default:  # the published book's notebooks become the committed ones
        for job in jobs:
            if not job.skipped:
                sync_file(stage_src / job.doc, target.root / job.doc)
    return Summary(executed=[r.doc for r in results], cached=[j.doc for j in jobs if j.cached],
                   html_built=html_built, published=target.published,
                   seconds=time.perf_counter() - start)


def _stage_cached(target: Target, jobs: list[Job], report: Report) -> None:
    """Put every notebook that is not executed in the staging tree, and say why it is not."""
    for job in jobs:
        if job.cached:
            staged = target.stage / "src" / job.doc
            if not staged.is_file():  # --chapter: take the committed notebook
                staged.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(target.root / job.doc, staged)
            report(f"{'skipped' if job.skipped else 'cached':>9}  {job.doc}"
                   + ("  (stale; not executed because of --chapter)" if job.skipped else ""))


def _record(target: Target, jobs: list[Job], results: list[Result]) -> dict:
    """Save the keys of the notebooks that ran; fail, publishing nothing, if any of them failed."""
    manifest = target.manifest()
    notebooks = manifest.setdefault("notebooks", {})
    keys = {j.doc: j.key for j in jobs}
    for result in results:
        if result.ok:
            notebooks[result.doc] = keys[result.doc]
        else:
            notebooks.pop(result.doc, None)
    target.save_manifest(manifest)
    failed = [r for r in results if not r.ok]
    if failed:
        raise BuildError(
            "; ".join(f"{r.doc} failed at {r.error}" for r in failed)
            + f". Nothing was published; {target.published} is as it was."
        )
    return manifest


def _build_html(target: Target, manifest: dict, html: HtmlBuilder | None, report: Report, pdf: bool) -> bool:
    """Stage the sources; build and publish the HTML (and print it, with `pdf`) if they changed.
    True if it was built."""
    docs = toc_files(target.root) + ([] if target.is_default else [COMPARE_DOC])
    if pdf and (why := pdf_mod.unavailable()):
        raise BuildError(f"cannot print the PDFs: {why}; build without --pdf, or install it")
    pdf_pages = [str(Path(d).with_suffix("")) for d in docs] if pdf else []
    generated = {**scenario_overlay(target), str(PROVENANCE_JS): provenance_script(target, pdf_pages),
                 **datapackage.files(target)}  # the site's data/ (from the executed front page and data/)
    site_key = stage_sources(target, docs, generated) + ("+pdf" if pdf else "")
    if manifest.get("site") == site_key and target.published.is_dir():
        if html:
            html.cancel()
        report(f"{'unchanged':>9}  {target.published.relative_to(target.root)}")
        return False
    t0 = time.perf_counter()
    (html or HtmlBuilder(target)).run()
    staged = staged_html(target)
    if pdf:
        pdf_mod.print_site(staged, docs, pdf_mod.footer_text(provenance(target), _title(target)), report)
    else:  # no PDFs left from an earlier --pdf build, which the pages no longer link
        shutil.rmtree(staged / pdf_mod.PDF_DIR, ignore_errors=True)
    publish(target)
    manifest["site"] = site_key
    target.save_manifest(manifest)
    report(f"{'built':>9}  {target.published.relative_to(target.root)}{'':<21} {time.perf_counter() - t0:6.1f} s")
    return True


def _title(target: Target) -> str:
    """The book's title, from its _config.yml."""
    from ..inputs.data import load_yaml

    return str((load_yaml(target.root / "_config.yml") or {}).get("title", ""))
