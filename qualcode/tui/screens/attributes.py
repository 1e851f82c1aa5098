"""Cases and sources with their attributes as a sheet, each cell editable in place.

A row shows its own values and, dim and marked ↑, what it inherits from the cases above it (a
source from its case, a sub-case from its parent); an own value that overrides an inherited
one is marked *. Editing a cell always changes the row's own value, never the case above it,
and the prompt says so. A typed value is read as an attribute sheet's cell is (a whole number,
a decimal, a date, ja/nei, else text: qualcode.ingest.values.typed); an emptied cell removes
the own value. `n` writes the row's memo. Every edit is one change and one undo step.

`/` filters the sheet as the forms and the sources list are filtered (qualcode.tui.filters): a
word matches a row's name or any of its values, `name=value` and `name>=value` compare a value
the row holds, its own or one it inherits (office=5 finds the sources of office 5's cases),
`kind=` its kind and `entity=` case or source. The filter sees what the row shows.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from qualcode.core.model import Memo
from qualcode.core.util import counted
from qualcode.ingest.values import BadValue, typed
from qualcode.store.attribute_values import value_text
from qualcode.tui.filters import (
    FilterDelay,
    FilterRow,
    SourceFilter,
    unknown_warning,
    value_examples,
)
from qualcode.tui.paging import ROWS_AHEAD, rows_to_add
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.screens.memos import edit_memo
from qualcode.tui.widgets.common.inputs import OrderedInput
from qualcode.tui.widgets.common.prompts import TextPrompt

NAME_WIDTH = 28
VALUE_WIDTH = 14
WIDEST_VALUE = 24  # a column is as wide as its widest value, up to this
INHERITED = "↑ "  # before a value that comes from a case above the row (first: never cut off)
OVERRIDE = "* "  # before an own value that overrides an inherited one
MEMO = " ✎"  # after the name of a case or source with a memo
LEGEND = f"dim {INHERITED}inherited · {OVERRIDE}own value over it ·{MEMO} memo"  # fits 80 columns

ROW_FIELDS = ("kind", "entity")  # what a filter can name besides the attributes
PLACE_KEY = "attribute_filter"  # the filter, kept in the app's place as the sources list's

Row = tuple[str, int, str, str]  # (entity kind, id, name, kind)


class AttributesScreen(ProjectScreen):
    HELP_TITLE = "Cases and attributes"
    BINDINGS = [
        Binding("enter,e", "edit", "Edit",
                tooltip="Edit the row's own value in the cell (empty removes it)"),
        Binding("a", "add_attribute", "New attribute",
                tooltip="Give the row's case or source a value of a new attribute"),
        Binding("n", "memo", "Memo", tooltip="Write or edit the memo on the row's case or source"),
        Binding("slash", "focus_filter", "Filter",
                tooltip="Filter the rows: words, name=value with own or inherited values "
                "(office=5 finds the sources of office 5's cases), name>=value, kind=, "
                "entity=case or source"),
        Binding("escape", "clear_filter", "Clear filter", show=False,
                tooltip="Clear the filter and show every row"),
    ]

    def __init__(self) -> None:
        super().__init__(id="attributes")
        self.all_rows: list[Row] = []
        self.rows: list[Row] = []  # the rows the filter lets through, in table order
        self.filter_rows: list[FilterRow] | None = None  # all_rows as the filter sees them
        self.examples: list[dict[str, Any]] = []  # a value of each type of each of their names
        self.filtered = ""  # the filter text the rows were filtered by
        self.trouble = ""  # what is wrong with it: a name no row has, a value of a wrong type
        self.delay = FilterDelay(self, self.refill)
        self.names: list[str] = []
        self.values: dict[tuple[str, int], dict[str, Any]] = {}
        self.inherited: dict[tuple[str, int], dict[str, tuple[Any, int]]] = {}
        self.memos: dict[tuple[str, int], Memo] = {}
        self.case_names: dict[int, str] = {}
        self.wanted: tuple[str, int] | None = None  # a row to go to once the sheet is read

    def compose(self) -> ComposeResult:
        yield Header()
        yield OrderedInput(str(self.qapp.place.get(PLACE_KEY) or ""), compact=True,
                           id="attribute-filter",
                           placeholder="filter: words, office=5, time=T1,T2, entity=case")
        yield DataTable(id="attribute-table", cursor_type="cell", zebra_stripes=True)
        yield Static(id="attribute-cell", classes="status", markup=False)
        yield Static(id="attribute-status", classes="status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Cases and attributes"
        self.query_one(DataTable).focus()
        super().on_mount()

    def reload(self) -> None:
        p = self.project
        self.values = p.attribute_values()
        self.inherited = p.inherited_attributes()
        self.names = sorted({n for values in self.values.values() for n in values})
        self.memos = {}
        for memo in p.memos():
            if memo.target_kind in ("case", "source"):
                self.memos.setdefault((memo.target_kind, memo.target_id), memo)
        cases = p.cases()
        self.case_names = {c.id: c.name for c in cases}
        self.all_rows = [("case", c.id, c.name, c.kind) for c in cases]
        self.all_rows += [("source", s.id, s.name, s.kind) for s in p.source_list()]
        self.filter_rows = None
        self.query_one("#attribute-filter", Input).placeholder = (
            f"filter: words or name=value, own or inherited "
            f"({', '.join([*self.names, *ROW_FIELDS])})")
        table = self.query_one(DataTable)
        keep, (row, column) = self.row_key(), table.cursor_coordinate
        if self.wanted is not None:
            keep, column = self.wanted, 0
            if self.hidden(keep):  # asked for by name: the filter gives way
                self.query_one("#attribute-filter", Input).value = ""
        self.wanted = None
        table.clear(columns=True)
        widest = self.widest_values()
        table.add_column("Case or source", width=NAME_WIDTH)
        table.add_column("Kind", width=16)
        for name in self.names:
            table.add_column(name, width=max(VALUE_WIDTH, len(name),
                                             min(widest.get(name, 0), WIDEST_VALUE)))
        self.refill(keep, row, column)

    def refill(self, keep: tuple[str, int] | None = None, row: int = 0, column: int = 0
               ) -> None:
        """Filter the rows and put the first of them in the table (the columns stay), the
        cursor on the row it was on (`keep`) if the filter lets it through, else at the row
        of the same number."""
        self.delay.cancel()
        table = self.query_one(DataTable)
        if keep is None:
            keep, (row, column) = self.row_key(), table.cursor_coordinate
        self.filtered = self.query_one("#attribute-filter", Input).value
        wanted = SourceFilter.parse(self.filtered)
        warnings = [unknown_warning(wanted, [*self.names, *ROW_FIELDS], "row")]
        if not wanted.active():
            self.rows = self.all_rows
        else:
            prepared = self.prepared_rows()
            try:
                test = wanted.row_test(self.examples)
            except ValueError as exc:  # office=Alna where offices are numbers: say so
                warnings.append(str(exc))
                self.rows = []
            else:
                self.rows = [one for one, seen in zip(self.all_rows, prepared, strict=True)
                             if test(seen)]
        keys = [(r[0], r[1]) for r in self.rows]
        if keep in keys:
            row = keys.index(keep)
        table.clear()
        self.load_rows(row + ROWS_AHEAD)
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1), column=column)
        said = self.trouble = " · ".join(w for w in warnings if w)
        if said or (wanted.active() and not self.rows):
            said = f"{said or 'no row matches'}: esc clears the filter · "
        self.query_one("#attribute-status", Static).update(
            f"{len(self.rows)} of {counted(len(self.all_rows), 'row')} · {said}{LEGEND}")
        self.describe_cell()

    def prepared_rows(self) -> list[FilterRow]:
        """Every row as the filter sees it: its name, kind, entity and every value it shows,
        own or inherited, and the text a word is looked for in (made when the filter is
        focused or first used, kept until the next reload: 0.1 s for 20,000 rows)."""
        if self.filter_rows is None:
            self.filter_rows = []
            for entity, entity_id, row_name, kind in self.all_rows:
                values = {name: value for name, (value, _) in
                          self.inherited.get((entity, entity_id), {}).items()}
                values.update(self.values.get((entity, entity_id), {}))  # own over inherited
                values.update(kind=kind, entity=entity)
                row = FilterRow(row_name, values)
                row.text  # noqa: B018 (made now, not at the first word typed)
                self.filter_rows.append(row)
            self.examples = value_examples(r.values for r in self.filter_rows)
        return self.filter_rows

    def row_key(self) -> tuple[str, int] | None:
        """(entity, id) of the row at the cursor."""
        row = self.query_one(DataTable).cursor_row
        return (self.rows[row][0], self.rows[row][1]) if row < len(self.rows) else None

    def hidden(self, key: tuple[str, int]) -> bool:
        """Whether the filter hides this row of the sheet."""
        return key not in {(r[0], r[1]) for r in self.rows} and \
            key in {(r[0], r[1]) for r in self.all_rows}

    def widest_values(self) -> dict[str, int]:
        """The widest cell of each attribute's column, its mark included (as `cell` has it)."""
        widths: dict[tuple[type, Any], int] = {}  # 14,000 inherited values at 10×, few distinct

        def width(value: Any) -> int:  # by type too: True == 1, but "yes" is not "1"
            key = (type(value), value)
            if key not in widths:
                widths[key] = len(value_text(value))
            return widths[key]

        widest: dict[str, int] = {}
        for key, own in self.values.items():
            above = self.inherited.get(key, {})
            for name, value in own.items():
                cell = width(value) + (len(OVERRIDE) if name in above else 0)
                widest[name] = max(widest.get(name, 0), cell)
        for key, above in self.inherited.items():
            own = self.values.get(key, {})
            for name, (value, _) in above.items():
                if name not in own:
                    cell = len(INHERITED) + width(value)
                    widest[name] = max(widest.get(name, 0), cell)
        return widest

    def load_rows(self, at_least: int) -> None:
        """Put rows of the sheet into the table until it has `at_least` of them (in steps
        of ROWS_AT_ONCE, as the sources list: 20,000 rows take seconds to build)."""
        table = self.query_one(DataTable)
        added = rows_to_add(table.row_count, at_least, len(self.rows))
        for entity, entity_id, name, kind in self.rows[added.start:added.stop]:
            if (entity, entity_id) in self.memos:  # the mark is never cut off
                name = (name if len(name) + len(MEMO) <= NAME_WIDTH else
                        name[:NAME_WIDTH - len(MEMO) - 1] + "…") + MEMO
            table.add_row(name, f"{entity}: {kind}" if entity == "case" else kind,
                          *[self.cell(entity, entity_id, n) for n in self.names])

    def cell(self, entity: str, entity_id: int, name: str) -> Text | str:
        """The cell's text: styled only where it must be (a long sheet fills faster)."""
        own = self.values.get((entity, entity_id), {})
        above = self.inherited.get((entity, entity_id), {})
        if name in own:
            if name in above:
                return Text(OVERRIDE + value_text(own[name]), style="bold")
            return value_text(own[name])
        if name in above:
            return Text(INHERITED + value_text(above[name][0]), style="dim")
        return ""

    def show_row(self, entity: str, entity_id: int) -> None:
        """Put the cursor on this case's or source's row (now, or when the sheet is read),
        clearing a filter that hides it."""
        key = (entity, entity_id)
        if self.seen_generation != self.qapp.generation:
            self.wanted = key
            return
        if self.hidden(key):
            self.query_one("#attribute-filter", Input).value = ""
        self.refill(key)
        self.query_one(DataTable).move_cursor(column=0)

    def at_cursor(self) -> tuple[Row, str | None] | None:
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        if row >= len(self.rows):
            return None
        name = self.names[column - 2] if 2 <= column < len(self.names) + 2 else None
        return self.rows[row], name

    # -- what the cell at the cursor holds ----------------------------------------------------
    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.load_rows(event.coordinate.row + ROWS_AHEAD)  # the cursor nears the end: more
        self.describe_cell()

    def describe_cell(self) -> None:
        self.query_one("#attribute-cell", Static).update(self.cell_text())

    def heir_count(self, case_id: int, name: str) -> str:
        """Who inherits the case's value of `name` (those with their own value do not)."""
        cases = sources = 0
        for (entity, entity_id), above in self.inherited.items():
            if above.get(name, (None, None))[1] == case_id \
                    and name not in self.values.get((entity, entity_id), {}):
                cases += entity == "case"
                sources += entity == "source"
        heirs = [counted(n, noun) for n, noun in ((cases, "sub-case"), (sources, "source")) if n]
        return " and ".join(heirs)

    def cell_text(self) -> str:
        found = self.at_cursor()
        if found is None:
            if self.trouble:  # not "nothing matches": the filter cannot match as typed
                return f"{self.trouble}: esc clears the filter."
            return "No row matches the filter: esc clears it." if self.all_rows else ""
        (entity, entity_id, entity_name, _), name = found
        key = (entity, entity_id)
        if name is None:
            memo = self.memos.get(key)
            about = f"{entity} {entity_name}"
            return (f"{about} · memo: {' '.join(memo.text.split())}" if memo else
                    f"{about} · no memo (n writes one)")
        own = self.values.get(key, {})
        above = self.inherited.get(key, {})
        where = f"{name} of {entity} {entity_name}"
        if name in above:
            value, case_id = above[name]
            case = self.case_names.get(case_id, "?")
            if name in own:
                return (f"{where}: {value_text(own[name])}, its own value, over "
                        f"{value_text(value)} from case {case}")
            return (f"{where}: {value_text(value)}, inherited from case {case} · e gives "
                    f"{entity_name} its own value ({case} keeps {value_text(value)})")
        if name in own:
            heirs = self.heir_count(entity_id, name) if entity == "case" else ""
            return f"{where}: {value_text(own[name])}" + (f" · inherited by {heirs}"
                                                          if heirs else "")
        return f"{where}: no value (e gives it one)"

    # -- editing ------------------------------------------------------------------------------
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
        above = self.inherited.get((entity, entity_id), {}).get(name)
        question = f"{name} of {entity} {entity_name} (empty removes it):"
        placeholder, done_note = "", ""
        if above is not None:
            value, case_id = above
            origin = f"{value_text(value)} from case {self.case_names.get(case_id, '?')}"
            done_note = f" (its own value; case {self.case_names.get(case_id, '?')} keeps " \
                        f"{value_text(value)})"
            if current:
                question = (f"{name} of {entity} {entity_name}: its own value, over {origin}. "
                            f"Empty removes it, and the {entity} inherits {value_text(value)} "
                            "again:")
            else:
                question = (f"{name} of {entity} {entity_name}: inherits {origin}. A value "
                            f"typed here is the {entity}'s own and overrides it; case "
                            f"{self.case_names.get(case_id, '?')} is not changed:")
                placeholder = f"{value_text(value)} (from case " \
                              f"{self.case_names.get(case_id, '?')})"
        elif entity == "case" and current:
            heirs = self.heir_count(entity_id, name)
            if heirs:
                question = (f"{name} of case {entity_name} (empty removes it); {heirs} "
                            "inherit it:")

        def answered(text: str | None) -> None:
            if text is None or text == current:
                return
            try:
                value = typed(text)
            except BadValue as exc:
                self.notify(str(exc), title="Not done", severity="error", timeout=8)
                return
            if value is None:
                shown = "removed" + (f"; it inherits {value_text(above[0])} again"
                                     if above is not None else "")
            else:
                shown = f"= {value_text(value)}{done_note}"
            self.qapp.attempt(
                lambda: self.project.set_attribute(name, value, **{entity: entity_id}),
                f"{entity_name}: {name} {shown}")

        self.app.push_screen(TextPrompt(question, current, placeholder=placeholder,
                                        allow_empty=True), answered)

    def action_add_attribute(self) -> None:
        found = self.at_cursor()
        if found is None:
            return
        entity, entity_id, entity_name, _ = found[0]
        self.app.push_screen(TextPrompt("Name of the new attribute:", placeholder="e.g. arm"),
                             lambda name: name and self.ask_value(entity, entity_id,
                                                                  entity_name, name))

    # -- the filter ---------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        self.qapp.place[PLACE_KEY] = event.value
        self.qapp.place_changed()
        if event.value != self.filtered:  # not the text the sheet was filtered by
            self.delay.typed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.delay.now()
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#attribute-filter", Input))  # now: keys typed with / too
        self.call_after_refresh(self.prepared_rows)  # while the first key is on its way

    def action_clear_filter(self) -> None:
        self.query_one("#attribute-filter", Input).value = ""
        self.refill()
        self.query_one(DataTable).focus()

    def action_memo(self) -> None:
        found = self.at_cursor()
        if found is None:
            return
        entity, entity_id, entity_name, _ = found[0]
        edit_memo(self, self.memos.get((entity, entity_id)), f"{entity} {entity_name}",
                  **{entity: entity_id})
