"""Codes × attribute values (p.matrix), or codes × codes (p.cooccurrence, `o`): counts per
cell; enter on a cell lists the excerpts behind it (for two codes, the pairs of excerpts), and
enter on an excerpt opens it selected in its source."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.core.util import counted
from qualcode.errors import QualcodeError
from qualcode.store.attribute_values import value_text
from qualcode.tui.blind import YOUR_CODINGS, counts_note
from qualcode.tui.colors import CodeStyles
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.screens.cooccurrence_grid import (
    CODER_PAIRS,
    LABEL_CHARS,
    LABEL_CHARS_WIDE,
    UNITS,
    CodeChoice,
    Grid,
    clip,
    unit_text,
)
from qualcode.tui.widgets.common.prompts import TextPrompt
from qualcode.tui.widgets.picker.code_picker import CodePicker

EXCERPT_CHARS = 300
WIDE = 120
"""From this many columns the co-occurrence rows show longer names."""
CODER_PAIRS_TEXT = {"within": "each coder's own codings", "pooled": "coders pooled",
                    "any": "any coders' codings"}
CODE_ACTIONS = ("next_unit", "next_coder_pairs")
"""Actions of the co-occurrence mode alone."""


class MatrixScreen(ProjectScreen):
    HELP_TITLE = "Matrix"
    BINDINGS = [
        Binding("b", "choose_attribute", "By",
                tooltip="Choose the attribute whose values are the columns (role, time ...)"),
        Binding("o", "toggle_cooccurrence", "Co-occurrence",
                tooltip="Switch between codes × an attribute and codes × codes "
                        "(co-occurrence, as qualcode query cooccurrence)"),
        Binding("c", "choose_codes", "Codes",
                tooltip="Which codes: one with its sub-codes, or every code ((top level))"),
        Binding("r", "toggle_roll_up", "Roll up",
                tooltip="Rows for the chosen code's children (or the top-level codes), each "
                        "counting its sub-codes' codings; again for every code itself"),
        Binding("u", "next_unit", "Unit",
                tooltip="Co-occurrence: overlapping, within 200 characters, in the same "
                        "speaker turn, source or case"),
        Binding("p", "next_coder_pairs", "Coders",
                tooltip="Co-occurrence: each coder's codings with their own, all coders "
                        "pooled, or any coders' codings together"),
        Binding("escape", "back", "Back", show=False,
                tooltip="From a cell's excerpts back to the matrix"),
    ]

    def __init__(self) -> None:
        super().__init__(id="matrix")
        self.by = "role"
        self.cooccurrence = False
        self.choice = CodeChoice()
        self.unit, self.distance = UNITS[0]
        self.coder_pairs = CODER_PAIRS[0]
        self.grid = Grid()
        self.codes: list[str] = []  # paths of the rows (codes × an attribute)
        self.values: list[Any] = []
        self.counts: list[list[int]] = []  # codings per row and value
        self.excerpts: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="matrix-heading", classes="status")
        yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=True)
        yield OptionList(id="matrix-excerpts")
        yield Static(id="matrix-cell", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Matrix"
        self.query_one("#matrix-excerpts").display = False
        self.query_one(DataTable).focus()
        super().on_mount()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CODE_ACTIONS and not self.cooccurrence:
            return None  # greyed out: they say what counts as together
        return True

    # -- the table ----------------------------------------------------------------------------
    def cooccurrence_options(self) -> dict[str, Any]:
        """The arguments of p.cooccurrence for what the screen shows (the test passes the
        same to the core)."""
        return {"unit": self.unit, "distance": self.distance, "coder_pairs": self.coder_pairs,
                **self.choice.options(self.project.code_tree())}

    def reload(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        pair = self.cell_codes(cursor)  # kept when a unit or coders change the codes shown
        table.clear(columns=True)
        self.query_one("#matrix-cell").display = True
        if self.cooccurrence:
            self.fill_cooccurrence(table)
            codes = self.grid.codes
            if pair is not None and pair[0] in codes and pair[1] in codes:
                cursor = Coordinate(codes.index(pair[0]), codes.index(pair[1]) + 1)
        else:
            self.fill_matrix(table)
        if table.row_count and table.is_valid_coordinate(cursor):
            table.cursor_coordinate = cursor
        self.refresh_bindings()

    def fill_matrix(self, table: DataTable) -> None:
        heading = self.query_one("#matrix-heading", Static)
        tree = self.project.code_tree()
        self.codes, self.values, self.counts = [], [], []
        try:
            frame = self.project.matrix(self.by, **self.choice.options(tree))
        except QualcodeError as exc:
            heading.update(f"No matrix by {self.by}: {exc} (b chooses another attribute)")
            return
        frame = frame.T  # codes down, attribute values across
        self.codes = [str(c) for c in frame.index]
        self.values = list(frame.columns)
        self.counts = frame.to_numpy().tolist()
        # rows by the code's name as the co-occurrence grid has them (a 96-character path
        # pushed every value off an 80- or 120-column screen); the line below says it in full
        ids = {path: code_id for code_id, path in tree.path.items()}
        names = tree.short_labels([ids[path] for path in self.codes])
        chars = LABEL_CHARS_WIDE if self.size.width >= WIDE else LABEL_CHARS
        table.fixed_columns = 1
        table.add_column("code")
        for value in self.values:
            table.add_column(value_text(value))
        for path, counts in zip(self.codes, self.counts, strict=True):
            table.add_row(clip(names[ids[path]], chars), *[value_text(v) or "" for v in counts])
        heading.update(f"codings: {counted(len(self.codes), 'code')} × {self.by}"
                       f"{counts_note(self.project)} · enter lists a cell's excerpts · o codes "
                       "× codes")
        self.show_cell()

    def fill_cooccurrence(self, table: DataTable) -> None:
        heading = self.query_one("#matrix-heading", Static)
        tree = self.project.code_tree()
        try:
            frame = self.project.cooccurrence(**self.cooccurrence_options())
        except QualcodeError as exc:
            heading.update(f"No co-occurrence: {exc}")
            return
        wide = self.size.width >= WIDE
        self.grid = grid = Grid.of(frame, tree, LABEL_CHARS_WIDE if wide else LABEL_CHARS)
        table.fixed_columns = 1
        table.add_column("code")
        width = len(str(len(grid.codes)))
        for number in range(1, len(grid.codes) + 1):
            table.add_column(Text(str(number), justify="right"), width=max(width, 3))
        for index, code in enumerate(grid.codes):
            table.add_row(grid.row_label(index), *[self.count_cell(code, other)
                                                   for other in grid.codes])
        what = unit_text(self.unit, self.distance)
        coders = YOUR_CODINGS if self.project.blind else CODER_PAIRS_TEXT[self.coder_pairs]
        heading.update(f"{counted(len(grid.codes), 'code')} × codes {what}, "
                       f"{coders} · {self.choice.text(tree)}"
                       if grid.codes else
                       f"No pair of codes {what} ({self.choice.text(tree)}) · u another "
                       "unit, c other codes")
        self.show_cell()

    def count_cell(self, code: int, other: int) -> Text:
        if code == other:
            return Text("—", style="dim", justify="right")
        together = self.grid.together(code, other)
        return Text(str(together), justify="right") if together else \
            Text("·", style="dim", justify="right")

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.show_cell()

    def show_cell(self) -> None:
        """Below the table: the code (or the two codes) of the cell under the cursor, in full."""
        line = self.query_one("#matrix-cell", Static)
        if not self.cooccurrence:
            line.update(self.value_cell_text())
            return
        pair = self.cell_codes(self.query_one(DataTable).cursor_coordinate)
        if pair is None:
            line.update("")
            return
        first, second = pair
        grid = self.grid
        if first == second:
            units = "codings" if self.unit in ("overlap", "within") else f"{self.unit}s"
            line.update(f"{grid.paths[first]}: {grid.coded[first]} {units}")
            return
        row = grid.pairs.get((first, second))
        text = f"{grid.paths[first]} × {grid.paths[second]}"
        if len(text) > self.size.width - 40:
            text = f"{grid.labels[first]} × {grid.labels[second]}"
        if row is None:
            line.update(f"{text}: never together")
            return
        text = f"{text}: {row['n12']} together (c {row['c']:.2f}; " \
               f"{counted(row['pairs'], 'pair')})"
        hint = " · enter lists them"
        line.update(text + hint if len(text + hint) < self.size.width - 2 else text)

    def value_cell_text(self) -> str:
        """The code's path, and for a cell its attribute value and count."""
        row, column = self.query_one(DataTable).cursor_coordinate
        if row >= len(self.codes):
            return ""
        if column == 0 or column > len(self.values):
            return self.codes[row]
        count = self.counts[row][column - 1]
        text = f"{self.codes[row]} · {self.by} {value_text(self.values[column - 1])}: " \
               f"{counted(count, 'coding')}"
        return text + " · enter lists them" if count else text

    def cell_codes(self, coordinate: Coordinate) -> tuple[int, int] | None:
        row, column = coordinate
        codes = self.grid.codes
        if not self.cooccurrence or column == 0 or row >= len(codes) or column > len(codes):
            return None
        return codes[row], codes[column - 1]

    # -- the excerpts behind a cell -----------------------------------------------------------
    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        if self.cooccurrence:
            pair = self.cell_codes(event.coordinate)
            if pair is not None and pair[0] != pair[1]:
                self.show_pairs(*pair)
            return
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
        self.list_excerpts([Option(self.describe(r), id=str(i))
                            for i, r in enumerate(self.excerpts)],
                           f"{code} · {self.by} {value_text(value)}: "
                           f"{counted(len(self.excerpts), 'excerpt')}")

    def show_pairs(self, first: int, second: int) -> None:
        """Each linked pair of codings behind the cell: a line naming the pair's source, then
        the excerpt of each code."""
        grid = self.grid
        if not grid.together(first, second):
            self.notify("These two codes are never together.", timeout=4)
            return
        try:
            frame = self.project.cooccurrence_excerpts(first, second,
                                                       **self.cooccurrence_options())
        except QualcodeError as exc:
            self.notify(str(exc), title="No excerpts", severity="warning", timeout=6)
            return
        self.excerpts = frame.to_dict("records")
        palette = CodeStyles(self.project.codes())
        options: list[Option] = []
        link = None
        for index, row in enumerate(self.excerpts):
            if row["link"] != link:
                link = row["link"]
                sources = sorted({str(r["source"]) for r in self.excerpts if r["link"] == link})
                options.append(Option(Text(f"{link + 1}. {', '.join(sources)}", style="bold"),
                                      disabled=True))
            side = first if row["side"] == 1 else second
            options.append(Option(self.describe_side(row, grid.labels[side], palette),
                                  id=str(index)))
        pairs = frame["link"].nunique()
        self.list_excerpts(options, f"{grid.labels[first]} × {grid.labels[second]} "
                                    f"{unit_text(self.unit, self.distance)}: "
                                    f"{counted(pairs, 'pair')}")

    def list_excerpts(self, options: list[Option], heading: str) -> None:
        excerpts = self.query_one("#matrix-excerpts", OptionList)
        excerpts.set_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        excerpts.highlighted = first
        self.query_one(DataTable).display = False
        self.query_one("#matrix-cell").display = False
        excerpts.display = True
        excerpts.focus()
        self.query_one("#matrix-heading", Static).update(
            f"{heading} · enter opens one · esc back")

    @staticmethod
    def describe(row: dict[str, Any]) -> Text:
        line = Text(str(row["source"]), style="bold")
        line.append(f" · {row['coder']}", style="dim")
        line.append("\n" + excerpt_text(row["text"]))
        line.append("\n")
        return line

    @staticmethod
    def describe_side(row: dict[str, Any], label: str, palette: CodeStyles) -> Text:
        line = Text("  ")
        line.append_text(palette.swatch(int(row["code_id"])))
        line.append(f" {label}", style="bold")
        if label != row["code_path"].rsplit("/", 1)[-1]:  # rolled up: the sub-code it is
            line.append(f" ({row['code_path']})", style="dim")
        line.append(f" · {row['coder']}", style="dim")
        line.append("\n  " + excerpt_text(row["text"]))
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

    # -- choosing what the matrix shows -------------------------------------------------------
    def action_choose_attribute(self) -> None:
        def chosen(name: str | None) -> None:
            if name:
                self.by = name
                self.cooccurrence = False
                self.reload()

        self.app.push_screen(TextPrompt("Columns by which attribute? (e.g. role, time, office)",
                                        self.by), chosen)

    def action_toggle_cooccurrence(self) -> None:
        self.cooccurrence = not self.cooccurrence
        table = self.query_one(DataTable)
        table.cursor_coordinate = Coordinate(0, 1)
        self.reload()
        codes = self.grid.codes
        if self.cooccurrence:  # start on the first pair together, left of the diagonal so
            # the first columns stay in view
            table.cursor_coordinate = next(
                (Coordinate(r, c + 1) for r, code in enumerate(codes)
                 for c, other in enumerate(codes[:r]) if self.grid.together(code, other)),
                Coordinate(0, 1))

    def action_choose_codes(self) -> None:
        def chosen(target: list[int] | None) -> None:
            if target is not None:
                self.choice.code_id = target[0] if target else None
                self.reload()

        codes = self.project.codes()
        self.app.push_screen(CodePicker(codes, CodeStyles(codes),
                                        title="Which codes? A code with its sub-codes, or "
                                              "(top level) for every code",
                                        choose_label="show", marks=False, categories=True,
                                        top_level=True), chosen)

    def action_toggle_roll_up(self) -> None:
        self.choice.roll_up = not self.choice.roll_up
        self.reload()

    def action_next_unit(self) -> None:
        self.unit, self.distance = UNITS[(UNITS.index((self.unit, self.distance)) + 1)
                                         % len(UNITS)]
        self.reload()

    def action_next_coder_pairs(self) -> None:
        self.coder_pairs = CODER_PAIRS[(CODER_PAIRS.index(self.coder_pairs) + 1)
                                       % len(CODER_PAIRS)]
        self.reload()


def excerpt_text(text: Any) -> str:
    text = " ".join(str(text).split())
    return text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else "")
