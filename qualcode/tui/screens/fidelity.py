"""The fidelity table from the forms (p.fidelity): per month, quarter, year, office or version,
the forms, tools planned and used per form, mean ratings and comments filled."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from qualcode.errors import QualcodeError
from qualcode.store.attribute_values import value_text
from qualcode.tui.screens.base import ProjectScreen

GROUPINGS = ("month", "quarter", "year", "office", "version")


def cell(value) -> str:
    """Shares and means with one decimal, counts whole."""
    if isinstance(value, float) and value == value and not value.is_integer():
        return f"{value:.1f}"
    return value_text(value)


class FidelityScreen(ProjectScreen):
    HELP_TITLE = "Fidelity"
    BINDINGS = [
        Binding("b", "next_grouping", "Group by",
                tooltip="Group the forms by month, quarter, year, office or version"),
    ]

    def __init__(self) -> None:
        super().__init__(id="fidelity")
        self.by = GROUPINGS[0]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="fidelity-heading", classes="status")
        yield DataTable(id="fidelity-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Fidelity"
        self.query_one(DataTable).focus()
        super().on_mount()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        heading = self.query_one("#fidelity-heading", Static)
        try:
            frame = self.project.fidelity(self.by)
        except QualcodeError as exc:
            heading.update(f"No fidelity table by {self.by}: {exc}")
            return
        if not len(frame):
            heading.update("No forms yet: import them with `qualcode import forms`.")
            return
        table.add_column(self.by)
        for column in frame.columns:
            table.add_column(str(column))
        for key, row in frame.iterrows():
            table.add_row(value_text(key), *[cell(v) for v in row])
        heading.update(f"{len(frame)} groups by {self.by} (b: by "
                       f"{GROUPINGS[(GROUPINGS.index(self.by) + 1) % len(GROUPINGS)]}) · "
                       "tools per form, mean ratings, comments filled (%)")

    def action_next_grouping(self) -> None:
        self.by = GROUPINGS[(GROUPINGS.index(self.by) + 1) % len(GROUPINGS)]
        self.reload()
