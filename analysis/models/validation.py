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
    """Raise ModelInputError naming the first value of `name` for which `ok` is false (NaN/inf fail too)."""
    arr = np.asarray(value, dtype=float)
    good = ok(arr) & np.isfinite(arr)
    if not np.all(good):
        first = float(np.ravel(arr[~good] if arr.ndim else arr)[0])
        raise ModelInputError(f"{name} must be {valid}, got {first:g}")


def positive(name: str, value) -> None:
    require(name, value, lambda a: a > 0, "a finite number > 0")


def non_negative(name: str, value) -> None:
    require(name, value, lambda a: a >= 0, "a finite number >= 0")


def fraction(name: str, value) -> None:
    require(name, value, lambda a: (a >= 0) & (a <= 1), "a fraction in [0, 1]")


def yearly_change(name: str, value) -> None:
    require(name, value, lambda a: a > -1, "a finite number > -1 (a yearly change)")


def field_names(cls) -> tuple[str, ...]:
    """The field names of a dataclass, in order: a stage's parameters, or a model's outputs."""
    return tuple(f.name for f in fields(cls))


class StageInputs:
    """Base of a stage's frozen dataclass of inputs: one field per parameter it reads.

    Field names are the parameter names of data/parameters/, with their unit; values are
    floats or arrays of draws. `from_params` builds one from any mapping of parameter values
    (the registry's defaults, a chapter's `Params`, a Monte Carlo sample).
    """

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The parameters this stage reads, in field order."""
        return field_names(cls)

    @classmethod
    def from_params(cls, p: Mapping):
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
