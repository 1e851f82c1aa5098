"""`qualcode query ...`: the analyses as tables on the command line."""

from __future__ import annotations

import click

from qualcode.cli.common import format_option, open_from, output_option, print_frame, project_option
from qualcode.cli.filters import filter_options, filters, parse_where
from qualcode.errors import QualcodeError
from qualcode.lazy import lazy_module

np = lazy_module("numpy")
pd = lazy_module("pandas")


@click.group()
def query() -> None:
    """Co-occurrence, matrices, code group tables, fidelity counts and codings as tables."""


def _ids_as(frame: pd.DataFrame, fmt: str, show: bool) -> pd.DataFrame:
    if "coding_ids" not in frame.columns:
        return frame
    if fmt == "table" and not show:
        return frame.drop(columns="coding_ids")
    as_list = [list(map(int, v)) if isinstance(v, np.ndarray | list) else [] for v in
               frame["coding_ids"]]
    joined = as_list if fmt == "json" else [" ".join(map(str, v)) for v in as_list]
    return frame.assign(coding_ids=joined)


@query.command()
@click.option("--unit", type=click.Choice(["overlap", "within", "turn", "source", "case"]),
              default="overlap", show_default=True,
              help="What counts as together: overlapping spans, within --distance characters, "
                   "the same speaker turn, source or case.")
@click.option("--distance", type=click.IntRange(min=0), default=0, show_default=True,
              help="With --unit within: at most this many characters apart.")
@filter_options
@click.option("--roll-up", is_flag=True,
              help="With --code: count sub-codes' codings as the given code.")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Only this source; repeat for more.")
@click.option("--pool-coders", is_flag=True,
              help="Take all coders' codings together (the same code on one span counts once); "
                   "the same as --coder-pairs pooled.")
@click.option("--coder-pairs", type=click.Choice(["within", "pooled", "any"]),
              help="Which codings are compared: each coder's with their own (within, the "
                   "default), all coders together with identical spans once (pooled), or "
                   "every pair of codings whoever coded them (any, as other QDA tools count).")
@click.option("--matrix", "as_matrix", type=click.Choice(["n12", "c", "pairs"]),
              help="Print a code × code matrix of this value instead of pairs.")
@click.option("--ids", is_flag=True, help="Show the coding ids behind each pair in a table.")
@project_option
@format_option
@output_option
def cooccurrence(unit, distance, codes, descendants, coders, where, roll_up, sources,
                 pool_coders, coder_pairs, as_matrix, ids, project_path, fmt,
                 output) -> None:
    """Pairs of codes applied together: n1, n2, n12, pairs and c = n12 / (n1 + n2 - n12).

    Each coder's codings are compared with that coder's own unless --pool-coders or
    --coder-pairs says otherwise.
    """
    from qualcode.analysis.cooccurrence import cooccurrence_matrix

    with open_from(project_path) as p:
        frame = p.cooccurrence(unit=unit, distance=distance, descendants=descendants,
                               roll_up=roll_up, sources=list(sources) or None,
                               pool_coders=pool_coders, coder_pairs=coder_pairs,
                               **filters(codes, coders, where))
    if as_matrix:
        print_frame(cooccurrence_matrix(frame, as_matrix), fmt, output, index=True)
        return
    frame = frame.drop(columns=["code1_id", "code2_id"])
    if fmt == "table":
        frame = frame.assign(c=frame["c"].round(3))
    print_frame(_ids_as(frame, fmt, ids), fmt, output)


@query.command()
@click.option("--by", "by", multiple=True, default=["case"], show_default=True,
              metavar="NAME", help="Rows: an attribute (office, role, time ...), case or "
                                   "source; repeat for combinations.")
@click.option("--value", type=click.Choice(["codings", "sources", "excerpts", "coding_ids"]),
              default="codings", show_default=True, help="What each cell holds.")
@filter_options
@click.option("--roll-up", is_flag=True,
              help="With --code: count sub-codes' codings as the given code.")
@project_option
@format_option
@output_option
def matrix(by, value, codes, descendants, coders, where, roll_up, project_path, fmt,
           output) -> None:
    """Cases or attribute values × codes: counts of codings or sources, or the excerpts."""
    with open_from(project_path) as p:
        frame = p.matrix(list(by), value=value, descendants=descendants, roll_up=roll_up,
                         **filters(codes, coders, where))
    if value in ("excerpts", "coding_ids"):
        joiner = "\n" if fmt == "table" else " | "
        frame = frame.map(lambda v: joiner.join(map(str, v)) if fmt != "json" else v)
    print_frame(frame, fmt, output, index=True)


@query.command()
@click.argument("rows")
@click.argument("columns", required=False)
@click.option("--by", "by", multiple=True, metavar="NAME",
              help="Instead of COLUMNS: attribute values (repeat for combinations).")
