"""Formatting of numbers for the page: significant figures, ranges."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..errors import ReportError


def round_significant(value, significant_digits: int = 3) -> float:
    """A number rounded to `significant_digits` figures, as a float: round_significant(628667.3) == 629000.0.

    What the text quotes of a computed value, so that it shows no false precision.
    """
    return float(f"{float(value):.{significant_digits}g}")


def format_significant(value, significant_digits: int) -> str:
    """A number rounded to `significant_digits` figures, with thousands separators and no exponent.

    format_significant(628667.3, 3) == "629,000"; format_significant(1.2285, 3) == "1.23".
    """
    if significant_digits < 1:
        raise ReportError(f"significant_digits must be >= 1, got {significant_digits}")
    value = float(value)
    if value == 0 or not np.isfinite(value):
        return f"{value:,g}"
    rounded = round_significant(value, significant_digits)  # may carry into the next power of ten
    decimals = significant_digits - 1 - int(np.floor(np.log10(abs(rounded))))
    return f"{rounded:,.{max(0, decimals)}f}"


def format_signed(value, significant_digits: int) -> str:
    """`format_significant` with the sign always written, for a difference: "+1.23", "-0.5", "0".

    format_signed(1.2285, 3) == "+1.23"; format_signed(-144593.9, 4) == "-144,600"; format_signed(0.0, 3) == "0".
    """
    text = format_significant(abs(value), significant_digits)
    return ("-" if value < 0 else "+" if value > 0 else "") + text


def _three_significant(value) -> str:
    return format_significant(value, 3)


def range_text(low, high, unit: str = "", number: Callable[[float], str] = _three_significant) -> str:
    """A range in words: "X to Y unit"; "X unit" when both ends are equal; open ends in words.

    - high = +infinity: "at least X unit"; low = -infinity: "at most Y unit";
    - low == high (a single value): "X unit";
    - otherwise: "X to Y unit".

    `number` writes each end (default: three significant figures, `format_significant`); the
    unit follows the last number after a space, or directly when it is "%"; no unit, no suffix.

    range_text(0.2146, 0.628) == "0.215 to 0.628"; range_text(21.46, 62.8, "%") == "21.5 to 62.8%";
    range_text(50, math.inf, "T tokens per day") == "at least 50.0 T tokens per day".
    A low above its high raises ReportError.
    """
    if low > high:
        raise ReportError(f"range_text: low must not exceed high, got {low!r} > {high!r}")
    suffix = "" if not unit else unit if unit == "%" else f" {unit}"
    if high == math.inf:
        return f"at least {number(low)}{suffix}"
    if low == -math.inf:
        return f"at most {number(high)}{suffix}"
    if low == high:
        return f"{number(low)}{suffix}"
    return f"{number(low)} to {number(high)}{suffix}"
