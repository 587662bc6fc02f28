"""The package is layered by audience, and a lower layer never imports a higher one (STYLE.md)."""

import ast
from pathlib import Path

import pytest

from analysis.inputs import paths

PACKAGE = paths.PACKAGE_DIR
# layer -> the analysis subpackages it may import (besides itself and the leaf analysis.errors)
ALLOWED = {
    "models": set(),
    "inputs": {"models"},
    "report": {"models", "inputs"},
    "book": {"models", "inputs", "report"},
}
# Third-party modules the models may import: nothing that reads files, draws or builds.
# SciPy for the statistics numpy lacks: quasi-random designs, Sobol' estimators, normal quantiles.
MODEL_THIRD_PARTY = {"numpy", "pandas", "scipy"}


def _is_module(package_dir: Path, dotted: str) -> bool:
    """Whether `dotted` (e.g. analysis.models.capex) is a module or package, not a name inside one."""
    target = package_dir.parent.joinpath(*dotted.split("."))
    return target.with_suffix(".py").is_file() or target.is_dir()


def _imports(path: Path, package_dir: Path = PACKAGE) -> list[str]:
    """Absolute names of every module `path` imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(package_dir.parent).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
                names += [module] if node.module else [
                    f"{base}.{a.name}" if _is_module(package_dir, f"{base}.{a.name}") else base for a in node.names]
            else:
                names.append(node.module)
    return names


def _layer_files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).glob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(layer):
    for path in _layer_files(layer):
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "analysis" or len(parts) < 2 or parts[1] in ("errors", layer):
                continue
            assert parts[1] in ALLOWED[layer], (
                f"{path.relative_to(PACKAGE.parent)} imports {name}: the {layer} layer may import "
                f"only {sorted(ALLOWED[layer]) or 'itself'} (and analysis.errors)")


def test_models_import_only_numpy_pandas_scipy_and_the_standard_library():
    """The model layer's third-party imports are MODEL_THIRD_PARTY: no YAML, Altair, papermill or Sphinx."""
    import sys

    for path in _layer_files("models"):
        for name in _imports(path):
            top = name.split(".")[0]
            if top == "analysis" or top in sys.stdlib_module_names:
                continue
            assert top in MODEL_THIRD_PARTY, f"{path.name} imports {name}; models import only numpy, pandas and scipy"


def test_the_import_reader_resolves_relative_imports(tmp_path):
    """So `from ..report import charts` in a model is caught as analysis.report."""
    fake = tmp_path / "analysis" / "models" / "bad.py"
    fake.parent.mkdir(parents=True)
    (fake.parent / "capex.py").write_text("")
    fake.write_text("from ..report import charts\nfrom . import capex\nfrom .. import helper\nimport yaml\n")
    assert _imports(fake, tmp_path / "analysis") == ["analysis.report", "analysis.models.capex", "analysis", "yaml"]
