"""Import a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder or qualcode.

Everything becomes one change (one undo step): users as coders, the codebook with its hierarchy
and code sets (as groups), cases with their variables as typed attributes, text sources (inline
<PlainTextContent>, `internal://` or a relative path, found case-insensitively under sources/ or
Sources/, UTF-8 with or without BOM), selections with one coding per <Coding>, and notes as memos
on what refers to them. What qualcode cannot hold (picture, audio, video and PDF sources, graphs,
links other than our own case memo links, sets of sources) is counted and reported as skipped. A
selection outside its text, or a coding whose code or coder is unknown, is reported with its GUID
and skipped; the rest imports.

Positions count Unicode code points in the text as the file has it. Sources are stored with `\\n`
line ends, so positions in a text with CR LF line ends are moved onto the stored text.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from decimal import InvalidOperation as BadDecimal
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from urllib.parse import unquote

from qualcode.core.codebook import machine_name
from qualcode.core.model import SOURCE_KINDS, NewCoding
from qualcode.core.util import counted, sha256
from qualcode.errors import InputError
from qualcode.ingest.archive import MAX_MEMBER_BYTES, SafeArchive
from qualcode.ingest.qdc import _local, _valid_guid, codebook_of

SKIPPED_SOURCES = {"PictureSource": "picture source", "PDFSource": "PDF source",
                   "AudioSource": "audio source", "VideoSource": "video source"}
SHOWN_SKIPS = 50  # skipped items listed one by one; the rest are counted


@dataclass
class QdpxImport:
    """What the file held, what was added, and what was skipped (with GUIDs)."""

    path: Path
    found: dict[str, int] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # one line per item: what, GUID, why
    skipped_kinds: Counter = field(default_factory=Counter)  # e.g. {"picture source": 3}
    notes: list[str] = field(default_factory=list)
    event_id: int | None = None

    def lines(self) -> list[str]:
        found = ", ".join(counted(n, what) for what, n in self.found.items())
        added = ", ".join(counted(n, what) for what, n in self.added.items() if n)
        out = [f"read {self.path.name}: {found}", f"added {added}" if added else "nothing added"]
        if self.skipped_kinds:
            out.append("skipped (qualcode holds text only): " + ", ".join(
                counted(n, what) for what, n in self.skipped_kinds.items()))
        out += [f"skipped {line}" for line in self.skipped[:SHOWN_SKIPS]]
        if len(self.skipped) > SHOWN_SKIPS:
            out.append(f"... and {len(self.skipped) - SHOWN_SKIPS} more skipped")
        out += [f"note: {n}" for n in self.notes]
        return out


def import_qdpx(project, path: str | Path, *,
                max_member_bytes: int = MAX_MEMBER_BYTES) -> QdpxImport:
    """Import the .qdpx at `path` into `project` as one change. Bad archives raise InputError
    and change nothing."""
    path = Path(path)
    with SafeArchive(path, max_member_bytes=max_member_bytes) as archive:
        reading = _Reader(project, archive)
        reading.read()
    return reading.write()


_LOWER_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _guid(element, attribute: str = "guid") -> str | None:
    return _guid_of(element.get(attribute))


def _guid_of(value: str | None) -> str | None:
    """A GUID attribute's value as we keep it (lower case, no braces), or None if invalid."""
    if value is not None and _LOWER_GUID.fullmatch(value):
        return value  # the usual form, checked quickly
    return _valid_guid(value)


_ref_of = lru_cache(maxsize=65536)(_guid_of)  # references repeat: codes, users


def _refs(element) -> list[str | None]:
    return [_guid_of(r.get("targetGUID")) for r in element.iterchildren("{*}NoteRef")]


def _children(element, local: str) -> list:
    """Child elements by local name, in any namespace (lxml's own filter: fast)."""
    return list(element.iterchildren(f"{{*}}{local}"))


def _child(element, local: str):
    return element.find(f"{{*}}{local}")


def _text(element) -> str | None:
    return element.text if element is not None else None


class _Coding(NamedTuple):
    """A <Coding> as the file gives it (raw attribute values; checked when written)."""

    guid: str | None
    code: str | None  # the CodeRef's targetGUID
    user: str | None
    created: str | None
    notes: Sequence[str | None]  # NoteRef targets


