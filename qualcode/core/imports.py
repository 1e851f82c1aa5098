"""What importers need from the project: replacing a source's text without losing its codings,
quantitative measures tables, and cheap look-ups of what is already there."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from qualcode.core.bookmarks import LostBookmark, place_bookmark
from qualcode.core.textdiff import line_opcodes
from qualcode.core.textrules import control_character, too_long
from qualcode.core.util import counted, normalise_newlines, sha256
from qualcode.errors import InvalidOperation, NotFound
from qualcode.lazy import lazy_module
from qualcode.store import now

pd = lazy_module("pandas")
GUID_TABLES = ("codings", "sources", "cases", "codes", "coders", "memos", "code_groups")


@dataclass(frozen=True)
class LostCoding:
    coding_id: int
    code: str  # the code's path
    coder: str
    excerpt: str
    memo: str | None


@dataclass(frozen=True)
class TextReplacement:
    """The result of replacing a source's text: how many codings stayed, moved or were lost."""

    source: str
    kept: int = 0  # same offsets
    moved: int = 0  # same text found at another place
    lost: tuple[LostCoding, ...] = field(default_factory=tuple)
    bookmarks_kept: int = 0  # at their place or moved with their words
    lost_bookmarks: tuple[LostBookmark, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        kept = self.kept + self.moved
        line = (f"replaced the text of {self.source!r}: {kept} coding{'s' * (kept != 1)} kept "
                f"({self.moved} moved), {len(self.lost)} could not be kept")
        if self.bookmarks_kept or self.lost_bookmarks:
            line += (f"; {counted(self.bookmarks_kept, 'bookmark')} kept, "
                     f"{len(self.lost_bookmarks)} could not be kept")
        for c in self.lost:
            excerpt = c.excerpt if len(c.excerpt) <= 60 else c.excerpt[:57] + "..."
            line += (f"\n  lost coding {c.coding_id}: {c.code} by {c.coder} on {excerpt!r}"
                     + (" (with a memo)" if c.memo else ""))
        for b in self.lost_bookmarks:
            label = f" {b.label!r}" if b.label else ""
            line += f"\n  lost bookmark {b.bookmark_id}{label} by {b.coder} at line {b.line}"
        return line


@dataclass(frozen=True)
class MeasuresResult:
    dataset: str
    status: str  # "added", "unchanged" or "replaced"
    rows: int  # how many values the dataset holds now
    keys: int


class ImportsMixin:
    # -- look-ups -----------------------------------------------------------------------------
    def has_case(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM cases WHERE name = ?", [name]).fetchone() \
            is not None

    def form_keys_present(self, keys: Iterable[str]) -> set[str]:
        """Which of these form keys are already in the project."""
        return set(self._existing_form_keys([str(k) for k in keys]))

    def guids_in_use(self, kind: str, guids: Iterable[str]) -> set[str]:
        """Which of these GUIDs the project's `kind` ("codings", "sources", "cases", "codes",
        "coders", "memos", "code_groups") already has."""
        if kind not in GUID_TABLES:
            raise InvalidOperation(f"{kind!r} is not one of {', '.join(GUID_TABLES)}")
        guids, found = list(guids), set()
        for i in range(0, len(guids), 500):
            chunk = guids[i:i + 500]
            found |= {r[0] for r in self.conn.execute(
                f"SELECT guid FROM {kind} WHERE guid IN ({', '.join('?' * len(chunk))})", chunk)}
        return found

    def source_fingerprints(self) -> list[dict[str, Any]]:
        """id, guid, name, kind, origin and sha256 of every source, without the (large)
        texts."""
        return [dict(r) for r in self.conn.execute(
            "SELECT id, guid, name, kind, origin, sha256 FROM sources ORDER BY id")]

    # -- replacing a source's text ------------------------------------------------------------
    def replace_source_text(self, ref, text: str, *, turns=None, encoding: str | None = None,
                            origin: str | None = None) -> TextReplacement:
        """Give a source a new text (e.g. a corrected transcript) as one undoable change.

        Each coding moves to where its exact text is found in the new text (the occurrence
        nearest to where that part of the old text went; runs of whitespace may differ);
        codings whose text is gone are deleted and reported. Bookmarks move with the words
        after (else before) them; those whose words are gone are deleted and reported too. Speaker turns are replaced by
        `turns` ((speaker, start, end) spans of the new text), or removed if None.

        The comparison of the texts runs before the write lock is taken, so other writers are
        not held up by it; under the lock the codings are read afresh (one added meanwhile is
        moved too) and, if the old text itself changed meanwhile, the comparison is redone.
        """
        text = normalise_newlines(text)
        problem = too_long(text, self.max_source_chars) or control_character(text)
        if problem:
            raise InvalidOperation(f"source {self.source(ref).name!r}: {problem}")
        for _attempt in range(3):
            src = self.source(ref)
            placer = _Placer(src.text, text)
            for row in self.conn.execute("SELECT start, \"end\" FROM codings WHERE source_id = ?",
                                         [src.id]):
                placer.place(row[0], row[1])  # most of the work, before the lock; remembered
            try:
                return self._replace_text(src, text, placer, turns, encoding, origin)
            except _TextChanged:
                continue
        raise InvalidOperation(f"the text of {src.name!r} was changed by someone else while it "
                               "was being replaced, three times; nothing was changed, try again")

    def _replace_text(self, src, text, placer, turns, encoding, origin) -> TextReplacement:
        with self.change("replace source text", src.name) as rec:
            now_there = self.conn.execute("SELECT sha256 FROM sources WHERE id = ?",
                                          [src.id]).fetchone()
            if now_there is None:
                raise NotFound(f"source {src.name!r} was deleted meanwhile; nothing was changed")
            if now_there[0] != src.sha256:
                raise _TextChanged
            rows = [dict(r) for r in self.conn.execute(
                "SELECT k.*, d.name AS coder_name FROM codings k "
                "JOIN coders d ON d.id = k.coder_id "
                "WHERE k.source_id = ? ORDER BY k.start, k.id", [src.id])]
            kept, moved, lost, new_rows, taken = 0, 0, [], [], set()
            for row in rows:
                coder_name = row.pop("coder_name")
                span = placer.place(row["start"], row["end"])
                spot = span and (row["code_id"], row["coder_id"], *span)
                if span is None or spot in taken:
                    lost.append(LostCoding(row["id"], self.code(row["code_id"]).path,
                                           coder_name, src.text[row["start"]:row["end"]],
                                           row["memo"]))
                    continue
                taken.add(spot)
                if span == (row["start"], row["end"]):
                    kept += 1
                else:
                    moved += 1
                new_rows.append({**row, "start": span[0], "end": span[1]})
            if rows:
                rec.delete("codings", "source_id = ?", [src.id])
                rec.insert_many("codings", new_rows)
            marks_kept, lost_marks = self._move_bookmarks(rec, src, placer)
            rec.delete("turns", "source_id = ?", [src.id])
            if turns:
                self._insert_turns(rec, src.id, text, turns)
            rec.update("sources", src.id, text=text, sha256=sha256(text), imported_at=now(),
                       encoding=encoding if encoding is not None else src.encoding,
                       origin=origin if origin is not None else src.origin)
        return TextReplacement(src.name, kept, moved, tuple(lost), marks_kept, lost_marks)

    def _move_bookmarks(self, rec, src, placer) -> tuple[int, tuple[LostBookmark, ...]]:
        kept, lost = 0, []
        for mark in self._bookmarks_of(src.id):
            offset = place_bookmark(placer, mark.offset)
            if offset is None:
                lost.append(LostBookmark(mark.id, mark.label, mark.line, mark.coder))
                rec.delete("bookmarks", "id = ?", [mark.id])
            else:
                kept += 1
                rec.update("bookmarks", mark.id, offset=offset)
        return kept, tuple(lost)

    # -- measures -----------------------------------------------------------------------------
    def add_measures(self, dataset: str, key_name: str,
                     rows: Iterable[tuple[str, str, float | None]], *,
                     replace: bool = False) -> MeasuresResult:
        """Store a table of numbers keyed by a case name or attribute value, as one change.

        `rows` are (key value, measure name, value). A dataset already in the project with the
        same figures is left as it is; with other figures it is refused unless `replace`.
        """
        dataset, key_name = dataset.strip(), key_name.strip()
        if not dataset or not key_name:
            raise InvalidOperation("a measures table needs a dataset name and a key name")
        new = [(str(k), str(n), None if v is None else float(v)) for k, n, v in rows]
        seen = set()
        for key, name, _ in new:
            if (key, name) in seen:
                raise InvalidOperation(f"measure {name!r} is given twice for {key_name} {key!r}")
            seen.add((key, name))
        old = self.conn.execute(
            "SELECT key_name, key_value, name, value FROM measures WHERE dataset = ? ORDER BY id",
            [dataset]).fetchall()
        keys = len({k for k, _, _ in new})
        if old:
            if sorted((tuple(r) for r in old), key=repr) == sorted(
                    ((key_name, *r) for r in new), key=repr):
                return MeasuresResult(dataset, "unchanged", len(new), keys)
            if not replace:
                raise InvalidOperation(f"the measures dataset {dataset!r} is already in the "
                                       "project with other figures; replace it to update it")
        with self.change("import measures", f"{dataset}: {len(new)} values") as rec:
            rec.delete("measures", "dataset = ?", [dataset])
            first = rec.next_id("measures")
            rec.insert_many("measures", [
                {"id": i, "dataset": dataset, "key_name": key_name, "key_value": key,
                 "name": name, "value": value} for i, (key, name, value) in enumerate(new, first)])
        return MeasuresResult(dataset, "replaced" if old else "added", len(new), keys)

    def has_measures(self) -> bool:
        """True if any measures table has been imported."""
        return self.conn.execute("SELECT 1 FROM measures LIMIT 1").fetchone() is not None

    def measures(self, dataset: str | None = None) -> pd.DataFrame:
        """Measures in long form: dataset, key_name, key, name, value (one row per value)."""
        sql = ("SELECT dataset, key_name, key_value AS key, name, value FROM measures"
               + (" WHERE dataset = ?" if dataset else "") + " ORDER BY dataset, id")
        return pd.read_sql_query(sql, self.conn, params=[dataset] if dataset else None)

    def measure_table(self, dataset: str) -> pd.DataFrame:
        """One dataset as a table: index = key values (named by the key), one column per measure."""
        long = self.measures(dataset)
        if long.empty:
            return pd.DataFrame()
        table = long.pivot(index="key", columns="name", values="value")
        table = table.reindex(index=list(dict.fromkeys(long["key"])),
                              columns=list(dict.fromkeys(long["name"])))
        table.index.name, table.columns.name = long["key_name"].iloc[0], None
        return table


class _TextChanged(Exception):
    """The source's text changed between the comparison and the write lock."""


class _Placer:
    """Finds where a span of the old text is in the new text (each span looked up once)."""

    def __init__(self, old: str, new: str):
        self.old, self.new = old, new
        old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
        self.old_starts, self.new_starts = _starts(old_lines), _starts(new_lines)
        self.opcodes = line_opcodes(old_lines, new_lines)
        self.op_starts = [self.old_starts[i1] for _, i1, _, _, _ in self.opcodes]
        self.placed: dict[tuple[int, int], tuple[int, int] | None] = {}

    def guess(self, offset: int) -> int:
        """Where the old offset most likely went: exact in unchanged lines, else proportional."""
        if not self.opcodes:
            return 0
        tag, i1, i2, j1, j2 = self.opcodes[max(bisect_right(self.op_starts, offset) - 1, 0)]
        a0, a1 = self.old_starts[i1], self.old_starts[i2]
        b0, b1 = self.new_starts[j1], self.new_starts[j2]
        if tag == "equal":
            return b0 + (offset - a0)
        return b0 + (offset - a0) * (b1 - b0) // max(a1 - a0, 1)

    def place(self, start: int, end: int) -> tuple[int, int] | None:
        if (start, end) not in self.placed:
            self.placed[start, end] = self._place(start, end)
        return self.placed[start, end]

    def _place(self, start: int, end: int) -> tuple[int, int] | None:
        excerpt = self.old[start:end]
        guess = self.guess(start)
        if self.new[guess:guess + len(excerpt)] == excerpt:
            return guess, guess + len(excerpt)  # in unchanged lines, shifted or not
        spans = [(m.start(), m.start() + len(excerpt))
                 for m in re.finditer(re.escape(excerpt), self.new)]
        if not spans and excerpt.strip():
            words = [re.escape(w) for w in excerpt.split()]
            pattern = r"\s+".join(words)
            spans = [m.span() for m in re.finditer(pattern, self.new)]
        if not spans:
            return None
        return min(spans, key=lambda s: abs(s[0] - guess))


def _starts(lines: list[str]) -> list[int]:
    starts, at = [0], 0
    for line in lines:
        at += len(line)
        starts.append(at)
    return starts
