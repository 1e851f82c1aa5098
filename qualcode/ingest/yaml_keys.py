"""YAML files the user writes by hand (form mappings, codebooks): line numbers by place in the
data, and one message for a key that is not allowed where it stands (a misspelt key must never be
ignored silently)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import yaml


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases (`*name`): nine lines of them can stand for a billion
    values (the "billion laughs"), and a codebook or mapping written by hand does not need
    them."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "an alias (*name) is not allowed in this file: write the value "
                            "out where it is needed", mark)
        return super().compose_node(parent, index)


def load_with_lines(text: str) -> tuple[object, LineMap | None]:
    """The data in a YAML text and the line of each of its places; raises yaml.YAMLError
    (also for an alias, see _NoAliasLoader)."""
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, LineMap(node) if node is not None else None


class LineMap:
    """Line numbers of the YAML nodes, by path in the data (keys and list indexes); a key itself
    is at (*path, "key:", key)."""

    def __init__(self, root: yaml.Node):
        self.lines: dict[tuple, int] = {}
        self.duplicates: list[tuple[tuple, int, str]] = []
        self._visit(root, ())

    def _visit(self, node: yaml.Node, at: tuple) -> None:
        self.lines[at] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for key_node, value_node in node.value:
                key = key_node.value
                if key in seen:
                    self.duplicates.append((at, key_node.start_mark.line + 1,
                                            f"key {key!r} appears twice"))
                seen.add(key)
                self.lines[(*at, "key:", key)] = key_node.start_mark.line + 1
                self._visit(value_node, (*at, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._visit(item, (*at, i))

    def line(self, at: tuple) -> int | None:
        """The line of `at`, or of the nearest place that contains it."""
        while at not in self.lines and at:
            at = at[:-1]
        return self.lines.get(at)


def unknown_key(key: object, allowed: Iterable[str]) -> str:
    """`unknown key 'sinse' (did you mean 'since'?); allowed here: item, slug, ...`"""
    allowed = list(allowed)
    hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.5)
    did = f" (did you mean {hint[0]!r}?)" if hint else ""
    return f"unknown key {str(key)!r}{did}; allowed here: {', '.join(allowed)}"
