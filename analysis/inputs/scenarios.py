"""Scenario files: a name, a description and parameter values; anything not set keeps its default.

A scenario is a flat YAML mapping, so plain papermill can read it too
(`papermill chapters/X.ipynb out.ipynb -f data/scenarios/bear.yaml`):

```yaml
name: bear
description: Why a sceptic would set these values.
pue: 1.4
serving_utilization: 0.08
```

`name` and `description` are reserved; every other key must be a parameter of the
registry, checked with the same rules and messages as `-p`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ScenarioError
from . import data
from . import registry as params_mod

RESERVED = ("name", "description")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter values, validated against the registry."""

    name: str
    description: str
    values: dict = field(default_factory=dict)
    path: Path | None = None

def check_name(name: object, origin: str) -> str:
    """A scenario name must be usable as a folder name."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ScenarioError(
            f"{origin}: scenario name {name!r} is not a safe folder name; use lower-case letters, "
            "digits, '-' and '_' (at most 64 characters, starting with a letter or digit)"
        )
    return name


def load(path: Path | str) -> Scenario:
    """Read and validate one scenario file; any problem raises ScenarioError naming the file."""
    path = Path(path)
    origin = str(path)
    raw = data.load_yaml(path, ScenarioError, "scenario file", origin)
    if not isinstance(raw, dict):
        raise ScenarioError(f"{origin}: a scenario is a mapping with 'name', 'description' and "
                            f"parameter values, got {type(raw).__name__}")
    if "name" not in raw:
        raise ScenarioError(f"{origin}: missing 'name'; add e.g. `name: {path.stem}`")
    name = check_name(raw["name"], origin)
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise ScenarioError(f"{origin}: 'description' must be text")
    overrides = {k: v for k, v in raw.items() if k not in RESERVED}
    try:
        values = params_mod.registry().validate(overrides, origin=origin)
    except params_mod.ParameterError as exc:
        raise ScenarioError(str(exc)) from None
    return Scenario(name=name, description=description.strip(), values=values, path=path)
