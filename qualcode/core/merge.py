"""Merging a colleague's copy of the project: their coders, codes, cases, attributes, memos
and codings come in; nothing of ours is changed or removed.

What is the same thing in both files:
- coders, cases, code groups: the same GUID, else the same name;
- codes: the same GUID, else the same path (a new code goes under its parent's match);
- sources are not brought in; a source of the copy is ours if it has the same GUID and the
  same text, or (another GUID) the same text as exactly one of ours (by SHA-256). A source
  whose text differs, or that is not here, has its codings set aside and listed: they are
  never attached to characters they were not made on;
- memos, codings and bookmarks: the same GUID (or, for codings, the same span, code and coder;
  for bookmarks, the same place and coder) are there already and are skipped, so merging twice
  adds nothing. A bookmark on a source that is not matched is left out and reported.
An attribute we have with another value keeps ours and is reported. The merge is one change:
one transaction and one step of undo.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.core.model import NewCoding
from qualcode.core.util import counted
from qualcode.errors import InvalidOperation
from qualcode.store.code_tree import CodeTree
from qualcode.store.copies import read_copy

EXCERPT = 60


@dataclass(frozen=True)
class SetAside:
    source: str
    reason: str
    code: str
    coder: str
    excerpt: str


@dataclass
class MergeReport:
    other: str
    coders: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    attributes: int = 0
    memos: int = 0
    codings: Counter = field(default_factory=Counter)  # per coder name
    set_aside: list[SetAside] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # what other merges (e.g. decisions) add

    @property
    def changed(self) -> bool:
        return bool(self.coders or self.codes or self.groups or self.cases or self.attributes
                    or self.memos or self.codings or self.extra)

    def lines(self) -> list[str]:
        came = [counted(len(self.coders), "new coder")
                + (f" ({', '.join(self.coders)})" if self.coders else ""),
                counted(len(self.codes), "new code"), counted(len(self.cases), "new case"),
                counted(self.attributes, "attribute"), counted(self.memos, "memo"),
                counted(sum(self.codings.values()), "coding")
                + (" (" + ", ".join(f"{n} by {c}" for c, n in sorted(self.codings.items()))
                   + ")" if self.codings else "")] + self.extra
        out = [f"merged {self.other}: " + ", ".join(came)]
        out += [f"  new code {path}" for path in self.codes]
        out += [f"warning: {c}" for c in self.conflicts]
        by_source = Counter((s.source, s.reason) for s in self.set_aside)
        for (source, reason), n in by_source.items():
            out.append(f"warning: set aside {counted(n, 'coding')} on {source!r}: {reason}")
            out += [f"  {s.code} by {s.coder}: {s.excerpt!r}" for s in self.set_aside
                    if (s.source, s.reason) == (source, reason)]
        return out


def _columns(conn, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


class MergeMixin:
    def merge(self, path: str | Path) -> MergeReport:
        """Bring in another copy's coders, codes, cases, attributes, memos and codings (see
        qualcode.core.merge); returns what came in and what was set aside."""
        path = Path(path)
        if path.exists() and self.path.exists() and path.resolve() == self.path.resolve():
            raise InvalidOperation(f"{path}: this is the project itself")
        report = MergeReport(path.name)
        with read_copy(path) as other, self.change("merge", path.name) as rec:
            merger = _Merger(self, other, rec, report)
            merger.run()
        return report


class _Merger:
    def __init__(self, project, other: sqlite3.Connection, rec, report: MergeReport):
        self.p, self.other, self.rec, self.report = project, other, rec, report
        self.conn = project.conn

    def run(self) -> None:
        self.coders = self._by_guid_or("coders", "name", self.report.coders)
        self.codes = self._codes()
        self._groups()
        self.cases = self._cases()
        self.sources, self.aside_reason = self._sources()
        self._attributes()
        self._memos()
        self._codings()
        self._decisions()
        self._bookmarks()

    # -- helpers ------------------------------------------------------------------------------
    def copy_row(self, table: str, row: dict, **overrides) -> int:
        """Insert `row` of the copy into our `table`, columns both files have, without its id."""
        ours = set(_columns(self.conn, table))
        values = {k: v for k, v in row.items() if k in ours and k != "id"}
        values.update(overrides)
        return self.rec.insert(table, values)

    def _ids(self, table: str, column: str) -> dict:
        return {r[0]: r[1] for r in self.conn.execute(f"SELECT {column}, id FROM {table}")}

    def _by_guid_or(self, table: str, key: str, added: list[str]) -> dict[int, int]:
        """Rows of a flat table matched by GUID, else by `key`; the others copied in."""
        by_guid, by_key = self._ids(table, "guid"), self._ids(table, key)
        mapping = {}
        for row in map(dict, self.other.execute(f"SELECT * FROM {table} ORDER BY id")):
            found = by_guid.get(row["guid"]) or by_key.get(row[key])
            if found is None:
                found = self.copy_row(table, row)
                added.append(row[key])
            mapping[row["id"]] = found
        return mapping

    # -- the parts ----------------------------------------------------------------------------
    def _codes(self) -> dict[int, int]:
        rows = {r["id"]: dict(r) for r in self.other.execute("SELECT * FROM codes")}
        theirs = CodeTree.read(self.other)
        by_guid = self._ids("codes", "guid")
        mapping: dict[int, int] = {}
        for cid in theirs.order:  # parents first
            row = rows[cid]
            found = by_guid.get(row["guid"])
            if found is None:  # the code at exactly that path, never a namesake elsewhere
                ours = self.p.find_code_path(theirs.path[cid])
                found = ours.id if ours is not None else None
            if found is None:
                parent = row["parent_id"]
                found = self.copy_row("codes", row,
                                      parent_id=None if parent is None else mapping[parent])
                self.report.codes.append(theirs.path[cid])
            mapping[cid] = found
        return mapping

    def _groups(self) -> None:
        groups = self._by_guid_or("code_groups", "name", self.report.groups)
        have = {tuple(r) for r in self.conn.execute(
            "SELECT group_id, code_id FROM code_group_members")}
        for g, c in self.other.execute("SELECT group_id, code_id FROM code_group_members"):
            pair = (groups[g], self.codes[c])
            if pair not in have:
                self.rec.insert("code_group_members", {"group_id": pair[0], "code_id": pair[1]})
                have.add(pair)

    def _cases(self) -> dict[int, int]:
        rows = [dict(r) for r in self.other.execute("SELECT * FROM cases ORDER BY id")]
        by_id = {r["id"]: r for r in rows}

        def depth(row) -> int:
            return 0 if row["parent_id"] is None else 1 + depth(by_id[row["parent_id"]])

        mapping: dict[int, int] = {}
        by_guid, by_name = self._ids("cases", "guid"), self._ids("cases", "name")
        for row in sorted(rows, key=depth):
            found = by_guid.get(row["guid"]) or by_name.get(row["name"])
            if found is None:
                parent = row["parent_id"]
                found = self.copy_row("cases", row,
                                      parent_id=None if parent is None else mapping[parent])
                self.report.cases.append(row["name"])
            mapping[row["id"]] = found
        return mapping

    def _sources(self) -> tuple[dict[int, int], dict[int, str]]:
        ours = [dict(r) for r in self.conn.execute("SELECT id, guid, name, sha256 FROM sources")]
        by_guid = {r["guid"]: r for r in ours}
        by_sha: dict[str, list[dict]] = {}
        for r in ours:
            by_sha.setdefault(r["sha256"], []).append(r)
        names = {r["name"] for r in ours}
        mapping, aside = {}, {}
        for row in self.other.execute("SELECT id, guid, name, sha256 FROM sources"):
            same = by_guid.get(row["guid"])
            if same is not None:
                if same["sha256"] == row["sha256"]:
                    mapping[row["id"]] = same["id"]
                else:
                    aside[row["id"]] = "its text differs in this project"
                continue
            twins = by_sha.get(row["sha256"], [])
            named = [t for t in twins if t["name"] == row["name"]]
            if len(twins) == 1 or len(named) == 1:
                mapping[row["id"]] = (named or twins)[0]["id"]
            elif twins:
                aside[row["id"]] = "its text is that of several sources here"
            elif row["name"] in names:
                aside[row["id"]] = "its text differs in this project"
            else:
                aside[row["id"]] = "no such source in this project"
        return mapping, aside

    def _attributes(self) -> None:
        maps = {"case": self.cases, "source": self.sources}
        have = {(r["entity_kind"], r["entity_id"], r["name"]): (r["type"], r["value"])
                for r in self.conn.execute("SELECT * FROM attributes")}
        names = {"case": dict(self.conn.execute("SELECT id, name FROM cases").fetchall()),
                 "source": dict(self.conn.execute("SELECT id, name FROM sources").fetchall())}
        for row in map(dict, self.other.execute("SELECT * FROM attributes ORDER BY id")):
            entity = maps[row["entity_kind"]].get(row["entity_id"])
            if entity is None:
                continue  # a source set aside: its attributes stay in the copy
            key = (row["entity_kind"], entity, row["name"])
            if key not in have:
                self.copy_row("attributes", row, entity_id=entity)
                have[key] = (row["type"], row["value"])
                self.report.attributes += 1
            elif have[key] != (row["type"], row["value"]):
                self.report.conflicts.append(
                    f"{row['entity_kind']} {names[row['entity_kind']][entity]!r}: {row['name']} "
                    f"is {have[key][1]!r} here and {row['value']!r} in the copy; kept "
                    f"{have[key][1]!r}")

    def _memos(self) -> None:
        guids = set(self._ids("memos", "guid"))
        targets = {"source": self.sources, "code": self.codes, "case": self.cases}
        for row in map(dict, self.other.execute("SELECT * FROM memos ORDER BY id")):
            if row["guid"] in guids:
                continue
            target = row["target_id"]
            if row["target_kind"] != "project":
                target = targets[row["target_kind"]].get(target)
                if target is None:
                    self.report.conflicts.append(
                        f"memo {row['title'] or row['text'][:30]!r} left out: its source is "
                        "not matched here")
                    continue
            self.copy_row("memos", row, target_id=target,
                          coder_id=self.coders.get(row["coder_id"]))
            self.report.memos += 1

    def _codings(self) -> None:
        guids = set(self._ids("codings", "guid"))
        coder_names = dict(self.other.execute("SELECT id, name FROM coders").fetchall())
        code_paths = {c: self.p.code(ours).path for c, ours in self.codes.items()}
        source_names = dict(self.other.execute("SELECT id, name FROM sources").fetchall())
        by_origin: dict[str, list[NewCoding]] = {}
        unmatched = []  # codings on sources of the copy that are not ours
        rows = self.other.cursor()
        rows.row_factory = None  # plain tuples: a hundred thousand rows read in a blink
        sources, codes, coders = self.sources, self.codes, self.coders
        for guid, source_id, start, end, code_id, coder_id, memo, origin, created in rows.execute(
                'SELECT guid, source_id, start, "end", code_id, coder_id, memo, origin, '
                "created_at FROM codings ORDER BY source_id, start"):
            if guid in guids:
                continue
            source = sources.get(source_id)
            if source is None:
                unmatched.append((source_id, start, end, code_id, coder_id))
                continue
            by_origin.setdefault(origin, []).append(NewCoding(
                source, start, end, codes[code_id], coders[coder_id], memo, guid, created))
        from qualcode.analysis.excerpts import excerpts  # numpy: only when merging

        cut = excerpts(self.other, *zip(*[u[:3] for u in unmatched], strict=True)) \
            if unmatched else []
        for (source_id, _, _, code_id, coder_id), excerpt in zip(unmatched, cut, strict=True):
            self._aside(source_names[source_id], self.aside_reason[source_id],
                        code_paths[code_id], coder_names[coder_id], excerpt)
        ours_coders = dict(self.conn.execute("SELECT id, name FROM coders").fetchall())
        ours_sources = dict(self.conn.execute("SELECT id, name FROM sources").fetchall())
        for origin, items in by_origin.items():
            added = self.p.add_codings(items, origin=origin, skip_existing=True,
                                       skip_invalid=True)
            kept = set(added.ids)
            for coder_id, in self.conn.execute(
                    "SELECT coder_id FROM codings WHERE id IN (SELECT value FROM json_each(?))",
                    [str(list(kept))]):
                self.report.codings[ours_coders[coder_id]] += 1
            refused = added.refused
            texts = excerpts(self.conn, [i.source_id for i, _ in refused],
                             [i.start for i, _ in refused], [i.end for i, _ in refused])
            for (item, reason), text in zip(refused, texts, strict=True):
                self._aside(ours_sources[item.source_id], str(reason),
                            self.p.code(item.code_id).path, ours_coders[item.coder_id], text)

    def _decisions(self) -> None:
        """Decision options and criteria by name; decisions by GUID, else by document, coder,
        phase and criterion (a different decision there keeps ours and is reported)."""
        for table in ("decision_options", "criteria"):
            have = set(self._ids(table, "name"))
            for row in map(dict, self.other.execute(f"SELECT * FROM {table} ORDER BY id")):
                if row["name"] not in have:
                    self.copy_row(table, row)
        guids = set(self._ids("decisions", "guid"))
        have = {(r[0], r[1], r[2], r[3]): r[4] for r in self.conn.execute(
            "SELECT source_id, coder_id, phase, criterion, decision FROM decisions")}
        source_names = dict(self.other.execute("SELECT id, name FROM sources").fetchall())
        added = 0
        for row in map(dict, self.other.execute("SELECT * FROM decisions ORDER BY id")):
            if row["guid"] in guids:
                continue
            source = self.sources.get(row["source_id"])
            if source is None:
                self.report.conflicts.append(
                    f"a {row['phase']} decision on {source_names[row['source_id']]!r} left "
                    f"out: {self.aside_reason[row['source_id']]}")
                continue
            key = (source, self.coders[row["coder_id"]], row["phase"], row["criterion"])
            if key in have:
                if have[key] != row["decision"]:
                    self.report.conflicts.append(
                        f"{source_names[row['source_id']]!r} ({row['phase']}): decided "
                        f"{have[key]!r} here and {row['decision']!r} in the copy; kept "
                        f"{have[key]!r}")
                continue
            self.copy_row("decisions", row, source_id=key[0], coder_id=key[1])
            have[key] = row["decision"]
            added += 1
        if added:
            self.report.extra.append(counted(added, "decision"))

    def _bookmarks(self) -> None:
        guids = set(self._ids("bookmarks", "guid"))
        have = {tuple(r) for r in self.conn.execute(
            'SELECT source_id, "offset", coder_id FROM bookmarks')}
        source_names = dict(self.other.execute("SELECT id, name FROM sources").fetchall())
        added = 0
        for row in map(dict, self.other.execute("SELECT * FROM bookmarks ORDER BY id")):
            source = self.sources.get(row["source_id"])
            if row["guid"] in guids:
                continue
            if source is None:
                self.report.conflicts.append(
                    f"a bookmark{' ' + repr(row['label']) if row['label'] else ''} on "
                    f"{source_names[row['source_id']]!r} left out: "
                    f"{self.aside_reason[row['source_id']]}")
                continue
            place = (source, row["offset"], self.coders[row["coder_id"]])
            if place not in have:
                self.copy_row("bookmarks", row, source_id=source, coder_id=place[2])
                have.add(place)
                added += 1
        if added:
            self.report.extra.append(counted(added, "bookmark"))

    def _aside(self, source, reason, code, coder, excerpt) -> None:
        excerpt = excerpt if len(excerpt) <= EXCERPT else excerpt[:EXCERPT - 1] + "…"
        self.report.set_aside.append(SetAside(source, reason, code, coder, excerpt))
