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
adding a parameter to a model does not change the draws of the others. Draws are
independent unless `sample` and `simulate` are given `groups` of parameters that move
together (`analysis.models.correlation`); global, variance-based sensitivity is in
`analysis.models.sensitivity`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

from ..errors import ModelInputError
from .streams import SEED, stream

if TYPE_CHECKING:  # correlation loads on first use (only where groups are drawn)
    from .correlation import Group


class Parameter(Protocol):
    """What a draw needs of a parameter record (`analysis.inputs.data.Parameter` is one).

    Attributes
    ----------
    name : str
        Parameter name (also seeds its random stream).
    unit : str
        Unit, e.g. "MW" (shown in tornado tables).
    low, high : float [the parameter's unit]
        The registry range: bounds of uniform and triangular draws, 5th and 95th
        percentiles of lognormal ones, the ends of a tornado bar.
    distribution : str
        "triangular", "uniform", "lognormal" or "fixed".
    display_label : str
        Label shown in charts and prose.
    """

    name: str
    unit: str
    low: float
    high: float
    distribution: str
    display_label: str

DRAWS = 100_000
PERCENTILES = (10, 50, 90)
Z_95 = 1.6448536269514722  # standard normal quantile of 0.95

Model = Callable[[Mapping[str, object]], object]


def draw(param: Parameter, center: float, n: int, seed: int = SEED) -> np.ndarray:
    """`n` draws of one parameter around `center` (its current value).

    - fixed: n copies of center;
    - uniform: low to high;
    - triangular: low, mode = center (clipped to [low, high]), high;
    - lognormal: center x exp(sigma x z), z standard normal, with
      sigma = ln(high / low) / (2 x 1.645), so that low and high are the 5th and
      95th percentiles when center is their geometric mean.

    The random stream is derived from `seed` and the parameter's name, so adding a
    parameter does not change the draws of the others.

    Parameters
    ----------
    param : Parameter
        Name, range (low, high) and distribution.
    center : float [the parameter's unit]
        Its current value (default or override).
    n : int
        Number of draws.
    seed : int, default SEED

    Returns
    -------
    draws : numpy array of shape (n,) [the parameter's unit]

    Raises
    ------
    ModelInputError
        For an unknown distribution.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> pue = SimpleNamespace(name="pue", unit="ratio", low=1.1, high=1.5,
    ...                       distribution="triangular", display_label="PUE")
    >>> x = draw(pue, 1.25, 1_000)
    >>> x.shape, bool(x.min() >= 1.1 and x.max() <= 1.5)
    ((1000,), True)
    >>> bool((draw(pue, 1.25, 1_000) == x).all())  # seeded: the same draws every time
    True
    """
    rng = stream(seed, param.name)
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
           seed: int = SEED, *, groups: Sequence[Group] | None = None) -> dict[str, np.ndarray | float]:
    """Draws for every uncertain parameter in `values`; fixed ones keep their scalar value.

    Each parameter is drawn independently (`draw`); with `groups`, the members of
    each group are then reordered to their target rank correlation
    (`correlation.correlate`, Iman-Conover), which keeps every member's values.

    Parameters
    ----------
    values : mapping of str -> float
        Parameter name -> current value [each parameter's unit]; every name must be
        in `registry`.
    registry : mapping of str -> Parameter
    n : int, default DRAWS (100,000)
    seed : int, default SEED
    groups : sequence of correlation.Group, optional
        Uncertain parameters that move together. None (the default) or empty: the
        independent draws, exactly as without it.

    Returns
    -------
    dict of str -> numpy array of shape (n,) or float [each parameter's unit]

    Raises
    ------
    ModelInputError
        For a group member not in `values`, fixed, or in two groups.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> reg = {"a": SimpleNamespace(name="a", low=1.0, high=3.0, distribution="uniform"),
    ...        "h": SimpleNamespace(name="h", low=8760.0, high=8760.0, distribution="fixed")}
    >>> s = sample({"a": 2.0, "h": 8760.0}, reg, n=1_000)
    >>> s["a"].shape, s["h"]
    ((1000,), 8760.0)

    Two inputs that move together, with a rank correlation of 0.8:

    >>> from analysis.models.correlation import Group
    >>> reg["b"] = SimpleNamespace(name="b", low=1.0, high=3.0, distribution="uniform")
    >>> s = sample({"a": 2.0, "b": 2.0}, reg, n=20_000, groups=[Group(("a", "b"), 0.8)])
    >>> round(float(np.corrcoef(s["a"], s["b"])[0, 1]), 2)  # Pearson = Spearman for uniforms
    0.8
    """
    out: dict[str, np.ndarray | float] = {}
    for name, value in values.items():
        param = registry[name]
        out[name] = value if param.distribution == "fixed" else draw(param, value, n, seed)
    if groups:
        from .correlation import correlate  # SciPy loads only where groups are asked for

        out = correlate(out, groups, seed)
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
             n: int = DRAWS, seed: int = SEED, *, groups: Sequence[Group] | None = None) -> pd.DataFrame:
    """Run `model` on `n` joint draws; one column per model output.

    Parameters
    ----------
    model : callable
        Takes a mapping of parameter name -> value (floats or arrays of n draws) and
        returns an array, a mapping of named arrays (e.g. a stage's outputs, see
        `analysis.models.chain.model`) or a DataFrame.
    values : mapping of str -> float
        Current values [each parameter's unit].
    registry : mapping of str -> Parameter
    n : int, default DRAWS (100,000)
    seed : int, default SEED
    groups : sequence of correlation.Group, optional
        Uncertain parameters that move together (see `sample`); None: independent.

    Returns
    -------
    pandas.DataFrame
        n rows, one column per output (a single "value" column for an array), in
        the outputs' units.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> reg = {"a": SimpleNamespace(name="a", low=1.0, high=3.0, distribution="uniform")}
    >>> draws = simulate(lambda v: {"twice": 2 * v["a"]}, {"a": 2.0}, reg, n=1_000)
    >>> draws.shape, bool(draws["twice"].between(2.0, 6.0).all())
    ((1000, 1), True)
    """
    return _as_frame(model(sample(values, registry, n, seed, groups=groups)), n)