@click.option("--unit", type=click.Choice(["overlap", "within", "turn", "source", "case"]),
              default="overlap", show_default=True)
@click.option("--distance", type=click.IntRange(min=0), default=0)
@click.option("--value", type=click.Choice(["n12", "c", "pairs", "codings", "sources"]),
              help="Cells: n12, c or pairs with COLUMNS (default n12); codings or sources "
                   "with --by (default codings).")
@click.option("--pool-coders", is_flag=True,
              help="With COLUMNS: codings by different coders co-occur too.")
@click.option("--coder-pairs", type=click.Choice(["within", "pooled", "any"]),
              help="With COLUMNS: which codings are compared, as in query cooccurrence.")
@click.option("--coder", "coders", multiple=True, metavar="NAME")
@click.option("--where", "where", multiple=True, metavar="NAME=VALUE")
@project_option
@format_option
@output_option
def groups(rows, columns, by, unit, distance, value, pool_coders, coder_pairs, coders, where,
           project_path, fmt, output) -> None:
    """A table over groups of codes. ROWS and COLUMNS are each a group name (its members) or a
    code (its children), counted with their sub-codes.

    \b
    Examples:
      qualcode query groups "Barrierer og føringer/opplæring" valens
      qualcode query groups dreyfus-stadium --by role --by time
    """
    if (columns is None) == (not by):
        raise QualcodeError("give COLUMNS (a group or code) or --by ATTRIBUTE, not both")
    with open_from(project_path) as p:
        table = p.group_table(rows, columns,
                              by=list(by) or None, unit=unit, distance=distance, value=value,
                              coders=list(coders) or None, attributes=parse_where(where),
                              pool_coders=pool_coders, coder_pairs=coder_pairs)
    if isinstance(table.columns, pd.MultiIndex):
        table.columns = [" / ".join(map(str, c)) for c in table.columns]
    print_frame(table, fmt, output, index=True)


@query.command()
@click.option("--by", "by", multiple=True, default=["month"], show_default=True,
              metavar="NAME", help="Group forms by month, year, quarter, office, version, "
                                   "case or an attribute of the form's case (e.g. arm), or "
                                   "'all' for the total; repeat for combinations.")
@click.option("--items", type=click.Choice(["tool", "principle"]),
              help="Shares per tool or principle instead of the summary.")
@click.option("--value", type=click.Choice(["planned", "used", "mastery"]), default="planned",
              show_default=True, help="With --items: % planned, % used, or mean mastery.")
@click.option("--long", "long_form", is_flag=True,
              help="With --items: one row per group and item, with the counts (forms that "
                   "had the item on the form, planned it, used it) beside the shares.")
@click.option("--where", "where", multiple=True, metavar="NAME=VALUE",
              help="Only forms whose field NAME is VALUE, e.g. --where office=2,5.")
@click.option("--from", "start", metavar="DATE", help="Forms dated on or after DATE.")
@click.option("--to", "end", metavar="DATE", help="Forms dated on or before DATE.")
@click.option("--measures", is_flag=True,
              help="Join the measures keyed by the (single) --by field, e.g. office.")
@project_option
@format_option
@output_option
def fidelity(by, items, value, long_form, where, start, end, measures, project_path, fmt,
             output) -> None:
    """Fidelity counts from the forms: forms, tools and principles per form, ratings, filled
    comments; or with --items the share of forms with each item (of the forms whose version
    had it). `--by all` gives the total over all forms; with --items, one row per item with
    its counts beside its shares (as --long)."""
    if items and list(by) == ["all"]:
        long_form = True  # one group: a row per item, with counts, reads better than one wide row
    with open_from(project_path) as p:
        frame = p.fidelity(list(by), items=items, value=value, long=long_form,
                           where=parse_where(where), start=start, end=end)
        if measures:
            if len(by) != 1:
                raise QualcodeError("--measures joins on one --by field")
            frame = p.with_measures(frame, by[0])
    if fmt == "table":
        frame = frame.round(1)
    print_frame(frame, fmt, output, index=not long_form)


@query.command()
@filter_options
@click.option("--all-columns", is_flag=True,
              help="In a table, show every column (ids, offsets, attributes).")
@project_option
@format_option
@output_option
def codings(codes, descendants, coders, where, all_columns, project_path, fmt,
            output) -> None:
    """The coded excerpts, one row per coding, with the source's attributes."""
    with open_from(project_path) as p:
        frame = p.codings(descendants=descendants, **filters(codes, coders, where))
    if fmt == "table" and not all_columns:
        frame = frame[["coding_id", "source", "start", "end", "code_path", "coder", "text"]]
    print_frame(frame, fmt, output)


def register(cli: click.Group) -> None:
    cli.add_command(query)
