"""`code --match`: whitespace-insensitive (spaces, NBSP and line breaks match each other),
--ignore-case, several occurrences need --nth or --all, and a phrase that does not occur
shows the nearest passage with its source and offsets."""

from __future__ import annotations

import pytest
from testkit import run_qualcode as run

import qualcode as qc
from qualcode.errors import InvalidOperation, NotFound

TEXT = ("IP: Vi får ikke\u00a0tid til\nveiledning, sa hun.\n"
        "I: Og lederen?\nIP: Lederen  støtter oss. Lederen er med.")


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "match.qualcode"
    with qc.create_project(path, coder="ane") as p:
        p.add_source("intervju", TEXT)
        p.add_code("tid")
        p.add_code("ledelse")
    return path


def _coded(path) -> list[str]:
    with qc.open_project(path) as p:
        return list(p.codings()["text"])


def test_spaces_nbsp_and_line_breaks_match_each_other(study):
    out = run("code", "intervju", "tid", "--match", "ikke tid til veiledning", "-p", study,
              cwd=study.parent).stdout
    assert "[11:34]" in out
    run("code", "intervju", "ledelse", "--match", "Lederen\nstøtter  oss", "-p", study,
        cwd=study.parent)
    assert _coded(study) == ["ikke\u00a0tid til\nveiledning", "Lederen  støtter oss"]


def test_case_counts_unless_ignore_case_and_the_error_says_so(study):
    bad = run("code", "intervju", "tid", "--match", "IKKE TID", "-p", study, cwd=study.parent,
              ok=False)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [
        "qualcode: error: 'IKKE TID' does not occur in 'intervju'; nearest: 'ikke tid' at "
        "[11:19] (it occurs ignoring case: --ignore-case, or ignore_case=True)"]
    run("code", "intervju", "tid", "--match", "IKKE TID", "--ignore-case", "-p", study,
        cwd=study.parent)
    assert _coded(study) == ["ikke\u00a0tid"]


def test_a_phrase_that_does_not_occur_shows_the_nearest_passage(study):
    bad = run("code", "intervju", "ledelse", "--match", "lederen støtet os", "-p", study,
              cwd=study.parent, ok=False)
    assert bad.stderr.strip().splitlines() == [
        "qualcode: error: 'lederen støtet os' does not occur in 'intervju'; nearest: "
        "'Lederen støtter oss.' at [63:84]"]
    assert _coded(study) == []


def test_several_occurrences_are_listed_unless_nth_or_all(study):
    bad = run("code", "intervju", "ledelse", "--match", "Lederen", "-p", study,
              cwd=study.parent, ok=False)
    message = bad.stderr.strip().splitlines()
    assert len(message) == 1
    assert "'Lederen' occurs 2 times in 'intervju': 1 [63:70]" in message[0]
    assert "2 [85:92]" in message[0] and "--nth N" in message[0] and "--all" in message[0]
    assert _coded(study) == []
    run("code", "intervju", "ledelse", "--match", "Lederen", "--nth", "2", "-p", study,
        cwd=study.parent)
    with qc.open_project(study) as p:
        assert [(c.start, c.end) for c in p.codings_of("intervju")] == [(85, 92)]
        with pytest.raises(InvalidOperation, match="--nth 3: 'Lederen' occurs 2 times"):
            p.phrase_spans("intervju", "Lederen", nth=3)
        assert p.phrase_spans("intervju", "lederen", ignore_case=True, every=True) == [
            (50, 57), (63, 70), (85, 92)]
        with pytest.raises(NotFound, match="nearest"):
            p.phrase_spans("intervju", "veiledningen")
