"""The code picker: type part of a code's path or English label, see its definition, choose.

Used to code a span (several codes at once with tab), and to choose a code to move under, merge
into, or retrieve. It returns the chosen code ids, or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from qualcode.core import Code
from qualcode.tui import fuzzy
from qualcode.tui.colors import CodeStyles
from qualcode.tui.widgets.common.inputs import OrderedInput

TOP_LEVEL = "top"
"""The id of the "(top level)" choice, offered when moving a code."""
RECENT = "recent:"
"""Before a code's id: the option of a recently used code, listed at the top."""


def code_id_of(option_id: str) -> int:
    return int(option_id.removeprefix(RECENT))


def code_details(code: Code, path: str | None = None) -> Group:
    """A code's path, English label, definition, include/exclude rules and example."""
    parts: list[Text] = [Text(path or code.path, style="bold")]
    if code.en:
        parts.append(Text(code.en, style="italic"))
    if not code.codable:
        parts.append(Text("A category: code with one of the codes under it.", style="dim"))
    for heading, body in (("Definition", code.description), ("Include", code.include),
                          ("Exclude", code.exclude), ("Example", code.example)):
        if body:
            parts.append(Text.assemble("\n", (heading, "bold underline"), "\n", body.strip()))
    if len(parts) == 1 + bool(code.en) and code.codable:
        parts.append(Text("\nNo definition yet.", style="dim"))
    return Group(*parts)


