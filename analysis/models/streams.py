"""The book's random numbers: one seed, and one independent stream per name.

Kept apart from `uncertainty` so that validating a correlation group (at data load, on every
build) needs only numpy, not pandas or SciPy.
"""

from __future__ import annotations

import hashlib

import numpy as np

SEED = 20260101


def stream(seed: int, name: str) -> np.random.Generator:
    """The random generator of `name` under `seed`: a parameter's draws, a group's reordering.

    Streams are derived from the seed and a hash of the name, so adding a parameter does not
    change the draws of the others.

    >>> float(stream(SEED, "pue").random()) == float(stream(SEED, "pue").random())
    True
    """
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")
    return np.random.default_rng([seed, digest])
