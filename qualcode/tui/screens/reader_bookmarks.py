"""Bookmarks and the source's memo in the reader.

`b` bookmarks the cursor's place (a label is asked for, and may be left empty); on a line with
your bookmark it offers to relabel or remove it. `'` and `"` jump to the next and previous
bookmark of this source (vim's `'` jumps to a mark; shift gives the way back, as n and N do);
`B` lists every bookmark of the project. `M` writes the source's memo (`m` is a coding's memo,
and n is taken by the next search hit). The side panel shows the memo and the cursor line's
bookmarks.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from qualcode.core.model import Bookmark, Memo
from qualcode.tui.screens.bookmarks import BookmarksScreen
from qualcode.tui.screens.memos import edit_memo
from qualcode.tui.widgets.common.prompts import Choice, TextPrompt

MEMO_SHOWN = 300  # characters of the source's memo in the side panel; M shows it whole

BOOKMARK_BINDINGS = [
    Binding("b", "bookmark", "Bookmark", show=False,
            tooltip="Bookmark the cursor's place (label optional); on your bookmark: "
            "relabel or remove it"),
    Binding("apostrophe", "next_bookmark(1)", "Next bookmark", show=False,
            tooltip="Go to the next bookmark in this source"),
    Binding("quotation_mark", "next_bookmark(-1)", "Previous bookmark", show=False,
            tooltip="Go to the previous bookmark in this source"),
    Binding("B", "bookmark_list", "Bookmarks", show=False,
            tooltip="Every bookmark in the project: enter opens one, delete removes it"),
    Binding("M", "source_memo", "Source memo", show=False,
            tooltip="Write or edit the memo on this source (shown at the top of the panel)"),
]


class ReaderBookmarks:
    """Mixed into the reader screen (which has `project`, `source`, `view` and `qapp`)."""

    marks: list[Bookmark] = []  # noqa: RUF012 (replaced, never changed in place)
    source_memos: list[Memo] = []  # noqa: RUF012

    def read_notes(self) -> None:
        """The source's bookmarks and memos, read once per reload (not per cursor move).
        In blind mode only your own, as with codings."""
        p = self.project
        self.marks = p.bookmarks(self.source_id)
        self.source_memos = p.memos(source=self.source_id)

    def notes_text(self, row: int) -> list[Text]:
        """What the side panel says above the codings: the memo, the line's bookmarks."""
        parts: list[Text] = []
        if self.source_memos:
            memo = " ".join(self.source_memos[0].text.split())
            line = Text("✎ Source memo", style="bold")
            line.append(" (M edits)", style="dim")
            parts.append(line)
            parts.append(Text(memo[:MEMO_SHOWN] + ("…" if len(memo) > MEMO_SHOWN else ""),
                              style="italic"))
            if len(self.source_memos) > 1:
                parts.append(Text(f"and {len(self.source_memos) - 1} more (key 8)",
                                  style="dim"))
            parts.append(Text(""))
        for mark in self.marks:
            if mark.line == row + 1:
                line = Text(f"⚑ {mark.label or 'Bookmark'}", style="bold")
                line.append(f" · {mark.coder}", style="dim")
                parts.append(line)
        if any(m.line == row + 1 for m in self.marks):
            parts.append(Text(""))
        return parts

    # -- bookmarks ----------------------------------------------------------------------------
    def action_bookmark(self) -> None:
        offset, row = self.view.cursor_offset, self.view.selection.end[0]
        mine = [m for m in self.marks
                if m.line == row + 1 and m.coder == self.project.coder_name]
        if mine:
            self.change_bookmark(mine[0])
            return

        def answered(label: str | None) -> None:
            if label is not None:
                self.qapp.attempt(
                    lambda: self.project.add_bookmark(self.source_id, offset, label),
                    f"Bookmarked line {row + 1}" + (f" as “{label}”" if label else "")
                    + ": ' and \" jump between bookmarks, B lists them all")

        self.app.push_screen(TextPrompt(f"Bookmark line {row + 1}. A label (or just enter):",
                                        placeholder="e.g. ledelse, sitat", allow_empty=True),
                             answered)

    def change_bookmark(self, mark: Bookmark) -> None:
        name = f"“{mark.label}”" if mark.label else "without a label"
        relabelled = lambda label: label is not None and self.qapp.attempt(  # noqa: E731
            lambda: self.project.edit_bookmark(mark.id, label), "Bookmark relabelled")

        def chosen(answer: str | None) -> None:
            if answer == "label":
                self.app.push_screen(TextPrompt("The bookmark's label (empty: none):",
                                                mark.label or "", allow_empty=True), relabelled)
            elif answer == "remove":
                self.qapp.attempt(lambda: self.project.remove_bookmark(mark.id),
                                  "Bookmark removed (ctrl+z brings it back)")

        self.app.push_screen(Choice(f"Your bookmark on line {mark.line}, {name}:",
                                    [("l", "change its label", "label"),
                                     ("r", "remove it", "remove")]), chosen)

    def action_next_bookmark(self, step: int) -> None:
        if not self.marks:
            self.notify("No bookmarks in this source: b sets one at the cursor.", timeout=2)
            return
        self.step_to({m.offset for m in self.marks}, step, "bookmarks")

    def action_bookmark_list(self) -> None:
        self.app.push_screen(BookmarksScreen())

    # -- the source's memo --------------------------------------------------------------------
    def action_source_memo(self) -> None:
        memo = self.source_memos[0] if self.source_memos else None
        edit_memo(self, memo, f"source {self.source.name}", source=self.source_id)
