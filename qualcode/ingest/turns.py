"""Speaker turns: labels such as "I:", "IP:" or "Veileder 2:" at the start of a paragraph or line.

A turn runs from the first character after its label to the end of the last paragraph before
the next label. Paragraphs that belong to nobody (an observer's preamble before the first label,
or an observer's note wholly in brackets on its own line, `[latter]`, `(Notat: ...)`) form turns
without a speaker, so that the turns of a labelled text cover all its paragraphs. A text without
any label has no turns.

Which labels count (docs/importing.md): labels the user names start a turn wherever they begin a
line. Of the default set, a label counts in a text only if it begins at least two of its lines
(`Veileder 1` and `Veileder 2` are both `Veileder`): a report with one line `i: Austin et al.
2006` is prose, not an interview whose interviewer speaks for the remaining 68,000 characters.
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
RECUR = 2
"""A default label starts turns in a text only if it begins at least this many lines."""


def label_pattern(labels: Iterable[str] = DEFAULT_LABELS) -> re.Pattern[str]:
    names = sorted({label.strip().rstrip(":") for label in labels if label.strip()},
                   key=len, reverse=True)
    if not names:
        raise ValueError("no speaker labels given")
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"[ \t]*{_TIMESTAMP}(?P<speaker>(?:{alternatives})(?: ?\d{{1,2}})?)"
                      r"[ \t]*:\s*", re.IGNORECASE)


DEFAULT_PATTERN = label_pattern(DEFAULT_LABELS)


def find_turns(text: str, labels: Iterable[str] | re.Pattern[str] | None = None
               ) -> list[tuple[str | None, int, int]]:
    """(speaker, start, end) for each turn of `text` (newlines already normalised to \\n).
    `labels`: the speaker labels the user named, each starting a turn wherever it begins a
    line; None: the default set, of which only labels that recur count (see `lone_labels`)."""
    if labels is None:
        pattern = _recurring(text)
        if pattern is None:
            return []
    else:
        pattern = labels if isinstance(labels, re.Pattern) else label_pattern(labels)
    turns: list[list] = []  # [speaker, start, end]
    pending: str | None = None  # a label alone in its paragraph, speech in the next one
    speaker: str | None = None  # the last speaker, who goes on speaking after a note
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
        elif not turns or _is_note(body):  # a preamble or a note: nobody's turn
            if turns and turns[-1][0] is None:
                turns[-1][2] = end
            else:
                turns.append([None, start, end])
        elif turns[-1][0] is None and _is_note(text[turns[-1][1]:turns[-1][2]]) and \
                speaker is not None:
            turns.append([speaker, start, end])  # speech goes on after the note
        else:
            turns[-1][2] = end  # a turn continues over several paragraphs
        if label:
            speaker = label.group("speaker")
        if not label:
            pending = None
    if all(t[0] is None for t in turns):
        return []
    return [(speaker, start, end) for speaker, start, end in turns]


def lone_labels(text: str) -> list[tuple[str, int]]:
    """Default labels that begin only one line of `text`, so start no turn: (label as written,
    line number), for the import to mention."""
    found = _label_lines(text, DEFAULT_PATTERN)
    return [(lines[0][1], lines[0][0]) for lines in found.values() if len(lines) < RECUR]


def _recurring(text: str) -> re.Pattern[str] | None:
    """The pattern of the default labels that begin at least RECUR lines of `text`."""
    found = _label_lines(text, DEFAULT_PATTERN)
    recurring = [family for family, lines in found.items() if len(lines) >= RECUR]
    if not recurring:
        return None
    return DEFAULT_PATTERN if len(recurring) == len(found) else label_pattern(recurring)


def _label_lines(text: str, pattern: re.Pattern[str]) -> dict[str, list[tuple[int, str]]]:
    """Label family ("Veileder" for "Veileder 2", case-folded) -> (line number, label) of each
    line it begins."""
    found: dict[str, list[tuple[int, str]]] = {}
    for number, line in enumerate(text.split("\n"), 1):
        label = pattern.match(line)
        if label:
            family = re.sub(r" ?\d{1,2}$", "", label.group("speaker")).casefold()
            found.setdefault(family, []).append((number, label.group("speaker")))
    return found


def _blocks(text: str, pattern: re.Pattern[str]) -> Iterable[tuple[int, str]]:
    """(offset, text) of each paragraph, split again before every later line that starts with
    a label (transcripts often give one turn per line, without blank lines between them), and
    around a line that is a note in brackets."""
    for para in _PARAGRAPH.finditer(text):
        cuts, start, previous_note = [para.start()], para.start(), False
        while start < para.end():
            stop = text.find("\n", start, para.end())
            stop = para.end() if stop == -1 else stop
            note = _is_note(text[start:stop])
            if start > para.start() and (note or previous_note
                                         or pattern.match(text, start, para.end())):
                cuts.append(start)
            start, previous_note = stop + 1, note
        for a, b in zip(cuts, cuts[1:] + [para.end()], strict=True):
            yield a, text[a:b]


def _is_note(paragraph: str) -> bool:
    """Wholly in one pair of brackets: `[latter i salen]`, `(Notat: kommer for sent)`."""
    body = paragraph.strip()
    for opening, closing in ("[]", "()"):
        if body.startswith(opening) and body.endswith(closing) and len(body) > 2 and \
                closing not in body[1:-1]:
            return True
    return False
