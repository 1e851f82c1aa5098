"""The project file: creation, pragmas, schema upgrades and refusals."""

from __future__ import annotations

import sqlite3

import pytest

import qualcode as qc
from qualcode.store.connection import APPLICATION_ID
from qualcode.store.schema import MIGRATIONS, SCHEMA_VERSION


def test_new_file_has_current_schema_wal_and_foreign_keys(project):
    conn = project.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def make_v1_file(path):
    """A project file as the first schema wrote it, with a coded source."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    conn.executescript("""
        INSERT INTO project VALUES (1, 'old', '2012-01-01');
        INSERT INTO coders VALUES (1, '00000000-0000-0000-0000-000000000001', 'ane');
        INSERT INTO sources (id, guid, name, kind, text, sha256, imported_at)
            VALUES (1, '00000000-0000-0000-0000-000000000002', 'int', 'transcript',
                    'IP: Vi får ikke tid.', 'x', '2012-01-01');
        INSERT INTO codes (id, guid, name) VALUES (1, '00000000-0000-0000-0000-000000000003', 'tid');
        INSERT INTO codings (guid, source_id, start, "end", code_id, coder_id, created_at)
            VALUES ('00000000-0000-0000-0000-000000000004', 1, 4, 20, 1, 1, '2012-01-01');
    """)
    conn.commit()
    conn.close()


def test_opening_an_older_file_upgrades_it_in_place_and_keeps_codings(tmp_path):
    path = tmp_path / "old.qualcode"
    make_v1_file(path)
    with qc.open_project(path) as p:
        assert p.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        frame = p.codings()
        assert list(frame.text) == ["Vi får ikke tid."]
        assert p.conn.execute("SELECT count(*) FROM forms").fetchone()[0] == 0
    backup = tmp_path / "old.qualcode.schema1.bak"
    assert backup.exists()
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT count(*) FROM codings").fetchone()[0] == 1


def test_a_file_from_a_newer_qualcode_is_refused_unchanged(tmp_path):
    path = tmp_path / "new.qualcode"
    qc.create_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(qc.SchemaError, match=rf"newer qualcode \(schema {SCHEMA_VERSION + 1}\)"):
        qc.open_project(path)
    assert path.read_bytes() == before


def test_other_files_are_refused_clearly(tmp_path):
    text = tmp_path / "notes.qualcode"
    text.write_text("not a database at all, just some notes " * 20)
    with pytest.raises(qc.SchemaError, match="not a qualcode project"):
        qc.open_project(text)
    other = tmp_path / "other.qualcode"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(qc.SchemaError, match="not a qualcode project"):
        qc.open_project(other)
    with pytest.raises(qc.SchemaError, match="no such project file"):
        qc.open_project(tmp_path / "missing.qualcode")
    with pytest.raises(qc.SchemaError, match="already exists"):
        qc.create_project(other)
