"""Typing in the app: no key lost or reordered, and the code picker applies only what was chosen."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from tui_study import KONTOR02, burst

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.reader import ReaderScreen
from qualcode.tui.widgets.picker.code_picker import CodePicker
from qualcode.tui.widgets.reader.source_view import SourceView

pytestmark = pytest.mark.anyio
SIZE = (100, 30)
FAST = [*"ledelse", *["backspace"] * 7, *"uklare"]
"""A word, held backspace, another word: what came out as "lklare"."""


def codings_of_turn(path, start: int) -> set[str]:
    with qc.open_project(path) as p:
        return {r.code_path for r in p.codings(sources=["kontor02_T2"]).itertuples()
                if r.start == start}


async def test_fast_typing_in_the_sources_filter_keeps_every_key(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await burst(pilot, FAST)
        assert app.screen.query_one("#filter", Input).value == "uklare"


async def test_a_word_typed_fast_in_the_sources_filter_is_filtered_once(study_path):
    """At 10x a filter of the sources list takes 0.1 s: filtered at every key, a word typed
    at key-repeat speed kept the list busy for a second after the last key."""
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        filtered: list[str] = []
        refill = screen.delay.refill
        screen.delay.refill = lambda: (
            filtered.append(screen.query_one("#filter", Input).value), refill())
        await pilot.press("slash")
        await burst(pilot, [*"kontor02"])
        await pilot.pause(0.3)
        # the first key after a rest at once (the keys typed by then are in the input), the
        # rest once after the last: not eight times
        assert len(filtered) <= 2 and filtered[-1] == "kontor02"
        names = {row["name"] for row in screen.matching}
        assert "kontor02_T2" in names and "kontor05_T1" not in names


async def test_fast_typing_in_the_code_picker_keeps_every_key(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await burst(pilot, [*FAST, *["backspace"] * 6, *"hemmer"])
        assert app.screen.query_one(Input).value == "hemmer"
        assert app.screen.highlighted_code().path == "valens/hemmer"


async def test_enter_applies_exactly_the_marked_codes(study_path):
    """Mark a code, clear the search, enter: the marked code only, not the first of the tree."""
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    turn = KONTOR02.index("Skjemaene tok")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one(SourceView).put_cursor(turn)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"hemmer", "tab", "ctrl+u")
        await pilot.pause()
        assert app.screen.query_one(Input).value == ""
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
    assert codings_of_turn(study_path, turn) == {"valens/hemmer"}


async def test_an_empty_search_highlights_nothing_and_enter_applies_nothing(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    turn = KONTOR02.index("Skjemaene tok")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one(SourceView).put_cursor(turn)
        await pilot.press("t")
        await pilot.pause()
        picker = app.screen
        assert picker.highlighted_code() is None
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is picker  # still choosing
        await pilot.press("down", "enter")  # the first codable code: tid
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
    assert codings_of_turn(study_path, turn) == {"Barrierer/tid"}


async def test_typing_a_category_s_name_highlights_no_other_code(study_path):
    """Typing "valens" (a category that takes no codings) highlighted its first code, "fremmer",
    so enter coded what nobody typed. The best match is a category: nothing is highlighted,
    the panel says why, and enter applies nothing until a code is chosen with ↓."""
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    turn = KONTOR02.index("Skjemaene tok")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one(SourceView).put_cursor(turn)
        await pilot.press("t")
        await pilot.pause()
        picker = app.screen
        await pilot.press(*"valens")
        await pilot.pause()
        assert picker.highlighted_code() is None
        details = picker.query_one("#picker-details")
        assert "“valens” is a category" in str(details.render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is picker  # nothing applied
        await pilot.press("down", "enter")  # its first code, chosen
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
    assert codings_of_turn(study_path, turn) == {"valens/fremmer"}
