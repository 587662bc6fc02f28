"""What enters the book: schemas and loaders of sources, claims, parameters and scenarios; the registry.

Submodules load on first use: `inputs.registry` imports `analysis.inputs.registry`.
"""

from .. import lazy_submodules

__getattr__ = lazy_submodules(__name__)
