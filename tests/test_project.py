"""The Project API: sources, offsets, cases and attributes, the code tree, coding, memos."""

from __future__ import annotations

import datetime as dt

import pytest
from testkit import TRANSCRIPT, table_dump

import qualcode as qc


def find(source, phrase):
    start = source.text.index(phrase)
    return start, start + len(phrase)


def test_text_is_stored_with_newlines_normalised(small):
    src = small.source("kontor02_T2")
    assert "\r" not in src.text
    assert src.text == TRANSCRIPT.replace("\r\n", "\n")


def test_excerpts_equal_python_slices_with_norwegian_letters_and_emoji(small):
    src = small.source("kontor02_T2")
    spans = [find(src, "for mange verktøy på én gang 😅"), find(src, "Æ, ø og å."),
             find(src, "😅. Vi fikk ikke tid.")]
    for (start, end), code in zip(spans, ["Barrierer/opplæring", "Føringer/ledelse",
                                          "Barrierer/tid"], strict=True):
        small.code_span(src, start, end, code)
    frame = small.codings()
    assert len(frame) == 3
    for row in frame.itertuples():
        assert row.text == src.text[row.start:row.end]
    assert set(frame.text) == {src.text[s:e] for s, e in spans}


def test_codings_frame_carries_path_coder_and_merged_attributes(small):
    src = small.source("kontor02_T2")
    small.code_span(src, *find(src, "Vi fikk ikke tid."), "Barrierer/tid")
    row = small.codings().iloc[0]
    assert row.code_path == "Barrierer/tid"
    assert row.coder == "ane"
    assert (row.case, row.role, row.arm, row.time) == ("kontor02-A", "HPMT-veileder", "tiltak",
                                                       "T2")


def test_attributes_inherit_down_the_case_hierarchy_nearest_wins(small):
    src = small.source("kontor02_T2")
    assert small.attributes(source=src) == {"arm": "tiltak", "role": "HPMT-veileder",
                                            "time": "T2"}
    small.set_attribute("arm", "sammenligning", source=src)
    assert small.attributes(source=src)["arm"] == "sammenligning"
    assert small.attributes(source=src, merged=False) == {"arm": "sammenligning", "time": "T2"}
    small.set_attribute("start", dt.date(2011, 2, 16), case="kontor02")
    small.set_attribute("tiltak", True, case="kontor02")
    small.set_attribute("veiledere", 4, case="kontor02")
    merged = small.attributes(case="kontor02-A")
    assert merged["start"] == dt.date(2011, 2, 16)
    assert merged["tiltak"] is True
    assert merged["veiledere"] == 4
    small.set_attribute("veiledere", None, case="kontor02")
    assert "veiledere" not in small.attributes(case="kontor02-A")


def test_inherited_attributes_say_which_case_each_value_comes_from(small):
    office, person = small.case("kontor02"), small.case("kontor02-A")
    src = small.source("kontor02_T2")
    team = small.add_case("kontor02-A-team", "team", parent=person)
    small.set_attribute("role", "leder", case=team)  # over the person's role
    small.set_attribute("arm", "sammenligning", source=src)  # over the office's arm
    inherited = small.inherited_attributes()
    assert inherited[("case", person.id)] == {"arm": ("tiltak", office.id)}
    assert inherited[("case", team.id)] == {"arm": ("tiltak", office.id),
                                            "role": ("HPMT-veileder", person.id)}
    # the source inherits its case's values, its own ("arm", "time") are not counted here
    assert inherited[("source", src.id)] == {"arm": ("tiltak", office.id),
                                             "role": ("HPMT-veileder", person.id)}
    assert ("case", office.id) not in inherited  # nothing above it
    # one rule: what the sheet shows inherited plus own is what every query sees
    for kind, ref in (("case", team.id), ("source", src.id)):
        own = small.attributes(merged=False, **{kind: ref})
        shown = {name: value for name, (value, _) in inherited[(kind, ref)].items()} | own
        assert small.attributes(**{kind: ref}) == shown
    frame = small.source_attributes()
    assert frame.loc[src.id, "arm"] == "sammenligning"
    assert frame.loc[src.id, "role"] == "HPMT-veileder"


def test_case_cannot_become_its_own_ancestor(small):
    with pytest.raises(qc.InvalidOperation, match="under itself"):
        small.set_case_parent("kontor02", "kontor02-A")


