"""The matrix (ctrl+t): codes × an attribute's values; a cell opens the excerpts behind it."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, OptionList, Static
from tui_study import KONTOR02, span_of

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.matrix import MatrixScreen
from qualcode.tui.screens.reader import ReaderScreen
from qualcode.tui.widgets.reader.source_view import SourceView

pytestmark = pytest.mark.anyio
SIZE = (120, 30)


async def test_a_cell_opens_the_excerpts_behind_it(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        with qc.open_project(study_path) as p:
            expected = p.matrix("role").T
        assert screen.codes == list(expected.index)
        row = screen.codes.index("Føringer/ledelse")
        column = screen.values.index("HPMT-veileder") + 1
        table = screen.query_one(DataTable)
        assert str(table.get_cell_at((row, column))) == "1"
        table.move_cursor(row=row, column=column)
        await pilot.press("enter")
        await pilot.pause()
        excerpts = screen.query_one("#matrix-excerpts", OptionList)
        assert excerpts.option_count == 1
        assert "Lederen vår støttet oss" in str(excerpts.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.query_one(SourceView).selected_span == span_of(
            KONTOR02, "Lederen vår støttet oss")


def test_matrix_80_by_24(study_path, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(80, 24),
                        run_before=run_before)


def test_matrix_160_by_45(study_path, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(160, 45),
                        run_before=run_before)


async def test_rows_are_named_by_their_code_and_the_line_below_says_the_cell(study_path):
    """A long path no longer pushes the values off the screen: rows show the code's name,
    and the line under the table gives the path, the value and the count."""
    with qc.open_project(study_path) as p:
        long = p.add_code("forvaltning, koordinering og pådriverfunksjon",
                          p.code("Føringer"))
        long = p.add_code("sikre bruker som sentral aktør i egen sak", long)
        start, end = span_of(KONTOR02, "Lederen vår støttet oss")
        p.code_span("kontor02_T2", start, end, long)
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(DataTable)
        row = screen.codes.index("Føringer/forvaltning, koordinering og pådriverfunksjon/"
                                 "sikre bruker som sentral aktør i egen sak")
        assert str(table.get_cell_at((row, 0))) == "sikre bruker som sentra…"
        column = screen.values.index("HPMT-veileder") + 1
        assert table.columns[table.ordered_columns[0].key].get_render_width(table) < 30
        table.move_cursor(row=row, column=column)
        await pilot.pause()
        line = str(screen.query_one("#matrix-cell", Static).render())
        assert line == ("Føringer/forvaltning, koordinering og pådriverfunksjon/sikre bruker "
                        "som sentral aktør i egen sak · role HPMT-veileder: 1 coding · enter "
                        "lists them")
