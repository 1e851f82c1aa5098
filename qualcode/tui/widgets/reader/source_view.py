"""The text of one source, read-only, with coded spans painted in their codes' colours.

A read-only TextArea gives the cursor, keyboard and mouse selection and soft wrapping; this
subclass paints codings and speaker labels into each line as it is drawn, converts between
(row, column) and character offsets, and adds a vim-like selection mode (`v`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import repeat

from rich.text import Text
from textual._wrap import compute_wrap_offsets
from textual.binding import Binding
from textual.document._document import Document
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import get_tab_widths
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from qualcode.core import Coding, Turn
from qualcode.tui import spans
from qualcode.tui.colors import CodeStyles

NO_TABS = [0]  # Textual's record of a line without tabs: one section, no tab after it
WRAP_AT_ONCE = 2000  # lines wrapped in one slice after the first frame (about 10 ms)
WRAP_PAUSE = 0.002  # seconds between slices, for keys and frames


class _Rows(list):
    """The (line, section) of each screen row wrapped so far. TextArea reads it directly by
    row (`_offset_to_line_info[y]`); a row past the wrapped part wraps up to it first."""

    def __init__(self, owner: _WrappedText):
        super().__init__()
        self._owner = owner

    def __getitem__(self, index):
        if isinstance(index, int) and index >= len(self):
            self._owner.wrap_to_row(index)
        return super().__getitem__(index)


class _WrappedText(WrappedDocument):
    """Soft wrapping of a text that never changes, done as it is needed.

    Textual wraps every line of the document before it draws anything (1.6 s for 3 MB), and
    sums the rows of every line each time it draws a row. Here the lines are wrapped from the
    top only as far as something asks for (the rows drawn, the cursor's line), and the rest a
    slice at a time by `wrap_more` (the reader calls it after the first frame); until then the
    height counts each line not yet wrapped as the rows its characters fill, at least one.
    `spans.wrap_offsets` finds the same breaks as Textual, a row at a time."""

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        if width == self._width and tab_width in (None, self._tab_width) and \
                getattr(self, "_done", None) is not None:
            return  # the text never changes: the same width gives the same rows
        self._width = width
        if tab_width:
            self._tab_width = tab_width
        self._wrap_offsets: list[list[int]] = []
        self._offset_to_line_info = _Rows(self)
        self._line_index_to_offsets: list[list[int]] = []
        self._tab_width_cache: list[list[int]] = []
        self._done = 0  # lines wrapped, from the top
        lines = self.document.lines
        self._left_chars = sum(map(len, lines))  # characters of the lines not yet wrapped

    @property
    def complete(self) -> bool:
        return self._done >= len(self.document.lines)

    def wrap_more(self, lines: int) -> bool:
        """Wrap `lines` more lines; True once every line is wrapped."""
        self._wrap_lines(self._done + lines)
        return self.complete

    def wrap_to_line(self, index: int) -> None:
        if index >= self._done:
            self._wrap_lines(index + 1)

    def wrap_to_row(self, row: int) -> None:
        while row >= len(self._offset_to_line_info) and not self.complete:
            self._wrap_lines(self._done + 500)

    def _wrap_lines(self, until: int) -> None:
        lines = self.document.lines
        until = min(until, len(lines))
        width, tab = self._width, self._tab_width
        wrap_offsets, line_rows = self._wrap_offsets, self._line_index_to_offsets
        tab_widths = self._tab_width_cache
        row = len(self._offset_to_line_info)
        for index in range(self._done, until):
            line = lines[index]
            self._left_chars -= len(line)
            if "\t" in line:
                tab_sections = get_tab_widths(line, tab)
                breaks = compute_wrap_offsets(line, width, tab_size=tab,
                                              precomputed_tab_sections=tab_sections) \
                    if width else []
                tab_widths.append([w for _, w in tab_sections])
            else:
                breaks = spans.wrap_offsets(line, width) if width else []
                tab_widths.append(NO_TABS if line else [])  # as Textual records them
            wrap_offsets.append(breaks)
            count = len(breaks) + 1
            self._offset_to_line_info.extend(zip(repeat(index, count), range(count),
                                                 strict=True))
            line_rows.append(list(range(row, row + count)))
            row += count
        self._done = max(self._done, until)

    @property
    def height(self) -> int:
        rows = len(self._offset_to_line_info)
        left = len(self.document.lines) - self._done
        if not left:
            return rows
        return rows + max(left, self._left_chars // self._width if self._width else left)

    # Every look-up by line wraps up to that line first.
    def get_offsets(self, line_index: int) -> list[int]:
        if line_index >= 0:
            self.wrap_to_line(line_index)
        return super().get_offsets(line_index)

    def get_sections(self, line_index: int) -> list[str]:
        self.wrap_to_line(line_index if line_index >= 0 else len(self.document.lines) - 1)
        return super().get_sections(line_index)

    def get_tab_widths(self, line_index: int) -> list[int]:
        self.wrap_to_line(line_index if line_index >= 0 else len(self.document.lines) - 1)
        return super().get_tab_widths(line_index)

    def location_to_offset(self, location):
        self.wrap_to_line(min(location[0], len(self.document.lines) - 1))
        return super().location_to_offset(location)

    def offset_to_location(self, offset):
        self.wrap_to_row(max(0, offset[1]))
        return super().offset_to_location(offset)


class SourceView(TextArea):
    """Read-only text of a source. Offsets are those of the stored text."""

    COMPONENT_CLASSES = TextArea.COMPONENT_CLASSES | {
        "source-view--speaker", "source-view--timestamp"}
    BINDINGS = [  # TextArea's own undo keys, here for the project's history (and the footer)
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo"),
    ]
    DEFAULT_CSS = """
    SourceView { border: none; padding: 0 1; scrollbar-gutter: stable; }
    SourceView:focus { border: none; }
    SourceView > .source-view--speaker { text-style: bold; color: $accent; }
    SourceView > .source-view--timestamp { color: $text-muted; }
    """
    def __init__(self, text: str, *, id: str | None = None):
        # set before TextArea's own set-up, which may already draw lines and move the cursor
        self.source_text = text
        self.starts = spans.line_starts(text)
        self.select_from: int | None = None  # offset where a `v` selection started
        self.codings: dict[int, Coding] = {}  # shown, by id
        self._by_line: dict[int, dict[int, Coding]] = {}  # the codings touching each line
        self._pieces: dict[int, list[spans.Piece]] = {}  # per line, made when first drawn
        self._labels: dict[int, list[tuple[int, int, str]]] = {}  # per line, when drawn
        self._turns: list[Turn] = []
        self._turn_starts: list[int] = []
        self._palette: CodeStyles | None = None
        self._painted: dict[int, Text] = {}  # styled lines, until their codings change
        self._label_styles: dict = {}
        self._wrapped_at = -1
        self._wrapping = False  # slices of the text are being wrapped after the first frame
        shown = self._shown_text = spans.display_text(text)
        # built empty, then loaded: TextArea would otherwise split and measure the text twice
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=False,
                         highlight_cursor_line=False, id=id)
        self.match_cursor_bracket = False
        self.cursor_blink = False  # read-only: a steady cursor, and no redraw twice a second
        self.load_text(shown)

    def _set_document(self, text: str, language: str | None) -> None:
        # TextArea's own wraps the whole text at width 0 first, measuring every line (1.7 s
        # for 3 MB); the text here is plain and wrapped once, by _WrappedText
        self._shown_text = text
        self._highlight_query = None
        self.document = Document(text)
        self.wrapped_document = _WrappedText(self.document, tab_width=self.indent_width)
        self._wrapped_at = 0
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))

    def _watch_language(self, language: str | None) -> None:
        """Plain text, always: TextArea would build the document anew when mounted."""

    @property
    def text(self) -> str:
        # TextArea asks for its text (joining every line: 8 ms for 3 MB) on each row it draws
        return self._shown_text

    @text.setter
    def text(self, value: str) -> None:
        self.load_text(value)

    # -- painting -----------------------------------------------------------------------------
    def paint(self, codings: Iterable[Coding], styles: CodeStyles,
              turns: Sequence[Turn] = ()) -> None:
        """Show these codings (and, once, the speaker labels of these turns)."""
        self._palette = styles
        self.codings = {}
        self._by_line = {}
        self._index(codings)
        if turns:
            self._turns = sorted(turns, key=lambda t: t.start)
            self._turn_starts = [t.start for t in self._turns]
            self._labels = {}
        self._pieces = {}
        self._painted = {}
        self._line_cache.clear()
        self.refresh()

    def update(self, added: Iterable[Coding], removed: Iterable[int],
               styles: CodeStyles | None = None) -> None:
        """Show these codings more and those (ids) no more: only their lines are drawn anew.
        With new styles (a code's colour changed), every line is."""
        changed: set[int] = set()
        for coding_id in removed:
            coding = self.codings.pop(coding_id, None)
            if coding is None:
                continue
            for row in self._rows_of(coding):
                self._by_line.get(row, {}).pop(coding_id, None)
                changed.add(row)
        changed.update(self._index(added))
        if styles is not None:
            self._palette = styles
            self._pieces, self._painted = {}, {}
        for row in changed:
            self._pieces.pop(row, None)
            self._painted.pop(row, None)
        self._line_cache.clear()  # TextArea's cache of drawn rows (only the visible ones)
        self.refresh()

    def _rows_of(self, coding: Coding) -> range:
        return spans.lines_of(self.starts, coding.start, min(coding.end, len(self.source_text)))

    def _index(self, codings: Iterable[Coding]) -> set[int]:
        rows: set[int] = set()
        by_line = self._by_line
        for coding in codings:
            self.codings[coding.id] = coding
            for row in self._rows_of(coding):
                by_line.setdefault(row, {})[coding.id] = coding
                rows.add(row)
        return rows

    def codings_on_line(self, row: int) -> list[Coding]:
        return sorted(self._by_line.get(row, {}).values(), key=lambda k: (k.start, k.end, k.id))

    def codings_between(self, start: int, end: int) -> list[Coding]:
        """The codings sharing a character with [start, end), or holding `start` when the
        range is empty: in text order."""
        found: dict[int, Coding] = {}
        for row in spans.lines_of(self.starts, start, max(end, start + 1)):
            found.update(self._by_line.get(row, {}))
        return sorted(spans.overlapping(list(found.values()), start, end),
                      key=lambda k: (k.start, k.end, k.id))

    def _line_pieces(self, row: int) -> list[spans.Piece]:
        pieces = self._pieces.get(row)
        if pieces is None:
            on_line = self._by_line.get(row)
            pieces = spans.line_pieces(on_line.values(), self.starts[row], spans.line_end(
                self.starts, row, len(self.source_text))) if on_line else []
            self._pieces[row] = pieces
        return pieces

    def _line_labels(self, row: int) -> list[tuple[int, int, str]]:
        """The speaker labels and time stamps of the turns that start on this line."""
        labels = self._labels.get(row)
        if labels is None:
            following = self.starts[row + 1] if row + 1 < len(self.starts) else \
                len(self.source_text) + 1
            turns = self._turns[bisect_left(self._turn_starts, self.starts[row]):
                                bisect_left(self._turn_starts, following)]
            labels = spans.label_pieces(self.source_text, turns, self.starts).get(row, []) \
                if turns else []
            self._labels[row] = labels
        return labels

    def get_line(self, line_index: int) -> Text:
        # TextArea asks once per screen row, so a wrapped paragraph would be styled many times
        painted = self._painted.get(line_index)
        if painted is None:
            painted = super().get_line(line_index)
            for start, end, kind in self._line_labels(line_index):
                painted.stylize(self._label_style(kind), start, end)
            if self._palette is not None:
                for start, end, code_ids in self._line_pieces(line_index):
                    painted.stylize(self._palette.for_codes(code_ids), start, end)
            self._painted[line_index] = painted
        return painted.copy()  # TextArea styles the copy further (selection, cursor)

    def _label_style(self, kind: str):
        style = self._label_styles.get(kind)
        if style is None:
            style = self._label_styles[kind] = self.get_component_rich_style(
                f"source-view--{kind}")
        return style

    def _rewrap_and_refresh_virtual_size(self) -> None:
        # The text never changes, so wrapping again is only needed for a new width (TextArea
        # rewraps on every resize, height-only ones too, which costs 0.1 s per 300 KB).
        width = self.wrap_width
        if width != self._wrapped_at:
            self.wrapped_document.wrap(width, tab_width=self.indent_width)
            self._wrapped_at = width
            self._line_cache.clear()
            if width and not self._wrapping:  # the rest after the frame that shows the top
                self._wrapping = True
                self.call_after_refresh(self._wrap_more)
        self._refresh_size()

    def _wrap_more(self) -> None:
        """Wrap the next lines below what has been drawn, a slice at a time so that keys and
        frames go in between, until the height is exact."""
        document = self.wrapped_document
        if not isinstance(document, _WrappedText) or document.wrap_more(WRAP_AT_ONCE):
            self._wrapping = False
            self._refresh_size()  # the height was an estimate until now
            return
        self.set_timer(WRAP_PAUSE, self._wrap_more)

    @property
    def fully_wrapped(self) -> bool:
        document = self.wrapped_document
        return not isinstance(document, _WrappedText) or document.complete

    def notify_style_update(self) -> None:
        super().notify_style_update()  # a new theme: look the label styles up again
        self._label_styles = {}
        self._painted = {}

    # -- offsets ------------------------------------------------------------------------------
    def offset_of(self, location: tuple[int, int]) -> int:
        return spans.to_offset(self.starts, location)

    def location_of(self, offset: int) -> tuple[int, int]:
        return spans.to_location(self.starts, max(0, min(offset, len(self.source_text))))

    @property
    def cursor_offset(self) -> int:
        return self.offset_of(self.selection.end)

    @property
    def selected_span(self) -> tuple[int, int] | None:
        """(start, end) of the selection as offsets, or None when nothing is selected."""
        start, end = sorted((self.offset_of(self.selection.start),
                             self.offset_of(self.selection.end)))
        return (start, end) if start < end else None

    def select_span(self, start: int, end: int, *, center: bool = True) -> None:
        self.select_from = None
        self.selection = Selection(self.location_of(start), self.location_of(end))
        if center:
            self.scroll_cursor_visible(center=True)

    def put_cursor(self, offset: int, *, center: bool = True) -> None:
        self.select_from = None
        self.move_cursor(self.location_of(offset), center=center)

    # -- `v` selection mode -------------------------------------------------------------------
    def toggle_select_from(self) -> bool:
        """Start selecting from the cursor (True), or stop and keep the selection (False)."""
        if self.select_from is None:
            self.select_from = self.cursor_offset
            return True
        self.select_from = None
        return False

    # In `v` mode every cursor movement extends the selection, as shift+movement does.
    def _extending(self, select: bool) -> bool:
        return select or self.select_from is not None

    def action_cursor_left(self, select: bool = False) -> None:
        super().action_cursor_left(self._extending(select))

    def action_cursor_right(self, select: bool = False) -> None:
        super().action_cursor_right(self._extending(select))

    def action_cursor_up(self, select: bool = False) -> None:
        super().action_cursor_up(self._extending(select))

    def action_cursor_down(self, select: bool = False) -> None:
        super().action_cursor_down(self._extending(select))

    def action_cursor_line_start(self, select: bool = False) -> None:
        super().action_cursor_line_start(self._extending(select))

    def action_cursor_line_end(self, select: bool = False) -> None:
        super().action_cursor_line_end(self._extending(select))

    def action_cursor_word_left(self, select: bool = False) -> None:
        super().action_cursor_word_left(self._extending(select))

    def action_cursor_word_right(self, select: bool = False) -> None:
        super().action_cursor_word_right(self._extending(select))

    async def _on_mouse_down(self, event) -> None:
        self.select_from = None  # a click starts afresh
        await super()._on_mouse_down(event)

    def clear_selection_keep_cursor(self) -> None:
        self.select_from = None
        self.selection = Selection.cursor(self.selection.end)

    # TextArea binds these keys to its own editing history; here they undo project changes.
    def action_undo(self) -> None:
        self.app.action_undo()

    def action_redo(self) -> None:
        self.app.action_redo()
