"""Matrices: cases or attribute values × codes, with counts or with the excerpts themselves.

A framework matrix (value "excerpts") puts in each cell the coded passages of that row (a case,
an office, a role ...) with that code, in text order, so a researcher can read across a row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from qualcode.analysis.excerpts import excerpts
from qualcode.analysis.filters import NOT_SET, natural_key, selected_codings
from qualcode.analysis.frames import code_paths, source_attributes
from qualcode.store.attribute_values import value_text

VALUES = ("codings", "sources", "excerpts", "coding_ids")


def matrix(db, by: str | Sequence[str] = "case", *, codes: Iterable[int] | None = None,
           descendants: bool = False, roll_up: bool = False, value: str = "codings",
           coders: Iterable[str] | None = None, sources: Iterable[int] | None = None,
           attributes: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Rows: the values of `by` (a source attribute such as office, role or time, "case", or
    "source"; several names give one row per combination); columns: codes in tree order (all
    codes that have codings, or the given `codes`); cells by `value`:
    - "codings": how many codings (the same code on the same span by one coder counts once);
    - "sources": how many sources hold the code;
    - "excerpts": the coded passages (text), in text order;
    - "coding_ids": the ids of those codings.
    Sources without a value for `by` form the row "(not set)".
    """
    if value not in VALUES:
        raise ValueError(f"value {value!r} is not one of {', '.join(VALUES)}")
    by = [by] if isinstance(by, str) else list(by)
    selection, data = selected_codings(db, codes, descendants=descendants, roll_up=roll_up,
                                       coders=coders, sources=sources, attributes=attributes)
    counted = selection.counted_as[data.code] if len(data) else np.zeros(0, dtype=np.int64)
    frame = pd.DataFrame({"coding_id": data.id, "source_id": data.source, "coder": data.coder,
                          "start": data.start, "end": data.end, "code_id": counted})
    frame = frame[frame["code_id"] >= 0]
    labels = row_labels(db, by, frame["source_id"].unique())
    for name in by:
        frame[name] = frame["source_id"].map(labels[name]).fillna(NOT_SET)
    paths = code_paths(db)["path"]
    present = set(frame["code_id"].unique())
    columns = selection.codes if codes is not None else \
        [c for c in selection.codes if c in present]
    if value == "codings":
        frame = frame.drop_duplicates(["source_id", "coder", "start", "end", "code_id"])
        table = frame.groupby([*by, "code_id"]).size().unstack("code_id", fill_value=0)
    elif value == "sources":
        table = frame.groupby([*by, "code_id"])["source_id"].nunique().unstack(
            "code_id", fill_value=0)
    else:
        frame = frame.sort_values(["source_id", "start", "end", "coding_id"])
        if value == "excerpts":  # one coder's passage and another's identical one: once
            frame = frame.drop_duplicates(["source_id", "start", "end", "code_id"])
            frame = frame.assign(cell=excerpts(db, frame["source_id"], frame["start"],
                                                  frame["end"]))
        else:
            frame = frame.assign(cell=frame["coding_id"].astype(int))
        table = frame.groupby([*by, "code_id"])["cell"].agg(list).unstack("code_id")
        table = table.map(lambda v: v if isinstance(v, list) else [])
    table = table.reindex(columns=columns, fill_value=0 if value in ("codings", "sources")
                          else None)
    if value not in ("codings", "sources"):
        table = table.map(lambda v: v if isinstance(v, list) else [])
    table = table.reindex(sorted(table.index, key=natural_key))
    table.columns = [paths[c] for c in table.columns]
    table.columns.name = "code"
    return table


def row_labels(db, by: Sequence[str], sources: Iterable[int]) -> pd.DataFrame:
    """Per source id of `sources`, the value of each name in `by` ("source" and "case"
    included)."""
    attrs = source_attributes(db, sources)
    out = pd.DataFrame(index=attrs.index)
    for name in by:
        if name == "source":
            names = dict(db.conn.execute(
                "SELECT id, name FROM sources WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps([int(i) for i in attrs.index])]).fetchall())
            out[name] = pd.Series(names, dtype="object").reindex(attrs.index)
        elif name in attrs.columns:
            out[name] = attrs[name].map(_label)
        else:
            raise ValueError(f"no source has the attribute {name!r}")
    return out


def _label(value: Any) -> str | None:
    return value_text(value) or None

