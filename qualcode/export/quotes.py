"""Quotes as a report prints them: «excerpt» (attribution).

The attribution is a template over the source's attributes, by default "{role}, {time}", giving
«…» (HPMT-veileder, T2). A field that is missing, or hidden for anonymity, disappears together
with the separator in front of it, so "{role}, {office}, {time}" without an office reads
"HPMT-veileder, T2".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from qualcode.export.masking import mask_identity_numbers
from qualcode.store.attribute_values import value_text

DEFAULT_ATTRIBUTION = "{role}, {time}"
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def fields_of(template: str) -> list[str]:
    return PLACEHOLDER.findall(template)


def show(value: Any) -> str | None:
    """A value as text, or None if there is nothing to show."""
    return value_text(value) or None


def attribution(template: str, values: Mapping[str, Any], hide: Iterable[str] = ()) -> str:
    """The template filled in from `values`; hidden and missing fields are left out."""
    hidden = set(hide)
    parts = PLACEHOLDER.split(template)  # literal, field, literal, field, ..., literal
    prefix, suffix = parts[0], parts[-1]
    shown = []
    for i in range(1, len(parts) - 1, 2):
        name, separator = parts[i], parts[i - 1] if i > 1 else ""
        value = None if name in hidden else show(values.get(name))
        if value is not None:
            shown.append((separator, value))
    if not shown:
        return ""
    text = shown[0][1] + "".join(sep + value for sep, value in shown[1:])
    return mask_identity_numbers(prefix + text + suffix)


def quote_text(excerpt: str) -> str:
    """The excerpt as quoted: trimmed, in «», identity numbers masked."""
    return f"«{mask_identity_numbers(excerpt.strip())}»"
