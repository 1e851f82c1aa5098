"""The demo project opens in the terminal UI (what `qualcode demo` does), driven with Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from qualcode.demo import build_demo
from qualcode.tui.app import make_app
from qualcode.tui.screens.reader import ReaderScreen

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # the whole app, as in tests/tui


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def demo_path(tmp_path, monkeypatch):
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(tmp_path / "config"))
    path = tmp_path / "hpmt_demo.qualcode"
    build_demo(path)
    return path


async def test_the_demo_opens_with_its_sources_and_codings(demo_path):
    app = make_app(demo_path, coder="kari")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[0]): table.get_row_at(i) for i in range(table.row_count)}
        total = app.project.info()["sources"]
        assert len(app.screen.shown) == total > 1400  # every source is listed ...
        assert 0 < table.row_count < total  # ... and put in the table as the cursor nears them
        assert str(app.screen.query_one("#source-status").render()).startswith(
            f"{total} of {total} sources")
        coded = rows["kontor02_hpmt-veileder_T2"]
        assert str(coded[1]) == "transcript" and int(str(coded[2]).strip()) >= 10


async def test_the_reader_shows_a_coded_demo_interview(demo_path):
    app = make_app(demo_path, coder="kari", source="kontor05_kvp-veileder_T2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.source.name == "kontor05_kvp-veileder_T2"