@pytest.mark.parametrize("attempt, message", [
    (lambda p, s: p.code_span(s, 0, 5, "Barrierer/finnes ikke"), "no code"),
    (lambda p, s: p.code_span(s, 0, len(s.text) + 1, "Barrierer/tid"), "outside"),
    (lambda p, s: p.code_span(s, 10, 10, "Barrierer/tid"), "empty span"),
    (lambda p, s: p.code_span(s, 12, 3, "Barrierer/tid"), "empty span"),
    (lambda p, s: p.code_span(s, -1, 3, "Barrierer/tid"), "outside"),
    (lambda p, s: p.code_span(s, 0, 5, "Barrierer"), "category"),
    (lambda p, s: p.code_span("nope", 0, 5, "Barrierer/tid"), "no source"),
    (lambda p, s: p.add_code("tid", "Barrierer"), "already exists under Barrierer"),
    (lambda p, s: p.add_code("Barrierer"), "already exists under the top level"),
    (lambda p, s: p.add_code("a/b"), "separates paths"),
    (lambda p, s: p.add_code("x", color="#12"), "not a colour"),
    (lambda p, s: p.rename_code("Barrierer/tid", "opplæring"), "already exists"),
    (lambda p, s: p.move_code("Barrierer", "Barrierer/tid"), "under itself"),
    (lambda p, s: p.add_source("kontor02_T2", "x"), "already exists"),
    (lambda p, s: p.add_source("y", "x", kind="video"), "not one of"),
    (lambda p, s: p.add_case("kontor02"), "already exists"),
])
def test_failed_operations_raise_clearly_and_change_nothing(small, attempt, message):
    src = small.source("kontor02_T2")
    small.code_span(src, 0, 3, "Barrierer/tid")
    before = table_dump(small)
    events = small.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    with pytest.raises(qc.QualcodeError, match=message):
        attempt(small, src)
    assert table_dump(small) == before
    assert small.conn.execute("SELECT count(*) FROM events").fetchone()[0] == events


def test_failure_midway_through_a_change_rolls_back_the_whole_change(small):
    src = small.source("kontor02_T2")
    before = table_dump(small)
    with pytest.raises(qc.InvalidOperation):
        small.code_many([(src, 0, 3, "Barrierer/tid"), (src, 5, 9, "Føringer/ledelse"),
                         (src, 5, 2, "Barrierer/tid")])
    assert table_dump(small) == before


def test_same_code_twice_on_one_span_by_one_coder_is_refused_but_two_coders_may(small):
    src = small.source("kontor02_T2")
    small.code_span(src, 0, 3, "Barrierer/tid")
    with pytest.raises(qc.InvalidOperation, match="already coded"):
        small.code_span(src, 0, 3, "Barrierer/tid")
    small.code_span(src, 0, 3, "Barrierer/tid", coder="bjørn")
    assert sorted(small.codings().coder) == ["ane", "bjørn"]


def test_exclusive_group_allows_one_member_per_passage_and_coder(small):
    stage = small.add_code("Dreyfus", codable=False)
    novice = small.add_code("nybegynner", stage)
    competent = small.add_code("kompetent", stage)
    small.add_group("stadium", [novice, competent])
    src = small.source("kontor02_T2")
    small.code_span(src, 0, 40, novice)
    with pytest.raises(qc.InvalidOperation, match="exclusive"):
        small.code_span(src, 30, 60, competent)
    small.code_span(src, 40, 60, competent)  # touching, not overlapping
    small.code_span(src, 30, 60, competent, coder="bjørn")  # another coder may disagree


def test_move_rename_and_tree_order(small):
    small.move_code("Føringer/ledelse", "Barrierer", position=0)
    small.rename_code("Barrierer/ledelse", "ledelsesforankring")
    paths = [c.path for c in small.codes()]
    assert paths == ["Barrierer", "Barrierer/ledelsesforankring", "Barrierer/tid",
                     "Barrierer/opplæring", "Føringer"]
    assert small.code("Barrierer/ledelsesforankring").en == "leadership"


def test_merge_moves_codings_collapses_duplicates_and_joins_memos(small):
    src = small.source("kontor02_T2")
    small.code_span(src, 0, 3, "Barrierer/tid", memo="først")
    small.code_span(src, 0, 3, "Barrierer/opplæring", memo="så")
    small.code_span(src, 5, 9, "Barrierer/opplæring")
    small.add_code("underkode", "Barrierer/opplæring")
    small.merge_codes("Barrierer/opplæring", "Barrierer/tid")
    frame = small.codings()
    assert list(zip(frame.code_path, frame.start, frame.end, strict=True)) == [
        ("Barrierer/tid", 0, 3), ("Barrierer/tid", 5, 9)]
    assert frame.memo.iloc[0] == "først\n\nså"
    assert small.code("Barrierer/tid/underkode")
    with pytest.raises(qc.NotFound):
        small.code("Barrierer/opplæring")


def test_delete_code_rule_for_codings(small):
    src = small.source("kontor02_T2")
    small.code_span(src, 0, 3, "Barrierer/tid")
    with pytest.raises(qc.InvalidOperation, match="has 1 codings"):
        small.delete_code("Barrierer")
    with pytest.raises(qc.InvalidOperation, match="category"):
        small.delete_code("Barrierer/tid", codings="parent")
    small.add_code("ledelse2", "Føringer/ledelse")
    small.code_span(src, 5, 9, "Føringer/ledelse/ledelse2")
    small.delete_code("Føringer/ledelse/ledelse2", codings="parent")
    assert list(small.codings().code_path) == ["Barrierer/tid", "Føringer/ledelse"]
    small.delete_code("Barrierer", codings="delete")
    assert [c.path for c in small.codes()] == ["Føringer", "Føringer/ledelse"]
    small.undo()
    assert len(small.codings()) == 2
    assert small.code("Barrierer/tid").color == "#d62728"


