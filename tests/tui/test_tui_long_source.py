"""A long source (thousands of codings): the reader shows its first screen before it has read
and wrapped all of it, says so, and codes correctly meanwhile."""

from __future__ import annotations

import random

import pytest
from tui_study import shown

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens import reader as reader_module
from qualcode.tui.screens.reader import ReaderScreen
from qualcode.tui.widgets.picker.code_picker import CodePicker
from qualcode.tui.widgets.reader.source_view import SourceView

pytestmark = pytest.mark.anyio
SIZE = (100, 30)
SENTENCES = ("Vi fikk ikke tid til å øve mellom samlingene.",
             "Lederen vår satte av tid hver uke, og det hjalp.",
             "Det ble for mange verktøy på én gang, syntes jeg.",
             "Skjemaene tok mye tid, men de hjalp oss å huske hva vi hadde lovet.")
CODES = ("tid", "ledelse", "skjema")


def build_long(path, turns: int = 900, codings: int = 2600) -> None:
    """One interview of `turns` turns (about 150 KB) with `codings` codings by ane."""
    rng = random.Random(7)
    parts, spans_, length = [], [], 0
    for n in range(turns):
        label = "I: " if n % 2 == 0 else "IP: "
        words = " ".join(rng.choice(SENTENCES) for _ in range(1 + n % 2 * 3))
        spans_.append(("I" if n % 2 == 0 else "IP", length + len(label),
                       length + len(label) + len(words)))
        parts.append(label + words + "\n\n")
        length += len(parts[-1])
    text = "".join(parts)
    with qc.create_project(path, coder="ane") as p:
        top = p.add_code("Tema", codable=False, en="themes")
        for name in CODES:
            p.add_code(name, top)
        src = p.add_source("langt", text, turns=spans_)
        items = set()
        while len(items) < codings:
            _, start, end = rng.choice(spans_)
            a = rng.randrange(start, end - 1)
            items.add((src.id, a, min(end, a + rng.randint(5, 120)),
                       f"Tema/{rng.choice(CODES)}"))
        p.code_many(sorted(items))


def stored_ids(path) -> set[int]:
    with qc.open_project(path) as p:
        return {k.id for k in p.codings_of("langt")}


def panel_text(app) -> str:
    return shown(app.screen.query_one("#panel-body"))


def lines_in_view(view: SourceView) -> tuple[int, int]:
    """The offsets from the first to the last character of the lines on the screen."""
    top = round(view.scroll_y)
    rows = range(top, top + view.size.height)
    lines = [view.wrapped_document._offset_to_line_info[y][0] for y in rows
             if y < view.wrapped_document.height]
    first, last = min(lines), max(lines)
    end = view.starts[last + 1] if last + 1 < len(view.starts) else len(view.source_text)
    return view.starts[first], end


async def test_the_first_frame_shows_the_lines_in_view_coded_and_says_the_rest_is_loading(
        tmp_path, monkeypatch):
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(tmp_path / "config"))
    path = tmp_path / "long.qualcode"
    build_long(path)
    with qc.open_project(path) as p:
        every = p.codings_of("langt")
    app = make_app(path, coder="ane", source="langt")
    first: dict = {}

    def at_first_frame() -> None:
        screen = app.screen
        if first or not isinstance(screen, ReaderScreen):
            return
        view = screen.query_one(SourceView)
        start, end = lines_in_view(view)
        first.update(loading=screen.loading_after is not None, panel=panel_text(app),
                     wrapped=view.fully_wrapped, shown={k.id for k in screen.codings},
                     in_view={k.id for k in every if k.start < end and k.end > start})

    app.post_display_hook = at_first_frame
    async with app.run_test(size=SIZE) as pilot:
        while app.screen.loading_after is not None or not app.screen.view.fully_wrapped:
            await pilot.pause(0.01)
        await pilot.pause()
        after = {k.id for k in app.screen.codings}
        panel = panel_text(app)
    assert first["loading"] and "Loading codings…" in first["panel"]
    assert not first["wrapped"]  # only as far as the screen reaches
    assert first["in_view"] and first["in_view"] <= first["shown"] < after
    assert after == {k.id for k in every}
    assert "Loading codings" not in panel


async def test_keys_code_and_find_codings_correctly_while_the_rest_is_loading(
        tmp_path, monkeypatch):
    """The pages after the first wait (here for an hour): coding in view is stored and shown;
    a key that needs codings beyond the screen reads the rest first."""
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setattr(reader_module, "LOAD_PAUSE", 3600.0)
    monkeypatch.setattr(reader_module, "CODINGS_AT_ONCE", 500)
    path = tmp_path / "long.qualcode"
    build_long(path)
    app = make_app(path, coder="ane", source="langt")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen
        assert reader.loading_after is not None
        assert "Loading codings…" in panel_text(app)
        reader.view.put_cursor(reader.turns[5].start + 2)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"skjema", "enter")
        await pilot.pause()
        turn = reader.turns[5]
        with qc.open_project(path) as p:
            made = [k for k in p.codings_of("langt")
                    if (k.start, k.end) == (turn.start, turn.end)]
        assert len(made) == 1 and made[0].id in {k.id for k in reader.codings}
        assert reader.loading_after is not None  # still loading: the page after waits
        await pilot.press("ctrl+end", "left_square_bracket")  # the last coding's start
        await pilot.pause()
        last = max(k.start for k in qc.open_project(path).codings_of("langt"))
        assert reader.view.cursor_offset == last
        assert reader.loading_after is None
        assert {k.id for k in reader.codings} == stored_ids(path)
        assert "Loading codings" not in panel_text(app)
