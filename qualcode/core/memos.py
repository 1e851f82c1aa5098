"""Memos on the project, a source, a code or a case. (A coding's memo is on the coding.)"""

from __future__ import annotations

from qualcode.core.model import Memo
from qualcode.core.textrules import control_character
from qualcode.core.util import new_guid
from qualcode.errors import InvalidOperation, NotFound
from qualcode.store import now

MEMO_COLUMNS = ("id, guid, target_kind, target_id, title, text, coder_id, created_at, "
                "updated_at")


class MemosMixin:
    def _memo_target(self, source, code, case) -> tuple[str, int | None]:
        given = [(k, v) for k, v in (("source", source), ("code", code), ("case", case))
                 if v is not None]
        if len(given) > 1:
            raise InvalidOperation("a memo belongs to one of source=, code= or case= (or none)")
        if not given:
            return "project", None
        kind, ref = given[0]
        return kind, {"source": self.source, "code": self.code, "case": self.case}[kind](ref).id

    def add_memo(self, text: str, *, source=None, code=None, case=None,
                 title: str | None = None, coder: str | None = None, guid: str | None = None,
                 created_at: str | None = None) -> Memo:
        """A memo on the project (no target), or on a source, code or case; written by `coder`
        (default: the current coder). `guid` and `created_at` keep an imported note's."""
        if not (text or "").strip():
            raise InvalidOperation("a memo needs text")
        problem = control_character(text) or control_character(title or "")
        if problem:
            raise InvalidOperation(f"the memo holds a {problem}")
        kind, target_id = self._memo_target(source, code, case)
        stamp = created_at or now()
        with self.change("add memo", title or text[:40]) as rec:
            coder_id = self.coder(coder).id
            memo_id = rec.insert("memos", {
                "guid": guid or new_guid(), "target_kind": kind, "target_id": target_id,
                "title": title, "text": text, "coder_id": coder_id, "created_at": stamp,
                "updated_at": stamp})
        return self._memo(memo_id)  # an imported memo may be another coder's

    def memo(self, memo_id: int) -> Memo:
        """A memo by id; in blind mode another coder's is refused (`memos` hides it)."""
        memo = self._memo(memo_id)
        if memo.coder_id is not None:
            writer = self.conn.execute("SELECT name FROM coders WHERE id = ?",
                                       [memo.coder_id]).fetchone()
            self._check_writer_visible(writer[0] if writer else None, f"memo {memo_id}")
        return memo

    def _memo(self, memo_id: int) -> Memo:
        """A memo by id, whoever wrote it (what was just stored, in blind mode too)."""
        row = self.conn.execute(f"SELECT {MEMO_COLUMNS} FROM memos WHERE id = ?",
                                [memo_id]).fetchone()
        if row is None:
            raise NotFound(f"no memo {memo_id}")
        return Memo(**dict(row))

    def memos(self, *, source=None, code=None, case=None, project: bool = False) -> list[Memo]:
        """Memos on one target; with no target given, every memo. In blind mode only the
        current coder's (and those with no writer: see qualcode/core/settings.py)."""
        seen, params = self._blind_filter("coder_id")
        sql = f"SELECT {MEMO_COLUMNS} FROM memos WHERE {seen}"
        if project or any(v is not None for v in (source, code, case)):
            kind, target_id = self._memo_target(source, code, case)
            sql += " AND target_kind = ? AND target_id IS ?"
            params += [kind, target_id]
        return [Memo(**dict(r)) for r in self.conn.execute(sql + " ORDER BY id", params)]

    def edit_memo(self, memo_id: int, text: str | None = None, title: str | None = None) -> Memo:
        memo = self.memo(memo_id)
        values = {}
        if text is not None:
            if not text.strip():
                raise InvalidOperation("a memo needs text (delete it instead)")
            values["text"] = text
        if title is not None:
            values["title"] = title
        if values:
            with self.change("edit memo", memo.title or memo.text[:40]) as rec:
                rec.update("memos", memo.id, **values, updated_at=now())
        return self.memo(memo.id)

    def delete_memo(self, memo_id: int) -> None:
        memo = self.memo(memo_id)
        with self.change("delete memo", memo.title or memo.text[:40]) as rec:
            rec.delete("memos", "id = ?", [memo.id])
