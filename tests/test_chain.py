"""Tests of analysis/models/chain.py: the one chain that evaluates fleet, traffic, emissions, flywheel, audit.

What is pinned: each evaluation computes the fleet once (so the fleet that prices tokens is the
fleet that emits, STYLE.md "Inputs: typed, and the chain built once"), a stage runs only with the
stages it needs, the stages' inputs are registry parameters, and the chain's results equal the
stages computed one by one and the headline numbers of `analysis.report.headlines`.
Equality is exact: the same code on the same values gives the same floats.
"""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError

import numpy as np
import pytest
from conftest import theme_chapters

from analysis.errors import ModelInputError
from analysis.inputs import paths
from analysis.inputs import registry as params
from analysis.models import audit, capex, chain, emissions, flywheel, tokens, uncertainty
from analysis.models.validation import Outputs, StageInputs
from analysis.report import headlines

STAGE_NAMES = ("fleet", "traffic", "emissions", "flywheel", "audit")
# Parameters a chapter reads directly and no stage of the chain does (the capex chapter's
# count of Datong's network racks, claim S0-28, shown beside the server racks).
CHAPTER_ONLY = frozenset({"datong_network_racks"})
MC_DRAWS = 1_000


def assert_same_outputs(got: Outputs, expected: Outputs) -> None:
    """Two outputs of one stage hold the same names and exactly the same values (floats or arrays)."""
    assert type(got) is type(expected)
    assert list(got) == list(expected)
    for name in expected:
        np.testing.assert_array_equal(np.asarray(got[name]), np.asarray(expected[name]), err_msg=name)


@pytest.fixture
def fleet_calls(monkeypatch):
    """Count the calls of the fleet stage: `capex.fleet` and the chain's reference to it in STAGES."""
    calls = []
    original = capex.fleet

    def counting_fleet(inputs):
        calls.append(inputs)
        return original(inputs)

    monkeypatch.setattr(capex, "fleet", counting_fleet)
    inputs_type, upstream, _ = chain.STAGES["fleet"]
    monkeypatch.setitem(chain.STAGES, "fleet", (inputs_type, upstream, counting_fleet))
    return calls


# --------------------------------------------------------------------------- the fleet, once

def test_the_fleet_is_computed_once_per_evaluation(fleet_calls, defaults):
    results = chain.evaluate(defaults)
    assert len(fleet_calls) == 1
    assert all(results[stage] is not None for stage in STAGE_NAMES)


def test_the_fleet_is_computed_once_for_monte_carlo_draws(fleet_calls, registry, defaults):
    draws = uncertainty.sample(defaults, registry, n=MC_DRAWS)
    assert any(np.shape(v) == (MC_DRAWS,) for v in draws.values())
    results = chain.evaluate(draws)
    assert len(fleet_calls) == 1
    assert np.shape(results.fleet.accelerators) == (MC_DRAWS,)
    assert np.shape(results.traffic.cost_per_m_tokens_usd) == (MC_DRAWS,)
    assert np.shape(results.emissions.annual_emissions_t) == (MC_DRAWS,)


def test_each_downstream_stage_sees_the_one_fleet(monkeypatch, defaults):
    # Record what the traffic, emissions and audit stages are given: the very fleet of the results.
    seen: dict[str, object] = {}
    for stage in ("traffic", "emissions", "audit"):
        inputs_type, upstream, compute = chain.STAGES[stage]

        def recording(inputs, *results, _stage=stage, _compute=compute, _upstream=upstream):
            seen[_stage] = dict(zip(_upstream, results))
            return _compute(inputs, *results)

        monkeypatch.setitem(chain.STAGES, stage, (inputs_type, upstream, recording))
    results = chain.evaluate(defaults)
    for stage in ("traffic", "emissions", "audit"):
        assert seen[stage]["fleet"] is results.fleet, stage
    assert seen["emissions"]["traffic"] is results.traffic
    assert seen["audit"]["traffic"] is results.traffic
    assert seen["audit"]["emissions"] is results.emissions
    assert seen["audit"]["flywheel"] is results.flywheel


# --------------------------------------------------------------------------- evaluating part of the chain

