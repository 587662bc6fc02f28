"""A new chapter in one command: its notebook, parameters, model, model test and toc entry.

`python -m analysis new-chapter NAME --title TITLE` renders the templates in `templates/`
(`string.Template`: `${name}`, `${title}`) into

    chapters/NAME.ipynb              the notebook, in the house structure (CHAPTERS.md), cells laid out by `layout`
    data/parameters/NAME.yaml        three example parameters, each with a "replace me" assumption as basis
    analysis/models/NAME.py          one vectorized model function and the mapping the Monte Carlo takes
    analysis/report/NAME.py          how the chapter's outputs read (its model is not a chain stage yet)
    tests/test_NAME.py               the model's tests

and adds the chapter to `_toc.yml` after the last theme chapter, before the cross-check chapter.
Everything is checked before anything is written: a bad or taken name writes nothing.
"""

from __future__ import annotations

import json
import keyword
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from string import Template

from ..errors import ScaffoldError
from ..inputs import data, paths
from . import layout
from .files import atomic_write
from .plan import toc_files

TEMPLATES = Path(__file__).with_name("templates")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,23}$")  # a parameter prefix; labels "Yearly volume (NAME)" fit 40
CROSS_CHECK = "chapters/audit"  # the chapter that checks the others: theme chapters come before it
TOC_ENTRY = re.compile(rf"^(?P<indent>[ \t]*)- file: {CROSS_CHECK}[ \t]*$", re.M)
TITLE_MAX_CHARS = 100


@dataclass(frozen=True)
class Chapter:
    """A new chapter's name and title, and where its files go (relative to the book's root)."""

    name: str
    title: str

    @property
    def notebook(self) -> str:
        return f"chapters/{self.name}.ipynb"

    @property
    def parameters(self) -> str:
        return f"data/{data.PARAMETERS_DIR}/{self.name}.yaml"

    @property
    def files(self) -> dict[str, str]:
        """Each file rendered from its template with the name and title alone: path -> template."""
        return {self.parameters: "parameters.yaml.tmpl", f"analysis/models/{self.name}.py": "model.py.tmpl",
                f"analysis/report/{self.name}.py": "report.py.tmpl", f"tests/test_{self.name}.py": "test_model.py.tmpl"}


def _render(template: str, **values: str) -> str:
    return Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)


def _parameters_cell(records: list[data.Parameter], name: str) -> str:
    """The notebook's parameters cell: each parameter of the chapter's own file, at its default."""
    lines = [f"# Inputs of this chapter (data/parameters/{name}.yaml);",
             "# override with papermill -p name value. Inputs of other chapters",
             "# come from the registry and can be overridden the same way."]
    return "\n".join([*lines, *(f"{p.name} = {p.value!r}  # {p.unit}" for p in records)])


def _notebook(chapter: Chapter, records: list[data.Parameter]) -> str:
    """The chapter's notebook, unexecuted: the template with its cells laid out by `layout.apply`."""

    def text(value: str) -> str:  # a value inside a JSON string
        return json.dumps(value)[1:-1]

    nb = json.loads(_render("chapter.ipynb.tmpl", name=chapter.name, title=text(chapter.title),
                            anchor=chapter.name.replace("_", "-"),  # the parameter reference's anchors
                            parameters_cell=text(_parameters_cell(records, chapter.name))))
    return json.dumps(layout.apply(nb), indent=1, ensure_ascii=False) + "\n"


def check(name: str, title: str, root: Path) -> Chapter:
    """The new chapter, or a ScaffoldError saying why `name` or `title` cannot be used (nothing is written)."""
    if not NAME_PATTERN.match(name) or keyword.iskeyword(name):
        raise ScaffoldError(f"chapter name {name!r} is not usable: it names the notebook, the model module and "
                            "prefixes the parameters, so use a Python identifier of lower-case letters, digits "
                            "and '_', starting with a letter, at most 24 characters, not a keyword (e.g. 'water')")
    if not title.strip() or len(title) > TITLE_MAX_CHARS or any(c in title for c in '\\\n\r\t"'):
        raise ScaffoldError(f"chapter title {title!r} is not usable: give one line of at most {TITLE_MAX_CHARS} "
                            "characters, without backslashes or double quotes")
    chapter = Chapter(name, title.strip())
    modules = [f"analysis/models/{name}", f"analysis/report/{name}"]  # a package of that name is taken too
    taken = [rel for rel in [*chapter.files, chapter.notebook, *modules] if (root / rel).exists()]
    if taken or chapter.notebook in toc_files(root):
        raise ScaffoldError(f"chapter name {name!r} is taken: {', '.join(taken) or chapter.notebook} already "
                            "exists; choose another name")
    if not TOC_ENTRY.search((root / "_toc.yml").read_text(encoding="utf-8")):
        raise ScaffoldError(f"_toc.yml has no entry '- file: {CROSS_CHECK}' to add the chapter before; "
                            f"add '- file: chapters/{name}' by hand")
    return chapter


def _format(notebook: Path) -> None:
    """Format the notebook's code to the width the page shows it at, as the book's own notebooks
    are (pyproject.toml, [tool.ruff]): names of another length wrap differently."""
    proc = subprocess.run([sys.executable, "-m", "ruff", "format", str(notebook)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise ScaffoldError(f"ruff could not format {notebook.name}: {proc.stderr.strip()}")


def create(name: str, title: str, root: Path | None = None) -> list[str]:
    """Write the new chapter's files and its toc entry; the paths written, relative to `root`.

    `root` is the repository whose `analysis/` and `data/` the build uses (default: this one).
    The notebook is written unexecuted: build the book next (the command line does).
    """
    root = Path(root or paths.REPO_ROOT)
    chapter = check(name, title, root)
    contents = {rel: _render(template, name=chapter.name, title=chapter.title)
                for rel, template in chapter.files.items()}
    records = [data.Parameter.model_validate(record)
               for record in data.parse_yaml(contents[chapter.parameters], chapter.parameters)]
    known = data.load(root / "data").parameters
    clash = [p.name for p in records if p.name in known]
    if clash:
        raise ScaffoldError(f"parameter(s) {', '.join(clash)} already exist in data/parameters/; "
                            "choose another chapter name")
    contents[chapter.notebook] = _notebook(chapter, records)
    for rel, text in contents.items():
        atomic_write(root / rel, text)
    _format(root / chapter.notebook)
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    entry = TOC_ENTRY.search(toc)
    atomic_write(root / "_toc.yml", f"{toc[:entry.start()]}{entry.group('indent')}- file: chapters/{chapter.name}\n"
                                    f"{toc[entry.start():]}")
    data.load.cache_clear()  # the registry now has the chapter's parameters
    return [*contents, "_toc.yml"]
