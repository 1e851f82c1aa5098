"""Searching within the source a reader shows: `/` asks for words, n and N step through the hits.

The same search as the Find screen (any case, any run of whitespace for a space), limited to
this source; the hit is selected, so c codes it at once.
"""

from __future__ import annotations

from textual.binding import Binding

from qualcode.core.model import Hit
from qualcode.errors import QualcodeError
from qualcode.tui.widgets.common.prompts import TextPrompt

SEARCH_BINDINGS = [
    Binding("slash", "search", "Find", show=False,  # the 80-column footer has no room
            tooltip="Find words in this source (any case); n and N step through the hits"),
    Binding("n", "next_hit(1)", "Next hit", show=False, tooltip="Go to the next hit"),
    Binding("N", "next_hit(-1)", "Previous hit", show=False, tooltip="Go to the previous hit"),
]


class ReaderSearch:
    """Mixed into the reader screen (which has `project`, `source`, `view` and `notify`)."""

    search_query: str = ""
    search_hits: list[Hit] = []  # noqa: RUF012 (replaced, never changed in place)

    def action_search(self) -> None:
        def searched(query: str | None) -> None:
            if not query:
                return
            try:
                hits = self.project.find(query, sources=[self.source.name])
            except QualcodeError as exc:
                self.notify(str(exc), title="Cannot search", severity="error")
                return
            self.search_query, self.search_hits = query, hits
            if not hits:
                self.notify(f"“{query}” is not in this source.", severity="warning")
                return
            self.notify(f"{len(hits)} hit{'s' if len(hits) != 1 else ''}: n next, N previous",
                        timeout=3)
            cursor = self.view.cursor_offset
            self.go_to_hit(next((h for h in hits if h.start >= cursor), hits[0]))

        self.app.push_screen(TextPrompt("Find in this source:", self.search_query), searched)

    def action_next_hit(self, step: int) -> None:
        if not self.search_hits:
            self.notify("Nothing searched yet: press / to find words.", timeout=2)
            return
        span = self.view.selected_span
        cursor = self.view.cursor_offset
        if step > 0:
            hit = next((h for h in self.search_hits if h.start > cursor - (span is None)), None)
        else:
            before = span[0] if span else cursor
            hit = next((h for h in reversed(self.search_hits) if h.start < before), None)
        if hit is None:
            self.notify("No more hits this way.", timeout=1.5)
            return
        self.go_to_hit(hit)

    def go_to_hit(self, hit: Hit) -> None:
        self.view.select_span(hit.start, hit.end)
        self.update_panel()
