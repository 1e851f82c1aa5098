"""Verbs over the core API: init, info, codes, code, uncode, undo, redo, history."""

from __future__ import annotations

import re
from pathlib import Path

import click

from qualcode.cli.common import (
    coder_option,
    format_option,
    open_from,
    output_option,
    print_frame,
    project_option,
)
from qualcode.cli.filters import as_ref, id_option
from qualcode.core import Project
from qualcode.errors import QualcodeError
from qualcode.lazy import lazy_module

pd = lazy_module("pandas")


def parse_span(span: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*[:-]\s*(\d+)\s*", span)
    if not m:
        raise QualcodeError(f"--span {span!r}: write START:END, e.g. 120:245")
    return int(m.group(1)), int(m.group(2))


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Project name (default: the file name).")
def init(path: Path, name: str | None) -> None:
    """Create a new, empty project file at PATH."""
    if path.suffix != ".qualcode":
        path = path.with_name(path.name + ".qualcode")
    with Project.create(path, name):
        pass
    click.echo(f"created {path}")


@click.command()
@project_option
@format_option
def info(project_path: str | None, fmt: str) -> None:
    """Counts of sources, cases, codes, codings, coders, memos and forms."""
    with open_from(project_path) as p:
        data = p.info()
    if fmt == "table":
        width = max(map(len, data))
        for key, value in data.items():
            click.echo(f"{key:<{width}}  {value}")
    else:
        print_frame(pd.DataFrame([data]), fmt)


@click.command()
@project_option
def check(project_path: str | None) -> None:
    """Check the whole project file for damage (SQLite's integrity and foreign key checks)."""
    with open_from(project_path) as p:
        problems = p.check()
        path = p.path
    if not problems:
        click.echo(f"{path}: ok (every page, index and reference checked)")
        return
    for problem in problems[:50]:
        click.echo(f"{path}: {problem}")
    if len(problems) > 50:
        click.echo(f"{path}: … and {len(problems) - 50} more")
    raise QualcodeError(f"{path}: damaged ({len(problems)} problems); restore it from a "
                        "backup or a copy")


@click.group(invoke_without_command=True)
@project_option
@format_option
@output_option
@click.pass_context
def codes(ctx: click.Context, project_path, fmt, output) -> None:
    """The code tree with counts of codings and sources (own / with sub-codes)."""
    ctx.obj = project_path
    if ctx.invoked_subcommand is not None:
        return
    with open_from(project_path) as p:
        frame = p.code_counts().reset_index()
    if fmt == "table":
        frame = frame.assign(code=["  " * d + n + (f" ({e})" if isinstance(e, str) and e != n else "")
                                   for d, n, e in zip(frame.depth, frame.name, frame.en,
                                                      strict=True)])
        frame = frame[["code_id", "code", "codings", "sources", "codings_total",
                       "sources_total"]]
    else:
        frame = frame.drop(columns=["depth", "name"])
    print_frame(frame, fmt, output)


def _project(ctx: click.Context, project_path: str | None, coder: str | None = None) -> Project:
    return open_from(project_path or ctx.obj, coder)


@codes.command("add")
@click.argument("path")
@click.option("--en", help="English label.")
@click.option("--definition", help="What the code means.")
@click.option("--color", help="Colour, e.g. '#1f77b4'.")
@click.option("--category", is_flag=True, help="A category: groups codes, is not applied.")
@project_option
@click.pass_context
def codes_add(ctx, path, en, definition, color, category, project_path) -> None:
    """Add a code by PATH ("parent/child"); missing parents are added as categories."""
    with _project(ctx, project_path) as p, p.change("add code", path):
        parts = [x.strip() for x in path.split("/")]
        parent = None
        for depth, name in enumerate(parts[:-1]):
            prefix = "/".join(parts[:depth + 1])
            parent = p.find_code_path(prefix) or p.add_code(name, parent, codable=False)
        code = p.add_code(parts[-1], parent, en=en, description=definition, color=color,
                          codable=not category)
    click.echo(f"added {code.path} (id {code.id})")


@codes.command("rename")
@click.argument("code")
@click.argument("new_name")
@id_option
@project_option
@click.pass_context
def codes_rename(ctx, code, new_name, by_id, project_path) -> None:
    """Rename CODE (a path, a name unique in the tree, or '#ID') to NEW_NAME."""
    with _project(ctx, project_path) as p:
        done = p.rename_code(as_ref(code, by_id), new_name)
    click.echo(f"renamed to {done.path}")


@codes.command("move")
@click.argument("code")
@click.argument("parent", required=False)
@id_option
@project_option
@click.pass_context
def codes_move(ctx, code, parent, by_id, project_path) -> None:
    """Move CODE under PARENT (omit PARENT for the top level)."""
    with _project(ctx, project_path) as p:
        done = p.move_code(as_ref(code, by_id), as_ref(parent, by_id) if parent else None)
    click.echo(f"moved to {done.path}")


@codes.command("merge")
@click.argument("code")
@click.argument("into")
@id_option
@project_option
@click.pass_context
def codes_merge(ctx, code, into, by_id, project_path) -> None:
    """Merge CODE into INTO: codings and sub-codes move, CODE is deleted."""
    with _project(ctx, project_path) as p:
        done = p.merge_codes(as_ref(code, by_id), as_ref(into, by_id))
    click.echo(f"merged into {done.path}")


@codes.command("delete")
@click.argument("code")
@click.option("--codings", type=click.Choice(["refuse", "delete", "parent"]), default="refuse",
              show_default=True, help="What happens to the codings of the code and its "
              "sub-codes: refuse while any exist, delete them, or move them to the parent.")
@id_option
@project_option
@click.pass_context
def codes_delete(ctx, code, codings, by_id, project_path) -> None:
    """Delete CODE and its sub-codes (undo brings them back)."""
    with _project(ctx, project_path) as p:
        found = p.code(as_ref(code, by_id))
        p.delete_code(found, codings=codings)
    click.echo(f"deleted {found.path}")


@click.command("code")
@click.argument("source")
@click.argument("code")
@click.option("--span", help="Character offsets START:END (end exclusive).")
@click.option("--match", "match", metavar="TEXT",
              help="Code where TEXT occurs instead: any run of spaces or line breaks matches "
                   "any other; several occurrences need --nth or --all.")
@click.option("--ignore-case", is_flag=True, help="With --match: ignore upper and lower case.")
@click.option("--nth", type=click.IntRange(min=1), metavar="N",
              help="With --match: the N-th occurrence (1 = the first).")
@click.option("--all", "all_matches", is_flag=True, help="With --match: every occurrence.")
@click.option("--memo", help="A memo on the new coding.")
@id_option
@project_option
@coder_option
def code_cmd(source, code, span, match, ignore_case, nth, all_matches, memo, by_id, project_path,
             coder) -> None:
    """Apply CODE (a path, a name unique in the tree) to a span of SOURCE (a name).

    A number is a name too: `code 2 ...` codes the source named "2". Give ids as '#3'
    (quoted in the shell) or with --id."""
    if (span is None) == (match is None):
        raise QualcodeError("give exactly one of --span START:END or --match TEXT")
    with open_from(project_path, coder) as p:
        src = p.source(as_ref(source, by_id))
        cd = p.code(as_ref(code, by_id))
        if span:
            spans = [parse_span(span)]
        else:
            spans = p.phrase_spans(src, match, ignore_case=ignore_case, nth=nth,
                                   every=all_matches)
        with p.change("code", f"{cd.path} on {src.name}"):
            done = [p.code_span(src, s, e, cd, memo=memo) for s, e in spans]
    for c in done:
        click.echo(f"coded {src.name} [{c.start}:{c.end}] as {cd.path} (coding {c.id})")


@click.command()
@click.argument("target", nargs=-1, required=True)
@click.option("--span", help="With SOURCE CODE: the span START:END to uncode.")
@id_option
@project_option
@coder_option
def uncode(target, span, by_id, project_path, coder) -> None:
    """Remove a coding: `uncode CODING_ID` (a coding has only an id: 12 or '#12'), or
    `uncode SOURCE CODE --span START:END`."""
    with open_from(project_path, coder) as p:
        if len(target) == 1 and span is None:
            p.uncode(as_ref(target[0], by_id=True))
            click.echo(f"removed coding {target[0].lstrip('#')}")
            return
        if len(target) != 2 or span is None:
            raise QualcodeError("write `uncode CODING_ID` or `uncode SOURCE CODE --span S:E`")
        start, end = parse_span(span)
        src, cd = p.source(as_ref(target[0], by_id)), p.code(as_ref(target[1], by_id))
        p.uncode_span(src, start, end, cd)
    click.echo(f"removed {cd.path} from {src.name} [{start}:{end}]")


def _step(project_path: str | None, coder: str | None, anyone: bool, steps: int,
          verb: str) -> None:
    """Undo or redo `steps` changes, saying what each one was."""
    with open_from(project_path, coder) as p:
        for _ in range(steps):
            event = p.undo(anyone=anyone) if verb == "undo" else p.redo(anyone=anyone)
            if event is None:
                click.echo(f"nothing to {verb}")
                return
            click.echo(f"{verb.removesuffix('o')}id: {event.action}"
                       + (f" ({event.summary})" if event.summary else ""))


ANYONE = click.option("--anyone", is_flag=True,
                      help="Step through everyone's changes, not only this coder's.")


@click.command()
@click.option("-n", "--steps", default=1, show_default=True, help="How many changes to undo.")
@ANYONE
@project_option
@coder_option
def undo(steps: int, anyone: bool, project_path, coder) -> None:
    """Undo your latest change(s): refused, changing nothing, if someone has changed the same
    data since."""
    _step(project_path, coder, anyone, steps, "undo")


@click.command()
@click.option("-n", "--steps", default=1, show_default=True, help="How many changes to redo.")
@ANYONE
@project_option
@coder_option
def redo(steps: int, anyone: bool, project_path, coder) -> None:
    """Redo what your undo reversed."""
    _step(project_path, coder, anyone, steps, "redo")


@click.command()
@click.option("-n", "--limit", default=20, show_default=True)
@project_option
@format_option
def history(limit: int, project_path, fmt) -> None:
    """The latest changes, newest first (undone ones marked)."""
    with open_from(project_path) as p:
        events = p.history(limit)
    frame = pd.DataFrame([e.__dict__ for e in events],
                         columns=["id", "at", "coder", "action", "summary", "state"])
    print_frame(frame, fmt)


def register(cli: click.Group) -> None:
    for command in (init, info, check, codes, code_cmd, uncode, undo, redo, history):
        cli.add_command(command)