def test_memos_on_every_target(small):
    src = small.source("kontor02_T2")
    coding = small.code_span(src, 0, 3, "Barrierer/tid")
    small.add_memo("Prosjektnotat", title="Om analysen")
    small.add_memo("Intervjuet ble avbrutt", source=src)
    small.add_memo("Brukes om tidspress", code="Barrierer/tid")
    small.add_memo("Lite kontor", case="kontor02")
    small.set_coding_memo(coding, "usikker på denne")
    assert [m.target_kind for m in small.memos()] == ["project", "source", "code", "case"]
    assert small.memos(code="Barrierer/tid")[0].text == "Brukes om tidspress"
    memo = small.memos(project=True)[0]
    assert small.edit_memo(memo.id, text="Endret").text == "Endret"
    assert small.coding(coding).memo == "usikker på denne"
    assert small.info()["memos"] == 5


def test_turns_are_stored_and_checked(project):
    text = "I: Hei\nIP: Hallo\n"
    src = project.add_source("t", text, turns=[("I", 0, 6), ("IP", 7, 16)])
    assert [(t.speaker, text[t.start:t.end]) for t in project.turns(src)] == [
        ("I", "I: Hei"), ("IP", "IP: Hallo")]
    with pytest.raises(qc.InvalidOperation, match="outside"):
        project.add_source("u", text, turns=[("I", 0, 99)])
    assert [s.name for s in project.sources()] == ["t"]


def test_code_counts_own_and_with_subcodes(small):
    src = small.source("kontor02_T2")
    small.code_span(src, 0, 3, "Barrierer/tid")
    small.code_span(src, 5, 9, "Barrierer/tid")
    small.code_span(src, 5, 9, "Barrierer/opplæring", coder="bjørn")
    counts = small.code_counts().set_index("path")
    assert counts.loc["Barrierer/tid", "codings"] == 2
    assert counts.loc["Barrierer/tid", "sources"] == 1
    assert counts.loc["Barrierer", "codings"] == 0
    assert counts.loc["Barrierer", "codings_total"] == 3
    assert counts.loc["Barrierer", "sources_total"] == 1


def test_codings_filters(small):
    src = small.source("kontor02_T2")
    small.code_span(src, 0, 3, "Barrierer/tid")
    small.code_span(src, 5, 9, "Føringer/ledelse", coder="bjørn")
    assert list(small.codings(codes=["Barrierer"], descendants=True).code) == ["tid"]
    assert list(small.codings(codes=["Barrierer"]).code) == []
    assert list(small.codings(coders=["bjørn"]).code) == ["ledelse"]
    assert len(small.codings(attributes={"role": "HPMT-veileder"})) == 2
    assert len(small.codings(attributes={"role": ["KVP-veileder"]})) == 0


def test_a_filter_on_an_attribute_no_source_has_is_refused_not_an_empty_table(small):
    # a misspelt attribute (rolle for role) must not silently give an empty report
    small.code_span(small.source("kontor02_T2"), 0, 3, "Barrierer/tid")
    for analysis in (small.codings, small.cooccurrence, small.matrix):
        with pytest.raises(qc.InvalidOperation, match="no source has the attribute 'rolle'"):
            analysis(attributes={"rolle": "HPMT-veileder"})


def test_codings_filter_by_group_name_stands_for_its_members(small):
    # docs/analysis.md: the name of a code group stands for its members, as in cooccurrence
    src = small.source("kontor02_T2")
    small.add_group("tema", ["Barrierer/tid", "Føringer/ledelse"], exclusive=False)
    small.code_span(src, 0, 3, "Barrierer/tid")
    small.code_span(src, 5, 9, "Føringer/ledelse")
    small.code_span(src, 5, 9, "Barrierer/opplæring")
    assert sorted(small.codings(codes=["tema"]).code) == ["ledelse", "tid"]


def test_source_list_is_sources_without_their_texts(small, tmp_path):
    small.add_source("notat-b", "Andre notat.", kind="fieldnote")
    small.add_source("notat-a", "Første notat.", kind="fieldnote")
    small.close()
    with qc.open_project(tmp_path / "study.qualcode") as p:  # as read back from the file
        listed, full = p.source_list(), p.sources()
        assert [s.name for s in listed] == ["kontor02_T2", "notat-a", "notat-b"]
        assert [{k: v for k, v in vars(s).items() if k != "text"} for s in full] == \
            [vars(s) for s in listed]
        assert not hasattr(listed[0], "text")
        assert [s.name for s in p.source_list("fieldnote")] == ["notat-a", "notat-b"]
        assert p.source_list("transcript")[0].case_id == p.case("kontor02-A").id
        with pytest.raises(qc.InvalidOperation, match="no source kind 'notes'"):
            p.source_list("notes")
        with pytest.raises(qc.InvalidOperation, match="no source kind 'notes'"):
            p.sources("notes")  # a misspelt kind listed nothing
