"""The fidelity table (key 0): p.fidelity by month, then quarter, year, office, version."""

from __future__ import annotations

import pytest
from test_tui_forms import MORE_FORMS
from textual.widgets import DataTable

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.fidelity import FidelityScreen

pytestmark = pytest.mark.anyio
SIZE = (140, 30)


@pytest.fixture
def forms_path(study_path):
    with qc.open_project(study_path, coder="ane") as p:
        p.add_forms(MORE_FORMS)
    return study_path


def table_rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_fidelity_by_month_then_by_office(forms_path):
    app = make_app(forms_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("0")
        await pilot.pause()
        assert isinstance(app.screen, FidelityScreen)
        rows = {r[0]: r for r in table_rows(app)}
        assert list(rows) == ["2011-09", "2011-10", "2012-02", "2012-03"]
        assert rows["2011-10"][1:4] == ["1", "2", "1"]  # forms, tools planned, tools used
        await pilot.press("b", "b", "b")  # quarter, year, office
        await pilot.pause()
        rows = {r[0]: r for r in table_rows(app)}
    with qc.open_project(forms_path) as p:
        expected = p.fidelity("office")
    assert list(rows) == [str(k) for k in expected.index] == ["2", "5"]
    assert rows["2"][1] == str(int(expected.loc["2", "forms"])) == "3"


def test_fidelity_80_by_24(forms_path, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("0")
        await pilot.pause()

    assert snap_compare(make_app(forms_path, coder="ane"), terminal_size=(80, 24),
                        run_before=run_before)


def test_fidelity_160_by_45(forms_path, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("0", "b", "b", "b")
        await pilot.pause()

    assert snap_compare(make_app(forms_path, coder="ane"), terminal_size=(160, 45),
                        run_before=run_before)
