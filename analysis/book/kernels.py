"""Executing notebooks: papermill in worker processes that each keep one kernel warm.

Start-up and imports are paid once per worker; the namespace is reset between
notebooks and execution counts renumbered, so the output is the same as from a
fresh kernel.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_mod
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError

KERNEL = "python3"
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

Report = Callable[[str], None]
START_ATTEMPTS = 3
# No input history: execution counts restart at 1 for every notebook, which a history
# database would refuse ("Session/line number was not unique"), printing into the output.
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]


class KernelStartError(BuildError):
    """A kernel died, or did not answer, before it was ready to run a notebook."""


class WarmKernel:
    """One kernel kept alive across notebooks, reset to a clean namespace before each."""

    def __init__(self, cwd: Path):
        from jupyter_client.manager import KernelManager

        self.cwd, self.used = cwd, False  # a fresh kernel in `cwd` needs no reset before its first notebook
        self.km = KernelManager(kernel_name=KERNEL)
        # The kernel's own stderr carries only its start-up chatter (cell output comes over iopub),
        # kept in a file so that a kernel dying at start-up can say why.
        self.stderr = tempfile.TemporaryFile()
        self.km.start_kernel(cwd=str(cwd), env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
                             stderr=self.stderr, extra_arguments=KERNEL_ARGUMENTS)
        import papermill  # noqa: F401 - imported here while the kernel starts, not in the first task

        try:
            self._run(WARM_IMPORTS)
        except Exception as exc:
            why = f"{exc}{self._stderr_tail()}"
            self.shutdown()
            raise KernelStartError(why) from exc

    def _stderr_tail(self, lines: int = 5) -> str:
        self.stderr.seek(0)
        tail = self.stderr.read().decode(errors="replace").strip().splitlines()[-lines:]
        return ("; the kernel's last words: " + " | ".join(tail)) if tail else ""

    @classmethod
    def start(cls, cwd: Path, attempts: int = START_ATTEMPTS) -> WarmKernel:
        """A warm kernel, trying again with new ports when one dies while starting.

        jupyter_client picks free ports by binding and releasing them, so kernels started at
        the same moment (a build's workers, other builds on the machine) can pick the same
        port, and the later one dies before its first reply. A new start picks new ports.
        """
        for _ in range(attempts - 1):
            try:
                return cls(cwd)
            except KernelStartError:
                pass
        return cls(cwd)  # the last attempt's error is the one reported

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
        self.stderr.close()


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
                    kernel = WarmKernel.start(Path(task.input_path).parent)
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
