"""One rule for what a caller names: sources, codes, cases, coders, code groups, codings.

A name (for a code: its path, or a name unique in the tree) always wins; an id is taken only
when asked for explicitly: an int or an object with `.id` from Python, or the text "#3" (the
command line's `#3` and `--id`). A string is never read as an id because it looks like a
number: a source may well be named "2" or "003". Nothing matching, or several things
matching, is an error naming the closest candidates.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from qualcode.core import model
from qualcode.core.textrules import control_character
from qualcode.errors import Ambiguous, InvalidOperation, NotFound

ID_TEXT = re.compile(r"#\s*(\d+)")
OBJECTS_OF = {"source": model.SourceEntry, "code": model.Code, "case": model.Case,
              "coder": model.Coder, "code group": model.CodeGroup, "coding": model.Coding,
              "bookmark": model.Bookmark}
"""The class whose objects stand for each kind of thing by their id."""
SHOWN = 5  # candidates named in an error


def explicit_id(ref, kind: str) -> int | None:
    """The id the caller asked for explicitly (an int, "#3", or an object of `kind` such as a
    Source for "source"), else None. An object of another kind is an error, never its id:
    p.source(code) must not give whichever source shares the code's number."""
    if isinstance(ref, bool):
        raise InvalidOperation(f"{ref!r} is not a reference to anything")
    if isinstance(ref, int):
        return ref
    if isinstance(ref, str):
        m = ID_TEXT.fullmatch(ref.strip())
        return int(m.group(1)) if m else None
    ident = getattr(ref, "id", None)
    if not isinstance(ident, int) or isinstance(ident, bool):
        return None
    if not isinstance(ref, OBJECTS_OF[kind]):
        raise InvalidOperation(f"a {type(ref).__name__} (id {ident}) was given for a {kind}: "
                               f"give the {kind}'s name, its id ({id_text(ident)}) or the "
                               f"{kind} itself")
    return ident


def name_of(ref, kind: str) -> str:
    """The name a non-id reference gives (stripped); anything but text is refused."""
    if not isinstance(ref, str):
        raise InvalidOperation(f"a {kind} is named by text or given by id, not {ref!r}")
    return ref.strip()


def id_text(ident: int) -> str:
    """How an explicit id is written in text: "#3"."""
    return f"#{ident}"


def check_name(kind: str, name: str) -> str:
    """Refuse a new name that would read as an explicit id ("#3")."""
    if ID_TEXT.fullmatch(name.strip()):
        raise InvalidOperation(f"a {kind} cannot be named {name!r}: '#' and a number "
                               "refers to an id")
    problem = control_character(name)
    if problem:
        raise InvalidOperation(f"a {kind} name cannot hold a {problem}")
    return name


def closest(wanted: str, candidates: Iterable[str], n: int = SHOWN) -> list[str]:
    """The candidates nearest to `wanted`: those containing it first, then similar ones."""
    candidates = list(dict.fromkeys(candidates))
    low = wanted.lower()
    found = [c for c in candidates if low and low in c.lower()][:n]
    similar = difflib.get_close_matches(wanted, candidates, n=n, cutoff=0.5)
    return list(dict.fromkeys(found + similar))[:n]


def not_found(kind: str, ref, candidates: Iterable[str] = ()) -> NotFound:
    """`no source '003'; closest: ...`, with how to ask for an id when the name is a number."""
    text = ref.strip() if isinstance(ref, str) else ref
    message = f"no {kind} {text!r}"
    candidates = list(candidates)
    near = closest(str(text), candidates)
    if near:
        message += "; closest: " + ", ".join(repr(c) for c in near)
    elif 0 < len(candidates) <= SHOWN:
        message += "; there are: " + ", ".join(repr(c) for c in sorted(candidates))
    if isinstance(text, str) and text.isdigit():
        message += f" (a {kind} id is written {id_text(int(text))}, or with --id)"
    return NotFound(message)


def ambiguous(kind: str, ref: str, matches: Iterable[str]) -> Ambiguous:
    matches = list(matches)
    shown = ", ".join(repr(m) for m in matches[:SHOWN * 2])
    more = f" and {len(matches) - SHOWN * 2} more" if len(matches) > SHOWN * 2 else ""
    return Ambiguous(f"{kind} {ref!r} is ambiguous: it matches {shown}{more}; give the "
                     "full name or path")
