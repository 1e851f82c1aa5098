"""The filter options that query and export verbs share: codes, coders, attributes."""

from __future__ import annotations

from typing import Any

import click

from qualcode.errors import QualcodeError

ID_HELP = ("Read numbers in the references as ids (otherwise a reference is a name or "
           "path; '#3', quoted in the shell, is id 3 either way).")


def id_option(f):
    return click.option("--id", "by_id", is_flag=True, help=ID_HELP)(f)


def as_ref(text: str, by_id: bool = False) -> str:
    """A reference as typed: a name or path, or with --id a number meaning an id ("#3").
    Core resolves it; a bare number is never taken as an id unless --id says so."""
    if by_id and text.strip().isdigit():
        return f"#{text.strip()}"
    return text


def parse_where(items: tuple[str, ...]) -> dict[str, list[str]] | None:
    """("office=2,5", "role=KVP-veileder") -> {"office": ["2", "5"], "role": [...]}."""
    if not items:
        return None
    where: dict[str, list[str]] = {}
    for item in items:
        name, sep, values = item.partition("=")
        if not sep or not name.strip() or not values.strip():
            raise QualcodeError(f"--where {item!r}: write NAME=VALUE (or NAME=V1,V2)")
        where.setdefault(name.strip(), []).extend(v.strip() for v in values.split(","))
    return where


def filter_options(f=None, *, with_descendants: bool = True):
    """--code, --coder and --where (each repeatable), and --descendants unless exports always
    take sub-codes (`with_descendants=False`; the verb then gets descendants=True)."""
    def decorate(f):
        options = [
            click.option("--code", "codes", multiple=True, metavar="PATH",
                         help="Only this code (path, name, or '#ID'); repeat for more."
                         + ("" if with_descendants else " Its sub-codes come along.")),
            click.option("--coder", "coders", multiple=True, metavar="NAME",
                         help="Only this coder's codings; repeat for more."),
            click.option("--where", "where", multiple=True, metavar="NAME=VALUE",
                         help="Only sources whose attribute NAME is VALUE (VALUE1,VALUE2 for "
                              "either); repeat for more, e.g. --where role=KVP-veileder."),
        ]
        if with_descendants:
            options.insert(1, click.option("--descendants", is_flag=True,
                                           help="With --code: its sub-codes too, each as "
                                                "itself."))
        else:
            options.insert(1, click.option("--descendants", hidden=True, flag_value=True,
                                           default=True))
        for option in reversed(options):
            f = option(f)
        return f
    return decorate(f) if f is not None else decorate


def filters(codes: tuple[str, ...], coders: tuple[str, ...],
            where: tuple[str, ...]) -> dict[str, Any]:
    return {"codes": list(codes) or None, "coders": list(coders) or None,
            "attributes": parse_where(where)}
