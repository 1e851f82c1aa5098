"""Coding spans of text: apply, remove, annotate. Offsets are Python string indices."""

from __future__ import annotations

from collections.abc import Iterable

from qualcode.core.model import Coding
from qualcode.core.util import new_guid, ref_id
from qualcode.errors import InvalidOperation, NotFound
from qualcode.store import now

CODING_COLUMNS = 'id, guid, source_id, start, "end", code_id, coder_id, memo, origin, created_at'
ORIGINS = ("manual", "auto", "import")


class CodingMixin:
    def code_span(self, source, start: int, end: int, code, coder: str | None = None, *,
                  memo: str | None = None, origin: str = "manual") -> Coding:
        """Apply `code` to text[start:end] of `source` for `coder` (default: current coder)."""
        src, cd = self.source(source), self.code(code)
        with self.change("code", f"{cd.path} on {src.name} [{start}:{end}]") as rec:
            coder_row = self.coder(coder)  # a new coder joins this change's undo step
            coding_id = self._insert_coding(rec, src, start, end, cd, coder_row.id, memo, origin)
        return self.coding(coding_id)

    def code_many(self, items: Iterable[tuple], coder: str | None = None, *,
                  origin: str = "manual", skip_existing: bool = False) -> list[int]:
        """Apply many (source, start, end, code) codings as one change. Returns their ids."""
        sources, codes, ids = {}, {}, []
        with self.change("code many") as rec:
            coder_row = self.coder(coder)
            for source, start, end, code in items:
                src = sources.get(source) or sources.setdefault(source, self.source(source))
                cd = codes.get(code) or codes.setdefault(code, self.code(code))
                if skip_existing and self._coding_id(src.id, start, end, cd.id, coder_row.id):
                    continue
                ids.append(self._insert_coding(rec, src, start, end, cd, coder_row.id, None,
                                               origin))
        return ids

    def _insert_coding(self, rec, src, start, end, code, coder_id, memo, origin) -> int:
        if origin not in ORIGINS:
            raise InvalidOperation(f"origin {origin!r} is not one of {', '.join(ORIGINS)}")
        if not (isinstance(start, int) and isinstance(end, int)):
            raise InvalidOperation("start and end must be whole numbers")
        if start >= end:
            raise InvalidOperation(f"empty span: start {start} is not before end {end}")
        if start < 0 or end > len(src.text):
            raise InvalidOperation(f"span {start}-{end} is outside {src.name!r} "
                                   f"(0-{len(src.text)})")
        if not code.codable:
            raise InvalidOperation(f"{code.path!r} is a category and cannot be applied")
        if self._coding_id(src.id, start, end, code.id, coder_id):
            raise InvalidOperation(f"{src.name!r} [{start}:{end}] is already coded "
                                   f"{code.path!r} by this coder")
        self._check_exclusive(src, start, end, code, coder_id)
        return rec.insert("codings", {
            "guid": new_guid(), "source_id": src.id, "start": start, "end": end,
            "code_id": code.id, "coder_id": coder_id, "memo": memo, "origin": origin,
            "created_at": now()})

    def _coding_id(self, source_id, start, end, code_id, coder_id) -> int | None:
        row = self.conn.execute(
            'SELECT id FROM codings WHERE source_id = ? AND code_id = ? AND coder_id = ? '
            'AND start = ? AND "end" = ?', [source_id, code_id, coder_id, start, end]).fetchone()
        return row[0] if row else None

    def _check_exclusive(self, src, start, end, code, coder_id) -> None:
        """One member of an exclusive group per passage and coder (e.g. one Dreyfus stage)."""
        clash = self.conn.execute(
            """
            SELECT g.name, c.name AS other, k.start, k."end" FROM code_group_members m
            JOIN code_groups g ON g.id = m.group_id AND g.exclusive
            JOIN code_group_members o ON o.group_id = g.id AND o.code_id != m.code_id
            JOIN codings k ON k.code_id = o.code_id AND k.source_id = ? AND k.coder_id = ?
                 AND k.start < ? AND k."end" > ?
            JOIN codes c ON c.id = k.code_id
            WHERE m.code_id = ? LIMIT 1
            """, [src.id, coder_id, end, start, code.id]).fetchone()
        if clash:
            raise InvalidOperation(
                f"{code.name!r} and {clash['other']!r} are exclusive ({clash['name']}), and "
                f"[{clash['start']}:{clash['end']}] of {src.name!r} overlapping this span is "
                f"already coded {clash['other']!r}; remove that coding first")

    def coding(self, ref) -> Coding:
        row = self.conn.execute(f"SELECT {CODING_COLUMNS} FROM codings WHERE id = ?",
                                [ref_id(ref)]).fetchone()
        if row is None:
            raise NotFound(f"no coding {ref!r}")
        return Coding(**dict(row))

    def codings_of(self, source) -> list[Coding]:
        """The codings on one source, in text order."""
        sid = self.source(source).id
        return [Coding(**dict(r)) for r in self.conn.execute(
            f'SELECT {CODING_COLUMNS} FROM codings WHERE source_id = ? ORDER BY start, "end", id',
            [sid])]

    def uncode(self, ref) -> None:
        """Remove one coding (by id or Coding)."""
        coding = self.coding(ref)
        with self.change("uncode", f"coding {coding.id}") as rec:
            rec.delete("codings", "id = ?", [coding.id])

    def uncode_span(self, source, start: int, end: int, code, coder: str | None = None) -> None:
        """Remove the coding of exactly this span with this code by this coder."""
        src, cd = self.source(source), self.code(code)
        row = self.conn.execute("SELECT id FROM coders WHERE name = ?",
                                [coder or self.coder_name]).fetchone()
        coding_id = row and self._coding_id(src.id, start, end, cd.id, row[0])
        if not coding_id:
            raise NotFound(f"{src.name!r} [{start}:{end}] is not coded {cd.path!r} by "
                           f"{coder or self.coder_name!r}")
        self.uncode(coding_id)

    def set_coding_memo(self, ref, memo: str | None) -> Coding:
        coding = self.coding(ref)
        with self.change("memo on coding", f"coding {coding.id}") as rec:
            rec.update("codings", coding.id, memo=memo or None)
        return self.coding(coding.id)
