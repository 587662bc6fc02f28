"""Inputs that move together: groups of parameters with a target rank correlation.

Two ways to give a group's members the dependence their `Group` asks for, one copula
behind both:

- `correlate` (Iman & Conover 1982) reorders existing Monte Carlo draws, so each
  member keeps exactly the values `uncertainty.draw` gave it and only the pairing
  between members changes; `uncertainty.sample(..., groups=)` and `simulate` use it.
- `correlated_uniforms` maps independent uniforms (e.g. a Sobol' design's points)
  through the Gaussian copula; `sensitivity.sobol_indices(..., groups=)` uses it.

Both use the Gaussian copula whose normal scores have Pearson correlation
2 sin(pi x R / 6), so that the members' Spearman rank correlation is R: for a
bivariate normal, Spearman's rho_S = (6 / pi) arcsin(rho / 2) (Pearson 1907).
Iman-Conover with van der Waerden (normal) scores is the finite-sample version of
the same copula.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import ModelInputError
from .streams import SEED, stream

# Off-diagonal asymmetry tolerated in a rank-correlation matrix (rounding of typed-in values).
_SYMMETRY_TOLERANCE = 1e-12
# Uniforms are kept this far inside (0, 1) before the normal quantile (which is infinite at 0 and 1).
_UNIFORM_MARGIN = 2.0**-53


def _positive_definite(matrix: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return False
    return True


@dataclass(frozen=True)
class Group:
    """Parameters that move together, and their target Spearman rank correlation.

    A group is one factor of `sensitivity.sobol_indices` and one block of correlated
    draws in `uncertainty.sample(..., groups=)`. Members of different groups (and
    parameters in no group) stay independent.

    Attributes
    ----------
    members : tuple of str
        Parameter names, at least two, each once.
    rank_correlation : float or k x k array-like [Spearman's rho, -1 to 1]
        The members' target rank correlation: a matrix with one row and column per
        member, in `members` order (symmetric, unit diagonal, positive definite), or
        one number for every pair. Stored as a tuple of tuples; `matrix` gives it
        as an array.
    label : str, optional
        A short name for the group as a whole (e.g. "Siting"), shown by
        `sensitivity.sobol_indices` in place of its members' labels joined.

    Raises
    ------
    ModelInputError
        Naming the group and what is wrong: fewer than two members or a repeated
        one, a matrix of the wrong size, not symmetric, not 1 on its diagonal, an
        entry outside [-1, 1], or a matrix that is not positive definite (neither
        as given nor as the normal-score correlation 2 sin(pi x R / 6) it implies).

    Examples
    --------
    >>> g = Group(("gpu_price_usd", "hbm_price_usd"), 0.6)
    >>> g.matrix.tolist()
    [[1.0, 0.6], [0.6, 1.0]]
    >>> Group(("a", "b", "c"), [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    analysis.errors.ModelInputError: rank_correlation of group (a, b, c) must be positive definite ...
    """

    members: tuple[str, ...]
    rank_correlation: float | Sequence[Sequence[float]]
    label: str | None = None

    def __post_init__(self) -> None:
        members = tuple(self.members) if not isinstance(self.members, str) else (self.members,)
        where = f"group ({', '.join(map(str, members))})"
        if len(members) < 2 or not all(isinstance(m, str) for m in members):
            raise ModelInputError(f"members of {where} must be two or more parameter names, got {members!r}")
        repeated = sorted({m for m in members if members.count(m) > 1})
        if repeated:
            raise ModelInputError(f"members of {where} must each appear once, got {', '.join(repeated)} twice")
        k = len(members)
        given = np.asarray(self.rank_correlation, dtype=float)
        if given.ndim == 0:
            given = np.where(np.eye(k, dtype=bool), 1.0, float(given))
        name = f"rank_correlation of {where}"
        if given.shape != (k, k):
            raise ModelInputError(f"{name} must be a {k} x {k} matrix (one row and column per member, "
                                  f"in members order), got shape {given.shape}")
        if not np.all(np.isfinite(given)) or np.any(np.abs(given) > 1):
            bad = given[~(np.isfinite(given) & (np.abs(given) <= 1))][0]
            raise ModelInputError(f"{name} must have entries in [-1, 1], got {bad:g}")
        i, j = np.unravel_index(np.argmax(np.abs(given - given.T)), given.shape)
        if abs(given[i, j] - given[j, i]) > _SYMMETRY_TOLERANCE:
            raise ModelInputError(f"{name} must be symmetric, got {given[i, j]:g} at row {i}, column {j} "
                                  f"but {given[j, i]:g} at row {j}, column {i}")
        off = np.flatnonzero(np.diag(given) != 1.0)
        if off.size:
            raise ModelInputError(f"{name} must have 1 on its diagonal (a member's correlation with itself), "
                                  f"got {given[off[0], off[0]]:g} at row {off[0]}")
        if not _positive_definite(given) or not _positive_definite(normal_score_correlation(given)):
            smallest = float(np.linalg.eigvalsh(given).min())
            raise ModelInputError(f"{name} must be positive definite (a correlation that some joint draw "
                                  f"can have: every eigenvalue > 0), got smallest eigenvalue {smallest:.3g}")
        object.__setattr__(self, "members", members)
        object.__setattr__(self, "rank_correlation", tuple(tuple(float(x) for x in row) for row in given))

    @property
    def matrix(self) -> np.ndarray:
        """The target rank correlation as a k x k float array (a copy)."""
        return np.array(self.rank_correlation, dtype=float)


def restrict(groups: Sequence[Group], names: Iterable[str]) -> tuple[Group, ...]:
    """The groups as they apply to the parameters `names`: each keeps its members among them.

    A group keeps its label and the rank correlations among the members it keeps (the
    sub-matrix of its matrix: a principal sub-matrix of a positive definite matrix is
    positive definite); a group left with fewer than two members is dropped, since
    one parameter alone has nothing to move with. So one declaration of the book's
    groups serves every stage of the chain, each drawing the members it reads.

    Parameters
    ----------
    groups : sequence of Group
    names : iterable of str
        The parameters a model reads (e.g. the keys of the values given to `simulate`).

    Returns
    -------
    tuple of Group, in the order of `groups`

    Examples
    --------
    >>> siting = Group(("grid", "pue", "price"), [[1, -0.3, -0.3], [-0.3, 1, 0.3], [-0.3, 0.3, 1]], "Siting")
    >>> [(g.members, g.matrix.tolist(), g.label) for g in restrict([siting], ["pue", "price", "mw"])]
    [(('pue', 'price'), [[1.0, 0.3], [0.3, 1.0]], 'Siting')]
    >>> restrict([siting], ["grid", "mw"])
    ()
    """
    present = set(names)
    kept = []
    for group in groups:
        at = [i for i, member in enumerate(group.members) if member in present]
        if len(at) == len(group.members):
            kept.append(group)
        elif len(at) >= 2:
            kept.append(Group(tuple(group.members[i] for i in at), group.matrix[np.ix_(at, at)], group.label))
    return tuple(kept)


def normal_score_correlation(rank_correlation) -> np.ndarray:
    """The Pearson correlation of normal scores that gives a target Spearman rank correlation.

    rho = 2 sin(pi x rho_S / 6), the inverse of rho_S = (6 / pi) arcsin(rho / 2),
    Spearman's rank correlation of a bivariate normal with correlation rho (so
    rho = rho_S at 0 and +-1, and differs by at most 0.018 between).

    Parameters
    ----------
    rank_correlation : float or array [Spearman's rho, -1 to 1]

    Returns
    -------
    numpy array [Pearson's rho of the normal scores], same shape

    References
    ----------
    .. [1] Pearson, K. (1907). Mathematical contributions to the theory of
       evolution XVI: On further methods of determining correlation. Drapers'
       Company Research Memoirs, Biometric Series IV.
    .. [2] Kruskal, W. H. (1958). Ordinal measures of association. Journal of the
       American Statistical Association 53(284), 814-861.

    Examples
    --------
    >>> round(float(normal_score_correlation(0.5)), 4)
    0.5176
    >>> normal_score_correlation([[1.0, 0.0], [0.0, 1.0]]).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    r = np.asarray(rank_correlation, dtype=float)
    return np.where(np.abs(r) == 1.0, r, 2.0 * np.sin(np.pi * r / 6.0))  # +-1 exactly, not 0.9999999999999999


def _ranks(column: np.ndarray) -> np.ndarray:
    ranks = np.empty(column.size, dtype=np.intp)
    ranks[np.argsort(column, kind="stable")] = np.arange(column.size)
    return ranks


def iman_conover(x: np.ndarray, group: Group, rng: np.random.Generator) -> np.ndarray:
    """Reorder each column of `x` so that the columns have the group's rank correlation.

    Iman & Conover (1982), with van der Waerden scores and their exact-correlation step:

    1. S: each column an independent random permutation of the scores
       Phi^-1(i / (n + 1)), i = 1..n;
    2. T = S (F^-1)^T P^T, with F F^T the sample correlation of S and P P^T the
       target correlation of the scores, 2 sin(pi x R / 6) (`normal_score_correlation`),
       so T's sample correlation is exactly that target;
    3. column j of the result is column j of `x`, sorted, then arranged in the rank
       order of T's column j.

    Each column keeps exactly its values (only their order changes), and the
    Spearman correlation of the result is that of T, about R.

    Parameters
    ----------
    x : numpy array of shape (n, k)
        One column per member of `group`, in its order; n > k.
    group : Group
    rng : numpy.random.Generator
        Draws the permutations of the scores.

    Returns
    -------
    numpy array of shape (n, k), a column-wise reordering of `x`

    References
    ----------
    .. [1] Iman, R. L. and W. J. Conover (1982). A distribution-free approach to
       inducing rank correlation among input variables. Communications in
       Statistics - Simulation and Computation 11(3), 311-334.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.uniform(size=(10_000, 2))
    >>> y = iman_conover(x, Group(("a", "b"), 0.7), np.random.default_rng(1))
    >>> bool((np.sort(y, axis=0) == np.sort(x, axis=0)).all()), round(float(np.corrcoef(y.T)[0, 1]), 2)
    (True, 0.7)
    """
    n, k = x.shape
    if n <= k:
        raise ModelInputError(f"group ({', '.join(group.members)}) needs more draws than members to be "
                              f"correlated, got n = {n} for {k} members")
    from scipy import special  # imported on use: validating a Group at data load needs only numpy

    scores = special.ndtri(np.arange(1, n + 1) / (n + 1))
    s = np.column_stack([rng.permutation(scores) for _ in range(k)])
    f = np.linalg.cholesky(np.corrcoef(s, rowvar=False))
    p = np.linalg.cholesky(normal_score_correlation(group.matrix))
    t = s @ np.linalg.solve(f.T, p.T)  # (F^-1)^T P^T = (F^T)^-1 P^T
    return np.column_stack([np.sort(x[:, j])[_ranks(t[:, j])] for j in range(k)])


def check_groups(groups: Sequence[Group], uncertain: Mapping[str, bool]) -> tuple[Group, ...]:
    """Check that groups name known, uncertain parameters, each in one group at most.

    Parameters
    ----------
    groups : sequence of Group
    uncertain : mapping of str -> bool
        Every parameter that may be a member -> whether it is uncertain (a fixed one
        cannot be correlated).

    Returns
    -------
    tuple of Group

    Raises
    ------
    ModelInputError
        For an item that is not a Group, a member that is unknown or fixed, or a
        parameter in two groups.

    Examples
    --------
    >>> check_groups([Group(("a", "b"), 0.5)], {"a": True, "b": True})[0].members
    ('a', 'b')
    >>> check_groups([Group(("a", "h"), 0.5)], {"a": True, "h": False})
    Traceback (most recent call last):
        ...
    analysis.errors.ModelInputError: member 'h' of group (a, h) is fixed; only uncertain parameters can be correlated
    """
    if isinstance(groups, Group):
        groups = (groups,)
    seen: dict[str, Group] = {}
    for group in groups:
        if not isinstance(group, Group):
            raise ModelInputError(f"groups must hold Group records (analysis.models.correlation.Group), "
                                  f"got {type(group).__name__} {group!r}")
        where = f"group ({', '.join(group.members)})"
        for member in group.members:
            if member not in uncertain:
                raise ModelInputError(f"member '{member}' of {where} is not among the parameters given "
                                      f"({', '.join(uncertain)})")
            if not uncertain[member]:
                raise ModelInputError(f"member '{member}' of {where} is fixed; only uncertain parameters "
                                      "can be correlated")
            if member in seen:
                raise ModelInputError(f"parameter '{member}' is in two groups, ({', '.join(seen[member].members)}) "
                                      f"and ({', '.join(group.members)}); put it in one")
            seen[member] = group
    return tuple(groups)


def correlate(draws: Mapping[str, np.ndarray | float], groups: Sequence[Group],
              seed: int = SEED) -> dict[str, np.ndarray | float]:
    """Reorder the draws of each group's members so that they have the group's rank correlation.

    Iman & Conover (1982), see `iman_conover`: every member keeps exactly the values
    it was drawn with (its marginal distribution is untouched), and parameters in no
    group are returned as they are. Each group reorders with its own random stream,
    derived from `seed` and its members' names, so adding a group does not change
    the others.

    Parameters
    ----------
    draws : mapping of str -> numpy array of shape (n,) or float
        Draws by parameter name, as `uncertainty.sample` returns them (a fixed
        parameter is a float and cannot be a member) [each parameter's unit].
    groups : sequence of Group
        Members must be in `draws`, and each parameter in one group at most.
    seed : int, default SEED

    Returns
    -------
    dict of str -> numpy array of shape (n,) or float
        The same keys; members' arrays reordered, everything else the same objects.

    Raises
    ------
    ModelInputError
        For a member missing from `draws` or fixed there, a parameter in two
        groups, members with different numbers of draws, or n <= members.

    References
    ----------
    .. [1] Iman, R. L. and W. J. Conover (1982). A distribution-free approach to
       inducing rank correlation among input variables. Communications in
       Statistics - Simulation and Computation 11(3), 311-334.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> draws = {"a": rng.uniform(size=20_000), "b": rng.lognormal(size=20_000), "h": 8760.0}
    >>> out = correlate(draws, [Group(("a", "b"), 0.6)])
    >>> rank = lambda x: np.argsort(np.argsort(x))
    >>> round(float(np.corrcoef(rank(out["a"]), rank(out["b"]))[0, 1]), 2), out["h"]
    (0.6, 8760.0)
    >>> bool((np.sort(out["b"]) == np.sort(draws["b"])).all())  # the same values, reordered
    True
    """
    groups = check_groups(groups, {name: np.ndim(value) > 0 for name, value in draws.items()})
    out = dict(draws)
    for group in groups:
        sizes = {m: np.size(draws[m]) for m in group.members}
        if len(set(sizes.values())) > 1:
            raise ModelInputError(f"members of group ({', '.join(group.members)}) must have the same number "
                                  f"of draws, got {', '.join(f'{m}: {s}' for m, s in sizes.items())}")
        x = np.column_stack([np.ravel(np.asarray(draws[m], dtype=float)) for m in group.members])
        y = iman_conover(x, group, stream(seed, "correlate:" + ",".join(group.members)))
        for j, member in enumerate(group.members):
            out[member] = y[:, j]
    return out


def correlated_uniforms(uniforms: np.ndarray, group: Group) -> np.ndarray:
    """Map independent uniforms to uniforms with the group's rank correlation (Gaussian copula).

    v = Phi(Phi^-1(u) P^T), with P P^T = 2 sin(pi x R / 6) (`normal_score_correlation`):
    each column of v is still uniform on (0, 1), and Spearman's rho between columns
    i and j is R[i, j]. A member's values are then its distribution's inverse CDF of
    its column. The same copula as `correlate`'s Iman-Conover with normal scores,
    but a deterministic function of the points, so a quasi-random design keeps its
    structure.

    Parameters
    ----------
    uniforms : numpy array of shape (n, k)
        Independent uniforms on [0, 1), one column per member of `group`, in its
        order (kept 2**-53 inside (0, 1)).
    group : Group

    Returns
    -------
    numpy array of shape (n, k) of uniforms on (0, 1)

    References
    ----------
    .. [1] Nelsen, R. B. (2006). An Introduction to Copulas, 2nd ed. Springer,
       section 5.1.1 (Spearman's rho of the normal copula).

    Examples
    --------
    >>> u = np.random.default_rng(0).uniform(size=(50_000, 2))
    >>> v = correlated_uniforms(u, Group(("a", "b"), 0.6))
    >>> round(float(np.corrcoef(v.T)[0, 1]), 2)  # Pearson of uniforms is Spearman
    0.6
    """
    u = np.clip(np.asarray(uniforms, dtype=float), _UNIFORM_MARGIN, 1.0 - _UNIFORM_MARGIN)
    p = np.linalg.cholesky(normal_score_correlation(group.matrix))
    from scipy import special

    return special.ndtr(special.ndtri(u) @ p.T)
