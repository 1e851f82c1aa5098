"""Snapshots of the main screens at fixed sizes (pytest-textual-snapshot).

After an intended change of the layout, look at the report, then accept with
`pytest tests/tui/test_tui_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from textual.widgets import Input
from tui_study import KONTOR02

from qualcode.tui.app import make_app
from qualcode.tui.widgets.reader.source_view import SourceView

SIZE = (100, 30)


def steady(app) -> None:
    """No blinking cursors in a screenshot."""
    for widget in app.screen.query(Input):
        widget.cursor_blink = False


def test_sources_screen(study_path, snap_compare):
    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=SIZE)


def test_reader_with_overlapping_codes(study_path, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        pilot.app.screen.query_one(SourceView).put_cursor(KONTOR02.index("fikk ikke"))
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane", source="kontor02_T2"),
                        terminal_size=SIZE, run_before=run_before)


def test_code_picker_with_definition(study_path, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        pilot.app.screen.query_one(SourceView).put_cursor(KONTOR02.index("Skjemaene tok"))
        await pilot.press("t")
        await pilot.pause()
        steady(pilot.app)
        await pilot.press(*"ti")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane", source="kontor02_T2"),
                        terminal_size=SIZE, run_before=run_before)


def test_codebook_screen(study_path, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("2", "down", "down")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=SIZE,
                        run_before=run_before)


def test_retrieval_screen(study_path, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("3", "slash")
        await pilot.pause()
        steady(pilot.app)
        await pilot.press(*"leadership", "enter")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=SIZE,
                        run_before=run_before)


def test_reader_in_80_by_24(study_path, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        view = pilot.app.screen.query_one(SourceView)
        start = KONTOR02.index("Hun satte")
        view.select_span(start, start + len("Hun satte av tid hver uke."))
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane", source="kontor02_T2"),
                        terminal_size=(80, 24), run_before=run_before)


def asked_to_remove_another_coders_coding():
    async def run_before(pilot):
        await pilot.pause()
        pilot.app.screen.query_one(SourceView).put_cursor(KONTOR02.index("det ble for mange"))
        await pilot.press("x")  # ole's coding, while coding as ane: asked first
        await pilot.pause()

    return run_before


def test_removing_another_coders_coding_asks_at_80_by_24(study_path, snap_compare):
    assert snap_compare(make_app(study_path, coder="ane", source="kontor02_T2"),
                        terminal_size=(80, 24),
                        run_before=asked_to_remove_another_coders_coding())


def test_removing_another_coders_coding_asks_at_160_by_45(study_path, snap_compare):
    assert snap_compare(make_app(study_path, coder="ane", source="kontor02_T2"),
                        terminal_size=(160, 45),
                        run_before=asked_to_remove_another_coders_coding())


def picker_with_a_recent_code():
    async def run_before(pilot):
        await pilot.pause()
        view = pilot.app.screen.query_one(SourceView)
        view.put_cursor(KONTOR02.index("Altså"))
        await pilot.press("t")
        await pilot.pause()
        steady(pilot.app)
        await pilot.press(*"hemmer", "enter")  # now a recent code
        await pilot.pause()
        # its "Coded …" note would vanish after its timeout: a loaded machine took the
        # picture without it
        pilot.app.clear_notifications()
        view.put_cursor(KONTOR02.index("Skjemaene tok"))
        await pilot.press("t")
        await pilot.pause()
        steady(pilot.app)
        await pilot.pause()

    return run_before


def test_picker_lists_recent_codes_first_at_80_by_24(study_path, snap_compare):
    assert snap_compare(make_app(study_path, coder="ane", source="kontor02_T2"),
                        terminal_size=(80, 24), run_before=picker_with_a_recent_code())


def test_picker_lists_recent_codes_first_at_160_by_45(study_path, snap_compare):
    assert snap_compare(make_app(study_path, coder="ane", source="kontor02_T2"),
                        terminal_size=(160, 45), run_before=picker_with_a_recent_code())
