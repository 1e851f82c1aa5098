"""Retrieval: pick a code, read all its excerpts with who said them, jump to one in its source."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList, Static, Tree
from textual.widgets.option_list import Option

from qualcode.core import Code
from qualcode.core.textmatch import keyword_in_context
from qualcode.core.util import counted
from qualcode.errors import QualcodeError
from qualcode.store.attribute_values import value_text
from qualcode.tui.blind import counts_note
from qualcode.tui.colors import CodeStyles
from qualcode.tui.filters import SourceFilter
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.widgets.codebook.code_tree import CodeTree
from qualcode.tui.widgets.common.prompts import TextPrompt
from qualcode.tui.widgets.picker.code_picker import CodePicker

ATTRIBUTION = ("role", "time", "office")
"""Attributes named beside each excerpt, when the project has them."""
EXCERPT_CHARS = 400
CONTEXT_CHARS = 200  # characters shown before and after an excerpt with x
EXCERPTS_AT_ONCE = 200  # excerpts put in the list at a time, more as the cursor nears its end
EXCERPTS_AHEAD = 50  # excerpts kept listed below the cursor


def shown_value(value: Any) -> str:
    """An attribute value as text (store.attribute_values.value_text)."""
    return value_text(value)


class ExcerptList(OptionList):
    """The excerpts, listed a step at a time (a code with 20,000 takes seconds to list whole):
    end lists the rest and goes to the last one."""

    def action_last(self) -> None:
        screen = self.screen
        if isinstance(screen, RetrievalScreen):
            screen.list_excerpts(len(screen.excerpts))
        super().action_last()


class RetrievalScreen(ProjectScreen):
    HELP_TITLE = "Retrieval"
    BINDINGS = [
        Binding("slash", "find", "Find code", tooltip="Find a code by typing; show its excerpts"),
        Binding("d", "toggle_descendants", "Sub-codes",
                tooltip="Include or leave out the excerpts of sub-codes"),
        Binding("enter", "jump", "Go to source", tooltip="Go to the excerpt in its source"),
        Binding("f", "filter", "Filter",
                tooltip="Only some coders' excerpts, or sources with an attribute value "
                "(coder=kari role=HPMT-veileder)"),
        Binding("x", "toggle_context", "Context",
                tooltip="Show the text around each excerpt, or only the excerpt"),
        Binding("tab", "app.focus_next", "Switch pane", show=False,
                tooltip="Switch between the code tree and the excerpts"),
    ]

    def __init__(self, code_id: int | None = None) -> None:
        super().__init__(id="retrieval")
        self.code_id = code_id
        self.descendants = True
        self.codes: dict[int, Code] = {}
        self.palette = CodeStyles([])
        self.excerpts: list[dict[str, Any]] = []
        self.coders_wanted: list[str] = []
        self.attributes_wanted: dict[str, list[str]] = {}
        self.filter_text = ""
        self.context = False
        self.texts: dict[int, str] = {}
        self.note = ""  # what the counts are, in blind mode

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="retrieval-body"):
            yield CodeTree(id="retrieval-tree", english=False)
            with Vertical(id="excerpts-pane"):
                yield Static(id="excerpts-heading", markup=False)
                yield ExcerptList(id="excerpts")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Retrieval"
        self.query_one(CodeTree).focus()

    def reload(self) -> None:
        p = self.project
        self.texts = {}  # a source's text may have been replaced
        codes = p.codes()
        self.codes = {c.id: c for c in codes}
        self.palette = CodeStyles(codes)
        tree = self.query_one(CodeTree)
        self.note = counts_note(p)
        tree.fill(codes, p.code_counts(), self.palette)  # in blind mode, of your codings only
        if self.code_id is not None and self.code_id in self.codes:
            tree.show_code(self.code_id)
        self.load_excerpts()

    def show_code(self, code_id: int) -> None:
        """Show this code's excerpts (called when another screen sends a code here)."""
        self.code_id = code_id
        if self.is_mounted:
            self.query_one(CodeTree).show_code(code_id)
            self.load_excerpts()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        code_id = event.node.data
        if code_id is not None and code_id != self.code_id:
            self.code_id = code_id
            self.load_excerpts()

    def load_excerpts(self) -> None:
        heading = self.query_one("#excerpts-heading", Static)
        options = self.query_one("#excerpts", OptionList)
        code = self.codes.get(self.code_id) if self.code_id is not None else None
        if code is None:
            self.excerpts = []
            options.clear_options()
            heading.update("Choose a code on the left (or / to find one) to read its "
                           f"excerpts.{self.note}")
            return
        try:
            frame = self.project.codings(codes=[code.id], descendants=self.descendants,
                                         coders=self.coders_wanted or None,
                                         attributes=self.attributes_wanted or None)
        except QualcodeError as exc:  # an unknown coder or attribute: say so, show none
            self.notify(str(exc), title="Filter", severity="error", timeout=8)
            frame = self.project.codings(codes=[code.id], descendants=self.descendants)
            self.coders_wanted, self.attributes_wanted = [], {}
        self.excerpts = frame.to_dict("records")
        options.clear_options()
        self.list_excerpts(EXCERPTS_AT_ONCE)
        if self.excerpts:
            options.highlighted = 0

    def list_excerpts(self, at_least: int) -> None:
        """Put excerpts in the list until it has `at_least` of them (in steps of
        EXCERPTS_AT_ONCE), and say how many there are and how many are listed."""
        options = self.query_one("#excerpts", OptionList)
        code = self.codes.get(self.code_id) if self.code_id is not None else None
        listed = options.option_count
        if code is None or (listed and listed >= min(at_least, len(self.excerpts))):
            return
        until = min(len(self.excerpts), max(at_least, listed + EXCERPTS_AT_ONCE))
        options.add_options([Option(self.describe(r, code), id=str(i))
                             for i, r in enumerate(self.excerpts[listed:until], listed)])
        rows = self.excerpts
        sources = len({r["source_id"] for r in rows})
        scope = "with sub-codes" if self.descendants else "this code only"
        more = f" · {until:,} listed so far, more as you move down (end: the last)" \
            if until < len(rows) else ""
        if self.filter_text:
            more += f" · only {self.filter_text} (f changes)"
        more += self.note
        self.query_one("#excerpts-heading", Static).update(Text.assemble(
            (code.path, "bold"), f"  {counted(len(rows), 'excerpt')} from "
            f"{counted(sources, 'source')} ({scope}, d toggles){more}"))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.list_excerpts(event.option_index + EXCERPTS_AHEAD)  # near the end: more

    def describe(self, row: dict[str, Any], chosen: Code) -> Text:
        line = Text()
        line.append_text(self.palette.swatch(row["code_id"]))
        line.append(f" {row['source']}", style="bold")
        for name in ATTRIBUTION:
            value = shown_value(row.get(name))
            if value:
                line.append(f" · {value}", style="cyan")
        line.append(f" · {row['coder']}", style="dim")
        if row["code_id"] != chosen.id:
            line.append(f" · {row['code_path']}", style="dim italic")
        text = " ".join(str(row["text"]).split())
        line.append("\n")
        if self.context:  # the text around it, dim
            whole = self.source_text(int(row["source_id"]))
            before, excerpt, after = keyword_in_context(whole, int(row["start"]),
                                                        int(row["end"]), CONTEXT_CHARS)
            line.append(before, style="dim")
            line.append(excerpt, style="bold")
            line.append(after, style="dim")
        else:
            line.append(text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else ""))
        memo = row.get("memo")
        if isinstance(memo, str) and memo:
            line.append(f"\n✎ {memo}", style="italic")
        line.append("\n")
        return line

    def action_jump(self) -> None:
        options = self.query_one("#excerpts", OptionList)
        if not options.has_focus:
            options.focus()
            return
        index = options.highlighted
        if index is not None and index < len(self.excerpts):
            self.jump(self.excerpts[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.jump(self.excerpts[int(event.option.id)])

    def jump(self, row: dict[str, Any]) -> None:
        order = list(dict.fromkeys(int(r["source_id"]) for r in self.excerpts))
        self.qapp.open_source(int(row["source_id"]), order=order,
                              select=(int(row["start"]), int(row["end"])))

    def source_text(self, source_id: int) -> str:
        if source_id not in self.texts:
            self.texts[source_id] = self.project.source(source_id).text
        return self.texts[source_id]

    def action_toggle_context(self) -> None:
        self.context = not self.context
        self.load_excerpts()

    def action_filter(self) -> None:
        def given(text: str | None) -> None:
            if text is None:
                return
            wanted = SourceFilter.parse(text)
            self.coders_wanted = list(wanted.attributes.pop("coder", ()))
            self.attributes_wanted = {k: list(v) for k, v in wanted.attributes.items()}
            self.filter_text = text.strip()
            if wanted.words or wanted.comparisons:
                self.notify("Use name=value terms here (coder=kari role=HPMT-veileder).",
                            severity="warning", timeout=6)
            self.load_excerpts()

        self.app.push_screen(TextPrompt("Only excerpts by coder and of sources with attribute "
                                        "values (empty: all), e.g. coder=kari time=T1,T2",
                                        self.filter_text, allow_empty=True), given)

    def action_toggle_descendants(self) -> None:
        self.descendants = not self.descendants
        self.load_excerpts()

    def action_find(self) -> None:
        def chosen(target: list[int] | None) -> None:
            if target:
                self.show_code(target[0])

        self.app.push_screen(CodePicker(list(self.codes.values()), self.palette,
                                        title="Retrieve the excerpts of which code?",
                                        choose_label="show excerpts", marks=False,
                                        categories=True), chosen)
