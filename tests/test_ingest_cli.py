"""`qualcode import ...` run as a user runs it: a real process on the demo study's files."""

from __future__ import annotations

from pathlib import Path

from testkit import run_qualcode as run

import qualcode as qc

DEMO = Path(__file__).parents[1] / "corpora" / "hpmt_demo"




def test_import_the_demo_study_from_the_command_line(tmp_path):
    run("init", "studie", cwd=tmp_path)
    out = run("import", "transcripts", DEMO / "transcripts", DEMO / "observations",
              "--attributes", DEMO / "attributes.csv", cwd=tmp_path).stdout
    assert out.splitlines() == ["read 13 files (UTF-8: 13); speaker turns in 13 (425 turns)",
                                f"read {DEMO / 'attributes.csv'} (CSV, ','-separated, UTF-8)",
                                "added 17 cases, 13 sources, 55 attribute values"]
    out = run("import", "forms", DEMO / "fe_forms.csv", cwd=tmp_path).stdout
    assert out.splitlines() == [
        f"read {DEMO / 'fe_forms.csv'} (CSV, ';'-separated, UTF-8 with BOM, mapping hpmt_fe; "
        "versions 2011-09 (314), 2012-02 (1,358))",
        "added 5 cases, 1,672 forms, 1,437 comments"]
    result = run("import", "measures", DEMO / "measures.csv", "--key", "office", cwd=tmp_path)
    assert result.stdout.splitlines()[-1] == "added 54 values of 3 measures for 18 office keys"
    assert "warning: columns of words" in result.stderr
    again = run("import", "transcripts", DEMO / "transcripts", cwd=tmp_path).stdout
    assert "unchanged, already in the project: fm-veileder_T2" in again
    with qc.open_project(tmp_path / "studie.qualcode") as p:
        assert p.info()["forms"] == 1672 and len(p.sources(kind="transcript")) == 11
        # The forms found the office cases the sheet made, so comments inherit the arm.
        comment = p.source("FE-00005 kommentar1")
        assert p.attributes(source=comment) == {"arm": "tiltak", "office": 2}


def test_a_bad_file_gives_one_line_and_exit_status_1(tmp_path):
    run("init", "studie", cwd=tmp_path)
    bad = tmp_path / "fe.csv"
    bad.write_text("skjema_id|dato\nFE-1|01.02.2012\n", encoding="utf-8")
    result = run("import", "forms", bad, cwd=tmp_path, ok=False)
    assert result.returncode == 1
    assert result.stderr == (f"qualcode: error: {bad}, row 1: cannot tell the separator: the "
                             "header row has no ';', ',' or tab (it looks separated by '|'); "
                             "save the file as CSV with ';' or ','\n")


def test_speaker_labels_in_prose_are_text_unless_named_with_speakers(tmp_path):
    folder = tmp_path / "dokumenter"
    folder.mkdir()
    (folder / "rapport.txt").write_text(
        "Kunnskapsoversikt\n\ni: Austin et al. 2006 fant ingen effekt.\n\n"
        + "Mer tekst om funnene. " * 200 + "\n", encoding="utf-8")
    (folder / "samtale.txt").write_text("A: Hei.\nB: Hallo.\nA: Hvordan går det?\n",
                                        encoding="utf-8")
    run("init", "studie", cwd=tmp_path)
    result = run("import", "transcripts", folder, cwd=tmp_path)
    assert result.stdout.splitlines()[0] == "read 2 files (UTF-8: rapport.txt, samtale.txt); " \
                                            "speaker turns in 0 (0 turns)"
    assert "warning: rapport.txt: 'i:' (line 3) begins only one line, so it is read as text, " \
           "not as a speaker turn (name speakers with --speakers)\n" in result.stderr
    with qc.open_project(tmp_path / "studie.qualcode") as p:
        assert p.turns(p.source("rapport")) == []
    run("init", "named", cwd=tmp_path)
    run("import", "transcripts", folder / "samtale.txt", "--speakers", "A,B",
        "-p", tmp_path / "named.qualcode", cwd=tmp_path)
    with qc.open_project(tmp_path / "named.qualcode") as p:
        assert [t.speaker for t in p.turns(p.source("samtale"))] == ["A", "B", "A"]
