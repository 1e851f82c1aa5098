"""Codes × attribute values (p.matrix): codings per cell; enter on a cell lists the excerpts
behind it, and enter on an excerpt opens it in its source."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.core.util import counted
from qualcode.errors import QualcodeError
from qualcode.store.attribute_values import value_text
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.widgets.common.prompts import TextPrompt

EXCERPT_CHARS = 300


class MatrixScreen(ProjectScreen):
    HELP_TITLE = "Matrix"
    BINDINGS = [
        Binding("b", "choose_attribute", "By",
                tooltip="Choose the attribute whose values are the columns (role, time ...)"),
        Binding("escape", "back", "Back", show=False,
                tooltip="From a cell's excerpts back to the matrix"),
    ]

    def __init__(self) -> None:
        super().__init__(id="matrix")
        self.by = "role"
        self.codes: list[str] = []
        self.values: list[Any] = []
        self.excerpts: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="matrix-heading", classes="status")
        yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=True)
        yield OptionList(id="matrix-excerpts")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Matrix"
        self.query_one("#matrix-excerpts").display = False
        self.query_one(DataTable).focus()
        super().on_mount()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        heading = self.query_one("#matrix-heading", Static)
        table.clear(columns=True)
        try:
            frame = self.project.matrix(self.by)
        except QualcodeError as exc:
            heading.update(f"No matrix by {self.by}: {exc} (b chooses another attribute)")
            return
        frame = frame.T  # codes down, attribute values across
        self.codes = [str(c) for c in frame.index]
        self.values = list(frame.columns)
        table.add_column("code")
        for value in self.values:
            table.add_column(value_text(value))
        for code, row in frame.iterrows():
            table.add_row(str(code), *[value_text(v) or "" for v in row])
        heading.update(f"codings: {counted(len(self.codes), 'code')} × {self.by} · enter on a "
                       "cell lists its excerpts · b another attribute")

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        row, column = event.coordinate
        if column == 0 or row >= len(self.codes):
            return
        self.show_excerpts(self.codes[row], self.values[column - 1])

    def show_excerpts(self, code: str, value: Any) -> None:
        try:
            frame = self.project.codings(codes=[code], attributes={self.by: value})
        except QualcodeError as exc:
            self.notify(str(exc), title="No excerpts", severity="warning", timeout=6)
            return
        self.excerpts = frame.to_dict("records")
        options = self.query_one("#matrix-excerpts", OptionList)
        options.set_options([Option(self.describe(r), id=str(i))
                             for i, r in enumerate(self.excerpts)])
        if self.excerpts:
            options.highlighted = 0
        self.query_one(DataTable).display = False
        options.display = True
        options.focus()
        self.query_one("#matrix-heading", Static).update(
            f"{code} · {self.by} {value_text(value)}: {counted(len(self.excerpts), 'excerpt')} "
            "· enter opens one · esc back to the matrix")

    @staticmethod
    def describe(row: dict[str, Any]) -> Text:
        line = Text(str(row["source"]), style="bold")
        line.append(f" · {row['coder']}", style="dim")
        text = " ".join(str(row["text"]).split())
        line.append("\n" + text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else ""))
        line.append("\n")
        return line

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        row = self.excerpts[int(event.option.id)]
        order = list(dict.fromkeys(int(r["source_id"]) for r in self.excerpts))
        self.qapp.open_source(int(row["source_id"]), order=order,
                              select=(int(row["start"]), int(row["end"])))

    def action_back(self) -> None:
        options = self.query_one("#matrix-excerpts", OptionList)
        if options.display:
            options.display = False
            table = self.query_one(DataTable)
            table.display = True
            table.focus()
            self.reload()

    def action_choose_attribute(self) -> None:
        def chosen(name: str | None) -> None:
            if name:
                self.by = name
                self.reload()

        self.app.push_screen(TextPrompt("Columns by which attribute? (e.g. role, time, office)",
                                        self.by), chosen)
