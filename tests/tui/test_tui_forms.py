"""The forms screen (key 7): comments beside their form's numbers, filtered, coded in the reader."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input
from tui_study import burst

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.forms import FormsScreen
from qualcode.tui.screens.reader import ReaderScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 30)


def tool(name: str, planned: bool, used: bool) -> dict:
    return {"kind": "tool", "item": name, "planned": planned, "used": used}


MORE_FORMS = [
    {"key": "FE-00002", "date": "2011-10-03", "office": "5", "version": "2011-09",
     "values": {"mal_oppnadd": 4, "gjennomfort": 6},
     "items": [tool("UTU", True, True), tool("speilinger", True, False)],
     "texts": {"kommentar": "Tidsrammen var for knapp, vi rakk ikke UTU-skjemaet."}},
    {"key": "FE-00003", "date": "2012-02-14", "office": "2", "version": "2012-02",
     "values": {"mal_oppnadd": 9, "gjennomfort": 8},
     "items": [tool("UTU", True, True), tool("IIMA", True, True)],
     "texts": {"kommentar": "Deltaker var godt forberedt.",
               "kommentar2": "Vi brukte IIMA for første gang."}},
    {"key": "FE-00004", "date": "2012-03-01", "office": "2", "version": "2012-02",
     "values": {"mal_oppnadd": 7, "gjennomfort": 7},
     "items": [tool("IIMA", True, False)], "texts": {}},
]


@pytest.fixture
def forms_path(study_path):
    with qc.open_project(study_path, coder="ane") as p:
        p.add_forms(MORE_FORMS)
    return study_path


def shown(static) -> str:
    return getattr(static.content, "plain", str(static.content))


def table_rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def open_forms(pilot) -> FormsScreen:
    await pilot.pause()
    await pilot.press("7")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormsScreen)
    return pilot.app.screen


async def test_forms_list_comments_beside_their_numbers(forms_path):
    app = make_app(forms_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_forms(pilot)
        rows = {r[0]: r for r in table_rows(app)}
        assert list(rows) == ["FE-00001", "FE-00002", "FE-00003", "FE-00004"]  # by date
        # key, date, office, version, tools planned, used, gjennomfort, mal_oppnadd, coded
        assert rows["FE-00002"][:8] == ["FE-00002", "2011-10-03", "5", "2011-09", "2", "1",
                                        "6", "4"]
        assert rows["FE-00002"][-1].startswith("Tidsrammen var for knapp")
        assert "Deltaker var godt forberedt. ‖ Vi brukte IIMA" in rows["FE-00003"][-1]
        assert rows["FE-00004"][-1] == ""
        screen.query_one(DataTable).move_cursor(row=1)
        await pilot.pause()
        details = shown(screen.query_one("#form-details"))
        assert "planned: UTU, speilinger" in details and "used: UTU" in details
        assert "mal_oppnadd 4" in details and "office 5" in details
        assert "4 of 4 forms" in shown(screen.query_one("#form-status"))
        await pilot.press("c")  # only the forms with a comment
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["FE-00001", "FE-00002", "FE-00003"]


async def test_filter_forms_by_office_tool_date_and_rating_typed_fast(forms_path):
    app = make_app(forms_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_forms(pilot)
        await pilot.press("slash")
        typed = "office=2 used=UTU date>=2012-01 mal_oppnadd>8"
        await burst(pilot, typed)
        assert screen.query_one("#form-filter", Input).value == typed
        await pilot.press("enter")
        await pilot.pause()
        rows = [r[0] for r in table_rows(app)]
        assert rows == ["FE-00003"]
        await pilot.press("slash", "ctrl+u", *"forberedt", "enter")  # a word in a comment
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["FE-00003"]
        await pilot.press("slash", "ctrl+u", *"ofice=2", "enter")  # a misspelt field
        await pilot.pause()
        assert table_rows(app) == []
        assert "no form has ofice" in shown(screen.query_one("#form-status"))
        await pilot.press("escape")
        await pilot.pause()
        assert len(table_rows(app)) == 4


async def test_enter_codes_the_comment_with_the_numbers_in_view(forms_path):
    app = make_app(forms_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await open_forms(pilot)
        await pilot.press("slash", *"UTU", "enter")
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["FE-00002", "FE-00003"]
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.source.name == "FE-00002 kommentar"
        title = shown(reader.query_one("#source-title"))
        assert "mal_oppnadd 4" in title and "used 1/2 planned: UTU" in title
        await pilot.press("f", *"tid", "enter")  # the whole comment as "tid"
        await pilot.pause()
        await pilot.press("greater_than_sign")  # the next comment of the filtered forms
        await pilot.pause()
        assert app.screen.source.name == "FE-00003 kommentar"
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, FormsScreen)
        assert table_rows(app)[0][8].strip() == "1"  # FE-00002's comment now has a coding
    with qc.open_project(forms_path) as p:
        coded = p.codings(sources=["FE-00002 kommentar"])
        assert list(coded["code_path"]) == ["Barrierer/tid"]
        assert list(coded["text"]) == [MORE_FORMS[0]["texts"]["kommentar"]]


async def test_a_form_without_comment_says_so(forms_path):
    app = make_app(forms_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_forms(pilot)
        screen.query_one(DataTable).move_cursor(row=3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen


def test_forms_screen_80_by_24(forms_path, snap_compare):
    async def run_before(pilot):
        await open_forms(pilot)
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(make_app(forms_path, coder="ane"), terminal_size=(80, 24),
                        run_before=run_before)


def test_forms_screen_160_by_45(forms_path, snap_compare):
    async def run_before(pilot):
        await open_forms(pilot)
        await pilot.press("slash", *"planned=UTU", "enter")
        await pilot.pause()

    assert snap_compare(make_app(forms_path, coder="ane"), terminal_size=(160, 45),
                        run_before=run_before)


async def test_a_long_list_of_forms_is_filled_in_as_the_cursor_moves_down(study_path):
    """450 forms: the table starts with the first rows (building 16,720 at once took
    seconds), the status counts them all, and moving to the end reaches the last form."""
    with qc.open_project(study_path, coder="ane") as p:
        p.add_forms([{"key": f"FE-1{n:04d}", "date": "2013-01-01", "office": "3",
                      "values": {"mal_oppnadd": n % 10},
                      "texts": {"kommentar": f"Kommentar nummer {n}."}} for n in range(450)])
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count < 451
        assert "451 of 451 forms" in shown(app.screen.query_one("#form-status"))
        while table.cursor_row < 450:
            before = table.cursor_row
            await pilot.press("ctrl+end")  # to the last row filled in; again for more
            await pilot.pause()
            assert table.cursor_row > before
        assert table.row_count == 451
        assert "FE-10449" in shown(app.screen.query_one("#form-details"))


async def test_counts_names_and_item_filters_of_forms_ticked_every_way(forms_path):
    """The table counts the tools ticked yes (not those ticked no or left blank, nor the
    principles); the details name them; planned=, used=, tools= and a word find them."""
    principle = {"kind": "principle", "item": "prinsipp 1", "planned": True, "used": None}
    with qc.open_project(forms_path, coder="ane") as p:
        p.add_forms([
            {"key": "FE-00005", "date": "2012-04-01", "office": "3",
             "items": [tool("UTU", False, True), tool("speilinger", True, False),
                       tool("IIMA", False, False), tool("oppsummering", None, None),
                       principle]},
            {"key": "FE-00006", "date": "2012-04-02", "office": "3",
             "items": [tool("UTU", False, False), principle]}])
    app = make_app(forms_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_forms(pilot)
        rows = {r[0]: r for r in table_rows(app)}
        assert rows["FE-00005"][4:6] == ["1", "1"]  # planned, used
        assert rows["FE-00006"][4:6] == ["0", "0"]
        assert rows["FE-00003"][4:6] == ["2", "2"]
        screen.query_one(DataTable).move_cursor(row=4)
        await pilot.pause()
        details = shown(screen.query_one("#form-details"))
        assert "FE-00005" in details
        assert "planned: speilinger" in details and "used: UTU" in details
        for typed, keys in (("used=UTU", ["FE-00002", "FE-00003", "FE-00005"]),
                            ("planned=utu,IIMA", ["FE-00002", "FE-00003", "FE-00004"]),
                            ("tools=speilinger", ["FE-00002", "FE-00005"]),
                            ("planned= office=3", ["FE-00006"]),
                            ("principles=prinsipp", []),
                            ("prinsipp", ["FE-00005", "FE-00006"]),
                            ("speilinger", ["FE-00002", "FE-00005"])):
            await pilot.press("slash", "ctrl+u", *typed, "enter")
            await pilot.pause()
            assert [r[0] for r in table_rows(app)] == keys, typed


async def test_forms_are_made_ready_for_the_filter_after_the_first_frame(forms_path,
                                                                          monkeypatch):
    """Every form's items and filter row are made a few at a time after the screen's first
    frame (at 10x the whole took 0.7 s, which the first filter key waited for); a filter
    typed before that is done finishes it first and finds what a finished one finds."""
    from qualcode.tui.screens import forms

    monkeypatch.setattr(forms, "PREPARE_AT_ONCE", 1)
    app = make_app(forms_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7", "slash", *"used=UTU", "enter")  # before it is done
        await pilot.pause()
        early = [r[0] for r in table_rows(app)]
        screen = app.screen
        assert screen.fields is not None and len(screen.fields) == len(screen.forms)
        assert early == ["FE-00002", "FE-00003"]
        await pilot.press("escape")  # no filter: a reload makes them in the background
        screen.reload()
        assert screen.fields is None
        for _ in range(10):
            await pilot.pause()
        assert screen.fields is not None and len(screen.ready) == len(screen.forms)
        await pilot.press("slash", *"used=UTU", "enter")
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == early
