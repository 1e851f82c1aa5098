"""Speaker turns: labels such as "I:", "IP:" or "Veileder 2:" at the start of a paragraph.

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
    for para in _PARAGRAPH.finditer(text):
        body = para.group().rstrip()
        if not body.strip():
            continue
        lead = len(body) - len(body.lstrip())
        start, end = para.start() + lead, para.start() + len(body)
        label = pattern.match(body)
        if label and label.end() < len(body):
            turns.append([label.group("speaker"), para.start() + label.end(), end])
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


def _is_note(paragraph: str) -> bool:
    body = paragraph.strip()
    return body.startswith("[") and body.endswith("]") and "]" not in body[1:-1]
