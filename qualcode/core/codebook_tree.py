"""A codebook as plain data: the tree that readers build, `load_codebook` merges into a project
and writers (YAML, .qdc, Word) write out. No database here.

The REFI-QDA `<Description>` of a code carries our definition, include/exclude rules, example,
English label and patterns in one readable layout (`describe`), which `parse_description` reads
back, so a `.qdc` round trip keeps them. A description written by another tool without our labels
is read as the definition.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from qualcode.core.model import PATH_SEP

TEXT_FIELDS = ("en", "definition", "include", "exclude", "example")


@dataclass
class CodeNode:
    name: str
    en: str | None = None
    definition: str | None = None
    include: str | None = None
    exclude: str | None = None
    example: str | None = None
    color: str | None = None
    codable: bool = True
    patterns: list[str] = field(default_factory=list)
    children: list[CodeNode] = field(default_factory=list)
    guid: str | None = None


@dataclass
class GroupSpec:
    name: str
    codes: list[str] = field(default_factory=list)  # paths from the root of the codebook
    en: str | None = None
    exclusive: bool = True
    guid: str | None = None


@dataclass
class CodebookTree:
    name: str  # machine name, stored in codes.codebook
    codes: list[CodeNode] = field(default_factory=list)
    groups: list[GroupSpec] = field(default_factory=list)
    title: str | None = None
    en: str | None = None
    description: str | None = None
    source: str | None = None
    notes: list[str] = field(default_factory=list)  # what a reader had to adjust, for the user

    def walk(self) -> Iterator[tuple[str, CodeNode]]:
        """(path, node) for every code, depth first in file order."""
        def visit(nodes: list[CodeNode], prefix: str):
            for node in nodes:
                path = f"{prefix}{PATH_SEP}{node.name}" if prefix else node.name
                yield path, node
                yield from visit(node.children, path)
        yield from visit(self.codes, "")

    def by_path(self) -> dict[str, CodeNode]:
        return dict(self.walk())


# -- the <Description> layout -----------------------------------------------------------------
DESCRIPTION_LABELS = {"include": "Include", "exclude": "Exclude", "example": "Example",
                      "en": "English label", "patterns": "Patterns"}
_LABEL_LINE = re.compile(
    r"^(" + "|".join(map(re.escape, DESCRIPTION_LABELS.values())) + r"):[ \t]?(.*)$")
_FIELD_OF_LABEL = {label: key for key, label in DESCRIPTION_LABELS.items()}


def describe(node: CodeNode) -> str:
    """The code's texts as labelled paragraphs, definition first; "" when it has none."""
    parts = [node.definition.strip()] if node.definition else []
    for key, label in DESCRIPTION_LABELS.items():
        value = "; ".join(node.patterns) if key == "patterns" else getattr(node, key)
        if value:
            parts.append(f"{label}: {value.strip()}")
    return "\n\n".join(parts)


def parse_description(text: str | None) -> dict:
    """The fields of a description written by `describe` (any text before the first label is
    the definition). Keys present only for fields that have text; patterns as a list."""
    fields: dict[str, list[str]] = {"definition": []}
    current = "definition"
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        m = _LABEL_LINE.match(line)
        if m:
            current = _FIELD_OF_LABEL[m.group(1)]
            fields[current] = [m.group(2)]
        else:
            fields.setdefault(current, []).append(line)
    out: dict = {}
    for key, lines in fields.items():
        value = "\n".join(lines).strip()
        if not value:
            continue
        out[key] = [p.strip() for p in value.split(";") if p.strip()] if key == "patterns" \
            else value
    return out


SET_EXCLUSIVE = "Exclusive"


def describe_group(group: GroupSpec) -> str:
    parts = [f"{DESCRIPTION_LABELS['en']}: {group.en}"] if group.en else []
    parts.append(f"{SET_EXCLUSIVE}: {'yes' if group.exclusive else 'no'}")
    return "\n".join(parts)


def parse_group_description(text: str | None) -> dict:
    """en and exclusive from a set's description. Sets from other tools (no "Exclusive:" line)
    are plain sets, not exclusive."""
    out: dict = {"exclusive": False}
    for line in (text or "").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == DESCRIPTION_LABELS["en"] and value.strip():
            out["en"] = value.strip()
        elif key.strip() == SET_EXCLUSIVE:
            out["exclusive"] = value.strip().lower() in ("yes", "true", "1")
    return out
