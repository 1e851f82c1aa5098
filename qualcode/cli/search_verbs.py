"""find, autocode, suggestions: search the project, suggest codings from codebook patterns,
review the suggestions."""

from __future__ import annotations

import click

from qualcode.cli.common import format_option, open_from, output_option, print_frame, project_option
from qualcode.cli.filters import parse_where
from qualcode.core.model import SOURCE_KINDS


@click.command()
@click.argument("query")
@click.option("--stem", is_flag=True,
              help="Match each word in any of its forms (veileder: veilederen, veiledere, ...).")
@click.option("--regex", is_flag=True, help="QUERY is a Python regular expression.")
@click.option("--case-sensitive", is_flag=True, help="Match case exactly (default: ignore case).")
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Only this source; repeat for more.")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(SOURCE_KINDS),
              help="Only sources of this kind; repeat for more.")
@click.option("--code", "codes", multiple=True, metavar="PATH",
              help="Only sources with a coding of this code; repeat for more.")
@click.option("--where", "where", multiple=True, metavar="NAME=VALUE",
              help="Only sources whose attribute NAME is VALUE (V1,V2 for either); repeatable.")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many hits.")
@project_option
@format_option
@output_option
def find(query, stem, regex, case_sensitive, sources, kinds, codes, where, limit, project_path,
         fmt, output) -> None:
    """Find QUERY in every source: one row per hit with its place and a line of context.

    Case is ignored and any run of spaces, non-breaking spaces or line breaks in the text
    matches a space in QUERY; a hit starts where a word starts.
    """
    import pandas as pd

    with open_from(project_path) as p:
        hits = p.find(query, stem=stem, regex=regex, case_sensitive=case_sensitive,
                      sources=list(sources) or None, kinds=list(kinds) or None,
                      codes=list(codes) or None, attributes=parse_where(where), limit=limit)
    columns = ["source", "where", "start", "end", "text", "context"]
    frame = pd.DataFrame([[h.source, str(h.where), h.start, h.end, h.text, h.context]
                          for h in hits], columns=columns)
    if fmt == "json":  # the place in parts too, for a script
        parts = {name: pd.Series([getattr(h.where, name) for h in hits], dtype=object)
                 for name in ("line", "turn", "speaker", "timestamp")}  # a turn: 2, not 2.0
        frame = frame.assign(**parts, before=[h.before for h in hits],
                             after=[h.after for h in hits])
    print_frame(frame, fmt, output)
    if fmt == "table" and output is None:
        click.echo(f"{len(hits)} hit{'s' if len(hits) != 1 else ''}", err=True)




@click.command()
@click.option("--code", "codes", multiple=True, metavar="PATH",
              help="Autocode this code (path); repeat for more. Default: every code with "
                   "patterns.")
@click.option("--unit", type=click.Choice(["word", "sentence", "turn", "paragraph", "field"]),
              default="sentence", show_default=True,
              help="What a suggestion spans around the matched words (field: the whole form "
                   "comment or text).")
@click.option("--speaker", metavar="LABEL",
              help="Instead: code every turn of this speaker (e.g. Kursholder) with --code.")
@click.option("--field", "form_field", metavar="NAME",
              help="Instead: code every form comment of this field (e.g. kommentar2) with --code.")
@click.option("--source-where", "source_where", multiple=True, metavar="NAME=VALUE",
              help="Instead: code the whole text of every source with this attribute value.")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(SOURCE_KINDS),
              help="Only sources of this kind; repeat for more.")
@click.option("--where", "where", multiple=True, metavar="NAME=VALUE",
              help="Only sources whose attribute NAME is VALUE; repeatable.")
@project_option
@click.option("--coder", metavar="NAME",
              help="Coder name (default: $QUALCODE_CODER or your user name).")
