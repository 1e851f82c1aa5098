"""The forms: every fidelity form (FE) with its comments beside its numbers (date, office,
version, tools planned and used, ratings), filterable by any of them; enter codes the comment.

The table has fixed column widths (no cell is measured) and keys typed quickly are filtered
once, a moment after the last (qualcode.tui.filters.FilterDelay), so a 1,600-form list stays
quick to type into. The tools ticked are counted for the rows put in the table and named for
the highlighted form before the first frame; every form's, which a filter needs (182,000 rows
at 10x the sample), are read after it, a few hundred forms at a time between the keys.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from qualcode.core.util import counted
from qualcode.store.attribute_values import value_text
from qualcode.tui.blind import counts_note
from qualcode.tui.filters import (
    FilterDelay,
    FilterRow,
    SourceFilter,
    unknown_warning,
    value_examples,
)
from qualcode.tui.paging import ROWS_AHEAD, rows_to_add
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.widgets.common.inputs import OrderedInput

FIXED_COLUMNS = (("Form", "key", 9), ("Date", "date", 10), ("Off.", "office", 4),
                 ("Version", "version", 7), ("Pl.", "planned", 3), ("Used", "used", 4))
RATING_WIDTH = 5
WIDE = 120  # columns from which the version and the ratings get columns of their own
CODED_WIDTH = 5
FIELDS_WITHOUT_VALUES = ("form", "date", "month", "year", "office", "version", "case",
                         "planned", "used", "tools", "principles", "comment", "field", "coded")
PREPARE_AT_ONCE = 500  # forms made ready for the filter at a time (15-25 ms at 10x)


def number(value: Any) -> str:
    """A number as a form shows it: 8 for 8.0, '' for none."""
    return value_text(value)


def one_line(text: str) -> str:
    return " ".join(text.split())


def form_fields(form: dict[str, Any], codings: int) -> dict[str, Any]:
    """What the filter can name for a form: its fields, items (if read), ratings and comment."""
    date = form["date"] or ""
    return {"form": form["key"], "date": date, "month": date[:7], "year": date[:4],
            "office": form["office"], "version": form["version"], "case": form["case"],
            **item_fields(form),
            "comment": " ".join(text for _, _, text in form["comments"]),
            "field": [f for _, f, _ in form["comments"]], "coded": codings,
            **form["values"]}


def item_fields(form: dict[str, Any]) -> dict[str, list[str]]:
    if "planned" not in form:  # not read: no filter has named them
        return {}
    return {"planned": form["planned"], "used": form["used"],
            "tools": sorted({*form["planned"], *form["used"]}), "principles": form["principles"]}


def no_items() -> dict[str, list[str]]:
    return {"planned": [], "used": [], "principles": []}  # a form with nothing ticked


def form_summary(form: dict[str, Any], *, comments: bool = True) -> Text:
    """The form's numbers (and its comments) as a few lines, for the details pane."""
    out = Text()
    out.append(form["key"], style="bold")
    for label, value in (("date", form["date"]), ("office", form["office"]),
                         ("version", form["version"]), ("case", form["case"])):
        if value:
            out.append(f" · {label} {value}", style="cyan")
    for name, value in form["values"].items():
        out.append(f" · {name} {number(value)}", style="cyan")
    out.append("\nplanned: ", style="bold")
    out.append(", ".join(form["planned"]) or "no tool")
    out.append("\nused: ", style="bold")
    out.append(", ".join(form["used"]) or "no tool")
    if comments:
        for _, field, text in form["comments"]:
            out.append(f"\n{field}: ", style="bold")
            out.append(one_line(text))
        if not form["comments"]:
            out.append("\n(no comment)", style="dim italic")
    return out


def form_title(form: dict[str, Any]) -> Text:
    """The form's numbers on one line, for the reader's title above a form comment."""
    out = Text()
    for value in (form["date"], form["version"] and f"version {form['version']}"):
        if value:
            out.append(f" · {value}", style="dim")
    for name, value in form["values"].items():
        out.append(f" · {name} {number(value)}", style="cyan")
    out.append(f" · used {len(form['used'])}/{len(form['planned'])} planned", style="cyan")
    if form["used"]:
        out.append(f": {', '.join(form['used'])}", style="dim")
    return out


