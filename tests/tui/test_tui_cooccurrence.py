"""The matrix's co-occurrence mode (ctrl+t, o): codes × codes as `qualcode query cooccurrence`
counts them, on the demo study (two coders, interviews and observation notes); a cell lists the
pairs of excerpts behind it and an excerpt opens selected in its source."""

from __future__ import annotations

import json
import shutil

import pytest
from testkit import run_qualcode
from textual.widgets import DataTable, OptionList

import qualcode as qc
from qualcode.demo import build_demo
from qualcode.tui.app import make_app
from qualcode.tui.screens.matrix import MatrixScreen
from qualcode.tui.screens.reader import ReaderScreen
from qualcode.tui.widgets.reader.source_view import SourceView

pytestmark = pytest.mark.anyio
SIZE = (120, 40)
LEADERSHIP = "Barrierer og føringer/organisering/ledelsesforankring"
ENABLER = "Barrierer og føringer/valens/fremmer"


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "hpmt_demo.qualcode"
    build_demo(path)
    return path


@pytest.fixture
def demo_path(built_demo, study_path):
    """A copy of the demo study of its own for each test (study_path sets the config dir)."""
    return shutil.copy(built_demo, study_path.with_name("hpmt_demo.qualcode"))


def cells(screen: MatrixScreen) -> dict[tuple[str, str], str]:
    """What each off-diagonal cell shows, by the two codes' paths."""
    table = screen.query_one(DataTable)
    grid = screen.grid
    shown = {}
    for r, code in enumerate(grid.codes):
        row = table.get_row_at(r)
        for c, other in enumerate(grid.codes):
            if code != other:
                shown[grid.paths[code], grid.paths[other]] = row[c + 1].plain
    return shown


def expected(frame) -> dict[tuple[str, str], str]:
    """p.cooccurrence's n12 both ways round; 0 shows as a dot."""
    found = {}
    for row in frame.itertuples():
        found[row.code1, row.code2] = found[row.code2, row.code1] = \
            str(row.n12) if row.n12 else "·"
    return found


def assert_same(screen: MatrixScreen, frame) -> None:
    shown, wanted = cells(screen), expected(frame)
    assert {k: v for k, v in shown.items() if v != "·"} == \
        {k: v for k, v in wanted.items() if v != "·"}
    assert all(wanted.get(k, "·") == v for k, v in shown.items())


async def open_cooccurrence(pilot) -> MatrixScreen:
    await pilot.pause()
    await pilot.press("ctrl+t", "o")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MatrixScreen) and screen.cooccurrence
    return screen


