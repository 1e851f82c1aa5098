"""The coding margin beside the reader's text, as NVivo and MAXQDA show it: for every screen row
a stripe in the code's colour per coding on that row, and the code's name on the row where the
coding begins.

Only the rows on the screen are worked out, each time the text scrolls or its codings change:
screen row -> (line, wrapped section) of the text's own wrapping -> characters -> the codings
SourceView keeps for that line. Nothing here is per coding of the whole text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from qualcode.core import Code, Coding
from qualcode.tui.colors import CodeStyles
from qualcode.tui.widgets.reader.source_view import SourceView

STRIPE = "▌"  # half a cell: neighbouring stripes stay apart
MORE = "+"  # in the last stripe's place: more codings on the row than there are stripes
LABELS_FROM = 120  # terminal columns from which the margin has room for names
LABEL_WIDTH = 14
STRIPES_NARROW = 3
STRIPES_WIDE = 4


def margin_size(screen_width: int) -> tuple[int, int]:
    """(name width, stripes) for a terminal this wide: stripes only below LABELS_FROM, so that
    the text keeps its width at 80 columns."""
    if screen_width >= LABELS_FROM:
        return LABEL_WIDTH, STRIPES_WIDE
    return 0, STRIPES_NARROW


@dataclass
class MarginRow:
    """What one screen row of the margin shows (codes by id)."""

    start: int  # the characters of the text on this row: [start, end)
    end: int
    stripes: list[int | None] = field(default_factory=list)  # a code per stripe column
    more: bool = False  # codes past the last stripe column
    label: int | None = None  # the code whose name is written here
    also: int = 0  # further codes beginning here whose names had no room


def row_ranges(view: SourceView, top: int, height: int) -> list[tuple[int, int, int]]:
    """(line, start, end) of the text on each screen row from `top`: the characters between
    the row's wrap breaks, with the line break counted on the line's last row (so a coding
    across paragraphs is unbroken through the empty line between them)."""
    wrapped = view.wrapped_document
    info = wrapped._offset_to_line_info  # as TextArea itself reads it to draw a row (which
    starts, length = view.starts, len(view.source_text)  # wraps the text down to that row)
    rows = []
    for row in range(top, top + height):
        try:
            line, section = info[row]
        except IndexError:  # past the end of the text
            break
        breaks = wrapped.get_offsets(line)
        line_start = starts[line]
        start = line_start + (breaks[section - 1] if section else 0)
        if section < len(breaks):
            end = line_start + breaks[section]
        else:
            end = starts[line + 1] if line + 1 < len(starts) else length
        rows.append((line, start, end))
    return rows


def lay_out(view: SourceView, top: int, height: int, stripes: int,
            labels: bool) -> list[MarginRow]:
    """The margin's rows for the screen rows top .. top + height.

    A code has one stripe where its codings overlap (two coders' codings of one sentence are
    one stripe), in the first column free there. Its name goes on the row where it begins or,
    when that row has a name already, on the next one without while the stripe lasts; a name
    with no room is counted (+n) on the row where it begins."""
    ranges = row_ranges(view, top, height)
    rows = [MarginRow(start, end, [None] * stripes) for _, start, end in ranges]
    if not rows:
        return rows
    found: dict[int, Coding] = {}
    for line in dict.fromkeys(line for line, _, _ in ranges):
        found.update((k.id, k) for k in view.codings_on_line(line))
    row_starts = [r.start for r in rows]
    row_ends = [r.end for r in rows]
    by_code: dict[int, list[list]] = {}  # code -> [[first row, last row, begins?, start]]
    for coding in found.values():
        first = bisect_right(row_ends, coding.start)  # the first row ending past its start
        last = bisect_left(row_starts, coding.end) - 1  # the last row starting before its end
        if first <= last:  # else on a line shown, but not on the part of it on the screen
            by_code.setdefault(coding.code_id, []).append(
                [first, last, rows[first].start <= coding.start, coding.start])
    runs = []  # (first row, last row, code, begins on screen, start): one stripe each
    for code_id, spans in by_code.items():
        spans.sort(key=lambda span: (span[0], -span[1], span[3]))
        merged = [spans[0]]
        for first, last, begins, start in spans[1:]:
            run = merged[-1]
            if first <= run[1]:  # overlaps the run: the same stripe
                run[1] = max(run[1], last)
                run[2] = run[2] or (begins and first == run[0])
            else:
                merged.append([first, last, begins, start])
        runs += [(first, last, code_id, begins, start) for first, last, begins, start in merged]
    taken_to = [-1] * stripes  # the last row each stripe column is taken to
    # the longest first (outer codes left), then in text order
    for first, last, code_id, begins, _ in sorted(runs, key=lambda r: (r[0], -r[1], r[4], r[2])):
        column = next((c for c in range(stripes) if taken_to[c] < first), None)
        for row in rows[first:last + 1]:
            if column is None:
                row.more = True
            else:
                row.stripes[column] = code_id
        if column is not None:
            taken_to[column] = last
        if labels and begins:
            spot = next((r for r in rows[first:last + 1] if r.label is None), None)
            if spot is not None:
                spot.label = code_id
            else:
                rows[first].also += 1
    return rows


class CodingMargin(Widget):
    """Stripes and code names beside a SourceView, row for row."""

    DEFAULT_CSS = """
    CodingMargin { height: 1fr; }
    """

    def __init__(self, view: SourceView, *, labels: int, stripes: int,
                 codes: Callable[[], Mapping[int, Code]],
                 palette: Callable[[], CodeStyles], id: str | None = None):
        super().__init__(id=id)
        self.view = view
        self.codes = codes
        self.palette = palette
        self.version = 0
        self._rows: list[MarginRow] = []
        self._strips: list[Strip] = []
        self._blank = Strip([])
        self._key: tuple = ()
        self.resize_to(labels, stripes)

    def resize_to(self, labels: int, stripes: int) -> None:
        self.label_width, self.stripe_count = labels, stripes
        self.styles.width = labels + (1 if labels else 0) + stripes

    def on_mount(self) -> None:
        self.watch(self.view, "scroll_y", self._scrolled, init=False)
        self.watch(self.view, "virtual_size", self._scrolled, init=False)

    def _scrolled(self) -> None:
        self.refresh()

    def changed(self) -> None:
        """The codings shown (or their colours) changed: draw the rows anew."""
        self.version += 1
        self.refresh()

    def rows(self) -> list[MarginRow]:
        """The rows on the screen now."""
        self._draw()
        return self._rows

    def _draw(self) -> None:
        """Work out the rows on the screen and draw them, once per scroll position, size and
        change of the codings (Textual asks for each row separately)."""
        view = self.view
        wrapped = view.wrapped_document
        key = (view.scroll_offset.y, self.size, wrapped._width,
               id(wrapped._offset_to_line_info), self.version, self.stripe_count,
               self.label_width)  # the rows above a row never change once it is wrapped
        if key == self._key:
            return
        self._rows = lay_out(view, view.scroll_offset.y, self.size.height,
                             self.stripe_count, self.label_width > 0)
        base, width = self.rich_style, self.size.width
        palette, codes = self.palette(), self.codes()
        styles: dict = {}

        def style(kind: str, code_id: int | None = None) -> Style:
            found = styles.get((kind, code_id))
            if found is None:
                found = styles[kind, code_id] = base + (
                    Style(bold=True) if kind == "bold" else
                    Style(color=palette.colour(code_id)) if kind == "stripe" else
                    palette.for_codes((code_id,)))
            return found

        blank = Strip.blank(width, base)
        strips = []
        for row in self._rows:
            if row.label is None and not row.more and row.stripes.count(None) == len(row.stripes):
                strips.append(blank)
                continue
            segments = []
            if self.label_width:
                segments.extend(self._label(row, codes, base, style))
                segments.append(Segment(" ", base))
            last = len(row.stripes) - 1
            for column, code_id in enumerate(row.stripes):
                if row.more and column == last:
                    segments.append(Segment(MORE, style("bold")))
                elif code_id is None:
                    segments.append(Segment(" ", base))
                else:
                    segments.append(Segment(STRIPE, style("stripe", code_id)))
            strips.append(Strip(segments).adjust_cell_length(width, base))
        self._strips, self._blank, self._key = strips, blank, key

    def render_line(self, y: int) -> Strip:
        self._draw()
        return self._strips[y] if y < len(self._strips) else self._blank

    def notify_style_update(self) -> None:
        super().notify_style_update()  # a new theme: a new background
        self._key = ()

    def _label(self, row: MarginRow, codes: Mapping[int, Code], base: Style,
               style: Callable[..., Style]) -> list[Segment]:
        width = self.label_width
        if row.label is None:
            return [Segment(" " * width, base)]
        code = codes.get(row.label)
        name = code.name if code else str(row.label)
        more = f"+{row.also}" if row.also else ""
        room = width - len(more)
        if len(name) > room:
            name = name[:room - 1] + "…"
        return [Segment(name, style("label", row.label)),
                Segment(more.rjust(width - len(name)), style("bold"))]
