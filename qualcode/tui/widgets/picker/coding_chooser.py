"""Choose one of the codings at the cursor (to remove it, or to write a memo on it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qualcode.core import Code, Coding
from qualcode.tui.colors import CodeStyles


def coding_line(coding: Coding, code: Code | None, coder: str, styles: CodeStyles,
                text: str) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append_text(styles.swatch(coding.code_id))
    line.append(f" {code.path if code else coding.code_id}", style="bold")
    line.append(f"  {coder}", style="dim")
    if coding.memo:
        line.append("  ✎ memo", style="italic")
    excerpt = " ".join(text[coding.start:coding.end].split())
    line.append(f"\n    “{excerpt[:70]}{'…' if len(excerpt) > 70 else ''}”", style="dim")
    return line


class CodingChooser(ModalScreen[int | None]):
    """A list of codings; returns the chosen coding's id, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, codings: Sequence[Coding], describe: Callable[[Coding], Text]):
        super().__init__()
        self.title_text = title
        self.codings = list(codings)
        self.describe = describe

    def compose(self) -> ComposeResult:
        with Vertical(id="chooser-dialog"):
            yield Static(self.title_text, id="chooser-title", markup=False)
            yield OptionList(*[Option(self.describe(k), id=str(k.id)) for k in self.codings],
                             id="chooser-options")
            yield Static("enter choose · esc cancel", classes="status")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
