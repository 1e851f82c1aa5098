"""The sources filter: free words and `attribute=value` terms, e.g. `role=HPMT-veileder time=T2`.

A word matches a source whose name or any attribute value contains it; `name=value` needs that
attribute to equal one of the comma-separated values (`time=T1,T2`). Case is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceFilter:
    words: tuple[str, ...] = ()
    attributes: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> SourceFilter:
        words, attributes = [], {}
        for term in text.split():
            name, equals, value = term.partition("=")
            if equals and name:
                attributes[name.lower()] = frozenset(
                    v.lower() for v in value.split(",") if v) or frozenset({""})
            elif term:
                words.append(term.lower())
        return cls(tuple(words), attributes)

    def matches(self, name: str, attributes: Mapping[str, Any]) -> bool:
        values = {k.lower(): _text(v) for k, v in attributes.items()}
        for key, wanted in self.attributes.items():
            if values.get(key) not in wanted:
                return False
        haystack = [name.lower(), *values.values()]
        return all(any(word in h for h in haystack) for word in self.words)


def _text(value: Any) -> str:
    if value is None or value != value:  # None or NaN: no value
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).lower()
