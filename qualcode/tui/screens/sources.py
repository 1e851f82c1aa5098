"""The sources browser: every source with its kind, attributes and number of codings."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from qualcode.core.model import SOURCE_KINDS
from qualcode.core.util import counted
from qualcode.store.attribute_values import value_text
from qualcode.tui.blind import counts_note
from qualcode.tui.filters import FilterDelay, SourceFilter, unknown_warning
from qualcode.tui.paging import ROWS_AHEAD, rows_to_add
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.screens.bookmarks import BookmarksScreen
from qualcode.tui.screens.memos import edit_memo
from qualcode.tui.widgets.common.inputs import OrderedInput

KIND_LABELS = {"transcript": "transcript", "fieldnote": "field note",
               "form_field": "form comment", "document": "document"}
KIND_ORDER = {"transcript": 0, "fieldnote": 1, "document": 2, "form_field": 3}
PREFERRED_ATTRIBUTES = ("role", "time", "office", "arm", "case", "form", "form_date")
MAX_ATTRIBUTE_COLUMNS = 6


class SourcesScreen(ProjectScreen):
    HELP_TITLE = "Sources"
    BINDINGS = [
        Binding("enter", "open_source", "Open", tooltip="Open the source at the cursor"),
        Binding("slash", "focus_filter", "Filter",
                tooltip="Filter the sources: words, or name=value such as time=T2"),
        Binding("k", "next_kind", "Kind", tooltip="Show one kind of source, then the next"),
        Binding("n", "memo", "Memo", show=False,
                tooltip="Write or edit the memo on the source at the cursor"),
        Binding("B", "bookmarks", "Bookmarks", show=False,
                tooltip="Every bookmark in the project: enter opens the source there"),
        Binding("escape", "clear_filter", "Clear filter", show=False,
                tooltip="Clear the filter and show every source"),
    ]

    def __init__(self) -> None:
        super().__init__(id="sources")
        self.rows: list[dict[str, Any]] = []
        self.shown: list[int] = []
        self.attribute_columns: list[str] = []
        self.attribute_names: list[str] = []  # every attribute a filter can name
        self.placed = False  # the row the user left has been found again
        self.matching: list[dict[str, Any]] = []  # the rows the filter lets through
        self.note = ""  # what the counts are, in blind mode
        self.delay = FilterDelay(self, self.refill)  # a word typed fast: filtered once

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="source-filters"):
            place = self.qapp.place
            kind = {"value": place["kind"]} if place.get("kind") in SOURCE_KINDS else {}
            yield Select([(KIND_LABELS[k], k) for k in SOURCE_KINDS], prompt="All kinds",
                         compact=True, id="kind", allow_blank=True, **kind)
            yield OrderedInput(str(place.get("filter") or ""), compact=True, id="filter",
                               placeholder="filter: words or name=value, e.g. time=T2")
        yield DataTable(id="source-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="source-status", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Sources"
        self.query_one(DataTable).focus()

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        p = self.project
        counts = p.source_coding_counts()  # in blind mode, of your codings only
        self.note = counts_note(p)
        attributes = p.source_attributes()
        columns = [c for c in attributes.columns]
        preferred = [c for c in PREFERRED_ATTRIBUTES if c in columns]
        others = sorted(c for c in columns if c not in preferred)
        self.attribute_names = preferred + others
        self.attribute_columns = self.attribute_names[:MAX_ATTRIBUTE_COLUMNS]
        if columns:  # name the attributes there are to filter by
            self.query_one("#filter", Input).placeholder = (
                f"filter: words or name=value with {', '.join(preferred + others)}")
        records = attributes.to_dict("index") if len(attributes) else {}
        self.rows = []
        # the interviews first: form comments can run into thousands
        for src in sorted(p.source_list(), key=lambda s: (KIND_ORDER.get(s.kind, 9), s.name)):
            attrs = {k: v for k, v in records.get(src.id, {}).items() if v == v and v is not None}
            self.rows.append({"id": src.id, "name": src.name, "kind": src.kind,
                              "codings": counts.get(src.id, 0), "attributes": attrs})
        self.refill()

    def refill(self) -> None:
        """Filter the rows, and put the first of them in the table: more are added as the
        cursor comes near the end (a table of 20,000 rows takes seconds to build, and no one
        reads more than a screenful before filtering)."""
        self.delay.cancel()
        table = self.query_one(DataTable)
        keep = table.cursor_row
        kind = self.query_one("#kind", Select).value
        wanted = SourceFilter.parse(self.query_one("#filter", Input).value)
        table.clear(columns=True)
        table.add_column("Source", key="name")
        table.add_column("Kind", key="kind")
        table.add_column("Your codings" if self.note else "Codings", key="codings")
        for name in self.attribute_columns:
            table.add_column(name, key=f"attr:{name}")
        try:
            matches = wanted.matcher({**r["attributes"], "kind": r["kind"]} for r in self.rows)
        except ValueError as exc:  # office=Alna where offices are numbers: say so
            matches, problem = (lambda name, attributes: False), str(exc)
        else:
            problem = None
        self.matching = [row for row in self.rows
                         if (not isinstance(kind, str) or row["kind"] == kind)
                         and matches(row["name"], {**row["attributes"], "kind": row["kind"]})]
        self.shown = [row["id"] for row in self.matching]
        wanted_row = self.qapp.place.get("source") if not self.placed else None
        row = self.shown.index(wanted_row) if wanted_row in self.shown else keep
        self.load_rows(row + ROWS_AHEAD)
        if self.shown:
            table.move_cursor(row=min(row, len(self.shown) - 1))
            self.placed = True
        total = sum(r["codings"] for r in self.rows)
        hint = " · enter opens" if self.shown else " · nothing matches: esc clears the filter"
        unknown = unknown_warning(wanted, [*self.attribute_names, "kind"], "source")
        if problem or unknown:  # not "nothing matches": the filter cannot match as typed
            hint = f" · {' · '.join(p for p in (unknown, problem) if p)}: esc clears the filter"
        self.query_one("#source-status", Static).update(
            f"{len(self.shown)} of {counted(len(self.rows), 'source')} · "
            f"{counted(total, 'coding')} · "
            f"coder {self.project.coder_name}{self.note}{hint}")

    # -- events and actions -------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        self.qapp.place["filter"] = event.value
        self.qapp.place_changed()
        self.delay.typed()  # 0.1 s a filter at 10x: a word typed fast is filtered once

    def load_rows(self, at_least: int) -> None:
        """Put rows of the filtered list into the table until it has `at_least` of them (in
        steps of ROWS_AT_ONCE)."""
        table = self.query_one(DataTable)
        added = rows_to_add(table.row_count, at_least, len(self.matching))
        table.add_rows(
            [[row["name"], KIND_LABELS.get(row["kind"], row["kind"]), f"{row['codings']:>7}",
              *(_cell(row["attributes"].get(name)) for name in self.attribute_columns)]
             for row in self.matching[added.start:added.stop]])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row < len(self.shown):
            self.qapp.place["source"] = self.shown[event.cursor_row]
            self.qapp.place_changed()
        self.load_rows(event.cursor_row + ROWS_AHEAD)  # the cursor nears the end: more

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.delay.now()
        self.query_one(DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.qapp.place["kind"] = event.value if isinstance(event.value, str) else None
        self.qapp.place_changed()
        self.refill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.cursor_row < len(self.shown):
            self.open_source(self.shown[event.cursor_row])

    def action_open_source(self) -> None:
        table = self.query_one(DataTable)
        if self.shown and table.cursor_row < len(self.shown):
            self.open_source(self.shown[table.cursor_row])

    def open_source(self, source_id: int) -> None:
        self.qapp.open_source(source_id, order=list(self.shown))

    def action_memo(self) -> None:
        table = self.query_one(DataTable)
        if self.shown and table.cursor_row < len(self.shown):
            source = self.project.source(self.shown[table.cursor_row])
            memos = self.project.memos(source=source.id)
            edit_memo(self, memos[0] if memos else None, f"source {source.name}",
                      source=source.id)

    def action_bookmarks(self) -> None:
        self.app.push_screen(BookmarksScreen())

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))  # now: the keys typed with / too

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#kind", Select).clear()
        self.query_one(DataTable).focus()

    def action_next_kind(self) -> None:
        select = self.query_one("#kind", Select)
        present = [k for k in SOURCE_KINDS if any(r["kind"] == k for r in self.rows)]
        options: list[str | None] = [None, *present]
        current = select.value if isinstance(select.value, str) else None
        following = options[(options.index(current) + 1) % len(options)]
        if following is None:
            select.clear()
        else:
            select.value = following


def _cell(value: Any) -> str:
    return value_text(value)
