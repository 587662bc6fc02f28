"""Rendering sources, claims and parameters as MyST Markdown for the book's reference pages.

Every claim gets a stable label, `claim-<id>` (lower case), so any page can link
to it with `{ref}` and the sources page shows the verbatim quote one click away.
"""

from __future__ import annotations

from ..inputs.data import Claim, Dataset, Parameter, Source
from .formatting import range_text

PARAMETER_TABLE_CLASS = "book-params"  # styled in _static/book.css
STATUS_TEXT = {
    "ok": "ok",
    "inconsistent": "⚠ inconsistent",
    "ambiguous": "? ambiguous",
    "unsourced": "unsourced",
}


def label(claim_id: str) -> str:
    """The anchor of a claim on the sources page, e.g. `claim-s0-02`."""
    return f"claim-{claim_id.lower()}"


def source_label(source_id: str) -> str:
    """The anchor of a source on the sources page."""
    return f"source-{source_id.lower()}"


def ref(claim_id: str, text: str | None = None) -> str:
    """A MyST cross-reference to a claim, for prose produced by code."""
    return f"{{ref}}`{text or claim_id} <{label(claim_id)}>`"


def _escape(text: str) -> str:
    """Keep Markdown from reading quoted text as markup."""
    for ch in ("\\", "*", "_", "`", "[", "]", "<", ">", "|", "$"):
        text = text.replace(ch, "\\" + ch)
    return text


def format_value(claim: Claim) -> str:
    if claim.value is None:
        return "no number"
    value = f"{claim.value:,.6g}"
    if claim.value_high is not None:
        value += f" to {claim.value_high:,.6g}"
    return f"{value} {claim.unit}"


def source_markdown(source: Source, claims: list[Claim]) -> str:
    where = f" · [{source.url}]({source.url})" if source.url else ""
    file_note = f" · file `{source.file}`" if source.file else ""
    lines = [
        f"({source_label(source.id)})=",
        f"### {_escape(source.title)}",
        "",
        f"**{source.id}** · {source.kind} · {_escape(source.publisher)} · {source.date} · "
        f"{source.language}{file_note}{where}",
        "",
    ]
    if source.note:
        lines += [_escape(source.note), ""]
    for claim in claims:
        lines += [
            f"({label(claim.id)})=",
            f"**{claim.id}** · {claim.theme} · as of {claim.as_of} · {format_value(claim)} · "
            f"**{STATUS_TEXT[claim.status]}**",
            "",
            f"> {_escape(claim.quote)}",
            "",
            f"*English:* {_escape(claim.english)}  ",
            f"*Note:* {_escape(claim.reason)}",
            "",
        ]
    return "\n".join(lines)


def sources_markdown(dataset: Dataset, kind: str) -> str:
    """Every source of one kind ('seed' or 'external') with its claims, in file order."""
    by_source: dict[str, list[Claim]] = {}
    for claim in dataset.claims.values():
        by_source.setdefault(claim.source, []).append(claim)
    return "\n".join(
        source_markdown(source, by_source.get(source.id, []))
        for source in dataset.sources.values()
        if source.kind == kind
    )


def parameter_label(name: str) -> str:
    """The anchor of a parameter's entry on the parameter reference page, e.g. `param-pue`."""
    return f"param-{name.replace('_', '-')}"


def basis_markdown(param: Parameter, dataset: Dataset, full: bool = True) -> str:
    """Claims and sources as links; the assumption in full, or (`full=False`) a link to it."""
    parts = [ref(c) for c in param.basis.claims]
    parts += [f"{{ref}}`{s} <{source_label(s)}>`" for s in param.basis.sources]
    if param.basis.assumption:
        parts.append(f"assumption: {_escape(param.basis.assumption)}" if full
                     else f"{{ref}}`assumption <{parameter_label(param.name)}>`")
    return "; ".join(parts)


def number_text(param: Parameter, value: float) -> str:
    """A parameter's value as the tables show it: `12,000`, `0.065`; a calendar year as `2030`."""
    return f"{value:.6g}" if param.unit == "year" else f"{value:,.6g}"


def parameter_range_text(param: Parameter) -> str:
    """`0.2 to 0.8, triangular`, or `fixed` for a parameter without a range (`formatting.range_text`)."""
    if param.low == param.high:
        return "fixed"
    return f"{range_text(param.low, param.high, number=lambda v: number_text(param, v))}, {param.distribution}"


def parameters_markdown(dataset: Dataset, names: list[str] | None = None) -> str:
    """A table of parameters: label and name, unit, default, range and distribution, basis.

    Kept narrow enough for a phone: the label links to the parameter's full entry on the
    reference page (description, and the reasoning behind an assumption).
    """
    rows = [
        ":::{table}",
        f":class: {PARAMETER_TABLE_CLASS}",
        "| input | unit | default | range | basis |",
        "|---|---|---:|---|---|",
    ]
    for name in names or list(dataset.parameters):
        p = dataset.parameters[name]
        rows.append(
            f"| {{ref}}`{p.display_label} <{parameter_label(p.name)}>` `{p.name}` | {_escape(p.unit)} | "
            f"{number_text(p, p.default)} | {parameter_range_text(p)} | {basis_markdown(p, dataset, full=False)} |"
        )
    return "\n".join([*rows, ":::"])


def parameter_details_markdown(dataset: Dataset) -> str:
    """One entry per parameter with its description, for the parameter reference page."""
    lines = []
    for p in dataset.parameters.values():
        lines += [
            f"({parameter_label(p.name)})=",
            f"**{_escape(p.display_label)}** · `{p.name}` ({_escape(p.unit)}): {_escape(p.description)}  ",
            f"Default {number_text(p, p.default)}, "
            f"{'fixed' if p.low == p.high else 'range ' + parameter_range_text(p)}. Basis: {basis_markdown(p, dataset)}",
            "",
        ]
    return "\n".join(lines)


def status_counts(dataset: Dataset) -> dict[str, int]:
    """How many claims have each status (every status listed, zero included)."""
    counts = dict.fromkeys(STATUS_TEXT, 0)
    for claim in dataset.claims.values():
        counts[claim.status] += 1
    return counts