async def test_the_cells_count_as_the_command_line_does(demo_path):
    app = make_app(demo_path, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cooccurrence(pilot)
        shown = cells(screen)
        states = []
        for keys, options in [
                (("u",), {"unit": "within", "distance": 200, "coder_pairs": "within"}),
                (("u",), {"unit": "turn", "distance": 0, "coder_pairs": "within"}),
                (("p",), {"unit": "turn", "distance": 0, "coder_pairs": "pooled"}),
                (("u", "u", "u"), {"unit": "overlap", "distance": 0, "coder_pairs": "pooled"}),
                (("p",), {"unit": "overlap", "distance": 0, "coder_pairs": "any"})]:
            await pilot.press(*keys)
            await pilot.pause()
            assert screen.cooccurrence_options() == options
            states.append((options, cells(screen)))
    printed = json.loads(run_qualcode("query", "cooccurrence", "-p", demo_path, "--format",
                                      "json", cwd=demo_path.parent).stdout)
    assert {k: v for k, v in shown.items() if v != "·"} == {
        **{(r["code1"], r["code2"]): str(r["n12"]) for r in printed},
        **{(r["code2"], r["code1"]): str(r["n12"]) for r in printed}}
    assert shown[LEADERSHIP, ENABLER] == "3"
    with qc.open_project(demo_path) as p:
        for options, state in states:
            wanted = expected(p.cooccurrence(**options))
            assert {k: v for k, v in state.items() if v != "·"} == \
                {k: v for k, v in wanted.items() if v != "·"}, options
    assert states[-1][1] != shown  # any coders: kari's and ola's codings meet


async def test_a_chosen_code_and_its_children_rolled_up(demo_path):
    app = make_app(demo_path, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cooccurrence(pilot)
        await pilot.press("c", *"Barrierer og føringer", "enter")
        await pilot.pause()
        with qc.open_project(demo_path) as p:
            top = p.code("Barrierer og føringer").id
            below = set(p.code_tree().descendants([top]))
            assert screen.choice.code_id == top
            assert set(screen.grid.codes) <= below and len(screen.grid.codes) > 10
            assert_same(screen, p.cooccurrence(codes=[top], descendants=True))
            await pilot.press("r")
            await pilot.pause()
            children = list(p.code_tree().children[top])
            assert set(screen.grid.codes) <= set(children)
            rolled = p.cooccurrence(codes=children, roll_up=True)
            assert_same(screen, rolled)
            organising = p.code("Barrierer og føringer/organisering").id
            valence = p.code("Barrierer og føringer/valens").id
            assert screen.grid.together(organising, valence) == int(rolled[
                (rolled.code1_id == organising) & (rolled.code2_id == valence)].n12.iloc[0]) > 3


async def test_a_cell_lists_its_pairs_and_opens_one_in_its_source(demo_path):
    app = make_app(demo_path, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await open_leadership_by_enabler(pilot)
        screen = app.screen
        grid = screen.grid
        ids = {path: code for code, path in grid.paths.items()}
        row, column = grid.codes.index(ids[LEADERSHIP]), grid.codes.index(ids[ENABLER]) + 1
        table = screen.query_one(DataTable)
        listed = screen.query_one("#matrix-excerpts", OptionList)
        options = [listed.get_option_at_index(i) for i in range(listed.option_count)]
        headers = [o for o in options if o.disabled]
        excerpts = [o for o in options if not o.disabled]
        with qc.open_project(demo_path) as p:
            behind = p.cooccurrence_excerpts(LEADERSHIP, ENABLER)
        assert len(headers) == 3 and len(excerpts) == len(behind) == 6
        assert str(headers[2].prompt) == "3. kontor02_hpmt-veileder_T2"
        assert "Lederen har lagt det inn i kalenderen" in str(excerpts[5].prompt)
        assert "fremmer" in str(excerpts[5].prompt) and "ola" in str(excerpts[5].prompt)
        await pilot.press("end", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        last = behind.iloc[5]
        assert app.screen.source.name == last.source == "kontor02_hpmt-veileder_T2"
        assert app.screen.query_one(SourceView).selected_span == (last.start, last.end)
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen and listed.display
        await pilot.press("escape")
        await pilot.pause()
        assert table.display and table.cursor_coordinate == (row, column)
        await pilot.press("p", "p")  # any coders: more codes, the cursor stays on the pair
        await pilot.pause()
        assert len(grid.codes) < len(screen.grid.codes)
        assert screen.cell_codes(table.cursor_coordinate) == (ids[LEADERSHIP], ids[ENABLER])


async def open_leadership_by_enabler(pilot) -> None:
    """The pairs behind ledelsesforankring × fremmer (three: one per coder on one passage,
    and ola's in kontor02)."""
    screen = await open_cooccurrence(pilot)
    grid = screen.grid
    ids = {path: code for code, path in grid.paths.items()}
    screen.query_one(DataTable).move_cursor(row=grid.codes.index(ids[LEADERSHIP]),
                                            column=grid.codes.index(ids[ENABLER]) + 1)
    await pilot.press("enter")
    await pilot.pause()


SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])


@SIZES
def test_cooccurrence_matrix(demo_path, snap_compare, size):
    assert snap_compare(make_app(demo_path, coder="kari"), terminal_size=size,
                        run_before=open_cooccurrence)


@SIZES
def test_cooccurrence_pairs(demo_path, snap_compare, size):
    assert snap_compare(make_app(demo_path, coder="kari"), terminal_size=size,
                        run_before=open_leadership_by_enabler)
