"""Speaker turns: labels such as "I:", "IP:" or "Veileder 2:" at the start of a paragraph or line.

A turn runs from the first character after its label to the end of the last paragraph before
the next label. Paragraphs that belong to nobody (an observer's preamble before the first label,
or an observer's note wholly in square brackets) form turns without a speaker, so that the turns
of a labelled text cover all its paragraphs. A text without any label has no turns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DEFAULT_LABELS: tuple[str, ...] = (
    "I", "IP", "K", "Intervjuer", "Informant", "Veileder", "Kursholder", "Deltaker", "Leder",
    "Moderator",
)
"""Speaker labels recognised by default; each may carry a number ("Veileder 2", "IP1")."""

# An optional timestamp before the label: [00:12:31], (12:31) or a bare 00:12:31.
_TIMESTAMP = (r"(?:(?:[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]"
              r"|\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?)\s*)?")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*")  # text between blank lines
_NEWLINE = re.compile(r"\n")


def label_pattern(labels: Iterable[str] = DEFAULT_LABELS) -> re.Pattern[str]:
    names = sorted({label.strip().rstrip(":") for label in labels if label.strip()},
                   key=len, reverse=True)
    if not names:
        raise ValueError("no speaker labels given")
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"[ \t]*{_TIMESTAMP}(?P<speaker>(?:{alternatives})(?: ?\d{{1,2}})?)"
                      r"[ \t]*:\s*", re.IGNORECASE)


def find_turns(text: str, labels: Iterable[str] | re.Pattern[str] = DEFAULT_LABELS
               ) -> list[tuple[str | None, int, int]]:
    """(speaker, start, end) for each turn of `text` (newlines already normalised to \\n)."""
    pattern = labels if isinstance(labels, re.Pattern) else label_pattern(labels)
    turns: list[list] = []  # [speaker, start, end]
    pending: str | None = None  # a label alone in its paragraph, speech in the next one
    for offset, block in _blocks(text, pattern):
        body = block.rstrip()
        if not body.strip():
            continue
        lead = len(body) - len(body.lstrip())
        start, end = offset + lead, offset + len(body)
        label = pattern.match(body)
        if label and label.end() < len(body):
            turns.append([label.group("speaker"), offset + label.end(), end])
        elif label:
            pending = label.group("speaker")
        elif pending is not None:
            turns.append([pending, start, end])
        elif not turns or _is_note(body):
            if turns and turns[-1][0] is None:
                turns[-1][2] = end
            else:
                turns.append([None, start, end])
        else:
            turns[-1][2] = end  # a turn continues over several paragraphs
        if not label:
            pending = None
    if all(t[0] is None for t in turns):
        return []
    return [(speaker, start, end) for speaker, start, end in turns]


def _blocks(text: str, pattern: re.Pattern[str]) -> Iterable[tuple[int, str]]:
    """(offset, text) of each paragraph, split again before every later line that starts with
    a label: transcripts often give one turn per line, without blank lines between them."""
    for para in _PARAGRAPH.finditer(text):
        cuts = [para.start()] + [
            line.end() for line in _NEWLINE.finditer(text, para.start(), para.end())
            if pattern.match(text, line.end(), para.end())]
        for a, b in zip(cuts, cuts[1:] + [para.end()], strict=True):
            yield a, text[a:b]


def _is_note(paragraph: str) -> bool:
    body = paragraph.strip()
    return body.startswith("[") and body.endswith("]") and "]" not in body[1:-1]
