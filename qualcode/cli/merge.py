"""`qualcode merge OTHER.qualcode`: bring in a colleague's copy of the project."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import open_from, project_option


@click.command()
@click.argument("other", type=click.Path(dir_okay=False, path_type=Path))
@project_option
def merge(other: Path, project_path: str | None) -> None:
    """Bring in OTHER's coders, codes, cases, attributes, memos and codings (one undo step).

    Sources are matched by GUID, then by text; codings on a source whose text differs (or that
    is not here) are set aside and listed, never attached to other characters. Merging the
    same copy again adds nothing.
    """
    with open_from(project_path) as p:
        report = p.merge(other)
    for line in report.lines():
        click.echo(line, err=line.startswith("warning:"))


def register(cli: click.Group) -> None:
    cli.add_command(merge)