@pytest.mark.parametrize("other", [s for s in STAGE_NAMES if s != "fleet"])
def test_evaluating_the_fleet_computes_only_the_fleet(defaults, other):
    results = chain.evaluate(defaults, "fleet")
    assert isinstance(results.fleet, capex.Fleet)
    assert results["fleet"] is results.fleet
    assert getattr(results, other) is None
    with pytest.raises(KeyError, match=rf"stage '{other}' was not evaluated"):
        results[other]


def test_an_unknown_stage_is_refused_with_the_list(defaults):
    with pytest.raises(KeyError, match=r"unknown stage 'fleat'; the stages are fleet, traffic, emissions"):
        chain.evaluate(defaults, "fleat")
    with pytest.raises(KeyError, match=r"unknown stage 'fleat'"):
        chain.evaluate(defaults, "fleet")["fleat"]
    with pytest.raises(KeyError, match=r"unknown stage 'fleat'"):
        chain.needed(["fleat"])
    with pytest.raises(KeyError, match=r"unknown stage 'fleat'"):
        chain.model("fleat")


def test_the_stages_in_chain_order():
    assert tuple(chain.STAGES) == STAGE_NAMES


@pytest.mark.parametrize("stages, expected", [
    (["audit"], list(STAGE_NAMES)),
    (["emissions"], ["fleet", "traffic", "emissions"]),
    (["flywheel"], ["fleet", "traffic", "flywheel"]),
    (["traffic"], ["fleet", "traffic"]),
    (["fleet"], ["fleet"]),
    (["flywheel", "fleet"], ["fleet", "traffic", "flywheel"]),
    (["emissions", "flywheel"], ["fleet", "traffic", "emissions", "flywheel"]),
    ([], []),
])
def test_needed_adds_the_upstream_stages_in_chain_order(stages, expected):
    assert chain.needed(stages) == expected


def test_a_parameter_of_a_stage_not_needed_may_be_missing(defaults):
    p = {k: v for k, v in defaults.items() if k not in flywheel.FlywheelInputs.names()
         or k in chain.parameters(["emissions"])}
    results = chain.evaluate(p, "emissions")
    assert results.flywheel is None and results.audit is None
    assert_same_outputs(results.emissions, chain.evaluate(defaults, "emissions").emissions)


# --------------------------------------------------------------------------- parameters

