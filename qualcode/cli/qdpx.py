"""`qualcode import qdpx FILE` and `qualcode export qdpx -o FILE`: whole projects to and from
NVivo, ATLAS.ti, MAXQDA and QualCoder through REFI-QDA (.qdpx)."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import open_from, project_option
from qualcode.cli.export import export
from qualcode.cli.imports import import_group
from qualcode.core import Project
from qualcode.errors import InvalidOperation


@import_group.command("qdpx", short_help="A REFI-QDA project (.qdpx) from another tool.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--new", "new_path", metavar="PATH", type=click.Path(path_type=Path),
              help="Create a new project file at PATH for it instead of importing into the "
                   "current project.")
@click.option("--max-member-mb", type=click.IntRange(1), default=1024, show_default=True,
              help="Refuse the file if any member of the archive unpacks to more than this.")
@project_option
def import_qdpx(file, new_path, max_member_mb, project_path) -> None:
    """Import a REFI-QDA project: codebook, sets, users as coders, cases and variables, text
    sources, selections and codings, notes as memos. One change: `qualcode undo` takes it all
    back. Picture, audio, video and PDF sources, graphs and links are counted and skipped."""
    options = {"max_member_bytes": max_member_mb << 20}
    if new_path is None:
        with open_from(project_path) as p:
            report = p.import_qdpx(file, **options)
    else:
        report = _into_new(file, new_path, options)
    for line in report.lines():
        click.echo(line)


def _into_new(file: Path, new_path: Path, options: dict):
    """A new project for the file; it is removed again if the import fails."""
    if new_path.exists():
        raise InvalidOperation(f"{new_path} already exists; import into it with -p {new_path}")
    project = Project.create(new_path, file.stem)
    try:
        with project:
            report = project.import_qdpx(file, **options)
        click.echo(f"created {new_path}")
        return report
    except BaseException:
        for extra in ("", "-wal", "-shm"):
            Path(f"{new_path}{extra}").unlink(missing_ok=True)
        raise


@export.command("qdpx", short_help="The whole project as REFI-QDA (.qdpx).")
@click.option("-o", "--output", required=True, metavar="PATH", type=click.Path(path_type=Path),
              help="The file to write (.qdpx).")
@project_option
def export_qdpx(output, project_path) -> None:
    """Write the whole project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA or
    QualCoder: sources, codebook, groups, cases and attributes, every coder's codings, memos."""
    with open_from(project_path) as p:
        result = p.export_qdpx(output)
    click.echo(result.summary())


def register(cli: click.Group) -> None:
    """The commands attach to the import and export groups when this module is imported."""
