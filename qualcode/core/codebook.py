"""Codebooks in a project: load a codebook tree (merge by GUID, then by path) as one change, and
read the project's codes back as a tree for the writers."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

from qualcode.core.codebook_tree import CodebookTree, CodeNode, GroupSpec
from qualcode.core.codes import GUID, check_code_name
from qualcode.core.model import PATH_SEP
from qualcode.core.util import counted as _n
from qualcode.core.util import new_guid
from qualcode.errors import InvalidOperation
from qualcode.store import now

# tree field -> codes column; compared on load, in this order
FIELD_COLUMNS = {"en": "en", "definition": "description", "include": "include",
                 "exclude": "exclude", "example": "example", "color": "color",
                 "patterns": "patterns", "codable": "codable"}
META_KEYS = ("title", "en", "description", "source")


@dataclass(frozen=True)
class Conflict:
    path: str
    field: str
    project: object  # the value in the project
    codebook: object  # the value in the codebook being loaded

    def __str__(self) -> str:
        return (f"{self.path}: {self.field} differs (project: {_show(self.project)}; "
                f"codebook: {_show(self.codebook)})")


@dataclass
class LoadReport:
    codebook: str
    added: list[str] = field(default_factory=list)        # paths of new codes
    unchanged: list[str] = field(default_factory=list)    # paths of codes already there as given
    filled: list[tuple[str, str]] = field(default_factory=list)  # (path, field) empty before
    conflicts: list[Conflict] = field(default_factory=list)      # kept the project's value
    updated: list[Conflict] = field(default_factory=list)        # took the codebook's value
    groups_added: list[str] = field(default_factory=list)
    groups_merged: list[str] = field(default_factory=list)       # existing, members added
    notes: list[str] = field(default_factory=list)
    event_id: int | None = None  # the change to undo; None when nothing changed

    def summary(self) -> str:
        parts = [_n(len(self.added), "code") + " added", f"{len(self.unchanged)} already present"]
        if self.filled:
            parts.append(_n(len(self.filled), "empty field") + " filled")
        if self.updated:
            parts.append(_n(len(self.updated), "field") + " updated")
        if self.conflicts:
            parts.append(_n(len(self.conflicts), "conflict") + " kept as they were")
        if self.groups_added or self.groups_merged:
            parts.append(_n(len(self.groups_added), "group") + " added, "
                         f"{len(self.groups_merged)} merged")
        return f"codebook {self.codebook}: " + ", ".join(parts)

    def lines(self) -> list[str]:
        """The summary, then one line per note, conflict and update."""
        out = [self.summary()]
        out += [f"note: {n}" for n in self.notes]
        out += [f"conflict: {c}" for c in self.conflicts]
        out += [f"updated: {c}" for c in self.updated]
        return out


def _show(value) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(value) + "]"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _norm(key: str, value):
    """Values as compared: empty means absent, colours ignore case."""
    if key == "codable":
        return bool(value)
    if key == "patterns":
        return list(value or [])
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    value = value.strip()
    return value.lower() if key == "color" else value


def machine_name(text: str) -> str:
    """A codebook machine name from free text: lowercase ASCII letters, digits, _ and -."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_-]+", "_", text).strip("_-") or "codebook"


