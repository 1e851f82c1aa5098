"""Snapshots of the screens added for finding, reviewing suggestions and adjudicating, at the
smallest terminal the app supports (80×24) and a large one (160×45)."""

from __future__ import annotations

import pytest

import qualcode as qc
from qualcode.tui.app import make_app

SIZES = [(80, 24), (160, 45)]


async def find(pilot) -> None:
    await pilot.pause()
    await pilot.press("5")
    await pilot.pause()
    await pilot.press(*"tid", "enter")
    await pilot.pause()


async def suggestions(pilot) -> None:
    await pilot.pause()
    await pilot.press("6")
    await pilot.pause()


async def adjudication(pilot) -> None:
    await pilot.pause()
    await pilot.press("4")
    await pilot.pause()
    await pilot.press("enter")  # ane and ole, the two coders with codings
    await pilot.pause()
    await pilot.press("enter")  # recorded as konsensus
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("run_before", [find, suggestions, adjudication],
                         ids=lambda run: run.__name__)
def test_screen(study_path, snap_compare, run_before, size):
    if run_before is suggestions:  # a queue to review: the patterns' suggestions, stored
        with qc.open_project(study_path, coder="ane") as p:
            p.update_code("Barrierer/tid", patterns=["tid"])
            p.update_code("Føringer/ledelse", patterns=["leder"])
            p.autocode(["Barrierer/tid", "Føringer/ledelse"])
    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=size,
                        run_before=run_before)