def _standalone_chapters_parameters() -> set[str]:
    """The parameters of chapters whose model is not a stage of the chain (metadata `"stages": []`, as
    `new-chapter` writes them): their own notebook reads them, no stage does."""
    from analysis.book import plan

    found = set()
    for chapter in theme_chapters():
        nb = json.loads((paths.REPO_ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
        if nb["metadata"].get("analysis", {}).get("stages") == []:
            found |= set(plan.notebook_parameters(nb))
    return found


def test_parameters_cover_the_registry_but_the_chapter_only_ones(registry):
    expected = set(registry) - CHAPTER_ONLY - _standalone_chapters_parameters()
    assert CHAPTER_ONLY <= set(registry)
    assert set(chain.parameters()) == expected
    assert len(chain.parameters()) == len(set(chain.parameters()))  # each name once
    assert chain.parameters() == chain.parameters(STAGE_NAMES) == chain.parameters(["audit"])


def test_the_chapter_only_parameters_are_declared_by_a_chapter():
    declared = set()
    for path in sorted((paths.REPO_ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code" and "parameters" in cell["metadata"].get("tags", []):
                declared |= {line.split("=")[0].strip() for line in "".join(cell["source"]).splitlines()
                             if "=" in line and not line.lstrip().startswith("#")}
    assert CHAPTER_ONLY <= declared


def test_the_fleet_parameters_are_the_fleet_inputs():
    assert chain.parameters(["fleet"]) == capex.FleetInputs.names()


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_parameters_of_a_stage_are_its_inputs_and_its_upstream_ones(stage):
    expected = dict.fromkeys(n for s in chain.needed([stage]) for n in chain.STAGES[s][0].names())
    assert chain.parameters([stage]) == tuple(expected)


@pytest.mark.parametrize("stage, inputs_type", [
    ("fleet", capex.FleetInputs),
    ("traffic", tokens.TokenInputs),
    ("emissions", emissions.EmissionsInputs),
    ("flywheel", flywheel.FlywheelInputs),
    ("audit", audit.CheckInputs),
])
def test_each_stage_reads_registry_parameters(registry, defaults, stage, inputs_type):
    assert chain.STAGES[stage][0] is inputs_type
    assert issubclass(inputs_type, StageInputs)
    names = inputs_type.names()
    assert names and set(names) <= set(registry), set(names) - set(registry)
    built = inputs_type.from_params(defaults)
    assert {n: getattr(built, n) for n in names} == {n: defaults[n] for n in names}
    with pytest.raises(FrozenInstanceError):
        setattr(built, names[0], defaults[names[0]])


# --------------------------------------------------------------------------- missing parameters

def _first_reader(stage: str, name: str) -> str:
    """The inputs class that first reads `name` when `stage` is evaluated."""
    return next(chain.STAGES[s][0].__name__ for s in chain.needed([stage]) if name in chain.STAGES[s][0].names())


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_a_missing_parameter_is_named(defaults, stage):
    name = chain.STAGES[stage][0].names()[0]
    p = {k: v for k, v in defaults.items() if k != name}
    with pytest.raises(ModelInputError,
                       match=rf"{_first_reader(stage, name)} needs parameter\(s\) {name}, missing from the values"):
        chain.evaluate(p, stage)


@pytest.mark.parametrize("stage", [s for s in STAGE_NAMES if s != "audit"])
def test_a_missing_parameter_of_the_stage_alone_is_named_by_its_inputs(defaults, stage):
    # A parameter read by the stage and none of its upstream ones: the stage's own inputs name it.
    upstream = chain.parameters(chain.STAGES[stage][1])
    name = next(n for n in chain.STAGES[stage][0].names() if n not in upstream)
    inputs_type = chain.STAGES[stage][0]
    p = {k: v for k, v in defaults.items() if k != name}
    with pytest.raises(ModelInputError, match=rf"{inputs_type.__name__} needs parameter\(s\) {name}, missing"):
        chain.evaluate(p, stage)


def test_every_missing_parameter_is_listed(defaults):
    first, second = capex.FleetInputs.names()[:2]
    p = {k: v for k, v in defaults.items() if k not in (first, second)}
    with pytest.raises(ModelInputError, match=rf"FleetInputs needs parameter\(s\) {first}, {second}, missing"):
        capex.FleetInputs.from_params(p)
    with pytest.raises(ValueError, match=rf"needs parameter\(s\) {first}, {second}"):  # still a ValueError
        chain.evaluate(p)


# --------------------------------------------------------------------------- the chain against its stages

def test_the_whole_chain_equals_the_stages_one_by_one(defaults):
    results = chain.evaluate(defaults)
    fleet = capex.fleet(capex.FleetInputs.from_params(defaults))
    traffic = tokens.economics(tokens.TokenInputs.from_params(defaults), fleet)
    footprint = emissions.footprint(emissions.EmissionsInputs.from_params(defaults), fleet, traffic)
    headline = flywheel.headline(flywheel.FlywheelInputs.from_params(defaults), traffic)
    checks = audit.quantities(audit.CheckInputs.from_params(defaults), fleet, traffic, footprint, headline)
    for stage, expected in zip(STAGE_NAMES, (fleet, traffic, footprint, headline, checks)):
        assert_same_outputs(results[stage], expected)


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_the_whole_chain_equals_each_stage_evaluated_alone(defaults, stage):
    assert_same_outputs(chain.evaluate(defaults)[stage], chain.evaluate(defaults, stage)[stage])


def test_traffic_emissions_and_audit_see_the_same_fleet_numbers(defaults):
    # The fleet alone, and the fleet upstream of each later stage: the same numbers.
    alone = chain.evaluate(defaults, "fleet").fleet
    for stage in ("traffic", "emissions", "audit"):
        assert_same_outputs(chain.evaluate(defaults, stage).fleet, alone)


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_model_gives_one_stage_outputs(defaults, stage):
    model = chain.model(stage)
    assert model.__name__ == f"{stage}_outputs"
    assert_same_outputs(model(defaults), chain.evaluate(defaults, stage)[stage])


def test_model_of_the_traffic_is_its_evaluation(defaults):
    assert_same_outputs(chain.model("traffic")(defaults), chain.evaluate(defaults, "traffic").traffic)


def test_model_runs_with_the_monte_carlo_helpers(registry, defaults):
    values = {n: defaults[n] for n in chain.parameters(["fleet"])}
    draws = uncertainty.simulate(chain.model("fleet"), values, registry, n=MC_DRAWS)
    assert len(draws) == MC_DRAWS and list(draws.columns) == list(capex.Fleet._names())


# --------------------------------------------------------------------------- the headlines

def test_headlines_are_the_chain_at_the_defaults():
    table = headlines.evaluate({})
    results = chain.evaluate(params.registry().defaults())
    assert len(table) == len(headlines.headlines())
    assert set(table["chapter"]) == set(headlines.MODELS)
    for row in table.to_dict("records"):
        stage = headlines.MODELS[row["chapter"]][0]
        assert row["value"] == float(results[stage][row["output"]]), (row["chapter"], row["output"])


def test_chapters_share_one_traffic_and_one_busy_hour_cost():
    """Query size, users and the cost of a busy GPU-hour have one definition each (issue: numbers that hold)."""
    p = params.registry().defaults()
    p = {**p, "doubao_mau_m": np.array([150.0, 300.0]), "tokens_per_query": np.array([800.0, 5000.0])}
    r = chain.evaluate(p, "emissions", "flywheel")
    traffic, footprint, fly = r.traffic, r.emissions, r.flywheel
    # The app's tokens are users x queries x tokens per query ...
    np.testing.assert_allclose(traffic.app_tokens_per_day,
                               p["doubao_mau_m"] * 1e6 * p["queries_per_user_per_day"] * p["tokens_per_query"])
    # ... the emissions chapter's query is that same query ...
    per_query_tokens = traffic.app_tokens_per_day / traffic.app_queries_per_day
    np.testing.assert_allclose(footprint.energy_per_query_wh,
                               footprint.energy_per_thousand_tokens_wh * per_query_tokens / 1000)
    # ... and the flywheel pays for exactly the tokens the token chapter serves.
    np.testing.assert_allclose(fly.app_serving_cost_rmb_bn, traffic.app_annual_serving_cost_rmb_bn, rtol=1e-12)
    # One busy GPU-hour: the capex headline prices the tokens.
    np.testing.assert_array_equal(traffic.cost_per_busy_gpu_hour_usd, r.fleet.cost_per_gpu_hour_usd)


def test_chapters_read_one_fleet_scope(registry):
    # Issue 15 item 4: the installed base and the 2026 cohort are one fleet, defined once by the fleet
    # stage; tokens serve on it, emissions count its energy, the cross-checks grow its capacity.
    p = {name: par.value for name, par in registry.items()}
    r = chain.evaluate(p)
    f = r.fleet
    assert f.whole_fleet_accelerators == pytest.approx(f.installed_accelerators + f.accelerators)
    assert f.whole_fleet_peak_bf16_flops == pytest.approx(f.installed_peak_bf16_flops + f.peak_bf16_flops)
    assert r.traffic.fleet_accelerators == f.whole_fleet_accelerators
    needed_flops = r.traffic.accelerators_needed * r.traffic.peak_flops_per_accelerator
    assert r.traffic.share_of_fleet_needed == pytest.approx(needed_flops / f.whole_fleet_peak_bf16_flops)
    assert r.emissions.whole_fleet_annual_energy_gwh == f.whole_fleet_annual_energy_gwh
    assert r.emissions.annual_energy_gwh == f.annual_energy_gwh  # the cohort, shown apart
    assert r.audit.compute_growth_2026 == f.compute_growth_2026
    # Twice the installed base: the whole fleet and its emissions grow, the cohort does not.
    more = chain.evaluate({**p, "accelerator_share_of_capex_2024_2025": 2 * p["accelerator_share_of_capex_2024_2025"]})
    assert more.fleet.accelerators == f.accelerators
    assert more.fleet.installed_accelerators == pytest.approx(2 * f.installed_accelerators)
    assert more.emissions.annual_emissions_t > r.emissions.annual_emissions_t
    assert more.emissions.cohort_annual_emissions_t == pytest.approx(r.emissions.cohort_annual_emissions_t)
