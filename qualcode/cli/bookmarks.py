"""`qualcode bookmarks`: the places coders bookmarked in the sources (set with b in the reader)."""

from __future__ import annotations

from dataclasses import asdict

import click

from qualcode.cli.common import (
    format_option,
    open_from,
    output_option,
    print_frame,
    project_option,
)
from qualcode.cli.filters import as_ref, id_option
from qualcode.lazy import lazy_module

pd = lazy_module("pandas")
COLUMNS = ["id", "source", "line", "offset", "label", "coder", "created_at", "words"]


@click.command()
@click.argument("source", required=False)
@click.option("--coder", "by_coder", metavar="NAME", help="Only this coder's bookmarks.")
@id_option
@project_option
@format_option
@output_option
def bookmarks(source, by_coder, by_id, project_path, fmt, output) -> None:
    """Every bookmark (of SOURCE, a name, if given): source, line, character offset, label,
    coder, when it was set and the words there."""
    with open_from(project_path) as p:
        marks = p.bookmarks(as_ref(source, by_id) if source else None, coder=by_coder)
    if not marks and fmt == "table" and output is None:
        click.echo("no bookmarks" + (f" in {source}" if source else "")
                   + (f" by {by_coder}" if by_coder else "")
                   + " (b in the reader sets one: qualcode open)")
        return
    frame = pd.DataFrame([asdict(m) for m in marks], columns=[*COLUMNS, "guid", "source_id"])
    frame = frame[COLUMNS].assign(words=[" ".join(w.split()) for w in frame["words"]])
    if fmt == "table":
        frame = frame.assign(created_at=frame["created_at"].str[:16])
    print_frame(frame, fmt, output)


def register(cli: click.Group) -> None:
    cli.add_command(bookmarks)
