"""Formatting of numbers for the page: significant figures, ranges."""

import numpy as np

from ..errors import ReportError


def format_significant(value, significant_digits: int) -> str:
    """A number rounded to `significant_digits` figures, with thousands separators and no exponent.

    format_significant(628667.3, 3) == "629,000"; format_significant(1.2285, 3) == "1.23".
    """
    if significant_digits < 1:
        raise ReportError(f"significant_digits must be >= 1, got {significant_digits}")
    value = float(value)
    if value == 0 or not np.isfinite(value):
        return f"{value:,g}"
    rounded = float(f"{value:.{significant_digits}g}")  # may carry into the next power of ten
    decimals = significant_digits - 1 - int(np.floor(np.log10(abs(rounded))))
    return f"{rounded:,.{max(0, decimals)}f}"
