"""The one chain that evaluates the whole business once: fleet, traffic, emissions, flywheel, checks.

    fleet     = capex.fleet(FleetInputs)                                  what the budget buys and costs
    traffic   = tokens.economics(TokenInputs, fleet)                       tokens served on that fleet
    emissions = emissions.footprint(EmissionsInputs, fleet, traffic)       what the fleet's energy emits
    flywheel  = flywheel.headline(FlywheelInputs, traffic)                 can the app pay for itself
    audit     = audit.quantities(CheckInputs, fleet, traffic, emissions, flywheel)

Every chapter, the cross-checks, `compare` and `sweep` read the result of `evaluate`, so the
fleet that prices tokens is the fleet that emits. Values are floats or equal-length arrays of
Monte Carlo draws; `evaluate(p, "emissions")` computes only that stage and those it needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from . import audit, capex, emissions, flywheel, tokens
from .validation import Outputs, StageInputs

# stage -> (its inputs type, the stages whose results it takes, the function that computes it)
STAGES: dict[str, tuple[type[StageInputs], tuple[str, ...], Callable[..., Outputs]]] = {
    "fleet": (capex.FleetInputs, (), capex.fleet),
    "traffic": (tokens.TokenInputs, ("fleet",), tokens.economics),
    "emissions": (emissions.EmissionsInputs, ("fleet", "traffic"), emissions.footprint),
    "flywheel": (flywheel.FlywheelInputs, ("traffic",), flywheel.headline),
    "audit": (audit.CheckInputs, ("fleet", "traffic", "emissions", "flywheel"), audit.quantities),
}


@dataclass(frozen=True)
class Results:
    """Each stage's outputs for one evaluation; a stage that was not asked for is None.

    Attributes
    ----------
    fleet : capex.Fleet or None
    traffic : tokens.TokenEconomics or None
    emissions : emissions.Footprint or None
    flywheel : flywheel.FlywheelHeadline or None
    audit : audit.Quantities or None

    `results["stage"]` is the same as the attribute, but raises KeyError for a stage
    that was not evaluated or does not exist.
    """

    fleet: capex.Fleet | None = None
    traffic: tokens.TokenEconomics | None = None
    emissions: emissions.Footprint | None = None
    flywheel: flywheel.FlywheelHeadline | None = None
    audit: audit.Quantities | None = None

    def __getitem__(self, stage: str) -> Outputs:
        result = getattr(self, _known(stage))
        if result is None:
            raise KeyError(f"stage '{stage}' was not evaluated; ask evaluate() for it")
        return result


def _known(stage: str) -> str:
    if stage not in STAGES:
        raise KeyError(f"unknown stage '{stage}'; the stages are {', '.join(STAGES)}")
    return stage


def needed(stages: Iterable[str]) -> list[str]:
    """The stages asked for and every stage they take results from, in chain order.

    Parameters
    ----------
    stages : iterable of str
        Names of `STAGES` ("fleet", "traffic", "emissions", "flywheel", "audit").

    Returns
    -------
    list of str
        The stages to compute, upstream first.

    Raises
    ------
    KeyError
        For an unknown stage.

    Examples
    --------
    >>> needed(["emissions"])
    ['fleet', 'traffic', 'emissions']
    >>> needed(["flywheel"])
    ['fleet', 'traffic', 'flywheel']
    """
    wanted: set[str] = set()
    todo = [_known(s) for s in stages]
    while todo:
        stage = todo.pop()
        if stage not in wanted:
            wanted.add(stage)
            todo.extend(STAGES[stage][1])
    return [s for s in STAGES if s in wanted]


def parameters(stages: Iterable[str] = tuple(STAGES)) -> tuple[str, ...]:
    """Every parameter the stages read, theirs and their upstream stages', in chain order.

    Parameters
    ----------
    stages : iterable of str, default every stage

    Returns
    -------
    tuple of str
        Parameter names as in data/parameters/, each once.

    Examples
    --------
    >>> parameters(["fleet"]) == capex.FleetInputs.names()
    True
    >>> parameters(["traffic"])[:2]
    ('ai_budget_2026_rmb_bn', 'ai_budget_2025_rmb_bn')
    """
    names = (name for stage in needed(stages) for name in STAGES[stage][0].names())
    return tuple(dict.fromkeys(names))


def evaluate(p: Mapping, *stages: str) -> Results:
    """Evaluate the chain once on parameter values `p` (all stages when none are named).

    Each stage's typed inputs are built from `p` (`StageInputs.from_params`) and each
    stage runs once, on the results of the stages before it:

        fleet     = capex.fleet(FleetInputs)
        traffic   = tokens.economics(TokenInputs, fleet)
        emissions = emissions.footprint(EmissionsInputs, fleet, traffic)
        flywheel  = flywheel.headline(FlywheelInputs, traffic)
        audit     = audit.quantities(CheckInputs, fleet, traffic, emissions, flywheel)

    Parameters
    ----------
    p : mapping of str -> float or array
        Parameter values by name (the registry's defaults, a chapter's `Params`, a
        Monte Carlo sample); units as in data/parameters/. Must hold every parameter
        the requested stages read (see `parameters`).
    *stages : str
        Stages to compute (with the stages they need, see `needed`); all when none.

    Returns
    -------
    Results
        One field per stage; stages not computed are None. Units as in each stage's
        outputs (`capex.fleet`, `tokens.economics`, `emissions.footprint`,
        `flywheel.headline`, `audit.quantities`).

    Raises
    ------
    ModelInputError
        If a parameter a stage reads is missing from `p`, or a value is out of its
        valid range.

    Examples
    --------
    At the registry's default parameter values:

    >>> from analysis.inputs import registry
    >>> p = registry.registry().defaults()
    >>> r = evaluate(p, "traffic")
    >>> r.emissions is None, f"{r.fleet.accelerators:.3g}", f"{r.traffic.cost_per_m_tokens_usd:.3g}"
    (True, '6.56e+05', '0.117')
    >>> r["emissions"]
    Traceback (most recent call last):
        ...
    KeyError: "stage 'emissions' was not evaluated; ask evaluate() for it"
    """
    done: dict[str, Outputs] = {}
    for stage in needed(stages or STAGES):
        inputs_type, upstream, compute = STAGES[stage]
        done[stage] = compute(inputs_type.from_params(p), *(done[u] for u in upstream))
    return Results(**done)


def model(stage: str) -> Callable[[Mapping], Outputs]:
    """A function of parameter values returning one stage's outputs: what Monte Carlo and tornado take.

    model(stage)(p) = evaluate(p, stage)[stage]

    Parameters
    ----------
    stage : str
        One of `STAGES`.

    Returns
    -------
    callable
        Named "<stage>_outputs"; takes a mapping of parameter values and returns the
        stage's outputs (a mapping of output name -> value, units in the names).

    Raises
    ------
    KeyError
        For an unknown stage.

    Examples
    --------
    >>> from analysis.inputs import registry
    >>> fleet_outputs = model("fleet")
    >>> fleet_outputs.__name__, round(float(fleet_outputs(registry.registry().defaults())["accelerators"]), -3)
    ('fleet_outputs', 656000.0)
    """
    _known(stage)

    def stage_outputs(p: Mapping) -> Outputs:
        return evaluate(p, stage)[stage]

    stage_outputs.__name__ = f"{stage}_outputs"
    return stage_outputs
