"""Where things are. Functions, not module constants, so nothing is read at import."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # analysis/
REPO_ROOT = PACKAGE_DIR.parent
# vega, vega-lite and vega-embed in one script, relative to a book's root (written by the build)
VEGA_BUNDLE = Path("_static") / "vega" / "vega-bundle.js"


def data_dir() -> Path:
    """The folder with sources, claims and parameters."""
    return REPO_ROOT / "data"


def seeds_dir() -> Path:
    """The seed articles, kept beside the repository in ../shared/seeds."""
    return REPO_ROOT.parent / "shared" / "seeds"
