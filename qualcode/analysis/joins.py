"""Joining any table with imported measures (e.g. office-level survey means).

Measures are keyed by a case name or an attribute value (`measures.key_name`, `key_value`).
Keys are compared as text with whole numbers written plainly, so an office given as 5, 5.0 or
"5" finds the measures of office "5".
"""

from __future__ import annotations

import pandas as pd

from qualcode.analysis.filters import natural_key
from qualcode.store.attribute_values import value_text


def key_text(value) -> str | None:
    text = value_text(value)
    if not text:
        return None
    try:  # "05" and "5" are the same office
        return str(int(text))
    except ValueError:
        return text


def measures_table(db, key: str | None = None, dataset: str | None = None) -> pd.DataFrame:
    """Measures as a table: index = key values (as text), one column per measure. `key` picks
    the datasets keyed by that name (e.g. "office"); a measure name found in two datasets is
    written "dataset: name"."""
    sql = "SELECT dataset, key_name, key_value, name, value FROM measures"
    where, params = [], []
    if key is not None:
        where.append("key_name = ?")
        params.append(key)
    if dataset is not None:
        where.append("dataset = ?")
        params.append(dataset)
    sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    long = pd.read_sql_query(sql, db.conn, params=params)
    if long.empty:
        return pd.DataFrame(index=pd.Index([], name=key or "key"))
    twice = long.groupby("name")["dataset"].nunique()
    long["column"] = [f"{d}: {n}" if twice[n] > 1 else n
                      for d, n in zip(long["dataset"], long["name"], strict=True)]
    long["key"] = long["key_value"].map(key_text)
    table = long.pivot_table(index="key", columns="column", values="value", aggfunc="first",
                             sort=False)
    table = table.reindex(columns=list(dict.fromkeys(long["column"])))
    table = table.reindex(sorted(table.index, key=natural_key))
    table.index.name, table.columns.name = key or "key", None
    return table


def join_measures(frame: pd.DataFrame, db, on: str, *, key: str | None = None,
                  dataset: str | None = None) -> pd.DataFrame:
    """`frame` with the measures keyed by `key` (default: `on`) added as columns, matched on
    the column or index level `on`. Rows without measures get empty cells."""
    measures = measures_table(db, key or on, dataset)
    if on in frame.columns:
        keys = frame[on]
    elif on in (frame.index.names or []):
        keys = frame.index.get_level_values(on).to_series(index=frame.index)
    else:
        raise ValueError(f"the table has no column or index level {on!r}")
    matched = measures.reindex(keys.map(key_text).to_numpy())
    matched.index = frame.index
    clash = [c for c in matched.columns if c in frame.columns]
    matched = matched.rename(columns={c: f"{c} (measure)" for c in clash})
    return pd.concat([frame, matched], axis=1)
