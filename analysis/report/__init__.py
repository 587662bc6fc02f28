"""What chapters show: tables built from claims, chart helpers, formatting, glue helpers, headlines.

Submodules load on first use (charts imports Altair, which the build never needs).
"""

import importlib


def __getattr__(name: str):
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
