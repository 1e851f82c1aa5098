"""Where the reader paints what: coded spans and speaker labels cut into per-line pieces.

Pure functions over offsets, so the reader only has to look up a line's pieces when it draws it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from rich.cells import get_character_cell_size
from textual._wrap import compute_wrap_offsets

from qualcode.core import Coding, Turn
from qualcode.core.locations import TIMESTAMP

# str.splitlines() (which the text widget uses) breaks at these too; shown as spaces so that a
# character in the widget is always the character at the same offset in the source.
LINE_BREAKERS = str.maketrans({c: " " for c in "\v\f\x1c\x1d\x1e\x85\u2028\u2029\r"})
LABEL_REACH = 40  # how far past a line's start a speaker's name may appear ("[00:01:20] IP:")

Piece = tuple[int, int, tuple[int, ...]]
"""(start column, end column, ids of the codes covering it) within one line."""


BREAKS_A_LINE = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029\r]")


def display_text(text: str) -> str:
    # translating 3 MB costs 0.2 s; finding that there is nothing to translate, a millisecond
    return text.translate(LINE_BREAKERS) if BREAKS_A_LINE.search(text) else text


NOT_ONE_CELL = re.compile(r"[^\x20-\x7e\xa1-\u02ff]")
"""Characters that may not be one cell wide (or, like the no-break space, that Textual's
wrapping treats as a space)."""


def wrap_offsets(line: str, width: int) -> list[int]:
    """Where a line breaks when wrapped at `width` cells: the same offsets as Textual's
    `compute_wrap_offsets` (a word with the spaces after it moves to the next row when it
    does not fit), found a row at a time instead of a word at a time."""
    size = len(line)
    others = [m.start() for m in NOT_ONE_CELL.finditer(line)] \
        if NOT_ONE_CELL.search(line) else []
    if not others and size <= width:
        return []
    wide = []  # offsets of the two-cell characters (emoji, CJK)
    for at in others:
        if line[at] == " " or get_character_cell_size(line[at]) != 2:
            return compute_wrap_offsets(line, width, tab_size=4)  # no-break space, 0-width
        wide.append(at)
    breaks, row = [], 0
    while True:
        first_out = _first_out(row, width, wide)  # the first character past the row
        if first_out >= size:
            return breaks
        if line[first_out] == " ":  # a word's trailing spaces go with it
            word_end = first_out
            while word_end > row and line[word_end - 1] == " ":
                word_end -= 1
            cut = line.rfind(" ", 0, word_end) + 1
        else:
            cut = line.rfind(" ", 0, first_out) + 1
        if cut <= row:  # one word wider than the row: Textual folds it
            return compute_wrap_offsets(line, width, tab_size=4)
        breaks.append(cut)
        row = cut


def _first_out(row: int, width: int, wide: list[int]) -> int:
    """The first offset from `row` on whose character ends past `width` cells."""
    if not wide:
        return row + width
    before = bisect_left(wide, row)

    def cells_to_end(at: int) -> int:  # cells from the row's start to the end of text[at]
        return at - row + 1 + bisect_right(wide, at) - before

    low, high = row, row + width  # cells_to_end(row + width) > width always
    while low < high:
        middle = (low + high) // 2
        if cells_to_end(middle) > width:
            high = middle
        else:
            low = middle + 1
    return low


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


def line_pieces(codings: Iterable[Coding], line_start: int, line_end: int) -> list[Piece]:
    """The pieces of one line (text[line_start:line_end]) covered by one or more of these
    codings, in columns of the line (code ids in order of coding start, so an overlap lists
    the outer code first)."""
    ordered = sorted((k for k in codings if k.start < line_end and k.end > line_start),
                     key=lambda k: (k.start, -k.end, k.id))
    events: dict[int, list[tuple[int, int]]] = {}
    for order, coding in enumerate(ordered):
        events.setdefault(max(coding.start, line_start), []).append((1, order))
        events.setdefault(min(coding.end, line_end), []).append((-1, order))
    pieces: list[Piece] = []
    active: dict[int, None] = {}
    boundaries = sorted(events)
    for here, following in zip(boundaries, boundaries[1:], strict=False):
        for kind, order in events[here]:
            if kind == 1:
                active[order] = None
            else:
                active.pop(order, None)
        if active:
            code_ids = tuple(dict.fromkeys(ordered[o].code_id for o in sorted(active)))
            pieces.append((here - line_start, following - line_start, code_ids))
    return pieces


def line_end(starts: Sequence[int], row: int, text_length: int) -> int:
    """Where a line's text ends (before its newline)."""
    return starts[row + 1] - 1 if row + 1 < len(starts) else text_length


def lines_of(starts: Sequence[int], start: int, end: int) -> range:
    """The rows a span [start, end) touches."""
    return range(bisect_right(starts, start) - 1, bisect_right(starts, max(start, end - 1)))


def coding_pieces(codings: Iterable[Coding], starts: Sequence[int],
                  text_length: int) -> dict[int, list[Piece]]:
    """For each line, its pieces covered by one or more codes (see `line_pieces`)."""
    by_line: dict[int, list[Coding]] = {}
    for coding in codings:
        for row in lines_of(starts, coding.start, min(coding.end, text_length)):
            by_line.setdefault(row, []).append(coding)
    pieces = {row: line_pieces(on_line, starts[row], line_end(starts, row, text_length))
              for row, on_line in by_line.items()}
    return {row: found for row, found in pieces.items() if found}


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
