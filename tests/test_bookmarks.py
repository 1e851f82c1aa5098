"""Bookmarks: set, listed, relabelled and removed as one undo step each; they follow a replaced
text or are reported lost; they go with their source; a merge brings them in once; an old
project file gains them without losing anything."""

from __future__ import annotations

import shutil
import sqlite3
from types import SimpleNamespace

import pytest
from testkit import run_qualcode, table_dump

import qualcode as qc
from qualcode.errors import InvalidOperation, NotFound
from qualcode.store.connection import APPLICATION_ID
from qualcode.store.schema import MIGRATIONS, SCHEMA_VERSION

TEXT = ("I: Hvordan var den første samlingen?\n"
        "IP: Det ble for mange verktøy på én gang. Vi fikk ikke tid.\n"
        "I: Og veiledningen?\n"
        "IP: Lederen vår støttet oss, så det gikk bedre etter hvert.\n")


@pytest.fixture
def study(tmp_path):
    p = qc.create_project(tmp_path / "study.qualcode", coder="ane")
    p.add_source("kontor02_T2", TEXT)
    p.add_source("kontor05_T1", "Lederen ga oss tid.\n\nMen skjemaet var tungt.")
    yield p
    p.close()


def reopened(p):
    return qc.open_project(p.path, coder=p.coder_name)


def test_a_bookmark_is_kept_in_the_file_with_its_place_label_coder_and_line(study):
    at = TEXT.index("Lederen")
    mark = study.add_bookmark("kontor02_T2", at, "  ledelse   hjelper ")
    study.add_bookmark("kontor05_T1", 0)
    study.add_bookmark("kontor02_T2", 0, coder="bo")
    with reopened(study) as again:
        marks = again.bookmarks()
        assert [(m.source, m.offset, m.line, m.label, m.coder) for m in marks] == [
            ("kontor02_T2", 0, 1, None, "bo"),
            ("kontor02_T2", at, 4, "ledelse hjelper", "ane"),
            ("kontor05_T1", 0, 1, None, "ane")]
        assert again.bookmark(mark.id) == mark
        assert [m.offset for m in again.bookmarks("kontor02_T2", coder="ane")] == [at]


def test_each_change_is_one_undo_step(study):
    empty = table_dump(study)
    mark = study.add_bookmark("kontor02_T2", 5, "start")
    after_add = table_dump(study)
    study.edit_bookmark(mark.id, "begynnelsen")
    assert study.bookmark(mark.id).label == "begynnelsen"
    study.remove_bookmark(mark.id)
    assert study.bookmarks() == []
    assert study.undo().action == "remove bookmark"
    assert study.bookmark(mark.id).label == "begynnelsen"
    assert study.undo().action == "edit bookmark"
    assert table_dump(study) == after_add
    assert study.undo().action == "add bookmark"
    assert table_dump(study) == empty
    study.redo()
    assert study.bookmark(mark.id).label == "start"


def test_bad_bookmarks_are_refused_and_change_nothing(study):
    before, events = table_dump(study), len(study.history())
    for args, message in [((len(TEXT) + 1,), "outside the text"), ((-1,), "outside the text"),
                          (("3",), "outside the text"),
                          ((3, "x" * 81), "at most 80 characters"),
                          ((3, "a\x1bb"), "control character")]:
        with pytest.raises(InvalidOperation, match=message):
            study.add_bookmark("kontor02_T2", *args)
    study.add_bookmark("kontor02_T2", 3)
    with pytest.raises(InvalidOperation, match="already"):
        study.add_bookmark("kontor02_T2", 3, "igjen")
    with pytest.raises(InvalidOperation, match="by its id"):
        study.bookmark("3")
    with pytest.raises(NotFound):
        study.remove_bookmark(999)
    study.undo()
    assert table_dump(study) == before and len(study.history()) == events + 1


