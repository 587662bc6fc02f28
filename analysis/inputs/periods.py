"""The one parser of the `as_of` periods of claims ("2025", "2025-H1", "2025-10", "2025-10-15")."""

from __future__ import annotations

import re

import numpy as np

from ..errors import DataError
from ..models.units import MONTHS_PER_YEAR

_YEAR = re.compile(r"(?P<year>\d{4})")


_HALF = re.compile(r"(?P<year>\d{4})-H(?P<half>[12])")


_MONTH = re.compile(r"\d{4}-\d{2}")


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def period(as_of: str) -> tuple[np.datetime64, np.datetime64]:
    """Start and end (exclusive) of the period an as_of string names: YYYY, YYYY-Hn, YYYY-MM, YYYY-MM-DD."""
    text = as_of.strip()
    if m := _YEAR.fullmatch(text):
        start = np.datetime64(m["year"], "Y")
    elif m := _HALF.fullmatch(text):
        year = np.datetime64(m["year"], "Y").astype("datetime64[M]")
        half = np.timedelta64(int(MONTHS_PER_YEAR) // 2, "M")
        start = year + half * (int(m["half"]) - 1)
        return start.astype("datetime64[D]"), (start + half).astype("datetime64[D]")
    elif _MONTH.fullmatch(text):
        start = np.datetime64(text, "M")
    elif _DAY.fullmatch(text):
        start = np.datetime64(text, "D")
    else:
        raise DataError(f"claims.yaml: as_of {as_of!r} is not a period token_volumes can date "
                        "(YYYY, YYYY-H1/H2, YYYY-MM or YYYY-MM-DD)")
    return start.astype("datetime64[D]"), (start + 1).astype("datetime64[D]")
