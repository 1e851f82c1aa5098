"""Units of text that are coded in one go, or compared in agreement: a speaker turn, a
sentence, a paragraph, a whole form comment.

Sentences come from the language pipeline (qualcode.nlp.segment), loaded only when asked for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from qualcode.core.locations import Locator
from qualcode.core.model import Turn
from qualcode.errors import InvalidOperation

BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) narrowed so that it neither starts nor ends with whitespace; None if empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def paragraph_bounds(text: str, offset: int) -> tuple[int, int] | None:
    """The paragraph (block between blank lines) that holds `offset`, trimmed of whitespace.

    An offset at the end of a paragraph's last line belongs to it; None on a blank line.
    """
    offset = max(0, min(offset, len(text)))
    start, end = 0, len(text)
    for gap in BLANK_LINES.finditer(text):
        if gap.end() <= offset:
            start = gap.end()
        elif gap.start() < offset:
            return None
        else:
            end = gap.start()
            break
    return trimmed(text, start, end)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every paragraph (block between blank lines), trimmed of whitespace."""
    spans, start = [], 0
    for gap in BLANK_LINES.finditer(text):
        spans.append(trimmed(text, start, gap.start()))
        start = gap.end()
    spans.append(trimmed(text, start, len(text)))
    return [s for s in spans if s]


NATURAL_UNITS = ("turn", "sentence", "paragraph", "field")
HIT_UNITS = ("word", *NATURAL_UNITS)  # what a found passage can be coded as


class UnitsMixin:
    def unit_spans(self, unit: str, sources=None) -> dict[int, list[tuple[int, int]]]:
        """Natural units per source id: speaker turns, sentences, paragraphs, or (field) the
        whole text of each form comment. Sources without such units are left out; `sources`
        (ids) limits the sources (default: all)."""
        if unit not in NATURAL_UNITS:
            raise InvalidOperation(f"unit {unit!r} is not one of {', '.join(NATURAL_UNITS)}")
        wanted = None if sources is None else {int(s) for s in sources}
        out: dict[int, list[tuple[int, int]]] = {}
        if unit == "turn":
            for sid, start, end in self.conn.execute(
                    'SELECT source_id, start, "end" FROM turns ORDER BY source_id, start'):
                if wanted is None or sid in wanted:
                    out.setdefault(sid, []).append((start, end))
            return out
        kinds = " WHERE kind = 'form_field'" if unit == "field" else ""
        for sid, text in self.conn.execute(f"SELECT id, text FROM sources{kinds}"):
            if wanted is not None and sid not in wanted:
                continue
            if unit == "field":
                spans = [s for s in [trimmed(text, 0, len(text))] if s]
            elif unit == "paragraph":
                spans = paragraphs(text)
            else:
                from qualcode.nlp.segment import sentences  # loads spaCy: only when asked

                spans = sentences(text)
            if spans:
                out[sid] = spans
        return out

    def turn_at(self, source, offset: int) -> Turn | None:
        """The speaker turn that holds `offset`; on a line whose turn starts after a speaker
        label (e.g. the cursor on "IP:"), that line's turn; just after a turn's last character
        (the cursor at the end of its line), that turn. None outside every turn."""
        src = self.source(source)
        return Locator(src.text, self._turns_of(src.id)).turn(offset)

    def paragraph_span(self, source, offset: int) -> tuple[int, int] | None:
        """(start, end) of the paragraph holding `offset`: text between blank lines, trimmed."""
        return paragraph_bounds(self.source(source).text, offset)

    def sentence_span(self, source, offset: int) -> tuple[int, int] | None:
        """(start, end) of the sentence holding `offset` (Norwegian rules: abbreviations such
        as "f.eks." do not end one, a speaker label starts one). None on an empty line."""
        from qualcode.nlp.segment import sentence_at  # loads spaCy: only when first asked

        return sentence_at(self.source(source).text, offset)

    def warm_up_sentences(self) -> None:
        """Load the sentence pipeline now (about a second), e.g. in the background before the
        first sentence is asked for."""
        from qualcode.nlp.segment import pipeline

        pipeline()

    def unit_around(self, source, start: int, end: int, unit: str) -> tuple[int, int] | None:
        """The span of `unit` around text[start:end]: the words themselves ("word"), or the
        sentence, speaker turn, paragraph or whole text ("field", e.g. a form comment) that
        holds them. None when there is no such unit there (a turn in a text without speakers)."""
        if unit == "word":
            return start, end
        if unit == "sentence":
            first, last = self.sentence_span(source, start), self.sentence_span(source, end - 1)
            if first is None or last is None:
                return None
            return min(first[0], start), max(last[1], end)
        if unit == "turn":
            turn = self.turn_at(source, start)
            return (turn.start, turn.end) if turn and turn.end >= end else None
        if unit == "paragraph":
            text = self.source(source).text
            span = paragraph_bounds(text, start)
            return (span[0], max(span[1], end)) if span else None
        if unit == "field":
            return self.whole_span(source)
        raise InvalidOperation(f"unit {unit!r} is not one of {', '.join(HIT_UNITS)}")

    def whole_span(self, source) -> tuple[int, int] | None:
        """(start, end) of a source's whole text without surrounding whitespace, e.g. a whole
        form comment. None for a source that holds only whitespace."""
        text = self.source(source).text
        return trimmed(text, 0, len(text))

    def source_coding_counts(self, coders: Iterable[str] | None = None) -> dict[int, int]:
        """Number of codings per source id (sources without codings are left out), of the
        coders named (default: every coder's; in blind mode, as the terminal UI counts, only
        yours: see `_counted_coders`)."""
        names = self._counted_coders(coders)
        if names is None:
            return {r[0]: r[1] for r in self.conn.execute(
                "SELECT source_id, count(*) FROM codings GROUP BY source_id")}
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT source_id, count(*) FROM codings WHERE coder_id IN (SELECT id FROM coders "
            "WHERE name IN (SELECT value FROM json_each(?))) GROUP BY source_id",
            [json.dumps(names)])}
