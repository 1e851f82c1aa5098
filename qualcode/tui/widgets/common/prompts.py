"""Small dialogs: a one-line question, and a memo editor."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from qualcode.tui.widgets.common.inputs import OrderedInput


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text (a code name, the coder's name). None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "", *, placeholder: str = "",
                 can_cancel: bool = True):
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.can_cancel = can_cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-dialog", classes="dialog"):
            yield Static(self.question, id="prompt-question", markup=False)
            yield OrderedInput(self.value, placeholder=self.placeholder, id="prompt-input")
            keys = "enter OK · esc cancel" if self.can_cancel else "enter OK"
            yield Static(keys, classes="status")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value:
            self.dismiss(value)
        else:
            self.notify("Please type something (or press esc).", severity="warning")

    def action_cancel(self) -> None:
        if self.can_cancel:
            self.dismiss(None)


class MemoEditor(ModalScreen[str | None]):
    """Write or edit a memo. Returns the text ("" to delete the memo), or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, text: str = ""):
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="memo-dialog", classes="dialog"):
            yield Static(self.title_text, id="memo-title", markup=False)
            yield TextArea(self.text, soft_wrap=True, id="memo-text")
            yield Static("ctrl+s save · esc cancel · an empty memo is removed", classes="status")

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
