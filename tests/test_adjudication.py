"""Disagreements side by side, and settling them under an agreed coder."""

from __future__ import annotations

import pytest
from testkit import run_qualcode

import qualcode as qc
from qualcode.core.adjudication import regions

TEXT = "Lederen støttet oss. Men vi fikk ikke tid til å øve. Skjemaene hjalp likevel."


def test_regions_join_overlapping_and_touching_spans():
    assert regions([(0, 5), (20, 30)], [(3, 8), (30, 35), (50, 60)]) == [
        (0, 8, ((0, 5),), ((3, 8),)), (20, 35, ((20, 30),), ((30, 35),)),
        (50, 60, (), ((50, 60),))]


@pytest.fixture
def coded(project):
    project.add_code("ledelse")
    project.add_code("tid")
    src = project.add_source("s", TEXT)
    project.code_span(src, 0, 20, "ledelse", "kari")
    project.code_span(src, 0, 20, "ledelse", "ola")        # agreed
    project.code_span(src, 21, 52, "tid", "kari")
    project.code_span(src, 25, 52, "tid", "ola")           # differs
    project.code_span(src, 53, 77, "tid", "ola")           # ola only
    return project


def test_disagreements_side_by_side(coded):
    frame = coded.disagreements("kari,ola")
    assert frame[["code", "start", "end", "text_a", "text_b"]].values.tolist() == [
        ["tid", 21, 52, "Men vi fikk ikke tid til å øve.", "vi fikk ikke tid til å øve."],
        ["tid", 53, 77, "", "Skjemaene hjalp likevel."]]
    every = coded.disagreements("kari,ola", agreed=True)
    assert every["status"].tolist() == ["agreed", "differs", "differs"]


def test_settle_records_the_choice_under_konsensus_and_undoes(coded):
    first, second = (r for _, r in coded.disagreements("kari,ola").iterrows())
    coded.settle(first, "b")
    assert coded.settled(first) == [(25, 52)]
    coded.settle(first, "both")          # changing one's mind replaces the earlier choice
    assert coded.settled(first) == [(21, 52)]
    coded.settle(second, "neither")
    assert coded.settled(second) == []
    agreed = coded.codings(coders=["konsensus"])
    assert agreed[["code_path", "start", "end"]].values.tolist() == [["tid", 21, 52]]
    coded.undo()   # "neither" recorded nothing new: undo takes back "both"
    assert coded.settled(first) == [(25, 52)]
    with pytest.raises(qc.InvalidOperation, match="coder of its own"):
        coded.settle(first, "a", as_coder="Kari")


def test_cli_disagreements(coded, tmp_path):
    coded.close()
    out = run_qualcode("disagreements", "--coders", "kari,ola", "--format", "csv", "-p",
                       coded.path, cwd=tmp_path).stdout
    assert out.splitlines()[1].startswith("2,tid,1,s,21,52,kari,ola,")


def test_the_coders_to_compare_are_those_with_codings_less_the_agreed_one(tmp_path):
    from qualcode.core.adjudication import AGREED_CODER

    with qc.create_project(tmp_path / "s.qualcode", coder="kari") as p:
        src = p.add_source("intervju", TEXT)
        code = p.add_code("tid")
        p.coder("pelle")  # a coder with nothing coded
        p.code_span(src, 0, 10, code)
        p.code_span(src, 0, 10, code, coder="ola")
        p.code_span(src, 0, 10, code, coder=AGREED_CODER)
        assert p.coders_with_codings() == ["kari", AGREED_CODER, "ola"]
        assert p.coders_with_codings(exclude=[AGREED_CODER]) == ["kari", "ola"]
        before = p.data_version()
        with qc.open_project(p.path, coder="ola") as other:
            other.code_span(src, 11, 20, code)
        assert p.data_version() != before  # another connection's commit shows
