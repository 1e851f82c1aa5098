"""Small dialogs: a one-line question, a question answered with one key, a memo editor."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static, TextArea

from qualcode.tui.widgets.common.inputs import OrderedInput


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text (a code name, the coder's name). None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "", *, placeholder: str = "",
                 can_cancel: bool = True, allow_empty: bool = False,
                 suggestions: list[str] | None = None):
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.can_cancel = can_cancel
        self.allow_empty = allow_empty  # an empty answer is "" (e.g. remove a label)
        self.suggestions = suggestions  # completed as you type (→ takes the completion)

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-dialog", classes="dialog"):
            yield Static(self.question, id="prompt-question", markup=False)
            suggester = SuggestFromList(self.suggestions, case_sensitive=False) \
                if self.suggestions else None
            yield OrderedInput(self.value, placeholder=self.placeholder, id="prompt-input",
                               suggester=suggester)
            keys = "enter OK · esc cancel" if self.can_cancel else "enter OK"
            yield Static(keys, classes="status")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))  # now: keys typed with the prompt's key go to it

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value or self.allow_empty:
            self.dismiss(value)
        else:
            self.notify("Please type something (or press esc).", severity="warning")

    def action_cancel(self) -> None:
        if self.can_cancel:
            self.dismiss(None)


class Choice(ModalScreen[str | None]):
    """A question answered with one key. Returns the value of the key pressed; None on esc."""

    def __init__(self, question: str, answers: list[tuple[str, str, str]], *,
                 cancel: str = "cancel"):
        """`answers`: (key, what it does, value returned), e.g. ("y", "remove", "yes")."""
        super().__init__()
        self.question = question
        self.answers = answers
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog", classes="dialog"):
            yield Static(self.question, id="choice-question", markup=False)
            # an answer that does what esc does is listed once: "n or esc keep it"
            keys = [f"{key} or esc {label}" if label == self.cancel else f"{key} {label}"
                    for key, label, _ in self.answers]
            if not any(label == self.cancel for _, label, _ in self.answers):
                keys.append(f"esc {self.cancel}")
            yield Static(" · ".join(keys), classes="status")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.key == "escape":
            self.dismiss(None)
            return
        for key, _, value in self.answers:
            if event.key == key:
                self.dismiss(value)
                return


class MemoEditor(ModalScreen[str | None]):
    """Write or edit a memo (or a code's definition: `noun`). Returns the text ("" to delete
    it), or None when cancelled. Esc after changes asks whether to save them."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, text: str = "", *, noun: str = "memo"):
        super().__init__()
        self.title_text = title
        self.text = text
        self.noun = noun

    def compose(self) -> ComposeResult:
        with Vertical(id="memo-dialog", classes="dialog"):
            yield Static(self.title_text, id="memo-title", markup=False)
            yield TextArea(self.text, soft_wrap=True, id="memo-text")
            yield Static(f"ctrl+s save · esc cancel · an empty {self.noun} is removed",
                         classes="status")

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        if self.query_one(TextArea).text.strip() == self.text.strip():
            self.dismiss(None)
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                self.action_save()
            elif answer == "discard":
                self.dismiss(None)
            else:
                self.query_one(TextArea).focus()

        self.app.push_screen(Choice(f"Save your changes to this {self.noun}?",
                                    [("s", "save", "save"), ("d", "discard them", "discard")],
                                    cancel="keep writing"), answered)
