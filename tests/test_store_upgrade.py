"""Upgrading old project files: every row kept, ids never reused, safe with several processes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest
from testkit import table_dump

import qualcode as qc
from qualcode.store.connection import APPLICATION_ID
from qualcode.store.schema import MIGRATIONS, SCHEMA_VERSION

# The migration that made ids AUTOINCREMENT; files from before it are what this file upgrades.
BEFORE = next(i for i, script in enumerate(MIGRATIONS) if "AUTOINCREMENT" in script)

ROWS = """
INSERT INTO project VALUES (1, 'gammel', '2012-01-01');
INSERT INTO coders VALUES (1, 'g-c1', 'ane'), (3, 'g-c3', 'bjørn');
INSERT INTO cases VALUES (1, 'g-k1', 'kontor02', 'office', NULL),
                         (2, 'g-k2', 'kontor02-A', 'person', 1);
INSERT INTO forms VALUES (4, 'FE-1', 'FE', '2012-09-12', 'v2', 'Alna', 1, 'skjema.xlsx');
INSERT INTO form_values VALUES (4, 'gjennomført', 7.5);
INSERT INTO form_items VALUES (4, 'tool', 'Kartlegging', 1, 1, 0, 2.5);
INSERT INTO sources VALUES
    (1, 'g-s1', 'int', 'transcript', 'IP: Vi får ikke tid.', 'x', 2, '2012-01-01', 'a.txt',
     'utf-8', NULL, NULL),
    (5, 'g-s5', 'FE-1 kommentar', 'form_field', 'Bra samling.', 'y', 1, '2012-01-01', NULL,
     NULL, 4, 'kommentar');
INSERT INTO turns VALUES (1, 1, 0, 'IP', 0, 20);
INSERT INTO attributes VALUES (1, 'case', 2, 'rolle', 'text', 'veileder'),
                              (2, 'source', 1, 'tid', 'number', 2);
INSERT INTO codes VALUES
    (1, 'g-d1', NULL, 'Barrierer', 'barriers', NULL, NULL, NULL, NULL, NULL, 0, 0, 'hpmt', NULL),
    (2, 'g-d2', 1, 'tid', 'time', 'Tidspress', NULL, NULL, NULL, '#d62728', 1, 0, 'hpmt',
     '["tid"]');
INSERT INTO code_groups VALUES (1, 'g-g1', 'stadium', 'stage', 1);
INSERT INTO code_group_members VALUES (1, 1, 2);
INSERT INTO codings VALUES (7, 'g-x7', 1, 4, 20, 2, 1, 'notat', 'manual', '2012-01-01');
INSERT INTO memos VALUES (1, 'g-m1', 'code', 2, 'Om tid', 'Tid er knapp.', 1, '2012-01-01',
                          '2012-01-02');
INSERT INTO measures VALUES (1, 'snitt', 'kontor', 'kontor02', 'gjennomføring', 7.1);
INSERT INTO codebooks VALUES (1, 'hpmt', 'HPMT', 'HPMT', NULL, NULL, '2012-01-01');
"""

# Rows deleted before the upgrade, with higher ids than any row left, that undo can bring back.
EVENTS = [
    [{"op": "ins", "t": "codings", "k": "id", "keys": [8, 9]}],
    [{"op": "del", "t": "codings", "rows": [{"id": 9, "guid": "g-x9"}]},
     {"op": "del", "t": "codes", "rows": [{"id": 12, "guid": "g-d12"}]}],
]


def make_old_file(path) -> None:
    """A project file as qualcode wrote it before ids were AUTOINCREMENT, with rows in every
    table (ids with gaps) and a change log naming ids above the highest left."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA journal_mode = WAL")
    for number, script in enumerate(MIGRATIONS[:BEFORE], 1):
        conn.executescript(script + f"PRAGMA user_version = {number};")
    conn.executescript(ROWS)
    conn.executemany("INSERT INTO events (at, coder, action, ops) VALUES ('2012', 'ane', 'x', ?)",
                     [[json.dumps(ops)] for ops in EVENTS])
    conn.commit()
    conn.close()


def structure(conn) -> dict:
    """Per table: columns, unique indexes and foreign keys (what a rebuild could lose)."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {t: {
        "columns": [tuple(r) for r in conn.execute(f"PRAGMA table_info({t})")],
        "indexes": sorted(
            (r["unique"], r["origin"], r["partial"],
             tuple(c["name"] for c in conn.execute(f"PRAGMA index_xinfo('{r['name']}')")
                   if c["key"]))
            for r in conn.execute(f"PRAGMA index_list({t})")),
        "named_indexes": sorted(tuple(r) for r in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL", [t])),
        "foreign_keys": sorted(tuple(r)[2:] for r in conn.execute(
            f"PRAGMA foreign_key_list({t})")),
    } for t in tables}


def test_upgrading_keeps_every_row_index_constraint_and_foreign_key(tmp_path):
    path = tmp_path / "old.qualcode"
    make_old_file(path)
    old = sqlite3.connect(path)
    old.row_factory = sqlite3.Row
    rows_before = table_dump(SimpleNamespace(conn=old))
    shape_before = structure(old)
    old.close()
    with qc.open_project(path, coder="ane") as p:
        assert p.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert {t: table_dump(p)[t] for t in rows_before} == rows_before
        shape_after = structure(p.conn)
        assert {t: shape_after[t] for t in shape_before} == shape_before
        assert p.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert p.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        # new rows get ids above any the table or its change log ever held
        assert p.add_code("ledelse").id == 13
        assert p.code_span("int", 0, 2, "Barrierer/tid").id == 10
        assert p.add_case("kontor03").id == 3
        p.delete_code("ledelse")
        assert p.add_code("opplæring").id == 14


def test_a_new_file_has_the_same_tables_as_an_upgraded_one(tmp_path):
    make_old_file(tmp_path / "old.qualcode")
    with qc.open_project(tmp_path / "old.qualcode") as old, \
            qc.create_project(tmp_path / "new.qualcode") as new:
        assert structure(old.conn) == structure(new.conn)


def test_a_partial_backup_left_by_a_killed_upgrade_is_made_again(tmp_path):
    path = tmp_path / "old.qualcode"
    make_old_file(path)
    backup = tmp_path / f"old.qualcode.schema{BEFORE}.bak"
    backup.write_bytes(path.read_bytes()[:4096])  # killed while copying: only the first page
    qc.open_project(path).close()
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == BEFORE
    assert copy.execute("SELECT count(*) FROM codings").fetchone()[0] == 1
    assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    copy.close()
    assert not list(tmp_path.glob("*.tmp"))


OPENER = textwrap.dedent("""
    import pathlib, sys, time
    import qualcode as qc
    gate = pathlib.Path(sys.argv[2])
    while not gate.exists():
        time.sleep(0.001)
    qc.open_project(sys.argv[1]).close()
""")


@pytest.mark.parametrize("round_", range(3))
def test_several_processes_opening_an_old_file_at_once_all_succeed(tmp_path, round_):
    path, gate = tmp_path / "old.qualcode", tmp_path / "go"
    make_old_file(path)
    openers = [subprocess.Popen([sys.executable, "-c", OPENER, str(path), str(gate)],
                                stderr=subprocess.PIPE, text=True) for _ in range(4)]
    gate.touch()
    errors = [o.communicate(timeout=120)[1] for o in openers]
    assert [o.returncode for o in openers] == [0] * 4, errors
    with qc.open_project(path) as p:
        assert p.conn.execute("SELECT count(*) FROM codings").fetchone()[0] == 1
