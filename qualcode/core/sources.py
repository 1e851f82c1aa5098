"""Sources (transcripts, field notes, form comments) and their speaker turns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from qualcode.core.model import SOURCE_KINDS, Source, SourceEntry, Turn
from qualcode.core.refs import check_name, explicit_id, name_of, not_found
from qualcode.core.textrules import control_character, too_long
from qualcode.core.util import counted, new_guid, normalise_newlines, sha256
from qualcode.errors import InvalidOperation, NotFound
from qualcode.store import now

SOURCE_COLUMNS = ("id, guid, name, kind, text, sha256, case_id, imported_at, origin, encoding, "
                  "form_id, field")
ENTRY_COLUMNS = SOURCE_COLUMNS.replace(" text,", "")  # a SourceEntry's: all but the text


SOURCE_FIELDS = ("name", "text", "kind", "case", "origin", "encoding", "turns", "form_id", "field",
                 "guid")
"""What describes a new source: `add_source`'s arguments, and the keys of `add_sources`' items."""


class SourcesMixin:
    def add_source(self, name: str, text: str, kind: str = "transcript", *, case=None,
                   origin: str | None = None, encoding: str | None = None,
                   turns: Iterable[tuple[str | None, int, int]] | None = None,
                   form_id: int | None = None, field: str | None = None,
                   guid: str | None = None) -> Source:
        """Add a source. `text` is stored with `\\n` newlines; offsets index that text.

        `turns` are (speaker, start, end) spans into the normalised text.
        """
        item = {"name": name, "text": text, "kind": kind, "case": case, "origin": origin,
                "encoding": encoding, "turns": turns, "form_id": form_id, "field": field,
                "guid": guid}
        rows, turns_of = self._new_source_rows([item], single=True)
        with self.change("add source", rows[0]["name"]) as rec:
            source_id, = self._insert_sources(rec, rows, turns_of)
        return self.source(source_id)

    def add_sources(self, sources: Iterable[Mapping[str, Any]], *, action: str = "add sources",
                    summary: str | None = None) -> list[int]:
        """Add many sources as one change (one transaction, one undo step). Returns their ids.

        Each item is a mapping with `add_source`'s arguments: `name` and `text`, and optionally
        `kind`, `case`, `origin`, `encoding`, `turns`, `form_id`, `field`, `guid`. All of them
        are checked before anything is written; the first problem is an error naming the item,
        and nothing is added.
        """
        rows, turns_of = self._new_source_rows(sources)
        if not rows:
            return []
        with self.change(action, summary or counted(len(rows), "source")) as rec:
            return self._insert_sources(rec, rows, turns_of)

    def _new_source_rows(self, items: Iterable[Mapping[str, Any]], *, single: bool = False
                         ) -> tuple[list[dict[str, Any]], list[list[tuple]]]:
        """Check new sources; their rows (without ids) and each one's checked turns."""
        rows, turns_of, names, case_ids = [], [], {}, {}
        stamp = now()
        for n, item in enumerate(items, 1):
            where = "" if single else f"source {n}: "
            unknown = set(item) - set(SOURCE_FIELDS)
            if unknown:
                raise InvalidOperation(f"{where}unknown field {sorted(unknown)[0]!r} (a source "
                                       f"has {', '.join(SOURCE_FIELDS)})")
            name = (item.get("name") or "").strip()
            if not name:
                raise InvalidOperation(f"{where}a source needs a name")
            check_name("source", name)
            where = "" if single else f"source {n} ({name!r}): "
            kind = item.get("kind") or "transcript"
            if kind not in SOURCE_KINDS:
                raise InvalidOperation(f"{where}source kind {kind!r} is not one of "
                                       f"{', '.join(SOURCE_KINDS)}")
            text = item.get("text")
            if not isinstance(text, str):
                raise InvalidOperation(f"{where}the text must be a string, not "
                                       f"{type(text).__name__}")
            if name in names:
                raise InvalidOperation(f"a source named {name!r} is given twice (sources "
                                       f"{names[name]} and {n})")
            names[name] = n
            text = normalise_newlines(text)
            problem = too_long(text, self.max_source_chars) or control_character(text)
            if problem:
                raise InvalidOperation(f"{where}{problem}" if where else
                                       f"source {name!r}: {problem}")
            case = item.get("case")
            if case is not None and case not in case_ids:
                case_ids[case] = self.case(case).id
            rows.append({
                "guid": item.get("guid") or new_guid(), "name": name, "kind": kind,
                "text": text, "sha256": sha256(text),
                "case_id": None if case is None else case_ids[case], "imported_at": stamp,
                "origin": item.get("origin"), "encoding": item.get("encoding"),
                "form_id": item.get("form_id"), "field": item.get("field")})
            turns_of.append(_checked_turns(text, item.get("turns") or (), where))
        clash = self._existing_source_names(list(names))
        if clash:
            raise InvalidOperation(f"a source named {clash!r} already exists")
        return rows, turns_of

    def _insert_sources(self, rec, rows: list[dict[str, Any]],
                        turns_of: list[list[tuple]]) -> list[int]:
        """Write checked sources and their turns; the undo record stays small (an id range for
        the sources, their ids for the turns). Returns the new ids in order."""
        if not rows:
            return []
        columns = list(rows[0])
        ids = list(rec.insert_bulk("sources", columns, ([r[c] for c in columns] for r in rows)))
        rec.insert_many("turns", [
            {"source_id": source_id, "n": n, "speaker": speaker, "start": start, "end": end}
            for source_id, turns in zip(ids, turns_of, strict=True)
            for n, (speaker, start, end) in enumerate(turns, 1)], key="source_id")
        return ids

    def _existing_source_names(self, names: list[str]) -> str | None:
        """The first of `names` that a source in the project already has, or None."""
        for i in range(0, len(names), 500):
            chunk = names[i:i + 500]
            row = self.conn.execute(
                f"SELECT name FROM sources WHERE name IN ({', '.join('?' * len(chunk))})",
                chunk).fetchone()
            if row:
                return row[0]
        return None

    def _insert_turns(self, rec, source_id: int, text: str, turns) -> None:
        rec.insert_many("turns", [
            {"source_id": source_id, "n": n, "speaker": speaker, "start": start, "end": end}
            for n, (speaker, start, end) in enumerate(_checked_turns(text, turns), 1)],
            key="source_id")

    def source(self, ref) -> Source:
        """A source by name, or by id when asked for explicitly (an int, a Source, "#3").
        A name that looks like a number is still a name."""
        sid = explicit_id(ref, "source")
        if sid is not None:
            row = self.conn.execute(f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = ?",
                                    [sid]).fetchone()
            if row is None:
                raise NotFound(f"no source with id {sid}")
            return Source(**dict(row))
        row = self._source_named(name_of(ref, "source"))
        if row is None:
            names = [r[0] for r in self.conn.execute("SELECT name FROM sources")]
            raise not_found("source", ref, names)
        return Source(**dict(row))

    def _source_id(self, ref) -> int:
        """The id of a source; a Source or SourceEntry object's own, without reading its text (a
        3 MB transcript takes 30 ms to read)."""
        return ref.id if isinstance(ref, SourceEntry) else self.source(ref).id

    def _source_named(self, name: str):
        return self.conn.execute(f"SELECT {SOURCE_COLUMNS} FROM sources WHERE name = ?",
                                 [name.strip()]).fetchone()

    def sources(self, kind: str | None = None) -> list[Source]:
        # an empty kind has always meant every source here
        return [Source(**dict(r)) for r in self._sources_of(kind or None, SOURCE_COLUMNS)]

    def source_list(self, kind: str | None = None) -> list[SourceEntry]:
        """Every source (of `kind`) by name, as `sources` but without the texts: for lists of
        names, kinds and cases (reading 20,000 texts to list them takes most of the time)."""
        # by position, as ENTRY_COLUMNS are the fields in order: a third faster than by name
        return [SourceEntry(*r) for r in self._sources_of(kind, ENTRY_COLUMNS)]

    def _sources_of(self, kind: str | None, columns: str):
        """These columns of every source (of `kind`: a kind that does not exist is an error,
        not an empty list), by name."""
        if kind is not None and kind not in SOURCE_KINDS:
            raise InvalidOperation(f"no source kind {kind!r}: the kinds are "
                                   f"{', '.join(SOURCE_KINDS)}")
        sql = f"SELECT {columns} FROM sources"
        params: list = []
        if kind is not None:
            sql += " WHERE kind = ?"
            params.append(kind)
        return self.conn.execute(sql + " ORDER BY name", params)

    def sources_containing(self, text: str, *, kind: str, field: str | None = None,
                           limit: int | None = None) -> list[Source]:
        """Sources of `kind` (and form `field`) whose text contains `text` exactly, by name."""
        sql = f"SELECT {SOURCE_COLUMNS} FROM sources WHERE kind = ? AND instr(text, ?)"
        params: list = [kind, text]
        if field is not None:
            sql += " AND field = ?"
            params.append(field)
        sql += " ORDER BY name" + (" LIMIT ?" if limit is not None else "")
        params += [limit] if limit is not None else []
        return [Source(**dict(r)) for r in self.conn.execute(sql, params)]

    def turns(self, source) -> list[Turn]:
        return self._turns_of(self._source_id(source))

    def _turns_of(self, source_id: int) -> list[Turn]:
        return [Turn(*r) for r in self.conn.execute(
            'SELECT n, speaker, start, "end" FROM turns WHERE source_id = ? ORDER BY n',
            [source_id])]

    def rename_source(self, ref, new_name: str) -> Source:
        src = self.source(ref)
        new_name = new_name.strip()
        if not new_name:
            raise InvalidOperation("a source needs a name")
        check_name("source", new_name)
        if new_name != src.name and self._source_named(new_name) is not None:
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
            rec.delete("bookmarks", "source_id = ?", [src.id])
            rec.delete("memos", "target_kind = 'source' AND target_id = ?", [src.id])
            rec.delete("attributes", "entity_kind = 'source' AND entity_id = ?", [src.id])
            rec.delete("sources", "id = ?", [src.id])


def _checked_turns(text: str, turns, where: str = "") -> list[tuple]:
    """(speaker, start, end) of each turn, refusing one outside the text."""
    checked = []
    for n, (speaker, start, end) in enumerate(turns, 1):
        if not 0 <= start < end <= len(text):
            raise InvalidOperation(f"{where}turn {n} ({start}-{end}) is outside the text")
        checked.append((speaker, start, end))
    return checked
