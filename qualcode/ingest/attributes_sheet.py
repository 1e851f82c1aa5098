"""Attribute sheets: one row per file (or per case) giving cases, parent cases and attributes.

Which level an attribute lands on (source, case or parent case) is decided per column; the
rules are in docs/attribute-sheet.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.errors import InputError
from qualcode.ingest import values
from qualcode.ingest.tables import read_table

RESERVED = ("file", "case", "parent_case", "case_kind", "parent_kind", "kind")
NORWEGIAN = {"fil": "file", "sak": "case", "overordnet_sak": "parent_case",
             "sakstype": "case_kind", "overordnet_sakstype": "parent_kind", "type": "kind"}
"""Norwegian names of the reserved columns."""
LEVELS = ("source", "case", "parent")
LEVEL_NAMES = {"kilde": "source", "sak": "case", "overordnet": "parent"}  # Norwegian prefixes
DEFAULT_SOURCE_COLUMNS: tuple[str, ...] = (
    "time", "time_point", "tidspunkt", "date", "dato", "data_type", "datatype", "event",
    "hendelse", "interviewer", "intervjuer",
)
"""Attributes of the occasion rather than the person: they always go on the source."""
FIELDNOTE_TYPES = frozenset({"observasjon", "observation", "feltnotat", "fieldnote",
                             "field note", "observasjonsnotat"})
SOURCE_KINDS = ("transcript", "fieldnote", "document")
KIND_NAMES = {"intervju": "transcript", "transkripsjon": "transcript", "feltnotat": "fieldnote",
              "observasjon": "fieldnote", "dokument": "document", "interview": "transcript",
              "observation": "fieldnote"}  # other names of the source kinds


@dataclass
class SheetRow:
    row: int
    file: str | None
    case: str | None
    parent: str | None
    case_kind: str
    parent_kind: str
    kind: str | None  # the source kind this row asks for, if any
    values: dict[str, Any] = field(default_factory=dict)  # attribute -> typed value or None


@dataclass
class AttributeSheet:
    path: Path
    rows: list[SheetRow]
    columns: list[str]  # attribute names in sheet order
    level: dict[str, str]  # attribute -> "source", "case" or "parent"
    per_file: bool  # one row per file (a `file` column) or one row per case
    described: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # reserved name -> header as written
    varying: set[tuple[str, str]] = field(default_factory=set)  # (case, attribute) put on sources
    warnings: list[str] = field(default_factory=list)  # from reading the file (formulas ...)
    _index: dict[str, dict] = field(default_factory=dict, repr=False)

    def row_for(self, path: Path) -> SheetRow | None:
        """The row describing an imported file: by path relative to the sheet, else by file
        name, else by name without extension (each only if it picks out one row)."""
        if not self._index:
            self._build_index()
        if not self.per_file:
            return self._index["case"].get(path.stem.casefold())
        for kind, key in (("path", path.resolve()), ("name", path.name.casefold()),
                          ("stem", path.stem.casefold())):
            found = self._index[kind].get(key)
            if found is not None:
                return found
        return None

    def _build_index(self) -> None:
        keys = {"path": lambda f: (self.path.parent / f).resolve(),
                "name": lambda f: Path(f).name.casefold(),
                "stem": lambda f: Path(f).stem.casefold()}
        for kind, key in keys.items():
            groups: dict[Any, list[SheetRow]] = defaultdict(list)
            for r in self.rows:
                if r.file:
                    groups[key(r.file)].append(r)
            self._index[kind] = {k: rows[0] for k, rows in groups.items() if len(rows) == 1}
        self._index["case"] = {r.case.casefold(): r for r in self.rows if r.case}

    def placement(self, row: SheetRow, name: str) -> str:
        """Where this row's value of `name` goes: "source", "case" or "parent" (falling back
        to the nearest level the row has)."""
        level = self.level[name]
        if level == "parent" and not row.parent:
            level = "case"
        if level == "case" and (row.case, name) in self.varying:
            level = "source"
        if level == "case" and not row.case:
            level = "source"
        return level


def read_sheet(path: str | Path, *, source_columns=DEFAULT_SOURCE_COLUMNS,
               file_column: str | None = None) -> AttributeSheet:
    """`file_column`: the name of the column naming each row's file, if not `file` or `fil`."""
    path = Path(path)
    table = read_table(path, expected=("file", "case", "parent_case", "fil", "sak",
                                       "overordnet_sak", *([file_column] if file_column else [])))
    header = table.header
    reserved = _reserved_columns(path, header, file_column)
    if reserved["file"] is None and reserved["case"] is None:
        raise InputError(path, "an attribute sheet needs a 'file' (fil) or a 'case' (sak) column; "
                               "it has " + ", ".join(repr(h) for h in header), row=1)
    per_file = reserved["file"] is not None
    source_names = {c.casefold() for c in source_columns}
    attributes: list[tuple[int, str, str | None]] = []  # (position, name, explicit level)
    for i, name in enumerate(header):
        if not name or i in reserved.values():
            continue
        level = None
        prefix, _, rest = name.partition(":")
        prefix = prefix.strip().casefold()
        if rest and (prefix in LEVELS or prefix in LEVEL_NAMES):
            level, name = LEVEL_NAMES.get(prefix, prefix), rest.strip()
            if level == "source" and not per_file:
                raise InputError(path, "a sheet without a 'file' column has no sources to put "
                                       "this attribute on", row=1, column=header[i])
        elif name.casefold() in source_names and per_file:
            level = "source"
        attributes.append((i, name, level))
    rows: list[SheetRow] = []
    raw: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for number, cells in table.rows:
        def cell(name: str, cells=cells) -> str | None:
            i = reserved[name]
            return (values.text(cells[i]) or None) if i is not None else None

        kind = cell("kind")
        row = SheetRow(number, cell("file"), cell("case"), cell("parent_case"),
                       cell("case_kind") or "case", cell("parent_kind") or "case",
                       KIND_NAMES.get(kind.casefold(), kind) if kind else None)
        if per_file and not row.file:
            raise InputError(path, "the file name is empty", row=number, column=header[
                reserved["file"]])
        if not per_file and not row.case:
            raise InputError(path, "the case name is empty", row=number,
                             column=header[reserved["case"]])
        if row.parent and not row.case:
            raise InputError(path, "a parent case needs a case on the same row", row=number,
                             column=header[reserved["parent_case"]])
        if row.kind and row.kind not in SOURCE_KINDS:
            name = header[reserved["kind"]]
            raise InputError(path, f"{row.kind!r} is not a source kind "
                                   f"({', '.join(SOURCE_KINDS)}, or {', '.join(KIND_NAMES)}); "
                                   f"for an attribute named {name!r}, write the header "
                                   f"'source:{name}'", row=number,
                             column=header[reserved["kind"]])
        for i, name, _ in attributes:
            try:
                value = values.typed(cells[i])
            except values.BadValue as exc:
                raise InputError(path, str(exc), row=number, column=header[i]) from exc
            row.values[name] = value
            raw[name].append((number, cells[i]))
        rows.append(row)
    if not rows:
        raise InputError(path, "no rows below the header", row=2)
    _check_rows(path, header, reserved, rows, per_file)
    _unify_types(rows, [name for _, name, _ in attributes], raw)
    sheet = AttributeSheet(path, rows, [name for _, name, _ in attributes], {}, per_file,
                           table.described, {name: header[i] for name, i in reserved.items()
                                             if i is not None})
    sheet.warnings += table.warnings
    for _, name, level in attributes:
        sheet.level[name] = level or _level_from_data(rows, name, per_file)
    for name in sheet.columns:
        if sheet.level[name] == "case":
            sheet.varying |= {(case, name) for case in _varying(rows, "case", name)}
    return sheet


