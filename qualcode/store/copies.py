"""Reading another project file (a colleague's copy) without changing it."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qualcode.errors import SchemaError
from qualcode.store.connection import APPLICATION_ID, _header, _migrate
from qualcode.store.schema import SCHEMA_VERSION


@contextmanager
def read_copy(path: str | Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to another project file at this schema version.

    A copy from an older qualcode is upgraded in a temporary copy, so the file itself is never
    written; a file that is not a project, or from a newer qualcode, is refused in one line.
    """
    path = Path(path)
    if not path.is_file():
        raise SchemaError(f"{path}: no such project file")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        version, app_id = _header(conn, path)
        if app_id != APPLICATION_ID:
            raise SchemaError(f"{path}: not a qualcode project file")
        if version > SCHEMA_VERSION:
            raise SchemaError(f"{path}: written by a newer qualcode (schema {version}); this "
                              f"qualcode reads schema {SCHEMA_VERSION} and older")
        if version == SCHEMA_VERSION:
            yield conn
            return
        with tempfile.TemporaryDirectory() as folder:
            upgraded = sqlite3.connect(str(Path(folder) / "copy.qualcode"),
                                       isolation_level=None)
            try:
                conn.backup(upgraded)
                for number in range(version + 1, SCHEMA_VERSION + 1):
                    _migrate(upgraded, number)
                upgraded.row_factory = sqlite3.Row
                yield upgraded
            finally:
                upgraded.close()
    finally:
        conn.close()
