"""Which lines of an old text are where in a new one: a diff that stays fast on long texts.

difflib compares every line with every other (8,000 paragraphs took minutes). This is a
patience diff: lines are matched by their content (hashed in a dict), lines that occur once in
both texts anchor the match, the longest run of anchors in the same order is kept, and equal
neighbours grow each anchor; the gaps between anchors are matched again the same way. The result
has difflib's opcode form, (tag, i1, i2, j1, j2).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

Opcode = tuple[str, int, int, int, int]


def line_opcodes(old: Sequence[str], new: Sequence[str]) -> list[Opcode]:
    """difflib.SequenceMatcher(None, old, new).get_opcodes() in spirit, in O(n log n)."""
    pairs = _matched_pairs(old, new)
    opcodes: list[Opcode] = []
    i = j = 0
    for a, b in [*pairs, (len(old), len(new))]:
        if a > i or b > j:
            tag = "replace" if a > i and b > j else "delete" if a > i else "insert"
            opcodes.append((tag, i, a, j, b))
        if a < len(old):
            if opcodes and opcodes[-1][0] == "equal" and opcodes[-1][2] == a:
                _, i1, _, j1, _ = opcodes.pop()
                opcodes.append(("equal", i1, a + 1, j1, b + 1))
            else:
                opcodes.append(("equal", a, a + 1, b, b + 1))
        i, j = a + 1, b + 1
    return opcodes


def _matched_pairs(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) with old[i] == new[j], increasing in both, found gap by gap."""
    pairs: list[tuple[int, int]] = []
    gaps = [(0, len(old), 0, len(new))]
    while gaps:
        lo_a, hi_a, lo_b, hi_b = gaps.pop()
        anchors = _anchors(old, new, lo_a, hi_a, lo_b, hi_b)
        if not anchors:
            continue
        pairs += anchors
        # the stretches between anchors are matched again on their own (lines unique there)
        bounds = [(lo_a - 1, lo_b - 1), *anchors, (hi_a, hi_b)]
        for (a0, b0), (a1, b1) in pairwise(bounds):
            if a1 - a0 > 1 and b1 - b0 > 1:
                gaps.append((a0 + 1, a1, b0 + 1, b1))
    return sorted(pairs)


def _anchors(old, new, lo_a, hi_a, lo_b, hi_b) -> list[tuple[int, int]]:
    """Matched pairs within one stretch: equal ends, unique lines in order, grown both ways."""
    pairs = []
    while lo_a < hi_a and lo_b < hi_b and old[lo_a] == new[lo_b]:
        pairs.append((lo_a, lo_b))
        lo_a, lo_b = lo_a + 1, lo_b + 1
    tail = []
    while lo_a < hi_a and lo_b < hi_b and old[hi_a - 1] == new[hi_b - 1]:
        hi_a, hi_b = hi_a - 1, hi_b - 1
        tail.append((hi_a, hi_b))
    if pairs or tail:
        return pairs + tail[::-1]  # the middle is a new gap for the caller
    counts_a = Counter(old[lo_a:hi_a])
    counts_b = Counter(new[lo_b:hi_b])
    where_b = {line: j for j, line in enumerate(new[lo_b:hi_b], lo_b) if counts_b[line] == 1}
    unique = [(i, where_b[line]) for i, line in enumerate(old[lo_a:hi_a], lo_a)
              if counts_a[line] == 1 and line in where_b]
    kept = _longest_increasing(unique)
    grown: list[tuple[int, int]] = []
    for n, (a, b) in enumerate(kept):  # grow each anchor over equal neighbours (blank lines)
        low_a, low_b = grown[-1] if grown else (lo_a - 1, lo_b - 1)
        back = []
        i, j = a - 1, b - 1
        while i > low_a and j > low_b and old[i] == new[j]:
            back.append((i, j))
            i, j = i - 1, j - 1
        grown += back[::-1]
        grown.append((a, b))
        next_a, next_b = kept[n + 1] if n + 1 < len(kept) else (hi_a, hi_b)
        i, j = a + 1, b + 1
        while i < next_a and j < next_b and old[i] == new[j]:
            grown.append((i, j))
            i, j = i + 1, j + 1
    return grown


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of pairs (sorted by i) whose j also increase (patience sort)."""
    tops: list[int] = []  # smallest j ending an increasing run of each length
    ends: list[int] = []  # index into pairs of that run's last pair
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        n = bisect_left(tops, j)
        if n == len(tops):
            tops.append(j)
            ends.append(k)
        else:
            tops[n], ends[n] = j, k
        back.append(ends[n - 1] if n else -1)
    run, k = [], ends[-1] if ends else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    return run[::-1]
