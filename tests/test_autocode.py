"""Autocoding: codebook patterns make suggestions; accepting codes them, rejecting is remembered;
coding by structure (speaker turns, form fields, attribute values) is one change each."""

from __future__ import annotations

import pytest
from testkit import run_qualcode

import qualcode as qc
from qualcode.errors import InvalidOperation

OBSERVATION = ("Kursholder: Hvem har brukt UTU siden sist? Vi tok det f.eks. i samling 2.\n"
               "Deltaker: Jeg brukte utforske–tilføre–utforske med en bruker.\n\n"
               "Kursholder: Og livshjulet?\n"
               "Deltaker: Nei, men vi oppsummerte med åpne\nspørsmål.\n")
TURNS = [("Kursholder", 12, 73), ("Deltaker", 84, 135), ("Kursholder", 149, 163),
         ("Deltaker", 174, 216)]


@pytest.fixture
def study(project):
    tools = project.add_code("verktøy", codable=False)
    project.add_code("UTU", tools, patterns=["utu", "utforske"])
    project.add_code("åpne spørsmål", tools, patterns=["åpne spørsmål", '"åpne spm"'])
    project.add_code("livshjulet", tools, patterns=["livshjul"])
    project.add_code("kursholder")
    project.add_source("samling2", OBSERVATION, kind="fieldnote", turns=TURNS)
    project.add_source("FE-0001 kommentar1", "Brukte åpne spm om jobb. Bruker var fornøyd.",
                       kind="form_field", field="kommentar1")
    project.add_source("FE-0001 kommentar2", "Usikker på UTU. Ønsker veiledning.",
                       kind="form_field", field="kommentar2")
    return project


def spans(project, suggestions):
    return [(s.source, s.code.split("/")[-1], project.source(s.source_id).text[s.start:s.end])
            for s in suggestions]


def test_autocode_suggests_sentences_and_codes_nothing(study):
    events = len(study.history())
    result = study.autocode(unit="sentence")
    assert (result.sources, result.suggested) == (3, 6)
    assert spans(study, study.suggestions()) == [
        ("FE-0001 kommentar1", "åpne spørsmål", "Brukte åpne spm om jobb."),
        ("FE-0001 kommentar2", "UTU", "Usikker på UTU."),
        ("samling2", "UTU", "Hvem har brukt UTU siden sist?"),
        ("samling2", "UTU", "Jeg brukte utforske–tilføre–utforske med en bruker."),
        ("samling2", "livshjulet", "Og livshjulet?"),
        ("samling2", "åpne spørsmål", "Nei, men vi oppsummerte med åpne\nspørsmål."),
    ]
    first = study.suggestions(codes=["verktøy/UTU"])[1]
    assert (first.words, OBSERVATION[first.word_start:first.word_end]) == ("UTU", "UTU")
    assert study.info()["codings"] == 0 and len(study.history()) == events


@pytest.mark.parametrize(("unit", "expected"), [
    ("word", ["UTU", "utforske", "utforske", "UTU"]),
    ("turn", ["Hvem har brukt UTU siden sist? Vi tok det f.eks. i samling 2.",
              "Jeg brukte utforske–tilføre–utforske med en bruker.",
              None]),
    ("paragraph", [OBSERVATION[:OBSERVATION.index("\n\n")], "Usikker på UTU. Ønsker veiledning."]),
    ("field", [OBSERVATION.strip(), "Usikker på UTU. Ønsker veiledning."]),
])
def test_each_unit_spans_what_it_says(study, unit, expected):
    study.autocode(["verktøy/UTU"], unit=unit)
    found = [t for _, _, t in spans(study, study.suggestions())]
    assert sorted(found) == sorted(e for e in expected if e is not None)
    assert {s.unit for s in study.suggestions()} == {unit}


def test_accepting_makes_auto_codings_in_one_undo_step_and_rejected_are_not_suggested_again(
        study):
    study.autocode(unit="sentence")
    open_ = study.suggestions()
    done = study.accept_suggestions([open_[0].id, open_[2].id])
    assert len(done.coding_ids) == 2 and done.refused == []
    codings = study.codings_of("samling2") + study.codings_of("FE-0001 kommentar1")
    assert sorted(c.origin for c in codings) == ["auto", "auto"]
    assert study.reject_suggestions([open_[1].id]) == 1
    assert study.autocode(unit="sentence").suggested == 0  # known: accepted, rejected, open
    assert [s.id for s in study.suggestions(state="rejected")] == [open_[1].id]
    accepted = study.suggestions(state="accepted")
    assert {s.coding_id for s in accepted} == set(done.coding_ids)
    study.undo()  # the rejection
    study.undo()  # the two acceptances, together
    assert study.info()["codings"] == 0 and len(study.suggestions()) == 6
    with pytest.raises(InvalidOperation, match="already accepted"):
        study.redo()
        study.accept_suggestions([open_[0].id])


