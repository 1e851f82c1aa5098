"""The screens analysts use most, at the smallest terminal the app supports (80×24) and a large
one (160×45): the list, the codebook with a code's definition, retrieval with context."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from qualcode.tui.app import make_app

SIZES = [(80, 24), (160, 45)]


def steady(app) -> None:
    """No blinking cursors in a screenshot."""
    for widget in app.screen.query(Input):
        widget.cursor_blink = False


async def sources(pilot) -> None:
    await pilot.pause()


async def codebook(pilot) -> None:
    await pilot.pause()
    await pilot.press("2", "down", "down")  # a code with a definition, include and exclude
    await pilot.pause()


async def retrieval(pilot) -> None:
    await pilot.pause()
    await pilot.press("3", "slash")
    await pilot.pause()
    steady(pilot.app)
    await pilot.press(*"leadership", "enter")
    await pilot.pause()
    await pilot.press("x")  # the text around each excerpt
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("run_before", [sources, codebook, retrieval],
                         ids=lambda run: run.__name__)
def test_screen(study_path, snap_compare, run_before, size):
    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=size,
                        run_before=run_before)
