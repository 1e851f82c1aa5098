"""Find: search every source of the project, open a hit, code hits one by one or all at once.

Plain search ignores case and treats any run of spaces, non-breaking spaces and line breaks as
one space; F2 matches every form of each word (stems), F3 takes a regular expression, F4 minds
case. Coding asks what to code around each hit: the words, or their sentence, speaker turn,
paragraph or whole text (a form comment).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from qualcode.core.model import Hit
from qualcode.errors import QualcodeError
from qualcode.tui.colors import CodeStyles
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.widgets.common.inputs import OrderedInput
from qualcode.tui.widgets.common.prompts import Choice
from qualcode.tui.widgets.picker.code_picker import CodePicker

SHOWN_AT_MOST = 2000  # hits listed; the status line says when there are more
UNIT_CHOICES = [("w", "the words found", "word"), ("s", "their sentence", "sentence"),
                ("t", "their speaker turn", "turn"), ("p", "their paragraph", "paragraph"),
                ("f", "the whole text (form comment)", "field")]


def ask_unit(screen, count: int, then) -> None:
    """Ask what to code around `count` found passages; `then(unit)` unless cancelled."""
    what = "this passage" if count == 1 else f"these {count:,} passages"
    screen.app.push_screen(Choice(f"Code {what} as:", UNIT_CHOICES),
                           lambda unit: then(unit) if unit else None)


class FindScreen(ProjectScreen):
    HELP_TITLE = "Find (every source)"
    BINDINGS = [
        Binding("f2", "toggle('stem')", "Word forms", tooltip="Match every form of each word"),
        Binding("f3", "toggle('regex')", "Regex", tooltip="Search with a regular expression"),
        Binding("f4", "toggle('case_sensitive')", "Case", tooltip="Match case exactly"),
        Binding("c", "code_hit", "Code hit", tooltip="Code the highlighted hit (or its unit)"),
        Binding("a", "code_all", "Code all",
                tooltip="Code every hit listed (or their units) at once: one change"),
        Binding("slash", "edit_query", "New search", tooltip="Type a new search"),
        Binding("escape,q", "back", "Back", tooltip="Go back"),
    ]

    def __init__(self, query: str = ""):
        super().__init__()
        self.query_text = query
        self.options = {"stem": False, "regex": False, "case_sensitive": False}
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield OrderedInput(self.query_text, placeholder="Find in every source, then enter",
                           id="find-input")
        yield Static("", id="find-status", markup=False)
        yield DataTable(id="find-hits", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Find"
        table = self.query_one(DataTable)
        table.add_columns("source", "where", "in context")
        self.query_one(Input).focus()
        self.show_status()
        super().on_mount()

    def reload(self) -> None:
        if self.query_text:
            self.search()

    # -- searching ----------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_text = event.value.strip()
        if self.query_text:
            self.search()
            if self.hits:
                self.query_one(DataTable).focus()

    def search(self) -> None:
        try:
            hits = self.project.find(self.query_text, limit=SHOWN_AT_MOST + 1, **self.options)
        except QualcodeError as exc:
            self.notify(str(exc), title="Cannot search", severity="error", timeout=6)
            return
        self.hits = hits[:SHOWN_AT_MOST]
        table = self.query_one(DataTable)
        table.clear()
        for n, hit in enumerate(self.hits):
            line = Text(hit.before, style="dim")
            line.append(" ".join(hit.text.split()), style="bold reverse")
            line.append(hit.after, style="dim")
            table.add_row(hit.source, str(hit.where), line, key=str(n))
        self.show_status(more=len(hits) > SHOWN_AT_MOST)

    def show_status(self, *, more: bool = False) -> None:
        on = [name for name, key in (("word forms", "stem"), ("regex", "regex"),
                                     ("case", "case_sensitive")) if self.options[key]]
        mode = ", ".join(on) or "plain (any case, any whitespace)"
        found = ""
        if self.query_text:
            count = f"first {len(self.hits):,}" if more else f"{len(self.hits):,}"
            sources = len({h.source_id for h in self.hits})
            found = f"{count} hits in {sources} sources · "
        self.query_one("#find-status", Static).update(
            f"{found}{mode} · enter opens a hit, c codes it, a codes all")

    def action_toggle(self, option: str) -> None:
        self.options[option] = not self.options[option]
        if option == "stem" and self.options["stem"]:
            self.options["regex"] = self.options["case_sensitive"] = False
        elif option in ("regex", "case_sensitive") and self.options[option]:
            self.options["stem"] = False
        if self.query_text:
            self.search()
        else:
            self.show_status()

    def action_edit_query(self) -> None:
        self.query_one(Input).focus()

    # -- opening and coding -------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        hit = self.hits[int(event.row_key.value)]
        order = list(dict.fromkeys(h.source_id for h in self.hits))
        self.qapp.open_source(hit.source_id, order=order, select=(hit.start, hit.end))

    def highlighted(self) -> Hit | None:
        table = self.query_one(DataTable)
        if not self.hits or table.cursor_row is None or table.cursor_row >= len(self.hits):
            return None
        return self.hits[table.cursor_row]

    def action_code_hit(self) -> None:
        hit = self.highlighted()
        if hit is None:
            self.notify("Search first, then highlight a hit.", severity="warning")
            return
        ask_unit(self, 1, lambda unit: self.pick_codes([hit], unit))

    def action_code_all(self) -> None:
        if not self.hits:
            self.notify("Search first: there are no hits to code.", severity="warning")
            return
        ask_unit(self, len(self.hits), lambda unit: self.pick_codes(self.hits, unit))

    def pick_codes(self, hits: list[Hit], unit: str) -> None:
        codes = self.project.codes()
        title = (f"Code {len(hits):,} hit{'s' if len(hits) != 1 else ''} of "
                 f"“{self.query_text}” ({unit})")

        def chosen(code_ids: list[int] | None) -> None:
            if code_ids:
                self.qapp.attempt(
                    lambda: self.project.code_hits(hits, code_ids, unit=unit),
                    f"Coded {len(hits):,} hit{'s' if len(hits) != 1 else ''} "
                    f"({unit}); ctrl+z takes them all back")

        self.app.push_screen(CodePicker(codes, CodeStyles(codes), title=title), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()
