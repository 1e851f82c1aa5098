"""Memos across the project: on the project, a source, a code or a case; read, write, edit,
delete, and jump to what a memo is about."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.core.model import Memo
from qualcode.core.util import counted
from qualcode.errors import QualcodeError
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.widgets.common.prompts import Choice, MemoEditor, TextPrompt

PREVIEW_CHARS = 300
YOUR_MEMOS = "blind mode: other coders' memos are hidden"
NAMED_BY = {"case": "name", "source": "name", "code": "path or a name unique in the codebook"}


def edit_memo(screen: ProjectScreen, memo: Memo | None, heading: str, **target) -> None:
    """Write a new memo on `target` (source=, code=, case= or none: the project), or edit
    `memo`; an emptied memo is deleted. One undo step each."""
    project = screen.project

    def saved(text: str | None) -> None:
        if text is None or (memo is not None and text == memo.text):
            return
        if memo is None:
            if text:
                screen.qapp.attempt(lambda: project.add_memo(text, **target),
                                    f"Memo written on {heading}")
        elif text:
            screen.qapp.attempt(lambda: project.edit_memo(memo.id, text),
                                f"Memo on {heading} saved")
        else:
            screen.qapp.attempt(lambda: project.delete_memo(memo.id),
                                f"Memo on {heading} deleted")

    screen.app.push_screen(MemoEditor(f"Memo on {heading}", memo.text if memo else ""),
                           saved)


class MemosScreen(ProjectScreen):
    HELP_TITLE = "Memos"
    BINDINGS = [
        Binding("enter", "jump", "Go to", tooltip="Go to what the memo is about"),
        Binding("e", "edit", "Edit", tooltip="Edit the memo (emptied, it is deleted)"),
        Binding("n", "new", "New",
                tooltip="Write a new memo on the project, or on a case, source or code by name"),
        Binding("delete,D", "delete", "Delete", show=False, tooltip="Delete the memo"),
    ]

    def __init__(self) -> None:
        super().__init__(id="memos")
        self.memos: list[Memo] = []
        self.targets: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="memos-heading", classes="status")
        yield OptionList(id="memo-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Memos"
        self.query_one(OptionList).focus()
        super().on_mount()

    def target_name(self, memo: Memo) -> str:
        p = self.project
        try:
            if memo.target_kind == "source":
                return f"source {p.source(memo.target_id).name}"
            if memo.target_kind == "code":
                return f"code {p.code(memo.target_id).path}"
            if memo.target_kind == "case":
                return f"case {p.case(memo.target_id).name}"
        except QualcodeError:
            return f"a deleted {memo.target_kind}"
        return "the project"

    def reload(self) -> None:
        coders = {c.id: c.name for c in self.project.coders()}
        order = {"project": 0, "source": 1, "code": 2, "case": 3}
        self.memos = sorted(self.project.memos(),
                            key=lambda m: (order.get(m.target_kind, 9), m.target_id or 0, m.id))
        self.targets = [self.target_name(m) for m in self.memos]
        options = self.query_one(OptionList)
        keep = options.highlighted
        options.set_options([Option(self.describe(m, t, coders), id=str(m.id))
                             for m, t in zip(self.memos, self.targets, strict=True)])
        if self.memos:
            options.highlighted = min(keep or 0, len(self.memos) - 1)
        self.query_one("#memos-heading", Static).update(
            (f"{counted(len(self.memos), 'memo')} · enter goes to what it is about · e edit · "
             "n new memo" if self.memos else
             "No memos yet: n writes one on the project, a case, a source or a code.")
            + (f" · {YOUR_MEMOS}" if self.project.blind else ""))

    @staticmethod
    def describe(memo: Memo, target: str, coders: dict[int, str]) -> Text:
        line = Text()
        line.append(target, style="bold")
        if memo.title:
            line.append(f" · {memo.title}", style="bold")
        line.append(f" · {coders.get(memo.coder_id, '')} · {(memo.updated_at or '')[:10]}",
                    style="dim")
        text = " ".join(memo.text.split())
        line.append("\n" + text[:PREVIEW_CHARS] + ("…" if len(text) > PREVIEW_CHARS else ""))
        line.append("\n")
        return line

    def current(self) -> tuple[Memo, str] | None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.memos):
            return None
        return self.memos[index], self.targets[index]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_jump()

    def action_jump(self) -> None:
        found = self.current()
        if found is None:
            return
        memo, target = found
        if memo.target_kind == "source":
            self.qapp.open_source(memo.target_id)
        elif memo.target_kind == "code":
            self.qapp.show_code(memo.target_id)
        elif memo.target_kind == "case" and not target.startswith("a deleted"):
            self.qapp.show_case(memo.target_id)
        else:
            self.action_edit()

    def action_edit(self) -> None:
        found = self.current()
        if found is not None:
            edit_memo(self, found[0], found[1])

    def action_new(self) -> None:
        """A memo on the project at once; on a case, source or code after its name."""
        def chosen(kind: str | None) -> None:
            if kind == "project":
                edit_memo(self, None, "the project")
            elif kind is not None:
                names = self.names_of(kind)
                self.app.push_screen(
                    TextPrompt(f"Memo on which {kind}? (its {NAMED_BY[kind]})",
                               placeholder=", ".join(names[:3]) + (" ..." if names else ""),
                               suggestions=names),
                    lambda name: name and self.new_memo_on(kind, name))

        self.app.push_screen(Choice("A new memo on", [
            ("p", "the project", "project"), ("k", "a case", "case"),
            ("s", "a source", "source"), ("c", "a code", "code")]), chosen)

    def names_of(self, kind: str) -> list[str]:
        p = self.project
        if kind == "case":
            return [c.name for c in p.cases()]
        if kind == "source":
            return [s.name for s in p.sources()]
        return [c.path for c in p.codes()]

    def new_memo_on(self, kind: str, name: str) -> None:
        try:
            target = getattr(self.project, kind)(name)
        except QualcodeError as exc:
            self.notify(str(exc), title="Not done", severity="error", timeout=8)
            return
        edit_memo(self, None, f"{kind} {getattr(target, 'path', None) or target.name}",
                  **{kind: target.id})

    def action_delete(self) -> None:
        found = self.current()
        if found is None:
            return
        memo, target = found
        self.app.push_screen(
            Choice(f"Delete this memo on {target}? (ctrl+z brings it back)",
                   [("y", "delete", "yes")]),
            lambda answer: answer and self.qapp.attempt(
                lambda: self.project.delete_memo(memo.id), f"Memo on {target} deleted"))
