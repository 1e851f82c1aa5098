"""Opening a project file: pragmas, schema creation and upgrade, transactions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from qualcode.errors import Busy, SchemaError
from qualcode.store.schema import MIGRATIONS, SCHEMA_VERSION

APPLICATION_ID = 0x51434445  # "QCDE": marks a file as a qualcode project
BUSY_TIMEOUT_MS = 30_000


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are opened explicitly by `transaction()`."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class Database:
    """An open project file: its one sqlite3 connection.

    sqlite-utils' Database would serve, but importing sqlite_utils loads pandas and numpy
    (0.4-0.8 s), which `qualcode --help` and `qualcode info` cannot afford; we used only its
    `.conn`. Scripts can still wrap the connection: `sqlite_utils.Database(p.conn)`.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn


def open_database(path: str | Path, *, create: bool = False) -> Database:
    """Open (or create) a project file, upgrading its schema in place if it is older.

    Before an upgrade the file is copied to `<name>.schema<N>.bak`, so that even a failed or
    interrupted upgrade cannot lose what was coded. Several processes may open an old file at
    once: each migration re-reads the version under the write lock and skips what is done.
    """
    path = Path(path)
    if create and path.exists():
        raise SchemaError(f"{path}: already exists; open it instead of creating it")
    if not create and not path.exists():
        raise SchemaError(f"{path}: no such project file (create one with `qualcode init {path}`)")
    conn = connect(path)
    try:
        with _busy_as_error(conn, path):
            return _open(conn, path, create)
    except BaseException:
        conn.close()
        raise


def _open(conn: sqlite3.Connection, path: Path, create: bool) -> Database:
    version, app_id = _header(conn, path)
    if create:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    elif app_id != APPLICATION_ID:
        raise SchemaError(f"{path}: not a qualcode project file")
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"{path}: written by a newer qualcode (schema {version}); this qualcode reads "
            f"schema {SCHEMA_VERSION} and older. Upgrade qualcode to open it."
        )
    if 0 < version < SCHEMA_VERSION:
        _backup(conn, path, version)
    conn.execute("PRAGMA journal_mode = WAL")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        _migrate(conn, number)
    return Database(conn)


def check_file(conn: sqlite3.Connection) -> list[str]:
    """SQLite's own checks of the whole file: every page, index and foreign key. One line per
    problem found; [] when the file is sound."""
    try:
        found = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        problems = [] if found == ["ok"] else found
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"row {rowid} of {table} refers to a missing row of {parent}")
    except sqlite3.DatabaseError as exc:
        problems = [f"the file cannot be read through ({exc})"]
    return problems


def _header(conn: sqlite3.Connection, path: Path) -> tuple[int, int]:
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise SchemaError(f"{path}: not a qualcode project file ({exc})") from exc
    return version, app_id


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Copy the file as it is before the upgrade to `<name>.schema<version>.bak`.

    The copy is written under a temporary name, checked, then renamed: a backup that exists
    is complete. One left by an older qualcode killed mid-copy fails the check and is redone.
    """
    target = path.with_name(f"{path.name}.schema{version}.bak")
    if _sound_copy(target, version):
        return  # an earlier attempt already saved the file as it was before the upgrade
    temp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    conn.execute("BEGIN")  # one read snapshot for the version, the page count and the copy
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != version:
            return  # another process upgraded the file meanwhile, after backing it up
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        dest = sqlite3.connect(str(temp))
        try:
            conn.backup(dest)
        finally:
            dest.close()
    except sqlite3.Error as exc:
        temp.unlink(missing_ok=True)
        raise SchemaError(f"{path}: cannot back it up before upgrading it ({exc}); "
                          "nothing was changed") from exc
    finally:
        conn.execute("ROLLBACK")
    if not _sound_copy(temp, version, pages):
        temp.unlink(missing_ok=True)
        raise SchemaError(f"{path}: the backup {target.name} before upgrading it came out "
                          "incomplete (is the disk full?); nothing was changed")
    os.replace(temp, target)


def _sound_copy(path: Path, version: int, pages: int | None = None) -> bool:
    """Whether `path` is a whole, undamaged qualcode file of this schema version."""
    if not path.exists():
        return False
    try:
        copy = sqlite3.connect(str(path))
        try:
            state = copy.execute("PRAGMA quick_check").fetchone()[0]
            found = [copy.execute(f"PRAGMA {name}").fetchone()[0]
                     for name in ("user_version", "application_id", "page_count")]
        finally:
            copy.close()
    except sqlite3.DatabaseError:
        return False
    return (state == "ok" and found[:2] == [version, APPLICATION_ID]
            and (found[2] == pages if pages is not None else found[2] > 0))


def _migrate(conn: sqlite3.Connection, number: int) -> None:
    """Apply migration `number` in one write transaction, unless another process just did."""
    # Foreign keys are off during a migration: rebuilding a table drops one that others refer to
    # (SQLite ignores this pragma inside a transaction, so it is set before BEGIN).
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
            conn.execute("ROLLBACK")
            return
        for statement in _statements(MIGRATIONS[number - 1]):
            conn.execute(statement)
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken:
            raise SchemaError(f"upgrading to schema {number} left a row of {broken[0]} "
                              f"pointing to a missing row of {broken[2]}; nothing was changed")
        conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a script, one at a time (a trigger body is part of its statement).

    `executescript` would commit the transaction that holds the write lock, so a migration runs
    statement by statement inside it.
    """
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One write transaction (BEGIN IMMEDIATE); nested calls become savepoints."""
    conn = db.conn
    if conn.in_transaction:
        conn.execute("SAVEPOINT qc_nested")
        try:
            yield db
        except BaseException:
            conn.execute("ROLLBACK TO qc_nested")
            conn.execute("RELEASE qc_nested")
            raise
        conn.execute("RELEASE qc_nested")
        return
    with _busy_as_error(conn):
        conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    with _busy_as_error(conn):
        conn.execute("COMMIT")


@contextmanager
def _busy_as_error(conn: sqlite3.Connection, path: str | Path | None = None) -> Iterator[None]:
    """SQLite's "database is locked" after the busy timeout becomes a one-line `Busy`."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if path is None:
            path = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"),
                        "the project file")
        raise Busy(f"{path}: another program has been writing to this project for "
                   f"{BUSY_TIMEOUT_MS // 1000} s or more, so qualcode could not; nothing was "
                   "changed, try again when it is done") from None
