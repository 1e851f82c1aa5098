"""Every bookmark in the project (B in the reader or the sources list): enter opens the source
at the bookmark, `e` relabels it, delete removes it after y."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from qualcode.core.model import Bookmark
from qualcode.core.util import counted
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.widgets.common.prompts import Choice, TextPrompt

COLUMNS = ("source", "line", "label", "coder", "set", "the text there")


class BookmarksScreen(ProjectScreen):
    HELP_TITLE = "Bookmarks"
    BINDINGS = [
        Binding("enter", "open", "Open", tooltip="Open the source at the bookmark"),
        Binding("e", "relabel", "Label", tooltip="Change the bookmark's label (empty: none)"),
        Binding("delete,D", "remove", "Remove", tooltip="Remove the bookmark (after y)"),
        Binding("escape,q", "back", "Back", tooltip="Go back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[Bookmark] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="bookmarks-heading", classes="status")
        yield DataTable(id="bookmark-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Bookmarks"
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        super().on_mount()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        p = self.project
        self.marks = p.bookmarks()  # in blind mode, yours only
        table.clear()
        room = self.room_for_words()
        for mark in self.marks:
            words = " ".join(mark.words.split())
            words = words if len(words) <= room else words[:room - 1] + "…"
            table.add_row(mark.source, Text(str(mark.line), justify="right"), mark.label or "",
                          mark.coder, mark.created_at[:10], Text(words, style="dim"),
                          key=str(mark.id))
        if self.marks:
            table.move_cursor(row=min(keep, len(self.marks) - 1))
        self.query_one("#bookmarks-heading", Static).update(
            f"{counted(len(self.marks), 'bookmark')} · enter opens the source there · "
            "e label · delete removes" if self.marks else
            "No bookmarks yet: in the reader, b bookmarks the cursor's place.")

    def room_for_words(self) -> int:
        """Characters left for the text column once the others are as wide as they need (so
        that an 80-column terminal shows the whole row)."""
        widths = [max([len(m.source) for m in self.marks] + [len(COLUMNS[0])]), len(COLUMNS[1]),
                  max([len(m.label or "") for m in self.marks] + [len(COLUMNS[2])]),
                  max([len(m.coder) for m in self.marks] + [len(COLUMNS[3])]), 10]
        return max(self.app.size.width - sum(widths) - 2 * (len(widths) + 1) - 2, 16)

    def current(self) -> Bookmark | None:
        row = self.query_one(DataTable).cursor_row
        return self.marks[row] if self.marks and row < len(self.marks) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        mark = self.current()
        if mark is None:
            return
        self.app.pop_screen()  # the list is done with: q in the reader goes back past it
        below = self.app.screen
        if getattr(below, "source_id", None) == mark.source_id:  # this source's reader
            below.view.put_cursor(mark.offset)
        else:
            self.qapp.open_source(mark.source_id, at=mark.offset)

    def action_relabel(self) -> None:
        mark = self.current()
        if mark is None:
            return
        self.app.push_screen(
            TextPrompt(f"Label of the bookmark on line {mark.line} of {mark.source} "
                       "(empty: none):", mark.label or "", allow_empty=True),
            lambda label: label is not None and self.qapp.attempt(
                lambda: self.project.edit_bookmark(mark.id, label), "Bookmark relabelled"))

    def action_remove(self) -> None:
        mark = self.current()
        if mark is None:
            return
        name = f" “{mark.label}”" if mark.label else ""
        self.app.push_screen(
            Choice(f"Remove the bookmark{name} on line {mark.line} of {mark.source} "
                   f"({mark.coder}'s)? ctrl+z brings it back.", [("y", "remove", "yes")]),
            lambda answer: answer and self.qapp.attempt(
                lambda: self.project.remove_bookmark(mark.id), "Bookmark removed"))

    def action_back(self) -> None:
        self.app.pop_screen()
