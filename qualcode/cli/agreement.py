"""`qualcode agreement`: how far coders agree, on codings or on screening decisions."""

from __future__ import annotations

import click

from qualcode.cli.common import format_option, open_from, output_option, print_frame, project_option
from qualcode.cli.filters import parse_where

UNITS = ("char", "turn", "sentence", "paragraph", "field")


def print_notes(frame) -> None:
    for note in frame.attrs.get("notes", []):
        click.echo(f"note: {note}", err=True)


def rounded(frame, fmt: str):
    if fmt != "table":
        return frame
    floats = frame.select_dtypes("float").columns
    return frame.assign(**{c: frame[c].round(3) for c in floats})


@click.command()
@click.option("--coders", metavar="A,B", help="The coders to compare, by name, comma-separated "
                                              "(default: every coder with codings).")
@click.option("--code", "codes", multiple=True, metavar="PATH",
              help="Only this code (path or id); repeat for more.")
@click.option("--descendants", is_flag=True, help="With --code: its sub-codes too, each as "
                                                   "itself.")
@click.option("--unit", type=click.Choice(UNITS), default="char", show_default=True,
              help="What one unit is: a character, a speaker turn, a sentence, a paragraph, or "
                   "a whole form comment (field).")
@click.option("--by", type=click.Choice(["code", "source"]), default="code", show_default=True,
              help="One row per code (pooled over sources), or per code and source.")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Only this source; repeat for more.")
@click.option("--where", "where", multiple=True, metavar="NAME=VALUE",
              help="Only sources whose attribute NAME is VALUE.")
@click.option("--decisions", "on_decisions", is_flag=True,
              help="Agreement on the screening decisions instead of the codings.")
@click.option("--phase", metavar="NAME", help="With --decisions: only this phase.")
@project_option
@format_option
@output_option
def agreement(coders, codes, descendants, unit, by, sources, where, on_decisions, phase,
              project_path, fmt, output) -> None:
    """Inter-coder agreement: percentage agreement and Cohen's kappa per code (and per source
    with --by source), Krippendorff's alpha over natural units.

    Coders are compared on the sources both have coded; a unit counts as coded if the coder
    coded any part of it.

    \b
    Examples:
      qualcode agreement --coders ane,ola
      qualcode agreement --coders ane,ola --unit sentence --code Dreyfus --descendants
      qualcode agreement --decisions --phase screening
    """
    if on_decisions:
        _decisions(coders, phase, project_path, fmt, output)
        return
    with open_from(project_path) as p:
        frame = p.agreement(coders=coders, codes=list(codes) or None,
                            descendants=descendants, unit=unit, by=by,
                            sources=list(sources) or None,
                            attributes=parse_where(where))
    print_notes(frame)
    if fmt == "table":
        frame = frame.drop(columns=[c for c in ("code_id", "source_id") if c in frame.columns])
        if unit == "char":
            frame = frame.drop(columns=["alpha"], errors="ignore")
    print_frame(rounded(frame, fmt), fmt, output)


def _decisions(coders, phase, project_path, fmt, output) -> None:
    with open_from(project_path) as p:
        frame = p.agreement(decisions=True, phase=phase, coders=coders)
    print_notes(frame)
    tables = frame.attrs.get("tables", {})
    if fmt != "table" or output is not None:
        print_frame(rounded(frame, fmt), fmt, output)
        return
    print_frame(rounded(frame, fmt), fmt)
    for name, table in tables.items():
        click.echo(f"\n{name}:")
        corner = f"{table.index.name} \\ {table.columns.name}"
        print_frame(table.rename_axis(index=corner, columns=None), fmt, index=True)


@click.command()
@click.option("--coders", metavar="A,B", required=True, help="The two coders to compare.")
@click.option("--code", "codes", multiple=True, metavar="PATH",
              help="Only this code (path or id); repeat for more.")
@click.option("--descendants", is_flag=True, help="With --code: its sub-codes too.")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Only this source; repeat for more.")
@click.option("--agreed", is_flag=True, help="List the places where they agree too.")
@project_option
@format_option
@output_option
def disagreements(coders, codes, descendants, sources, agreed, project_path, fmt,
                  output) -> None:
    """Where two coders differ, per code and source, side by side with the text each coded.

    Settle them in the terminal UI (key 4) under an agreed coder such as konsensus."""
    with open_from(project_path) as p:
        frame = p.disagreements(coders, codes=list(codes) or None,
                                descendants=descendants,
                                sources=list(sources) or None, agreed=agreed)
    if fmt == "table":
        names = ((frame["coder_a"].iloc[0], frame["coder_b"].iloc[0]) if len(frame)
                 else ("coder_a", "coder_b"))
        frame = frame[["code", "source", "start", "end", "text_a", "text_b"]
                      + (["status"] if agreed else [])].rename(
            columns={"text_a": names[0], "text_b": names[1]})
    else:
        frame = frame.assign(spans_a=[str(v) for v in frame["spans_a"]],
                             spans_b=[str(v) for v in frame["spans_b"]])
    print_frame(frame, fmt, output)


def register(cli: click.Group) -> None:
    cli.add_command(agreement)
    cli.add_command(disagreements)
