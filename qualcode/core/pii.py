"""Norwegian national identity numbers (fødselsnummer, D-nummer).

Research data must not carry them: imports warn (or refuse) when they find one, exports mask
any number with valid check digits. Both use the checks here. A number counts when its 11 digits form a real date
(ddmmyy; a D-number adds 4 to the first digit) and both mod-11 check digits are right, which
keeps false alarms from other 11-digit numbers (phone numbers, account numbers) rare.

People (and Word) write the number in other ways: "ddmmyy nnnnn" with a non-breaking space, two
spaces, a hyphen or a dot between the parts, or in full-width digits. Digits of any script are
read as the digits they are, and one such separator is allowed between the parts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# 11 digits (\d: of any script), optionally split 6 + 5 by up to two spaces of any kind (not a
# line break) or by a hyphen, dash or dot (spaces around it allowed), not inside a longer number.
SEPARATOR = r"(?:[^\S\n]{1,2}|[^\S\n]?[-.\u2010\u2011\u2012\u2013\u2212][^\S\n]?)?"
CANDIDATE = re.compile(rf"(?<!\d)(\d{{6}}){SEPARATOR}(\d{{5}})(?!\d)")


def candidate_digits(match: re.Match) -> str:
    """The 11 digits of a CANDIDATE match as ASCII (full-width "１" counts as "1")."""
    return "".join(str(unicodedata.decimal(c)) for c in match.group(1) + match.group(2))


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    line: int
    column: int
    masked: str  # the birth date part and asterisks: never print the whole number

    def where(self) -> str:
        return f"line {self.line}, column {self.column}"


def check_digits(first_nine: str) -> str | None:
    """The two mod-11 check digits for nine digits, or None if no valid pair exists."""
    digits = [int(c) for c in first_nine]
    k1 = 11 - sum(w * d for w, d in zip(WEIGHTS_1, digits, strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10:
        return None
    digits.append(k1)
    k2 = 11 - sum(w * d for w, d in zip(WEIGHTS_2, digits, strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    if k2 == 10:
        return None
    return f"{k1}{k2}"


def checksum_valid(number: str) -> bool:
    """True if 11 digits end in the two mod-11 check digits (whatever the first six are)."""
    return (len(number) == 11 and number.isascii() and number.isdigit()
            and check_digits(number[:9]) == number[9:])


def is_fodselsnummer(number: str) -> bool:
    """True for a checksum-valid fødselsnummer or D-number (11 digits, no spaces)."""
    if len(number) != 11 or not number.isascii() or not number.isdigit():
        return False
    day, month = int(number[0:2]), int(number[2:4])
    if day > 40:  # D-number: 4 added to the first digit
        day -= 40
    if not (1 <= month <= 12 and 1 <= day <= DAYS_IN_MONTH[month - 1]):
        return False
    return check_digits(number[:9]) == number[9:]


def find_fodselsnummer(text: str) -> list[Finding]:
    found = []
    for m in CANDIDATE.finditer(text):
        number = candidate_digits(m)
        if is_fodselsnummer(number):
            line = text.count("\n", 0, m.start()) + 1
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            found.append(Finding(m.start(), m.end(), line, column, number[:6] + "*****"))
    return found
