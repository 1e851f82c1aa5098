"""The reader, driven with Pilot: every way of coding ends up in the project file."""

from __future__ import annotations

import pytest
from tui_study import FORM_COMMENT, KONTOR02, shown, span_of

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.reader import ReaderScreen
from qualcode.tui.widgets.common.prompts import Choice, MemoEditor
from qualcode.tui.widgets.picker.code_picker import CodePicker
from qualcode.tui.widgets.picker.coding_chooser import CodingChooser
from qualcode.tui.widgets.reader.coding_panel import CodingPanel
from qualcode.tui.widgets.reader.source_view import SourceView

pytestmark = pytest.mark.anyio
SIZE = (100, 30)


def stored(path, source="kontor02_T2") -> set[tuple]:
    """(start, end, code path, coder, memo) of every coding of a source, read from the file."""
    with qc.open_project(path) as p:
        frame = p.codings(sources=[source])
    return {(r.start, r.end, r.code_path, r.coder, r.memo if isinstance(r.memo, str) else None)
            for r in frame.itertuples()}


def app_on(path, source="kontor02_T2", coder="ane"):
    return make_app(path, coder=coder, source=source)


async def pick(pilot, query: str) -> None:
    assert isinstance(pilot.app.screen, CodePicker)
    await pilot.press(*query)
    await pilot.press("enter")
    await pilot.pause()


def view_of(app) -> SourceView:
    return app.screen.query_one(SourceView)


