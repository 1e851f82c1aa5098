"""Row-level change recording, the basis of undo and redo.

Every change the domain makes goes through a `Recorder` opened by `change()`. It writes the rows
and remembers, per row, what undo needs: the keys of inserted rows, the old and new values of
updated columns, the full content of deleted rows. At the end of the change the list of row
operations is stored as one `events` row, in the same transaction as the change itself.

Undo applies the inverse operations in reverse order; redo applies them again. Because the log
is at the level of rows it covers every kind of change (codings, codes, imports) in the same way.

Undo and redo only ever remove the rows their change wrote: an insert records a checksum of the
rows as written, and a delete keeps the rows themselves, so a row that someone else edited or
wrote since (ids are never reused, see the AUTOINCREMENT migration, but old files may have
reused them) makes the step refuse instead of deleting their work.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from qualcode.errors import InvalidOperation
from qualcode.store.connection import Database, now, transaction

CHUNK = 500  # keys per IN (...) clause; SQLite's variable limit is far above this


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Recorder:
    """Writes rows inside an open transaction and records how to reverse each write."""

    def __init__(self, db: Database):
        self.db = db
        self.conn = db.conn
        self.ops: list[dict[str, Any]] = []

    # -- writes -------------------------------------------------------------------------------
    def insert(self, table: str, row: dict[str, Any]) -> int:
        cols = list(row)
        sql = (f"INSERT INTO {quote(table)} ({', '.join(map(quote, cols))}) "
               f"VALUES ({', '.join('?' * len(cols))})")
        self._close_insert(table, "id", "row")
        cursor = self.conn.execute(sql, [row[c] for c in cols])
        self._note_insert(table, "id", [row.get("id", cursor.lastrowid)], "row")
        return cursor.lastrowid

    def insert_many(self, table: str, rows: Sequence[dict[str, Any]], *,
                    key: str = "id") -> None:
        """Bulk insert of rows that all have the same columns, which must include `key`.

        Undo deletes by `key` (e.g. `form_id` for a form's items), so the op stays small. Undo
        checks bulk rows by their GUID (taken from the rows given, so nothing is read back);
        rows without one by their values; rows under a parent's key belong to the parent.
        """
        if not rows:
            return
        cols = list(rows[0])
        sql = (f"INSERT INTO {quote(table)} ({', '.join(map(quote, cols))}) "
               f"VALUES ({', '.join('?' * len(cols))})")
        by = None if key != "id" else "guid" if "guid" in cols else "row"
        self._close_insert(table, key, by)
        self.conn.executemany(sql, ([r[c] for c in cols] for r in rows))
        self._note_insert(table, key, sorted({r[key] for r in rows}), by,
                          _rows_sum((r["guid"],) for r in rows) if by == "guid" else None)

    def insert_bulk(self, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> range:
        """Insert many rows with new contiguous ids; returns the ids, in the order of `rows`.

        For big batches (a whole imported project's codings): the undo record is one id range
        and a digest of the rows' GUIDs, so it stays small however many rows there are, and
        undo still checks that each row in the range is exactly a row this change wrote.
        `columns` must include "guid" and not "id".
        """
        self._close_insert()
        first = self.next_id(table)
        guid_at = list(columns).index("guid")
        digest, count = hashlib.sha256(), 0

        def numbered():
            nonlocal count
            for count, row in enumerate(rows, 1):  # noqa: B007 (count is read after the loop)
                digest.update(row[guid_at].encode() + b"\n")
                yield (first + count - 1, *row)

        sql = (f"INSERT INTO {quote(table)} (id, {', '.join(map(quote, columns))}) "
               f"VALUES ({', '.join('?' * (len(columns) + 1))})")
        self.conn.executemany(sql, numbered())
        if count:
            self.ops.append({"op": "ins", "t": table, "k": "id",
                             "range": [first, first + count - 1], "guids": digest.hexdigest()})
        return range(first, first + count)

    def next_id(self, table: str) -> int:
        """The id the next row of `table` gets: never one a deleted row had, if the table is
        AUTOINCREMENT. For callers that must know ids before inserting, inside the change."""
        top = self.conn.execute(f"SELECT ifnull(max(id), 0) FROM {quote(table)}").fetchone()[0]
        try:
            seq = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?",
                                    [table]).fetchone()
        except sqlite3.OperationalError:  # no AUTOINCREMENT table in this file
            seq = None
        return max(top, seq[0] if seq else 0) + 1

    def update(self, table: str, row_id: int, **changes: Any) -> None:
        if not changes:
            return
        cols = list(changes)
        before = self.conn.execute(
            f"SELECT {', '.join(map(quote, cols))} FROM {quote(table)} WHERE id = ?", [row_id]
        ).fetchone()
        if before is None:
            raise InvalidOperation(f"{table} {row_id} does not exist")
        before = dict(zip(cols, before, strict=True))
        if before == changes:
            return
        self._close_insert()
        _update(self.conn, table, row_id, changes)
        self.ops.append({"op": "upd", "t": table, "id": row_id, "before": before,
                         "after": changes})

    def delete(self, table: str, where: str, params: Sequence[Any] = ()) -> int:
        """Delete the rows matching `where`, keeping their full content for undo."""
        rows = [dict(r) for r in self.conn.execute(
            f"SELECT * FROM {quote(table)} WHERE {where}", params)]
        if rows:
            self._close_insert()
            self.conn.execute(f"DELETE FROM {quote(table)} WHERE {where}", params)
            self.ops.append({"op": "del", "t": table, "rows": rows})
        return len(rows)

    # -- helpers ------------------------------------------------------------------------------
    def _note_insert(self, table: str, key: str, keys: list[Any], by: str | None,
                     part: str | None = None) -> None:
        last = self.ops[-1] if self.ops else None
        if (last and last["op"] == "ins" and (last["t"], last["k"], last.get("by")) ==
                (table, key, by) and not (by == "row" and "sum" in last)):
            last["keys"].extend(keys)  # consecutive inserts into one table share one op
            if part is not None:
                last["sum"] = _add_sums(last["sum"], part)
            return
        op = {"op": "ins", "t": table, "k": key, "keys": list(keys)}
        if by is not None:
            op["by"] = by
        if part is not None:
            op["sum"] = part
        self.ops.append(op)

    def _close_insert(self, table: str | None = None, key: str | None = None,
                      by: str | None = None) -> None:
        """Checksum the rows of the latest insert op as written, before anything else writes.

        Called before every write (except more inserts joining the op) and at the end of the
        change, so that the sum describes the rows exactly as undo will find them after
        reversing the later ops of this change.
        """
        last = self.ops[-1] if self.ops else None
        if (last and last["op"] == "ins" and last.get("by") == "row" and "sum" not in last
                and (last["t"], last["k"], "row") != (table, key, by)):
            last["keys"] = _unique(last["keys"])
            last["sum"] = _rows_sum(_rows_by_key(self.conn, last))

    def finish(self) -> None:
        self._close_insert()


@contextmanager
def change(db: Database, action: str, *, coder: str | None = None,
           summary: str | None = None) -> Iterator[Recorder]:
    """A change: one transaction and one event. Nested changes join the outer one."""
    outer = getattr(db, "_qc_recorder", None)
    if outer is not None:
        yield outer
        return
    recorder = Recorder(db)
    db._qc_recorder = recorder
    try:
        with transaction(db):
            yield recorder
            recorder.finish()
            if recorder.ops:
                # A new change ends its coder's redo chain: what they undid cannot be redone.
                db.conn.execute("UPDATE events SET state = 'discarded' "
                                "WHERE state = 'undone' AND coder IS ?", [coder])
                db.conn.execute(
                    "INSERT INTO events (at, coder, action, summary, ops) VALUES (?, ?, ?, ?, ?)",
                    [now(), coder, action, summary, json.dumps(recorder.ops, ensure_ascii=False)],
                )
    finally:
        db._qc_recorder = None


# -- undo and redo ----------------------------------------------------------------------------
# Undo and redo step through one coder's own changes (or everyone's, with coder=None). Someone
# else may have changed the same rows since; then the step is refused and nothing changes.

def undo(db: Database, coder: str | None = None) -> dict[str, Any] | None:
    """Reverse the latest done event (of `coder`, if given). Returns it, or None."""
    return _step(db, coder, "undo")


def redo(db: Database, coder: str | None = None) -> dict[str, Any] | None:
    """Apply again the most recently undone event (of `coder`). Returns it, or None."""
    return _step(db, coder, "redo")


def _step(db: Database, coder: str | None, verb: str) -> dict[str, Any] | None:
    state, order, new_state = (("done", "DESC", "undone") if verb == "undo"
                               else ("undone", "ASC", "done"))
    mine = "" if coder is None else " AND coder IS ?"
    with transaction(db):
        event = db.conn.execute(
            f"SELECT id, coder, action, summary, ops FROM events WHERE state = ?{mine} "
            f"ORDER BY id {order} LIMIT 1", [state, *([] if coder is None else [coder])]
        ).fetchone()
        if event is None:
            return None
        ops = json.loads(event["ops"])
        try:
            for op in (reversed(ops) if verb == "undo" else ops):
                (_reverse if verb == "undo" else _apply)(db.conn, op)
        except (Conflict, sqlite3.IntegrityError) as exc:
            raise InvalidOperation(
                f"cannot {verb} {event['action']!r}"
                + (f" ({event['summary']})" if event["summary"] else "")
                + f": the same data was changed since ({exc}); nothing was changed") from None
        db.conn.execute("UPDATE events SET state = ?, ops = ? WHERE id = ?",
                        [new_state, json.dumps(ops, ensure_ascii=False), event["id"]])
    return {"id": event["id"], "action": event["action"], "summary": event["summary"]}


class Conflict(Exception):
    """A row is not as the event left it: someone changed it since."""


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def _reverse(conn, op: dict[str, Any]) -> None:
    table = quote(op["t"])
    if op["op"] == "ins" and "range" in op:
        op["rows"] = _take_range(conn, op)
    elif op["op"] == "ins":
        found = _rows_by_key(conn, op)
        if op["k"] == "id" and len(found) != len(op["keys"]):
            raise Conflict(f"{op['t']} rows were deleted")
        if "sum" in op:  # events from before the sums have none
            written = found if op["by"] == "row" else ((r["guid"],) for r in found)
            if _rows_sum(written) != op["sum"]:
                raise Conflict(f"{op['t']} rows were edited or replaced")
        for keys in _chunks(op["keys"]):
            conn.execute(f"DELETE FROM {table} WHERE {quote(op['k'])} IN "
                         f"({', '.join('?' * len(keys))})", keys)
        op["rows"] = [dict(r) for r in found]  # kept for redo
    elif op["op"] == "upd":
        _expect(conn, op["t"], op["id"], op["after"])
        _update(conn, op["t"], op["id"], op["before"])
    elif op["op"] == "del":
        _insert_rows(conn, op["t"], op["rows"])


def _take_range(conn, op: dict[str, Any]) -> list[dict[str, Any]]:
    """Delete the rows of a bulk insert, refusing unless they are exactly the rows written."""
    first, last = op["range"]
    rows = [dict(r) for r in conn.execute(
        f"SELECT * FROM {quote(op['t'])} WHERE id BETWEEN ? AND ? ORDER BY id", [first, last])]
    digest = hashlib.sha256()
    for row in rows:
        digest.update(row["guid"].encode() + b"\n")
    if len(rows) != last - first + 1 or digest.hexdigest() != op["guids"]:
        raise Conflict(f"{op['t']} rows were deleted or replaced")
    conn.execute(f"DELETE FROM {quote(op['t'])} WHERE id BETWEEN ? AND ?", [first, last])
    return rows


def _apply(conn, op: dict[str, Any]) -> None:
    table = quote(op["t"])
    if op["op"] == "ins":
        _insert_rows(conn, op["t"], op.pop("rows"))
    elif op["op"] == "upd":
        _expect(conn, op["t"], op["id"], op["before"])
        _update(conn, op["t"], op["id"], op["after"])
    elif op["op"] == "del":
        pk = _primary_key(conn, op["t"])
        where = " AND ".join(f"{quote(c)} = ?" for c in pk)
        for row in op["rows"]:
            found = conn.execute(f"SELECT * FROM {table} WHERE {where}",
                                 [row[c] for c in pk]).fetchone()
            if found is None:
                raise Conflict(f"{op['t']} rows were deleted")
            if dict(found) != row:  # only the very row undo put back, not a later one
                raise Conflict(f"{op['t']} rows were edited or replaced")
        conn.executemany(f"DELETE FROM {table} WHERE {where}",
                         ([r[c] for c in pk] for r in op["rows"]))


def _unique(keys: list[Any]) -> list[Any]:
    return list(dict.fromkeys(keys))


def _rows_by_key(conn, op: dict[str, Any]) -> list[sqlite3.Row]:
    rows: list[sqlite3.Row] = []
    for keys in _chunks(op["keys"]):
        rows += conn.execute(f"SELECT * FROM {quote(op['t'])} WHERE {quote(op['k'])} IN "
                             f"({', '.join('?' * len(keys))})", keys).fetchall()
    return rows


def _rows_sum(rows: Iterable[Sequence[Any]]) -> str:
    """An order-free checksum of rows: the sum of a 64-bit hash of each row's values."""
    total = 0
    for row in rows:
        digest = hashlib.blake2b(repr(tuple(row)).encode(), digest_size=8).digest()
        total += int.from_bytes(digest, "big")
    return f"{total % 2**64:016x}"


def _add_sums(a: str, b: str) -> str:
    return f"{(int(a, 16) + int(b, 16)) % 2**64:016x}"


def _expect(conn, table: str, row_id: int, values: dict[str, Any]) -> None:
    """Refuse when a row no longer holds the values the event left in it."""
    cols = list(values)
    row = conn.execute(f"SELECT {', '.join(map(quote, cols))} FROM {quote(table)} WHERE id = ?",
                       [row_id]).fetchone()
    if row is None:
        raise Conflict(f"{table} {row_id} was deleted")
    if dict(zip(cols, row, strict=True)) != values:
        raise Conflict(f"{table} {row_id} was edited")


def _insert_rows(conn, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    conn.executemany(
        f"INSERT INTO {quote(table)} ({', '.join(map(quote, cols))}) "
        f"VALUES ({', '.join('?' * len(cols))})", ([r[c] for c in cols] for r in rows))


def _update(conn, table: str, row_id: int, values: dict[str, Any]) -> None:
    assignments = ", ".join(f"{quote(c)} = ?" for c in values)
    conn.execute(f"UPDATE {quote(table)} SET {assignments} WHERE id = ?",
                 [*values.values(), row_id])


def _primary_key(conn, table: str) -> list[str]:
    cols = [(r["pk"], r["name"]) for r in conn.execute(f"PRAGMA table_info({quote(table)})")]
    return [name for pk, name in sorted(cols) if pk > 0] or ["rowid"]
