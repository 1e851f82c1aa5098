"""Cases (person, office, family ...) in a hierarchy, and typed attributes merged along it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from qualcode.core.model import Case, Source
from qualcode.core.refs import check_name, explicit_id, name_of, not_found
from qualcode.core.util import counted, new_guid
from qualcode.errors import InvalidOperation, NotFound
from qualcode.store.attribute_values import encode, passed_down, read_values

CASE_COLUMNS = "id, guid, name, kind, parent_id"


class CasesMixin:
    def add_case(self, name: str, kind: str = "case", parent=None, *,
                 guid: str | None = None) -> Case:
        name = (name or "").strip()
        if not name:
            raise InvalidOperation("a case needs a name")
        check_name("case", name)
        if self._case_named(name) is not None:
            raise InvalidOperation(f"a case named {name!r} already exists")
        parent_id = self.case(parent).id if parent is not None else None
        with self.change("add case", name) as rec:
            case_id = rec.insert("cases", {"guid": guid or new_guid(), "name": name,
                                           "kind": kind, "parent_id": parent_id})
        return self.case(case_id)

    def case(self, ref) -> Case:
        """A case by name, or by id when asked for explicitly (an int, a Case, "#3")."""
        cid = explicit_id(ref, "case")
        if cid is not None:
            row = self.conn.execute(f"SELECT {CASE_COLUMNS} FROM cases WHERE id = ?",
                                    [cid]).fetchone()
            if row is None:
                raise NotFound(f"no case with id {cid}")
            return Case(**dict(row))
        row = self._case_named(name_of(ref, "case"))
        if row is None:
            names = [r[0] for r in self.conn.execute("SELECT name FROM cases")]
            raise not_found("case", ref, names)
        return Case(**dict(row))

    def _case_named(self, name: str):
        return self.conn.execute(f"SELECT {CASE_COLUMNS} FROM cases WHERE name = ?",
                                 [name.strip()]).fetchone()

    def cases(self) -> list[Case]:
        return [Case(**dict(r)) for r in
                self.conn.execute(f"SELECT {CASE_COLUMNS} FROM cases ORDER BY name")]

    def set_case_parent(self, ref, parent) -> Case:
        case = self.case(ref)
        parent_id = self.case(parent).id if parent is not None else None
        ancestor = parent_id
        while ancestor is not None:
            if ancestor == case.id:
                raise InvalidOperation(f"case {case.name!r} cannot be placed under itself")
            ancestor = self.case(ancestor).parent_id
        with self.change("move case", case.name) as rec:
            rec.update("cases", case.id, parent_id=parent_id)
        return self.case(case.id)

    def delete_case(self, ref) -> None:
        """Delete a case; its sources and sub-cases are detached (they keep their own data)."""
        case = self.case(ref)
        with self.change("delete case", case.name) as rec:
            for (sid,) in self.conn.execute("SELECT id FROM sources WHERE case_id = ?",
                                            [case.id]).fetchall():
                rec.update("sources", sid, case_id=None)
            for (cid,) in self.conn.execute("SELECT id FROM cases WHERE parent_id = ?",
                                            [case.id]).fetchall():
                rec.update("cases", cid, parent_id=case.parent_id)
            rec.delete("attributes", "entity_kind = 'case' AND entity_id = ?", [case.id])
            rec.delete("memos", "target_kind = 'case' AND target_id = ?", [case.id])
            rec.delete("cases", "id = ?", [case.id])

    # -- attributes ---------------------------------------------------------------------------
    def _entity(self, case, source) -> tuple[str, int, str]:
        if (case is None) == (source is None):
            raise InvalidOperation("give exactly one of case= or source=")
        if case is not None:
            c = self.case(case)
            return "case", c.id, c.name
        s = source if isinstance(source, Source) else self.source(source)  # text not read again
        return "source", s.id, s.name

    def set_attribute(self, name: str, value: Any, *, case=None, source=None) -> None:
        """Set (or, with value None, remove) an attribute of a case or a source."""
        name = (name or "").strip()
        if not name:
            raise InvalidOperation("an attribute needs a name")
        kind, entity_id, entity_name = self._entity(case, source)
        row = self.conn.execute(
            "SELECT id FROM attributes WHERE entity_kind = ? AND entity_id = ? AND name = ?",
            [kind, entity_id, name]).fetchone()
        with self.change("set attribute", f"{entity_name}: {name} = {value}") as rec:
            if value is None or value == "":
                if row:
                    rec.delete("attributes", "id = ?", [row["id"]])
                return
            type_, stored = encode(value)
            if row:
                rec.update("attributes", row["id"], type=type_, value=stored)
            else:
                rec.insert("attributes", {"entity_kind": kind, "entity_id": entity_id,
                                          "name": name, "type": type_, "value": stored})

    def set_attribute_rows(self, rows: Iterable[tuple[str, int, str, Any]]) -> int:
        """Set many attributes as one change: (entity kind "case" or "source", entity id,
        name, value) rows, as an importer has them. Returns how many values were set."""
        rows = [(kind, entity_id, (name or "").strip(), value)
                for kind, entity_id, name, value in rows if value is not None and value != ""]
        if any(not name for _, _, name, _ in rows):
            raise InvalidOperation("an attribute needs a name")
        if any(kind not in ("case", "source") for kind, *_ in rows):
            raise InvalidOperation("attributes belong to a case or a source")
        existing = {(r["entity_kind"], r["entity_id"], r["name"]): r["id"]
                    for r in self.conn.execute("SELECT id, entity_kind, entity_id, name "
                                               "FROM attributes")}
        new, first = [], None
        with self.change("set attributes", counted(len(rows), "value")) as rec:
            for kind, entity_id, name, value in rows:
                type_, stored = encode(value)
                row_id = existing.get((kind, entity_id, name))
                if row_id:
                    rec.update("attributes", row_id, type=type_, value=stored)
                    continue
                if first is None:
                    first = rec.next_id("attributes")
                existing[(kind, entity_id, name)] = first + len(new)
                new.append({"id": first + len(new), "entity_kind": kind, "entity_id": entity_id,
                            "name": name, "type": type_, "value": stored})
            rec.insert_many("attributes", new)
        return len(rows)

    def attribute_values(self) -> dict[tuple[str, int], dict[str, Any]]:
        """Every case's and source's own attributes (not merged), by (entity kind, id); by
        kind, id and name."""
        return {key: dict(sorted(values.items()))
                for key, values in sorted(read_values(self.conn).items())}

    def _passed_down(self) -> dict[int, dict[str, tuple[Any, int]]]:
        parent = dict(self.conn.execute("SELECT id, parent_id FROM cases").fetchall())
        return passed_down(parent, read_values(self.conn, "case"))

    def inherited_attributes(self) -> dict[tuple[str, int], dict[str, tuple[Any, int]]]:
        """What every sub-case and every source of a case inherits from the cases above it,
        by (entity kind, id): {name: (value, id of the case that holds it)}. Its own values
        (attribute_values) are not counted here; where it has one, that one is its value."""
        held = self._passed_down()
        out: dict[tuple[str, int], dict[str, tuple[Any, int]]] = {}
        for case_id, parent_id in self.conn.execute("SELECT id, parent_id FROM cases "
                                                    "WHERE parent_id IS NOT NULL"):
            if held.get(parent_id):
                out[("case", case_id)] = held[parent_id]
        for source_id, case_id in self.conn.execute("SELECT id, case_id FROM sources "
                                                    "WHERE case_id IS NOT NULL"):
            if held.get(case_id):
                out[("source", source_id)] = held[case_id]  # shared between a case's sources
        return out

    def set_attributes(self, values: dict[str, Any], *, case=None, source=None) -> None:
        with self.change("set attributes"):
            for name, value in values.items():
                self.set_attribute(name, value, case=case, source=source)

    def attributes(self, *, case=None, source=None, merged: bool = True) -> dict[str, Any]:
        """Attributes of a case or source. Merged: a source inherits its case's and that case's
        parents' attributes; the nearest definition wins."""
        kind, entity_id, _ = self._entity(case, source)
        own = read_values(self.conn, kind, entity_id).get((kind, entity_id), {})
        if not merged:
            return dict(sorted(own.items()))
        above = (self.conn.execute("SELECT case_id FROM sources WHERE id = ?",  # not its text
                                   [entity_id]).fetchone()[0] if kind == "source"
                 else self.case(entity_id).parent_id)
        held = self._passed_down().get(above, {}) if above is not None else {}
        result = {name: value for name, (value, _) in held.items()}
        result.update(own)
        return dict(sorted(result.items()))
