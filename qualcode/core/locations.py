"""Where a place in a source's text is, in a reader's terms rather than a character offset: the
speaker turn (its number, speaker, and the last time stamp before the place) in a transcript,
else the line (a paragraph of an imported document is one line, as the reader counts them).

One implementation for every list of places: Find in the app, `qualcode find`, bookmarks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from qualcode.core.model import Location, Turn

TIMESTAMP = re.compile(r"\[(\d{1,2}:\d{2}(?::\d{2})?)\]")
"""A time stamp in a transcript, [00:12:34] or [12:34]: the reader sets it off, and a place
says the last one before it."""


class Locator:
    """Locations in one text. Asked in increasing order of offset (as search hits and sorted
    bookmarks come), each counts only the newlines since the one before: the text is read once
    however many places it holds."""

    def __init__(self, text: str, turns: Sequence[Turn] = ()):
        self.text = text
        self.turns = sorted(turns, key=lambda t: t.n)
        self._starts = [t.start for t in self.turns]
        # turns in order one after another (every importer's): a place's turn by bisection
        self._disjoint = all(a.end <= b.start for a, b in zip(self.turns, self.turns[1:],
                                                              strict=False))
        self._at, self._line = 0, 1

    def line(self, offset: int) -> int:
        """The 1-based line that holds `offset`."""
        if offset < self._at:
            self._at, self._line = 0, 1
        self._line += self.text.count("\n", self._at, offset)
        self._at = offset
        return self._line

    def turn(self, offset: int) -> Turn | None:
        """The speaker turn that holds `offset`; on a line whose turn starts after a speaker
        label (a place in "IP:"), that line's turn; just after a turn's last character (the end
        of its line), that turn. None outside every turn."""
        if not self.turns:
            return None
        line_end = self.text.find("\n", offset)
        line_end = len(self.text) if line_end == -1 else line_end
        if not self._disjoint:  # turns given by hand may overlap: the first that fits
            return (next((t for t in self.turns if t.start <= offset < t.end), None)
                    or next((t for t in self.turns if t.start < offset == t.end), None)
                    or min((t for t in self.turns if offset < t.start <= line_end),
                           key=lambda t: t.start, default=None))
        at = bisect_right(self._starts, offset) - 1
        if at >= 0:
            turn = self.turns[at]
            if offset < turn.end or (turn.start < offset == turn.end):
                return turn
        following = self.turns[at + 1] if at + 1 < len(self.turns) else None
        return following if following and following.start <= line_end else None

    def location(self, offset: int) -> Location:
        line = self.line(offset)
        turn = self.turn(offset)
        if turn is None:
            return Location(line)
        label_line = self.text.rfind("\n", 0, min(turn.start, offset)) + 1  # the label's too
        stamps = TIMESTAMP.findall(self.text, label_line, max(offset, turn.start))
        return Location(line, turn.n, turn.speaker, stamps[-1] if stamps else None)
