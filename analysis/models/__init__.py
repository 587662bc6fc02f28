"""The economics: pure, vectorized model functions and the one chain that evaluates the whole business.

Imports only numpy, pandas, SciPy (statistics) and itself (and the package's errors): no YAML, no Altair, no
papermill or Sphinx. Submodules load on first use: `models.capex` imports `analysis.models.capex`.
"""

from .. import lazy_submodules

__getattr__ = lazy_submodules(__name__)
