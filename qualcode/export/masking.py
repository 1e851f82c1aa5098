"""What an export must never print: national identity numbers.

Any 11-digit number (also written "ddmmyy nnnnn", "ddmmyy-nnnnn" and so on, see core.pii) whose two mod-11 check digits are right is
masked, whether or not its first six digits form a date: a report is the wrong place to take a
chance. Names masked at import as `[navn]` are plain text and stay as they are.
"""

from __future__ import annotations

import re

from qualcode.core.pii import CANDIDATE, candidate_digits, checksum_valid

MASK = "[fødselsnummer]"
DIGIT = re.compile(r"\d")  # no digit, nothing CANDIDATE could match (a quick test per excerpt)


def mask_identity_numbers(text: str) -> str:
    if not text or not DIGIT.search(text):
        return text
    return CANDIDATE.sub(
        lambda m: MASK if checksum_valid(candidate_digits(m)) else m.group(0), text)
