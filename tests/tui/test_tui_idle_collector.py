"""The running app collects garbage at rest and gives the collector back when it exits."""

from __future__ import annotations

import gc
import weakref

import pytest

from qualcode.tui import idle_collector
from qualcode.tui.app import make_app

pytestmark = pytest.mark.anyio


class Node:
    def __init__(self) -> None:
        self.me = self


async def test_the_app_frees_cycles_when_the_user_rests(study_path, monkeypatch):
    monkeypatch.setattr(idle_collector, "REST", 0.5)
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not gc.isenabled()  # no pass of its own in the middle of a key
        refs = [weakref.ref(Node()) for _ in range(5000)]
        await pilot.press("down")  # the user is busy (a key that makes few objects: a screen
        await pilot.pause(0.1)  # switch makes so many that they are collected at once)
        assert any(r() is not None for r in refs)
        app.collector.old = 1  # as if little survived the last full pass (in a process that
        # ran other apps first, what they left makes the quarter that triggers one larger)
        await pilot.pause(1.2)  # at rest: the next tick collects
        assert all(r() is None for r in refs)
        assert app.collector.full_passes >= 1
    assert gc.isenabled()
