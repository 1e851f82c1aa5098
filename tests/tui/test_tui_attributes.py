"""The cases and attributes sheet (key 9): own values of cases and sources and what they inherit
from the cases above them, edited in place, typed as an attribute sheet's cells are, each edit
one undo step; the memo of a case or source written from its row."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from textual.widgets import DataTable, Input, Static

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.attributes import AttributesScreen
from qualcode.tui.widgets.common.prompts import TextPrompt

pytestmark = pytest.mark.anyio
SIZE = (120, 30)


async def open_sheet(pilot) -> AttributesScreen:
    await pilot.pause()
    await pilot.press("9")
    await pilot.pause()
    assert isinstance(pilot.app.screen, AttributesScreen)
    return pilot.app.screen


def put_cursor(screen, row_name: str, column: str) -> None:
    row = [r[2] for r in screen.rows].index(row_name)
    screen.query_one(DataTable).move_cursor(row=row, column=screen.names.index(column) + 2)


async def test_edit_values_in_place_typed_and_undoable(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sheet(pilot)
        table = screen.query_one(DataTable)
        cells = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)]
                 for i in range(table.row_count)}
        assert cells["kontor02"][screen.names.index("arm") + 2] == "tiltak"
        assert cells["kontor02_T2"][screen.names.index("time") + 2] == "T2"
        put_cursor(screen, "kontor02_T2", "time")
        await pilot.press("enter", "ctrl+u", *"T3", "enter")
        await pilot.pause()
        put_cursor(screen, "kontor02", "arm")
        await pilot.press("a", *"office", "enter", *"2", "enter")  # a new attribute: a number
        await pilot.pause()
        await pilot.press("a", *"start", "enter", *"01.03.2012", "enter")  # a date
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert p.attributes(source="kontor02_T2", merged=False)["time"] == "T3"
            own = p.attributes(case="kontor02", merged=False)
            assert own["office"] == 2 and own["start"] == dt.date(2012, 3, 1)
        put_cursor(screen, "kontor02", "arm")
        await pilot.press("e", "ctrl+u", "enter")  # emptied: removed
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert "arm" not in p.attributes(case="kontor02", merged=False)
        await pilot.press("ctrl+z")
        await pilot.pause()
    with qc.open_project(study_path) as p:
        assert p.attributes(case="kontor02", merged=False)["arm"] == "tiltak"


async def test_a_date_that_does_not_exist_changes_nothing(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sheet(pilot)
        put_cursor(screen, "kontor02_T2", "time")
        await pilot.press("enter", "ctrl+u", *"31.02.2012", "enter")
        await pilot.pause()
    with qc.open_project(study_path) as p:
        assert p.attributes(source="kontor02_T2", merged=False)["time"] == "T2"


def cell(screen, row_name: str, column: str):
    """The cell's text (Rich text, with its style, where it has one)."""
    table = screen.query_one(DataTable)
    row = [r[2] for r in screen.rows].index(row_name)
    return table.get_cell_at((row, screen.names.index(column) + 2))


def said(screen) -> str:
    return str(screen.query_one("#attribute-cell", Static).content)


def event_count(path) -> int:
    with qc.open_project(path) as p:
        return len(p.history(limit=1000))


