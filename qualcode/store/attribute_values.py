"""How an attribute value is stored: a type name beside SQLite's own value.

One pair of functions for every reader and writer, so a date set from Python comes back a date
whether the core or an analysis reads it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def encode(value: Any) -> tuple[str, Any]:
    """(type, stored value) of an attribute value given in Python."""
    if isinstance(value, bool):
        return "bool", int(value)
    if isinstance(value, int | float):
        return "number", value
    if isinstance(value, dt.datetime | dt.date):
        return "date", value.isoformat()
    return "text", str(value)


def decode(kind: str, value: Any) -> Any:
    """The Python value of a stored attribute."""
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if kind == "date":
        text = str(value)
        return dt.date.fromisoformat(text) if len(text) <= 10 else dt.datetime.fromisoformat(text)
    return value