def summarize(draws: pd.DataFrame | Mapping | np.ndarray,
              percentiles: Iterable[int] = PERCENTILES) -> pd.DataFrame:
    """P10/P50/P90 (by default) of each output; one row per output.

    Percentiles by numpy's default (linear interpolation between draws).

    Parameters
    ----------
    draws : pandas.DataFrame, mapping of str -> array, or array
        Draws, one column per output (e.g. from `simulate`).
    percentiles : iterable of int, default (10, 50, 90)

    Returns
    -------
    pandas.DataFrame
        Index "output" (the column names; "value" for an array), columns p10, p50,
        p90 in each output's unit.

    Examples
    --------
    >>> import pandas as pd
    >>> table = summarize(pd.DataFrame({"x": np.arange(11.0)}))
    >>> table.columns.tolist(), table.loc["x"].tolist()
    (['p10', 'p50', 'p90'], [1.0, 5.0, 9.0])

    A stage's outputs at 1,000 draws of the registry's distributions:

    >>> from analysis.inputs import registry
    >>> from analysis.models import chain
    >>> reg = registry.registry()
    >>> row = summarize(simulate(chain.model("fleet"), reg.defaults(), reg, n=1_000)).loc["it_power_mw"]
    >>> bool(row.p10 < row.p50 < row.p90)
    True
    """
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


def share_below(values, threshold: float = 0.0) -> float:
    """The share of Monte Carlo draws below `threshold`: how likely a result's sign flips.

    share = count(values < threshold) / count(values)

    Parameters
    ----------
    values : array-like of float [any unit]
        Draws of one output (NaN draws are not allowed).
    threshold : float [the values' unit], default 0

    Returns
    -------
    float [fraction of draws]

    Raises
    ------
    ModelInputError
        For no draws or a NaN draw.

    Examples
    --------
    >>> share_below([-2.0, -1.0, 0.0, 1.0]), share_below([1.0, 2.0, 3.0], threshold=2.5)
    (0.5, 0.6666666666666666)
    """
    array = np.asarray(values, dtype=float)
    if array.size == 0 or np.isnan(array).any():
        raise ModelInputError("share_below needs at least one draw and no NaN draws")
    return float(np.mean(array < threshold))


def tornado(model: Model, values: Mapping[str, float], registry: Mapping[str, Parameter],
            output: str | None = None, names: Iterable[str] | None = None) -> pd.DataFrame:
    """One-at-a-time sensitivity: each uncertain input set to its low, then its high end.

    swing = |model(..., input = high) - model(..., input = low)|, every other input at its value.

    Parameters
    ----------
    model : callable
        Takes a mapping of parameter name -> float; returns a number or a mapping
        of named outputs.
    values : mapping of str -> float
        The baseline values [each parameter's unit].
    registry : mapping of str -> Parameter
    output : str, optional
        The output to read when the model returns several.
    names : iterable of str, optional
        Inputs to vary; default every input in `values` whose distribution is not fixed.

    Returns
    -------
    pandas.DataFrame
        One row per input, sorted by swing (largest first, then by name):
        parameter and label (what charts and prose show), unit, low and high
        [the input's unit], output_at_low, output_at_high, baseline and swing
        [the output's unit].

    Raises
    ------
    ModelInputError
        If the model returns several outputs and `output` is not given.

    Examples
    --------
    >>> from types import SimpleNamespace as P
    >>> reg = {"mw": P(name="mw", unit="MW", low=1.0, high=3.0, distribution="uniform", display_label="IT power"),
    ...        "pue": P(name="pue", unit="ratio", low=1.1, high=1.5, distribution="triangular", display_label="PUE")}
    >>> table = tornado(lambda v: {"facility_mw": v["mw"] * v["pue"]}, {"mw": 2.0, "pue": 1.2}, reg,
    ...                 output="facility_mw")
    >>> table["parameter"].tolist(), table["swing"].round(3).tolist()
    (['mw', 'pue'], [2.4, 0.8])
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
