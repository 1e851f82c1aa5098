"""What a source's text may hold: a size limit and no control characters.

A text is stored once and quoted everywhere, so what would break a Word or XML export, or cut
an excerpt short (NUL), is kept out at the door. The Project API refuses such text, naming line
and column; the importers replace the characters and say so in their report: a vertical tab or
form feed (Word's line and page breaks in a saved .txt) becomes a line break, any other control
character is removed.

The size limit (20 million characters: some 15 books; a long interview is 100,000) guards against
a small file that unpacks to gigabytes. Raise it with `max_source_chars` on the Project,
`--max-chars` on the command line or QUALCODE_MAX_CHARS.
"""

from __future__ import annotations

import os
import re

DEFAULT_MAX_CHARS = 20_000_000
# C0 controls but tab and line breaks, DEL, lone surrogates, and the two non-characters: none
# of them can be written to XML (Word, REFI-QDA) and none is text anyone meant.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
AS_LINE_BREAK = {"\x0b": "\n", "\x0c": "\n"}


def default_max_chars() -> int:
    value = os.environ.get("QUALCODE_MAX_CHARS", "").replace("_", "").replace(",", "")
    return int(value) if value.isdigit() else DEFAULT_MAX_CHARS


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def control_character(text: str) -> str | None:
    """"control character '\\x1b' at line 3, column 7" for the first one, or None."""
    found = CONTROL.search(text)
    if found is None:
        return None
    line, column = position(text, found.start())
    return f"control character {found.group()!r} at line {line}, column {column}"


def too_long(text: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return (f"the text has {len(text):,} characters, more than the limit of {limit:,} "
            "(raise it with --max-chars or QUALCODE_MAX_CHARS if the text is meant to be "
            "this long)")


def without_control_characters(text: str) -> tuple[str, str | None]:
    """The text with control characters replaced, and a note saying what was replaced."""
    first = control_character(text)
    if first is None:
        return text, None
    count = len(CONTROL.findall(text))
    cleaned = xml_safe(text)
    return cleaned, (f"{count} control character{'s' if count != 1 else ''} replaced (vertical "
                     f"tab and form feed by a line break, others removed); the first: {first}")


def xml_safe(text: str) -> str:
    """The text as XML can hold it (for exports of text stored before the import rule)."""
    return CONTROL.sub(lambda m: AS_LINE_BREAK.get(m.group(), ""), text) \
        if CONTROL.search(text) else text
