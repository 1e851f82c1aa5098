"""`qualcode export docx|xlsx|csv`: coded excerpts and tables out of the project."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import open_from, project_option
from qualcode.cli.filters import filter_options, filters
from qualcode.core.util import counted as _n
from qualcode.export.quotes import DEFAULT_ATTRIBUTION, fields_of

TABLES = ("codings", "codes", "cooccurrence", "matrix", "fidelity", "fidelity_tools",
          "fidelity_principles", "measures")


@click.group()
def export() -> None:
    """Write coded excerpts as a Word report, and tables as XLSX or CSV."""


def _output(required_suffix: str | None = None):
    return click.option("-o", "--output", required=True, metavar="PATH",
                        type=click.Path(path_type=Path),
                        help="The file to write" + (f" ({required_suffix})"
                                                    if required_suffix else "") + ".")


@export.command()
@_output(".docx")
@filter_options(with_descendants=False)
@click.option("--group-by", metavar="ATTRIBUTE",
              help="Group the excerpts by a source attribute such as office; each group opens "
                   "with its fidelity counts and measures.")
@click.option("--layout", type=click.Choice(["group-code", "code-group"]), default="group-code",
              show_default=True, help="With --group-by: groups then codes, or codes then groups.")
@click.option("--anonymous", is_flag=True,
              help="Never print the --group-by attribute beside a quote.")
@click.option("--attribution", default=DEFAULT_ATTRIBUTION, show_default=True,
              metavar="TEMPLATE", help="How quotes are attributed: source attributes in {}.")
@click.option("--no-numbers", is_flag=True, help="Leave out the fidelity counts and measures.")
@click.option("--no-definitions", is_flag=True, help="Leave out the codes' definitions.")
@click.option("--title", help="Title on the title page (default: the project's name).")
@click.option("--matrix", "matrix_by", multiple=True, metavar="ATTRIBUTE",
              help="Instead: a matrix of ATTRIBUTE values (or case) × codes; repeat for "
                   "combinations.")
@click.option("--cells", type=click.Choice(["codings", "sources", "excerpts"]),
              default="codings", show_default=True, help="With --matrix: what each cell shows.")
@click.option("--per-cell", type=click.IntRange(1, 5), default=2, show_default=True,
              help="With --matrix --cells excerpts: how many short excerpts per cell.")
@click.option("--roll-up", is_flag=True,
              help="With --matrix and --code: count sub-codes' codings as the given code.")
@project_option
def docx(output, codes, descendants, coders, where, group_by, layout, anonymous, attribution,
         no_numbers, no_definitions, title, matrix_by, cells, per_cell, roll_up,
         project_path) -> None:
    """Coded excerpts as a Word report: headings follow the code tree, each excerpt a quote
    «…» (role, time). Filters choose codes (with their sub-codes), coders and sources."""
    from qualcode.export.matrix_docx import matrix_docx
    from qualcode.export.report_docx import excerpts_docx

    chosen = filters(codes, coders, where)
    with open_from(project_path) as p:
        if matrix_by:
            matrix_docx(p, output, list(matrix_by), codes=chosen["codes"], roll_up=roll_up,
                        cells=cells, per_cell=per_cell, coders=chosen["coders"],
                        attributes=chosen["attributes"], anonymous=anonymous, title=title)
            click.echo(f"wrote {output}: {' × '.join(matrix_by)} × codes")
            return
        done = excerpts_docx(p, output, codes=chosen["codes"],
                             descendants=descendants,
                             coders=chosen["coders"], attributes=chosen["attributes"],
                             attribution=attribution, group_by=group_by, layout=layout,
                             anonymous=anonymous, numbers=not no_numbers,
                             definitions=not no_definitions, title=title)
    fields = ", ".join(fields_of(attribution))
    if done.unknown_fields and done.by_source_name + done.unattributed < done.excerpts:
        click.echo(f"warning: no quoted source has the attribution field"
                   f"{'s' if len(done.unknown_fields) > 1 else ''} "
                   f"{', '.join(done.unknown_fields)} (--attribution {attribution!r})", err=True)
    if done.by_source_name:
        click.echo(f"warning: {_n(done.by_source_name, 'quote')} attributed by source name: "
                   f"their sources have none of {fields}", err=True)
    if done.unattributed:
        click.echo(f"warning: {_n(done.unattributed, 'quote')} without attribution: their "
                   f"sources have none of {fields} (--anonymous leaves out source names)",
                   err=True)
    groups = f" in {_n(done.groups, 'group')}" if group_by else ""
    click.echo(f"wrote {output}: {_n(done.excerpts, 'excerpt')} under {_n(done.codes, 'code')}"
               f"{groups}")


def _table_options(f):
    f = click.option("--table", "tables", multiple=True, type=click.Choice(TABLES),
                     help="Only this table; repeat for more (default: every table the "
                          "project has).")(f)
    f = click.option("--by", default="case", show_default=True, metavar="ATTRIBUTE",
                     help="Rows of the matrix table.")(f)
    return click.option("--fidelity-by", default="month", show_default=True, metavar="FIELD",
                        help="Grouping of the fidelity tables.")(f)


@export.command()
@_output(".xlsx")
@_table_options
@filter_options(with_descendants=False)
@project_option
def xlsx(output, tables, by, fidelity_by, codes, descendants, coders, where,
         project_path) -> None:
    """Every table (or those chosen) as the sheets of one workbook; the coded excerpts sheet
    has one row per coding with all its source's attributes."""
    from qualcode.export.tables import write_xlsx

    with open_from(project_path) as p:
        write_xlsx(p, output, list(tables) or None, by=by, fidelity_by=fidelity_by,
                   descendants=descendants, **filters(codes, coders, where))
    click.echo(f"wrote {output}")


@export.command()
@click.option("-o", "--output", required=True, metavar="PATH", type=click.Path(path_type=Path),
              help="A folder (one CSV per table) or, with one --table, a .csv file.")
@_table_options
@filter_options(with_descendants=False)
@project_option
def csv(output, tables, by, fidelity_by, codes, descendants, coders, where,
        project_path) -> None:
    """Tables as CSV files (UTF-8 with BOM, which Excel reads correctly)."""
    from qualcode.export.tables import write_csv

    with open_from(project_path) as p:
        written = write_csv(p, output, list(tables) or None, by=by, fidelity_by=fidelity_by,
                            descendants=descendants, **filters(codes, coders, where))
    for path in written:
        click.echo(f"wrote {path}")


def register(cli: click.Group) -> None:
    cli.add_command(export)