class _Selection(NamedTuple):
    guid: str | None
    start: str | None
    end: str | None
    codings: list[_Coding]
    user: str | None
    notes: Sequence[str | None]


@dataclass
class _Source:
    guid: str
    name: str
    text: str
    kind: str
    shift: list[int]  # raw offsets of the CR of each CR LF, to move positions onto the text
    selections: list[_Selection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: list = field(default_factory=list)


class _Reader:
    """Reads the whole document into plain data first, so that writing is one quick change."""

    def __init__(self, project, archive: SafeArchive):
        self.p, self.archive = project, archive
        self.path = archive.path
        self.report = QdpxImport(self.path)
        self.users: dict[str, str] = {}  # GUID -> name
        self.variables: dict[str, tuple[str, str]] = {}  # GUID -> (name, type)
        self.cases: list[dict] = []
        self.sources: list[_Source] = []
        self.notes: dict[str, dict] = {}  # GUID -> title, text, user, created
        self.code_notes: list[tuple[str, str]] = []  # (code GUID, note GUID)
        self.case_notes: list[tuple[str, str]] = []  # (case GUID, note GUID)
        self.project_notes: list[str] = []

    def count(self, what: str, n: int = 1) -> None:
        self.report.found[what] = self.report.found.get(what, 0) + n

    def skip(self, what: str, guid: str | None, why: str) -> None:
        self.report.skipped.append(f"{what} {guid or '(no GUID)'}: {why}")

    # -- reading ------------------------------------------------------------------------------
    def read(self) -> None:
        # Text sources (the bulk) are taken as the parser completes each one; what comes
        # before them in the document (users, codebook, variables, cases) is complete by then.
        self.variables_read = False
        for element in self.archive.iter_project("TextSource"):
            self._text_source(element)
        self.root = root = self.archive.root
        if _local(root) != "Project":
            raise InputError(self.path, f"project.qde holds <{_local(root)}>, not a REFI-QDA "
                                        "<Project>")
        self._users(_child(root, "Users"))
        self.tree = codebook_of(root, self.path, name=machine_name(self.path.stem),
                                required=False)
        self.count("code", sum(1 for _ in self.tree.walk()))
        for code in root.iter("{*}Code"):
            for ref in _children(code, "NoteRef"):
                self.code_notes.append((_guid(code), _guid(ref, "targetGUID")))
        self._variables(root)
        self.count("variable", len(self.variables))
        self._cases(_child(root, "Cases"))
        self._sources(_child(root, "Sources"))
        self._notes(_child(root, "Notes"))
        self._links(_child(root, "Links"))
        self._sets(_child(root, "Sets"))
        graphs = _child(root, "Graphs")
        if graphs is not None and len(_children(graphs, "Graph")):
            self.report.skipped_kinds["graph"] += len(_children(graphs, "Graph"))
        self.project_notes += [_guid(r, "targetGUID") for r in _children(root, "NoteRef")]

    def _users(self, users) -> None:
        for user in _children(users, "User") if users is not None else []:
            guid = _guid(user)
            if guid is None:
                self.skip("user", user.get("guid"), "no valid GUID")
                continue
            name = (user.get("name") or user.get("id") or "").strip() or f"user {guid[:8]}"
            self.users[guid] = name
        self.count("user", len(self.users))

    def _variables(self, root) -> None:
        """The project's variables, read once (from the document as parsed so far)."""
        if self.variables_read:
            return
        self.variables_read = True
        variables = _child(root, "Variables")
        for var in _children(variables, "Variable") if variables is not None else []:
            guid = _guid(var)
            if guid:
                self.variables[guid] = ((var.get("name") or "").strip() or f"variable {guid[:8]}",
                                        (var.get("typeOfVariable") or "Text").strip())

    def _values(self, element, owner: str) -> list[tuple[str, object]]:
        out = []
        for vv in _children(element, "VariableValue"):
            ref = _child(vv, "VariableRef")
            guid = _guid(ref, "targetGUID") if ref is not None else None
            if guid not in self.variables:
                self.skip("variable value", guid, f"of {owner}: no such variable")
                continue
            name, kind = self.variables[guid]
            given = [c for c in vv if _local(c).endswith("Value")]
            if not given or given[0].text is None:
                continue
            try:
                out.append((name, _typed(_local(given[0]), given[0].text.strip())))
            except ValueError:
                self.skip("variable value", guid, f"{name} of {owner}: {given[0].text!r} is not "
                                                  f"a valid {_local(given[0])} ({kind})")
        return out

    def _cases(self, cases) -> None:
        for n, case in enumerate(_children(cases, "Case") if cases is not None else [], 1):
            guid = _guid(case)
            lines = _labelled(_text(_child(case, "Description")))
            self.cases.append({
                "guid": guid, "name": (case.get("name") or "").strip() or f"case {n}",
                "kind": lines.get("Kind", "case"), "parent": lines.get("Part of"),
                "values": self._values(case, f"case {case.get('name')!r}"),
                "sources": [_guid(r, "targetGUID") for r in _children(case, "SourceRef")]})
        self.count("case", len(self.cases))

    def _sources(self, sources) -> None:
        """Counts what the text sources read while parsing held, and the other kinds."""
        for element in list(sources) if sources is not None else []:
            kind = _local(element)
            if kind in SKIPPED_SOURCES:
                self.report.skipped_kinds[SKIPPED_SOURCES[kind]] += 1
        self.count("text source", len(self.sources))
        self.count("selection", sum(len(s.selections) for s in self.sources))
        self.count("coding", sum(len(sel.codings) for s in self.sources for sel in s.selections))

    def _text_source(self, element) -> None:
        self._variables(element.getroottree().getroot())
        guid = _guid(element)
        name = (element.get("name") or "").strip()
        raw = self._source_text(element, guid, name)
        if raw is None:
            return
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        shift = [m.start() for m in re.finditer("\r\n", raw)] if "\r\n" in raw else []
        described = _labelled(_text(_child(element, "Description")))
        kind = described.get("Kind")
        source = _Source(guid=guid, name=name or _stem(element.get("plainTextPath")) or guid,
                         text=text, kind=kind if kind in SOURCE_KINDS else "document",
                         shift=shift)
        # The bulk of a big project, so kept lean: lxml's own tag filters (any namespace,
        # "{*}"), raw attribute values (GUIDs are checked when written), note references
        # looked for only where an element has more children than its codings.
        for sel in element.iterchildren("{*}PlainTextSelection"):
            codings = []
            for coding in sel.iterchildren("{*}Coding"):
                get = coding.get
                ref = coding[0] if len(coding) == 1 else coding.find("{*}CodeRef")
                codings.append(_Coding(get("guid"), None if ref is None else ref.get("targetGUID"),
                                       get("creatingUser"), get("creationDateTime"),
                                       _refs(coding) if len(coding) > 1 else ()))
            source.selections.append(_Selection(
                sel.get("guid"), sel.get("startPosition"), sel.get("endPosition"), codings,
                sel.get("creatingUser"), _refs(sel) if len(sel) > len(codings) else ()))
        source.notes = [_guid(r, "targetGUID") for r in _children(element, "NoteRef")]
        source.values = self._values(element, f"source {source.name!r}")
        self.sources.append(source)

    def _source_text(self, element, guid: str | None, name: str) -> str | None:
        what = f"source {name!r}" if name else "source"
        if guid is None:
            self.skip(what, element.get("guid"), "no valid GUID")
            return None
        inline = _child(element, "PlainTextContent")
        if inline is not None:
            return inline.text or ""
        given = (element.get("plainTextPath") or "").strip()
        if not given:
            self.skip(what, guid, "neither PlainTextContent nor plainTextPath")
            return None
        if given.lower().startswith("internal://"):
            rel = unquote(given[len("internal://"):])
            candidates = [f"sources/{rel}", rel]
        elif re.match(r"^[a-z][a-z0-9+.-]*://", given, re.IGNORECASE) or given.startswith("/") \
                or re.match(r"^[A-Za-z]:", given):
            self.skip(what, guid, f"its text {given!r} is outside the archive")
            return None
        else:
            rel = unquote(given)
            candidates = [rel, f"sources/{rel}"]
        info = next(filter(None, map(self.archive.find, candidates)), None)
        if info is None:
            self.skip(what, guid, f"its text {given!r} is not in the archive")
            return None
        try:
            return self.archive.read(info).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.skip(what, guid, f"{info.filename} is not UTF-8 (byte {exc.start})")
            return None

    def _notes(self, notes) -> None:
        for note in _children(notes, "Note") if notes is not None else []:
            guid = _guid(note)
            text = self._note_text(note, guid)
            if guid is None or text is None:
                continue
            self.notes[guid] = {"title": (note.get("name") or "").strip() or None, "text": text,
                                "user": _guid(note, "creatingUser"),
                                "created": _timestamp(note.get("creationDateTime"))}
        self.count("note", len(self.notes))

    def _note_text(self, note, guid) -> str | None:
        inline = _child(note, "PlainTextContent")
        if inline is not None:
            return inline.text or ""
        given = (note.get("plainTextPath") or "").strip()
        rel = unquote(given[len("internal://"):]) if given.lower().startswith("internal://") \
            else unquote(given)
        info = next(filter(None, map(self.archive.find, [f"sources/{rel}", rel])), None) \
            if rel else None
        if info is None:
            self.skip("note", guid, "its text is not in the file")
            return None
        return self.archive.read(info).decode("utf-8-sig", errors="replace")

    def _links(self, links) -> None:
        case_guids = {c["guid"] for c in self.cases}
        for link in _children(links, "Link") if links is not None else []:
            origin, target = _guid(link, "originGUID"), _guid(link, "targetGUID")
            if origin in self.notes and target in case_guids:
                self.case_notes.append((target, origin))  # a memo on a case, as we write it
            else:
                self.report.skipped_kinds["link"] += 1

    def _sets(self, sets) -> None:
        code_sets = {g.guid for g in self.tree.groups}
        for element in _children(sets, "Set") if sets is not None else []:
            if _guid(element) not in code_sets and not any(
                    g.name == (element.get("name") or "").strip() for g in self.tree.groups):
                self.report.skipped_kinds["source set"] += 1
        self.count("set", len(self.tree.groups))

    # -- writing ------------------------------------------------------------------------------
    def write(self) -> QdpxImport:
        p, report = self.p, self.report
        before = p.latest_event_id()
        with p.change("import qdpx", self.path.name):
            coders = self._write_coders()
            codes = self._write_codebook()
            cases = self._write_cases()
            sources = self._write_sources(cases)
            self._write_attributes(cases, sources)
            self._write_codings(sources, codes, coders)
            self._write_memos(sources, codes, cases, coders)
        after = p.latest_event_id()
        report.event_id = after if after != before else None
        return report

    def _write_coders(self) -> dict[str, int]:
        known = {c.name: c for c in self.p.coders()}
        taken = self.p.guids_in_use("coders", self.users)
        out, added = {}, 0
        for guid, name in self.users.items():
            if name not in known:
                known[name] = self.p.coder(name, guid=None if guid in taken else guid)
                added += 1
            out[guid] = known[name].id
        self.report.added["coder"] = added
        return out

    def _write_codebook(self) -> dict[str, int]:
        if not self.tree.codes:
            return {}
        loaded = self.p.load_codebook(self.tree)
        self.report.added["code"] = len(loaded.added)
        self.report.added["group"] = len(loaded.groups_added)
        self.report.notes += loaded.notes + [str(c) for c in loaded.conflicts]
        by_path = {c.path: c.id for c in self.p.codes()}
        return {node.guid: by_path[path] for path, node in self.tree.walk() if node.guid}

    def _write_cases(self) -> dict[str, int]:
        existing = {c.name: c for c in self.p.cases()}
        taken = self.p.guids_in_use("cases", [c["guid"] for c in self.cases if c["guid"]])
        out, added, by_name = {}, 0, {}
        for case in self.cases:
            found = existing.get(case["name"])
            if found is None:
                guid = case["guid"] if case["guid"] and case["guid"] not in taken else None
                found = self.p.add_case(case["name"], case["kind"], guid=guid)
                existing[case["name"]] = found
                added += 1
            else:
                self.report.notes.append(f"case {case['name']!r} is already in the project; "
                                         "its sources and variables from the file join it")
            if case["guid"]:
                out[case["guid"]] = found.id
            by_name[case["name"]] = found
        for case in self.cases:
            parent = case["parent"] and by_name.get(case["parent"]) or existing.get(case["parent"])
            if case["parent"] and parent is None:
                self.report.notes.append(f"case {case['name']!r}: part of {case['parent']!r}, "
                                         "which is not in the file")
            elif parent is not None and by_name[case["name"]].parent_id != parent.id:
                self.p.set_case_parent(by_name[case["name"]], parent)
        self.report.added["case"] = added
        return out

    def _write_sources(self, cases: dict[str, int]) -> dict[str, int]:
        member_of: dict[str, int] = {}
        for case in self.cases:
            for source_guid in case["sources"]:
                if source_guid in member_of and member_of[source_guid] != cases.get(case["guid"]):
                    self.report.notes.append(f"source {source_guid} is in more than one case; "
                                             f"kept in the first, not in {case['name']!r}")
                    continue
                if case["guid"] in cases:
                    member_of[source_guid] = cases[case["guid"]]
        present = self.p.source_fingerprints()
        taken = {f["name"] for f in present}
        by_guid = {f["guid"]: f for f in present}
        items, seen_guids, out, kept = [], set(), {}, 0
        for source in self.sources:
            same = by_guid.get(source.guid)
            if same is not None and same["sha256"] == sha256(source.text):
                out[source.guid] = same["id"]  # imported before: its codings join it
                kept += 1
                continue
            name, n = source.name, 2
            while name in taken:
                name, n = f"{source.name} ({n})", n + 1
            if name != source.name:
                self.report.notes.append(f"source {source.name!r} is named {name!r}: the name "
                                         "was taken")
            taken.add(name)
            guid = source.guid if source.guid not in by_guid and source.guid not in seen_guids \
                else None
            if same is not None:
                self.report.notes.append(f"source {source.guid} is in the project with another "
                                         f"text; imported as a new source {name!r}")
            seen_guids.add(source.guid)
            items.append({"name": name, "text": source.text, "kind": source.kind,
                          "case": member_of.get(source.guid), "guid": guid,
                          "origin": f"{self.path.name}"})
        ids = self.p.add_sources(items, action="import qdpx") if items else []
        new = [s for s in self.sources if s.guid not in out]
        out.update({s.guid: i for s, i in zip(new, ids, strict=True)})
        self.report.added["source"] = len(ids)
        if kept:
            self.report.notes.append(f"{counted(kept, 'source')} already in the project "
                                     "(same GUID and text)")
        return out

    def _write_attributes(self, cases: dict[str, int], sources: dict[str, int]) -> None:
        rows = [("case", cases[c["guid"]], name, value) for c in self.cases
                if c["guid"] in cases for name, value in c["values"]]
        rows += [("source", sources[s.guid], name, value) for s in self.sources
                 for name, value in s.values]
        self.report.added["attribute value"] = self.p.set_attribute_rows(rows) if rows else 0

    def _write_codings(self, sources, codes, coders) -> None:
        items, where = [], []
        fallback = _guid(self.root, "creatingUserGUID")
        guessed = 0
        for source in self.sources:
            for sel_guid, start, end, codings, sel_user, sel_notes in source.selections:
                sel_guid, sel_user = _guid_of(sel_guid), _ref_of(sel_user)
                span = _span(start, end, source)
                if span is None:
                    self.skip("selection", sel_guid, f"positions {start!r}-{end!r} are not "
                                                     "whole numbers")
                    continue
                for coding_guid, code_guid, user, created, notes in codings:
                    coding_guid, code_guid, user = (_guid_of(coding_guid), _ref_of(code_guid),
                                                    _ref_of(user))
                    if code_guid not in codes:
                        self.skip("selection", sel_guid, f"coding {coding_guid}: unknown code "
                                                         f"{code_guid}")
                        continue
                    user = user or sel_user or fallback
                    if user is None:
                        if None not in coders:  # the importing coder, looked up once
                            coders[None] = self.p.coder().id
                        coder = coders[None]
                        guessed += 1
                    elif user in coders:
                        coder = coders[user]
                    else:
                        self.skip("selection", sel_guid, f"coding {coding_guid}: unknown user "
                                                         f"{user}")
                        continue
                    memo = "\n\n".join(self.notes[n]["text"] for n in [*notes, *sel_notes]
                                       if n in self.notes) or None
                    items.append(NewCoding(sources[source.guid], span[0], span[1], codes[code_guid],
                                           coder, memo, coding_guid, _timestamp(created)))
                    where.append(sel_guid)
        if guessed:
            self.report.notes.append(f"{counted(guessed, 'coding')} named no user; "
                                     f"imported as {self.p.coder_name!r}")
        in_use = self.p.guids_in_use("codings", [c.guid for c in items if c.guid])
        seen: set[str] = set()
        for i, c in enumerate(items):  # a GUID already taken: the coding gets a new one
            if c.guid in in_use or c.guid in seen:
                items[i] = NewCoding(c.source_id, c.start, c.end, c.code_id, c.coder_id, c.memo,
                                     None, c.created_at)
            seen.add(c.guid)
        added = self.p.add_codings(items, origin="import", skip_existing=True, skip_invalid=True)
        index = {id(c): w for c, w in zip(items, where, strict=True)}
        for item, reason in added.refused:
            self.skip("selection", index[id(item)], reason)
        self.report.added["coding"] = len(added.ids)
        self.report.added["memo"] = added.with_memo
        already = len(items) - len(added.ids) - len(added.refused)
        if already:
            self.report.notes.append(f"{counted(already, 'coding')} already in the project")

    def _write_memos(self, sources, codes, cases, coders) -> None:
        """Notes become memos on what refers to them (project, source, code, case); a note
        referred to by a coding or selection is that coding's memo (see _write_codings); a
        note nothing refers to is a memo on the project."""
        in_use = self.p.guids_in_use("memos", list(self.notes))
        on_codings = {n for s in self.sources for sel in s.selections
                      for n in [*sel.notes, *(n for c in sel.codings for n in c.notes)]}
        written: set[str] = set()

        def add(note_guid: str | None, **target) -> None:
            note = self.notes.get(note_guid)
            if note is None:
                self.skip("note reference", note_guid, "no such note")
                return
            first = note_guid not in written and note_guid not in in_use
            self.p.add_memo(note["text"] or "(empty)", title=note["title"],
                            coder=self.users.get(note["user"]), created_at=note["created"],
                            guid=note_guid if first else None, **target)
            written.add(note_guid)
            self.report.added["memo"] = self.report.added.get("memo", 0) + 1

        for note in self.project_notes:
            add(note)
        for source in self.sources:
            for note in source.notes:
                add(note, source=sources[source.guid])
        for code_guid, note in self.code_notes:
            if code_guid in codes:
                add(note, code=codes[code_guid])
        for case_guid, note in self.case_notes:
            add(note, case=cases[case_guid])
        for guid in self.notes:
            if guid not in written and guid not in on_codings:
                add(guid)


def _span(start, end, source: _Source) -> tuple[int, int] | None:
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        return None
    if source.shift:  # positions count the CR of each CR LF, which the stored text has not
        start -= bisect_left(source.shift, start)
        end -= bisect_left(source.shift, end)
    return start, end


def _typed(kind: str, text: str):
    if kind == "BooleanValue":
        if text.lower() in ("true", "1"):
            return True
        if text.lower() in ("false", "0"):
            return False
        raise ValueError(text)
    if kind == "IntegerValue":
        return int(text)
    if kind == "FloatValue":
        try:
            return float(Decimal(text))
        except BadDecimal:
            raise ValueError(text) from None
    if kind == "DateValue":
        return dt.date.fromisoformat(text[:10])
    if kind == "DateTimeValue":
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return text


@lru_cache(maxsize=4096)
def _timestamp(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).isoformat()
    except ValueError:
        return None


def _labelled(text: str | None) -> dict[str, str]:
    """"Label: value" lines of a description (how we write a case's kind and parent)."""
    out = {}
    for line in (text or "").splitlines():
        label, sep, value = line.partition(":")
        if sep and label.strip() in ("Kind", "Part of") and value.strip():
            out[label.strip()] = value.strip()
    return out


def _stem(path: str | None) -> str | None:
    if not path:
        return None
    return PurePosixPath(unquote(path).replace("\\", "/").split("://")[-1]).stem or None
