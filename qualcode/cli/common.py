"""What every verb shares: finding the project, printing tables, one-line errors."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import click

from qualcode.core import Project
from qualcode.errors import QualcodeError
from qualcode.export import atomic
from qualcode.export.formulas import neutral_frame
from qualcode.lazy import lazy_module

pd = lazy_module("pandas")

FORMATS = ("table", "csv", "json")


class QualcodeGroup(click.Group):
    """A group whose commands report qualcode errors as one line and exit 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QualcodeError as exc:
            click.echo(f"qualcode: error: {exc}", err=True)
            ctx.exit(1)
        except sqlite3.OperationalError as exc:
            click.echo(f"qualcode: error: database: {exc}", err=True)
            ctx.exit(1)
        except sqlite3.DatabaseError as exc:  # a damaged page: "database disk image is malformed"
            click.echo(f"qualcode: error: the project file is damaged ({exc}); nothing was "
                       "written; `qualcode check` lists what is wrong", err=True)
            ctx.exit(1)

    def group(self, *args, **kwargs):
        kwargs.setdefault("cls", QualcodeGroup)
        return super().group(*args, **kwargs)


def find_project_path(given: str | None) -> Path:
    if given:
        return Path(given)
    env = os.environ.get("QUALCODE_PROJECT")
    if env:
        return Path(env)
    found = sorted(Path.cwd().glob("*.qualcode"))
    if len(found) == 1:
        return found[0]
    if not found:
        raise QualcodeError("no project: pass -p PATH, set QUALCODE_PROJECT, or run in a "
                            "folder with one *.qualcode file")
    raise QualcodeError(f"{len(found)} *.qualcode files here; choose one with -p PATH")


def project_option(f):
    return click.option("-p", "--project", "project_path", metavar="PATH",
                        help="Project file (default: $QUALCODE_PROJECT or the only *.qualcode "
                             "file here).")(f)


def coder_option(f):
    return click.option("--coder", metavar="NAME",
                        help="Coder name (default: $QUALCODE_CODER or your user name).")(f)


def format_option(f):
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format for tables.")(f)


def output_option(f):
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write to this file instead of standard output.")(f)


def open_from(project_path: str | None, coder: str | None = None) -> Project:
    project = Project.open(find_project_path(project_path), coder=coder)
    if project.blind:  # so that a table or report without the others' codings is no surprise
        click.echo(f"note: blind mode is on: {project.coder_name} sees only their own codings, "
                   "memos and bookmarks (counts here are every coder's; qualcode blind off)",
                   err=True)
    return project


def print_frame(frame: pd.DataFrame, fmt: str, output: Path | None = None,
                index: bool = False) -> None:
    """Print (or write) a DataFrame as a table, CSV or JSON records."""
    if index:
        frame = frame.reset_index()
    if fmt == "csv":
        text = neutral_frame(frame).to_csv(index=False)
    elif fmt == "json":
        text = json.dumps(json.loads(frame.to_json(orient="records", force_ascii=False,
                                                   date_format="iso")),
                          ensure_ascii=False, indent=2) + "\n"
    else:
        text = None
    if output is not None:
        if text is None:
            text = frame.to_string(index=False) + "\n"
        atomic.write_text(output, text)
        click.echo(f"wrote {output}", err=True)
        return
    if text is not None:
        sys.stdout.write(text)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold")
    for col in frame.columns:
        table.add_column(str(col), overflow="fold",
                         justify="right" if pd.api.types.is_numeric_dtype(frame[col]) else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*["" if pd.isna(v) else escape(str(v)) for v in row])  # "[x]" is text
    # In a terminal the table fits the window; piped or redirected, every column stays whole
    # (a header folded over four lines can be neither read nor grepped).
    screen = Console()
    Console(width=max(100, screen.width) if screen.is_terminal else 100_000).print(table)
