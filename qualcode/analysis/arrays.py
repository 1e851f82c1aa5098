"""Codings as numpy columns, read fast enough for a million rows.

Fetching a million rows through sqlite3 makes a million Python tuples (about a second). Instead
SQLite packs each row into one or two integers and joins them into one text per column with
`group_concat`; numpy parses those texts in a few milliseconds. Offsets fit in 30 bits (SQLite's
longest text is 10^9 bytes), so (source, coder, start) and (end, code) each pack into 63 bits.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

POSITION_BITS = 30
CHUNK_IDS = 8_000_000  # rows per query, so that no concatenated text nears SQLite's length limit
PARALLEL_FROM = 200_000  # from this many ids on, two connections read half each, side by side


@dataclass(frozen=True)
class CodingArrays:
    """One entry per coding, in no particular order."""

    id: np.ndarray
    source: np.ndarray
    coder: np.ndarray
    start: np.ndarray
    end: np.ndarray
    code: np.ndarray

    def __len__(self) -> int:
        return len(self.id)

    def take(self, index: np.ndarray) -> CodingArrays:
        return CodingArrays(*(getattr(self, f)[index] for f in FIELDS))


FIELDS = ("id", "source", "coder", "start", "end", "code")


def _bits(value: int | None) -> int:
    return max(1, int(value or 0).bit_length())


def _parse(text: str | None) -> np.ndarray:
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, sep=",", dtype=np.int64)


def _in_list(column: str, values: Iterable[int] | None, params: list) -> str | None:
    if values is None:
        return None
    params.append(json.dumps([int(v) for v in values]))
    return f"{column} IN (SELECT value FROM json_each(?))"


def read_codings(db, *, codes: Iterable[int] | None = None, coders: Iterable[int] | None = None,
                 sources: Iterable[int] | None = None) -> CodingArrays:
    """The codings (optionally only these code, coder and source ids) as int64 columns."""
    conn = db.conn
    params: list = []
    where = [w for w in (_in_list("code_id", codes, params), _in_list("coder_id", coders, params),
                         _in_list("source_id", sources, params)) if w]
    max_source = conn.execute("SELECT max(id) FROM sources").fetchone()[0]
    max_coder = conn.execute("SELECT max(id) FROM coders").fetchone()[0]
    max_code = conn.execute("SELECT max(id) FROM codes").fetchone()[0]
    # two queries: min() and max() together would scan the table instead of reading one row
    low = conn.execute("SELECT min(id) FROM codings").fetchone()[0]
    high = conn.execute("SELECT max(id) FROM codings").fetchone()[0]
    if low is None:
        return CodingArrays(*(np.zeros(0, dtype=np.int64) for _ in FIELDS))
    coder_bits = _bits(max_coder)
    packed = _bits(max_source) + coder_bits + POSITION_BITS <= 63 and _bits(max_code) <= 31
    if packed:
        columns = (f"(source_id << {coder_bits + POSITION_BITS}) | (coder_id << {POSITION_BITS})"
                   f" | start", '("end" << 32) | code_id', "id")
    else:  # ids too large to pack (never made by qualcode itself): one column each
        columns = ("source_id", "coder_id", "start", '"end"', "code_id", "id")
    sql = (f"SELECT {', '.join(f'group_concat({c})' for c in columns)} FROM codings WHERE "
           + " AND ".join(where + ["id BETWEEN ? AND ?"]))
    rows = _run_ranges(db, sql, params, _id_ranges(low, high))
    cols = [np.concatenate([_parse(row[k]) for row in rows]) for k in range(len(columns))]
    if not packed:
        source, coder, start, end, code, ids = cols
        return CodingArrays(ids, source, coder, start, end, code)
    w1, w2, ids = cols
    position_mask = (1 << POSITION_BITS) - 1
    return CodingArrays(
        id=ids,
        source=w1 >> (coder_bits + POSITION_BITS),
        coder=(w1 >> POSITION_BITS) & ((1 << coder_bits) - 1),
        start=w1 & position_mask,
        end=w2 >> 32,
        code=w2 & 0xFFFFFFFF,
    )


def _id_ranges(low: int, high: int) -> list[tuple[int, int]]:
    parts = max(1, -(-(high - low + 1) // CHUNK_IDS))
    if parts == 1 and high - low + 1 >= PARALLEL_FROM:
        parts = 2
    bounds = np.linspace(low, high + 1, parts + 1).astype(np.int64)
    return [(int(a), int(b) - 1) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _run_ranges(db, sql: str, params: list, ranges: list[tuple[int, int]]) -> list[tuple]:
    """Run `sql` once per id range. SQLite lets go of the GIL while it works, so with a second
    connection to the same file two ranges are read at once (on two cores, in about half the
    time). Inside an open transaction the second connection would not see its changes, so then
    (and for in-memory databases) one connection reads them all."""
    conn = db.conn
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    if len(ranges) < 2 or conn.in_transaction or not path:
        return [conn.execute(sql, [*params, *r]).fetchone() for r in ranges]
    other = sqlite3.connect(path, check_same_thread=False)
    try:
        with ThreadPoolExecutor(2) as pool:
            halves = [ranges[0::2], ranges[1::2]]
            jobs = [pool.submit(lambda c, rs: [c.execute(sql, [*params, *r]).fetchone()
                                               for r in rs], c, rs)
                    for c, rs in zip((conn, other), halves, strict=True)]
            done = [job.result() for job in jobs]
    finally:
        other.close()
    rows = [None] * len(ranges)
    rows[0::2], rows[1::2] = done
    return rows
