"""Screening decisions in the Word report: the funnel and each phase's agreement table."""

from __future__ import annotations

from qualcode.errors import InvalidOperation
from qualcode.export.docx_parts import Report, number

FUNNEL_WIDTHS = (24, 20, 15, 15, 12, 18, 14, 42)  # mm: the reasons get the room


def has_decisions(project) -> bool:
    return bool(project.phases())


def write_decisions(report: Report, project, *, level: int = 1) -> None:
    """A section "Screening decisions": the funnel (entered, went on, left and why, per coder
    and agreed, with each phase's kappa), then per phase the two coders' k×k table with
    observed and expected agreement and Cohen's kappa."""
    report.page_break()
    report.heading("Screening decisions", level)
    funnel = project.funnel()
    report.caption("Documents per phase: entered, went on, left (with the reasons given) and "
                   "left undecided; agreed = every coder's decision where they concur.")
    report.table(["phase", "who", "entered", "went on", "left", "undecided", "kappa",
                  "reasons"],
                 [[r.phase, r.who, r.entered, r.continued, r.left, r.undecided,
                   number(r.kappa, 2), r.reasons] for r in funnel.itertuples()],
                 widths=FUNNEL_WIDTHS, font_size=9)
    try:
        agreement = project.decision_agreement()
    except InvalidOperation:
        return  # no document judged by two coders: no table to show
    for row in agreement.itertuples():
        table = agreement.attrs["tables"][row.phase]
        report.heading(f"Agreement in {row.phase}", level + 1)
        report.paragraph(f"{row.documents} documents judged by two coders: observed agreement "
                         f"{number(row.observed, 2)}, expected {number(row.expected, 2)}, "
                         f"Cohen's kappa {number(row.kappa, 2)}.")
        corner = (f"{table.index.name} \\ {table.columns.name}"
                  if table.index.name != "first" else "first coder \\ second coder")
        report.table([corner, *table.columns],
                     [[value, *table.loc[value].tolist()] for value in table.index])
