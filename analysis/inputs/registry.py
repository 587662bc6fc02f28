"""The parameter registry: typed access to data/parameters/ and validation of overrides.

Types come from the registry, never from guessing at strings: `-p life_years=5`
is parsed as whatever type `life_years` is declared with.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from . import data
from ..errors import ParameterError

HINT = "python -m analysis params lists all"
# Names IPython puts into a notebook's namespace; never parameters.
_IPYTHON_NAMES = frozenset({"In", "Out", "exit", "quit", "get_ipython", "open"})
# Keys of a scenario file that are not parameters (papermill -f injects them too).
SCENARIO_KEYS = frozenset({"name", "description"})


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Registry(Mapping):
    """Every parameter of the book, by name. `registry["x"]` is its `data.Parameter`.

    `groups` are the parameters that move together (data/correlations.yaml), as
    `analysis.models.correlation.Group` records; `groups_for(names)` restricts them to a model's inputs.
    """

    def __init__(self, parameters: Mapping[str, data.Parameter], groups: Iterable = ()):
        self._parameters = dict(parameters)
        self.groups = tuple(groups)

    def __getitem__(self, name: str) -> data.Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise ParameterError(self.unknown_message(name)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)

    def unknown_message(self, name: str, origin: str = "") -> str:
        where = f" ({origin})" if origin else ""
        close = difflib.get_close_matches(name, list(self._parameters), n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
        return f"Unknown parameter '{name}'{where}; {hint}({HINT})"

    def groups_for(self, names: Iterable[str]) -> tuple:
        """The groups as they apply to a model reading `names`: each with its members among them.

        A group keeps the correlations among the members it keeps, and is dropped with fewer than
        two (`analysis.models.correlation.restrict`); pass the result as `groups=` to
        `uncertainty.simulate`, `uncertainty.sample` and `sensitivity.sobol_indices`.
        """
        if not self.groups:
            return ()
        from ..models.correlation import restrict  # SciPy loads only where groups are used

        return restrict(self.groups, names)

    def defaults(self) -> dict[str, float | int]:
        """Every parameter's default value, typed."""
        return {name: p.value for name, p in self._parameters.items()}

    def coerce(self, name: str, raw: object, origin: str = "-p") -> float | int:
        """Check one value against its parameter: known name, right type, finite, within range."""
        param = self[name] if name in self._parameters else None
        if param is None:
            raise ParameterError(self.unknown_message(name, origin))
        where = f"{name} ({origin})"
        if isinstance(raw, str):
            text = raw.strip()
            try:
                value: float | int = int(text) if param.type == "int" else float(text)
            except ValueError:
                kind = "a whole number" if param.type == "int" else "a number"
                raise ParameterError(
                    f"Parameter {where} must be {kind} in {param.unit}, got {raw!r}; "
                    f"valid range {param.low:g} to {param.high:g}"
                ) from None
        elif _is_number(raw):
            value = raw
            if param.type == "int":
                if not float(raw).is_integer():
                    raise ParameterError(f"Parameter {where} must be a whole number, got {raw!r}")
                value = int(raw)
        else:
            raise ParameterError(
                f"Parameter {where} must be {'a whole number' if param.type == 'int' else 'a number'} "
                f"in {param.unit}, got {type(raw).__name__} {raw!r}"
            )
        if param.type == "float":
            value = float(value)
        if not math.isfinite(value):
            raise ParameterError(f"Parameter {where} must be finite, got {raw!r}")
        if not param.low <= value <= param.high:
            raise ParameterError(
                f"Parameter {where} = {value:g} is out of range; valid range {param.low:g} to "
                f"{param.high:g} {param.unit}"
            )
        return value

    def validate(self, overrides: Mapping[str, object], origin: str = "-p") -> dict[str, float | int]:
        """Coerce every override; the first problem raises ParameterError."""
        return {name: self.coerce(name, raw, origin) for name, raw in overrides.items()}


def registry(directory: Path | None = None) -> Registry:
    """The registry of data/parameters/ (loaded once per process)."""
    dataset = data.load(directory)
    return Registry(dataset.parameters, (g.group for g in dataset.groups.values()))


def parse_assignments(items: Iterable[str], origin: str = "-p") -> dict[str, str]:
    """Split `name=value` strings, keeping values as text for `Registry.validate` to type."""
    parsed: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name or not value.strip():
            raise ParameterError(f"Cannot read {origin} {item!r}; write it as name=value, e.g. {origin} pue=1.3")
        if name in parsed:
            raise ParameterError(f"Parameter '{name}' is given twice ({origin}); give it once")
        parsed[name] = value
    return parsed


class Params(Mapping):
    """Every parameter's value for one chapter run: the registry's defaults, overridden where set.

    A chapter's parameters cell sets its own theme's inputs; papermill (`-p`, a scenario file,
    or the book's build) may set any other parameter beside them. Names the chapter set
    are `declared`; `for_stage` gives the values a chain stage reads, for Monte Carlo and tornado.
    """

    def __init__(self, values: Mapping[str, float | int], reg: Registry):
        self.registry = reg
        self.declared = tuple(values)
        self._values = {**reg.defaults(), **values}

    def __getitem__(self, name: str) -> float | int:
        if name in self._values:
            return self._values[name]
        raise ParameterError(self.registry.unknown_message(name))

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def info(self, name: str) -> data.Parameter:
        """Unit, range, distribution and basis of a parameter."""
        return self.registry[name]

    def changed(self) -> dict[str, float | int]:
        """The values that differ from the registry's defaults."""
        return {n: v for n, v in self._values.items() if v != self.registry[n].value}

    def for_stage(self, stage: str) -> dict[str, float | int]:
        """The values of every parameter `stage` of the model chain reads, then the chapter's own."""
        from ..models import chain  # numpy and the models load only where a chapter asks for them

        return {n: self._values[n] for n in dict.fromkeys((*chain.parameters([stage]), *self.declared))}

    def groups(self, stage: str) -> tuple:
        """The groups of inputs that move together among those `stage` reads (`for_stage`).

        `analysis.models.correlation.Group` records for `groups=` of `uncertainty.simulate`,
        `uncertainty.sample` and `sensitivity.sobol_indices`, e.g.
        `uncertainty.simulate(chain.model("fleet"), P.for_stage("fleet"), P.registry, groups=P.groups("fleet"))`.
        """
        return self.registry.groups_for(self.for_stage(stage))


def from_namespace(namespace: Mapping[str, object], directory: Path | None = None) -> Params:
    """Validate a notebook's parameters, as left by its parameters cell and papermill's injection.

    Call it right after the parameters cell with `globals()`: every plain literal
    defined there (numbers, strings, booleans) must be a known parameter within
    range, so `papermill chapter.ipynb out.ipynb -p name value` fails with the
    same message as the book's build. Parameters not set there keep their defaults.
    """
    reg = registry(directory)
    declared = {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_")
        and name not in _IPYTHON_NAMES
        and name not in SCENARIO_KEYS
        and isinstance(value, (int, float, str, bool))
    }
    return Params(reg.validate(declared, origin="parameters cell"), reg)
