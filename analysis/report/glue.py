"""Glue: computed values into a chapter's text, one call per kind of value.

A chapter's prose cites a value with a MyST-NB role, ``{glue:text}`name``` (with an
optional format, ``{glue:text}`pue:.2f```). These helpers glue, without display:

- `values(P, figures, ...)`: the chapter's parameters under their own names, and named
  computed values and claims' values (`analysis.inputs.data.claim_values`);
- `ranges(summary, names)`: each reported output's P50 with its P10-P90 range, written
  once by the output registry (`analysis.report.outputs`), under the output's name;
- `drivers(table, prefix, n)`: the labels of a tornado's or a Sobol' table's largest inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..errors import ReportError
from .outputs import Output, output


def _plain(name: str, value):
    """A value MyST-NB can glue and format: Python int, float, bool or str."""
    if type(value) in (str, bool, int, float):  # not subclasses: numpy's float64 is a float
        return value
    if np.ndim(value):
        raise ReportError(f"glued value {name!r} must be one value, not an array of {np.size(value)}")
    return np.asarray(value).item()


def values(*mappings: Mapping[str, object], **named: object) -> None:
    """Glue each value of the mappings (a chapter's parameters `P`, a dict of figures, the claims
    of `analysis.inputs.data.claim_values`) and of `named` under its name.

    numpy scalars become Python numbers; a name given twice is refused.
    """
    from myst_nb import glue  # imported on use: the model chain and the build never need it

    seen: dict[str, object] = {}
    for mapping in [*mappings, named]:
        for name in mapping:
            if name in seen:
                raise ReportError(f"glue: {name!r} is given twice; each glued name has one value")
            seen[name] = _plain(name, mapping[name])
    for name, value in seen.items():
        glue(name, value, display=False)


def ranges(summary: pd.DataFrame, names: Iterable[str], registry: Mapping[str, Output] | None = None) -> None:
    """Glue each output's P50 and P10-P90 range as one text, under the output's name.

    `summary` is `uncertainty.summarize(draws)` (index: outputs; columns p10, p50, p90);
    each name's label, unit and format come from the output registry (`outputs.OUTPUTS`), or
    from `registry` for a chapter whose model is not a stage of the chain (its own report module's).
    """
    values({name: output(name, registry).range_text(*summary.loc[name, ["p10", "p50", "p90"]]) for name in names})


def drivers(table: pd.DataFrame, prefix: str = "driver", n: int = 3) -> None:
    """Glue the labels of the `n` inputs that move a result most, as `prefix_1` ... `prefix_n`.

    `table` is `uncertainty.tornado`'s (largest swing first) or `sensitivity.sobol_indices`'s
    (largest total order first; a group of inputs that move together under its label). For a
    Sobol' table, each input's total-order index is glued beside its label, as `prefix_i_total`
    [fraction of the output's variance].
    """
    if len(table) < n:
        raise ReportError(f"the table has {len(table)} inputs with an effect; cannot name {n}")
    top = table.iloc[:n]
    labels = {f"{prefix}_{i}": label for i, label in enumerate(top["label"], start=1)}
    totals = ({f"{prefix}_{i}_total": float(x) for i, x in enumerate(top["total_order"], start=1)}
              if "total_order" in table.columns else {})
    values(labels, totals)
