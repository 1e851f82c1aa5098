"""Cell values as Norwegian Excel writes them: checkboxes, decimal commas, dd.mm.yyyy dates.

Each converter takes a CSV string or a typed XLSX cell and returns a Python value, or raises
`BadValue` with a message; the reader adds file, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from qualcode.store.attribute_values import FALSE_WORDS, TRUE_WORDS, value_text

CHECKBOX: dict[str, bool] = {**{w: True for w in TRUE_WORDS}, **{w: False for w in FALSE_WORDS}}
CHECKBOX.update({w.upper(): v for w, v in list(CHECKBOX.items())})
CHECKBOX.update({w.capitalize(): v for w, v in list(CHECKBOX.items())})
EXCEL_EPOCH = dt.date(1899, 12, 30)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


class BadValue(ValueError):
    """A cell that cannot be read as the type its column needs."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def checkbox(value: Any) -> bool:
    """1/0, x/blank, ja/nei, true/false (any case) and Excel booleans."""
    if isinstance(value, str):
        found = CHECKBOX.get(value)
        if found is None:
            found = CHECKBOX.get(value.strip().lower())
        if found is not None:
            return found
    elif value is None:
        return False
    elif isinstance(value, bool):
        return value
    elif isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    raise BadValue(f"{value!r} is not a checkbox value (use 1/0, x/blank, ja/nei or "
                   "true/false)")


def number(value: Any) -> float | None:
    """A number with a decimal comma or point; blank is None."""
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if _NUMBER.fullmatch(text):
            return float(text.replace(",", "."))
        raise BadValue(f"{value!r} is not a number")
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadValue(f"{value!r} is not a number")
    if isinstance(value, int | float):
        return float(value)
    raise BadValue(f"{value!r} is not a number")


def date(value: Any) -> dt.date | None:
    """dd.mm.yyyy, yyyy-mm-dd, an Excel date cell or an Excel serial number; blank is None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise BadValue(f"{value!r} is not a date")
    text = str(value).strip()
    if not text:
        return None
    m = _DOTTED.fullmatch(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if len(m.group(3)) == 2:
            year += 2000 if year < 70 else 1900
    elif m := _ISO.fullmatch(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        raise BadValue(f"{text!r} is not a date (write dd.mm.yyyy or yyyy-mm-dd)")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise BadValue(f"{text!r} is not a valid date ({exc})") from exc


def text(value: Any) -> str:
    """A cell as text: numbers without a needless ".0", dates as ISO, blank as "" (the text
    form of an attribute value, store.attribute_values.value_text)."""
    return value_text(value)


def typed(value: Any) -> Any:
    """A cell as the most specific Python value: int, float, date, bool or text.

    Used for attribute sheets, where a column has no declared type.
    """
    if isinstance(value, bool | int | dt.date):
        return value.date() if isinstance(value, dt.datetime) and value.time() == dt.time() \
            else value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    value = text(value)
    if not value:
        return None
    if re.fullmatch(r"[+-]?\d+", value) and not (len(value) > 1 and value.startswith("0")):
        return int(value)
    if _NUMBER.fullmatch(value) and ("," in value or "." in value):
        return float(value.replace(",", "."))
    lowered = value.lower()
    if lowered in ("ja", "nei", "true", "false"):
        return lowered in ("ja", "true")
    if _DOTTED.fullmatch(value) or _ISO.fullmatch(value):
        return date(value)  # "31.02.2012" is an error, not a piece of text
    return value
