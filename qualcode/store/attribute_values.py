"""Attribute values: how they are stored, written as text, matched by a filter, and inherited
down the case hierarchy.

One place for every reader and writer, so that a date set from Python comes back a date, an
office shown as "2" in a report is the office that `office=2`, `"2"`, `2.0` or `"2.0"` selects
in every filter (API, command line, exports, TUI), and a filter value that can never match the
attribute's type (office="Alna" for a number) is an error instead of an empty table.

Stored: a type name ("number", "bool", "date", "text") beside SQLite's own value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

TRUE_WORDS = ("1", "x", "ja", "j", "true", "sann", "yes", "y")
FALSE_WORDS = ("0", "", "nei", "n", "false", "usann", "no")
KINDS = ("number", "bool", "date", "text")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_WHOLE_DECIMAL = re.compile(r"[+-]?\d+[.,]0+")


# -- storage ----------------------------------------------------------------------------------
def encode(value: Any) -> tuple[str, Any]:
    """(type, stored value) of an attribute value given in Python."""
    value = _plain(value)
    if isinstance(value, bool):
        return "bool", int(value)
    if isinstance(value, int | float):
        return "number", value
    if isinstance(value, dt.datetime | dt.date):
        return "date", value.isoformat()
    return "text", str(value)


def decode(kind: str, value: Any) -> Any:
    """The Python value of a stored attribute."""
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if kind == "date":
        text = str(value)
        return dt.date.fromisoformat(text) if len(text) <= 10 else dt.datetime.fromisoformat(text)
    return value


# -- reading ----------------------------------------------------------------------------------
def is_missing(value: Any) -> bool:
    """None, NaN, pandas' NA/NaT: no value."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):  # pd.NA refuses bool()
        return True


def kind_of(value: Any) -> str | None:
    """The attribute type a Python value has ("number", "bool", "date", "text"), None if
    missing."""
    value = _plain(value)
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return "text"


