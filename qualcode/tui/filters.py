"""The list filters: free words and `name=value` terms, e.g. `role=HPMT-veileder time=T2`.

A word matches a row whose name or any value contains it; `name=value` needs that attribute to
equal one of the comma-separated values (`time=T1,T2`), compared as the attribute's type
(office=2 finds office 2.0, date=01.03.2012 a date, consent=ja a yes) as every filter in
qualcode compares; a list value (the tools planned on a form) matches if any entry does.
`name>=value`, `>`, `<=` and `<` compare numbers as numbers and anything else (ISO dates) as
text: `date>=2012-01 mal_oppnadd<5`. Case is ignored.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from qualcode.store.attribute_values import is_missing, value_matcher, value_text

FILTER_DELAY = 0.15  # keys closer than this are a run, filtered once a moment after its last
COMPARISON = re.compile(r"^([^=<>]+)(>=|<=|>|<)(.*)$")
LISTS = (list, tuple, set, frozenset)


@dataclass(frozen=True)
class SourceFilter:
    words: tuple[str, ...] = ()
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    comparisons: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def parse(cls, text: str) -> SourceFilter:
        words, attributes, comparisons = [], {}, []
        for term in text.split():
            compared = COMPARISON.match(term)
            if compared:
                if compared.group(3):  # "date>=" is half typed: no term yet
                    comparisons.append((compared.group(1).lower(), compared.group(2),
                                        compared.group(3)))
                continue
            name, equals, value = term.partition("=")
            if equals and name:
                attributes[name.lower()] = tuple(v for v in value.split(",") if v) or ("",)
            elif term:
                words.append(term.lower())
        return cls(tuple(words), attributes, tuple(comparisons))

    def unknown(self, known: Iterable[str]) -> list[str]:
        """Names the filter uses that no row has (a misspelling would match nothing)."""
        known = {k.lower() for k in known}
        used = set(self.attributes) | {name for name, _, _ in self.comparisons}
        return sorted(used - known)

    def active(self) -> bool:
        return bool(self.words or self.attributes or self.comparisons)

    def matcher(self, rows: Iterable[Mapping[str, Any]]) -> Callable[[str, Mapping[str, Any]],
                                                                      bool]:
        """A test of (name, attributes) against this filter, for sources whose attributes
        are among `rows`. A value no source's attribute could hold (office=Alna where
        offices are numbers) raises ValueError saying so."""
        if not self.active():
            return lambda name, attributes: True  # no filter: nothing to look at
        test = self.row_test(rows)
        return lambda name, attributes: test(FilterRow(name, attributes))

    def row_test(self, rows: Iterable[Mapping[str, Any]]) -> Callable[[FilterRow], bool]:
        """`matcher` for rows prepared once (FilterRow) and filtered many times."""
        present: dict[str, list[Any]] = {}
        for attributes in rows if self.attributes else ():  # only to check a value asked for
            for key, value in attributes.items():
                present.setdefault(key.lower(), []).extend(
                    value if isinstance(value, LISTS) else [value])
        tests = {key: value_matcher(key, present.get(key, ()), [v for v in wanted if v],
                                    ignore_case=True)
                 for key, wanted in self.attributes.items()}

        def holds(key: str, value: Any) -> bool:  # `office=` asks for sources without one
            if isinstance(value, LISTS):
                return any(tests[key](v) for v in value) if value else "" in self.attributes[key]
            return "" in self.attributes[key] if is_missing(value) else tests[key](value)

        known: dict[tuple[str, type, Any], bool] = {}  # 20,000 rows hold a few values each

        def has(key: str, value: Any) -> bool:
            if isinstance(value, list):  # the tools ticked on a form: few lists, many rows
                value = tuple(value)
            try:
                return known[key, type(value), value]  # by type too: True == 1
            except KeyError:
                known[key, type(value), value] = found = holds(key, value)
                return found
            except TypeError:  # unhashable all the same
                return holds(key, value)

        def matches(row: FilterRow) -> bool:
            values = row.values
            if not all(has(key, values.get(key)) for key in tests):
                return False
            if not all(_compares(values.get(key), op, limit)
                       for key, op, limit in self.comparisons):
                return False
            return all(word in row.text for word in self.words)
        return matches

    def matches(self, name: str, attributes: Mapping[str, Any]) -> bool:
        """This one source against the filter (a value its attribute cannot hold: no)."""
        try:
            return self.matcher([attributes])(name, attributes)
        except ValueError:
            return False


def value_examples(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One value of each Python type of each attribute of `rows`: as good as every row for
    `row_test` to see which values an attribute can hold (its types), and a long sheet
    filtered many times gives it these once instead of 100,000 values at each key."""
    seen: dict[tuple[str, type], Any] = {}
    for attributes in rows:
        for key, value in attributes.items():
            for one in value if isinstance(value, LISTS) else [value]:
                if is_missing(seen.get((key.lower(), type(one)))):
                    seen[key.lower(), type(one)] = one
    return [{key: value} for (key, _), value in seen.items()]


