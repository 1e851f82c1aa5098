"""`qualcode open`: the terminal UI on a project file."""

from __future__ import annotations

import click

from qualcode.cli.common import find_project_path, open_from, project_option
from qualcode.core import Project


@click.command("open")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("-p", "--project", "project_path", metavar="PATH",
              help="Project file (instead of PATH; default: $QUALCODE_PROJECT or the only "
                   "*.qualcode file here).")
@click.option("--coder", metavar="NAME",
              help="Code as NAME (default: $QUALCODE_CODER, else the name remembered for this "
                   "project, else you are asked).")
@click.option("--source", metavar="NAME", help="Open this source's reader at once.")
@click.option("--blind/--no-blind", default=None,
              help="Switch blind coding on (every coder sees only their own codings, in the "
                   "reader, retrieval, exports and the terminal UI's counts, until it is "
                   "switched off) or off.")
def open_project(path: str | None, project_path: str | None, coder: str | None,
                 source: str | None, blind: bool | None) -> None:
    """Open the project in the terminal UI (keys: ? for help, ctrl+p for all actions).

    The first time you open a project you are asked for your coder name; it is remembered for
    that project (per user, in ~/.config/qualcode) and saved with every coding you make.
    """
    from qualcode.tui.app import make_app  # Textual loads only for this verb

    if blind is not None:
        with Project.open(find_project_path(path or project_path)) as p:
            p.set_blind(blind)
    app = make_app(find_project_path(path or project_path), coder=coder, source=source)
    app.run()


@click.command("blind")
@click.argument("state", required=False, type=click.Choice(["on", "off"]))
@project_option
def blind_mode(state: str | None, project_path: str | None) -> None:
    """Blind coding: while on, every coder sees only their own codings in the reader,
    retrieval, exports and the terminal UI's counts (the command line's counts, such as
    `qualcode codes` and `query matrix`, stay every coder's). Without ON/OFF, says whether it
    is on."""
    with open_from(project_path) as p:
        if state is not None:
            p.set_blind(state == "on")
        click.echo(f"blind mode is {'on' if p.blind else 'off'}")


def register(cli: click.Group) -> None:
    cli.add_command(open_project)
    cli.add_command(blind_mode)
