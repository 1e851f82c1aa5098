"""Finding a phrase in a text as a reader sees it.

Any run of whitespace in the phrase (spaces, non-breaking spaces, line breaks, tabs) matches any
run of whitespace in the text, so a phrase that a transcript breaks across lines, or that a word
processor joined with a non-breaking space, is still found. Case is ignored unless asked for.
Used by `find` and by `code --match`.
"""

from __future__ import annotations

import difflib
import re

WHITESPACE_RUN = re.compile(r"\s+")  # \s in a str pattern covers NBSP and other Unicode spaces


def phrase_regex(phrase: str, *, ignore_case: bool = True, word_start: bool = False) -> re.Pattern:
    """The regular expression for `phrase`. With `word_start`, a match must begin where a word
    begins ("leder" then does not match inside "veileder")."""
    words = phrase.split()
    if not words:
        raise ValueError("an empty phrase matches nothing")
    body = r"\s+".join(map(re.escape, words))
    if word_start and re.match(r"\w", words[0]):
        body = r"(?<!\w)" + body
    return re.compile(body, re.IGNORECASE if ignore_case else 0)


def find_phrase(text: str, phrase: str, *, ignore_case: bool = True,
                word_start: bool = False) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of `phrase` in `text`, in order, not overlapping."""
    pattern = phrase_regex(phrase, ignore_case=ignore_case, word_start=word_start)
    return [m.span() for m in pattern.finditer(text)]


def one_line(text: str) -> str:
    """`text` with every run of whitespace made one space (for a line of context)."""
    return WHITESPACE_RUN.sub(" ", text)


def keyword_in_context(text: str, start: int, end: int, width: int = 40
                       ) -> tuple[str, str, str]:
    """(before, hit, after): up to `width` characters either side of text[start:end], each on
    one line, cut at a word boundary where there is one, with "…" where text was left out."""
    left = text[max(0, start - width - 15):start]
    right = text[end:end + width + 15]
    before = one_line(left).lstrip()
    after = one_line(right).rstrip()
    if len(before) > width:
        before = before[-width:]
        cut = before.find(" ")
        before = "…" + (before[cut + 1:] if 0 <= cut < width // 2 else before)
    elif start - len(left) > 0:
        before = "…" + before
    if len(after) > width:
        after = after[:width]
        cut = after.rfind(" ")
        after = (after[:cut] if cut > width // 2 else after) + "…"
    elif end + len(right) < len(text):
        after += "…"
    return before, one_line(text[start:end]), after


NEAREST_WINDOWS = 4000  # passages compared at most, so a 3 MB text answers at once


def nearest_passage(text: str, phrase: str) -> tuple[int, int] | None:
    """(start, end) of the passage of `text` most like `phrase`, compared with difflib on
    one-line, case-folded text: for "did you mean" when a phrase does not occur. Candidates
    are windows the phrase's length around where its words occur (or, if none does, spread
    over the text); the best is widened to whole words. None for an empty text or phrase."""
    wanted = one_line(phrase).strip().casefold()
    if not wanted or not text:
        return None
    size = len(wanted)
    starts: set[int] = set()
    offset = 0
    for word in wanted.split(" "):
        if len(word) >= 3:
            for m in re.finditer(re.escape(word), text, re.IGNORECASE):
                starts.add(max(0, m.start() - offset))
                if len(starts) >= NEAREST_WINDOWS:
                    break
        offset += len(word) + 1
    if not starts:
        step = max(1, size // 2, len(text) // NEAREST_WINDOWS)
        starts = set(range(0, max(1, len(text) - size + 1), step))
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    best, best_score = None, -1.0
    for start in sorted(starts):
        for width in (size - size // 5, size, size + size // 5):
            end = min(len(text), start + max(1, width))
            matcher.set_seq1(one_line(text[start:end]).casefold())
            if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
                continue
            score = matcher.ratio()
            if score > best_score:
                best, best_score = (start, end), score
    if best is None:
        return None
    start, end = best
    while start > 0 and not text[start - 1].isspace():  # widen to whole words
        start -= 1
    while end < len(text) and not text[end].isspace() and not text[end - 1].isspace():
        end += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end
