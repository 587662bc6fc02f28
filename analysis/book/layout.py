"""How a chapter's cells show on the page: the title first, plumbing hidden, code folded with a label.

A reader meets the title, the question and the key results before any code. A cell whose only
job is to glue values into the text (`report.glue.*` calls) or to set the notebook up (imports,
`params.from_namespace`) is kept in the notebook and removed from the page (`remove-input`);
the parameters cell and every cell that computes, tabulates or draws are folded (`hide-input`)
under a label that says what they do. `presentation` decides; the tests hold every chapter
to it, and `apply` rewrites a notebook's tags and labels to match.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

PARAMETERS_LABEL = "Show this chapter's inputs (its parameters cell)"
LABELS = (  # first match wins: (words in the code, label)
    (("charts.", "alt."), "Show the code that draws this chart"),
    (("Markdown(",), "Show the code that builds this table"),
    (("stage_draws(", "uncertainty.simulate(", "uncertainty.sample("), "Show the code that runs the Monte Carlo"),
)
COMPUTE_LABEL = "Show the code that computes these figures"


def _calls_only(source: str, prefixes: tuple[str, ...]) -> bool:
    """True if every statement of `source` is a call of a function named with one of `prefixes`."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                              and ast.unparse(node.value.func).startswith(prefixes) for node in body)


def presentation(cell: Mapping) -> tuple[str, str | None]:
    """How a code cell shows: ("remove-input", None) or ("hide-input", its label)."""
    source = "".join(cell.get("source", ""))
    tags = cell.get("metadata", {}).get("tags", [])
    if "parameters" in tags:
        return "hide-input", PARAMETERS_LABEL
    if "from_namespace(" in source or _calls_only(source, ("report.glue.", "glue")):
        return "remove-input", None
    for words, label in LABELS:
        if any(word in source for word in words):
            return "hide-input", label
    return "hide-input", COMPUTE_LABEL


def apply(nb: dict) -> dict:
    """The notebook with the title's markdown cell first and every code cell tagged and labelled
    by `presentation` (in place; also returned)."""
    cells = nb["cells"]
    title = next((i for i, c in enumerate(cells)
                  if c["cell_type"] == "markdown" and "".join(c["source"]).lstrip().startswith("# ")), None)
    if title:
        cells.insert(0, cells.pop(title))
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        mode, label = presentation(cell)
        meta = cell.setdefault("metadata", {})
        tags = [t for t in meta.get("tags", []) if t not in ("hide-input", "remove-input")]
        meta["tags"] = [*tags, mode]
        if label:
            meta.setdefault("mystnb", {})["code_prompt_show"] = label
        else:
            meta.get("mystnb", {}).pop("code_prompt_show", None)
            if meta.get("mystnb") == {}:
                del meta["mystnb"]
    return nb