async def test_code_a_speaker_turn(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(app)
        view.put_cursor(KONTOR02.index("Hva med skjemaene"))  # on the label line "I: ..."
        await pilot.press("down", "down")  # to the next turn, "IP: Skjemaene ..."
        await pilot.press("t")
        await pilot.pause()
        await pick(pilot, "tid")
    start = KONTOR02.index("Skjemaene tok")
    end = KONTOR02.index("lovet.") + len("lovet.")
    assert (start, end, "Barrierer/tid", "ane", None) in stored(study_path)


async def test_code_a_selection_made_with_shift_arrows(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        start = KONTOR02.index("Hun satte av tid")
        view_of(app).put_cursor(start)
        await pilot.press(*["shift+right"] * len("Hun satte av tid"))
        assert view_of(app).selected_span == (start, start + len("Hun satte av tid"))
        await pilot.press("c")
        await pick(pilot, "time")  # the English label finds "tid"
        assert view_of(app).selected_span is None  # the new colour shows, not the selection
    assert (start, start + 16, "Barrierer/tid", "ane", None) in stored(study_path)


async def test_v_starts_a_selection_that_the_arrows_extend(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        start = KONTOR02.index("Vi hadde faste")
        view_of(app).put_cursor(start)
        await pilot.press("v", *["right"] * 8)
        assert view_of(app).selected_span == (start, start + 8)
        panel = shown(app.screen.query_one("#panel-body"))
        assert "Selecting: 8 characters" in panel
        await pilot.press("c")
        await pick(pilot, "ledelse")
    assert (start, start + 8, "Føringer/ledelse", "ane", None) in stored(study_path)


async def test_code_a_sentence(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("begynte vi"))
        await pilot.press("s")
        await pilot.pause()
        await pick(pilot, "tid")
    # "Kl." does not end the sentence: the abbreviation rule keeps it whole
    assert (*span_of(KONTOR02, "Kl. 10 begynte vi, og vi holdt på til fire."), "Barrierer/tid",
            "ane", None) in stored(study_path)


async def test_code_a_paragraph_of_two_lines(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("faste møter"))
        await pilot.press("p")
        await pilot.pause()
        await pick(pilot, "ledelse")
    start = KONTOR02.index("IP: Lederen")
    end = KONTOR02.index("tirsdager.") + len("tirsdager.")
    assert (start, end, "Føringer/ledelse", "ane", None) in stored(study_path)


async def test_code_a_whole_form_comment_with_one_key(study_path):
    app = make_app(study_path, coder="ane", source="FE-00001 kommentar")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        await pick(pilot, "fremmer")
    assert stored(study_path, "FE-00001 kommentar") == {
        (0, len(FORM_COMMENT), "valens/fremmer", "ane", None)}


async def test_several_codes_on_one_span_are_one_undo_step(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("Skjemaene tok"))
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"tid", "tab")  # mark "tid", keep picking
        await pilot.press(*["backspace"] * 3, *"hemmer", "tab", "enter")  # the marked two
        await pilot.pause()
        turn = (KONTOR02.index("Skjemaene tok"), KONTOR02.index("lovet.") + 6)
        assert {(*turn, "Barrierer/tid", "ane", None),
                (*turn, "valens/hemmer", "ane", None)} <= stored(study_path)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not {row for row in stored(study_path) if row[:2] == turn}
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert len({row for row in stored(study_path) if row[:2] == turn}) == 2


async def test_remove_one_of_two_overlapping_codings(study_path):
    app = app_on(study_path)
    before = stored(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("Vi fikk ikke tid"))  # tid and ole's code
        await pilot.press("x")
        await pilot.pause()
        chooser = app.screen
        assert isinstance(chooser, CodingChooser)
        assert len(chooser.codings) == 2
        first = chooser.codings[0]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
    after = stored(study_path)
    assert len(before - after) == 1
    (removed,) = before - after
    assert removed[:2] == (first.start, first.end)


async def test_a_memo_is_written_edited_and_removed(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("Hun satte"))
        await pilot.press("shift+right", "shift+right", "c")
        await pick(pilot, "tid")
        view_of(app).put_cursor(KONTOR02.index("Hun satte"))
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"Tidspress", "ctrl+s")
        await pilot.pause()
        memos = {r[4] for r in stored(study_path) if r[0] == KONTOR02.index("Hun satte")}
        assert memos == {"Tidspress"}
        panel = shown(app.screen.query_one("#panel-body"))
        assert "Tidspress" in panel
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", "ctrl+s")  # clear the text: the memo goes
        await pilot.pause()
    memos = {r[4] for r in stored(study_path) if r[0] == KONTOR02.index("Hun satte")}
    assert memos == {None}


async def test_side_panel_lists_the_codes_and_coders_of_the_line(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("Altså"))
        await pilot.pause()
        panel = shown(app.screen.query_one(CodingPanel).query_one("#panel-body"))
    assert "tid" in panel and "ane" in panel
    assert "for mye for fort" in panel and "ole" in panel


async def test_a_refused_coding_changes_nothing_and_says_why(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("Skjemaene tok"))
        await pilot.press("t")
        await pick(pilot, "fremmer")
        before = stored(study_path)
        await pilot.press("t")
        await pick(pilot, "hemmer")  # exclusive with "fremmer" on the same passage
        assert stored(study_path) == before
        messages = [n.message for n in app._notifications]
    assert any("exclusive" in m for m in messages)


async def test_mouse_drag_selects_text(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(app)
        await pilot.mouse_down(SourceView, offset=(6, 0))
        await pilot.hover(SourceView, offset=(12, 0))
        await pilot.mouse_up(SourceView, offset=(12, 0))
        span = view.selected_span
    assert span is not None and span[1] - span[0] == 6


async def test_jump_to_next_coding_and_next_source(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the first transcript, kontor02_T2
        await pilot.pause()
        assert app.screen.source.name == "kontor02_T2"
        await pilot.press("right_square_bracket")
        first = min(k.start for k in app.screen.codings)
        assert view_of(app).cursor_offset == first
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.screen.source.name == "kontor05_T1"
        await pilot.press("escape")  # nothing selected: esc does not leave the reader
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("q")
        await pilot.pause()
        assert app.screen.id == "sources"


async def test_changes_by_another_program_show_up(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = len(app.screen.codings)
        with qc.open_project(study_path, coder="script") as p:
            p.code_span("kontor02_T2", 0, 5, "Barrierer/tid")
        app.poll_outside_changes()
        await pilot.pause()
        assert len(app.screen.codings) == before + 1


async def test_t_at_the_end_of_a_turn_codes_that_turn(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("Skjemaene tok"))
        await pilot.press("end", "t")  # the cursor after the turn's last character
        await pilot.pause()
        await pick(pilot, "tid")
    assert (*span_of(KONTOR02, "Skjemaene tok mye tid. Men de hjalp oss å huske hva vi hadde "
                     "lovet."), "Barrierer/tid", "ane", None) in stored(study_path)


async def test_removing_another_coders_coding_asks_first(study_path):
    app = app_on(study_path)  # coding as ane; "det ble for mange" is coded by ole only
    ole = (*span_of(KONTOR02, "det ble for mange verktøy på én gang. Vi fikk ikke"),
           "Barrierer/opplæring/for mye for fort", "ole", None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("det ble for mange"))
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        assert "ole's coding" in shown(app.screen.query_one("#choice-question"))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and ole in stored(study_path)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert ole not in stored(study_path)


async def test_removing_your_own_coding_does_not_ask(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("Lederen vår"))
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
    assert not [r for r in stored(study_path) if r[2] == "Føringer/ledelse"]


async def test_esc_in_the_memo_editor_asks_before_throwing_text_away(study_path):
    app = app_on(study_path)
    old = "Lederen gir tid: se også turen om skjema."
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("Lederen vår"))
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*" Viktig.", "escape")
        await pilot.pause()
        assert isinstance(app.screen, Choice)  # asked, not thrown away
        await pilot.press("escape")  # keep writing
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press("escape", "d")  # discard
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert {r[4] for r in stored(study_path) if r[2] == "Føringer/ledelse"} == {old}
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*" Viktig.", "escape", "s")  # save
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
    assert {r[4] for r in stored(study_path) if r[2] == "Føringer/ledelse"} == {old + " Viktig."}


async def test_undo_says_what_was_undone_in_words(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("Lederen vår"))
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        message = [n.message for n in app._notifications][-1]
    assert message == "Undid removing the coding ledelse from “Lederen vår støttet oss” " \
        "(kontor02_T2)."


async def test_moving_by_turn_to_the_ends_and_to_a_line_or_share(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(app)
        view.put_cursor(KONTOR02.index("Altså"))
        await pilot.press("right_curly_bracket")  # the next turn: "Og veiledningen etterpå?"
        assert view.cursor_offset == KONTOR02.index("Og veiledningen")
        await pilot.press("left_curly_bracket", "left_curly_bracket")
        assert view.cursor_offset == KONTOR02.index("Hvordan var")
        await pilot.press("ctrl+end")
        assert view.cursor_offset == len(KONTOR02)
        await pilot.press("ctrl+home")
        assert view.cursor_offset == 0
        await pilot.press("g", *"5", "enter")
        await pilot.pause()
        assert view.cursor_offset == KONTOR02.index("I: Og veiledningen")  # line 5
        await pilot.press("g", *"50%", "enter")
        await pilot.pause()
        assert view.cursor_offset == round(len(KONTOR02) / 2)
        await pilot.press("g", *"99999", "enter")  # no such line: says so, stays put
        await pilot.pause()
        assert view.cursor_offset == round(len(KONTOR02) / 2)


async def test_code_again_and_recent_codes_first_in_the_picker(study_path):
    app = app_on(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("Altså"))
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"hemmer", "tab", *["backspace"] * 6, *"tid", "tab", "enter")
        await pilot.pause()
        view_of(app).put_cursor(KONTOR02.index("Skjemaene tok"))
        await pilot.press("full_stop")  # the same codes on the turn at the cursor
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CodePicker)
        await pilot.press("down")  # the codes used last come first, in the order marked
        assert picker.highlighted_code().path == "valens/hemmer"
        await pilot.press("down")
        assert picker.highlighted_code().path == "Barrierer/tid"
        await pilot.press("escape")
    skjema = span_of(KONTOR02, "Skjemaene tok mye tid. Men de hjalp oss å huske hva vi hadde "
                     "lovet.")
    assert {(*skjema, "valens/hemmer", "ane", None),
            (*skjema, "Barrierer/tid", "ane", None)} <= stored(study_path)
