"""The codebook: the code tree with counts; add, rename, move, reorder, merge and delete
codes; edit definitions, include/exclude rules, examples, English labels and colours."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static, Tree

from qualcode.core import Code
from qualcode.core.util import counted
from qualcode.tui.blind import counts_note
from qualcode.tui.colors import PALETTE, CodeStyles
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.screens.memos import edit_memo
from qualcode.tui.widgets.codebook.code_tree import CodeTree
from qualcode.tui.widgets.common.prompts import Choice, MemoEditor, TextPrompt
from qualcode.tui.widgets.picker.code_picker import CodePicker, code_details

COLOUR_NAMES = ("blue", "orange", "green", "red", "purple", "brown", "pink", "grey", "olive",
                "cyan")
FIELD_NOUNS = {"include": "include rule", "exclude": "exclude rule", "example": "example"}


class CodebookScreen(ProjectScreen):
    HELP_TITLE = "Codebook"
    BINDINGS = [
        Binding("a", "add", "Add", tooltip="Add a code under the code at the cursor"),
        Binding("A", "add_top", "Add top-level", show=False,
                tooltip="Add a code at the top level of the tree"),
        Binding("r", "rename", "Rename", tooltip="Rename the code"),
        Binding("m", "move", "Move", tooltip="Move the code under another code"),
        Binding("M", "merge", "Merge",
                tooltip="Merge the code (codings and sub-codes) into another code"),
        Binding("e", "edit_definition", "Definition", show=False,
                tooltip="Edit the definition of the code"),
        Binding("i", "edit_field('include')", "Include", show=False,
                tooltip="Edit the rule for what the code includes"),
        Binding("o", "edit_field('exclude')", "Exclude", show=False,
                tooltip="Edit the rule for what the code leaves out (exclude)"),
        Binding("E", "edit_field('example')", "Example", show=False,
                tooltip="Edit the code's example"),
        Binding("l", "edit_label", "English label", show=False,
                tooltip="Edit the code's English label"),
        Binding("c", "colour", "Colour", show=False, tooltip="Give the code a colour"),
        Binding("n", "memo", "Memo", show=False,
                tooltip="Write or edit the memo on the code (its own notes, not its definition)"),
        # priority: the tree would take shift+arrows as plain arrows
        Binding("shift+up", "reorder(-1)", "Up", show=False, priority=True,
                tooltip="Move the code up among its siblings"),
        Binding("shift+down", "reorder(1)", "Down", show=False, priority=True,
                tooltip="Move the code down among its siblings"),
        Binding("delete,D", "delete", "Delete", show=False,
                tooltip="Delete the code and its sub-codes (asks what to do with codings)"),
        Binding("slash", "find", "Find", show=False, tooltip="Find a code by typing"),
        Binding("g", "retrieve", "Excerpts", show=False,
                tooltip="Show the coded excerpts of the code"),
    ]

    def __init__(self) -> None:
        super().__init__(id="codebook")
        self.codes: dict[int, Code] = {}
        self.counts = None
        self.blind = False  # the counts are of the current coder's codings only
        self.palette = CodeStyles([])

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="codebook-body"):
            yield CodeTree(id="codebook-tree")
            with VerticalScroll(id="code-details-scroll"):
                yield Static(id="code-details")
        yield Static(id="codebook-status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Codebook"
        self.query_one(CodeTree).focus()

    def reload(self) -> None:
        p = self.project
        codes = p.codes()
        self.codes = {c.id: c for c in codes}
        self.counts = p.code_counts()  # in blind mode, of your codings only
        self.blind = p.blind
        self.palette = CodeStyles(codes)
        self.query_one(CodeTree).fill(codes, self.counts, self.palette)
        total = int(self.counts["codings"].sum()) if len(self.counts) else 0
        self.query_one("#codebook-status", Static).update(
            f"{counted(len(codes), 'code')} · {counted(total, 'coding')}{counts_note(p)} · "
            "/ find · "
            "e definition · g excerpts · ? every key"
            if codes else "No codes yet: press a to add one (or load a codebook with "
            "`qualcode codebook load`).")
        self.show_details()

    def current(self) -> Code | None:
        code_id = self.query_one(CodeTree).cursor_code_id()
        return self.codes.get(code_id) if code_id is not None else None

    def show_details(self) -> None:
        code = self.current()
        details = self.query_one("#code-details", Static)
        if code is None:
            details.update("")
            return
        counts = Text()
        if self.counts is not None and code.id in self.counts.index:
            row = self.counts.loc[code.id]
            counts = Text(f"{'Yours: ' if self.blind else ''}"
                          f"{counted(row['codings'], 'coding')} in "
                          f"{counted(row['sources'], 'source')}; with sub-codes "
                          f"{row['codings_total']} in {row['sources_total']}\n", style="cyan")
        memos = [Text("\nMemo", style="bold")] + [Text(m.text) for m in
                                                    self.project.memos(code=code.id)]
        details.update(Group(counts, code_details(code), *(memos if len(memos) > 1 else [])))

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.show_details()

    # -- actions ------------------------------------------------------------------------------
    def action_add(self, top: bool = False) -> None:
        parent = None if top else self.current()
        where = f"under {parent.path}" if parent else "at the top level"

        def named(name: str | None) -> None:
            if name:
                made = self.qapp.attempt(
                    lambda: self.project.add_code(name, parent.id if parent else None),
                    f"Added code {name} {where}")
                if made is not None:
                    self.query_one(CodeTree).show_code(made.id)

        self.app.push_screen(TextPrompt(f"Name of the new code {where}:",
                                        placeholder="e.g. tidspress"), named)

    def action_add_top(self) -> None:
        self.action_add(top=True)

    def action_rename(self) -> None:
        code = self.current()
        if code is None:
            return

        def named(name: str | None) -> None:
            if name and name != code.name:
                self.qapp.attempt(lambda: self.project.rename_code(code.id, name),
                                  f"Renamed {code.name} to {name}")

        self.app.push_screen(TextPrompt(f"New name for {code.path}:", code.name), named)

    def action_move(self) -> None:
        code = self.current()
        if code is None:
            return
        below = set(self.project.descendants(code.id))

        def placed(target: list[int] | None) -> None:
            if target is None:
                return
            parent = target[0] if target else None
            where = self.codes[parent].path if parent else "the top level"
            self.qapp.attempt(lambda: self.project.move_code(code.id, parent),
                              f"Moved {code.name} to {where}")

        self.app.push_screen(CodePicker(list(self.codes.values()), self.palette,
                                        title=f"Move {code.path} under which code?",
                                        choose_label="move here", marks=False,
                                        categories=True, top_level=True, exclude=below),
                             placed)

    def action_merge(self) -> None:
        code = self.current()
        if code is None:
            return
        below = set(self.project.descendants(code.id))

        def chosen(target: list[int] | None) -> None:
            if not target:
                return
            into = self.codes[target[0]]
            done = self.qapp.attempt(lambda: self.project.merge_codes(code.id, into.id),
                                     f"Merged {code.path} into {into.path}")
            if done is not None:
                self.query_one(CodeTree).show_code(into.id)

        self.app.push_screen(CodePicker(list(self.codes.values()), self.palette,
                                        title=f"Merge {code.path} (its codings and sub-codes) "
                                        "into which code?", choose_label="merge into",
                                        marks=False, categories=True, exclude=below),
                             chosen)

    def action_edit_definition(self) -> None:
        code = self.current()
        if code is None:
            return

        def saved(text: str | None) -> None:
            if text is not None and text != (code.description or ""):
                self.qapp.attempt(
                    lambda: self.project.update_code(code.id, description=text or None),
                    f"Definition of {code.name} saved")

        self.app.push_screen(MemoEditor(f"Definition of {code.path}", code.description or "",
                                        noun="definition"),
                             saved)

    def action_find(self) -> None:
        def chosen(target: list[int] | None) -> None:
            if target:
                self.query_one(CodeTree).show_code(target[0])

        self.app.push_screen(CodePicker(list(self.codes.values()), self.palette,
                                        title="Find a code", choose_label="go to",
                                        marks=False, categories=True), chosen)

    def action_retrieve(self) -> None:
        code = self.current()
        if code is not None:
            self.qapp.retrieve(code.id)


    def action_memo(self) -> None:
        code = self.current()
        if code is not None:
            memos = self.project.memos(code=code.id)
            edit_memo(self, memos[0] if memos else None, f"code {code.path}", code=code.id)

    # -- editing a code's fields, colour, place; deleting -------------------------------------
    def action_edit_field(self, name: str) -> None:
        code = self.current()
        if code is None:
            return
        noun = FIELD_NOUNS[name]
        before = getattr(code, name) or ""

        def saved(text: str | None) -> None:
            if text is not None and text != before:
                self.qapp.attempt(lambda: self.project.update_code(code.id,
                                                                   **{name: text or None}),
                                  f"{noun.capitalize()} of {code.name} "
                                  + ("saved" if text else "removed"))

        self.app.push_screen(MemoEditor(f"{noun.capitalize()} of {code.path}", before,
                                        noun=noun), saved)

    def action_edit_label(self) -> None:
        code = self.current()
        if code is None:
            return

        def named(label: str | None) -> None:
            if label is None or label == (code.en or ""):
                return
            self.qapp.attempt(lambda: self.project.update_code(code.id, en=label or None),
                              f"English label of {code.name}: {label}" if label
                              else f"English label of {code.name} removed")

        self.app.push_screen(TextPrompt(f"English label of {code.path} (empty: none):",
                                        code.en or "", allow_empty=True), named)

    def action_colour(self) -> None:
        code = self.current()
        if code is None:
            return
        answers = [(str((n + 1) % 10), name, colour)
                   for n, (name, colour) in enumerate(zip(COLOUR_NAMES, PALETTE, strict=True))]
        answers += [("h", "type #rrggbb", "hex"), ("n", "none of its own", "none")]

        def chosen(answer: str | None) -> None:
            if answer == "hex":
                self.app.push_screen(TextPrompt(f"Colour of {code.path}, as #rrggbb:",
                                                code.color or "", placeholder="#1f77b4"),
                                     lambda typed: typed and self.set_colour(code, typed))
            elif answer == "none":
                self.set_colour(code, None)
            elif answer:
                self.set_colour(code, answer)

        now = code.color or "its parent's or one from the palette"
        self.app.push_screen(Choice(f"Colour of {code.path} (now {now}):", answers), chosen)

    def set_colour(self, code: Code, colour: str | None) -> None:
        if colour == code.color:
            return
        self.qapp.attempt(lambda: self.project.update_code(code.id, color=colour),
                          f"{code.name} is now {colour}" if colour
                          else f"{code.name} has no colour of its own")

    def action_reorder(self, by: int) -> None:
        code = self.current()
        if code is None:
            return
        siblings = [c.id for c in self.codes.values() if c.parent_id == code.parent_id]
        at = siblings.index(code.id) + by
        if not 0 <= at < len(siblings):
            self.notify(f"{code.name} is already the {'first' if by < 0 else 'last'} of its "
                        "siblings.", timeout=2)
            return
        done = self.qapp.attempt(lambda: self.project.move_code(code.id, code.parent_id, at),
                                 f"Moved {code.name} {'up' if by < 0 else 'down'}")
        if done is not None:
            self.query_one(CodeTree).show_code(code.id)

    def action_delete(self) -> None:
        code = self.current()
        if code is None:
            return
        below = len(self.project.descendants(code.id)) - 1
        codings = self.counts.at[code.id, "codings_total"] \
            if self.counts is not None and code.id in self.counts.index else 0
        what = code.path + (f" and {counted(below, 'sub-code')}" if below else "")

        def delete(rule: str | None) -> None:
            if rule is None:
                return
            self.qapp.attempt(lambda: self.project.delete_code(code.id, codings=rule),
                              f"Deleted {what}" + {"refuse": "", "delete": " with its codings",
                                                   "parent": "; its codings moved to "
                                                   "the parent"}[rule])

        if not codings and not self.blind:  # in blind mode others' codings may go with it
            self.app.push_screen(Choice(f"Delete {what}? (ctrl+z brings it back)",
                                        [("y", "delete", "refuse")]), delete)
            return
        parent = self.codes.get(code.parent_id) if code.parent_id is not None else None
        them = "it" if codings == 1 and not self.blind else "them"
        answers = [("d", f"delete {them} with the code", "delete")]
        if parent is not None and parent.codable:
            answers.append(("p", f"move {them} to {parent.name}", "parent"))
        else:
            where = "it is at the top level" if parent is None else \
                f"{parent.name} is a category"
            answers.append(("m", "merge it into another code instead (M)", "merge"))
        has = f"{what} has {counted(codings, 'coding')}"
        if self.blind:  # their number would tell what the others did
            has += " of yours, and perhaps other coders' (blind mode hides them)"
        question = (f"{has}. Delete {them} with the code"
                    + (f", or move {them} to the parent {parent.path}?" if answers[1][2] ==
                       "parent" else f"? ({them.capitalize()} cannot go to a parent: {where}.)"))

        def answered(rule: str | None) -> None:
            if rule == "merge":
                self.action_merge()
            else:
                delete(rule)

        self.app.push_screen(Choice(question, answers), answered)