def autocode(codes, unit, speaker, form_field, source_where, kinds, where, project_path,
             coder) -> None:
    """Suggest codings from the codebook's patterns (review them with `qualcode suggestions`).

    With --speaker, --field or --source-where, code by structure instead: every such turn,
    form comment or source gets --code at once, as one change that `qualcode undo` reverses.
    """
    structural = [o for o in (speaker, form_field, source_where) if o]
    if len(structural) > 1:
        raise click.UsageError("give one of --speaker, --field and --source-where")
    with open_from(project_path, coder) as p:
        if structural:
            if len(codes) != 1:
                raise click.UsageError("coding by structure needs exactly one --code")
            if speaker:
                ids = p.code_turns(speaker, codes[0])
            elif form_field:
                ids = p.code_fields(form_field, codes[0])
            else:
                ids = p.code_sources_where(parse_where(source_where), codes[0])
            click.echo(f"coded {len(ids)} span{'s' if len(ids) != 1 else ''} "
                       f"{p.code(codes[0]).path} (undo reverses it)")
            return
        result = p.autocode(list(codes) or None, unit=unit, kinds=list(kinds) or None,
                            attributes=parse_where(where))
    click.echo(f"read {result.sources} sources: {result.hits} pattern hits, "
               f"{result.suggested} new suggestions ({result.known} already suggested, "
               "rejected or coded); review them with `qualcode suggestions`")


@click.command()
@click.option("--code", "codes", multiple=True, metavar="PATH",
              help="Only suggestions of this code; repeat for more.")
@click.option("--state", type=click.Choice(["open", "accepted", "rejected", "all"]),
              default="open", show_default=True)
@click.option("--accept", metavar="IDS|all",
              help="Accept these suggestions (e.g. 3,5,9) or all listed ones: they become "
                   "codings (origin auto), one change.")
@click.option("--reject", metavar="IDS|all",
              help="Reject these suggestions or all listed ones: not suggested again.")
@project_option
@format_option
@output_option
@click.option("--coder", metavar="NAME",
              help="Coder name (default: $QUALCODE_CODER or your user name).")
def suggestions(codes, state, accept, reject, project_path, fmt, output, coder) -> None:
    """List autocoding suggestions, or accept or reject them."""
    import pandas as pd

    if accept and reject:
        raise click.UsageError("give --accept or --reject, not both")
    codes = list(codes) or None
    with open_from(project_path, coder) as p:
        if accept or reject:
            ids = _ids(accept or reject)
            if ids is None and state != "open":
                raise click.UsageError("only open suggestions can be accepted or rejected")
            if accept:
                done = p.accept_suggestions(ids, codes=codes)
                click.echo(f"accepted {len(done.coding_ids)}: new codings (origin auto); "
                           "`qualcode undo` reverses it")
                for sid, reason in done.refused:
                    click.echo(f"qualcode: warning: suggestion {sid} left open: {reason}",
                               err=True)
            else:
                n = p.reject_suggestions(ids, codes=codes)
                click.echo(f"rejected {n}: they will not be suggested again")
            return
        found = p.suggestions(state=None if state == "all" else state, codes=codes)
        texts = {}
        rows = []
        for s in found:
            text = texts.get(s.source_id) or texts.setdefault(s.source_id, p.source(s.source_id).text)
            rows.append([s.id, s.source, s.start, s.end, s.code, s.unit, s.words,
                         " ".join(text[s.start:s.end].split()), s.state])
    frame = pd.DataFrame(rows, columns=["id", "source", "start", "end", "code", "unit", "words",
                                        "text", "state"])
    print_frame(frame, fmt, output)


def _ids(given: str) -> list[int] | None:
    if given.strip().lower() == "all":
        return None
    try:
        return [int(x) for x in given.replace(" ", "").split(",") if x]
    except ValueError:
        raise click.UsageError(f"{given!r}: give suggestion ids like 3,5,9, or all") from None


def register(cli: click.Group) -> None:
    cli.add_command(find)
    cli.add_command(autocode)
    cli.add_command(suggestions)
