"""The code tree: add, find by path, edit, move, merge, delete; groups of exclusive codes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from qualcode.core.model import PATH_SEP, Code, CodeGroup
from qualcode.core.refs import ambiguous, check_name, explicit_id, name_of, not_found
from qualcode.core.textrules import control_character
from qualcode.core.util import new_guid
from qualcode.errors import InvalidOperation, NotFound
from qualcode.store.code_tree import CodeTree

CODE_COLUMNS = ("id, guid, parent_id, name, en, description, include, exclude, example, color, "
                "codable, position, codebook, patterns")
EDITABLE = {"name", "en", "description", "include", "exclude", "example", "color", "codable",
            "codebook", "patterns"}
COLOR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?$")


def check_code_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidOperation("a code needs a name")
    if PATH_SEP in name:
        raise InvalidOperation(f"code name {name!r} contains {PATH_SEP!r}, which separates paths")
    return check_name("code", name)


class CodesMixin:
    # -- reading ------------------------------------------------------------------------------
    def codes(self) -> list[Code]:
        """All codes in tree order (depth first, siblings by position then name)."""
        tree = self.code_tree()
        rows = {r["id"]: dict(r) for r in self.conn.execute(f"SELECT {CODE_COLUMNS} FROM codes")}
        return [_code(rows[c], tree.path[c]) for c in tree.order]

    def code_tree(self) -> CodeTree:
        """The code tree read once: paths, tree order, children and descendants by id."""
        return CodeTree.read(self.conn)

    def code(self, ref) -> Code:
        """A code by path ("a/b/c"), by a name or partial path unique in the tree ("c",
        "b/c"), by GUID, or by id when asked for explicitly (an int, a Code, "#3")."""
        cid = explicit_id(ref, "code")
        if cid is None:
            cid = self._code_id_named(name_of(ref, "code"))
        row = self.conn.execute(f"SELECT {CODE_COLUMNS} FROM codes WHERE id = ?", [cid]).fetchone()
        if row is None:
            raise NotFound(f"no code with id {cid}")
        return _code(dict(row), self._path(cid))

    def _code_id_named(self, text: str) -> int:
        if GUID.match(text):
            row = self.conn.execute("SELECT id FROM codes WHERE guid = ?",
                                    [text.strip("{}")]).fetchone()
            if row:
                return row[0]
        found = self._code_id_by_path(text)
        if found is not None:
            return found
        tree = self.code_tree()
        matches = tree.matching(text)
        if len(matches) > 1:
            raise ambiguous("code", text, [tree.path[c] for c in matches])
        if not matches:
            raise not_found("code", text, [tree.path[c] for c in tree.order])
        return matches[0]

    def find_code_path(self, path: str) -> Code | None:
        """The code at exactly this path, or None (no partial paths: for adding paths)."""
        found = self._code_id_by_path(name_of(path, "code"))
        return None if found is None else self.code(found)

    def _code_id_by_path(self, path: str) -> int | None:
        parent = None
        for part in [p.strip() for p in path.split(PATH_SEP)]:
            row = self.conn.execute("SELECT id FROM codes WHERE ifnull(parent_id, 0) = ? "
                                    "AND name = ?", [parent or 0, part]).fetchone()
            if row is None:
                return None
            parent = row[0]
        return parent

    def _path(self, code_id: int) -> str:
        names = []
        while code_id is not None:
            row = self.conn.execute("SELECT name, parent_id FROM codes WHERE id = ?",
                                    [code_id]).fetchone()
            names.append(row["name"])
            code_id = row["parent_id"]
        return PATH_SEP.join(reversed(names))

    def descendants(self, ref) -> list[int]:
        """Ids of the code and every code below it, in tree order."""
        return self.code_tree().descendants([self.code(ref).id])

    # -- writing ------------------------------------------------------------------------------
    def add_code(self, name: str, parent=None, *, guid: str | None = None,
                 position: int | None = None, **props) -> Code:
        """Add a code under `parent` (a ref, or None for the top level).

        Properties: en, description, include, exclude, example, color, codable, codebook, patterns.
        """
        name = check_code_name(name)
        parent_id = self.code(parent).id if parent is not None else None
        self._check_sibling_free(parent_id, name)
        values = _clean_props(props)
        if guid is not None and not GUID.match(guid):
            raise InvalidOperation(f"{guid!r} is not a GUID")
        if position is None:
            position = self.conn.execute(
                "SELECT ifnull(max(position) + 1, 0) FROM codes WHERE ifnull(parent_id, 0) = ?",
                [parent_id or 0]).fetchone()[0]
        with self.change("add code", name) as rec:
            code_id = rec.insert("codes", {"guid": (guid or new_guid()).strip("{}"),
                                           "parent_id": parent_id, "name": name,
                                           "position": position, **values})
        return self.code(code_id)

    def _check_sibling_free(self, parent_id: int | None, name: str, *, but: int | None = None):
        row = self.conn.execute("SELECT id FROM codes WHERE ifnull(parent_id, 0) = ? AND name = ?",
                                [parent_id or 0, name]).fetchone()
        if row and row[0] != but:
            where = self._path(parent_id) if parent_id else "the top level"
            raise InvalidOperation(f"a code named {name!r} already exists under {where}")

    def update_code(self, ref, **props) -> Code:
        """Change a code's properties (name renames it)."""
        code = self.code(ref)
        values = _clean_props(props)
        if "name" in values:
            values["name"] = check_code_name(values["name"])
            self._check_sibling_free(code.parent_id, values["name"], but=code.id)
        with self.change("edit code", code.path) as rec:
            rec.update("codes", code.id, **values)
        return self.code(code.id)

    def rename_code(self, ref, new_name: str) -> Code:
        return self.update_code(ref, name=new_name)

    def move_code(self, ref, parent=None, position: int | None = None) -> Code:
        """Place a code under another parent (None: top level), at `position` among siblings."""
        code = self.code(ref)
        parent_id = self.code(parent).id if parent is not None else None
        if parent_id is not None and parent_id in self.descendants(code.id):
            raise InvalidOperation(f"cannot move {code.path!r} under itself")
        self._check_sibling_free(parent_id, code.name, but=code.id)
        siblings = [r[0] for r in self.conn.execute(
            "SELECT id FROM codes WHERE ifnull(parent_id, 0) = ? AND id != ? "
            "ORDER BY position, name", [parent_id or 0, code.id])]
        siblings.insert(len(siblings) if position is None else max(0, position), code.id)
        with self.change("move code", code.path) as rec:
            rec.update("codes", code.id, parent_id=parent_id)
            for pos, sid in enumerate(siblings):
                rec.update("codes", sid, position=pos)
        return self.code(code.id)

    def merge_codes(self, ref, into) -> Code:
        """Merge code `ref` into `into`: its codings, sub-codes and group memberships move to
        `into` (a coding `into` already has for the same coder and span is kept once, memos
        joined), then `ref` is deleted."""
        src, dst = self.code(ref), self.code(into)
        if src.id == dst.id:
            raise InvalidOperation("cannot merge a code into itself")
        if dst.id in self.descendants(src.id):
            raise InvalidOperation(f"cannot merge {src.path!r} into its own sub-code")
        with self.change("merge codes", f"{src.path} → {dst.path}"):
            self._merge(src, dst)
        return self.code(dst.id)

    def _merge(self, src: Code, dst: Code) -> None:
        rec = self.db._qc_recorder
        for c in self.conn.execute('SELECT id, source_id, coder_id, start, "end", memo '
                                   "FROM codings WHERE code_id = ?", [src.id]).fetchall():
            twin = self.conn.execute(
                'SELECT id, memo FROM codings WHERE code_id = ? AND source_id = ? AND coder_id = ?'
                ' AND start = ? AND "end" = ?',
                [dst.id, c["source_id"], c["coder_id"], c["start"], c["end"]]).fetchone()
            if twin is None:
                rec.update("codings", c["id"], code_id=dst.id)
                continue
            if c["memo"]:
                joined = "\n\n".join(m for m in (twin["memo"], c["memo"]) if m)
                rec.update("codings", twin["id"], memo=joined)
            rec.delete("codings", "id = ?", [c["id"]])
        for child in self.conn.execute("SELECT id, name FROM codes WHERE parent_id = ?",
                                       [src.id]).fetchall():
            clash = self.conn.execute("SELECT id FROM codes WHERE parent_id = ? AND name = ?",
                                      [dst.id, child["name"]]).fetchone()
            if clash:
                self._merge(self.code(child["id"]), self.code(clash["id"]))
            else:
                rec.update("codes", child["id"], parent_id=dst.id)
        for m in self.conn.execute("SELECT id, group_id FROM code_group_members WHERE code_id = ?",
                                   [src.id]).fetchall():
            if self.conn.execute("SELECT 1 FROM code_group_members WHERE group_id = ? AND "
                                 "code_id = ?", [m["group_id"], dst.id]).fetchone():
                rec.delete("code_group_members", "id = ?", [m["id"]])
            else:
                rec.update("code_group_members", m["id"], code_id=dst.id)
        for (memo_id,) in self.conn.execute("SELECT id FROM memos WHERE target_kind = 'code' "
                                            "AND target_id = ?", [src.id]).fetchall():
            rec.update("memos", memo_id, target_id=dst.id)
        rec.delete("codes", "id = ?", [src.id])

    def delete_code(self, ref, *, codings: str = "refuse") -> None:
        """Delete a code and every code below it.

        The rule for their codings: `"refuse"` (default) refuses while any exist, naming how
        many; `"delete"` deletes them with the codes; `"parent"` moves them to the deleted
        code's parent (which must be codable). Undo brings everything back.
        """
        code = self.code(ref)
        if codings not in ("refuse", "delete", "parent"):
            raise InvalidOperation(f"codings={codings!r}: use 'refuse', 'delete' or 'parent'")
        ids = self.descendants(code.id)
        marks = ", ".join("?" * len(ids))
        n = self.conn.execute(f"SELECT count(*) FROM codings WHERE code_id IN ({marks})",
                              ids).fetchone()[0]
        if n and codings == "refuse":
            raise InvalidOperation(
                f"code {code.path!r} has {n} codings (with its sub-codes); merge it into another "
                "code, or delete them with it or move them to its parent (--codings delete or "
                "--codings parent; in Python codings='delete' or 'parent')")
        with self.change("delete code", code.path) as rec:
            if n and codings == "parent":
                if code.parent_id is None:
                    raise InvalidOperation(f"{code.path!r} is at the top level: no parent to "
                                           "take its codings")
                parent = self.code(code.parent_id)
                if not parent.codable:
                    raise InvalidOperation(f"{parent.path!r} is a category and cannot take "
                                           "codings")
                for cid in ids:
                    self._merge_codings_only(cid, parent.id)
            rec.delete("codings", f"code_id IN ({marks})", ids)
            rec.delete("code_group_members", f"code_id IN ({marks})", ids)
            rec.delete("memos", f"target_kind = 'code' AND target_id IN ({marks})", ids)
            for cid in reversed(ids):  # leaves first, so no row points at a deleted parent
                rec.delete("codes", "id = ?", [cid])

    def _merge_codings_only(self, code_id: int, into_id: int) -> None:
        rec = self.db._qc_recorder
        for c in self.conn.execute('SELECT id, source_id, coder_id, start, "end" FROM codings '
                                   "WHERE code_id = ?", [code_id]).fetchall():
            twin = self.conn.execute(
                'SELECT 1 FROM codings WHERE code_id = ? AND source_id = ? AND coder_id = ? '
                'AND start = ? AND "end" = ?',
                [into_id, c["source_id"], c["coder_id"], c["start"], c["end"]]).fetchone()
            if not twin:
                rec.update("codings", c["id"], code_id=into_id)

    # -- groups -------------------------------------------------------------------------------
    def add_group(self, name: str, codes: Iterable, *, en: str | None = None,
                  exclusive: bool = True, guid: str | None = None) -> CodeGroup:
        """A named set of codes; exclusive groups allow one member per passage and coder."""
        name = check_name("code group", (name or "").strip())
        if not name:
            raise InvalidOperation("a group needs a name")
        if self.conn.execute("SELECT 1 FROM code_groups WHERE name = ?", [name]).fetchone():
            raise InvalidOperation(f"a group named {name!r} already exists")
        members = [self.code(c).id for c in codes]
        with self.change("add group", name) as rec:
            gid = rec.insert("code_groups", {"guid": guid or new_guid(), "name": name, "en": en,
                                             "exclusive": int(exclusive)})
            for cid in dict.fromkeys(members):
                rec.insert("code_group_members", {"group_id": gid, "code_id": cid})
        return self.group(name)

    def group(self, ref) -> CodeGroup:
        """A code group by name, or by id when asked for explicitly (an int, "#3")."""
        row = self._group_row(ref)
        if row is None:
            gid = explicit_id(ref, "code group")
            if gid is not None:
                raise NotFound(f"no code group with id {gid}")
            names = [r[0] for r in self.conn.execute("SELECT name FROM code_groups")]
            raise not_found("code group", ref, names)
        members = tuple(r[0] for r in self.conn.execute(
            "SELECT code_id FROM code_group_members WHERE group_id = ? ORDER BY id", [row["id"]]))
        return CodeGroup(row["id"], row["guid"], row["name"], row["en"], bool(row["exclusive"]),
                         members)

    def _group_row(self, ref):
        gid = explicit_id(ref, "code group")
        if gid is not None:
            return self.conn.execute("SELECT id, guid, name, en, exclusive FROM code_groups "
                                     "WHERE id = ?", [gid]).fetchone()
        return self.conn.execute("SELECT id, guid, name, en, exclusive FROM code_groups "
                                 "WHERE name = ?", [name_of(ref, "code group")]).fetchone()

    def groups(self) -> list[CodeGroup]:
        return [self.group(r[0]) for r in
                self.conn.execute("SELECT name FROM code_groups ORDER BY name")]

    def delete_group(self, name: str) -> None:
        group = self.group(name)
        with self.change("delete group", name) as rec:
            rec.delete("code_group_members", "group_id = ?", [group.id])
            rec.delete("code_groups", "id = ?", [group.id])


def _clean_props(props: dict) -> dict:
    unknown = set(props) - EDITABLE
    if unknown:
        raise InvalidOperation(f"unknown code properties: {', '.join(sorted(unknown))}")
    values = dict(props)
    for key, value in values.items():
        problem = control_character(value) if isinstance(value, str) else None
        if problem:
            raise InvalidOperation(f"the code's {key}: {problem}")
    if values.get("color") and not COLOR.match(values["color"]):
        raise InvalidOperation(f"color {values['color']!r} is not a colour like '#1f77b4'")
    if "codable" in values:
        values["codable"] = int(bool(values["codable"]))
    if "patterns" in values:
        pats = values["patterns"]
        values["patterns"] = json.dumps(list(pats), ensure_ascii=False) if pats else None
    return values


def _code(row: dict, path: str) -> Code:
    row = dict(row)
    row["codable"] = bool(row["codable"])
    row["patterns"] = tuple(json.loads(row["patterns"])) if row["patterns"] else ()
    return Code(path=path, **row)
