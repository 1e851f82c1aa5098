"""Opening a project file: pragmas, schema creation and upgrade, transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from qualcode.errors import SchemaError
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
    interrupted upgrade cannot lose what was coded.
    """
    path = Path(path)
    if create and path.exists():
        raise SchemaError(f"{path}: already exists; open it instead of creating it")
    if not create and not path.exists():
        raise SchemaError(f"{path}: no such project file (create one with `qualcode init {path}`)")
    conn = connect(path)
    try:
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
            _backup(conn, path.with_name(f"{path.name}.schema{version}.bak"))
        conn.execute("PRAGMA journal_mode = WAL")
        for number in range(version + 1, SCHEMA_VERSION + 1):
            _migrate(conn, number)
    except BaseException:
        conn.close()
        raise
    return Database(conn)


def _header(conn: sqlite3.Connection, path: Path) -> tuple[int, int]:
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise SchemaError(f"{path}: not a qualcode project file ({exc})") from exc
    return version, app_id


def _backup(conn: sqlite3.Connection, target: Path) -> None:
    if target.exists():
        return  # an earlier attempt already saved the file as it was before the upgrade
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()


def _migrate(conn: sqlite3.Connection, number: int) -> None:
    script = MIGRATIONS[number - 1]
    try:
        conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


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
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
