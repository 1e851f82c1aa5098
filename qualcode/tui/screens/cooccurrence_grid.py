"""The code × code grid of the matrix screen's co-occurrence mode, from p.cooccurrence: which
codes it shows, their short labels, and n12 per pair (what `qualcode query cooccurrence`
prints). No widgets here: the screen draws the grid."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qualcode.store.code_tree import CodeTree

UNITS = (("overlap", 0), ("within", 200), ("turn", 0), ("source", 0), ("case", 0))
"""What `u` steps through: (unit, distance) as p.cooccurrence takes them."""
CODER_PAIRS = ("within", "pooled", "any")
LABEL_CHARS = 24
"""A row label's name is cut here so the labels and ten columns fit in 80 columns."""
LABEL_CHARS_WIDE = 40


def unit_text(unit: str, distance: int) -> str:
    if unit == "within":
        return f"within {distance} characters"
    return "overlapping" if unit == "overlap" else f"in the same {unit}"


@dataclass
class CodeChoice:
    """Which codes a matrix shows: every code (None) or a code with its sub-codes; rolled up,
    the code's children (or the top level) each counting its sub-codes' codings."""

    code_id: int | None = None
    roll_up: bool = False

    def options(self, tree: CodeTree) -> dict[str, Any]:
        """The `codes` / `descendants` / `roll_up` arguments of p.cooccurrence and p.matrix."""
        if self.roll_up:
            level = tree.children.get(self.code_id, ()) or (
                (self.code_id,) if self.code_id is not None else ())
            return {"codes": list(level), "roll_up": True}
        if self.code_id is not None:
            return {"codes": [self.code_id], "descendants": True}
        return {}

    def text(self, tree: CodeTree) -> str:
        """Short enough for the heading at 80 columns: the code by its name."""
        if self.code_id is None:
            return "top-level codes rolled up" if self.roll_up else "every code"
        name = tree.short_labels([self.code_id])[self.code_id].rsplit("/", 1)[-1]
        return f"{name}'s children rolled up" if self.roll_up else f"{name} and sub-codes"


@dataclass
class Grid:
    """Codes in tree order with the pairs' rows of p.cooccurrence (by the two code ids)."""

    codes: list[int] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)
    paths: dict[int, str] = field(default_factory=dict)
    pairs: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    coded: dict[int, int] = field(default_factory=dict)
    """n1 of each code (codings, or units holding it)."""

    @classmethod
    def of(cls, frame, tree: CodeTree, label_chars: int = LABEL_CHARS) -> Grid:
        """From p.cooccurrence: the codes that co-occur (with `codes` given, every one of them
        that has codings), each labelled by its name (its path where two share one)."""
        rows = frame.drop(columns="coding_ids").to_dict("records")
        pairs = {}
        coded: dict[int, int] = {}
        for row in rows:
            first, second = int(row["code1_id"]), int(row["code2_id"])
            pairs[first, second] = pairs[second, first] = row
            coded[first], coded[second] = int(row["n1"]), int(row["n2"])
        rank = tree.rank()
        codes = sorted((c for c, n in coded.items() if n), key=lambda c: rank.get(c, -1))
        paths = {c: tree.path[c] for c in codes}
        labels = {c: clip(name, label_chars) for c, name in tree.short_labels(codes).items()}
        return cls(codes, labels, paths, pairs, coded)

    def together(self, first: int, second: int) -> int:
        row = self.pairs.get((first, second))
        return int(row["n12"]) if row else 0

    def row_label(self, index: int) -> str:
        return f"{index + 1:>{len(str(len(self.codes)))}} {self.labels[self.codes[index]]}"


def clip(name: str, chars: int) -> str:
    """A long name cut at its end; a path (two codes share the name) at its start, so the
    name itself stays."""
    if len(name) <= chars:
        return name
    if "/" in name:
        return "…" + name[-(chars - 1):]
    return name[:chars - 1] + "…"
