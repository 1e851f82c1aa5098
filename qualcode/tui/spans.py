"""Where the reader paints what: coded spans and speaker labels cut into per-line pieces.

Pure functions over offsets, so the reader only has to look up a line's pieces when it draws it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from qualcode.core import Coding, Turn

# str.splitlines() (which the text widget uses) breaks at these too; shown as spaces so that a
# character in the widget is always the character at the same offset in the source.
LINE_BREAKERS = str.maketrans({c: " " for c in "\v\f\x1c\x1d\x1e\x85\u2028\u2029\r"})
TIMESTAMP = re.compile(r"\[\d{1,2}:\d{2}(?::\d{2})?\]")
LABEL_REACH = 40  # how far past a line's start a speaker's name may appear ("[00:01:20] IP:")

Piece = tuple[int, int, tuple[int, ...]]
"""(start column, end column, ids of the codes covering it) within one line."""


def display_text(text: str) -> str:
    return text.translate(LINE_BREAKERS)


def line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    position = find("\n")
    while position != -1:
        starts.append(position + 1)
        position = find("\n", position + 1)
    return starts


def to_location(starts: Sequence[int], offset: int) -> tuple[int, int]:
    row = bisect_right(starts, offset) - 1
    return row, offset - starts[row]


def to_offset(starts: Sequence[int], location: tuple[int, int]) -> int:
    row, column = location
    return starts[row] + column


def coding_pieces(codings: Iterable[Coding], starts: Sequence[int],
                  text_length: int) -> dict[int, list[Piece]]:
    """For each line, its pieces covered by one or more codes (code ids in order of coding
    start, so an overlap lists the outer code first)."""
    ordered = sorted(codings, key=lambda k: (k.start, -k.end, k.id))
    events: dict[int, list[tuple[int, int]]] = {}
    for order, coding in enumerate(ordered):
        events.setdefault(coding.start, []).append((1, order))
        events.setdefault(coding.end, []).append((-1, order))
    pieces: dict[int, list[Piece]] = {}
    active: dict[int, None] = {}
    boundaries = sorted(events)
    for here, following in zip(boundaries, boundaries[1:], strict=False):
        for kind, order in events[here]:
            if kind == 1:
                active[order] = None
            else:
                active.pop(order, None)
        if not active or here >= text_length:
            continue
        code_ids = tuple(dict.fromkeys(ordered[o].code_id for o in sorted(active)))
        _split_by_line(pieces, starts, here, min(following, text_length), code_ids)
    return pieces


def _split_by_line(pieces, starts, start, end, code_ids) -> None:
    row = bisect_right(starts, start) - 1
    while start < end:
        line_end = starts[row + 1] - 1 if row + 1 < len(starts) else end
        stop = min(end, line_end)
        if stop > start:
            pieces.setdefault(row, []).append((start - starts[row], stop - starts[row], code_ids))
        row += 1
        if row >= len(starts):
            break
        start = max(start, starts[row])


def label_pieces(text: str, turns: Iterable[Turn], starts: Sequence[int]) -> dict[int, list[
        tuple[int, int, str]]]:
    """For each line, the speaker labels ("speaker") and time stamps ("timestamp") to set off."""
    found: dict[int, list[tuple[int, int, str]]] = {}
    for turn in turns:
        if not turn.speaker:
            continue
        row, _ = to_location(starts, turn.start)
        line_start = starts[row]
        reach = text[line_start:max(turn.start, line_start) + len(turn.speaker) + LABEL_REACH]
        at = reach.find(turn.speaker)
        if at == -1:
            continue
        end = at + len(turn.speaker)
        if reach[end:end + 1] == ":":
            end += 1
        found.setdefault(row, []).append((at, end, "speaker"))
        stamp = TIMESTAMP.match(reach.lstrip())
        if stamp:
            indent = len(reach) - len(reach.lstrip())
            found[row].append((indent + stamp.start(), indent + stamp.end(), "timestamp"))
    return found


def overlapping(codings: Sequence[Coding], start: int, end: int) -> list[Coding]:
    """The codings that share at least one character with [start, end), or that hold the
    position `start` when the range is empty."""
    if start == end:
        return [k for k in codings if k.start <= start < k.end]
    return [k for k in codings if k.start < end and start < k.end]
