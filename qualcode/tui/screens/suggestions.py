"""The review queue of autocoding suggestions, and autocoding the whole project.

`u` runs every codebook pattern over every source in a background worker, with a progress bar;
esc cancels it and nothing is stored. Suggestions are proposals: nothing is coded until one is
accepted (a), which codes it with origin auto; r rejects it for good; A accepts every open one
of the highlighted code (one change, one ctrl+z); s skips to the next; enter opens the source
at the suggestion.
"""

from __future__ import annotations

import threading

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, ProgressBar, Static
from textual.worker import Worker, WorkerState

from qualcode.core import Project
from qualcode.core.model import Suggestion
from qualcode.core.textmatch import keyword_in_context
from qualcode.errors import QualcodeError
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.widgets.common.prompts import Choice

CONTEXT = 70  # characters of a suggestion's text shown in the queue
UNIT_CHOICES = [("w", "the matched words", "word"), ("s", "their sentence", "sentence"),
                ("t", "their speaker turn", "turn"), ("p", "their paragraph", "paragraph"),
                ("f", "the whole text (form comment)", "field")]


class SuggestionsScreen(ProjectScreen):
    HELP_TITLE = "Suggestions (autocoding)"
    BINDINGS = [
        Binding("a", "accept", "Accept", tooltip="Code the highlighted suggestion (origin auto)"),
        Binding("r", "reject", "Reject", tooltip="Reject it: it is not suggested again"),
        Binding("A", "accept_code", "Accept code",
                tooltip="Accept every open suggestion of the highlighted code: one change"),
        Binding("s", "skip", "Skip", tooltip="Leave it open and go to the next"),
        Binding("u", "autocode", "Autocode",
                tooltip="Run every codebook pattern over the whole project (in the background)"),
        Binding("escape", "cancel_or_back", "Cancel/back",
                tooltip="Stop a running autocode (nothing is stored), else go back"),
        Binding("q", "back", "Back", show=False, tooltip="Go back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.open: list[Suggestion] = []
        self.texts: dict[int, str] = {}
        self.cancel = threading.Event()
        self.worker: Worker | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="suggestions-status", markup=False)
        yield ProgressBar(id="autocode-progress", show_eta=False)
        yield DataTable(id="suggestions", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Suggestions"
        self.query_one(DataTable).add_columns("code", "source", "unit", "text")
        self.query_one(ProgressBar).display = False
        self.query_one(DataTable).focus()
        super().on_mount()

    # -- the queue ----------------------------------------------------------------------------
    def reload(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row or 0
        self.open = self.project.suggestions()
        table.clear()
        for s in self.open:
            table.add_row(s.code.rsplit("/", 1)[-1], s.source, s.unit, self.excerpt(s),
                          key=str(s.id))
        if self.open:
            table.move_cursor(row=min(row, len(self.open) - 1))
        self.show_status()

    def excerpt(self, s: Suggestion) -> Text:
        text = self.texts.get(s.source_id)
        if text is None:
            text = self.texts[s.source_id] = self.project.source(s.source_id).text
        # the context is the suggested unit's own text (a sentence, a turn), never beyond it
        before, hit, after = keyword_in_context(text[s.start:s.end], s.word_start - s.start,
                                                s.word_end - s.start, CONTEXT // 2)
        line = Text(before)
        line.append(hit, style="bold reverse")
        line.append(after)
        return line

    def show_status(self, note: str = "") -> None:
        codes = len({s.code_id for s in self.open})
        text = (f"{len(self.open):,} open suggestions for {codes} codes · a accept · r reject · "
                "A accept all of the code · s skip · u autocode the project"
                if self.open else "No open suggestions. u runs the codebook's patterns over "
                                  "every source.")
        self.query_one("#suggestions-status", Static).update(f"{note}{text}")

    def highlighted(self) -> Suggestion | None:
        table = self.query_one(DataTable)
        if not self.open or table.cursor_row is None or table.cursor_row >= len(self.open):
            self.notify("No suggestion highlighted.", severity="warning", timeout=2)
            return None
        return self.open[table.cursor_row]

    def action_accept(self) -> None:
        s = self.highlighted()
        if s is not None:
            self._accept(lambda: self.project.accept_suggestions([s.id]),
                         f"Coded {s.code} (ctrl+z takes it back)")

    def action_accept_code(self) -> None:
        s = self.highlighted()
        if s is None:
            return
        count = sum(1 for o in self.open if o.code_id == s.code_id)
        self._accept(lambda: self.project.accept_suggestions(codes=[s.code_id]),
                     f"Coded {count:,} suggestions of {s.code} (one ctrl+z takes them back)")

    def _accept(self, accept, done: str) -> None:
        result = self.qapp.attempt(accept, done)
        if result and result is not True and result.refused:
            sid, reason = result.refused[0]
            self.notify(f"{len(result.refused)} left open: {reason}", severity="warning",
                        timeout=8)

    def action_reject(self) -> None:
        s = self.highlighted()
        if s is not None:
            self.qapp.attempt(lambda: self.project.reject_suggestions([s.id]),
                              f"Rejected: {s.code} is not suggested there again")

    def action_skip(self) -> None:
        table = self.query_one(DataTable)
        if self.open:
            table.move_cursor(row=min((table.cursor_row or 0) + 1, len(self.open) - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        s = next(o for o in self.open if str(o.id) == event.row_key.value)
        order = list(dict.fromkeys(o.source_id for o in self.open))
        self.qapp.open_source(s.source_id, order=order, select=(s.start, s.end))

    # -- autocoding the project in the background ---------------------------------------------
    def action_autocode(self) -> None:
        if self.worker is not None and not self.worker.is_finished:
            self.notify("Autocoding is running; esc stops it.", timeout=3)
            return
        if not self.project.pattern_rules():
            self.notify("No code has patterns: add some in the codebook (patterns: [...]).",
                        severity="warning", timeout=6)
            return
        self.app.push_screen(Choice("Autocode every source: suggest", UNIT_CHOICES),
                             lambda unit: self.start_autocode(unit) if unit else None)

    def start_autocode(self, unit: str) -> None:
        self.cancel = threading.Event()
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.show_status("Autocoding… esc stops it · ")
        path, coder, cancel = self.project.path, self.project.coder_name, self.cancel

        def work():
            # its own connection: the worker only reads; the queue stores what it found
            with Project.open(path, coder=coder) as mine:
                return mine.suggest(unit=unit, cancel=cancel, progress=lambda done, total:
                                    self.app.call_from_thread(bar.update, total=total,
                                                              progress=done))

        self.worker = self.run_worker(work, thread=True, group="autocode", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.worker or event.state not in (
                WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        self.query_one(ProgressBar).display = False
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, QualcodeError) else repr(error)
            self.notify(message, title="Autocoding failed", severity="error", timeout=8)
            self.show_status()
            return
        rows, result = event.worker.result if event.state == WorkerState.SUCCESS else ([], None)
        if result is None or result.cancelled:
            self.notify("Autocoding stopped; nothing was stored.", timeout=4)
            self.show_status()
            return
        stored = self.project.store_suggestions(rows)
        self.qapp.changed()
        self.notify(f"{stored:,} new suggestions from {result.hits:,} pattern hits in "
                    f"{result.sources:,} sources. Nothing is coded until you accept.", timeout=6)

    def action_cancel_or_back(self) -> None:
        if self.worker is not None and not self.worker.is_finished:
            self.cancel.set()
            return
        self.app.pop_screen()

    def action_back(self) -> None:
        if self.worker is not None and not self.worker.is_finished:
            self.cancel.set()
        self.app.pop_screen()
