"""What chapters show: tables built from claims, chart helpers, formatting, glue helpers, headlines.

Submodules load on first use (charts imports Altair, which the build never needs).
"""

from .. import lazy_submodules

__getattr__ = lazy_submodules(__name__)