class CodebookMixin:
    # -- loading ------------------------------------------------------------------------------
    def load_codebook(self, tree: CodebookTree, *, update: bool = False) -> LoadReport:
        """Merge a codebook into the project as one change (one undo step).

        A code in the tree is the project's code with the same GUID, else the one at the same
        path. Existing codes keep their id, GUID and codings; their empty fields are filled;
        fields whose values differ are reported as conflicts and kept, unless `update=True`
        (then the codebook's value is taken and reported). New codes get the codebook's machine
        name; groups are created, or given their missing members.
        """
        _check_tree(tree)
        report = LoadReport(tree.name, notes=list(tree.notes))
        rows = {r["id"]: dict(r) for r in self.conn.execute("SELECT * FROM codes")}
        by_guid = {r["guid"].lower(): r for r in rows.values()}
        by_place = {(r["parent_id"], r["name"]): r for r in rows.values()}
        next_position: dict[int | None, int] = {}
        for r in rows.values():
            key = r["parent_id"]
            next_position[key] = max(next_position.get(key, 0), r["position"] + 1)
        ids_by_path: dict[str, int] = {}

        with self.change("load codebook", tree.title or tree.name) as rec:
            def place(nodes: list[CodeNode], parent_id: int | None, prefix: str) -> None:
                for node in nodes:
                    path = f"{prefix}{PATH_SEP}{node.name}" if prefix else node.name
                    guid = (node.guid or "").strip("{}").lower()
                    row = by_guid.get(guid) if guid else None
                    if row is not None and row["parent_id"] != parent_id:
                        report.notes.append(f"{path}: the code with this GUID is elsewhere in "
                                            f"the project ({self._path(row['id'])}); merged "
                                            "with it there")
                    row = row or by_place.get((parent_id, node.name))
                    if row is None:
                        row = self._insert_node(rec, node, parent_id, tree.name,
                                                guid if guid and GUID.match(guid) else None,
                                                next_position)
                        by_guid[row["guid"].lower()] = row
                        by_place[(parent_id, node.name)] = row
                        report.added.append(path)
                    else:
                        self._merge_node(rec, row, node, path, tree.name, update, report)
                    ids_by_path[path] = row["id"]
                    place(node.children, row["id"], path)

            place(tree.codes, None, "")
            for group in tree.groups:
                self._load_group(rec, group, ids_by_path, update, report)
            self._store_meta(rec, tree, update)
            event = self.conn.execute("SELECT max(id) FROM events").fetchone()[0]
        after = self.conn.execute("SELECT max(id) FROM events").fetchone()[0]
        report.event_id = after if after != event else None
        return report

    def _insert_node(self, rec, node: CodeNode, parent_id, codebook: str, guid: str | None,
                     next_position: dict) -> dict:
        position = next_position.get(parent_id, 0)
        next_position[parent_id] = position + 1
        row = {"guid": guid or new_guid(), "parent_id": parent_id, "name": node.name,
               "position": position, "codebook": codebook, **_columns(node)}
        row["id"] = rec.insert("codes", row)
        return row

    def _merge_node(self, rec, row: dict, node: CodeNode, path: str, codebook: str,
                    update: bool, report: LoadReport) -> None:
        incoming = _columns(node)
        changes: dict = {}
        differed = False
        for key, column in FIELD_COLUMNS.items():
            ours = _norm(key, _field_value(key, row[column]))
            theirs = _norm(key, getattr(node, key))
            if ours == theirs or (theirs is None and key != "codable") or \
                    (key == "patterns" and not theirs):
                continue
            differed = True
            if ours is None or (key == "patterns" and not ours):
                changes[column] = incoming[column]
                report.filled.append((path, key))
                continue
            conflict = Conflict(path, key, ours, theirs)
            if update and not (key == "codable" and not theirs and self._has_codings(row["id"])):
                changes[column] = incoming[column]
                report.updated.append(conflict)
            else:
                report.conflicts.append(conflict)
        if not row["codebook"]:
            changes["codebook"] = codebook
        if changes:
            rec.update("codes", row["id"], **changes)
            row.update(changes)
        if not differed:
            report.unchanged.append(path)

    def _has_codings(self, code_id: int) -> bool:
        return self.conn.execute("SELECT 1 FROM codings WHERE code_id = ? LIMIT 1",
                                 [code_id]).fetchone() is not None

    def _load_group(self, rec, group: GroupSpec, ids_by_path: dict, update: bool,
                    report: LoadReport) -> None:
        missing = [p for p in group.codes if p not in ids_by_path]
        if missing:
            raise InvalidOperation(f"group {group.name!r}: no code {missing[0]!r} in the codebook")
        members = list(dict.fromkeys(ids_by_path[p] for p in group.codes))
        row = self.conn.execute("SELECT id, en, exclusive FROM code_groups WHERE name = ?",
                                [group.name]).fetchone()
        if row is None:
            guid = (group.guid or "").strip("{}").lower()
            if not GUID.match(guid) or self.conn.execute(
                    "SELECT 1 FROM code_groups WHERE guid = ?", [guid]).fetchone():
                guid = new_guid()
            gid = rec.insert("code_groups", {"guid": guid, "name": group.name, "en": group.en,
                                             "exclusive": int(group.exclusive)})
            report.groups_added.append(group.name)
            have: set[int] = set()
        else:
            gid = row["id"]
            have = {r[0] for r in self.conn.execute(
                "SELECT code_id FROM code_group_members WHERE group_id = ?", [gid])}
            for key, ours, theirs in (("en", row["en"], group.en),
                                      ("exclusive", bool(row["exclusive"]), group.exclusive)):
                if theirs is None or ours == theirs:
                    continue
                if ours is None or update:
                    rec.update("code_groups", gid, **{key: theirs})
                    if ours is not None:
                        report.updated.append(Conflict(f"group {group.name}", key, ours, theirs))
                else:
                    report.conflicts.append(Conflict(f"group {group.name}", key, ours, theirs))
            if set(members) - have:
                report.groups_merged.append(group.name)
        for cid in members:
            if cid not in have:
                rec.insert("code_group_members", {"group_id": gid, "code_id": cid})

    def _store_meta(self, rec, tree: CodebookTree, update: bool) -> None:
        """Title, English title, description and source, in the codebooks table."""
        meta = {k: getattr(tree, k).strip() for k in META_KEYS if getattr(tree, k)}
        if not meta:
            return
        row = self.conn.execute(f"SELECT id, {', '.join(META_KEYS)} FROM codebooks "
                                "WHERE name = ?", [tree.name]).fetchone()
        if row is None:
            rec.insert("codebooks", {"name": tree.name, **meta, "loaded_at": now()})
            return
        known = {k: row[k] for k in META_KEYS if row[k]}
        wanted = {k: v for k, v in meta.items() if update or not known.get(k)}
        if any(known.get(k) != v for k, v in wanted.items()):
            rec.update("codebooks", row["id"], **wanted)

    # -- reading ------------------------------------------------------------------------------
    def codebook_names(self) -> list[str]:
        """Machine names of the codebooks whose codes are in the project."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT codebook FROM codes WHERE codebook IS NOT NULL ORDER BY codebook")]

    def codebook_tree(self, codebook: str | None = None) -> CodebookTree:
        """The project's codes as a tree, with GUIDs and groups.

        With `codebook`, only the codes loaded from it, the codes below them and the categories
        above them. Without it, every code; named after the codebook if all codes share one.
        """
        codes = self.codes()
        if codebook is not None:
            chosen = {c.id for c in codes if c.codebook == codebook}
            if not chosen:
                raise InvalidOperation(f"no codes from codebook {codebook!r} in this project"
                                       + _known(self.codebook_names()))
            for c in codes:  # tree order: a parent comes before its children
                if c.parent_id in chosen:
                    chosen.add(c.id)
            parents = {c.id: c.parent_id for c in codes}
            for cid in list(chosen):
                while parents[cid] is not None:
                    cid = parents[cid]
                    chosen.add(cid)
            codes = [c for c in codes if c.id in chosen]
            name = codebook
        else:
            names = {c.codebook for c in codes}
            name = names.pop() if len(names) == 1 and None not in names else \
                machine_name(self.name)
        nodes: dict[int, CodeNode] = {}
        tree = CodebookTree(name=name, **self._meta(name))
        for c in codes:
            node = CodeNode(name=c.name, en=c.en, definition=c.description, include=c.include,
                            exclude=c.exclude, example=c.example, color=c.color,
                            codable=c.codable, patterns=list(c.patterns), guid=c.guid)
            nodes[c.id] = node
            siblings = tree.codes if c.parent_id is None else nodes[c.parent_id].children
            siblings.append(node)
        paths = {c.id: c.path for c in codes}
        for g in sorted(self.groups(), key=lambda g: g.id):  # in the order they were loaded
            members = [paths[cid] for cid in g.code_ids if cid in paths]
            if members:
                tree.groups.append(GroupSpec(name=g.name, codes=members, en=g.en,
                                             exclusive=g.exclusive, guid=g.guid))
        return tree

    def _meta(self, name: str) -> dict:
        row = self.conn.execute(f"SELECT {', '.join(META_KEYS)} FROM codebooks WHERE name = ?",
                                [name]).fetchone()
        return {k: row[k] for k in META_KEYS if row[k]} if row else {}


def _known(names: list[str]) -> str:
    return f" (it has: {', '.join(names)})" if names else " (it has no codebooks)"


def _field_value(key: str, stored):
    if key == "patterns":
        return json.loads(stored) if stored else []
    return stored


def _columns(node: CodeNode) -> dict:
    values = {column: getattr(node, key) for key, column in FIELD_COLUMNS.items()}
    for column in FIELD_COLUMNS.values():
        if isinstance(values[column], str):
            values[column] = values[column].strip() or None
    values["codable"] = int(bool(node.codable))
    values["patterns"] = json.dumps(list(node.patterns), ensure_ascii=False) \
        if node.patterns else None
    if values["color"] and not re.fullmatch(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})", values["color"]):
        raise InvalidOperation(f"color {values['color']!r} is not a colour like '#1f77b4'")
    return values


def _check_tree(tree: CodebookTree) -> None:
    """The rules the database relies on (readers report these earlier, with lines)."""
    def check(nodes: list[CodeNode], prefix: str) -> None:
        seen: set[str] = set()
        for node in nodes:
            node.name = check_code_name(node.name)
            where = f"{prefix}{PATH_SEP}{node.name}" if prefix else node.name
            if node.name in seen:
                raise InvalidOperation(f"{where}: two codes with this name under "
                                       f"{prefix or 'the top level'}")
            seen.add(node.name)
            check(node.children, where)
    check(tree.codes, "")
    names = [g.name for g in tree.groups]
    if len(names) != len(set(names)):
        raise InvalidOperation("two groups with the same name in the codebook")
