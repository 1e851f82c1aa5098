"""Text that a spreadsheet would run as a formula is written so that it stays text.

A form comment, code name, coder name or memo starting with `=`, `+`, `-` or `@` becomes a live
formula when a CSV is opened in Excel (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`). As the OWASP
guidance on CSV injection says, such a text cell is prefixed with `'` in CSV. In XLSX every cell
has a type, so the text is kept as it is and written as a text cell, never a formula cell.
Numbers are numbers and are left alone (a negative number is not text starting with `-`).
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutral_text(value: Any) -> Any:
    """`value` made safe for a CSV cell: text a spreadsheet would evaluate gets a `'` first."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def neutral_frame(frame):
    """A copy of a DataFrame whose text cells and column names are safe for CSV."""
    frame = frame.copy()
    frame.columns = [neutral_text(c) for c in frame.columns]
    for col in frame.columns:
        column = frame[col]
        if column.dtype == object or str(column.dtype) in ("string", "str"):
            frame[col] = column.map(neutral_text)
    return frame


def text_not_formulas(sheet) -> None:
    """Turn every formula cell of an openpyxl sheet we wrote back into the text it was."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