async def test_a_source_shows_what_it_inherits_and_editing_it_never_changes_the_case(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sheet(pilot)
        # kontor02_T2 belongs to kontor02-A (role), which is under kontor02 (arm)
        inherited = cell(screen, "kontor02_T2", "arm")
        assert inherited.plain == "↑ tiltak" and inherited.style == "dim"
        assert cell(screen, "kontor02_T2", "role").plain == "↑ HPMT-veileder"
        assert cell(screen, "kontor02-A", "arm").plain == "↑ tiltak"  # a sub-case too
        assert str(cell(screen, "kontor02_T2", "time")) == "T2"  # its own
        assert str(cell(screen, "kontor02", "arm")) == "tiltak"
        put_cursor(screen, "kontor02_T2", "arm")
        await pilot.pause()
        assert "tiltak, inherited from case kontor02" in said(screen)
        before = event_count(study_path)
        await pilot.press("enter")  # an inherited cell: the field is empty, nothing is set
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        question = app.screen.question
        assert "inherits tiltak from case kontor02" in question
        assert "case kontor02 is not changed" in question
        await pilot.press("enter")
        await pilot.pause()
        assert event_count(study_path) == before
        await pilot.press("e", *"sammenligning", "enter")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert p.attributes(source="kontor02_T2", merged=False)["arm"] == "sammenligning"
            assert p.attributes(case="kontor02", merged=False)["arm"] == "tiltak"
            assert p.attributes(case="kontor02-A")["arm"] == "tiltak"
        assert event_count(study_path) == before + 1
        override = cell(screen, "kontor02_T2", "arm")
        assert override.plain == "* sammenligning" and override.style == "bold"
        assert "sammenligning, its own value, over tiltak from case kontor02" in said(screen)
        await pilot.press("e")  # the own value, over the case's: emptied, inherits again
        await pilot.pause()
        assert "inherits tiltak again" in app.screen.question
        await pilot.press("ctrl+u", "enter")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert "arm" not in p.attributes(source="kontor02_T2", merged=False)
            assert p.attributes(source="kontor02_T2")["arm"] == "tiltak"
        await pilot.press("ctrl+z", "ctrl+z")  # back to no own value, one step per edit
        await pilot.pause()
        assert cell(screen, "kontor02_T2", "arm").plain == "↑ tiltak"
        put_cursor(screen, "kontor02", "arm")
        await pilot.pause()
        assert "inherited by 1 sub-case and 1 source" in said(screen)
    with qc.open_project(study_path) as p:
        assert "arm" not in p.attributes(source="kontor02_T2", merged=False)
        assert p.attributes(case="kontor02", merged=False)["arm"] == "tiltak"


async def test_memo_on_a_case_and_a_source_from_their_rows(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sheet(pilot)
        put_cursor(screen, "kontor02-A", "role")
        await pilot.press("n", *"Veilederen byttet kontor i 2012.", "ctrl+s")
        await pilot.pause()
        put_cursor(screen, "kontor05_T1", "time")
        await pilot.press("n", *"Kort intervju.", "ctrl+s")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert [m.text for m in p.memos(case="kontor02-A")] == [
                "Veilederen byttet kontor i 2012."]
            assert [m.text for m in p.memos(source="kontor05_T1")] == ["Kort intervju."]
        names = [str(screen.query_one(DataTable).get_row_at(i)[0])
                 for i in range(len(screen.rows))]
        assert "kontor02-A ✎" in names and "kontor05_T1 ✎" in names
        assert "kontor02 ✎" not in names
        put_cursor(screen, "kontor02-A", "role")
        await pilot.press("left", "left")  # the name column says what the memo is
        await pilot.pause()
        assert "memo: Veilederen byttet kontor" in said(screen)
        await pilot.press("n", *" Nå på kontor05.", "ctrl+s")  # the same memo, edited
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert [m.text for m in p.memos(case="kontor02-A")] == [
                "Veilederen byttet kontor i 2012. Nå på kontor05."]
        await pilot.press("ctrl+z")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert [m.text for m in p.memos(case="kontor02-A")] == [
                "Veilederen byttet kontor i 2012."]


def _marked_study(path) -> None:
    """An own value over an inherited one, and a memo on a case: every mark the sheet has."""
    with qc.open_project(path, coder="ane") as p:
        p.set_attribute("arm", "sammenligning", source="kontor02_T2")
        p.add_memo("Veilederen byttet kontor i 2012.", case="kontor02-A",
                   created_at="2026-01-15T10:00:00")


def test_attribute_sheet_80_by_24(study_path, snap_compare):
    _marked_study(study_path)

    async def run_before(pilot):
        put_cursor(await open_sheet(pilot), "kontor02_T2", "arm")  # own, over the case's: said below
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(80, 24),
                        run_before=run_before)


def test_attribute_sheet_160_by_45(study_path, snap_compare):
    _marked_study(study_path)

    async def run_before(pilot):
        put_cursor(await open_sheet(pilot), "kontor02_T2", "role")  # inherited: said below
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(160, 45),
                        run_before=run_before)


async def test_a_long_sheet_is_filled_in_as_the_cursor_moves_down(study_path):
    """450 more sources: the table starts with the first rows (20,000 at once took seconds),
    the status counts them all, and moving down reaches the last row with its value."""
    with qc.open_project(study_path, coder="ane") as p:
        p.add_sources({"name": f"notat-{n:04d}", "kind": "fieldnote",
                       "text": f"Notat {n}."} for n in range(450))
        p.set_attribute("time", "T3", source="notat-0449")
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sheet(pilot)
        table = screen.query_one(DataTable)
        total = len(screen.rows)
        assert total > 450 and table.row_count < total
        assert "456 of 456 rows" in str(screen.query_one("#attribute-status", Static).content)
        while table.cursor_row < total - 1:
            before = table.cursor_row
            await pilot.press("ctrl+end")  # to the last row filled in; again for more
            await pilot.pause()
            assert table.cursor_row > before
        assert table.row_count == total
        last = table.get_row_at(total - 1)
        assert str(last[0]) == "notat-0449" and "T3" in [str(c) for c in last]


# -- the filter (/) -----------------------------------------------------------------------------
def _with_offices(path) -> None:
    """Offices as numbers on two cases: their sub-cases and sources inherit them."""
    with qc.open_project(path, coder="ane") as p:
        p.set_attribute("office", 2, case="kontor02")
        p.set_attribute("office", 5, case="kontor05-A")


