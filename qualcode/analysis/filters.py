"""Turning the filters every analysis takes (codes, coders, attributes) into ids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from qualcode.analysis.arrays import CodingArrays, read_codings
from qualcode.analysis.frames import code_paths, descendant_ids, sources_where
from qualcode.store.attribute_values import value_text

NOT_SET = "(not set)"


def natural_key(key: Any) -> tuple:
    """Sort "2" before "10" (and tuples of such), with "(not set)" and missing values last."""
    parts = key if isinstance(key, tuple) else (key,)
    out = []
    for p in parts:
        missing = p is None or p == NOT_SET or (isinstance(p, float) and p != p)
        text = "" if missing else value_text(p)
        number = text.lstrip("-").isdigit()
        out.append((missing, not number, int(text) if number else 0, text))
    return tuple(out)


def coder_ids(db, names: Iterable[str]) -> list[int]:
    names = [str(n).strip() for n in names]
    rows = db.conn.execute(
        f"SELECT id FROM coders WHERE name IN ({', '.join('?' * len(names)) or 'NULL'})", names)
    return [r[0] for r in rows]


@dataclass(frozen=True)
class CodeSelection:
    """Which codes an analysis counts, and under which code each coding is counted.

    `codes`: the counted codes in tree order. `read`: the code ids whose codings are read (None:
    all). `counted_as`: code id -> counted code id, or -1 for codes left out.
    """

    codes: list[int]
    read: list[int] | None
    counted_as: np.ndarray

    def rank_of(self) -> np.ndarray:
        """code id -> position in `codes` (or -1)."""
        rank = np.full(len(self.counted_as), -1, dtype=np.int64)
        rank[self.codes] = np.arange(len(self.codes))
        counted = self.counted_as
        return np.where(counted >= 0, rank[np.maximum(counted, 0)], -1)


def select_codes(db, codes: Iterable[int] | None = None, *, descendants: bool = False,
                 roll_up: bool = False) -> CodeSelection:
    """`codes` None: every code counts as itself. `descendants`: the given codes and every code
    below them, each as itself. `roll_up`: codings of sub-codes count as the given code they sit
    under (the nearest one, if given codes are nested)."""
    paths = code_paths(db).sort_values("sort_key")
    size = int(paths.index.max()) + 1 if len(paths) else 1
    counted_as = np.full(size, -1, dtype=np.int64)
    if codes is None:
        ids = [int(i) for i in paths.index]
        counted_as[ids] = ids
        return CodeSelection(ids, None, counted_as)
    given = list(dict.fromkeys(int(c) for c in codes))
    if roll_up:
        for code in sorted(given, key=lambda c: paths.at[c, "depth"]):
            counted_as[descendant_ids(db, [code])] = code  # deeper given codes come later
        read = [int(i) for i in np.flatnonzero(counted_as >= 0)]
        return CodeSelection(_tree_order(paths, given), read, counted_as)
    ids = descendant_ids(db, given) if descendants else given
    counted_as[ids] = ids
    return CodeSelection(_tree_order(paths, ids), list(ids), counted_as)


def _tree_order(paths: pd.DataFrame, ids: Iterable[int]) -> list[int]:
    wanted = set(ids)
    return [int(i) for i in paths.index if i in wanted]


def selected_codings(db, codes: Iterable[int] | None, *, descendants: bool, roll_up: bool,
                     coders: Iterable[str] | None, sources: Iterable[int] | None,
                     attributes: Mapping[str, Any] | None
                     ) -> tuple[CodeSelection, CodingArrays]:
    """The codes an analysis counts and the codings it reads, after every filter: coders by
    name, sources by id, and sources by their merged attributes."""
    selection = select_codes(db, codes, descendants=descendants, roll_up=roll_up)
    source_ids = None if sources is None else {int(s) for s in sources}
    if attributes:
        matching = set(sources_where(db, attributes))
        source_ids = matching if source_ids is None else source_ids & matching
    data = read_codings(db, codes=selection.read,
                        coders=None if coders is None else coder_ids(db, coders),
                        sources=None if source_ids is None else sorted(source_ids))
    return selection, data
