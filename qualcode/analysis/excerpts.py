"""Excerpts: the coded passages, exactly `text[start:end]` of their source.

The one place excerpts are cut, for the codings DataFrame (and so the Word, XLSX and CSV exports
and the TUI's retrieval) and the framework matrix. Each source's text is read once, however many
codings it has: cutting each excerpt in SQL (`substr` per row) makes SQLite read the whole text
again for every coding, which on a 3 MB transcript with 20,000 codings took 45 s instead of a few
hundredths of a second.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np


def excerpts(db, source_ids: Sequence[int], starts: Sequence[int], ends: Sequence[int]
             ) -> list[str]:
    """`text[start:end]` of each (source id, start, end), in the order given. `db`: a project
    database or an sqlite3 connection (such as a colleague's copy being merged)."""
    conn = getattr(db, "conn", db)
    source_ids = np.asarray(source_ids, dtype=np.int64)
    if not len(source_ids):
        return []
    order = np.argsort(source_ids, kind="stable")  # each source's codings together
    by_source = source_ids[order]
    starts = np.asarray(starts, dtype=np.int64)[order].tolist()
    ends = np.asarray(ends, dtype=np.int64)[order].tolist()
    present, first = np.unique(by_source, return_index=True)
    bounds = dict(zip(present.tolist(), zip(first.tolist(), [*first[1:].tolist(), len(order)],
                                            strict=True), strict=True))
    cut = np.empty(len(order), dtype=object)
    rows = conn.execute(  # one text in memory at a time
        "SELECT id, text FROM sources WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(present.tolist())])
    for source_id, text in rows:
        lo, hi = bounds[source_id]
        cut[lo:hi] = [text[a:b] for a, b in zip(starts[lo:hi], ends[lo:hi], strict=True)]
    out = np.empty(len(order), dtype=object)
    out[order] = cut
    return out.tolist()