async def type_like_a_person(pilot, text: str) -> None:
    """Each key on its own, about 30 ms apart; then wait until the sheet is filtered."""
    for key in text:
        await pilot.press(key)
        await asyncio.sleep(0.03)
    screen = pilot.app.screen
    while screen.delay.pending is not None:
        await pilot.pause(0.05)
    await pilot.pause()


async def filter_sheet(pilot, text: str) -> AttributesScreen:
    await pilot.press("slash", "ctrl+u")
    await type_like_a_person(pilot, text)
    return pilot.app.screen


def shown_names(screen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def status(screen) -> str:
    return str(screen.query_one("#attribute-status", Static).content)


async def test_filter_by_a_word_an_own_and_an_inherited_value(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sheet(pilot)
        assert len(shown_names(screen)) == 6
        await filter_sheet(pilot, "kontor05")  # a word: in the name
        assert shown_names(screen) == ["kontor05-A", "kontor05_T1"]
        assert status(screen).startswith("2 of 6 rows")
        await filter_sheet(pilot, "time=T2")  # an own value
        assert shown_names(screen) == ["kontor02_T2"]
        await filter_sheet(pilot, "arm=tiltak")  # own (kontor02) and inherited (the others)
        assert shown_names(screen) == ["kontor02", "kontor02-A", "kontor02_T2"]
        await filter_sheet(pilot, "hpmt entity=source")  # a word in an inherited value
        assert shown_names(screen) == ["kontor02_T2"]
        await filter_sheet(pilot, "kind=person")
        assert shown_names(screen) == ["kontor02-A", "kontor05-A"]


async def test_filter_compares_numbers_own_or_inherited(study_path):
    _with_offices(study_path)
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sheet(pilot)
        await filter_sheet(pilot, "office=5")
        assert shown_names(screen) == ["kontor05-A", "kontor05_T1"]
        await filter_sheet(pilot, "office>=3")
        assert shown_names(screen) == ["kontor05-A", "kontor05_T1"]
        await filter_sheet(pilot, "office<3 entity=source")
        assert shown_names(screen) == ["kontor02_T2"]


async def test_an_unknown_name_or_a_wrongly_typed_value_is_said_not_an_empty_sheet(study_path):
    _with_offices(study_path)
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sheet(pilot)
        await filter_sheet(pilot, "kommune=3")
        assert shown_names(screen) == []
        assert "no row has kommune" in status(screen)
        await filter_sheet(pilot, "office=Alna")
        assert shown_names(screen) == []
        assert "office=Alna: the attribute 'office' holds numbers" in status(screen)
        assert said(screen).startswith("office=Alna: the attribute")  # not "no row matches"
        assert "esc clears the filter" in status(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert len(shown_names(screen)) == 6
        assert screen.query_one("#attribute-filter", Input).value == ""
        assert status(screen).startswith("6 of 6 rows · dim")


async def test_the_cursor_stays_on_its_row_and_an_edit_in_a_filtered_sheet(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sheet(pilot)
        put_cursor(screen, "kontor02_T2", "arm")
        await filter_sheet(pilot, "arm=tiltak")
        await pilot.press("enter")  # back to the sheet
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert shown_names(screen).index("kontor02_T2") == table.cursor_row == 2
        assert table.cursor_column == screen.names.index("arm") + 2
        await pilot.press("right", "right", "e", "ctrl+u", *"T3", "enter")  # its time
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert p.attributes(source="kontor02_T2", merged=False)["time"] == "T3"
        assert shown_names(screen) == ["kontor02", "kontor02-A", "kontor02_T2"]
        assert table.cursor_row == 2
        await pilot.press("escape")
        await pilot.pause()
        assert len(shown_names(screen)) == 6
        assert shown_names(screen)[table.cursor_row] == "kontor02_T2"


async def test_the_filter_is_kept_in_the_place(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await open_sheet(pilot)
        await filter_sheet(pilot, "time=T1")
    again = make_app(study_path, coder="ane")
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_sheet(pilot)
        assert screen.query_one("#attribute-filter", Input).value == "time=T1"
        assert shown_names(screen) == ["kontor05_T1"]


async def test_going_to_a_case_from_the_memos_clears_a_filter_that_hides_it(study_path):
    with qc.open_project(study_path, coder="ane") as p:
        p.add_memo("Veilederen byttet kontor i 2012.", case="kontor02-A")
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sheet(pilot)
        await filter_sheet(pilot, "time=T1")
        assert shown_names(screen) == ["kontor05_T1"]
        await pilot.press("enter", "8")
        await pilot.pause()
        await pilot.press("enter")  # the memo on case kontor02-A: its row in the sheet
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#attribute-filter", Input).value == ""
        assert shown_names(screen)[screen.query_one(DataTable).cursor_row] == "kontor02-A ✎"