def test_a_replaced_text_moves_bookmarks_with_their_words_and_reports_the_lost(study):
    kept = study.add_bookmark("kontor02_T2", TEXT.index("Lederen"), "ledelse")
    at_end = study.add_bookmark("kontor02_T2", len(TEXT))  # after the last character
    reworded = study.add_bookmark("kontor02_T2", TEXT.index("Det ble"))  # its words changed
    lost = study.add_bookmark("kontor02_T2", TEXT.index("Og veil"), "spørsmål", coder="bo")
    new = "Intervju 3. mars.\n\n" + TEXT.replace(
        "Det ble for mange verktøy på én gang. Vi fikk ikke tid.", "(uhørbart)").replace(
        "Og veiledningen?", "Hva med råd?")
    before = table_dump(study)
    done = study.replace_source_text("kontor02_T2", new)
    assert (done.bookmarks_kept, [(b.bookmark_id, b.label, b.line, b.coder)
                                  for b in done.lost_bookmarks]) == (
        3, [(lost.id, "spørsmål", 3, "bo")])
    assert "3 bookmarks kept, 1 could not be kept" in done.describe()
    assert f"lost bookmark {lost.id} 'spørsmål' by bo at line 3" in done.describe()
    with reopened(study) as again:
        assert again.bookmark(kept.id).offset == new.index("Lederen")
        assert again.bookmark(at_end.id).offset == len(new)
        assert again.bookmark(reworded.id).offset == new.index("(uhørbart)")  # words before it
        with pytest.raises(NotFound):
            again.bookmark(lost.id)
    study.undo()  # the replacement and what it did to the bookmarks: one step
    assert table_dump(study) == before


def test_deleting_a_source_takes_its_bookmarks_and_undo_brings_them_back(study):
    study.add_bookmark("kontor05_T1", 4, "her")
    before = table_dump(study)
    study.delete_source("kontor05_T1")
    assert study.bookmarks() == []
    study.undo()
    assert table_dump(study) == before


def test_a_merge_brings_in_a_colleagues_bookmarks_once(study, tmp_path):
    study.add_bookmark("kontor02_T2", 10, "begge")
    study.close()
    shutil.copy(study.path, tmp_path / "bo.qualcode")
    bo = qc.open_project(tmp_path / "bo.qualcode", coder="bo")
    bo.add_bookmark("kontor05_T1", 8, "tid")
    bo.add_source("kontor09_T1", "Bare i kopien.")
    bo.add_bookmark("kontor09_T1", 0, "borte")
    bo.close()
    with qc.open_project(study.path, coder="ane") as ane:
        report = ane.merge(tmp_path / "bo.qualcode")
        assert "1 bookmark" in report.lines()[0]
        assert any("bookmark 'borte' on 'kontor09_T1' left out" in c for c in report.conflicts)
        assert [(m.source, m.offset, m.label, m.coder) for m in ane.bookmarks()] == [
            ("kontor02_T2", 10, "begge", "ane"), ("kontor05_T1", 8, "tid", "bo")]
        before = table_dump(ane)
        assert "bookmark" not in ane.merge(tmp_path / "bo.qualcode").lines()[0]
        assert table_dump(ane) == before