class FormsScreen(ProjectScreen):
    HELP_TITLE = "Forms"
    BINDINGS = [
        Binding("enter", "open_comment", "Code comment",
                tooltip="Open the form's comment in the reader to code it"),
        Binding("slash", "focus_filter", "Filter",
                tooltip="Filter the forms: words, name=value (office=2, planned=UTU), "
                "name>=value (date>=2012-01, mal_oppnadd<5)"),
        Binding("c", "toggle_commented", "With comment",
                tooltip="Show only the forms with a comment, or every form"),
        Binding("escape", "clear_filter", "Clear filter", show=False,
                tooltip="Clear the filter and show every form"),
    ]

    def __init__(self) -> None:
        super().__init__(id="forms")
        self.forms: list[dict[str, Any]] = []
        self.fields: list[FilterRow] | None = None  # the forms as the filter sees them
        self.examples: list[dict[str, Any]] = []  # a value of each type of each field
        self.filtered = ""  # the filter text the forms were filtered by
        self.codings: dict[int, int] = {}  # codings of each source
        self.note = ""  # what the counts are, in blind mode
        self.shown: list[int] = []  # indexes into self.forms, in table order
        self.value_names: list[str] = []
        self.ready: list[FilterRow] = []  # the first forms made ready for the filter so far
        self.commented_only = False
        self.delay = FilterDelay(self, self.refill)
        self.row_layout: tuple[list, list[str], int] = ([], [], 0)  # columns of the rows added

    def compose(self) -> ComposeResult:
        yield Header()
        yield OrderedInput(placeholder="filter: words, office=2, planned=UTU, date>=2012-01",
                           compact=True, id="form-filter")
        yield DataTable(id="form-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="form-details")
        yield Static(id="form-status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Forms"
        self.query_one(DataTable).focus()
        super().on_mount()

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        p = self.project
        self.forms = p.form_overview(items=False)
        self.codings = p.source_coding_counts()  # in blind mode, of your codings only
        self.note = counts_note(p)
        self.fields, self.ready, self.examples = None, [], []
        self.call_after_refresh(self.prepare_some, self.forms)  # after the first frame
        self.value_names = sorted({n for f in self.forms for n in f["values"]})
        names = ", ".join([*FIELDS_WITHOUT_VALUES[:8], *self.value_names])
        self.query_one("#form-filter", Input).placeholder = f"filter: words or name=value ({names})"
        self.refill()

    def columns(self) -> tuple[list[tuple[str, str, int]], list[str]]:
        """The fixed columns and the ratings shown; a narrow terminal leaves the version and
        the ratings to the details below, so the comment keeps some room."""
        if self.app.size.width >= WIDE:
            return list(FIXED_COLUMNS), self.value_names
        return [c for c in FIXED_COLUMNS if c[1] != "version"], []

    def comment_width(self) -> int:
        fixed, ratings = self.columns()
        used = sum(w + 2 for _, _, w in fixed) + (RATING_WIDTH + 2) * len(ratings) \
            + CODED_WIDTH + 2
        return max(20, self.app.size.width - used - 2)

    def refill(self) -> None:
        self.delay.cancel()
        table = self.query_one(DataTable)
        keep = self.forms[self.shown[table.cursor_row]]["id"] \
            if self.shown and table.cursor_row < len(self.shown) else None
        self.filtered = self.query_one("#form-filter", Input).value
        wanted = SourceFilter.parse(self.filtered)
        filtering = wanted.active()
        fields = self.filter_fields() if filtering else None
        examples = self.examples if filtering else ()
        unknown = unknown_warning(wanted, [*FIELDS_WITHOUT_VALUES, *self.value_names], "form")
        problem = ""
        table.clear(columns=True)
        fixed, ratings = self.columns()
        for label, key, width in fixed:
            table.add_column(label, key=key, width=width)
        for name in ratings:
            table.add_column(name[:RATING_WIDTH], key=f"value:{name}", width=RATING_WIDTH)
        table.add_column("Yours" if self.note else "Coded", key="coded", width=CODED_WIDTH)
        width = self.comment_width()
        table.add_column("Comment", key="comment", width=width)
        self.shown = []
        cursor = 0
        try:
            matches = wanted.row_test(examples)
        except ValueError as exc:  # office=Alna where offices are numbers: say so
            problem = str(exc)
            matches = lambda row: False  # noqa: E731
        for index, form in enumerate(self.forms):
            if self.commented_only and not form["comments"]:
                continue
            if fields is not None and not matches(fields[index]):
                continue
            if form["id"] == keep:
                cursor = len(self.shown)
            self.shown.append(index)
        self.row_layout = (fixed, ratings, width)
        self.load_rows(cursor + ROWS_AHEAD)
        if self.shown:
            table.move_cursor(row=cursor)
        self.show_details()
        scope = "with a comment" if self.commented_only else "(c: only those with a comment)"
        warn = f" · {unknown}" if unknown else ""
        if problem:
            warn += f" · {problem}"
        self.query_one("#form-status", Static).update(
            f"{len(self.shown)} of {counted(len(self.forms), 'form')} {scope}{self.note}{warn}")

    def filter_fields(self, with_items: bool = True) -> list[FilterRow]:
        """Every form as the filter sees it (`form_fields`, the names of the items ticked
        too), in the order of self.forms, with a value of each type of each field in
        self.examples (`value_examples`, what `row_test` checks a value asked for against).
        Made in the background after the screen's first frame (`prepare_some`); a filter
        typed before that is done finishes it now. Kept until the next reload: at 10x,
        16,720 forms made again at every key took 0.25-0.6 s a key."""
        while self.fields is None:
            self.prepare_some(self.forms, now=True)
        return self.fields

    def prepare_some(self, forms: list[dict[str, Any]], now: bool = False) -> None:
        """Make the next PREPARE_AT_ONCE forms ready for the filter, then (unless `now`)
        let the app answer keys before the next ones: at 10x the whole takes 0.7 s (the
        names of 182,000 ticked items read, 16,720 rows and their text), which the first
        filter key would otherwise wait for. Stops if the screen reloaded meanwhile."""
        if forms is not self.forms or self.fields is not None:
            return
        chunk = forms[len(self.ready):len(self.ready) + PREPARE_AT_ONCE]
        names = self.project.form_items([form["id"] for form in chunk])
        rows = []
        for form in chunk:
            form.update(names.get(form["id"]) or no_items())
            row = FilterRow(form["key"], form_fields(form, self.coded(form)))
            row.text  # noqa: B018 (made now, not at the first word typed)
            rows.append(row)
        self.ready.extend(rows)
        self.examples = value_examples([*self.examples, *(row.values for row in rows)])
        if len(self.ready) == len(forms):
            self.fields = self.ready
        elif not now:
            self.call_later(self.prepare_some, forms)

    def coded(self, form: dict[str, Any]) -> int:
        return sum(self.codings.get(sid, 0) for sid, _, _ in form["comments"])

    def load_rows(self, at_least: int) -> None:
        """Put rows of the filtered forms into the table until it has `at_least` of them (in
        steps of ROWS_AT_ONCE, as the sources list: 16,720 rows take seconds to build)."""
        table = self.query_one(DataTable)
        rows = rows_to_add(table.row_count, at_least, len(self.shown))
        added = self.shown[rows.start:rows.stop]
        if not added:
            return
        fixed, ratings, width = self.row_layout
        counts = self.project.form_tool_counts(self.forms[i]["id"] for i in added)
        for index in added:
            form = self.forms[index]
            comment = " ‖ ".join(one_line(t) for _, _, t in form["comments"])
            planned, used = counts.get(form["id"], (0, 0))
            cells = {"key": form["key"], "date": form["date"] or "",
                     "office": form["office"] or "", "version": form["version"] or "",
                     "planned": str(planned), "used": str(used)}
            table.add_row(*[cells[key] for _, key, _ in fixed],
                          *[number(form["values"].get(n)) for n in ratings],
                          str(self.coded(form) or ""), comment[:width], key=str(form["id"]))

    def show_details(self) -> None:
        details = self.query_one("#form-details", Static)
        form = self.current()
        if form is None:
            details.update("No form matches: esc clears the filter." if self.forms
                           else "No forms yet: import them with `qualcode import forms`.")
            return
        if "planned" not in form:  # the names of its items: read for this form alone
            form.update(self.project.form_items([form["id"]]).get(form["id"]) or no_items())
        details.update(form_summary(form))

    def current(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row >= len(self.shown):
            return None
        return self.forms[self.shown[table.cursor_row]]

    # -- events and actions -------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        self.delay.typed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.delay.now()
        self.query_one(DataTable).focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.load_rows(event.cursor_row + ROWS_AHEAD)  # the cursor nears the end: more
        self.show_details()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_comment()

    def action_open_comment(self) -> None:
        form = self.current()
        if form is None:
            return
        if not form["comments"]:
            self.notify(f"{form['key']} has no comment to code.", timeout=3)
            return
        order = [sid for i in self.shown for sid, _, _ in self.forms[i]["comments"]]
        self.qapp.open_source(form["comments"][0][0], order=order)

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#form-filter", Input))  # now: the keys typed with / too

    def action_clear_filter(self) -> None:
        self.query_one("#form-filter", Input).value = ""
        self.refill()
        self.query_one(DataTable).focus()

    def action_toggle_commented(self) -> None:
        self.commented_only = not self.commented_only
        self.refill()
