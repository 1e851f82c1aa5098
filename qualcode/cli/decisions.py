"""Screening decisions on the command line: `import decisions`, `decisions`, `funnel`."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.agreement import rounded
from qualcode.cli.common import (
    QualcodeGroup,
    format_option,
    open_from,
    output_option,
    print_frame,
    project_option,
)
from qualcode.cli.imports import import_group


@import_group.command("decisions", short_help="Screening decisions (CSV/XLSX).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--add-coders", is_flag=True,
              help="Add coders the project does not have yet (default: an unknown coder is an "
                   "error).")
@project_option
def decisions_import(file, add_coders, project_path) -> None:
    """Import screening decisions: columns source, coder, phase, decision and optionally
    reason and criterion. A later decision of the same coder on the same document and phase
    replaces the earlier one."""
    from qualcode.ingest.decisions import import_decisions

    with open_from(project_path) as p:
        result = import_decisions(p, file, add_coders=add_coders)
    for line in result.lines():
        click.echo(line)


@click.group(cls=QualcodeGroup, invoke_without_command=True)
@click.option("--phase", metavar="NAME", help="Only this phase.")
@project_option
@format_option
@output_option
@click.pass_context
def decisions(ctx, phase, project_path, fmt, output) -> None:
    """The screening decisions, one row per document, coder and phase."""
    ctx.obj = project_path
    if ctx.invoked_subcommand is not None:
        return
    with open_from(project_path) as p:
        frame = p.decisions(phase=phase).drop(columns="source_id")
    print_frame(frame, fmt, output)


@decisions.command("option")
@click.argument("name")
@click.option("--en", metavar="LABEL", help="English label.")
@click.option("--leaves", is_flag=True,
              help="Documents with this decision leave the screening (like exclude).")
@click.pass_obj
def add_option(project_path, name, en, leaves) -> None:
    """Add a decision coders may make (the project starts with include and exclude)."""
    with open_from(project_path) as p:
        p.add_decision_option(name, en=en, continues=not leaves)
        names = ", ".join(o.name for o in p.decision_options())
    click.echo(f"decisions: {names}")


@decisions.command("criterion")
@click.argument("name")
@click.option("--en", metavar="LABEL", help="English label.")
@click.option("--dimension", metavar="NAME", help="e.g. overførbarhet (transferability).")
@click.pass_obj
def add_criterion(project_path, name, en, dimension) -> None:
    """Add a criterion documents can be judged on one by one."""
    with open_from(project_path) as p:
        p.add_criterion(name, en=en, dimension=dimension)
        click.echo(f"criteria: {', '.join(p.criteria())}")


@click.command()
@click.option("--agreed-by", metavar="CODER",
              help="The coder whose decisions are the agreed ones where given (e.g. "
                   "konsensus); elsewhere the coders' decision if they concur.")
@project_option
@format_option
@output_option
def funnel(agreed_by, project_path, fmt, output) -> None:
    """How many documents entered each phase, went on and left it (and why), per coder and
    agreed, with each phase's Cohen's kappa."""
    with open_from(project_path) as p:
        frame = p.funnel(agreed_by=agreed_by)
    print_frame(rounded(frame, fmt), fmt, output)


def register(cli: click.Group) -> None:
    cli.add_command(decisions)
    cli.add_command(funnel)
