"""Finding words and phrases across a project: p.find, its index, and `qualcode find`."""

from __future__ import annotations

import json

import pytest
from testkit import run_qualcode

import qualcode as qc
from qualcode.core.locations import Locator
from qualcode.errors import InvalidOperation
from qualcode.ingest.turns import find_turns

INTERVIEW = ("I: Hvordan bruker dere verktøyene?\n"
             "IP: Vi stiller åpne\nspørsmål, og veilederen oppsummerer. Lederen er med.\n"
             "I: Og UTU?\n"
             "IP: UTU-verktøyet brukte veilederne mye, f.eks. med åpne\u00a0spørsmål.\n")
TIMED = ("[00:00:05] I: Hvordan startet dere?\n\n"
         "[00:00:12] IP: Vi startet med skjemaene.\n[00:01:40] Så kom skjemaene igjen.\n\n"
         "[00:02:03] I: Og skjemaene nå?\n\n"
         "[00:02:30] IP: Nå går det bra.\n")
COMMENT = "Åpne  spørsmål fungerte. Veiledere i fylket ga råd om smarte mål."


@pytest.fixture
def study(project):
    office = project.add_case("kontor05", "office")
    project.set_attribute("arm", "tiltak", case=office)
    project.add_source("intervju_k05", INTERVIEW, case=office)
    project.add_source("FE-0001 kommentar1", COMMENT, kind="form_field")
    project.add_source("notat", "Ingen treff her, bare ledere og veiledning.", kind="fieldnote")
    return project


def found(hits):
    return [(h.source, h.text) for h in hits]


def test_a_phrase_is_found_across_line_breaks_nbsp_and_double_spaces_in_any_case(study):
    hits = study.find("åpne spørsmål")
    assert found(hits) == [("FE-0001 kommentar1", "Åpne  spørsmål"),
                           ("intervju_k05", "åpne\nspørsmål"),
                           ("intervju_k05", "åpne\u00a0spørsmål")]
    first = hits[1]
    assert INTERVIEW[first.start:first.end] == "åpne\nspørsmål"
    assert first.context == ("…bruker dere verktøyene? IP: Vi stiller [åpne spørsmål], og "
                             "veilederen oppsummerer. Lederen er…")
    assert found(study.find("Åpne spørsmål", case_sensitive=True)) == [
        ("FE-0001 kommentar1", "Åpne  spørsmål")]


def test_a_hit_starts_where_a_word_starts(study):
    assert found(study.find("leder")) == [("intervju_k05", "Leder"), ("notat", "leder")]
    assert found(study.find("veiled")) == [
        ("FE-0001 kommentar1", "Veiled"), ("intervju_k05", "veiled"), ("intervju_k05", "veiled"),
        ("notat", "veiled")]


def test_stem_search_finds_the_forms_of_a_word_and_not_other_words(study):
    assert found(study.find("veileder", stem=True)) == [
        ("FE-0001 kommentar1", "Veiledere"), ("intervju_k05", "veilederen"),
        ("intervju_k05", "veilederne")]
    assert found(study.find("smart mål", stem=True)) == [("FE-0001 kommentar1", "smarte mål")]
    assert found(study.find("åpne spørsmål", stem=True, kinds=["transcript"])) == [
        ("intervju_k05", "åpne\nspørsmål"), ("intervju_k05", "åpne\u00a0spørsmål")]


def test_regular_expressions(study):
    assert found(study.find(r"\butu\b")) == []  # not a regex unless asked: no such text
    assert found(study.find(r"\bUTU\b", regex=True)) == [
        ("intervju_k05", "UTU"), ("intervju_k05", "UTU")]
    assert found(study.find(r"veileder\w+", regex=True, case_sensitive=True)) == [
        ("intervju_k05", "veilederen"), ("intervju_k05", "veilederne")]
    with pytest.raises(InvalidOperation, match="not a regular expression"):
        study.find("(åpne", regex=True)
    with pytest.raises(InvalidOperation, match="cannot be combined"):
        study.find("x", regex=True, stem=True)