def value_text(value: Any) -> str:
    """An attribute value as text: "" for none, whole numbers without ".0" (a DataFrame column
    with gaps holds office 13 as 13.0), dates as ISO (a datetime at midnight as its date),
    booleans as yes/no."""
    value = _plain(value)
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as the Python values they hold."""
    if type(value).__module__.startswith(("numpy", "pandas")) and hasattr(value, "item") \
            and not hasattr(value, "__len__"):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    return value


# -- filtering --------------------------------------------------------------------------------
def _key(kind: str, value: Any, ignore_case: bool) -> tuple:
    if kind == "number":
        return kind, float(value)
    if kind == "date":
        return kind, value_text(value)
    if kind == "text":
        text = value_text(value)
        if _WHOLE_DECIMAL.fullmatch(text):  # a text office "2" is the office "2.0"
            text = text.split(".")[0].split(",")[0]
        return kind, text.casefold() if ignore_case else text
    return kind, bool(value)


def _as_kind(kind: str, wanted: Any) -> Any:
    """`wanted` as a value of `kind`, or None if it cannot be one."""
    wanted = _plain(wanted)
    if kind == "text":
        return value_text(wanted)
    if kind == "number":
        if isinstance(wanted, bool):
            return None
        if isinstance(wanted, int | float):
            return wanted if math.isfinite(wanted) else None
        if isinstance(wanted, str):
            text = wanted.strip().replace("\u00a0", "").replace(" ", "")
            return float(text.replace(",", ".")) if _NUMBER.fullmatch(text) else None
        return None
    if kind == "bool":
        if isinstance(wanted, bool):
            return wanted
        if isinstance(wanted, int | float) and wanted in (0, 1):
            return bool(wanted)
        if isinstance(wanted, str) and wanted.strip():
            word = wanted.strip().casefold()
            return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
        return None
    if isinstance(wanted, dt.date):  # kind == "date"
        return wanted
    if isinstance(wanted, str):
        text = wanted.strip()
        try:
            if m := _DOTTED_DATE.fullmatch(text):
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if _ISO_DATE.match(text):
                parsed = dt.datetime.fromisoformat(text)
                return parsed.date() if parsed.time() == dt.time() else parsed
        except ValueError:
            return None
    return None


_KIND_WORDS = {"number": "numbers", "bool": "yes/no values", "date": "dates", "text": "text"}
_EXAMPLES = {"number": "2", "bool": "ja or nei", "date": "2012-03-01"}


def value_matcher(name: str, present: Iterable[Any], wanted: Any, *,
                  ignore_case: bool = True) -> Callable[[Any], bool]:
    """A test for values of the attribute `name` (whose values include `present`): is a value
    equal to `wanted` (a value or a list/tuple/set of values, of any type that can be the
    attribute's: office 2, "2", 2.0 or "2.0"; a date or "2012-03-01"; True, "ja" or "true")?
    Text is compared ignoring case (role=kvp-veileder is KVP-veileder) unless `ignore_case`
    is False. A wanted value that none of the attribute's types can hold raises ValueError
    (one line)."""
    kinds = {k for k in map(kind_of, present) if k is not None}
    wanted_values = list(wanted) if isinstance(wanted, list | tuple | set | frozenset) \
        else [wanted]
    keys: set[tuple] = set()
    for value in wanted_values:
        converted = [(k, _as_kind(k, value)) for k in sorted(kinds)]
        usable = [(k, v) for k, v in converted if v is not None]
        if kinds and not usable:
            held = " and ".join(_KIND_WORDS[k] for k in sorted(kinds))
            example = next((_EXAMPLES[k] for k in sorted(kinds) if k in _EXAMPLES), "")
            raise ValueError(f"{name}={value_text(value)}: the attribute {name!r} "
                             f"holds {held}" + (f" (e.g. {name}={example})" if example else ""))
        keys.update(_key(k, v, ignore_case) for k, v in usable)

    def matches(value: Any) -> bool:
        kind = kind_of(value)
        return kind is not None and _key(kind, _plain(value), ignore_case) in keys
    return matches


# -- the values in a project file, and what each case passes down -----------------------------
def read_values(conn, entity_kind: str | None = None, entity_id: int | None = None
                ) -> dict[tuple[str, int], dict[str, Any]]:
    """The own values in the project file: every one, or those of one entity kind ("case" or
    "source"), or of one case or source. (entity kind, id) -> {name: value}, names in the
    order the values were first set (the order of a table's columns, as imported)."""
    where = [(column, value) for column, value in (("entity_kind", entity_kind),
                                                   ("entity_id", entity_id)) if value is not None]
    sql = "SELECT entity_kind, entity_id, name, type, value FROM attributes"
    if where:
        sql += " WHERE " + " AND ".join(f"{column} = ?" for column, _ in where)
    values: dict[tuple[str, int], dict[str, Any]] = {}
    for kind, eid, name, type_, value in conn.execute(
            sql + " ORDER BY id", [value for _, value in where]):  # columns in the order made
        values.setdefault((kind, eid), {})[name] = decode(type_, value)
    return values


def passed_down(case_parent: Mapping[int, int | None],
                values: Mapping[tuple[str, int], Mapping[str, Any]]
                ) -> dict[int, dict[str, tuple[Any, int]]]:
    """case id -> every value the case holds or inherits, as (value, id of the case that holds
    it): its own value wins over its parent's, the parent's over the grandparent's. What a
    sub-case or a source of the case inherits (its own values win over these)."""
    merged: dict[int, dict[str, tuple[Any, int]]] = {}
    for case_id in case_parent:
        chain, c = [], case_id
        while c is not None and c not in chain and c not in merged:
            chain.append(c)
            c = case_parent.get(c)
        held = dict(merged[c]) if c in merged else {}
        for c in reversed(chain):  # farthest first, so nearer values overwrite
            held.update((name, (value, c)) for name, value in values.get(("case", c), {}).items())
            merged[c] = dict(held)
    return merged
