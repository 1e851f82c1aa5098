"""Retrieval of a code with more excerpts than fit in the list at once: all of them are there,
the heading says how many, and the last one can be reached and opened."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static
from tui_study import shown

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.reader import ReaderScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 30)
EXCERPTS = 650


def build(path) -> str:
    """One source of EXCERPTS numbered sentences, each coded tid; the text of the last."""
    sentences = [f"Setning nummer {n:04d} om tid til å øve." for n in range(1, EXCERPTS + 1)]
    text = "\n".join(sentences)
    with qc.create_project(path, coder="ane") as p:
        p.add_code("tid", en="time")
        src = p.add_source("lang_tekst", text)
        at = 0
        items = []
        for sentence in sentences:
            items.append((src.id, at, at + len(sentence), "tid"))
            at += len(sentence) + 1
        p.code_many(items)
    return sentences[-1]


async def test_every_excerpt_is_listed_and_the_last_one_opens(tmp_path, monkeypatch):
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(tmp_path / "config"))
    path = tmp_path / "long.qualcode"
    last = build(path)
    app = make_app(path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "slash", *"tid", "enter")
        await pilot.pause()
        heading = shown(app.screen.query_one("#excerpts-heading", Static))
        assert f"{EXCERPTS} excerpts from 1 source" in heading
        assert "listed so far" in heading  # not all of them in the list yet, and it says so
        options = app.screen.query_one("#excerpts", OptionList)
        await pilot.press("tab", "end")  # to the excerpts, then the last of them
        await pilot.pause()
        assert options.option_count == EXCERPTS
        assert options.highlighted == EXCERPTS - 1
        assert last in str(options.get_option_at_index(options.highlighted).prompt)
        assert "listed so far" not in shown(app.screen.query_one("#excerpts-heading", Static))
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        start, end = reader.view.selected_span
        assert reader.source.text[start:end] == last


async def test_moving_down_the_list_fills_it_in(tmp_path, monkeypatch):
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(tmp_path / "config"))
    path = tmp_path / "long.qualcode"
    build(path)
    app = make_app(path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "slash", *"tid", "enter", "tab")
        await pilot.pause()
        options = app.screen.query_one("#excerpts", OptionList)
        for _ in range(EXCERPTS // 5):
            await pilot.press("pagedown")
        await pilot.pause()
        assert options.option_count == EXCERPTS
        assert options.highlighted == EXCERPTS - 1
