"""The fidelity table from the forms (p.fidelity): per month, quarter, year, office or version,
the forms, tools planned and used per form, mean ratings and comments filled; or each tool (or
principle) down and the groups across, with how many forms used or planned it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from qualcode.core import Project
from qualcode.errors import QualcodeError
from qualcode.store.attribute_values import value_text
from qualcode.tui.screens.base import ProjectScreen

GROUPINGS = ("month", "quarter", "year", "office", "version")
VIEWS = ("summary", "tool", "principle")
VALUES = ("used", "planned", "used %", "planned %")
"""What an item view's cells hold: columns of p.fidelity(items=..., long=True)."""
NOT_ON_FORM = "–"
"""A group none of whose forms had the item on its version (UTU before February 2012)."""


def cell(value) -> str:
    """Shares and means with one decimal, counts whole."""
    if isinstance(value, float) and value == value and not value.is_integer():
        return f"{value:.1f}"
    return value_text(value)


def count_table(project: Project, key: tuple) -> Any:
    """The p.fidelity frame of a key of FidelityScreen.wanted()."""
    if key[0] == "summary":
        return project.fidelity(key[1])
    return project.fidelity(key[2], items=key[1], long=True)


def number(text: str) -> Text:
    return Text(text, justify="right")


def following(options: tuple[str, ...], current: str) -> str:
    return options[(options.index(current) + 1) % len(options)]


class FidelityScreen(ProjectScreen):
    HELP_TITLE = "Fidelity"
    BINDINGS = [
        Binding("b", "next_grouping", "Group by",
                tooltip="Group the forms by month, quarter, year, office or version"),
        Binding("t", "next_view", "Tools",
                tooltip="Switch between the summary, the tools × groups table and the "
                        "principles × groups table"),
        Binding("v", "next_value", "Value",
                tooltip="In the tools or principles table: forms that used the item, planned "
                        "it, or the share (%) of forms that used or planned it"),
    ]

    def __init__(self) -> None:
        super().__init__(id="fidelity")
        self.by = GROUPINGS[0]
        self.view = VIEWS[0]
        self.value = VALUES[0]
        self.values = VALUES
        """The values `v` steps through: those the forms record for the items shown."""
        self.tables: dict[tuple, Any] = {}
        """p.fidelity's frames counted for this generation of the project, by wanted()."""
        self.counted_generation = -1
        self.worker: Worker | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="fidelity-heading", classes="status")
        yield DataTable(id="fidelity-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Fidelity"
        self.query_one(DataTable).focus()
        super().on_mount()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_value" and self.view == "summary":
            return None  # shown greyed out: values belong to the item tables
        return True

    def wanted(self) -> list[tuple]:
        """The tables the current view shows: the summary by the grouping, or the items by
        the grouping and by all forms together (the `all` column, whatever the grouping)."""
        if self.view == "summary":
            return [("summary", self.by)]
        return [("items", self.view, self.by), ("items", self.view, "all")]

    def reload(self) -> None:
        """Show the view from the tables counted so far; count the missing ones in a worker
        with its own connection (at 10× the sample, 16,720 forms with 470,000 tools and
        principles take a second or two), so the screen is there at once."""
        if self.counted_generation != self.qapp.generation:
            self.tables, self.counted_generation = {}, self.qapp.generation
        missing = [key for key in self.wanted() if key not in self.tables]
        if not missing:
            self.show()
            return
        self.query_one(DataTable).clear(columns=True)
        self.query_one("#fidelity-heading", Static).update(f"Counting the forms by {self.by}…")
        self.refresh_bindings()
        path, generation = self.project.path, self.qapp.generation

        def count() -> tuple[int, dict]:
            with Project.open(path) as mine:
                return generation, {key: count_table(mine, key) for key in missing}

        self.worker = self.run_worker(count, thread=True, group="fidelity", exclusive=True,
                                      exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.worker:
            return
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, QualcodeError) else repr(error)
            self.query_one("#fidelity-heading", Static).update(
                f"No fidelity table by {self.by}: {message}")
        elif event.state == WorkerState.SUCCESS:
            generation, tables = event.worker.result
            if generation == self.counted_generation:
                self.tables.update(tables)
            self.reload()

    def show(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        fill = self.fill_summary if self.view == "summary" else self.fill_items
        self.query_one("#fidelity-heading", Static).update(fill(table))
        self.refresh_bindings()

    def fill_summary(self, table: DataTable) -> str:
        frame = self.tables["summary", self.by]
        if not len(frame):
            return "No forms yet: import them with `qualcode import forms`."
        table.cursor_type, table.fixed_columns = "row", 0
        table.add_column(self.by)
        for column in frame.columns:
            table.add_column(str(column))
        for key, row in frame.iterrows():
            table.add_row(value_text(key), *[cell(v) for v in row])
        return (f"{len(frame)} groups by {self.by} (b: by {following(GROUPINGS, self.by)}) · "
                "tools per form, mean ratings, comments filled (%)")

    def fill_items(self, table: DataTable) -> str:
        """Items down, the groups across (after `all`, every form), one value per cell from
        the same long table `qualcode query fidelity --items tool --long` prints."""
        long = self.tables["items", self.view, self.by]
        if not len(long):
            return f"No {self.view}s on the forms: import them with `qualcode import forms`."
        total = self.tables["items", self.view, "all"]
        # values no form records (the FE form ticks principles as planned, never used) are
        # skipped rather than shown as a table of zeros
        self.values = tuple(v for v in VALUES if total[v.split()[0]].sum() > 0) or VALUES
        if self.value not in self.values:
            self.value = self.values[0]
        items = list(total["item"])  # most often planned first, as --by all lists them
        groups = list(dict.fromkeys(long[self.by]))
        cells = {(r[self.by], r["item"]): r[self.value]
                 for r in long.to_dict("records")}
        cells.update({("all", r["item"]): r[self.value] for r in total.to_dict("records")})
        forms = dict(zip(long[self.by], long["forms"], strict=False))
        forms["all"] = int(total["forms"].iloc[0])
        table.cursor_type, table.fixed_columns = "cell", 1
        table.add_column(self.view)
        columns = ["all", *groups]
        for group in columns:
            table.add_column(value_text(group))
        table.add_row("forms", *[number(value_text(forms[g])) for g in columns], key="forms")
        for item in items:
            table.add_row(item, *[number(self.item_cell(cells.get((g, item))))
                                  for g in columns])
        what = {"used": "forms that used it", "planned": "forms that planned it",
                "used %": "% of forms that used it", "planned %": "% of forms that planned it"}
        return (f"{len(items)} {self.view}s × {self.by} · {what[self.value]} "
                f"(v: {following(self.values, self.value)}) · {NOT_ON_FORM} not on the form")

    @staticmethod
    def item_cell(value) -> str:
        if value is None or value != value:  # no form of the group had it on its version
            return NOT_ON_FORM
        return f"{value:.1f}" if isinstance(value, float) else value_text(value)  # a share

    def action_next_grouping(self) -> None:
        self.by = following(GROUPINGS, self.by)
        self.reload()

    def action_next_view(self) -> None:
        self.view = following(VIEWS, self.view)
        self.reload()

    def action_next_value(self) -> None:
        self.value = following(self.values, self.value)
        self.reload()
