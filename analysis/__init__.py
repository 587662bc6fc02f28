"""Models, data and build of the book on the economics of ByteDance's AI bet.

Importing the package does no work: modules are imported where they are used.
"""

import importlib


def lazy_submodules(package: str):
    """A module `__getattr__` that imports `package.<name>` on first use (no work at import time)."""

    def __getattr__(name: str):
        try:
            return importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None

    return __getattr__
