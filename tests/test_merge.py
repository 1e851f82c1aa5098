"""Merging a colleague's copy: what comes in, what is set aside, and that twice adds nothing."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest
from testkit import TRANSCRIPT, run_qualcode, table_dump

import qualcode as qc
from qualcode.store import SCHEMA_VERSION

OTHER_TEXT = "Lederen på kontoret ga oss tid til å øve. Det hjalp.\n\nMen skjemaet var tungt."


@pytest.fixture
def base(small):
    """The shared starting point: the `small` project plus a second source, saved and closed."""
    small.add_source("kontor05_T1", OTHER_TEXT)
    path = small.path
    small.close()
    return path


def copy_for(base, tmp_path, coder):
    target = tmp_path / f"{coder}.qualcode"
    shutil.copy(base, target)
    return qc.open_project(target, coder=coder)


def code_as(p, coder):
    """Each coder codes the same places a little differently."""
    shift = 0 if coder == "kari" else 3
    p.code_span("kontor02_T2", 40 + shift, 80, "Barrierer/tid")
    p.code_span("kontor05_T1", 0, 20 + shift, "Føringer/ledelse")
    if coder == "ola":
        p.code_span("kontor05_T1", 55, 70, "Barrierer/opplæring")


def test_merged_copies_give_the_agreement_of_one_project(base, tmp_path):
    kari, ola = copy_for(base, tmp_path, "kari"), copy_for(base, tmp_path, "ola")
    code_as(kari, "kari")
    code_as(ola, "ola")
    ola.close()
    report = kari.merge(tmp_path / "ola.qualcode")
    assert report.coders == ["ola"] and dict(report.codings) == {"ola": 3}
    assert report.set_aside == []
    together = copy_for(base, tmp_path, "both")
    for coder in ("kari", "ola"):
        together.coder_name = coder
        code_as(together, coder)
    for unit in ("char", "paragraph"):
        merged = kari.agreement(coders="kari,ola", unit=unit, by="source")
        direct = together.agreement(coders="kari,ola", unit=unit, by="source")
        cols = ["code", "source", "units", "both", "only_a", "only_b", "kappa"]
        assert merged[cols].equals(direct[cols])
    # twice adds nothing, and records no change
    before, events = table_dump(kari), len(kari.history())
    again = kari.merge(tmp_path / "ola.qualcode")
    assert not again.changed
    assert table_dump(kari) == before and len(kari.history()) == events


def test_new_codes_cases_attributes_and_memos_come_in_and_undo_in_one_step(base, tmp_path):
    kari, ola = copy_for(base, tmp_path, "kari"), copy_for(base, tmp_path, "ola")
    ola.add_code("tillit", "Føringer", en="trust")
    ola.add_case("kontor05", "office")
    ola.set_attribute("arm", "kontroll", case="kontor05")
    ola.set_attribute("arm", "kontroll", case="kontor02")   # kari's file says "tiltak"
    ola.add_memo("Tillit kommer igjen i flere intervjuer.", code="Føringer/tillit")
    ola.code_span("kontor05_T1", 0, 10, "Føringer/tillit")
    ola.close()
    before = table_dump(kari)
    report = kari.merge(tmp_path / "ola.qualcode")
    assert report.codes == ["Føringer/tillit"]
    assert report.cases == ["kontor05"] and report.attributes == 1 and report.memos == 1
    assert kari.code("Føringer/tillit").en == "trust"
    assert kari.attributes(case="kontor02")["arm"] == "tiltak"
    assert any("kept 'tiltak'" in c for c in report.conflicts)
    assert len(kari.codings(coders=["ola"])) == 1
    assert kari.history()[0].action == "merge"
    kari.undo()
    assert table_dump(kari) == before


def test_a_source_whose_text_differs_has_its_codings_set_aside(base, tmp_path):
    kari, ola = copy_for(base, tmp_path, "kari"), copy_for(base, tmp_path, "ola")
    ola.code_span("kontor02_T2", 40, 80, "Barrierer/tid")
    ola.code_span("kontor05_T1", 0, 20, "Føringer/ledelse")
    ola.close()
    kari.replace_source_text("kontor02_T2", "Ny tekst. " + TRANSCRIPT)
    report = kari.merge(tmp_path / "ola.qualcode")
    assert dict(report.codings) == {"ola": 1}
    assert [(s.source, s.code, s.coder) for s in report.set_aside] == [
        ("kontor02_T2", "Barrierer/tid", "ola")]
    assert report.set_aside[0].reason == "its text differs in this project"
    assert kari.codings(coders=["ola"])["source"].tolist() == ["kontor05_T1"]
    lines = report.lines()
    assert "warning: set aside 1 coding on 'kontor02_T2': its text differs" in "\n".join(lines)


def test_bad_files_are_refused_in_one_line_and_change_nothing(base, tmp_path):
    kari = copy_for(base, tmp_path, "kari")
    before = table_dump(kari)
    text_file = tmp_path / "notes.qualcode"
    text_file.write_text("not a database\n", encoding="utf-8")
    with pytest.raises(qc.SchemaError, match="not a qualcode project file"):
        kari.merge(text_file)
    plain = tmp_path / "plain.qualcode"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(qc.SchemaError, match="plain.qualcode: not a qualcode project file"):
        kari.merge(plain)
    newer = tmp_path / "newer.qualcode"
    shutil.copy(base, newer)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(qc.SchemaError, match="newer qualcode"):
        kari.merge(newer)
    assert table_dump(kari) == before
    kari.close()
    result = run_qualcode("merge", newer, "-p", kari.path, cwd=tmp_path, ok=False)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "newer qualcode" in result.stderr


def test_cli_merge_prints_what_came_in(base, tmp_path):
    kari, ola = copy_for(base, tmp_path, "kari"), copy_for(base, tmp_path, "ola")
    code_as(ola, "ola")
    ola.close()
    kari.close()
    out = run_qualcode("merge", tmp_path / "ola.qualcode", "-p", kari.path, cwd=tmp_path).stdout
    assert out.splitlines()[0] == ("merged ola.qualcode: 1 new coder (ola), 0 new codes, "
                                   "0 new cases, 0 attributes, 0 memos, 3 codings (3 by ola)")


def test_decisions_come_in_once(base, tmp_path):
    kari, ola = copy_for(base, tmp_path, "kari"), copy_for(base, tmp_path, "ola")
    kari.decide("kontor05_T1", "include", phase="screening")
    ola.decide("kontor05_T1", "exclude", phase="screening", reason="for kort")
    ola.close()
    report = kari.merge(tmp_path / "ola.qualcode")
    assert report.extra == ["1 decision"]
    assert kari.decision_of("kontor05_T1", phase="screening", coder="ola") == (
        "exclude", "for kort")
    assert not kari.merge(tmp_path / "ola.qualcode").changed


def test_a_copy_from_an_older_schema_is_read_through_an_upgraded_temporary_copy(project,
                                                                               tmp_path):
    from test_store import make_v1_file

    old = tmp_path / "old.qualcode"
    make_v1_file(old)
    text = "IP: Vi får ikke tid."
    conn = sqlite3.connect(old)   # the hash qualcode would have stored
    conn.execute("UPDATE sources SET sha256 = ?", [hashlib.sha256(text.encode()).hexdigest()])
    conn.commit()
    conn.close()
    before = old.read_bytes()
    project.add_source("int", text, kind="transcript")   # the same text: matched by hash
    report = project.merge(old)
    assert dict(report.codings) == {"ane": 1} and report.set_aside == []
    assert project.codings()[["code_path", "text", "coder"]].values.tolist() == [
        ["tid", "Vi får ikke tid.", "ane"]]
    assert old.read_bytes() == before                    # the copy itself is not upgraded
    assert not (tmp_path / "old.qualcode.schema1.bak").exists()
