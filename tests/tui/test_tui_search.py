"""Find across the project, / in the reader, and the suggestions queue with background
autocoding, driven with Pilot; what they write is checked in the project file."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable
from tui_study import KONTOR02, span_of

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.find import FindScreen
from qualcode.tui.screens.reader import ReaderScreen
from qualcode.tui.screens.suggestions import SuggestionsScreen
from qualcode.tui.widgets.picker.code_picker import CodePicker
from qualcode.tui.widgets.reader.source_view import SourceView

pytestmark = pytest.mark.anyio
SIZE = (110, 32)


def rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def file_codings(path, coder="ane"):
    with qc.open_project(path) as p:
        frame = p.codings(coders=[coder])
        return sorted(zip(frame["code_path"], frame["text"], frame["origin"], strict=True))


async def search(pilot, query: str) -> None:
    await pilot.press("5")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FindScreen)
    await pilot.press(*query, "enter")
    await pilot.pause()


async def test_find_lists_hits_in_context_and_enter_opens_the_source_at_the_hit(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "skjemaene  TOK")  # any case, any run of spaces
        assert [r[0] for r in rows(app)] == ["kontor02_T2"]
        assert rows(app)[0][1] == "turn 6 · IP"  # where a reader finds it, not an offset
        assert "Skjemaene tok mye tid." in rows(app)[0][2]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.query_one(SourceView).selected_span == span_of(KONTOR02,
                                                                         "Skjemaene tok")


async def test_a_hit_outside_speaker_turns_says_its_line(study_path):
    with qc.open_project(study_path) as p:
        p.add_source("feltnotat", "Samling 3.\nKursholder viste skjemaene.\n\nSkjemaene igjen.",
                     kind="fieldnote")
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "skjemaene")
        assert [r[:2] for r in rows(app)] == [["feltnotat", "line 2"], ["feltnotat", "line 4"],
                                              ["kontor02_T2", "turn 5 · I"],
                                              ["kontor02_T2", "turn 6 · IP"]]


async def test_code_every_hit_as_its_sentence_in_one_change(study_path):
    before = file_codings(study_path)
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "fikk")
        assert len(rows(app)) == 1
        await pilot.press("f2")  # every form of the word: nothing more here, "vi fikk" only
        await pilot.pause()
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"tid", "enter")
        await pilot.pause()
        hits = len(rows(app))
        assert hits >= 3
        await pilot.press("a", "s")  # code all, as sentences
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"tid", "enter")
        await pilot.pause()
    added = [c for c in file_codings(study_path) if c not in before]
    assert ("Barrierer/tid", "Skjemaene tok mye tid.", "manual") in added
    assert ("Barrierer/tid", "Hun satte av tid hver uke.", "manual") in added
    with qc.open_project(study_path, coder="ane") as p:
        assert p.history(1)[0].action == "code hits"
        p.undo()
    assert file_codings(study_path) == before


async def test_slash_in_the_reader_finds_in_the_source_and_n_steps_through(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"VI", "enter")
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        starts = [i for i in range(len(KONTOR02)) if KONTOR02[i:i + 2].lower() == "vi"
                  and (i == 0 or not KONTOR02[i - 1].isalnum())]
        assert view.selected_span == (starts[0], starts[0] + 2)
        await pilot.press("n")
        assert view.selected_span == (starts[1], starts[1] + 2)
        await pilot.press("N")
        assert view.selected_span == (starts[0], starts[0] + 2)
        await pilot.press("c")  # the hit is selected: c codes it
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)


def with_patterns(path, **patterns) -> None:
    with qc.open_project(path, coder="ane") as p:
        for code, words in patterns.items():
            p.update_code(code, patterns=words)


async def run_autocode(pilot, unit_key: str = "s") -> SuggestionsScreen:
    await pilot.press("6")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SuggestionsScreen)
    await pilot.press("u", unit_key)
    await screen.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_autocode_in_the_background_then_accept_reject_and_accept_all(study_path):
    with_patterns(study_path, **{"Barrierer/tid": ["tid"], "Føringer/ledelse": ["leder"]})
    before = file_codings(study_path)
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await run_autocode(pilot)
        listed = rows(app)
        assert {r[0] for r in listed} == {"tid", "ledelse"} and {r[2] for r in listed} == {
            "sentence"}
        assert file_codings(study_path) == before  # nothing is coded until accepted
        first = listed[0]
        await pilot.press("a")
        await pilot.pause()
        assert len(rows(app)) == len(listed) - 1
        await pilot.press("r")
        await pilot.pause()
        table_code = rows(app)[0][0]
        await pilot.press("A")  # every open one of the highlighted code
        await pilot.pause()
        assert table_code not in {r[0] for r in rows(app)}
    added = [c for c in file_codings(study_path) if c not in before]
    assert added and {origin for _, _, origin in added} == {"auto"}
    assert any(path.endswith(first[0]) for path, _, _ in added)
    with qc.open_project(study_path, coder="ane") as p:
        assert len(p.suggestions(state="rejected")) == 1
        assert p.history(1)[0].action == "accept suggestions"
        p.undo()  # all of the code's, in one step
        assert len(p.suggestions(state="accepted")) == 1


async def test_a_cancelled_autocode_stores_nothing(study_path):
    with qc.open_project(study_path, coder="ane") as p:
        p.update_code("Barrierer/tid", patterns=["tid"])
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        screen.start_autocode("sentence")  # what u then s do; esc before the worker's
        screen.action_cancel_or_back()  # first batch stops it, and the queue stays
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen and rows(app) == []
        await pilot.press("u", "s")  # not cancelled: the same run stores its suggestions
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert len(rows(app)) > 0
    with qc.open_project(study_path) as p:
        assert len(p.suggestions(state=None)) == len(p.suggestions())


async def test_a_suggestion_is_shown_in_its_own_words_and_spacing(study_path):
    """The queue showed "Skjemaene tok mye tid ." (a space before the full stop) and a space
    before a sentence that starts the unit: the hit was glued in with spaces of its own."""
    with_patterns(study_path, **{"Barrierer/tid": ["tid"]})
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await run_autocode(pilot)
        shown = [row[3] for row in rows(app)]
    assert "Skjemaene tok mye tid." in shown
    assert "Hun satte av tid hver uke." in shown
