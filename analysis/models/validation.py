"""Input checks and the output type shared by the model modules.

The checks raise a plain ValueError naming the argument and its first bad value;
they accept floats and numpy arrays alike (NaN and infinity always fail).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields

import numpy as np


def require(name: str, value, ok: Callable[[np.ndarray], np.ndarray], valid: str) -> None:
    """Raise ValueError naming the first value of `name` for which `ok` is false (NaN/inf fail too)."""
    arr = np.asarray(value, dtype=float)
    good = ok(arr) & np.isfinite(arr)
    if not np.all(good):
        first = float(np.ravel(arr[~good] if arr.ndim else arr)[0])
        raise ValueError(f"{name} must be {valid}, got {first:g}")


def positive(name: str, value) -> None:
    require(name, value, lambda a: a > 0, "a finite number > 0")


def non_negative(name: str, value) -> None:
    require(name, value, lambda a: a >= 0, "a finite number >= 0")


def fraction(name: str, value) -> None:
    require(name, value, lambda a: (a >= 0) & (a <= 1), "a fraction in [0, 1]")


def read_parameter(p: Mapping, name: str, required: Sequence[str], caller: str):
    """`p[name]`, or a ValueError listing every parameter `caller` needs that `p` lacks."""
    try:
        return p[name]
    except KeyError:
        missing = [n for n in required if n not in p]
        raise ValueError(
            f"{caller} needs parameter '{name}' but it is missing; missing: {', '.join(missing)} "
            "(names as in data/parameters/)"
        ) from None


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
        return tuple(f.name for f in fields(cls))
