"""The side panel of the reader: the codes on the cursor's line, with their coders and memos
(and above them the source's memo and the line's bookmarks)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from qualcode.core import Code, Coding
from qualcode.core.util import counted
from qualcode.tui.colors import CodeStyles


class CodingPanel(VerticalScroll, can_focus=False):
    def compose(self):
        yield Static(id="panel-notes")  # the source's memo, the line's bookmarks
        yield Static(id="panel-body")

    def show_notes(self, parts: Sequence[Text]) -> None:
        notes = self.query_one("#panel-notes", Static)
        notes.display = bool(parts)
        notes.update(Group(*parts))

    def show(self, *, line: int, cursor: int, codings: Sequence[Coding],
             codes: Mapping[int, Code], coders: Mapping[int, str], styles: CodeStyles,
             selection: tuple[int, int] | None, visual: bool, blind: bool = False,
             loading: bool = False, hidden: str = "") -> None:
        parts: list[Text] = []
        if loading:  # a long source: those in view are shown, the rest are on their way
            parts.append(Text("Loading codings…", style="bold"))
        if blind:
            parts.append(Text("Blind mode: only your own codings are shown", style="bold"))
        if hidden:  # "2 codes hidden": those codings are not listed here either
            parts.append(Text(f"{hidden} (L)", style="bold reverse"))
        if visual or selection:
            label = "Selecting" if visual else "Selected"
            size = selection[1] - selection[0] if selection else 0
            parts.append(Text(f"{label}: {size} characters", style="bold reverse"))
            parts.append(Text("c code it · esc clear\n", style="dim"))
        title = Text(f"Line {line + 1}", style="bold")
        title.append(f" · {counted(len(codings), 'coding')}", style="dim")
        parts.append(title)
        if not codings:
            parts.append(Text("No codes on this line.", style="dim"))
        for coding in codings:
            code = codes.get(coding.code_id)
            at_cursor = coding.start <= cursor < coding.end
            entry = Text(no_wrap=False)
            entry.append("▶" if at_cursor else " ", style="bold")
            entry.append_text(styles.swatch(coding.code_id))
            entry.append(f" {code.name if code else coding.code_id}",
                         style="bold" if at_cursor else "")
            entry.append(f"  {coders.get(coding.coder_id, '?')}", style="dim")
            if coding.memo:
                entry.append(" ✎", style="bold")
            parts.append(entry)
            if code is not None and code.parent_id is not None:
                parts.append(Text(f"   in {code.path.rsplit('/', 1)[0]}", style="dim",
                                  overflow="ellipsis", no_wrap=True))
            if coding.memo and at_cursor:
                memo = " ".join(coding.memo.split())
                parts.append(Text(f"   ✎ {memo[:160]}{'…' if len(memo) > 160 else ''}",
                                  style="italic"))
        self.query_one("#panel-body", Static).update(Group(*parts))
