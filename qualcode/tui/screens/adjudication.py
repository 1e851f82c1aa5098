"""Adjudication: step through the places where two coders differ, side by side, and record the
agreed coding under a coder of its own (e.g. konsensus) with one key per decision.

Each decision is one change (ctrl+z takes it back); the screen moves on to the next place.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static

from qualcode.core.adjudication import AGREED_CODER
from qualcode.core.util import counted
from qualcode.errors import QualcodeError
from qualcode.tui.blind import NO_ADJUDICATION
from qualcode.tui.screens.base import ProjectScreen

CONTEXT = 80  # characters shown before and after a region


class AdjudicationScreen(ProjectScreen):
    HELP_TITLE = "Adjudication"
    BINDINGS = [
        Binding("a", "settle('a')", "First's", tooltip="Agree on the first coder's coding"),
        Binding("b", "settle('b')", "Second's", tooltip="Agree on the second coder's coding"),
        Binding("u", "settle('both')", "Both", tooltip="Agree on both codings together"),
        Binding("n", "settle('neither')", "Neither", tooltip="Agree that the code is not there"),
        Binding("right,j", "step(1)", "Next", tooltip="The next place where they differ"),
        Binding("left,k", "step(-1)", "Prev.", tooltip="The place before"),
        Binding("o", "open_source", "Open", tooltip="Open the source at this place"),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to where you were"),
    ]

    def __init__(self, coders: tuple[str, str], as_coder: str = AGREED_CODER) -> None:
        super().__init__(id="adjudication")
        self.coders = coders
        self.as_coder = as_coder
        self.rows: list = []
        self.at = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="adjudication-heading", markup=False)
        with Horizontal(id="adjudication-body"):
            with VerticalScroll(classes="adjudication-side"):
                yield Static(id="side-a")
            with VerticalScroll(classes="adjudication-side"):
                yield Static(id="side-b")
        yield Static(id="adjudication-agreed")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = f"Adjudication: {self.coders[0]} and {self.coders[1]}"
        super().on_mount()

    def reload(self) -> None:
        if self.project.blind:  # switched on while the screen was open: show nothing
            self.rows = []
        else:
            frame = self.project.disagreements(",".join(self.coders))
            self.rows = [row for _, row in frame.iterrows()]
        self.at = min(self.at, max(len(self.rows) - 1, 0))
        self.show()

    @property
    def current_region(self):
        return self.rows[self.at] if self.rows else None

    def show(self) -> None:
        heading = self.query_one("#adjudication-heading", Static)
        agreed = self.query_one("#adjudication-agreed", Static)
        region = self.current_region
        if region is None:
            heading.update(NO_ADJUDICATION if self.project.blind else
                           f"{self.coders[0]} and {self.coders[1]} do not differ anywhere "
                           "they both coded.")
            for side in ("#side-a", "#side-b"):
                self.query_one(side, Static).update("")
            agreed.update("")
            return
        heading.update(f"{self.at + 1} of {len(self.rows)} · {region['code']} · "
                       f"{region['source']} [{region['start']}:{region['end']}]")
        text = self.project.source(int(region["source_id"])).text
        for side, coder, spans in (("#side-a", region["coder_a"], region["spans_a"]),
                                   ("#side-b", region["coder_b"], region["spans_b"])):
            self.query_one(side, Static).update(self._side(text, region, coder, spans))
        settled = self.project.settled(region, as_coder=self.as_coder)
        line = Text(f"{self.as_coder}: ", style="bold")
        if settled:
            line.append(" … ".join(text[s:e] for s, e in settled))
        else:
            line.append("nothing recorded here (a, b, u or n to decide)", style="dim")
        agreed.update(line)

    @staticmethod
    def _side(text: str, region, coder: str, spans) -> Text:
        start = max(0, int(region["start"]) - CONTEXT)
        end = min(len(text), int(region["end"]) + CONTEXT)
        if start > 0:  # the context starts and ends with whole words
            start = min(int(region["start"]), text.find(" ", start) + 1 or start)
        if end < len(text):
            end = max(int(region["end"]), text.rfind(" ", 0, end))
        # one heading line on both sides, so that the two texts stand line by line
        out = Text(coder, style="bold underline")
        out.append("  (did not code this)\n" if not spans else
                   f"  {counted(len(spans), 'span')} coded\n", style="italic")
        if start > 0:
            out.append("…", style="dim")
        at = start
        for s, e in spans:
            out.append(text[at:s], style="dim")
            out.append(text[s:e], style="bold reverse")
            at = e
        out.append(text[at:end], style="dim")
        if end < len(text):
            out.append("…", style="dim")
        return out

    def action_step(self, by: int) -> None:
        if self.rows:
            self.at = (self.at + by) % len(self.rows)
            self.show()

    def action_settle(self, choice: str) -> None:
        region = self.current_region
        if region is None:
            return
        try:
            self.project.settle(region, choice, as_coder=self.as_coder)
        except QualcodeError as exc:
            self.notify(str(exc), title="Not done", severity="error", timeout=8)
            return
        words = {"a": f"{region['coder_a']}'s coding", "b": f"{region['coder_b']}'s coding",
                 "both": "both codings", "neither": "no coding"}[choice]
        self.qapp.changed()
        self.notify(f"Recorded {words} for {self.as_coder}.", timeout=3)
        if self.at < len(self.rows) - 1:
            self.at += 1
        self.show()

    def action_open_source(self) -> None:
        region = self.current_region
        if region is not None:
            self.qapp.open_source(int(region["source_id"]),
                                  select=(int(region["start"]), int(region["end"])))
