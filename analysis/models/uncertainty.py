"""Seeded, vectorized Monte Carlo over the parameters' distributions, and sensitivity tables.

A model is any function that takes a mapping of parameter name -> value (floats
or numpy arrays of equal length) and returns an array, or a mapping of named
arrays. Each uncertain parameter is drawn around its *current* value (its
default, or the override a researcher set), within its registry range:

- `triangular`: low, mode = current value, high.
- `uniform`: low to high.
- `lognormal`: median = current value, with low and high as the 5th and 95th
  percentiles (sigma = ln(high / low) / (2 x 1.645)).
- `fixed`: no uncertainty.

Every parameter has its own random stream, derived from the seed and its name, so
adding a parameter to a model does not change the draws of the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

import numpy as np
import pandas as pd

from ..errors import ModelInputError


class Parameter(Protocol):
    """What a draw needs of a parameter record (`analysis.inputs.data.Parameter` is one)."""

    name: str
    unit: str
    low: float
    high: float
    distribution: str
    display_label: str

SEED = 20260101
DRAWS = 100_000
PERCENTILES = (10, 50, 90)
Z_95 = 1.6448536269514722  # standard normal quantile of 0.95

Model = Callable[[Mapping[str, object]], object]


def _stream(seed: int, name: str) -> np.random.Generator:
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")
    return np.random.default_rng([seed, digest])


def draw(param: Parameter, center: float, n: int, seed: int = SEED) -> np.ndarray:
    """`n` draws of one parameter around `center` (its current value)."""
    rng = _stream(seed, param.name)
    if param.distribution == "fixed":
        return np.full(n, float(center))
    if param.distribution == "uniform":
        return rng.uniform(param.low, param.high, n)
    if param.distribution == "triangular":
        return rng.triangular(param.low, min(max(center, param.low), param.high), param.high, n)
    if param.distribution == "lognormal":
        sigma = np.log(param.high / param.low) / (2 * Z_95)
        return float(center) * np.exp(sigma * rng.standard_normal(n))
    raise ModelInputError(f"unknown distribution {param.distribution!r} for {param.name}")


def sample(values: Mapping[str, float], registry: Mapping[str, Parameter], n: int = DRAWS,
           seed: int = SEED) -> dict[str, np.ndarray | float]:
    """Draws for every uncertain parameter in `values`; fixed ones keep their scalar value."""
    out: dict[str, np.ndarray | float] = {}
    for name, value in values.items():
        param = registry[name]
        out[name] = value if param.distribution == "fixed" else draw(param, value, n, seed)
    return out


def _as_frame(result: object, n: int | None = None) -> pd.DataFrame:
    if isinstance(result, pd.DataFrame):
        return result
    if isinstance(result, Mapping):
        columns = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,) if n else np.shape(v))
                   for k, v in result.items()}
        return pd.DataFrame(columns)
    return pd.DataFrame({"value": np.asarray(result, dtype=float)})


def simulate(model: Model, values: Mapping[str, float], registry: Mapping[str, Parameter],
             n: int = DRAWS, seed: int = SEED) -> pd.DataFrame:
    """Run `model` on `n` joint draws; one column per model output."""
    return _as_frame(model(sample(values, registry, n, seed)), n)


def summarize(draws: pd.DataFrame | Mapping | np.ndarray,
              percentiles: Iterable[int] = PERCENTILES) -> pd.DataFrame:
    """P10/P50/P90 (by default) of each output; one row per output."""
    frame = _as_frame(draws)
    pct = list(percentiles)
    table = pd.DataFrame(np.percentile(frame.to_numpy(), pct, axis=0).T,
                         index=frame.columns, columns=[f"p{p}" for p in pct])
    table.index.name = "output"
    return table


def percentiles(values, percentiles: Iterable[int] = PERCENTILES) -> dict[str, float]:
    """`summarize` of one quantity: {'p10': ..., 'p50': ..., 'p90': ...}; a scalar gives equal values."""
    row = summarize(np.ravel(np.asarray(values, dtype=float)), percentiles).iloc[0]
    return {column: float(value) for column, value in row.items()}


def tornado(model: Model, values: Mapping[str, float], registry: Mapping[str, Parameter],
            output: str | None = None, names: Iterable[str] | None = None) -> pd.DataFrame:
    """One-at-a-time sensitivity: each uncertain input set to its low, then its high end.

    Returns one row per input, sorted by swing (largest first): the input's name and
    label (what charts and prose show), its low and high values, the output at each,
    and the swing |high - low|. `output` picks one output when the model returns several.
    """

    def evaluate(vals: Mapping[str, float]) -> float:
        result = model(vals)
        if isinstance(result, Mapping):
            if output is None:
                raise ModelInputError(f"model returns several outputs {sorted(result)}; name one with output=")
            result = result[output]
        return float(np.asarray(result))

    base = evaluate(values)
    chosen = list(names) if names is not None else [
        n for n in values if registry[n].distribution != "fixed"
    ]
    rows = []
    for name in chosen:
        param = registry[name]
        lo = evaluate({**values, name: param.low})
        hi = evaluate({**values, name: param.high})
        rows.append({"parameter": name, "label": param.display_label, "unit": param.unit,
                     "low": param.low, "high": param.high,
                     "output_at_low": lo, "output_at_high": hi, "baseline": base,
                     "swing": abs(hi - lo)})
    table = pd.DataFrame(rows, columns=["parameter", "label", "unit", "low", "high", "output_at_low",
                                        "output_at_high", "baseline", "swing"])
    return table.sort_values(["swing", "parameter"], ascending=[False, True], kind="stable",
                             ignore_index=True)
