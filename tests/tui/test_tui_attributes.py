"""The cases and attributes sheet (key 9): own values of cases and sources, edited in place,
typed as an attribute sheet's cells are, each edit one undo step."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.attributes import AttributesScreen

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


def test_attribute_sheet_80_by_24(study_path, snap_compare):
    async def run_before(pilot):
        await open_sheet(pilot)

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(80, 24),
                        run_before=run_before)


def test_attribute_sheet_160_by_45(study_path, snap_compare):
    async def run_before(pilot):
        await open_sheet(pilot)

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(160, 45),
                        run_before=run_before)
