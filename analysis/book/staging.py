"""The staging tree and the HTML: mirror the book's sources and executed notebooks into a
persistent tree (which keeps Sphinx's incremental caches), run jupyter-book there with
warnings as errors, and publish the result only on success."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from ..errors import BuildError
from ..inputs import paths
from .files import sync_file
from .kernels import SKIP_SLOW_IMPORTS
from .plan import Target, toc_files
from .provenance import PROVENANCE_JS, vega_bundle

# Files beside the toc entries that the book needs.
BOOK_FILES = ("_config.yml", "_toc.yml")
BOOK_DIRS = ("_static",)
# MathJax, served from the book's own files: staged under EXTRA_DIR, which _config.yml names in
# html_extra_path, so it lands in the site's _static/mathjax/ without jupyter-book adding its
# script to every page (it adds every .js under _static/); Sphinx loads it on pages with math.
MATHJAX = Path(__file__).with_name("assets") / "mathjax"
EXTRA_DIR = "_extra"


def extra_files() -> dict[str, Path]:
    """The files staged beside the book's sources for html_extra_path: relative path -> source."""
    return {f"{EXTRA_DIR}/_static/mathjax/{path.relative_to(MATHJAX).as_posix()}": path
            for path in sorted(MATHJAX.rglob("*")) if path.is_file()}


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
    for rel, path in {**{doc: root / doc for doc in toc_files(root)}, **extra_files()}.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest / rel)
    return dest


def _wanted(target: Target, docs: list[str], generated: Mapping[str, str]) -> dict[str, Path | bytes]:
    """Every file of the staging tree (relative path) and where its content comes from."""
    root, src = target.root, target.stage / "src"
    wanted: dict[str, Path | bytes] = {}
    for name in BOOK_FILES:
        wanted[name] = root / name
    for folder in BOOK_DIRS:
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
            if path.is_file() and paths.VEGA_BUNDLE.parts[:2] != path.relative_to(root).parts[:2]:
                wanted[str(path.relative_to(root))] = path
    wanted[str(paths.VEGA_BUNDLE)] = vega_bundle()
    wanted.update(extra_files())
    for doc in docs:
        staged = src / doc
        if doc.endswith(".ipynb") and staged.is_file():
            wanted[doc] = staged  # executed notebook, already in place
        else:
            wanted[doc] = root / doc
    for rel, text in generated.items():
        wanted[rel] = text.encode("utf-8")
    return wanted


def stage_sources(target: Target, docs: list[str], generated: Mapping[str, str] | None = None) -> str:
    """Mirror the book into the staging tree; return a hash of everything Sphinx will read.

    `generated` maps paths to text written instead of (or beside) the book's own
    files: a scenario book's config with its banner, its toc and comparison page.
    """
    src = target.stage / "src"
    wanted = _wanted(target, docs, generated or {})
    digest = hashlib.sha256()
    for rel in sorted(wanted):
        dst = src / rel
        if wanted[rel] != dst:
            sync_file(wanted[rel], dst)
        if rel != str(PROVENANCE_JS):  # the build's own date and commit do not make the book stale
            digest.update(rel.encode())
            digest.update(dst.read_bytes())
    keep = {src / rel for rel in wanted}
    for path in sorted(src.rglob("*"), reverse=True):
        if path.is_file() and path not in keep and not path.name.endswith(".running.ipynb"):
            path.unlink()
    return digest.hexdigest()


def jupyter_book_command() -> list[str]:
    """jupyter-book beside this Python if it is there, else the one on PATH."""
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


def staged_html(target: Target) -> Path:
    """Where jupyter-book writes the target's HTML before it is published."""
    return target.stage / "out" / "_build" / "html"


def publish(target: Target) -> None:
    """Replace the published HTML with the staged build, in two renames."""
    built = staged_html(target)
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
