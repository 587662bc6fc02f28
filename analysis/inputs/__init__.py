"""What enters the book: schemas and loaders of sources, claims, parameters and scenarios; the registry.

Submodules load on first use: `inputs.registry` imports `analysis.inputs.registry`.
"""

import importlib


def __getattr__(name: str):
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
