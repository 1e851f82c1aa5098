"""Many sources as one change: `p.add_sources`, and the importers that use it."""

from __future__ import annotations

import json

import pytest
from testkit import table_dump

from qualcode.errors import InvalidOperation, NotFound
from qualcode.ingest.transcripts import import_transcripts


def ops_of_last_event(project) -> list[dict]:
    return json.loads(project.conn.execute(
        "SELECT ops FROM events ORDER BY id DESC LIMIT 1").fetchone()[0])


def items(n: int) -> list[dict]:
    """Sources with Windows newlines and a turn per line (offsets into the normalised text)."""
    out = []
    for i in range(n):
        question, answer = f"I: Spørsmål {i}?", f"IP: Svar {i}."
        out.append({"name": f"intervju{i:03d}", "text": f"{question}\r\n{answer}\r\n",
                    "turns": [("I", 0, len(question)),
                              ("IP", len(question) + 1, len(question) + 1 + len(answer))]})
    return out


def test_many_sources_are_one_change_with_one_insert_record_per_table(project):
    office = project.add_case("kontor02", "office")
    before = len(project.history())
    ids = project.add_sources([{**item, "case": "kontor02"} for item in items(300)])
    assert len(ids) == 300 and len(project.history()) == before + 1
    assert project.history(1)[0].action == "add sources"
    assert project.history(1)[0].summary == "300 sources"
    ops = ops_of_last_event(project)
    assert [(op["op"], op["t"]) for op in ops] == [("ins", "sources"), ("ins", "turns")]
    assert ops[0]["range"] == [ids[0], ids[-1]] and ids == list(range(ids[0], ids[-1] + 1))
    source = project.source("intervju007")
    assert source.id == ids[7] and source.case_id == office.id
    assert source.text == "I: Spørsmål 7?\nIP: Svar 7.\n"  # newlines normalised
    assert [(t.speaker, source.text[t.start:t.end]) for t in project.turns(source)] == [
        ("I", "I: Spørsmål 7?"), ("IP", "IP: Svar 7.")]
    project.undo()
    assert project.sources() == [] and project.conn.execute(
        "SELECT count(*) FROM turns").fetchone()[0] == 0
    project.redo()
    assert len(project.sources()) == 300 and len(project.turns("intervju299")) == 2


@pytest.mark.parametrize(("bad", "message"), [
    ({"name": "intervju001", "text": "igjen"}, "a source named 'intervju001' is given twice "
                                               "(sources 2 and 4)"),
    ({"name": "kontor02_T2", "text": "x"}, "a source named 'kontor02_T2' already exists"),
    ({"name": "  ", "text": "x"}, "source 4: a source needs a name"),
    ({"name": "ny", "text": None}, "source 4 ('ny'): the text must be a string, not NoneType"),
    ({"name": "ny", "text": "x", "kind": "video"}, "source 4 ('ny'): source kind 'video' is not"),
    ({"name": "ny", "text": "x", "speaker": "IP"}, "source 4: unknown field 'speaker'"),
    ({"name": "ny", "text": "kort", "turns": [("IP", 0, 50)]},
     "source 4 ('ny'): turn 1 (0-50) is outside the text"),
])
def test_a_bad_item_is_named_and_nothing_is_added(small, bad, message):
    before = table_dump(small)
    with pytest.raises(InvalidOperation, match=message.replace("(", r"\(").replace(")", r"\)")):
        small.add_sources([*items(3), bad])
    assert table_dump(small) == before


def test_an_unknown_case_adds_nothing(small):
    before = table_dump(small)
    with pytest.raises(NotFound, match="no case 'kontor99'"):
        small.add_sources([*items(2), {"name": "ny", "text": "x", "case": "kontor99"}])
    assert table_dump(small) == before


def test_add_source_is_the_same_path_and_still_one_event(project):
    project.add_source("en", "tekst\r\n", turns=[("IP", 0, 5)])
    assert project.history(1)[0].action == "add source"
    assert [(op["op"], op["t"]) for op in ops_of_last_event(project)] == [
        ("ins", "sources"), ("ins", "turns")]
    with pytest.raises(InvalidOperation, match="^a source named 'en' already exists$"):
        project.add_source("en", "igjen")


def test_a_folder_import_adds_its_sources_in_one_insert_record(project, tmp_path):
    for i in range(5):
        (tmp_path / f"intervju{i}.txt").write_text(f"I: Hei {i}?\nIP: Hei.\nI: Og?\nIP: Ja.\n",
                                                    encoding="utf-8")
    report = import_transcripts(project, [tmp_path])
    assert report.added["sources"] == 5
    ops = ops_of_last_event(project)
    assert [(op["op"], op["t"]) for op in ops] == [("ins", "sources"), ("ins", "turns")]
    assert ops[0]["range"][1] - ops[0]["range"][0] == 4


def test_form_comments_become_sources_through_the_same_checks(project):
    project.add_source("FE-1 kommentar", "finnes fra før")
    before = table_dump(project)
    with pytest.raises(InvalidOperation, match="a source named 'FE-1 kommentar' already exists"):
        project.add_forms([{"key": "FE-1", "texts": {"kommentar": "Det gikk bra."}}])
    assert table_dump(project) == before
    project.add_forms([{"key": "FE-2", "texts": {"kommentar": "Det gikk\r\nbra.", "annet": " "}}])
    source = project.source("FE-2 kommentar")
    assert (source.kind, source.text, source.field) == ("form_field", "Det gikk\nbra.", "kommentar")
    assert [s.name for s in project.sources(kind="form_field")] == ["FE-2 kommentar"]
