"""The text of one source, read-only, with coded spans painted in their codes' colours.

A read-only TextArea gives the cursor, keyboard and mouse selection and soft wrapping; this
subclass paints codings and speaker labels into each line as it is drawn, converts between
(row, column) and character offsets, and adds a vim-like selection mode (`v`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.document._wrapped_document import WrappedDocument
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from qualcode.core import Coding, Turn
from qualcode.tui import spans
from qualcode.tui.colors import CodeStyles


class _WrappedText(WrappedDocument):
    """Textual sums the rows of every line each time it draws a row, to know the wrapped
    height (0.1 s a screen for a 300 KB text); the text here never changes, so keep it."""

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        super().wrap(width, tab_width)
        self._rows = len(self._offset_to_line_info)

    @property
    def height(self) -> int:
        return self._rows


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
        self._pieces: dict[int, list[spans.Piece]] = {}
        self._labels: dict[int, list[tuple[int, int, str]]] = {}
        self._palette: CodeStyles | None = None
        self._painted: dict[int, Text] = {}  # styled lines, until the codings change
        self._label_styles: dict = {}
        self._wrapped_at = -1
        # built empty, then loaded: TextArea would otherwise split and measure the text twice
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=False,
                         highlight_cursor_line=False, id=id)
        self.match_cursor_bracket = False
        self.cursor_blink = False  # read-only: a steady cursor, and no redraw twice a second
        self.load_text(spans.display_text(text))

    # -- painting -----------------------------------------------------------------------------
    def paint(self, codings: Sequence[Coding], styles: CodeStyles,
              turns: Sequence[Turn] = ()) -> None:
        """Show these codings (and, once, the speaker labels of these turns)."""
        self._palette = styles
        self._pieces = spans.coding_pieces(codings, self.starts, len(self.source_text))
        if turns:
            self._labels = spans.label_pieces(self.source_text, turns, self.starts)
        self._painted = {}
        self._line_cache.clear()
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        # TextArea asks once per screen row, so a wrapped paragraph would be styled many times
        painted = self._painted.get(line_index)
        if painted is None:
            painted = super().get_line(line_index)
            for start, end, kind in self._labels.get(line_index, ()):
                painted.stylize(self._label_style(kind), start, end)
            if self._palette is not None:
                for start, end, code_ids in self._pieces.get(line_index, ()):
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
        wrapped = self.wrapped_document
        if not isinstance(wrapped, _WrappedText):  # a new document: same object, new class
            wrapped.__class__ = _WrappedText
            wrapped._rows = len(wrapped._offset_to_line_info)
            self._wrapped_at = wrapped._width
        width = self.wrap_width
        if width != self._wrapped_at:
            self.wrapped_document.wrap(width, tab_width=self.indent_width)
            self._wrapped_at = width
            self._line_cache.clear()
        self._refresh_size()

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