def test_an_old_project_file_gains_bookmarks_and_keeps_every_row(tmp_path):
    """A file from the qualcode before bookmarks, with data in it, opened by this one."""
    before_bookmarks = next(i for i, m in enumerate(MIGRATIONS) if "CREATE TABLE bookmarks" in m)
    path = tmp_path / "old.qualcode"
    with qc.create_project(tmp_path / "template.qualcode", coder="ane") as p:
        p.add_source("int", TEXT)
        p.add_code("tid")
        p.code_span("int", 4, 20, "tid")
        p.add_memo("Om tid.", source="int")
        template = table_dump(p)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA journal_mode = WAL")
    for number, script in enumerate(MIGRATIONS[:before_bookmarks], 1):
        conn.executescript(script + f"PRAGMA user_version = {number};")
    conn.execute("ATTACH DATABASE ? AS template", [str(tmp_path / "template.qualcode")])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in template:  # (rows the migrations wrote, e.g. decision options, are there)
        if table in tables and not table.startswith(("sources_fts", "sqlite_")):
            conn.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM template.{table}")
    conn.commit()
    conn.execute("DETACH DATABASE template")
    conn.close()
    old = sqlite3.connect(path)
    old.row_factory = sqlite3.Row
    rows_before = table_dump(SimpleNamespace(conn=old))
    old.close()
    assert rows_before["codings"] and rows_before["memos"]
    with qc.open_project(path, coder="ane") as p:
        assert p.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert {t: table_dump(p)[t] for t in rows_before} == rows_before
        mark = p.add_bookmark("int", TEXT.index("IP"), "svar")
        assert p.bookmarks() == [mark] and mark.line == 2
        assert p.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_cli_lists_bookmarks_as_a_table_csv_or_json(study):
    study.add_bookmark("kontor02_T2", TEXT.index("Lederen"), "ledelse")
    study.add_bookmark("kontor05_T1", 0, coder="bo")
    folder = study.path.parent
    table = run_qualcode("bookmarks", "-p", study.path, cwd=folder).stdout
    assert "ledelse" in table and "kontor05_T1" in table
    csv = run_qualcode("bookmarks", "kontor02_T2", "--format", "csv", "-p", study.path,
                       cwd=folder).stdout.splitlines()
    assert csv[0] == "id,source,line,offset,label,coder,created_at,words"
    assert csv[1].startswith(f"1,kontor02_T2,4,{TEXT.index('Lederen')},ledelse,ane,")
    assert csv[1].endswith(',"Lederen vår støttet oss, så det gikk bedre etter hvert."')
    assert len(csv) == 2
    assert "no bookmarks in kontor05_T1 by ane" in run_qualcode("bookmarks", "kontor05_T1", "--coder", "ane",
                                                 "-p", study.path, cwd=folder).stdout
    bad = run_qualcode("bookmarks", "kontor9", "-p", study.path, cwd=folder, ok=False)
    assert bad.returncode != 0 and "no source 'kontor9'" in bad.stderr


def test_blind_mode_lists_only_your_bookmarks_but_a_new_text_moves_everyones(study):
    """As the reader and the bookmarks screen do: `qualcode bookmarks` shows only the current
    coder's in blind mode, and naming another coder is refused. Replacing a text still moves
    (or reports lost) every coder's bookmarks."""
    study.add_bookmark("kontor02_T2", TEXT.index("Lederen"), "ledelse")
    theirs = study.add_bookmark("kontor02_T2", TEXT.index("Det ble"), "verktøy", coder="bo")
    study.set_blind(True)
    folder, env = study.path.parent, {"QUALCODE_CODER": "ane"}
    rows = run_qualcode("bookmarks", "--format", "csv", "-p", study.path, cwd=folder,
                        env=env).stdout.splitlines()
    assert len(rows) == 2 and ",ledelse,ane," in rows[1]
    refused = run_qualcode("bookmarks", "--coder", "bo", "-p", study.path, cwd=folder,
                           env=env, ok=False)
    assert refused.returncode == 1 and "ane sees only their own bookmarks, not bo's" in \
        refused.stderr
    assert [m.label for m in study.bookmarks()] == ["ledelse"]
    done = study.replace_source_text("kontor02_T2", "Intervju 3. mars.\n\n" + TEXT)
    assert done.bookmarks_kept == 2
    study.set_blind(False)
    assert study.bookmark(theirs.id).offset == len("Intervju 3. mars.\n\n") + theirs.offset
    rows = run_qualcode("bookmarks", "--format", "csv", "-p", study.path, cwd=folder,
                        env=env).stdout.splitlines()
    assert len(rows) == 3
