"""Blind mode on the command line: only your own codings, and a note saying so."""

from __future__ import annotations

import csv
import io

from testkit import run_qualcode


def test_query_and_blind_verb(small, tmp_path):
    small.code_span("kontor02_T2", 3, 30, "Barrierer/tid", "ane")
    small.code_span("kontor02_T2", 40, 60, "Barrierer/tid", "ola")
    path = small.path
    small.close()
    assert run_qualcode("blind", "on", "-p", path, cwd=tmp_path).stdout == "blind mode is on\n"
    seen = run_qualcode("query", "codings", "--format", "csv", "-p", path, cwd=tmp_path,
                        env={"QUALCODE_CODER": "ola"})
    assert "note: blind mode is on: ola sees only their own codings" in seen.stderr
    counted = run_qualcode("codes", "--format", "csv", "-p", path, cwd=tmp_path,
                           env={"QUALCODE_CODER": "ola"})
    assert "counts here are every coder's" in counted.stderr
    tid = next(r for r in csv.DictReader(io.StringIO(counted.stdout))
               if r["path"] == "Barrierer/tid")
    assert tid["codings"] == "2"  # ane's and ola's: the lead counts everyone's
    assert [row["coder"] for row in csv.DictReader(io.StringIO(seen.stdout))] == ["ola"]
    refused = run_qualcode("query", "codings", "--coder", "ane", "-p", path, cwd=tmp_path,
                           env={"QUALCODE_CODER": "ola"}, ok=False)
    assert refused.returncode == 1 and "blind mode is on" in refused.stderr
    run_qualcode("blind", "off", "-p", path, cwd=tmp_path)
    every = run_qualcode("query", "codings", "--format", "csv", "-p", path, cwd=tmp_path,
                         env={"QUALCODE_CODER": "ola"})
    assert every.stderr == "" and len(every.stdout.splitlines()) == 3


def test_a_qdpx_export_in_blind_mode_holds_only_your_codings(small, tmp_path):
    import qualcode as qc

    small.code_span("kontor02_T2", 3, 30, "Barrierer/tid", "ane")
    small.code_span("kontor02_T2", 40, 60, "Barrierer/tid", "ola")
    small.set_blind(True)
    path = small.path
    small.close()
    with qc.open_project(path, coder="ola") as p:
        p.export_qdpx(tmp_path / "ola.qdpx")
    with qc.create_project(tmp_path / "copy.qualcode", coder="lead") as copy:
        copy.import_qdpx(tmp_path / "ola.qdpx")
        assert [(c.start, c.end) for c in copy.all_codings()] == [(40, 60)]


def test_counts_see_every_coder_unless_a_coder_looks(small):
    """The lead's counts (command line, Python) are the team's in blind mode; where a coder
    codes (blind_counts: the terminal UI sets it) they are the coder's own."""
    import pytest

    import qualcode as qc

    small.code_span("kontor02_T2", 3, 30, "Barrierer/tid", "ane")
    small.code_span("kontor02_T2", 40, 60, "Barrierer/tid", "ola")
    small.code_span("kontor02_T2", 70, 90, "Barrierer/tid", "ola")
    small.set_blind(True)
    small.coder_name = "ane"
    source = small.source("kontor02_T2").id

    def counts():
        tid = small.code_counts().set_index("path").loc["Barrierer/tid"]
        return (int(tid["codings"]), small.source_coding_counts()[source],
                int(small.matrix("source").loc["kontor02_T2", "Barrierer/tid"]))

    assert counts() == (3, 3, 3)
    assert small.code_counts(coders=["ola"]).set_index("path").at["Barrierer/tid",
                                                                   "codings"] == 2
    small.blind_counts = True
    assert counts() == (1, 1, 1)
    with pytest.raises(qc.InvalidOperation, match="blind mode is on: ane sees only"):
        small.source_coding_counts(coders=["ola"])
    small.set_blind(False)
    assert counts() == (3, 3, 3)


def test_an_id_does_not_reach_another_coders_memo_or_bookmark_in_blind_mode(small):
    """The lists hide other coders' memos and bookmarks in blind mode; asking by id is
    refused as well (it read, edited and deleted them), and your own stay reachable."""
    import pytest

    import qualcode as qc

    theirs = small.add_memo("Kodet tid overalt i dette intervjuet.", source="kontor02_T2",
                            coder="ane")
    mark = small.add_bookmark("kontor02_T2", 3, "her", coder="ane")
    small.coder_name = "ola"
    mine = small.add_memo("Mitt notat.", source="kontor02_T2")
    small.set_blind(True)
    for reach in (lambda: small.memo(theirs.id),
                  lambda: small.edit_memo(theirs.id, "Endret."),
                  lambda: small.delete_memo(theirs.id),
                  lambda: small.bookmark(mark.id),
                  lambda: small.edit_bookmark(mark.id, "ny"),
                  lambda: small.remove_bookmark(mark.id)):
        with pytest.raises(qc.InvalidOperation, match="blind mode is on: .* another coder's"):
            reach()
    assert small.memo(mine.id).text == "Mitt notat."
    assert small.edit_memo(mine.id, "Mitt notat, endret.").text == "Mitt notat, endret."
    small.set_blind(False)
    assert small.memo(theirs.id).text == "Kodet tid overalt i dette intervjuet."
    assert small.bookmark(mark.id).label == "her"
