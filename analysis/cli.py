"""The command line: a thin layer over one library function per command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import AnalysisError, BuildError, DataError, ParameterError, ScaffoldError


def _fail(exc: AnalysisError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2 if isinstance(exc, (ParameterError, DataError, ScaffoldError)) else 1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Build and explore the book on the economics of ByteDance's AI bet."""


def _book_options(command):
    """The options that say which book to build: shared by `build` and `pdf`."""
    options = [
        click.option("-p", "--param", "assignments", multiple=True, metavar="NAME=VALUE",
                     help="Override one parameter (repeatable). Any override builds a separate book "
                          "under _build/scenarios/ and leaves chapters/ untouched."),
        click.option("--scenario", "scenario_file", type=click.Path(path_type=Path), metavar="FILE",
                     help="A scenario file (YAML: name, description, parameter values); builds "
                          "_build/scenarios/<name>/html. -p applies on top of it."),
        click.option("--chapter", metavar="NAME", help="Execute only this notebook (e.g. sources); "
                     "the others are taken as they stand."),
        click.option("--name", metavar="NAME", help="Name of the scenario book built with overrides "
                     "(default: custom)."),
        click.option("-j", "--jobs", default=2, show_default=True, type=click.IntRange(1, 16),
                     help="Notebooks executed at once, each worker keeping one kernel warm."),
        click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="Build the book in this folder instead of this repository (e.g. a fork's copy)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _build(assignments: tuple[str, ...], scenario_file: Path | None, chapter: str | None,
           name: str | None, jobs: int, root: Path | None, pdf: bool) -> None:
    from .book import build as build_mod
    from .inputs import scenarios
    from .inputs.registry import parse_assignments

    try:
        scenario = scenarios.load(scenario_file) if scenario_file else None
        summary = build_mod.build(root=root, overrides=parse_assignments(assignments), chapter=chapter,
                                  name=name, workers=jobs, report=lambda line: click.echo(line),
                                  scenario=scenario, pdf=pdf)
    except (ParameterError, DataError, BuildError) as exc:
        _fail(exc)
    click.echo(f"{'done':>9}  {len(summary.executed)} executed, {len(summary.cached)} cached, "
               f"{summary.seconds:.1f} s; open {summary.published / 'index.html'}")
    if pdf:
        click.echo(f"{'pdf':>9}  {summary.published / 'pdf' / 'book.pdf'} and one PDF per page beside it")


@main.command()
@_book_options
@click.option("--pdf", is_flag=True, help="Print every page and the whole book to PDF too (as `pdf`).")
def build(pdf: bool, **book) -> None:
    """Validate parameters, execute the notebooks (cached), build the HTML and publish it."""
    _build(**book, pdf=pdf)


@main.command()
@_book_options
def pdf(**book) -> None:
    """Build the book (as `build`) and print each page and the whole book to PDF with Debian's
    Chromium, into the site's pdf/ folder; each page then links its PDF."""
    _build(**book, pdf=True)


@main.command()
@click.option("--chapter", metavar="NAME", help="Only the parameters this chapter's notebook declares.")
def params(chapter: str | None) -> None:
    """List every parameter: name, label, unit, default, range, distribution and basis."""
    from .book.plan import chapter_parameters
    from .inputs.registry import registry

    try:
        reg = registry()
        names = chapter_parameters(chapter) if chapter else list(reg)
    except (DataError, ParameterError) as exc:
        _fail(exc)
    click.echo(f"{'name':<34} {'label':<40} {'default':>12} {'unit':<16} {'[low, high]'} {'distribution':<10} basis")
    for name in names:
        p = reg[name]
        basis = ", ".join([*p.basis.claims, *p.basis.sources] or ["assumption"])
        click.echo(f"{name:<34} {p.label or '':<40} {p.default:>12g} {p.unit:<16} [{p.low:g}, {p.high:g}] "
                   f"{p.distribution:<10} {basis}")


@main.command()
@click.option("--repeat", default=1, show_default=True, type=click.IntRange(1, 10),
              help="Measure each row this many times and keep the fastest.")
def bench(repeat: int) -> None:
    """Time this build against plain jupyter-book on the book as it stands; print a table."""
    from .book import bench as bench_mod

    bench_mod.run(repeat=repeat, report=lambda line: click.echo(line))