def unknown_warning(wanted: SourceFilter, known: Iterable[str], noun: str) -> str:
    """What the status line says of names the filter uses that no row has (`no form has
    ofice`): a misspelling would otherwise look like "nothing matches"."""
    unknown = wanted.unknown(known)
    return f"no {noun} has {', '.join(unknown)}" if unknown else ""


class FilterDelay:
    """Filters a long list at once for a key typed after a rest, and a moment (FILTER_DELAY)
    after the last key of keys typed quickly, not once per letter of a word typed fast:
    `typed()` on each change, `now()` to filter at once (enter), `cancel()` when the list is
    filtered for another reason."""

    def __init__(self, screen: Any, refill: Callable[[], None]) -> None:
        self.screen, self.refill = screen, refill
        self.pending: Any = None  # the timer of a filter typed but not run yet
        self.last_key = float("-inf")

    def typed(self) -> None:
        now = time.monotonic()
        at_rest = self.pending is None and now - self.last_key >= FILTER_DELAY
        self.last_key = now
        self.cancel()
        if at_rest:
            self.refill()
        else:
            self.pending = self.screen.set_timer(FILTER_DELAY, self.refill)

    def now(self) -> None:
        if self.pending is not None:
            self.refill()

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.stop()
            self.pending = None


class FilterRow:
    """A row as a filter sees it: its values by lower-case name, and its name and values as
    one lower-case text, a value to a line, that a word is looked for in (made when a word is
    first looked for, then kept: a sheet filtered many times prepares its rows once)."""

    __slots__ = ("name", "values", "_text")

    def __init__(self, name: str, attributes: Mapping[str, Any]) -> None:
        self.name = name
        self.values = {k.lower(): v for k, v in attributes.items()}
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:  # a word has no line break: in the text = in one value
            self._text = "\n".join([self.name.lower(), *(
                _lower_text(v) for value in self.values.values()
                for v in (value if isinstance(value, LISTS) else [value]))])
        return self._text


def _lower_text(value: Any) -> str:
    try:
        return _lower_text_of(value)
    except TypeError:  # not hashable
        return value_text(value).lower()


@lru_cache(maxsize=1 << 14, typed=True)  # a long sheet repeats a few values: True is not 1
def _lower_text_of(value: Any) -> str:
    return value_text(value).lower()


def _compares(value: Any, op: str, limit: str) -> bool:
    """`value op limit`: as numbers when both are, else as text (ISO dates sort as text)."""
    if isinstance(value, LISTS) or is_missing(value):
        return False
    text = value_text(value)
    try:
        left: Any = float(text)
        right: Any = float(limit.replace(",", "."))
    except ValueError:
        left, right = text.casefold(), limit.casefold()
    return {">=": left >= right, "<=": left <= right, ">": left > right,
            "<": left < right}[op]
