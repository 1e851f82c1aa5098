"""Bookmarks in the reader (b, ' and ", B) and the list of every bookmark; the source's memo
shown in the reader's panel and written there with M. Each asserts on the project file."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static
from tui_study import KONTOR02, KONTOR05

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.bookmarks import BookmarksScreen
from qualcode.tui.screens.reader import ReaderScreen
from qualcode.tui.widgets.reader.source_view import SourceView

pytestmark = pytest.mark.anyio
SIZE = (100, 30)
SET_AT = "2026-03-02T10:00:00"  # fixed dates: the snapshots do not change from day to day


def marks_in(path) -> list[tuple[str, int, str | None, str]]:
    with qc.open_project(path) as p:
        return [(m.source, m.offset, m.label, m.coder) for m in p.bookmarks()]


def panel_notes(app) -> str:
    group = app.screen.query_one("#panel-notes", Static).content
    return "\n".join(part.plain for part in group.renderables)


async def test_set_jump_relabel_undo_and_remove_a_bookmark(study_path):
    lead = KONTOR02.index("Lederen")
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        view.put_cursor(lead)
        await pilot.press("b", *"ledelse", "enter")
        await pilot.pause()
        assert marks_in(study_path) == [("kontor02_T2", lead, "ledelse", "ane")]
        assert "⚑ ledelse · ane" in panel_notes(app)
        await pilot.press("ctrl+home", "apostrophe")
        assert view.cursor_offset == lead
        assert "⚑ ledelse · ane" in panel_notes(app)
        await pilot.press("ctrl+end", "quotation_mark")
        assert view.cursor_offset == lead
        await pilot.press("quotation_mark")  # none before it: the cursor stays
        assert view.cursor_offset == lead
        await pilot.press("end", "b", "l", "ctrl+u", *"leder", "enter")  # same line: relabel
        await pilot.pause()
        assert marks_in(study_path) == [("kontor02_T2", lead, "leder", "ane")]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert marks_in(study_path) == [("kontor02_T2", lead, "ledelse", "ane")]
        await pilot.press("b", "r")
        await pilot.pause()
        assert marks_in(study_path) == []
        assert "⚑" not in panel_notes(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert marks_in(study_path) == [("kontor02_T2", lead, "ledelse", "ane")]


async def test_a_bookmark_without_a_label_and_another_coders_on_the_same_line(study_path):
    with qc.open_project(study_path, coder="bo") as p:
        p.add_bookmark("kontor02_T2", 0, "bos")
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right", "b", "enter")  # bo's bookmark is not ane's to change
        await pilot.pause()
        assert marks_in(study_path) == [("kontor02_T2", 0, "bos", "bo"),
                                        ("kontor02_T2", 1, None, "ane")]
        assert "⚑ bos · bo" in panel_notes(app) and "⚑ Bookmark · ane" in panel_notes(app)


async def test_the_list_opens_a_source_at_its_bookmark_and_removes_after_y(study_path):
    there = KONTOR05.index("Hun har")
    with qc.open_project(study_path, coder="ane") as p:
        p.add_bookmark("kontor05_T1", there, "lederen", created_at=SET_AT)
        p.add_bookmark("kontor02_T2", KONTOR02.index("Skjemaene"), created_at=SET_AT)
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("B")  # from the sources list
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen)
        table = app.screen.query_one(DataTable)
        assert [str(table.get_cell_at((r, 0))) for r in range(table.row_count)] == [
            "kontor02_T2", "kontor05_T1"]
        assert str(table.get_cell_at((1, 1))) == "7"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.source.name == "kontor05_T1"
        assert app.screen.query_one(SourceView).cursor_offset == there
        await pilot.press("B")  # from the reader; enter goes back to it at the bookmark
        await pilot.pause()
        reader = app.screen_stack[-2]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is reader and reader.view.cursor_offset == there
        await pilot.press("B", "down", "delete", "n")  # anything but y keeps it
        await pilot.pause()
        assert len(marks_in(study_path)) == 2
        await pilot.press("delete", "y")
        await pilot.pause()
        assert marks_in(study_path) == [("kontor02_T2", KONTOR02.index("Skjemaene"), None,
                                         "ane")]
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("e", *"skjema", "enter")
        await pilot.pause()
        assert marks_in(study_path)[0][2] == "skjema"


async def test_the_source_memo_is_shown_in_the_reader_and_written_with_M(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Source memo" not in panel_notes(app)
        await pilot.press("M", *"Intervjuet ble avbrutt.", "ctrl+s")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert [(m.text, m.target_kind) for m in p.memos()] == [
                ("Intervjuet ble avbrutt.", "source")]
        assert "Intervjuet ble avbrutt." in panel_notes(app)
        await pilot.press("M", *" To ganger.", "ctrl+s")  # the same memo, edited
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert [m.text for m in p.memos(source="kontor02_T2")] == [
                "Intervjuet ble avbrutt. To ganger."]
        assert "To ganger." in panel_notes(app)


async def test_in_blind_mode_only_your_own_bookmarks_are_shown(study_path):
    with qc.open_project(study_path, coder="bo") as p:
        p.add_bookmark("kontor02_T2", 40, "bos")
        p.set_blind(True)
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "bos" not in panel_notes(app)
        await pilot.press("apostrophe")  # bo's is not there to jump to
        assert app.screen.query_one(SourceView).cursor_offset == 0
        await pilot.press("end", "b", *"mitt", "enter", "B")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [str(table.get_cell_at((r, 2))) for r in range(table.row_count)] == ["mitt"]
    with qc.open_project(study_path) as p:
        p.set_blind(False)
    assert len(marks_in(study_path)) == 2  # bo's was hidden, not lost


def with_bookmarks(path) -> None:
    with qc.open_project(path, coder="ane") as p:
        p.add_bookmark("kontor02_T2", KONTOR02.index("Lederen"), "ledelse: støtte",
                       created_at=SET_AT)
        p.add_bookmark("kontor02_T2", KONTOR02.index("Skjemaene"), created_at=SET_AT)
        p.add_bookmark("kontor05_T1", KONTOR05.index("Hun har"), "lederen ikke opptatt",
                       coder="bo", created_at=SET_AT)


def test_bookmark_list_80_by_24(study_path, snap_compare):
    with_bookmarks(study_path)

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("B")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(80, 24),
                        run_before=run_before)


def test_bookmark_list_160_by_45(study_path, snap_compare):
    with_bookmarks(study_path)

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("B")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(160, 45),
                        run_before=run_before)


def test_reader_with_a_bookmark_and_the_source_memo_80_by_24(study_path, snap_compare):
    with_bookmarks(study_path)
    with qc.open_project(study_path, coder="ane") as p:
        p.add_memo("Intervjuet ble avbrutt en gang; lydkvaliteten er dårlig mot slutten.",
                   source="kontor02_T2")

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("apostrophe")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane", source="kontor02_T2"),
                        terminal_size=(80, 24), run_before=run_before)