def _scenario_values(files) -> dict:
    from .inputs import scenarios

    loaded = {}
    for path in files:
        scenario = scenarios.load(path)
        if scenario.name in loaded:
            raise ParameterError(f"Scenario name '{scenario.name}' is given twice ({path})")
        loaded[scenario.name] = scenario.values
    return loaded


@main.command()
@click.argument("scenario_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), default=Path("_build/compare.csv"),
              show_default=True, help="Where to write the table as CSV.")
def compare(scenario_files: tuple[Path, ...], csv_path: Path) -> None:
    """Each chapter's headline numbers: baseline against each scenario file, with differences."""
    from .report import headlines

    try:
        named_values = _scenario_values(scenario_files)
        table = headlines.compare(named_values)
    except (ParameterError, DataError) as exc:
        _fail(exc)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(csv_path, index=False)
    click.echo(headlines.comparison_display(table, list(named_values)).to_string(index=False))
    click.echo(f"\nwritten: {csv_path}")


@main.command()
@click.argument("spec", metavar="NAME=LOW:HIGH:STEPS")
@click.option("--scenario", "scenario_file", type=click.Path(path_type=Path), metavar="FILE",
              help="Hold the other parameters at this scenario's values instead of the defaults.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("_build/sweeps"),
              show_default=True, help="Folder for the CSV and the chart (HTML, works offline).")
def sweep(spec: str, scenario_file: Path | None, out_dir: Path) -> None:
    """Evaluate the headline results over a range of one parameter (in-process, no notebooks)."""
    from .book.provenance import vega_bundle
    from .inputs import registry as params
    from .inputs import scenarios
    from .report import charts, headlines

    try:
        base = scenarios.load(scenario_file).values if scenario_file else {}
        name, values = headlines.parse_sweep(spec)
        table = headlines.sweep(name, values, base)
    except (ParameterError, DataError) as exc:
        _fail(exc)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{name}-{values[0]:g}-{values[-1]:g}-{len(values)}"
    table.to_csv(out_dir / f"{stem}.csv", index=False)
    chart = headlines.sweep_chart(table, name, params.registry()[name].unit)
    page = charts.standalone_page(chart, vega_bundle().read_text(), f"Sweep of {name}")
    (out_dir / f"{stem}.html").write_text(page, encoding="utf-8")
    click.echo(f"{len(values)} values of {name}, {len(headlines.headlines())} headlines each")
    click.echo(f"written: {out_dir / (stem + '.csv')}\nwritten: {out_dir / (stem + '.html')}")


@main.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 to serve on (0: any free port).")
@click.option("--scenario", metavar="NAME", help="Serve the scenario book built under "
              "_build/scenarios/NAME/html instead of the published one (_build/html).")
def serve(port: int, scenario: str | None) -> None:
    """Preview the built book in a browser, on this machine only; Ctrl-C stops."""
    from .book import serve as serve_mod

    try:
        serve_mod.serve(port=port, scenario=scenario, report=lambda line: click.echo(line))
    except (ParameterError, BuildError) as exc:
        _fail(exc)


@main.command("new-chapter")
@click.argument("name")
@click.option("--title", required=True, help="The chapter's title, as its page and the table of contents show it.")
@click.option("--no-build", is_flag=True, help="Write the files only; run `python -m analysis build` yourself.")
def new_chapter(name: str, title: str, no_build: bool) -> None:
    """Write a new chapter NAME (notebook, parameters, model, its test, toc entry), then build the book."""
    from .book import build as build_mod
    from .book import scaffold

    try:
        written = scaffold.create(name, title)
        for rel in written:
            click.echo(f"{'written':>9}  {rel}")
        summary = None if no_build else build_mod.build(report=lambda line: click.echo(line))
    except (ScaffoldError, DataError, ParameterError, BuildError) as exc:
        _fail(exc)
    if summary:
        click.echo(f"{'done':>9}  {len(summary.executed)} executed, {summary.seconds:.1f} s; "
                   f"open {summary.published / 'chapters' / (name + '.html')}")
    click.echo(f"next: replace the example in data/parameters/{name}.yaml, analysis/models/{name}.py and "
               f"chapters/{name}.ipynb (README.md, 'Add a chapter'); "
               + ("then " if no_build else "after each change ") + "run python -m analysis build")
