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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qualcode.store.attribute_values import is_missing, value_matcher, value_text

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

    def matcher(self, rows: Iterable[Mapping[str, Any]]) -> Callable[[str, Mapping[str, Any]],
                                                                      bool]:
        """A test of (name, attributes) against this filter, for sources whose attributes
        are among `rows`. A value no source's attribute could hold (office=Alna where
        offices are numbers) raises ValueError saying so."""
        if not (self.words or self.attributes or self.comparisons):
            return lambda name, attributes: True  # no filter: nothing to look at
        present: dict[str, list[Any]] = {}
        for attributes in rows if self.attributes else ():  # only to check a value asked for
            for key, value in attributes.items():
                present.setdefault(key.lower(), []).extend(
                    value if isinstance(value, LISTS) else [value])
        tests = {key: value_matcher(key, present.get(key, ()), [v for v in wanted if v],
                                    ignore_case=True)
                 for key, wanted in self.attributes.items()}

        def has(key: str, value: Any) -> bool:  # `office=` asks for sources without one
            if isinstance(value, LISTS):
                return any(tests[key](v) for v in value) if value else "" in self.attributes[key]
            return "" in self.attributes[key] if is_missing(value) else tests[key](value)

        def matches(name: str, attributes: Mapping[str, Any]) -> bool:
            values = {k.lower(): v for k, v in attributes.items()}
            if not all(has(key, values.get(key)) for key in tests):
                return False
            if not all(_compares(values.get(key), op, limit)
                       for key, op, limit in self.comparisons):
                return False
            if not self.words:
                return True
            haystack = [name.lower(), *(value_text(v).lower() for value in values.values()
                                        for v in (value if isinstance(value, LISTS)
                                                  else [value]))]
            return all(any(word in h for h in haystack) for word in self.words)
        return matches

    def matches(self, name: str, attributes: Mapping[str, Any]) -> bool:
        """This one source against the filter (a value its attribute cannot hold: no)."""
        try:
            return self.matcher([attributes])(name, attributes)
        except ValueError:
            return False


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
