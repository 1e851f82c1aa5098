"""Sources (transcripts, field notes, form comments) and their speaker turns."""

from __future__ import annotations

from collections.abc import Iterable

from qualcode.core.model import SOURCE_KINDS, Source, Turn
from qualcode.core.util import new_guid, normalise_newlines, ref_id, sha256
from qualcode.errors import InvalidOperation, NotFound
from qualcode.store import now

SOURCE_COLUMNS = ("id, guid, name, kind, text, sha256, case_id, imported_at, origin, encoding, "
                  "form_id, field")


class SourcesMixin:
    def add_source(self, name: str, text: str, kind: str = "transcript", *, case=None,
                   origin: str | None = None, encoding: str | None = None,
                   turns: Iterable[tuple[str | None, int, int]] | None = None,
                   form_id: int | None = None, field: str | None = None,
                   guid: str | None = None) -> Source:
        """Add a source. `text` is stored with `\\n` newlines; offsets index that text.

        `turns` are (speaker, start, end) spans into the normalised text.
        """
        name = (name or "").strip()
        if not name:
            raise InvalidOperation("a source needs a name")
        if kind not in SOURCE_KINDS:
            raise InvalidOperation(f"source kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
        if self._source_row(name) is not None:
            raise InvalidOperation(f"a source named {name!r} already exists")
        text = normalise_newlines(text)
        case_id = self.case(case).id if case is not None else None
        with self.change("add source", name) as rec:
            source_id = rec.insert("sources", {
                "guid": guid or new_guid(), "name": name, "kind": kind, "text": text,
                "sha256": sha256(text), "case_id": case_id, "imported_at": now(),
                "origin": origin, "encoding": encoding, "form_id": form_id, "field": field,
            })
            if turns:
                self._insert_turns(rec, source_id, text, turns)
        return self.source(source_id)

    def _insert_turns(self, rec, source_id: int, text: str, turns) -> None:
        rows = []
        for n, (speaker, start, end) in enumerate(turns, 1):
            if not 0 <= start < end <= len(text):
                raise InvalidOperation(f"turn {n} ({start}-{end}) is outside the text")
            rows.append({"source_id": source_id, "n": n, "speaker": speaker,
                         "start": start, "end": end})
        rec.insert_many("turns", rows, key="source_id")

    def source(self, ref) -> Source:
        """A source by id, name or Source object."""
        row = self._source_row(ref)
        if row is None:
            raise NotFound(f"no source {ref!r}")
        return Source(**dict(row))

    def _source_row(self, ref):
        sid = ref_id(ref)
        if sid is not None:
            return self.conn.execute(f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = ?",
                                     [sid]).fetchone()
        return self.conn.execute(f"SELECT {SOURCE_COLUMNS} FROM sources WHERE name = ?",
                                 [str(ref)]).fetchone()

    def sources(self, kind: str | None = None) -> list[Source]:
        sql = f"SELECT {SOURCE_COLUMNS} FROM sources"
        params: list = []
        if kind:
            sql += " WHERE kind = ?"
            params.append(kind)
        return [Source(**dict(r)) for r in self.conn.execute(sql + " ORDER BY name", params)]

    def turns(self, source) -> list[Turn]:
        sid = self.source(source).id
        return [Turn(r["n"], r["speaker"], r["start"], r["end"]) for r in self.conn.execute(
            'SELECT n, speaker, start, "end" FROM turns WHERE source_id = ? ORDER BY n', [sid])]

    def rename_source(self, ref, new_name: str) -> Source:
        src = self.source(ref)
        new_name = new_name.strip()
        if not new_name:
            raise InvalidOperation("a source needs a name")
        if new_name != src.name and self._source_row(new_name) is not None:
            raise InvalidOperation(f"a source named {new_name!r} already exists")
        with self.change("rename source", f"{src.name} → {new_name}") as rec:
            rec.update("sources", src.id, name=new_name)
        return self.source(src.id)

    def set_source_case(self, ref, case) -> Source:
        src = self.source(ref)
        case_id = self.case(case).id if case is not None else None
        with self.change("set source case", src.name) as rec:
            rec.update("sources", src.id, case_id=case_id)
        return self.source(src.id)

    def delete_source(self, ref, *, with_codings: bool = False) -> None:
        """Delete a source. Refused while it has codings, unless `with_codings=True`."""
        src = self.source(ref)
        n = self.conn.execute("SELECT count(*) FROM codings WHERE source_id = ?",
                              [src.id]).fetchone()[0]
        if n and not with_codings:
            raise InvalidOperation(
                f"source {src.name!r} has {n} codings; pass with_codings=True to delete them too")
        with self.change("delete source", src.name) as rec:
            rec.delete("codings", "source_id = ?", [src.id])
            rec.delete("turns", "source_id = ?", [src.id])
            rec.delete("memos", "target_kind = 'source' AND target_id = ?", [src.id])
            rec.delete("attributes", "entity_kind = 'source' AND entity_id = ?", [src.id])
            rec.delete("sources", "id = ?", [src.id])
