"""Seeing the coding in the reader: the margin of stripes and code names beside the text (row for
row, through scrolling and wrapping), the legend, and hiding codes and coders from view."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from rich.style import Style
from textual.widgets import OptionList, Static
from tui_study import KONTOR02, span_of

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.widgets.reader.coding_margin import STRIPE, CodingMargin
from qualcode.tui.widgets.reader.coding_panel import CodingPanel
from qualcode.tui.widgets.reader.legend import Legend
from qualcode.tui.widgets.reader.source_view import SourceView

pytestmark = pytest.mark.anyio
WIDE = (160, 45)
NARROW = (80, 24)
TID, FOR_MYE, LEDELSE = "#d62728", "#1f77b4", "#2ca02c"  # "for mye" takes opplæring's colour


def shown(static: Static) -> str:
    """The plain text a Static widget shows."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def screen_rows(app) -> list[tuple[str, str]]:
    """(margin, text) of every screen row of the reader, as the two widgets draw them."""
    margin = app.screen.query_one(CodingMargin)
    view = app.screen.query_one(SourceView)
    assert margin.region.y == view.region.y and margin.region.height == view.region.height
    return [(margin.render_line(y).text, view.render_line(y).text)
            for y in range(view.region.height)]


def row_of(rows, phrase: str) -> int:
    found = [y for y, (_, text) in enumerate(rows) if phrase in text]
    assert len(found) == 1, f"{phrase!r} is on rows {found}"
    return found[0]


def stripe_colours(app, y: int) -> list[str]:
    """The colours of the stripes on screen row y of the margin, left to right."""
    strip = app.screen.query_one(CodingMargin).render_line(y)
    return [segment.style.color.get_truecolor().hex for segment in strip
            if segment.text == STRIPE]


def painted(app, phrase: str) -> Style:
    """The style the text paints the first character of the phrase with."""
    view = app.screen.query_one(SourceView)
    line, column = view.location_of(KONTOR02.index(phrase))
    return view.get_line(line).get_style_at_offset(app.console, column)


