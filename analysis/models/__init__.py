"""The economics: pure, vectorized model functions and the one chain that evaluates the whole business.

Imports only numpy, pandas and itself (and the package's errors): no YAML, no Altair, no
papermill or Sphinx. Submodules load on first use: `models.capex` imports `analysis.models.capex`.
"""

import importlib


def __getattr__(name: str):
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