def _reserved_columns(path: Path, header: list[str], file_column: str | None
                      ) -> dict[str, int | None]:
    """Reserved name -> its column's position (or None), by English or Norwegian name, and
    `file_column` as the file column."""
    found: dict[str, int | None] = dict.fromkeys(RESERVED)
    for i, name in enumerate(header):
        key = name.casefold()
        meaning = "file" if file_column and key == file_column.strip().casefold() else \
            key if key in RESERVED else NORWEGIAN.get(key)
        if meaning is None:
            continue
        if found[meaning] is not None:
            raise InputError(path, f"the columns {header[found[meaning]]!r} and {name!r} both "
                                   f"mean {meaning!r}; keep one", row=1, column=name)
        found[meaning] = i
    if file_column and found["file"] is None:
        raise InputError(path, f"no column {file_column!r} (given as the file column); the "
                               "header has " + ", ".join(repr(h) for h in header), row=1)
    return found


def _check_rows(path, header, reserved, rows: list[SheetRow], per_file: bool) -> None:
    parents: dict[str, tuple[str | None, int]] = {}
    files: dict[str, int] = {}
    for r in rows:
        if r.case:
            if r.case in parents and parents[r.case][0] != r.parent:
                raise InputError(path, f"case {r.case!r} has parent {r.parent or 'none'!r} here "
                                       f"but {parents[r.case][0] or 'none'!r} in row "
                                       f"{parents[r.case][1]}", row=r.row,
                                 column=header[reserved["parent_case"]]
                                 if reserved["parent_case"] is not None else "case")
            parents.setdefault(r.case, (r.parent, r.row))
        key = (r.file or "").casefold() if per_file else r.case
        if key in files:
            name = "file" if per_file else "case"
            raise InputError(path, f"{(r.file if per_file else r.case)!r} is listed twice (rows "
                                   f"{files[key]} and {r.row})", row=r.row,
                             column=header[reserved[name]])
        files[key] = r.row
    for r in rows:  # a case's parent must not be the case itself or one of its children
        seen, parent = {r.case}, r.parent
        while parent:
            if parent in seen:
                raise InputError(path, f"case {r.case!r} would be its own ancestor", row=r.row,
                                 column=header[reserved["parent_case"]])
            seen.add(parent)
            parent = parents.get(parent, (None, 0))[0]


def _unify_types(rows: list[SheetRow], names: list[str], raw) -> None:
    """A column is one type: if its cells disagree (numbers and words), all become text."""
    for name in names:
        kinds = {_kind(r.values[name]) for r in rows if r.values[name] is not None}
        if len(kinds) > 1:
            cells = dict(raw[name])
            for r in rows:
                if r.values[name] is not None:
                    r.values[name] = values.text(cells[r.row])


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return "text"


def _level_from_data(rows: list[SheetRow], name: str, per_file: bool) -> str:
    """The highest level at which the column never disagrees with itself."""
    if not per_file:
        return "case"
    if any(r.parent for r in rows) and not _varying(rows, "parent", name):
        return "parent"
    return "case"


def _varying(rows: list[SheetRow], level: str, name: str) -> set[str]:
    """The cases (level "case") or parents (level "parent") whose rows disagree on `name`;
    blank cells agree with anything."""
    seen: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        group = r.case if level == "case" else r.parent
        if group and r.values[name] is not None:
            seen[group].add(repr(r.values[name]))
    return {group for group, found in seen.items() if len(found) > 1}
