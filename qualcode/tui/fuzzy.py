"""Finding a code by typing part of its path or of its English label.

Each word typed must match the code's own name or English label, or a name or label on its
path: as a substring (best at the start of a word), else as letters in order inside one word
("opl" finds "opplæring"). Matches on the code itself beat matches on its parents, so typing
"tid" lists the code "tid" before the codes under a parent called "tidlig fase".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualcode.core import Code

TERM_SPLIT = re.compile(r"[\s/›>]+")
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Candidate:
    code: Code
    own: str  # the code's name and English label, lower case
    path: str  # names and English labels of its parents, lower case

    @property
    def own_words(self) -> list[str]:
        return WORD.findall(self.own)

    @property
    def path_words(self) -> list[str]:
        return WORD.findall(self.path)


def candidates(codes: Sequence[Code]) -> list[Candidate]:
    by_id = {c.id: c for c in codes}
    out = []
    for code in codes:
        parents, parent_id = [], code.parent_id
        while parent_id is not None and parent_id in by_id:
            parent = by_id[parent_id]
            parents.append(f"{parent.name} {parent.en or ''}")
            parent_id = parent.parent_id
        out.append(Candidate(code, f"{code.name} {code.en or ''}".lower(),
                             " ".join(parents).lower()))
    return out


def _in_order(term: str, word: str) -> bool:
    position = 0
    for letter in term:
        position = word.find(letter, position) + 1
        if position == 0:
            return False
    return True


def _term_score(term: str, own: str, path: str, own_words: list[str],
                path_words: list[str]) -> float:
    for text, weight in ((own, 2.0), (path, 1.0)):
        at = text.find(term)
        if at != -1:
            at_word_start = at == 0 or not text[at - 1].isalnum()
            return weight * (2.0 if at_word_start else 1.5)
    if len(term) < 2:
        return 0.0
    for words, weight in ((own_words, 2.0), (path_words, 1.0)):
        if any(_in_order(term, w) for w in words):
            return weight * 0.5
    return 0.0


def score(query: str, candidate: Candidate) -> float:
    """0 when some word of the query matches nowhere; higher is a better match."""
    terms = [t for t in TERM_SPLIT.split(query.lower()) if t]
    if not terms:
        return 1.0
    own_words, path_words = candidate.own_words, candidate.path_words
    total = 0.0
    for term in terms:
        found = _term_score(term, candidate.own, candidate.path, own_words, path_words)
        if not found:
            return 0.0
        total += found
    name = candidate.code.name.lower()
    exact = 2.0 if query.strip().lower() in (name, (candidate.code.en or "").lower()) else 0.0
    return total / len(terms) + exact - 0.01 * candidate.code.depth


def rank(query: str, pool: Iterable[Candidate]) -> list[Candidate]:
    """The candidates that match, best first (ties keep tree order)."""
    scored = [(score(query, c), i, c) for i, c in enumerate(pool)]
    return [c for s, _, c in sorted((t for t in scored if t[0] > 0),
                                    key=lambda t: (-t[0], t[1]))]