def test_accepting_a_thousand_suggestions_is_one_undo_step(project):
    project.add_code("skalering", patterns=["skalering"])
    text = "\n".join(f"Møte {n}: vi brukte skalering fra 1 til 10." for n in range(1000))
    project.add_source("lang logg", text, kind="fieldnote")
    assert project.autocode(unit="sentence").suggested == 1000
    before = len(project.history())
    done = project.accept_suggestions(codes=["skalering"])
    assert len(done.coding_ids) == 1000 and project.info()["codings"] == 1000
    assert len(project.history()) == before + 1
    assert project.suggestions() == []
    project.undo()
    assert project.info()["codings"] == 0 and len(project.suggestions()) == 1000


def test_a_new_text_drops_what_was_suggested_for_the_old_one(study):
    study.autocode(unit="word")
    study.replace_source_text("FE-0001 kommentar2", "Ingen verktøy i dag.")
    assert "FE-0001 kommentar2" not in {s.source for s in study.suggestions()}
    study.delete_source("samling2")
    assert {s.source for s in study.suggestions()} == {"FE-0001 kommentar1"}


def test_autocode_refuses_codes_it_cannot_use(study):
    with pytest.raises(InvalidOperation, match="no patterns"):
        study.autocode(["kursholder"])
    with pytest.raises(InvalidOperation, match="category"):
        study.autocode(["verktøy"])
    with pytest.raises(InvalidOperation, match="unit 'setning'"):
        study.autocode(unit="setning")


def test_coding_by_structure_is_one_change_each(study, tmp_path):
    ids = study.code_turns("kursholder", "kursholder")
    turns = [(c.start, c.end) for c in study.codings_of("samling2")]
    assert len(ids) == 2 and turns == [(12, 73), (149, 163)]
    assert {c.origin for c in study.codings_of("samling2")} == {"auto"}
    assert len(study.code_fields("kommentar2", "verktøy/UTU")) == 1
    coded = study.codings_of("FE-0001 kommentar2")[0]
    assert (coded.start, coded.end) == (0, len("Usikker på UTU. Ønsker veiledning."))
    study.undo()
    assert study.codings_of("FE-0001 kommentar2") == []
    study.undo()
    assert study.info()["codings"] == 0
    study.set_attribute("rolle", "kursholder", source="samling2")
    assert len(study.code_sources_where({"rolle": "kursholder"}, "kursholder")) == 1
    with pytest.raises(InvalidOperation, match="speakers: Deltaker, Kursholder"):
        study.code_turns("Intervjuer", "kursholder")
    with pytest.raises(InvalidOperation, match="fields: kommentar1, kommentar2"):
        study.code_fields("kommentar3", "kursholder")


def test_autocode_and_review_on_the_command_line(study, tmp_path):
    study.close()
    out = run_qualcode("autocode", "--code", "verktøy/UTU", "--unit", "word", cwd=tmp_path,
                       env={"QUALCODE_CODER": "ane"})
    assert "4 new suggestions" in out.stdout
    listed = run_qualcode("suggestions", "--format", "csv", cwd=tmp_path).stdout
    assert listed.count("verktøy/UTU") == 4
    run_qualcode("suggestions", "--reject", "1", cwd=tmp_path)
    accepted = run_qualcode("suggestions", "--accept", "all", cwd=tmp_path,
                            env={"QUALCODE_CODER": "ane"})
    assert "accepted 3" in accepted.stdout
    run_qualcode("autocode", "--code", "kursholder", "--speaker", "Kursholder", cwd=tmp_path)
    with qc.open_project(tmp_path / "study.qualcode") as p:
        assert [c.origin for c in p.codings_of("samling2")] == ["auto"] * 5  # 3 words, 2 turns
        assert [s.state for s in p.suggestions(state=None)] == [
            "rejected", "accepted", "accepted", "accepted"]
    bad = run_qualcode("autocode", "--code", "kursholder", cwd=tmp_path, ok=False)
    assert bad.returncode == 1 and "no patterns" in bad.stderr