def test_filters_narrow_the_sources_searched(study):
    assert {h.source for h in study.find("åpne spørsmål", kinds=["form_field"])} == {
        "FE-0001 kommentar1"}
    assert {h.source for h in study.find("åpne", attributes={"arm": "tiltak"})} == {
        "intervju_k05"}
    assert study.find("åpne", sources=["notat"]) == []
    study.add_code("verktøy")
    study.code_span("FE-0001 kommentar1", 0, 4, "verktøy")
    assert {h.source for h in study.find("åpne", codes=["verktøy"])} == {"FE-0001 kommentar1"}
    with pytest.raises(InvalidOperation, match="attribute 'armm'"):
        study.find("åpne", attributes={"armm": "tiltak"})
    with pytest.raises(InvalidOperation, match="kind"):
        study.find("åpne", kinds=["intervju"])
    assert len(study.find("veiled", limit=2)) == 2


def index_in_step(project) -> bool:
    try:
        project.conn.execute(
            "INSERT INTO sources_fts (sources_fts, rank) VALUES ('integrity-check', 1)")
    except Exception:  # noqa: BLE001 (SQLITE_CORRUPT_VTAB when the index differs from the text)
        return False
    return True


def test_the_index_follows_imports_replaced_texts_deletes_undo_and_redo(study):
    assert index_in_step(study)
    study.replace_source_text("notat", "Nå nevner notatet livshjulet.")
    assert found(study.find("livshjulet")) == [("notat", "livshjulet")]
    assert study.find("veiledning") == []
    study.undo()
    assert study.find("livshjulet") == [] and found(study.find("veiledning")) == [
        ("notat", "veiledning")]
    study.delete_source("notat")
    assert study.find("veiledning") == []
    study.undo()
    assert found(study.find("veiledning")) == [("notat", "veiledning")]
    study.redo()
    assert study.find("veiledning") == []
    study.add_sources([{"name": f"FE-{n} kommentar1", "text": f"Brukte livshjulet {n} ganger",
                        "kind": "form_field"} for n in range(3)])
    assert len(study.find("livshjulet")) == 3
    assert index_in_step(study)


def test_a_project_reopened_keeps_its_index(study, tmp_path):
    study.close()
    with qc.open_project(tmp_path / "study.qualcode") as again:
        assert len(again.find("åpne spørsmål")) == 3


def test_find_on_the_command_line(study, tmp_path):
    study.add_source("tidsstemplet", TIMED, turns=find_turns(TIMED))
    study.close()
    result = run_qualcode("find", "veileder", "--stem", "--format", "json", cwd=tmp_path)
    rows = json.loads(result.stdout)
    assert [(r["source"], r["text"]) for r in rows] == [
        ("FE-0001 kommentar1", "Veiledere"), ("intervju_k05", "veilederen"),
        ("intervju_k05", "veilederne")]
    assert rows[0]["start"] == COMMENT.index("Veiledere")
    assert [(r["where"], r["line"], r["turn"]) for r in rows] == [
        ("line 1", 1, None), ("line 3", 3, None), ("line 5", 5, None)]  # no turns: lines
    table = run_qualcode("find", "åpne spørsmål", "--kind", "transcript", cwd=tmp_path)
    assert "[åpne spørsmål]" in table.stdout and "2 hits" in table.stderr
    timed = json.loads(run_qualcode("find", "skjemaene", "--source", "tidsstemplet", "--format",
                                    "json", cwd=tmp_path).stdout)
    assert [(r["where"], r["line"], r["turn"], r["speaker"], r["timestamp"]) for r in timed] == [
        ("turn 2 · IP · 00:00:12", 3, 2, "IP", "00:00:12"),
        ("turn 2 · IP · 00:01:40", 4, 2, "IP", "00:01:40"),
        ("turn 3 · I · 00:02:03", 6, 3, "I", "00:02:03")]
    table = run_qualcode("find", "skjemaene", "--source", "tidsstemplet", cwd=tmp_path)
    assert "turn 2 · IP · 00:01:40" in table.stdout
    bad = run_qualcode("find", "x", "--stem", "--regex", cwd=tmp_path, ok=False)
    assert bad.returncode == 1 and bad.stderr.strip().count("\n") == 0


