"""The command line: a thin layer over one library function per command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import AnalysisError, BuildError, DataError, ParameterError


def _fail(exc: AnalysisError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2 if isinstance(exc, (ParameterError, DataError)) else 1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Build and explore the book on the economics of ByteDance's AI bet."""


@main.command()
@click.option("-p", "--param", "assignments", multiple=True, metavar="NAME=VALUE",
              help="Override one parameter (repeatable). Any override builds a separate book "
                   "under _build/scenarios/ and leaves chapters/ untouched.")
@click.option("--scenario", "scenario_file", type=click.Path(path_type=Path), metavar="FILE",
              help="A scenario file (YAML: name, description, parameter values); builds "
                   "_build/scenarios/<name>/html. -p applies on top of it.")
@click.option("--chapter", metavar="NAME", help="Execute only this notebook (e.g. sources); "
              "the others are taken as they stand.")
@click.option("--name", metavar="NAME", help="Name of the scenario book built with overrides "
              "(default: custom).")
@click.option("-j", "--jobs", default=2, show_default=True, type=click.IntRange(1, 16),
              help="Notebooks executed at once, each worker keeping one kernel warm.")
@click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Build the book in this folder instead of this repository (e.g. a fork's copy).")
def build(assignments: tuple[str, ...], scenario_file: Path | None, chapter: str | None,
          name: str | None, jobs: int, root: Path | None) -> None:
    """Validate parameters, execute the notebooks (cached), build the HTML and publish it."""
    from . import build as build_mod
    from . import scenarios
    from .params import parse_assignments

    try:
        scenario = scenarios.load(scenario_file) if scenario_file else None
        summary = build_mod.build(root=root, overrides=parse_assignments(assignments), chapter=chapter,
                                  name=name, workers=jobs, report=lambda line: click.echo(line),
                                  scenario=scenario)
    except (ParameterError, DataError, BuildError) as exc:
        _fail(exc)
    click.echo(f"{'done':>9}  {len(summary.executed)} executed, {len(summary.cached)} cached, "
               f"{summary.seconds:.1f} s; open {summary.published / 'index.html'}")


@main.command()
@click.option("--chapter", metavar="NAME", help="Only the parameters this chapter's notebook declares.")
def params(chapter: str | None) -> None:
    """List every parameter: name, unit, default, range, distribution and basis."""
    from .build import chapter_parameters
    from .params import registry

    try:
        reg = registry()
        names = chapter_parameters(chapter) if chapter else list(reg)
    except (DataError, ParameterError) as exc:
        _fail(exc)
    click.echo(f"{'name':<34} {'default':>12} {'unit':<16} {'[low, high]'} {'distribution':<10} basis")
    for name in names:
        p = reg[name]
        basis = ", ".join([*p.basis.claims, *p.basis.sources] or ["assumption"])
        click.echo(f"{name:<34} {p.default:>12g} {p.unit:<16} [{p.low:g}, {p.high:g}] "
                   f"{p.distribution:<10} {basis}")


@main.command()
@click.option("--repeat", default=1, show_default=True, type=click.IntRange(1, 10),
              help="Measure each row this many times and keep the fastest.")
def bench(repeat: int) -> None:
    """Time this build against plain jupyter-book on the book as it stands; print a table."""
    from . import bench as bench_mod

    bench_mod.run(repeat=repeat, report=lambda line: click.echo(line))
