"""Adjudication screen and the screening decision key, driven with Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import Static

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.adjudication import AdjudicationScreen

pytestmark = pytest.mark.anyio
SIZE = (110, 32)


def shown(static) -> str:
    content = static.content
    return content.plain if hasattr(content, "plain") else str(content)


def agreed_codings(path) -> list[tuple[str, str]]:
    with qc.open_project(path) as p:
        frame = p.codings(coders=["konsensus"])
        return list(zip(frame["code_path"], frame["text"], strict=True))


async def test_step_through_disagreements_and_record_konsensus(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("enter")   # ane,ole: the two coders with codings
        await pilot.pause()
        await pilot.press("enter")   # konsensus
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AdjudicationScreen)
        heading = shown(screen.query_one("#adjudication-heading", Static))
        assert heading.startswith("1 of 3 · Barrierer/tid · kontor02_T2")
        assert "ane" in shown(screen.query_one("#side-a", Static))
        assert "(did not code this)" in shown(screen.query_one("#side-b", Static))
        await pilot.press("a")       # ane's "tid" is agreed
        await pilot.pause()
        assert shown(screen.query_one("#adjudication-heading", Static)).startswith("2 of 3")
        await pilot.press("n")       # nothing recorded: the code is not there
        await pilot.pause()
        await pilot.press("b")       # third: ole did not code it, so nothing either
        await pilot.pause()
        await pilot.press("left")    # the last decision stays on the last place
        await pilot.pause()
        await pilot.press("b")       # second again: take ole's coding after all
        await pilot.pause()
        assert agreed_codings(study_path) == [
            ("Barrierer/tid", "Vi fikk ikke tid til å øve."),
            ("Barrierer/opplæring/for mye for fort",
             "det ble for mange verktøy på én gang. Vi fikk ikke")]
        await pilot.press("ctrl+z")  # one key, one step back
        await pilot.pause()
        assert agreed_codings(study_path) == [("Barrierer/tid", "Vi fikk ikke tid til å øve.")]
        assert "konsensus: nothing recorded" in shown(
            screen.query_one("#adjudication-agreed", Static))


async def test_decision_key_on_a_source(study_path):
    app = make_app(study_path, coder="ane", source="kontor05_T1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d", "i")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert p.decision_of("kontor05_T1", phase="screening", coder="ane") == (
                "include", None)
        await pilot.press("d", "e", *"for kort", "enter")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert p.decision_of("kontor05_T1", phase="screening", coder="ane") == (
                "exclude", "for kort")
        await pilot.press("ctrl+z")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert p.decision_of("kontor05_T1", phase="screening", coder="ane") == (
                "include", None)
        await pilot.press("d", "p", *["backspace"] * 9, *"in-depth", "enter")  # another phase
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert p.phases() == ["screening", "in-depth"]
