"""The help screen: every key of every screen, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# Keys that come from Textual's own widgets (selection in the text) rather than our bindings.
READER_EXTRAS = [
    ("shift+arrows", "Select text (also shift+home/end, ctrl+shift+arrows by word)"),
    ("mouse drag", "Select text with the mouse"),
    ("arrows, pgup/pgdn", "Move the cursor"),
    ("home / end", "Start / end of the line"),
]
PALETTE_KEY = ("ctrl+p", "Command palette: search every action by name")


def key_label(key: str) -> str:
    names = {"slash": "/", "question_mark": "?", "right_square_bracket": "]",
             "left_square_bracket": "[", "greater_than_sign": ">", "less_than_sign": "<",
             "escape": "esc", "full_stop": ".", "right_curly_bracket": "}",
             "left_curly_bracket": "{", "apostrophe": "'", "quotation_mark": '"'}
    return ", ".join(names.get(k.strip(), k.strip()) for k in key.split(","))


def binding_rows(bindings: Iterable) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding) and binding.description:
            rows.append((key_label(binding.key), binding.tooltip or binding.description))
    return rows


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, [(key, what it does)]) for the app and each screen and dialog."""
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.screens.adjudication import AdjudicationScreen
    from qualcode.tui.screens.attributes import AttributesScreen
    from qualcode.tui.screens.bookmarks import BookmarksScreen
    from qualcode.tui.screens.codebook import CodebookScreen
    from qualcode.tui.screens.fidelity import FidelityScreen
    from qualcode.tui.screens.find import FindScreen
    from qualcode.tui.screens.forms import FormsScreen
    from qualcode.tui.screens.matrix import MatrixScreen
    from qualcode.tui.screens.memos import MemosScreen
    from qualcode.tui.screens.reader import ReaderScreen
    from qualcode.tui.screens.retrieval import RetrievalScreen
    from qualcode.tui.screens.sources import SourcesScreen
    from qualcode.tui.screens.suggestions import SuggestionsScreen
    from qualcode.tui.widgets.picker.code_picker import CodePicker

    return [
        ("Everywhere", binding_rows(QualcodeApp.BINDINGS) + [PALETTE_KEY]),
        (SourcesScreen.HELP_TITLE, binding_rows(SourcesScreen.BINDINGS)),
        (ReaderScreen.HELP_TITLE, binding_rows(ReaderScreen.BINDINGS) + READER_EXTRAS),
        ("Code picker", binding_rows(CodePicker.BINDINGS)
         + [("type", "Filter codes by part of a name, path or English label")]),
        (CodebookScreen.HELP_TITLE, binding_rows(CodebookScreen.BINDINGS)),
        (RetrievalScreen.HELP_TITLE, binding_rows(RetrievalScreen.BINDINGS)),
        (FormsScreen.HELP_TITLE, binding_rows(FormsScreen.BINDINGS)),
        (MemosScreen.HELP_TITLE, binding_rows(MemosScreen.BINDINGS)),
        (BookmarksScreen.HELP_TITLE, binding_rows(BookmarksScreen.BINDINGS)),
        (AttributesScreen.HELP_TITLE, binding_rows(AttributesScreen.BINDINGS)),
        (FidelityScreen.HELP_TITLE, binding_rows(FidelityScreen.BINDINGS)),
        (MatrixScreen.HELP_TITLE, binding_rows(MatrixScreen.BINDINGS)),
        (FindScreen.HELP_TITLE, binding_rows(FindScreen.BINDINGS)),
        (SuggestionsScreen.HELP_TITLE, binding_rows(SuggestionsScreen.BINDINGS)),
        (AdjudicationScreen.HELP_TITLE, binding_rows(AdjudicationScreen.BINDINGS)),
    ]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        parts: list = [Text("qualcode keys", style="bold"),
                       Text("Every change is saved at once and can be undone (ctrl+z).\n",
                            style="dim")]
        for title, rows in sections():
            table = Table(title=title, title_justify="left", title_style="bold",
                          show_header=False, box=None, padding=(0, 2, 0, 0), expand=True)
            table.add_column("key", style="bold cyan", no_wrap=True, width=18)
            table.add_column("action", ratio=1)
            for key, text in rows:
                table.add_row(key, text)
            parts += [table, Text("")]
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Group(*parts), id="help-text")
        yield Static("esc close · ↑↓ scroll", classes="status", id="help-keys")

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()

    def action_close(self) -> None:
        self.dismiss(None)
