"""`python -m analysis bench`: this build against plain jupyter-book, measured in one run.

Each way builds its own copy of the book as it stands (same notebooks, same
config) in a temporary folder, so neither inherits the other's caches. Every row
runs the way a user would, as a fresh command, start-up included:

- ours: `python -m analysis build --root COPY` (clean, no-op, one parameter changed);
- plain: `jupyter-book build --all COPY` with `execute_notebooks: force`, and with
  `execute_notebooks: cache` (first run, no-op, one notebook's code edited).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from ..errors import BuildError
from ..inputs import paths
from ..inputs import registry as params
from ..inputs.data import load_yaml
from .plan import dependencies_digest, notebook_dependencies, read_notebook_json, stage_parameters, toc_files
from .provenance import vega_bundle
from .staging import copy_sources, jupyter_book_command


def _timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return seconds


def _best(run: Callable[[], float], repeat: int, reset: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(repeat):
        if reset:
            reset()
        times.append(run())
    return min(times)


def _set_execute(root: Path, mode: str) -> None:
    config = load_yaml(root / "_config.yml", BuildError, "book configuration")
    config["execute"] = {"execute_notebooks": mode, "timeout": 300}
    (root / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))


def _edit_code(root: Path, doc: str, n: int) -> None:
    """Change one code cell of one notebook (a harmless extra statement)."""
    path = root / doc
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    source = "".join(cell["source"])
    cell["source"] = source.split("\n_bench_edit = ")[0] + f"\n_bench_edit = {n}"
    path.write_text(json.dumps(nb, indent=1))


def _one_parameter(root: Path) -> tuple[str, str, str, float, float] | None:
    """The parameter the fewest notebooks depend on (as the build plans it), with two in-range values."""
    reg = params.registry()
    stages = stage_parameters(root, dependencies_digest(True))
    users: dict[str, list[str]] = {}
    for doc in toc_files(root):
        if doc.endswith(".ipynb"):
            for name in notebook_dependencies(read_notebook_json(root / doc), stages):
                users.setdefault(name, []).append(doc)
    for name, docs in sorted(users.items(), key=lambda kv: (len(kv[1]), kv[0])):
        p = reg[name] if name in reg else None
        if p is not None and p.low < p.high:
            return name, docs[0], ", ".join(docs), p.low, p.high
    return None


def run(repeat: int = 1, report: Callable[[str], None] = print) -> list[tuple[str, float, str]]:
    """Measure and print the table; return its rows (label, seconds, ratio text)."""
    vega_bundle()  # an install-time artefact, not part of any build's time
    notebooks = [d for d in toc_files(paths.REPO_ROOT) if d.endswith(".ipynb")]
    report(f"Book: {len(notebooks)} notebooks ({', '.join(notebooks)}); best of {repeat}.")
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        clean, noop, (one_param, one_label, edited) = _measure_ours(Path(tmp), repeat)
        force, cache_first, cache_noop, cache_edit = _measure_plain(Path(tmp), repeat, edited or notebooks[-1])

    def ratio(ours_s: float, plain_s: float, plain_name: str) -> str:
        return f"{ours_s / plain_s:.2f} x {plain_name}" if ours_s == ours_s else "n/a"

    rows = [
        ("ours: clean build", clean, ratio(clean, force, "plain force")),
        ("ours: no-op rebuild", noop, ratio(noop, cache_noop, "plain cache no-op")),
        (one_label, one_param, ratio(one_param, cache_edit, "plain cache, one edited")),
        ("plain: jupyter-book build --all, execute force", force, "1.00"),
        ("plain: execute cache, first run", cache_first, f"{cache_first / force:.2f} x plain force"),
        ("plain: execute cache, no-op", cache_noop, "1.00"),
        (f"plain: execute cache, one notebook's code edited ({edited or notebooks[-1]})", cache_edit, "1.00"),
    ]
    width = max(len(r[0]) for r in rows)
    report(f"| {'build':<{width}} | seconds | ratio |")
    report(f"|{'-' * (width + 2)}|--------:|-------|")
    for label, seconds, text in rows:
        report(f"| {label:<{width}} | {seconds:7.2f} | {text} |")
    return rows


def _measure_ours(tmp_path: Path, repeat: int) -> tuple[float, float, tuple[float, str, str | None]]:
    """Our build on fresh copies of the book: clean, no-op, and one parameter changed.

    The last is (seconds, row label, the notebook it re-executes or None when no notebook
    depends on a single parameter).
    """
    counter = iter(range(10_000))

    def ours(root: Path, *extra: str) -> float:
        return _timed([sys.executable, "-m", "analysis", "build", "--root", str(root), *extra], cwd=root)

    roots: list[Path] = []
    clean = _best(lambda: ours(roots[-1]), repeat,
                  reset=lambda: roots.append(copy_sources(tmp_path / f"ours-{next(counter)}")))
    root = roots[-1]
    noop = _best(lambda: ours(root), repeat)
    choice = _one_parameter(root)
    if not choice:
        return clean, noop, (float("nan"), "ours: one parameter changed (no notebook depends on one)", None)
    name, edited, users, low, high = choice
    values = iter([high, low] * (repeat + 1))
    ours(root, "-p", f"{name}={low}")  # the scenario's first build, not timed
    one_param = _best(lambda: ours(root, "-p", f"{name}={next(values)}"), repeat)
    return clean, noop, (one_param, f"ours: one parameter changed ({name}, used by {users})", edited)


def _measure_plain(tmp_path: Path, repeat: int, edited: str) -> tuple[float, float, float, float]:
    """Plain `jupyter-book build`: execute force, execute cache (first run, no-op, and with the code
    of `edited`, the notebook our one-parameter row re-executes, changed: the same work)."""
    jb, counter = jupyter_book_command(), iter(range(10_000))

    def fresh(mode: str) -> Path:
        root = copy_sources(tmp_path / f"plain-{mode}-{next(counter)}")
        _set_execute(root, mode)
        return root

    def build(root: Path, *extra: str) -> float:
        return _timed([*jb, "build", *extra, str(root)], cwd=root)

    force_roots: list[Path] = []
    force = _best(lambda: build(force_roots[-1], "--all"), repeat, reset=lambda: force_roots.append(fresh("force")))
    cache_roots: list[Path] = []
    cache_first = _best(lambda: build(cache_roots[-1]), repeat, reset=lambda: cache_roots.append(fresh("cache")))
    cache_root, edits = cache_roots[-1], iter(range(1, 10_000))
    cache_noop = _best(lambda: build(cache_root), repeat)
    cache_edit = _best(lambda: build(cache_root), repeat, reset=lambda: _edit_code(cache_root, edited, next(edits)))
    return force, cache_first, cache_noop, cache_edit
