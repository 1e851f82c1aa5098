"""What an export must never print: national identity numbers.

Any 11-digit number (also written "ddmmyy nnnnn") whose two mod-11 check digits are right is
masked, whether or not its first six digits form a date: a report is the wrong place to take a
chance. Names masked at import as `[navn]` are plain text and stay as they are.
"""

from __future__ import annotations

import re

MASK = "[fødselsnummer]"
WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
CANDIDATE = re.compile(r"(?<!\d)(\d{6}) ?(\d{5})(?!\d)")


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int:
    k = 11 - sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
    return 0 if k == 11 else k


def checksum_valid(number: str) -> bool:
    """True if the 11 digits end in the two check digits of a fødselsnummer or D-number."""
    if len(number) != 11 or not number.isdigit():
        return False
    digits = [int(c) for c in number]
    k1 = _check_digit(digits[:9], WEIGHTS_1)
    k2 = _check_digit(digits[:10], WEIGHTS_2)
    return k1 < 10 and k2 < 10 and (k1, k2) == (digits[9], digits[10])


def mask_identity_numbers(text: str) -> str:
    if not text or not any(c.isdigit() for c in text):
        return text
    return CANDIDATE.sub(
        lambda m: MASK if checksum_valid(m.group(1) + m.group(2)) else m.group(0), text)