async def test_the_margin_names_each_code_on_the_row_where_it_begins(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        rows = screen_rows(app)
        start = row_of(rows, "IP: Altså, det ble for mange")
        lead = row_of(rows, "IP: Lederen vår")
        # two codes begin on the Altså row: the first named, the other counted
        assert rows[start][0].startswith("for mye for")
        assert "+1" in rows[start][0]
        assert stripe_colours(app, start) == [FOR_MYE, TID]
        assert rows[lead][0].startswith("ledelse ")
        assert stripe_colours(app, lead) == [LEDELSE]
        coded = {start, lead}
        assert all(not margin.strip() for y, (margin, _) in enumerate(rows) if y not in coded)


async def test_the_margin_follows_wrapped_rows(study_path):
    """At 80 columns the Altså turn wraps: "for mye for fort" runs over two rows, "tid" begins
    on the second; the narrow margin has stripes only, so the text keeps its width."""
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        rows = screen_rows(app)
        first = row_of(rows, "IP: Altså")
        second = row_of(rows, "Vi fikk ikke tid")
        assert second == first + 1
        assert stripe_colours(app, first) == [FOR_MYE]
        assert stripe_colours(app, second) == [FOR_MYE, TID]
        assert stripe_colours(app, second + 1) == []  # the turn's third row: nothing coded
        assert app.screen.query_one(CodingMargin).size.width <= 4
        assert not any(c.isalpha() for margin, _ in rows for c in margin)  # no names


async def test_the_margin_follows_scrolling(study_path):
    """A long text, scrolled: the name stands beside the coded line wherever it is on the
    screen, and nowhere else."""
    lines = [f"Linje {n}: noe helt vanlig å si om veiledningen." for n in range(1, 301)]
    text = "\n".join(lines) + "\n"
    with qc.open_project(study_path, coder="ane") as p:
        p.add_source("lang", text, kind="fieldnote")
        p.code_span("lang", *span_of(text, "Linje 200: noe"), "Føringer/ledelse")
    app = make_app(study_path, coder="ane", source="lang")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert not any(margin.strip() for margin, _ in screen_rows(app))
        await pilot.press("g", *"190", "enter")
        await pilot.pause()
        rows = screen_rows(app)
        assert app.screen.query_one(SourceView).scroll_y > 150
        lead = row_of(rows, "Linje 200:")
        assert rows[lead][0].startswith("ledelse")
        assert stripe_colours(app, lead) == [LEDELSE]
        assert [y for y, (margin, _) in enumerate(rows) if margin.strip()] == [lead]
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        rows = screen_rows(app)
        assert "Linje 200:" not in "".join(text for _, text in rows)
        assert not any(margin.strip() for margin, _ in rows)


async def test_s_hides_and_shows_the_margin_and_it_is_remembered(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        margin = app.screen.query_one(CodingMargin)
        view = app.screen.query_one(SourceView)
        width = view.size.width
        await pilot.press("S")
        await pilot.pause()
        assert not margin.display
        assert view.size.width > width  # the text has the room
    places = json.loads((study_path.parent / "config" / "places.json").read_text())
    assert next(iter(places["projects"].values()))["margin"] is False
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert not app.screen.query_one(CodingMargin).display
        await pilot.press("S")
        await pilot.pause()
        assert app.screen.query_one(CodingMargin).display


async def open_legend(pilot) -> OptionList:
    await pilot.press("L")
    await pilot.pause()
    assert isinstance(pilot.app.screen, Legend)
    return pilot.app.screen.query_one(OptionList)


def listed(options: OptionList) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def move_to(pilot, options: OptionList, words: str) -> None:
    at = next(i for i, line in enumerate(listed(options)) if words in line)
    while options.highlighted != at:
        await pilot.press("down" if options.highlighted < at else "up")


def coding_count(path) -> int:
    with qc.open_project(path) as p:
        return len(p.codings_of("kontor02_T2"))


async def test_the_legend_lists_codes_and_coders_of_the_source(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        lines = listed(await open_legend(pilot))
        assert lines[0] == "Codes"
        codes = [" ".join(line.split()) for line in lines[1:4]]
        assert codes == ["[x] ■ Barrierer/opplæring/for mye for fort 1",
                         "[x] ■ Barrierer/tid 1", "[x] ■ Føringer/ledelse 1"]
        assert lines[4] == "Coders"
        assert [" ".join(line.split()) for line in lines[5:]] == \
            ["[x] ane 2 codings", "[x] ole 1 coding"]


async def test_hiding_a_code_removes_its_painting_margin_and_panel_entry(study_path):
    before = coding_count(study_path)
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        view.put_cursor(KONTOR02.index("ikke tid"))
        await pilot.pause()
        panel = app.screen.query_one("#panel-body", Static)
        assert "tid  ane" in shown(panel)
        assert painted(app, "tid til å øve").bgcolor is not None
        options = await open_legend(pilot)
        await move_to(pilot, options, "Barrierer/tid")
        await pilot.press("space")
        assert "[ ] ■ Barrierer/tid" in listed(options)[2]
        await pilot.press("escape")
        await pilot.pause()
        rows = screen_rows(app)
        start = row_of(rows, "IP: Altså")
        assert stripe_colours(app, start) == [FOR_MYE]  # no red stripe
        assert "+1" not in rows[start][0]
        assert painted(app, "tid til å øve").bgcolor is None  # past "for mye"'s end
        assert "tid  ane" not in shown(panel)
        assert "for mye for fort  ole" in shown(panel)
        assert "1 code hidden" in shown(app.screen.query_one("#source-title", Static))
        assert "1 code hidden" in shown(panel)
        tid = next(c.id for c in app.project.codes() if c.path == "Barrierer/tid")
        assert not any(k.code_id == tid for k in view.codings_between(0, len(KONTOR02)))
        # and back
        options = await open_legend(pilot)
        await pilot.press("a", "escape")
        await pilot.pause()
        assert stripe_colours(app, start) == [FOR_MYE, TID]
        assert "hidden" not in shown(app.screen.query_one("#source-title", Static))
        assert painted(app, "tid til å øve").bgcolor is not None
    assert coding_count(study_path) == before  # a view only


async def test_hiding_a_coder_removes_their_codings_from_view(study_path):
    before = coding_count(study_path)
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        view.put_cursor(KONTOR02.index("for mange verktøy"))
        await pilot.pause()
        panel = app.screen.query_one("#panel-body", Static)
        assert "for mye for fort  ole" in shown(panel)
        options = await open_legend(pilot)
        await move_to(pilot, options, "ole")
        await pilot.press("enter")  # as space: once
        assert "[ ] ole" in listed(options)[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert painted(app, "for mange verktøy").bgcolor is None
        rows = screen_rows(app)
        start = row_of(rows, "IP: Altså")
        assert stripe_colours(app, start) == [TID]
        assert rows[start][0].startswith("tid ")  # now the first code to begin there
        assert "for mye" not in shown(panel)
        assert "1 coder hidden" in shown(app.screen.query_one("#source-title", Static))
        # the hidden coder's coding is not taken for none: x cannot reach it
        await pilot.press("x")
        await pilot.pause()
        assert coding_count(study_path) == before
        # still hidden in the next source opened
        await pilot.press("q")
        await pilot.pause()
        app.open_source(app.project.source("kontor05_T1").id)
        await pilot.pause()
        assert "1 coder hidden" in shown(app.screen.query_one("#source-title", Static))
    assert coding_count(study_path) == before


async def test_coding_with_a_hidden_code_shows_it_again(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        options = await open_legend(pilot)
        await move_to(pilot, options, "Føringer/ledelse")
        await pilot.press("o", "escape")  # only ledelse
        await pilot.pause()
        assert "2 codes hidden" in shown(app.screen.query_one("#source-title", Static))
        view = app.screen.query_one(SourceView)
        view.select_span(*span_of(KONTOR02, "Skjemaene tok mye tid."))
        await pilot.press("c", *"tid", "enter")
        await pilot.pause()
        assert painted(app, "Skjemaene tok").bgcolor is not None
        assert "1 code hidden" in shown(app.screen.query_one("#source-title", Static))
        assert "tid  ane" in shown(app.screen.query_one(CodingPanel).query_one("#panel-body", Static))


def reader_at_the_overlap():
    async def run_before(pilot):
        await pilot.pause()
        pilot.app.screen.query_one(SourceView).put_cursor(KONTOR02.index("fikk ikke"))
        await pilot.pause()

    return run_before


def legend_with_a_code_hidden():
    async def run_before(pilot):
        await pilot.pause()
        options = await open_legend(pilot)
        await move_to(pilot, options, "Barrierer/tid")
        await pilot.press("space")
        await pilot.pause()

    return run_before


SIZES = pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x45"])


@SIZES
def test_margin(study_path, snap_compare, size):
    assert snap_compare(make_app(study_path, coder="ane", source="kontor02_T2"),
                        terminal_size=size, run_before=reader_at_the_overlap())


@SIZES
def test_legend(study_path, snap_compare, size):
    assert snap_compare(make_app(study_path, coder="ane", source="kontor02_T2"),
                        terminal_size=size, run_before=legend_with_a_code_hidden())


def test_a_hidden_code_is_said_in_the_title_at_80_by_24(study_path, snap_compare):
    async def run_before(pilot):
        await legend_with_a_code_hidden()(pilot)
        await pilot.press("escape")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane", source="kontor02_T2"),
                        terminal_size=NARROW, run_before=run_before)


async def test_names_move_down_while_the_coding_lasts_and_a_full_row_says_plus(study_path):
    """Two codes on a paragraph of three rows: the second name goes on the second row. Five
    codes on one short line, with four stripes at 160 columns: the last column says +."""
    paragraph = " ".join(f"Setning {n} handler om hvordan veiledningen skal legges opp."
                         for n in range(1, 6))
    text = f"{paragraph}\n\nKort linje.\n"
    codes = ["Barrierer/tid", "Føringer/ledelse", "Barrierer/opplæring/for mye for fort",
             "valens/fremmer", "Barrierer/opplæring"]
    with qc.open_project(study_path, coder="ane") as p:
        p.add_source("notat", text, kind="fieldnote")
        for code in codes[:2]:
            p.code_span("notat", 0, len(paragraph), code)
        for code in codes:
            p.code_span("notat", *span_of(text, "Kort linje."), code)
    app = make_app(study_path, coder="ane", source="notat")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        rows = screen_rows(app)
        first = row_of(rows, "Setning 1 ")
        assert rows[first][0].startswith("tid ")
        assert rows[first + 1][0].startswith("ledelse ")
        assert not rows[first + 2][0][:14].strip()
        assert stripe_colours(app, first + 2) == [TID, LEDELSE]
        short = row_of(rows, "Kort linje.")
        assert len(stripe_colours(app, short)) == 3 and stripe_colours(app, short)[0] == TID
        assert rows[short][0].rstrip().endswith("+")
        assert rows[short][0].startswith("tid")
        assert "+4" in rows[short][0]  # four more codes begin here, named in the panel
