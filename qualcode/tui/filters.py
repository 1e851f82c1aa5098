"""The sources filter: free words and `attribute=value` terms, e.g. `role=HPMT-veileder time=T2`.

A word matches a source whose name or any attribute value contains it; `name=value` needs that
attribute to equal one of the comma-separated values (`time=T1,T2`), compared as the
attribute's type (office=2 finds office 2.0, date=01.03.2012 a date, consent=ja a yes) as every
filter in qualcode compares. Case is ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qualcode.store.attribute_values import is_missing, value_matcher, value_text


@dataclass(frozen=True)
class SourceFilter:
    words: tuple[str, ...] = ()
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> SourceFilter:
        words, attributes = [], {}
        for term in text.split():
            name, equals, value = term.partition("=")
            if equals and name:
                attributes[name.lower()] = tuple(v for v in value.split(",") if v) or ("",)
            elif term:
                words.append(term.lower())
        return cls(tuple(words), attributes)

    def matcher(self, rows: Iterable[Mapping[str, Any]]) -> Callable[[str, Mapping[str, Any]],
                                                                      bool]:
        """A test of (name, attributes) against this filter, for sources whose attributes
        are among `rows`. A value no source's attribute could hold (office=Alna where
        offices are numbers) raises ValueError saying so."""
        present: dict[str, list[Any]] = {}
        for attributes in rows:
            for key, value in attributes.items():
                present.setdefault(key.lower(), []).append(value)
        tests = {key: value_matcher(key, present.get(key, ()), [v for v in wanted if v],
                                    ignore_case=True)
                 for key, wanted in self.attributes.items()}

        def has(key: str, value: Any) -> bool:  # `office=` asks for sources without one
            return "" in self.attributes[key] if is_missing(value) else tests[key](value)

        def matches(name: str, attributes: Mapping[str, Any]) -> bool:
            values = {k.lower(): v for k, v in attributes.items()}
            if not all(has(key, values.get(key)) for key in tests):
                return False
            haystack = [name.lower(), *(value_text(v).lower() for v in values.values())]
            return all(any(word in h for h in haystack) for word in self.words)
        return matches

    def matches(self, name: str, attributes: Mapping[str, Any]) -> bool:
        """This one source against the filter (a value its attribute cannot hold: no)."""
        try:
            return self.matcher([attributes])(name, attributes)
        except ValueError:
            return False