class CodePicker(ModalScreen[list[int] | None]):
    """Fuzzy search over the whole code tree."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "choose", "Choose", priority=True),
        Binding("tab", "mark", "Mark another", priority=True),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("pagedown", "move(10)", "Page down", show=False, priority=True),
        Binding("pageup", "move(-10)", "Page up", show=False, priority=True),
    ]

    def __init__(self, codes: Sequence[Code], styles: CodeStyles, *, title: str,
                 choose_label: str = "apply", marks: bool = True,
                 categories: bool = False, top_level: bool = False,
                 exclude: Sequence[int] = (), counts: dict[int, int] | None = None,
                 query: str = "", recent: Sequence[int] = ()):
        super().__init__()
        self.codes = [c for c in codes if c.id not in set(exclude)]
        self.by_id = {c.id: c for c in codes}
        self.pool = fuzzy.candidates(self.codes)
        self.palette = styles
        self.title_text = title
        self.choose_label = choose_label
        self.marks_allowed = marks
        self.categories_allowed = categories
        self.top_level = top_level
        self.counts = counts or {}
        self.marked: list[int] = []
        self.best_category: Code | None = None  # the best match, when it takes no codings
        self.initial_query = query
        self.recent = [i for i in recent if i in self.by_id and i not in set(exclude)]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog"):
            yield Static(self.title_text, id="picker-title", markup=False)
            yield OrderedInput(value=self.initial_query, placeholder="type part of a code's name, path "
                        "or English label", compact=True, id="picker-query")
            with Horizontal(id="picker-body"):
                yield OptionList(id="picker-options")
                with VerticalScroll(id="picker-details-scroll"):
                    yield Static(id="picker-details")
            keys = [f"enter {self.choose_label}"]
            if self.marks_allowed:
                keys.append("tab mark several")
            keys += ["↑↓ move", "esc cancel"]
            yield Static(" · ".join(keys), id="picker-keys", classes="status")

    def on_mount(self) -> None:
        self.query_one(OptionList).can_focus = False
        self.query_one("#picker-details-scroll").can_focus = False
        self.set_focus(self.query_one(OrderedInput))  # now: keys typed with t go to it
        self.fill(self.initial_query)

    # -- the list -----------------------------------------------------------------------------
    def choosable(self, code: Code) -> bool:
        return code.codable or self.categories_allowed

    def fill(self, query: str) -> None:
        options: list[Option] = []
        if self.top_level and not query.strip():
            options.append(Option(Text("(top level)", style="italic"), id=TOP_LEVEL))
        if query.strip():
            found = [c.code for c in fuzzy.rank(query, self.pool)]
            for code in found:
                options.append(self.option(code, flat=True))
        else:
            for code_id in self.recent:  # the codes used last, before the whole tree
                options.append(self.option(self.by_id[code_id], flat=True,
                                           id=f"{RECENT}{code_id}"))
            for code in self.codes:
                options.append(self.option(code, flat=False))
        option_list = self.query_one(OptionList)
        option_list.set_options(options)
        # the best match is highlighted; an empty search highlights nothing, and neither does
        # a search whose best match is a category that takes no codings (its first code is
        # not what was typed), so that enter never applies a code nobody chose
        best = options[0] if options and query.strip() else None
        self.best_category = self.by_id[code_id_of(best.id)] \
            if best is not None and best.disabled else None
        option_list.highlighted = 0 if best is not None and not best.disabled else None
        self.show_details()

    def option(self, code: Code, *, flat: bool, id: str | None = None) -> Option:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("✓ " if code.id in self.marked else "  ", style="bold green")
        if id is not None and id.startswith(RECENT):
            text.append("recent ", style="italic cyan")
        if not flat:
            text.append("  " * code.depth)
        text.append_text(self.palette.swatch(code.id))
        text.append(" ")
        text.append(code.name, style="" if code.codable else "bold")
        if code.en and code.en != code.name:
            text.append(f"  {code.en}", style="dim italic")
        if flat and code.parent_id is not None:
            parent_path = code.path.rsplit("/", 1)[0]
            text.append(f"  in {parent_path}", style="dim")
        count = self.counts.get(code.id)
        if count:
            text.append(f"  {count}", style="dim")
        return Option(text, id=id or str(code.id), disabled=not self.choosable(code))

    def highlighted_code(self) -> Code | None:
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.id == TOP_LEVEL:
            return None
        return self.by_id.get(code_id_of(option.id))

    def show_details(self) -> None:
        code = self.highlighted_code()
        details = self.query_one("#picker-details", Static)
        if code is None and self.best_category is not None:
            details.update(Text(f"“{self.best_category.name}” is a category and takes no "
                                "codings: move to one of its codes with ↓.", style="dim"))
        elif code is None:
            details.update(Text("Place the code at the top level of the tree.", style="dim")
                           if self.query_one(OptionList).highlighted_option else
                           Text("Type part of a code's name, path or English label, or "
                                "move to a code with ↓.", style="dim")
                           if not self.query_one(OrderedInput).value.strip() else
                           Text("No code matches. Try fewer letters, or a part of the path.",
                                style="dim"))
        else:
            details.update(code_details(code))
        self.query_one("#picker-details-scroll").scroll_home(animate=False)

    # -- events and actions -------------------------------------------------------------------
    def on_input_changed(self, event: OrderedInput.Changed) -> None:
        self.fill(event.value)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_details()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose()  # a mouse click on a code

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if option_list.option_count == 0:
            return
        index = option_list.highlighted if option_list.highlighted is not None else -step
        target = index + step
        # skip the categories that cannot be chosen, in the direction of travel
        while 0 <= target < option_list.option_count and \
                option_list.get_option_at_index(target).disabled:
            target += 1 if step > 0 else -1
        if 0 <= target < option_list.option_count:
            option_list.highlighted = target
        option_list.scroll_to_highlight()

    def action_mark(self) -> None:
        if not self.marks_allowed:
            return
        code = self.highlighted_code()
        if code is None or not self.choosable(code):
            return
        if code.id in self.marked:
            self.marked.remove(code.id)
        else:
            self.marked.append(code.id)
        option_list = self.query_one(OptionList)
        query = self.query_one(OrderedInput).value
        for option_id in (str(code.id), f"{RECENT}{code.id}"):
            with suppress(OptionDoesNotExist):  # a recent code is listed twice
                option_list.replace_option_prompt(option_id, self.option(
                    code, flat=bool(query.strip()) or option_id.startswith(RECENT),
                    id=option_id).prompt)
        self.query_one("#picker-title", Static).update(self.marked_title())

    def marked_title(self) -> str:
        if not self.marked:
            return self.title_text
        names = ", ".join(self.by_id[i].name for i in self.marked)
        return f"{self.title_text}\nmarked: {names}"

    def action_choose(self) -> None:
        """With marked codes, exactly those; else the highlighted one; else nothing."""
        if self.marked:
            self.dismiss(list(self.marked))
            return
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.disabled:
            self.notify("No code chosen: type part of its name, or move to one with ↓.",
                        severity="warning", timeout=3)
            return
        self.dismiss([] if option.id == TOP_LEVEL else [code_id_of(option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)
