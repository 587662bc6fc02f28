"""The parameter registry and the validation of overrides."""

import math

import pytest

from analysis.inputs import registry as params
from analysis.errors import ParameterError
from analysis.models import chain


@pytest.fixture(scope="module")
def reg():
    return params.registry()


@pytest.fixture(scope="module")
def name(reg):
    """An uncertain float parameter to exercise (the first one in the registry)."""
    return next(n for n, p in reg.items() if p.type == "float" and p.low < p.high)


def test_typed_access_gives_value_unit_and_basis(reg, name):
    p = reg[name]
    assert isinstance(p.value, float) and p.unit and p.basis


def test_unknown_name_suggests_the_closest(reg, name):
    typo = name[:-1] + ("x" if name[-1] != "x" else "y")
    with pytest.raises(ParameterError, match=rf"Unknown parameter '{typo}'.*did you mean '{name}'"):
        reg.validate({typo: "1"})


def test_unknown_name_without_close_match_points_to_the_list(reg):
    with pytest.raises(ParameterError, match=r"Unknown parameter 'zzzz' \(-p\); \(python -m analysis params lists all\)"):
        reg.validate({"zzzz": "1"})


@pytest.mark.parametrize("raw", ["abc", "1,5", "", "1e"])
def test_wrong_type_names_the_parameter_and_range(reg, name, raw):
    with pytest.raises(ParameterError, match=rf"{name} \(-p\) must be a number .* got '{raw}'; valid range"):
        reg.validate({name: raw})


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", math.nan])
def test_non_finite_values_are_refused(reg, name, raw):
    with pytest.raises(ParameterError, match="must be finite"):
        reg.validate({name: raw})


def test_out_of_range_names_the_valid_range(reg, name):
    p = reg[name]
    with pytest.raises(ParameterError, match=rf"{name} \(-p\) = .* is out of range; valid range {p.low:g} to {p.high:g}"):
        reg.validate({name: str(p.high * 2 + 1)})


def test_values_are_typed_by_the_registry_not_guessed(reg, name):
    p = reg[name]
    assert reg.validate({name: f"{p.default}"}) == {name: float(p.default)}
    assert isinstance(reg.validate({name: int(p.default)})[name], float)


def test_booleans_are_not_numbers(reg, name):
    with pytest.raises(ParameterError, match="must be a number"):
        reg.validate({name: True})


def test_int_parameter_refuses_fractions(reg):
    ints = [n for n, p in reg.items() if p.type == "int"]
    if not ints:
        pytest.skip("the registry has no int parameter")
    with pytest.raises(ParameterError, match="whole number"):
        reg.validate({ints[0]: "2.5"})


@pytest.mark.parametrize("item", ["pue", "=1", "pue=", "pue 1.2"])
def test_assignments_must_be_name_equals_value(item):
    with pytest.raises(ParameterError, match="write it as name=value"):
        params.parse_assignments([item])


def test_an_assignment_given_twice_is_refused():
    with pytest.raises(ParameterError, match="given twice"):
        params.parse_assignments(["a=1", "a=2"])


def test_namespace_check_keeps_parameters_and_refuses_strangers(reg, name):
    namespace = {name: reg[name].value, "In": [], "_": None, "get_ipython": print, "np": math}
    chapter = params.from_namespace(namespace)
    # Every parameter is there: the registry's defaults, with what the namespace set on top.
    assert dict(chapter) == {**reg.defaults(), name: reg[name].value}
    assert chapter.declared == (name,)
    with pytest.raises(ParameterError, match=r"Unknown parameter 'gpu_prise'.*parameters cell"):
        params.from_namespace({**namespace, "gpu_prise": 3.0})


def test_an_undeclared_known_parameter_reads_its_default(reg, name):
    other = next(n for n in reg if n != name)
    chapter = params.from_namespace({name: reg[name].value})
    assert chapter[other] == reg[other].value
    assert type(chapter[other]) is type(reg[other].value)
    assert other in chapter and other not in chapter.declared


def test_reading_an_unknown_name_suggests_the_closest(reg, name):
    chapter = params.from_namespace({name: reg[name].value})
    typo = name[:-1] + ("x" if name[-1] != "x" else "y")
    with pytest.raises(ParameterError, match=rf"Unknown parameter '{typo}'.*did you mean '{name}'"):
        chapter[typo]
    with pytest.raises(ParameterError, match=r"Unknown parameter 'zzzz'; \(python -m analysis params lists all\)"):
        chapter["zzzz"]


def test_another_chapters_parameter_is_validated_and_used(reg, name, defaults):
    # `pue` belongs to the fleet's chapter; a chapter (or papermill) may set it beside its own.
    pue = reg["pue"]
    chapter = params.from_namespace({name: reg[name].value, "pue": pue.high})
    assert chapter.declared == (name, "pue")
    assert chapter["pue"] == pue.high
    assert chapter.changed() == ({"pue": pue.high} if pue.high != pue.default else {})
    # ... and it is the value the model chain reads.
    assert chapter.for_stage("fleet")["pue"] == pue.high
    used = chain.evaluate(chapter, "fleet").fleet
    assert used.annual_energy_gwh == pytest.approx(
        chain.evaluate({**defaults, "pue": pue.high}, "fleet").fleet.annual_energy_gwh, rel=1e-12)
    assert used.annual_energy_gwh != chain.evaluate(defaults, "fleet").fleet.annual_energy_gwh
    with pytest.raises(ParameterError,
                       match=rf"pue \(parameters cell\) = .* is out of range; valid range {pue.low:g} to {pue.high:g}"):
        params.from_namespace({name: reg[name].value, "pue": pue.high * 2 + 1})
    with pytest.raises(ParameterError, match=r"pue \(parameters cell\) must be a number .* got 'high'; valid range"):
        params.from_namespace({"pue": "high"})


def test_for_stage_gives_the_stage_parameters_then_the_declared(reg, name):
    chapter = params.from_namespace({name: reg[name].value, "pue": reg["pue"].value})
    values = chapter.for_stage("traffic")
    assert list(values) == list(dict.fromkeys((*chain.parameters(["traffic"]), name, "pue")))
    assert values == {n: chapter[n] for n in values}


def test_changed_lists_only_values_off_default(reg, name):
    p = reg[name]
    chapter = params.from_namespace({name: p.high})
    assert chapter.changed() == ({name: p.high} if p.high != p.default else {})
