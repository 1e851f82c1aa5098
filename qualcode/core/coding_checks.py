"""The rules every coding keeps, checked for a whole batch at once.

One query per source (its length and the codings already on it), one for the codes, one for the
coders and one for the exclusive groups, whatever the size of the batch: an import of 160,000
codings costs a few thousand queries, not hundreds of thousands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from qualcode.core.model import NewCoding
from qualcode.errors import InvalidOperation

CHUNK = 500  # ids per IN (...) clause


class CodingChecker:
    """Sorts a batch of new codings into accepted and rejected (with the reason for each).

    `code_path(id)` names a code in messages. Duplicates count against the codings already in
    the project and against earlier items of the batch; with `skip_existing`, a duplicate is
    dropped silently instead of rejected.
    """

    def __init__(self, conn, code_path: Callable[[int], str], *, skip_existing: bool = False):
        self.conn = conn
        self.code_path = code_path
        self.skip_existing = skip_existing

    def check(self, items: Sequence[NewCoding]) -> tuple[list[int], dict[int, str]]:
        """(indexes of accepted items in input order, {index of rejected item: reason})."""
        sources = self._sources({c.source_id for c in items})
        codes = self._codes({c.code_id for c in items})
        coders = self._coders({c.coder_id for c in items})
        exclusive = self._exclusive_groups()  # ({code id: [group ids]}, {group id: name})
        by_source: dict[int, list[int]] = defaultdict(list)
        rejected: dict[int, str] = {}
        for i, c in enumerate(items):
            reason = self._basic(c, sources, codes, coders)
            if reason:
                rejected[i] = reason
            else:
                by_source[c.source_id].append(i)
        accepted: list[int] = []
        for source_id, indexes in by_source.items():
            accepted += self._check_source(source_id, sources[source_id][0], indexes, items,
                                           exclusive, rejected)
        accepted.sort()
        return accepted, rejected

    # -- one item on its own --------------------------------------------------------------------
    def _basic(self, c: NewCoding, sources, codes, coders) -> str | None:
        if not (_whole(c.start) and _whole(c.end)):
            return "start and end must be whole numbers"
        if c.start >= c.end:
            return f"empty span: start {c.start} is not before end {c.end}"
        if c.source_id not in sources:
            return f"no source with id {c.source_id}"
        name, length = sources[c.source_id]
        if c.start < 0 or c.end > length:
            return f"span {c.start}-{c.end} is outside {name!r} (0-{length})"
        if c.code_id not in codes:
            return f"no code with id {c.code_id}"
        if not codes[c.code_id]:
            return f"{self.code_path(c.code_id)!r} is a category and cannot be applied"
        if c.coder_id not in coders:
            return f"no coder with id {c.coder_id}"
        return None

    # -- one source: duplicates and exclusive groups ----------------------------------------------
    def _check_source(self, source_id: int, name: str, indexes: list[int], items, exclusive,
                      rejected: dict[int, str]) -> list[int]:
        existing = self.conn.execute(
            'SELECT code_id, coder_id, start, "end" FROM codings WHERE source_id = ?',
            [source_id]).fetchall()
        taken = {tuple(r) for r in existing}
        kept = []
        for i in indexes:
            c = items[i]
            spot = (c.code_id, c.coder_id, c.start, c.end)
            if spot in taken:
                if not self.skip_existing:
                    rejected[i] = (f"{name!r} [{c.start}:{c.end}] is already coded "
                                   f"{self.code_path(c.code_id)!r} by this coder")
                continue
            taken.add(spot)
            kept.append(i)
        member_of, group_names = exclusive
        if not member_of:
            return kept
        # Per (coder, group): the spans of the group's codes, old and new, swept in text order.
        # A new span overlapping a span of another member of the group is rejected (of two new
        # ones, the one starting later).
        buckets: dict[tuple[int, int], list[tuple[int, int, int, int]]] = defaultdict(list)
        coders = {items[i].coder_id for i in kept}
        for code_id, coder_id, start, end in existing:
            if coder_id in coders:
                for group in member_of.get(code_id, ()):
                    buckets[coder_id, group].append((start, end, code_id, -1))
        for i in kept:
            c = items[i]
            for group in member_of.get(c.code_id, ()):
                buckets[c.coder_id, group].append((c.start, c.end, c.code_id, i))
        clashing = {}
        for (_, group), spans in buckets.items():
            if any(i >= 0 for *_, i in spans):
                self._sweep(sorted(spans), group_names[group], name, items, clashing)
        rejected.update(clashing)
        return [i for i in kept if i not in clashing]

    def _sweep(self, spans, group_name: str, name: str, items, clashing: dict[int, str]) -> None:
        active: list[tuple[int, int, int, int]] = []
        for span in spans:
            start, end, code, i = span
            if i in clashing:
                continue  # already refused in another group
            active = [a for a in active if a[1] > start]
            other = next((a for a in active if a[2] != code), None)
            if other is None or (i < 0 and other[3] < 0):
                active.append(span)
                continue
            refused, kept = (span, other) if i >= 0 else (other, span)
            clashing[refused[3]] = self._clash(items[refused[3]], kept, group_name, name)
            if refused is other:
                active.remove(other)
                active.append(span)

    def _clash(self, c: NewCoding, other, group_name: str, name: str) -> str:
        this, that = (self.code_path(c.code_id).rsplit("/", 1)[-1],
                      self.code_path(other[2]).rsplit("/", 1)[-1])
        return (f"{this!r} and {that!r} are exclusive ({group_name}), and [{other[0]}:{other[1]}] "
                f"of {name!r} overlapping [{c.start}:{c.end}] is already coded {that!r}; "
                "remove that coding first")

    # -- look-ups, one query per kind ---------------------------------------------------------
    def _sources(self, ids: set[int]) -> dict[int, tuple[str, int]]:
        found = {}
        for chunk in _chunks(ids):
            for row in self.conn.execute(
                    "SELECT id, name, length(text), instr(text, char(0)) FROM sources "
                    f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
                length = row[2]
                if row[3]:  # SQLite's length() stops at a NUL character; Python's len does not
                    length = len(self.conn.execute("SELECT text FROM sources WHERE id = ?",
                                                   [row[0]]).fetchone()[0])
                found[row[0]] = (row[1], length)
        return found

    def _codes(self, ids: set[int]) -> dict[int, bool]:
        return {r[0]: bool(r[1]) for chunk in _chunks(ids) for r in self.conn.execute(
            f"SELECT id, codable FROM codes WHERE id IN ({', '.join('?' * len(chunk))})", chunk)}

    def _coders(self, ids: set[int]) -> set[int]:
        return {r[0] for chunk in _chunks(ids) for r in self.conn.execute(
            f"SELECT id FROM coders WHERE id IN ({', '.join('?' * len(chunk))})", chunk)}

    def _exclusive_groups(self) -> tuple[dict[int, list[int]], dict[int, str]]:
        """{code id: [group ids]} for members of exclusive groups, and {group id: name}."""
        member_of: dict[int, list[int]] = defaultdict(list)
        names = {}
        for code_id, group_id, group_name in self.conn.execute(
                "SELECT m.code_id, g.id, g.name FROM code_group_members m "
                "JOIN code_groups g ON g.id = m.group_id WHERE g.exclusive"):
            member_of[code_id].append(group_id)
            names[group_id] = group_name
        return dict(member_of), names


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _chunks(ids: set[int]) -> list[list[int]]:
    ordered = sorted(ids, key=lambda v: (not isinstance(v, int), str(v)))
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def first_reason(rejected: dict[int, str]) -> InvalidOperation:
    """The error for a batch that must be applied whole: the first item refused, in input order."""
    i = min(rejected)
    return InvalidOperation(rejected[i] if len(rejected) == 1 else
                            f"{rejected[i]} (and {len(rejected) - 1} more codings refused)")
