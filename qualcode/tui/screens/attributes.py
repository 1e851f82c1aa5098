"""Cases and sources with their own attributes as a sheet, each cell editable in place.

A typed value is read as an attribute sheet's cell is (a whole number, a decimal, a date,
ja/nei, else text: qualcode.ingest.values.typed); an emptied cell removes the value. Every
edit is one change and one undo step.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from qualcode.core.util import counted
from qualcode.ingest.values import BadValue, typed
from qualcode.store.attribute_values import value_text
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.widgets.common.prompts import TextPrompt

NAME_WIDTH = 28
VALUE_WIDTH = 14


class AttributesScreen(ProjectScreen):
    HELP_TITLE = "Cases and attributes"
    BINDINGS = [
        Binding("enter,e", "edit", "Edit", tooltip="Edit the value in the cell (empty removes it)"),
        Binding("a", "add_attribute", "New attribute",
                tooltip="Give the row's case or source a value of a new attribute"),
    ]

    def __init__(self) -> None:
        super().__init__(id="attributes")
        self.rows: list[tuple[str, int, str, str]] = []  # (entity kind, id, name, kind)
        self.names: list[str] = []
        self.values: dict[tuple[str, int], dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="attribute-table", cursor_type="cell", zebra_stripes=True)
        yield Static(id="attribute-status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Cases and attributes"
        self.query_one(DataTable).focus()
        super().on_mount()

    def reload(self) -> None:
        p = self.project
        self.values = p.attribute_values()
        self.names = sorted({n for values in self.values.values() for n in values})
        self.rows = [("case", c.id, c.name, c.kind) for c in p.cases()]
        self.rows += [("source", s.id, s.name, s.kind) for s in p.sources()]
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column("Case or source", width=NAME_WIDTH)
        table.add_column("Kind", width=16)
        for name in self.names:
            table.add_column(name, width=max(VALUE_WIDTH, len(name)))
        for entity, entity_id, name, kind in self.rows:
            own = self.values.get((entity, entity_id), {})
            table.add_row(name, f"{entity}: {kind}" if entity == "case" else kind,
                          *[value_text(own.get(n)) for n in self.names])
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1), column=column)
        self.query_one("#attribute-status", Static).update(
            f"{counted(sum(r[0] == 'case' for r in self.rows), 'case')} · "
            f"{counted(sum(r[0] == 'source' for r in self.rows), 'source')} · "
            "own values (a source also inherits its case's) · enter edits · a new attribute")

    def at_cursor(self) -> tuple[tuple[str, int, str, str], str | None] | None:
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        if row >= len(self.rows):
            return None
        name = self.names[column - 2] if column >= 2 else None
        return self.rows[row], name

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_edit()  # enter on a cell (the table's own key)

    def action_edit(self) -> None:
        found = self.at_cursor()
        if found is None:
            return
        (entity, entity_id, entity_name, _), name = found
        if name is None:
            self.notify("Move to an attribute's column (→) to edit its value.", timeout=3)
            return
        self.ask_value(entity, entity_id, entity_name, name)

    def ask_value(self, entity: str, entity_id: int, entity_name: str, name: str) -> None:
        current = value_text(self.values.get((entity, entity_id), {}).get(name))

        def answered(text: str | None) -> None:
            if text is None or text == current:
                return
            try:
                value = typed(text)
            except BadValue as exc:
                self.notify(str(exc), title="Not done", severity="error", timeout=8)
                return
            shown = value_text(value) if value is not None else "nothing"
            self.qapp.attempt(
                lambda: self.project.set_attribute(name, value, **{entity: entity_id}),
                f"{entity_name}: {name} = {shown}")

        self.app.push_screen(TextPrompt(f"{name} of {entity} {entity_name} (empty removes it):",
                                        current, allow_empty=True), answered)

    def action_add_attribute(self) -> None:
        found = self.at_cursor()
        if found is None:
            return
        entity, entity_id, entity_name, _ = found[0]
        self.app.push_screen(TextPrompt("Name of the new attribute:", placeholder="e.g. arm"),
                             lambda name: name and self.ask_value(entity, entity_id,
                                                                  entity_name, name))
