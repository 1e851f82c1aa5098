"""Tables over groups of codes: code × code (theme × valence, structure/actor × enabler/barrier)
and code × attribute values (Dreyfus stage × role × time point).

Rows and columns are given as code ids; each counts its sub-codes' codings too (roll-up), so a
theme with sub-themes is one row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from qualcode.analysis.cooccurrence import cooccurrence
from qualcode.analysis.frames import code_paths
from qualcode.analysis.matrix import matrix
from qualcode.store.code_tree import short_labels as labels_of_paths

CODE_VALUES = ("n12", "c", "pairs")


def code_by_code(db, rows: Sequence[int], columns: Sequence[int], *, unit: str = "overlap",
                 distance: int = 0, value: str = "n12", coders: Iterable[str] | None = None,
                 sources: Iterable[int] | None = None,
                 attributes: Mapping[str, Any] | None = None,
                 pool_coders: bool = False, coder_pairs: str | None = None) -> pd.DataFrame:
    """Rows × columns of co-occurrence `value` (n12, c or pairs) under `unit`, e.g. themes ×
    the members of the exclusive group "valens" (`coder_pairs` as in cooccurrence)."""
    if value not in CODE_VALUES:
        raise ValueError(f"value {value!r} is not one of {', '.join(CODE_VALUES)}")
    rows, columns = list(dict.fromkeys(rows)), list(dict.fromkeys(columns))
    both = list(dict.fromkeys([*rows, *columns]))
    pairs = cooccurrence(db, unit=unit, distance=distance, codes=both, roll_up=True,
                         coders=coders, sources=sources, attributes=attributes,
                         pool_coders=pool_coders, coder_pairs=coder_pairs, include_zero=True,
                         with_ids=False)
    cells: dict[tuple[int, int], Any] = {}
    for r in pairs.itertuples(index=False):
        cells[(r.code1_id, r.code2_id)] = cells[(r.code2_id, r.code1_id)] = getattr(r, value)
    labels = short_labels(db, both)
    return pd.DataFrame([[cells.get((r, c), 0) for c in columns] for r in rows],
                        index=pd.Index([labels[r] for r in rows], name="code"),
                        columns=[labels[c] for c in columns])


def code_by_attributes(db, codes: Sequence[int], by: str | Sequence[str], *,
                       value: str = "codings", coders: Iterable[str] | None = None,
                       sources: Iterable[int] | None = None,
                       attributes: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Codes (rows) × the values of one or more source attributes (columns), counting codings
    or sources: e.g. Dreyfus stages × role × time point."""
    codes = list(dict.fromkeys(codes))
    table = matrix(db, by, codes=codes, roll_up=True, value=value, coders=coders,
                   sources=sources, attributes=attributes).T
    paths, labels = code_paths(db)["path"], short_labels(db, codes)
    table = table.reindex([paths[c] for c in codes])
    table.index = pd.Index([labels[c] for c in codes], name="code")
    return table


def short_labels(db, codes: Iterable[int]) -> dict[int, str]:
    """Each code's name, or its full path where two of the codes share a name."""
    paths = code_paths(db)["path"]
    return labels_of_paths({c: paths[c] for c in codes})
