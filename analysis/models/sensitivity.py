"""Global, variance-based sensitivity: first- and total-order Sobol' indices of a model output.

`uncertainty.tornado` moves one input at a time with every other at its value;
`sobol_indices` apportions the output's variance over the inputs' whole joint
distribution (the one `uncertainty.draw` samples), interactions included:

- first order S_i = Var(E[Y | X_i]) / Var(Y): the share of the variance input i
  explains alone;
- total order S_Ti = E[Var(Y | X_~i)] / Var(Y): the share that would remain
  unexplained if every input but i were known; S_Ti - S_i is i's share through
  interactions.

Sobol' indices assume independent inputs. Inputs that move together are one factor:
pass them as a `correlation.Group`, and the group gets one pair of indices.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ModelInputError
from .correlation import Group, check_groups, correlated_uniforms
from .streams import SEED, stream
from .uncertainty import Z_95, Model, Parameter
from .validation import require

SOBOL_N = 1024
CONFIDENCE_LEVEL = 0.95
BOOTSTRAP_RESAMPLES = 200
# Model evaluations per call: the design's blocks of n rows are evaluated this many rows at a time
# (at least one block), so that memory stays near a 65,536-draw Monte Carlo's whatever n and d are.
ROWS_PER_CALL = 2**16
COLUMNS = ["parameter", "label", "unit", "members", "first_order", "total_order"]
INTERVAL_COLUMNS = ["first_order_low", "first_order_high", "total_order_low", "total_order_high"]


def distribution(param: Parameter, center: float):
    """The distribution `uncertainty.draw` samples a parameter from, as a SciPy frozen distribution.

    - uniform: low to high;
    - triangular: low, mode = center (clipped to [low, high]), high;
    - lognormal: median = center, sigma = ln(high / low) / (2 x 1.645).

    Its `ppf` (inverse CDF) maps the uniforms of a quasi-random design to draws.

    Parameters
    ----------
    param : Parameter
        Name, range (low, high) and distribution (not "fixed").
    center : float [the parameter's unit]
        Its current value (default or override).

    Returns
    -------
    scipy.stats frozen distribution [the parameter's unit]

    Raises
    ------
    ModelInputError
        For a fixed parameter (it has no distribution), an unknown distribution, or
        low >= high.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> pue = SimpleNamespace(name="pue", unit="ratio", low=1.1, high=1.5, distribution="triangular")
    >>> [round(float(x), 4) for x in distribution(pue, 1.25).ppf([0.0, 0.375, 1.0])]
    [1.1, 1.25, 1.5]
    """
    kind = param.distribution
    if kind not in ("uniform", "triangular", "lognormal"):
        raise ModelInputError(f"distribution of {param.name} must be uniform, triangular or lognormal "
                              f"to be a factor, got {kind!r}")
    low, high = float(param.low), float(param.high)
    if not low < high:
        raise ModelInputError(f"range of {param.name} must have low < high, got low {low:g}, high {high:g}")
    if kind == "uniform":
        return stats.uniform(loc=low, scale=high - low)
    if kind == "triangular":
        mode = min(max(float(center), low), high)
        return stats.triang(c=(mode - low) / (high - low), loc=low, scale=high - low)
    return stats.lognorm(s=math.log(high / low) / (2 * Z_95), scale=float(center))


def _check_arguments(n, confidence_level, resamples) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2 or n & (n - 1):
        raise ModelInputError(f"n must be a power of two >= 2 (Sobol' points are balanced only then; "
                              f"e.g. 1024 = 2**10), got {n!r}")
    if confidence_level is not None:
        require("confidence_level", confidence_level, lambda a: (a > 0) & (a < 1), "between 0 and 1 (or None)")
        if isinstance(resamples, bool) or not isinstance(resamples, (int, np.integer)) or resamples < 1:
            raise ModelInputError(f"resamples must be a whole number >= 1, got {resamples!r}")


def _factors(dims: Sequence[str], groups: Sequence[Group]) -> list[tuple[str, ...]]:
    """Members of each factor, in the order of `dims` (a group where its first member is)."""
    group_of = {m: g for g in groups for m in g.members}
    factors, done = [], set()
    for name in dims:
        members = group_of[name].members if name in group_of else (name,)
        if members not in done:
            done.add(members)
            factors.append(members)
    return factors


def _design_inputs(uniforms: np.ndarray, dims: Sequence[str], values: Mapping[str, float],
                   registry: Mapping[str, Parameter], groups: Sequence[Group]) -> np.ndarray:
    """One row of draws per uncertain parameter, shape (d, n), from uniforms of shape (n, d)."""
    u = uniforms.copy()
    column = {name: i for i, name in enumerate(dims)}
    for group in groups:
        at = [column[m] for m in group.members]
        u[:, at] = correlated_uniforms(u[:, at], group)
    return np.stack([distribution(registry[name], values[name]).ppf(u[:, i]) for i, name in enumerate(dims)])


def _pick(result: object, output: str | None, rows: int) -> np.ndarray:
    """The chosen output of one model call, as a float array of `rows` values."""
    if isinstance(result, pd.DataFrame):
        result = {column: result[column].to_numpy() for column in result.columns}
    if isinstance(result, Mapping):
        if output is None and len(result) != 1:
            raise ModelInputError(f"model returns several outputs {sorted(result)}; name one with output=")
        if output is not None and output not in result:
            raise ModelInputError(f"output {output!r} is not among the model's outputs: {', '.join(result)}")
        result = result[output] if output is not None else next(iter(result.values()))
    y = np.asarray(result, dtype=float)
    if y.size != 1 and y.shape != (rows,):
        raise ModelInputError(f"model output must be one value or one per draw ({rows}), got shape {y.shape}")
    return np.broadcast_to(y, (rows,)) if y.size == 1 else y


def _evaluate(model: Model, values: Mapping[str, float], dims: Sequence[str], a: np.ndarray, b: np.ndarray,
              factors: Sequence[tuple[str, ...]], output: str | None) -> np.ndarray:
    """f(A), f(B), f(AB_1) ... f(AB_k) as one array of shape (k + 2, n)."""
    n = a.shape[1]
    row = {name: i for i, name in enumerate(dims)}

    def block(index: int) -> np.ndarray:
        if index < 2:
            return (a, b)[index]
        swapped = a.copy()
        at = [row[m] for m in factors[index - 2]]
        swapped[at] = b[at]
        return swapped

    blocks, per_call, out = len(factors) + 2, max(1, ROWS_PER_CALL // n), []
    for start in range(0, blocks, per_call):
        x = np.concatenate([block(i) for i in range(start, min(start + per_call, blocks))], axis=1)
        inputs = {name: x[row[name]] if name in row else values[name] for name in values}
        out.append(_pick(model(inputs), output, x.shape[1]))
    f = np.concatenate(out).reshape(blocks, n)
    bad = int(np.count_nonzero(~np.isfinite(f)))
    if bad:
        what = f"output {output!r}" if output is not None else "the model's output"
        raise ModelInputError(f"{what} must be finite at every design point for Sobol' indices, "
                              f"got {bad} non-finite of {f.size}")
    return f


def _estimate(f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SciPy's first- and total-order estimates, each of shape (k,), from f of shape (k + 2, n)."""
    k, n = f.shape[0] - 2, f.shape[1]
    # SciPy 1.17 fails on one output of one factor (its result squeezes to a scalar): give it the
    # factor twice; the two estimates are the same numbers.
    f_ab = np.repeat(f[2:], 2, axis=0) if k == 1 else f[2:]
    result = stats.sobol_indices(func={"f_A": f[:1], "f_B": f[1:2], "f_AB": f_ab[:, np.newaxis]}, n=n)
    return np.reshape(result.first_order, (-1,))[:k], np.reshape(result.total_order, (-1,))[:k]


def _weighted_estimate(f: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and total order, each of shape (r, k), for r weightings of the design's n rows.

    SciPy's formulas (`saltelli_2010`: outputs centred on the mean m of f(A) and f(B),
    V their pooled variance) with every mean a weighted one, mean_w(q) = w . q:

        S_i  = (mean_w(f_B (f_ABi - f_A)) - m mean_w(f_ABi - f_A)) / V
        S_Ti = mean_w((f_A - f_ABi)^2) / (2 V)

    so that a bootstrap's resamples (weights = how often each row was drawn / n) are
    one matrix product. f has shape (k + 2, n) (`_evaluate`); each row of weights sums to 1.
    """
    f = f - f[:2].mean()  # the indices do not change; the variance below loses no digits
    f_a, f_b, diff = f[0], f[1], f[2:] - f[0]
    m = (weights @ f_a + weights @ f_b) / 2
    variance = ((weights @ f_a**2 + weights @ f_b**2) / 2 - m**2)[:, np.newaxis]
    with np.errstate(divide="ignore", invalid="ignore"):
        first = (weights @ (f_b * diff).T - m[:, np.newaxis] * (weights @ diff.T)) / variance
        total = 0.5 * (weights @ (diff**2).T) / variance
    return np.where(variance > 0, first, 0.0), np.where(variance > 0, total, 0.0)  # as SciPy: no variance, 0


def _bootstrap(f: np.ndarray, resamples: int, confidence_level: float,
               rng: np.random.Generator) -> list[np.ndarray]:
    """Percentile bootstrap intervals: low and high of first, then of total order, each of shape (k,).

    Each resample takes n of the design's rows with replacement (the same rows of
    f(A), f(B) and every f(AB_i)) and re-estimates the indices (`_weighted_estimate`).
    """
    n = f.shape[1]
    rows = rng.integers(0, n, (resamples, n)) + n * np.arange(resamples)[:, np.newaxis]
    weights = np.bincount(rows.ravel(), minlength=resamples * n).reshape(resamples, n) / n
    tail = 50 * (1 - confidence_level)
    return [bound for order in _weighted_estimate(f, weights)
            for bound in np.percentile(order, [tail, 100 - tail], axis=0)]


def sobol_indices(model: Model, values: Mapping[str, float], registry: Mapping[str, Parameter],
                  output: str | None = None, n: int = SOBOL_N, seed: int = SEED, *,
                  groups: Sequence[Group] | None = None, confidence_level: float | None = CONFIDENCE_LEVEL,
                  resamples: int = BOOTSTRAP_RESAMPLES) -> pd.DataFrame:
    """First- and total-order Sobol' indices of one model output, one row per uncertain input.

    Saltelli's design (Saltelli et al. 2010): two matrices A and B of n draws of the
    d uncertain inputs, from the 2d dimensions of one scrambled Sobol' sequence mapped
    through each input's distribution (`distribution`, the one `uncertainty.draw`
    samples); for each factor i, AB_i is A with factor i's columns taken from B. With
    f the model output and V the variance of f(A) and f(B) together,

        S_i  = mean(f(B) x (f(AB_i) - f(A))) / V              (Saltelli et al. 2010)
        S_Ti = mean((f(A) - f(AB_i))^2) / (2 V)                (Jansen 1999)

    computed by `scipy.stats.sobol_indices` from the model's values, at a cost of
    n x (k + 2) model evaluations for k factors (vectorized, `ROWS_PER_CALL` rows per
    call). Confidence intervals: percentile bootstrap over the n rows of the design,
    seeded (SciPy's `SobolResult.bootstrap` takes no seed, and its BCa intervals
    re-estimate n times), each resample the same formulas with rows weighted by how
    often they were drawn; it treats the rows as independent draws, so for a Sobol'
    design, more even than random, the intervals are if anything wide.

    Correlated inputs: Sobol' indices need independent factors, so each `Group` is one
    factor whose members are swapped between A and B together ("group" Sobol'
    indices, Jacques et al. 2006): S_g = Var(E[Y | X_g]) / Var(Y) for the group as a
    whole. Within A and B, a group's members are drawn with its rank correlation
    through the Gaussian copula (`correlation.correlated_uniforms`), the copula of
    the Iman-Conover reordering that `uncertainty.sample(..., groups=)` applies.

    Parameters
    ----------
    model : callable
        Takes a mapping of parameter name -> value (arrays of draws for uncertain
        inputs, the float value for fixed ones, as in `uncertainty.simulate`) and
        returns an array, a mapping of named arrays or a DataFrame.
    values : mapping of str -> float
        Current values [each parameter's unit]; every name must be in `registry`.
        Uncertain ones (distribution not "fixed") are the factors.
    registry : mapping of str -> Parameter
    output : str, optional
        The output to analyse when the model returns several.
    n : int, default SOBOL_N (1,024)
        Rows of A and B; a power of two.
    seed : int, default SEED
        Seeds the Sobol' sequence's scrambling and the bootstrap. Unlike `draw`'s
        per-parameter streams, the design depends on which inputs are uncertain and
        their order in `values`.
    groups : sequence of correlation.Group, optional
        Uncertain inputs that move together; each group is one factor.
    confidence_level : float or None, default 0.95
        Of the bootstrap intervals; None for no intervals (and no bootstrap).
    resamples : int, default BOOTSTRAP_RESAMPLES (200)

    Returns
    -------
    pandas.DataFrame
        One row per factor, sorted by total_order (largest first, then by name):
        parameter (for a group, its members joined by " + "), label (a group's own
        label, or its members' labels joined likewise), unit (joined by ", "),
        members (a tuple of names), first_order, total_order [fraction of the
        output's variance] and, with a confidence level, first_order_low,
        first_order_high, total_order_low, total_order_high. Estimates can fall a
        little below 0 or above 1 by sampling error.

    Raises
    ------
    ModelInputError
        For n not a power of two, a multi-output model without `output` or an
        `output` it does not return, non-finite outputs, a bad group, or a bad
        confidence level or number of resamples.

    References
    ----------
    .. [1] Sobol', I. M. (2001). Global sensitivity indices for nonlinear
       mathematical models and their Monte Carlo estimates. Mathematics and
       Computers in Simulation 55(1-3), 271-280.
    .. [2] Saltelli, A., P. Annoni, I. Azzini, F. Campolongo, M. Ratto and
       S. Tarantola (2010). Variance based sensitivity analysis of model output.
       Design and estimator for the total sensitivity index. Computer Physics
       Communications 181(2), 259-270.
    .. [3] Jansen, M. J. W. (1999). Analysis of variance designs for model output.
       Computer Physics Communications 117(1-2), 35-43.
    .. [4] Jacques, J., C. Lavergne and N. Devictor (2006). Sensitivity analysis in
       presence of model uncertainty and correlated inputs. Reliability
       Engineering & System Safety 91(10-11), 1126-1134.

    Examples
    --------
    y = 2a + b with a and b uniform on [0, 1]: S_a = 4 / 5, S_b = 1 / 5, and no
    interactions, so first and total order agree:

    >>> from types import SimpleNamespace as P
    >>> reg = {"a": P(name="a", unit="x", low=0.0, high=1.0, distribution="uniform", display_label="A"),
    ...        "b": P(name="b", unit="x", low=0.0, high=1.0, distribution="uniform", display_label="B")}
    >>> table = sobol_indices(lambda v: {"y": 2 * v["a"] + v["b"]}, {"a": 0.5, "b": 0.5}, reg, output="y")
    >>> table[["parameter", "first_order", "total_order"]].round(3).values.tolist()
    [['a', 0.8, 0.8], ['b', 0.2, 0.2]]
    """
    _check_arguments(n, confidence_level, resamples)
    uncertain = {name: registry[name].distribution != "fixed" for name in values}
    groups = check_groups(groups or (), uncertain)
    dims = [name for name in values if uncertain[name]]
    factors = _factors(dims, groups)
    label_of = {group.members: group.label for group in groups}
    columns = COLUMNS + (INTERVAL_COLUMNS if confidence_level is not None else [])
    if not factors:
        return pd.DataFrame(columns=columns)
    design = stats.qmc.Sobol(d=2 * len(dims), scramble=True, rng=stream(seed, "sobol_indices")).random(n)
    a = _design_inputs(design[:, :len(dims)], dims, values, registry, groups)
    b = _design_inputs(design[:, len(dims):], dims, values, registry, groups)
    f = _evaluate(model, values, dims, a, b, factors, output)
    first, total = _estimate(f)
    rows = {
        "parameter": [" + ".join(m) for m in factors],
        "label": [label_of[m] if label_of.get(m) else " + ".join(registry[name].display_label for name in m)
                  for m in factors],
        "unit": [", ".join(dict.fromkeys(registry[name].unit for name in m)) for m in factors],
        "members": factors, "first_order": first, "total_order": total,
    }
    if confidence_level is not None:
        intervals = _bootstrap(f, resamples, confidence_level, stream(seed, "sobol_indices bootstrap"))
        rows.update(zip(INTERVAL_COLUMNS, intervals))
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["total_order", "parameter"], ascending=[False, True], kind="stable",
                             ignore_index=True)
