"""Argument checks, the typed stage inputs and the output type shared by the model modules.

The checks raise `ModelInputError` (a `ValueError` too) naming the argument, its first bad
value and the valid range; they accept floats and numpy arrays alike (NaN and infinity
always fail).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields
from typing import Union

import numpy as np

from ..errors import ModelInputError

Numeric = Union[float, np.ndarray]
"""A model quantity: one value, or an array of Monte Carlo draws (any shape that broadcasts)."""


def require(name: str, value, ok: Callable[[np.ndarray], np.ndarray], valid: str) -> None:
    """Raise ModelInputError naming the first value of `name` for which `ok` is false (NaN/inf fail too).

    Parameters
    ----------
    name : str
        The argument's name, as the message shows it.
    value : float or array
    ok : callable
        Takes the values as a float numpy array and returns a boolean array.
    valid : str
        The valid range, as the message shows it ("must be <valid>, got <value>").

    Returns
    -------
    None

    Raises
    ------
    ModelInputError
        If any value fails `ok` or is not finite.

    Examples
    --------
    >>> require("pue", [1.2, 1.4], lambda a: a >= 1, ">= 1")
    >>> require("pue", [1.2, 0.9], lambda a: a >= 1, ">= 1")
    Traceback (most recent call last):
        ...
    analysis.errors.ModelInputError: pue must be >= 1, got 0.9
    """
    arr = np.asarray(value, dtype=float)
    good = ok(arr) & np.isfinite(arr)
    if not np.all(good):
        first = float(np.ravel(arr[~good] if arr.ndim else arr)[0])
        raise ModelInputError(f"{name} must be {valid}, got {first:g}")


def positive(name: str, value) -> None:
    """Check that every value is a finite number > 0; raise ModelInputError otherwise.

    Parameters
    ----------
    name : str
    value : float or array

    Returns
    -------
    None

    Examples
    --------
    >>> positive("rmb_per_usd", 7.05)
    >>> positive("rmb_per_usd", 0.0)
    Traceback (most recent call last):
        ...
    analysis.errors.ModelInputError: rmb_per_usd must be a finite number > 0, got 0
    """
    require(name, value, lambda a: a > 0, "a finite number > 0")


def non_negative(name: str, value) -> None:
    """Check that every value is a finite number >= 0; raise ModelInputError otherwise.

    Parameters
    ----------
    name : str
    value : float or array

    Returns
    -------
    None

    Examples
    --------
    >>> non_negative("budget_rmb", 0.0)
    >>> non_negative("budget_rmb", float("nan"))
    Traceback (most recent call last):
        ...
    analysis.errors.ModelInputError: budget_rmb must be a finite number >= 0, got nan
    """
    require(name, value, lambda a: a >= 0, "a finite number >= 0")


def fraction(name: str, value) -> None:
    """Check that every value is a fraction in [0, 1]; raise ModelInputError otherwise.

    Parameters
    ----------
    name : str
    value : float or array

    Returns
    -------
    None

    Examples
    --------
    >>> fraction("green_share", [0.0, 0.5, 1.0])
    >>> fraction("green_share", 1.2)
    Traceback (most recent call last):
        ...
    analysis.errors.ModelInputError: green_share must be a fraction in [0, 1], got 1.2
    """
    require(name, value, lambda a: (a >= 0) & (a <= 1), "a fraction in [0, 1]")


def yearly_change(name: str, value) -> None:
    """Check that every value is a yearly change > -1 (a value cannot fall by 100% or more a year).

    Parameters
    ----------
    name : str
    value : float or array [fraction per year]

    Returns
    -------
    None

    Examples
    --------
    >>> yearly_change("grid_factor_change_per_year", -0.024)
    >>> yearly_change("grid_factor_change_per_year", -1.0)
    Traceback (most recent call last):
        ...
    analysis.errors.ModelInputError: grid_factor_change_per_year must be a finite number > -1 (a yearly change), got -1
    """
    require(name, value, lambda a: a > -1, "a finite number > -1 (a yearly change)")


def field_names(cls) -> tuple[str, ...]:
    """The field names of a dataclass, in order: a stage's parameters, or a model's outputs.

    Parameters
    ----------
    cls : dataclass type or instance

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Site:
    ...     racks: float
    ...     rack_power_kw: float
    >>> field_names(Site)
    ('racks', 'rack_power_kw')
    """
    return tuple(f.name for f in fields(cls))


class StageInputs:
    """Base of a stage's frozen dataclass of inputs: one field per parameter it reads.

    Field names are the parameter names of data/parameters/, with their unit; values are
    floats or arrays of draws. `from_params` builds one from any mapping of parameter values
    (the registry's defaults, a chapter's `Params`, a Monte Carlo sample).
    """

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The parameters this stage reads, in field order.

        Returns
        -------
        tuple of str
            Parameter names as in data/parameters/.

        Examples
        --------
        >>> from analysis.models import emissions
        >>> emissions.EmissionsInputs.names()[:2]
        ('grid_factor_kg_per_kwh', 'grid_factor_year')
        """
        return field_names(cls)

    @classmethod
    def from_params(cls, p: Mapping):
        """Build the stage's inputs from a mapping of parameter values; extra names are ignored.

        Parameters
        ----------
        p : mapping of str -> float or array
            Parameter name -> value (the registry's defaults, a chapter's `Params`, a
            Monte Carlo sample); units as in data/parameters/.

        Returns
        -------
        An instance of the class, one field per name in `names()`.

        Raises
        ------
        ModelInputError
            Naming every parameter the stage needs that `p` lacks.

        Examples
        --------
        >>> from analysis.inputs import registry
        >>> from analysis.models import emissions
        >>> inputs = emissions.EmissionsInputs.from_params(registry.registry().defaults())
        >>> inputs.carbon_credits_t
        100000.0
        >>> emissions.EmissionsInputs.from_params({})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
            ...
        analysis.errors.ModelInputError: EmissionsInputs needs parameter(s) grid_factor_kg_per_kwh, ..., tokens_per_query, missing ...
        """
        missing = [name for name in cls.names() if name not in p]
        if missing:
            raise ModelInputError(f"{cls.__name__} needs parameter(s) {', '.join(missing)}, missing from the "
                                  "values given (names as in data/parameters/)")
        return cls(**{name: p[name] for name in cls.names()})


class Outputs(Mapping):
    """Base of a model's frozen dataclass of outputs: also a read-only mapping of them.

    A mapping is what `uncertainty.simulate` and `uncertainty.tornado` take from a model.
    """

    def __getitem__(self, name: str):
        if name not in self._names():
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        return field_names(cls)
