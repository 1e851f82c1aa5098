"""The reader's legend: the codes and coders of the open source, each shown or hidden.

Codes with their colour, path and number of codings in this source; coders with theirs. space
(or enter) shows or hides the highlighted one, `o` shows only it, `a` shows everything. Closing
returns the codes and coders to hide; the reader repaints once.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qualcode.core import Code
from qualcode.core.util import counted
from qualcode.tui.colors import CodeStyles

Hidden = tuple[set[int], set[int]]
"""(code ids, coder ids) hidden."""


class Legend(ModalScreen[Hidden]):
    BINDINGS = [
        Binding("space,enter", "toggle", "Show/hide"),
        Binding("o", "only", "Only this"),
        Binding("a", "show_all", "Show all"),
        Binding("escape,q,L", "close", "Close"),
    ]

    def __init__(self, codes: Sequence[tuple[Code, int]], coders: Sequence[tuple[int, str, int]],
                 palette: CodeStyles, hidden: Hidden, note: str = ""):
        super().__init__()
        self.note = note  # what the counts are, in blind mode
        self.codes = list(codes)
        self.coders = list(coders)
        self.palette = palette
        self.hidden_codes, self.hidden_coders = set(hidden[0]), set(hidden[1])

    def compose(self) -> ComposeResult:
        with Vertical(id="legend-dialog"):
            yield Static(f"Legend: the codes and coders of this source{self.note}",
                         id="legend-title")
            yield OptionList(*self.options(), id="legend-options")
            yield Static("", id="legend-note", classes="status")
            yield Static("space show/hide · o only this · a show all · esc close",
                         classes="status")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = next(
            (i for i in range(options.option_count)
             if not options.get_option_at_index(i).disabled), None)
        options.focus()
        self.show_note()

    # -- the list -----------------------------------------------------------------------------
    def options(self) -> list[Option]:
        if not self.codes:
            return [Option(Text("No codings in this source.", style="dim"), disabled=True)]
        width = max(len(code.path) for code, _ in self.codes)
        found = [Option(Text("Codes", style="bold"), disabled=True)]
        found += [Option(self.code_line(code, count, width), id=f"code-{code.id}")
                  for code, count in self.codes]
        found.append(Option(Text("Coders", style="bold"), disabled=True))
        found += [Option(self.coder_line(name, count, coder_id), id=f"coder-{coder_id}")
                  for coder_id, name, count in self.coders]
        return found

    def code_line(self, code: Code, count: int, width: int) -> Text:
        hidden = code.id in self.hidden_codes
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("[ ] " if hidden else "[x] ")
        line.append_text(self.palette.swatch(code.id))
        line.append(f" {code.path.ljust(width)}  {count:>5}", style="dim" if hidden else "")
        if hidden:
            line.append("  hidden", style="bold")
        return line

    def coder_line(self, name: str, count: int, coder_id: int) -> Text:
        hidden = coder_id in self.hidden_coders
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("[ ] " if hidden else "[x] ")
        line.append(f"{name}  {counted(count, 'coding')}", style="dim" if hidden else "")
        if hidden:
            line.append("  hidden", style="bold")
        return line

    def redraw(self) -> None:
        options = self.query_one(OptionList)
        at = options.highlighted
        options.clear_options()
        options.add_options(self.options())
        options.highlighted = at
        self.show_note()

    def show_note(self) -> None:
        listed = {code.id for code, _ in self.codes}
        elsewhere = len(self.hidden_codes - listed)
        note = f"Also hidden: {elsewhere} code{'s' if elsewhere != 1 else ''} not in this " \
            "source (a shows them)" if elsewhere else ""
        shown = self.query_one("#legend-note", Static)
        shown.update(note)
        shown.display = bool(note)

    def highlighted(self) -> tuple[str, int] | None:
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        kind, _, number = option.id.partition("-")
        return kind, int(number)

    # -- keys ---------------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle()

    def action_toggle(self) -> None:
        chosen = self.highlighted()
        if chosen is None:
            return
        kind, number = chosen
        hidden = self.hidden_codes if kind == "code" else self.hidden_coders
        hidden.symmetric_difference_update({number})
        self.redraw()

    def action_only(self) -> None:
        """Show only the highlighted code (every other code of the source hidden) or coder."""
        chosen = self.highlighted()
        if chosen is None:
            return
        kind, number = chosen
        if kind == "code":
            self.hidden_codes |= {code.id for code, _ in self.codes} - {number}
            self.hidden_codes.discard(number)
        else:
            self.hidden_coders |= {coder_id for coder_id, _, _ in self.coders} - {number}
            self.hidden_coders.discard(number)
        self.redraw()

    def action_show_all(self) -> None:
        self.hidden_codes, self.hidden_coders = set(), set()
        self.redraw()

    def action_close(self) -> None:
        self.dismiss((self.hidden_codes, self.hidden_coders))
