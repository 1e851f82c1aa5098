"""Forms through the Project API: one change, comments as sources, refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from testkit import table_dump

import qualcode as qc


def form(key, **extra):
    return {"key": key, "date": dt.date(2012, 6, 14), "version": "2012-02", "office": 5,
            "values": {"gjennomfort_som_tenkt": 8.0, "mal_oppnadd": 7.5},
            "items": [{"kind": "tool", "item": "åpne spørsmål", "planned": True, "used": True,
                       "mastery": 7},
                      {"kind": "tool", "item": "UTU", "planned": False, "used": False}],
            "texts": {"kommentar1": "Godt forberedt møte.", "kommentar2": "  "}, **extra}


def test_forms_are_added_as_one_undoable_change_with_comments_as_sources(project):
    ids = project.add_forms([form("FE-1"), form("FE-2")], origin="fe.csv")
    assert len(ids) == 2
    comments = project.sources(kind="form_field")
    assert [s.name for s in comments] == ["FE-1 kommentar1", "FE-2 kommentar1"]
    assert comments[0].field == "kommentar1" and comments[0].form_id == ids[0]
    attrs = project.source_attributes().loc[comments[0].id]
    assert (attrs.form, attrs.form_date, attrs.office) == ("FE-1", "2012-06-14", "5")
    items = project.conn.execute("SELECT count(*) FROM form_items").fetchone()[0]
    assert items == 4
    project.code_span(comments[0], 0, 5, project.add_code("forberedelse"))
    project.undo()  # the coding
    project.undo()  # the code
    project.undo()  # the import
    assert project.info()["forms"] == 0 and project.sources() == []
    project.redo()
    assert project.info()["forms"] == 2


def test_duplicate_form_keys_are_refused_and_nothing_changes(project):
    project.add_forms([form("FE-1")])
    before = table_dump(project)
    with pytest.raises(qc.InvalidOperation, match="'FE-1' is already in the project"):
        project.add_forms([form("FE-2"), form("FE-1")])
    with pytest.raises(qc.InvalidOperation, match="'FE-3' occurs twice"):
        project.add_forms([form("FE-3"), form("FE-3")])
    assert table_dump(project) == before


def test_delete_forms_removes_their_comments_and_codings_and_undo_restores(project):
    project.add_forms([form("FE-1"), form("FE-2")])
    src = project.source("FE-1 kommentar1")
    project.code_span(src, 0, 4, project.add_code("forberedelse"))
    before = table_dump(project)
    assert project.delete_forms(["FE-1"]) == 1
    assert [s.name for s in project.sources()] == ["FE-2 kommentar1"]
    assert project.info()["codings"] == 0
    project.undo()
    assert table_dump(project) == before


def ticked(item, planned, used, kind="tool"):
    return {"kind": kind, "item": item, "planned": planned, "used": used}


def test_tool_counts_and_names_count_only_the_tools_ticked(project):
    """The forms screen counts the tools of the rows it shows (form_tool_counts) and reads
    their names when asked (form_items): both agree with form_overview's lists, and neither
    counts a principle, a tool left blank or a tool ticked no."""
    ids = project.add_forms([
        {"key": "FE-A", "date": "2012-01-02", "values": {"mal_oppnadd": 5},
         "items": [ticked("UTU", True, True), ticked("IIMA", False, True),
                   ticked("speilinger", True, False), ticked("oppsummering", None, None),
                   ticked("åpne spørsmål", False, False),
                   ticked("prinsipp 1", True, None, kind="principle")],
         "texts": {"kommentar": "Bra."}},
        {"key": "FE-B", "date": "2012-01-01",
         "items": [ticked("UTU", False, False), ticked("prinsipp 2", True, None, "principle")]},
        {"key": "FE-C", "date": "2012-01-03"}])
    a, b, c = ids
    assert project.form_tool_counts(ids) == {a: (2, 2)}  # B ticks a principle only
    assert project.form_tool_counts([b, c]) == {}
    assert project.form_items(ids) == {
        a: {"planned": ["UTU", "speilinger"], "used": ["IIMA", "UTU"],
            "principles": ["prinsipp 1"]},
        b: {"planned": [], "used": [], "principles": ["prinsipp 2"]}}
    assert project.form_items([c]) == {}
    full, lean = project.form_overview(), project.form_overview(items=False)
    assert [f["key"] for f in full] == [f["key"] for f in lean] == ["FE-B", "FE-A", "FE-C"]
    for whole, short in zip(full, lean, strict=True):
        assert {k: v for k, v in whole.items() if k not in ("planned", "used", "principles")} \
            == short
        counted = project.form_tool_counts([whole["id"]]).get(whole["id"], (0, 0))
        assert counted == (len(whole["planned"]), len(whole["used"]))
    assert full[1]["values"] == {"mal_oppnadd": 5}
    assert [text for _, _, text in full[1]["comments"]] == ["Bra."]
    assert project.form_overview([c]) == [
        {"id": c, "key": "FE-C", "date": "2012-01-03", "version": None, "office": None,
         "case": None, "values": {}, "comments": [], "planned": [], "used": [],
         "principles": []}]