def test_hits_are_coded_as_their_words_or_units_in_one_change(study):
    study.add_code("verktøy")
    hits = study.find("åpne spørsmål", kinds=["transcript"])
    assert len(study.code_hits(hits, ["verktøy"], unit="word")) == 2
    assert study.history(1)[0].summary == "2 words as verktøy"
    study.undo()
    assert study.info()["codings"] == 0
    (paragraph,) = study.code_hits(hits, ["verktøy"], unit="paragraph")  # both in one
    coding = study.coding(paragraph)
    assert INTERVIEW[coding.start:coding.end] == INTERVIEW.strip()
    (sentence,) = study.code_hits(hits[1:], ["verktøy"], unit="sentence")
    coding = study.coding(sentence)
    assert INTERVIEW[coding.start:coding.end] == (
        "UTU-verktøyet brukte veilederne mye, f.eks. med åpne\u00a0spørsmål.")
    with pytest.raises(InvalidOperation, match="no turn"):
        study.code_hits(hits, ["verktøy"], unit="turn")  # no speaker turns were imported


# -- where a hit is -------------------------------------------------------------------------


def test_a_hit_says_its_turn_speaker_and_time_or_else_its_line(study):
    study.add_source("tidsstemplet", TIMED, turns=find_turns(TIMED))
    study.add_source("notat2", "Første linje.\nAndre linje om skjemaene.\n\nSkjemaene igjen.",
                     kind="fieldnote")
    where = [(h.source, str(h.where)) for h in study.find("skjemaene")]
    assert where == [("notat2", "line 2"), ("notat2", "line 4"),
                     ("tidsstemplet", "turn 2 · IP · 00:00:12"),
                     ("tidsstemplet", "turn 2 · IP · 00:01:40"),  # the last stamp before it
                     ("tidsstemplet", "turn 3 · I · 00:02:03")]
    [hit] = study.find("åpne spørsmål", kinds=["form_field"])
    assert str(hit.where) == "line 1"
    labels = study.find("IP", case_sensitive=True, sources=["tidsstemplet"])
    assert [str(h.where) for h in labels] == ["turn 2 · IP · 00:00:12", "turn 4 · IP · 00:02:30"]
    study.replace_source_text("intervju_k05", INTERVIEW, turns=find_turns(INTERVIEW))
    first = study.find("åpne spørsmål", sources=["intervju_k05"])[0].where  # no time stamps
    assert (first.line, first.turn, first.speaker, first.timestamp) == (2, 2, "IP", None)
    assert str(first) == "turn 2 · IP"


def test_the_turn_of_a_place_is_the_same_for_find_and_for_coding_a_turn(study):
    """One rule (core.locations.Locator) for turn_at, which codes a turn, and a hit's place;
    its bisection over turns one after another gives what the plain rule does (first the turn
    that holds the place, then one that ends there, then one that starts later on its line)."""
    src = study.add_source("tidsstemplet", TIMED, turns=find_turns(TIMED))
    plain = Locator(TIMED, study.turns(src))
    plain._disjoint = False  # the rule as written, for turns given by hand that overlap
    for offset in range(len(TIMED) + 1):
        assert study.turn_at(src, offset) == plain.turn(offset), offset
    assert study.turn_at(src, TIMED.index("IP: Vi")).n == 2  # on the label: its line's turn
    assert study.turn_at(src, TIMED.index("\n\n[00:02:03]")).n == 2  # just after it
    assert study.turn_at(src, TIMED.index("\n\n[00:02:03]") + 1) is None  # a blank line


def test_overlapping_turns_given_by_hand_take_the_first_that_holds_the_place(project):
    text = "I: en to tre\nIP: fire fem"
    src = project.add_source("overlapp", text, turns=[("I", 3, 12), ("K", 0, 24), ("IP", 17, 24)])
    assert project.turn_at(src, 5).n == 1
    assert project.turn_at(src, 13).n == 2
    assert str(project.find("fem")[0].where) == "turn 2 · K"
