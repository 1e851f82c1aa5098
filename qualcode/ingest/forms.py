"""Import fidelity forms (one row per form, CSV or XLSX) through a YAML mapping.

The whole file is one change: rows are read and checked in batches and written with
`Project.add_forms` inside one outer change, so an error in the last row leaves the project as
it was, and undo removes the whole import in one step.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from qualcode.core.pii import find_fodselsnummer
from qualcode.core.textrules import without_control_characters
from qualcode.errors import InputError
from qualcode.ingest import values
from qualcode.ingest.form_mapping import FormMapping, ItemSpec, load_mapping
from qualcode.ingest.report import ImportReport, Progress, no_progress
from qualcode.ingest.tables import Table, read_table

BATCH = 2000  # forms per add_forms call: bounds memory on very large files


class _Item(NamedTuple):
    """An ItemSpec with its columns resolved to positions in the file (a tuple: unpacked once
    per item and row, the hottest loop of a large import)."""

    kind: str
    item: str
    planned: int | None
    used: int | None
    mastery: int | None
    versions: frozenset[str] | None
    low: float
    high: float
    spec: ItemSpec


class FormReader:
    """Turns rows of a forms file into the dicts `Project.add_forms` takes."""

    def __init__(self, table: Table, mapping: FormMapping, *, strict_pii: bool = False):
        self.table, self.mapping, self.strict_pii = table, mapping, strict_pii
        self.path = table.path
        col = table.column
        self.key = col(mapping.key)
        self.date = col(mapping.date) if mapping.date else None
        self.version = col(mapping.version) if mapping.version else None
        self.office = col(mapping.office) if mapping.office else None
        self.case = col(mapping.case.column) if mapping.case else None
        self.values = [(v, col(v.column)) for v in mapping.values]
        self.items = [_Item(i.kind, i.item, *(col(c) if c else None
                                              for c in (i.planned, i.used, i.mastery)),
                            i.versions, _bound(i.mastery_min, -math.inf),
                            _bound(i.mastery_max, math.inf), i)
                      for i in mapping.items]
        self.texts = [(name, col(column)) for name, column in mapping.texts]
        self.keys: dict[str, int] = {}  # key -> row, to name both rows of a duplicate
        self.case_values: dict[str, Any] = {}  # case name -> the cell that named it
        self.versions: dict[str, int] = {}
        self.warnings: list[str] = []
        self.skipped = 0  # forms already in the project (with skip_existing)

    def unmapped_columns(self) -> list[str]:
        mapped = {c.casefold() for c in self.mapping.columns()}
        return [h for h in self.table.header if h and h.casefold() not in mapped]

    def fail(self, row: int, column: int, message: str):
        raise InputError(self.path, message, row=row, column=self.table.header[column])

    def form(self, row: int, cells: list[Any]) -> dict[str, Any]:
        key = values.text(cells[self.key])
        if not key:
            self.fail(row, self.key, "the form key is empty")
        if key in self.keys:
            self.fail(row, self.key, f"form key {key!r} occurs twice (rows {self.keys[key]} "
                                     f"and {row})")
        self.keys[key] = row
        version = None
        if self.version is not None:
            version = values.text(cells[self.version]) or None
            known = self.mapping.versions
            if known and version not in known:
                self.fail(row, self.version, f"{version or 'an empty value'!r} is not a known "
                                             f"form version ({', '.join(known)})")
            self.versions[version] = self.versions.get(version, 0) + 1
        form: dict[str, Any] = {"key": key, "version": version,
                                "form_type": self.mapping.form_type}
        if self.date is not None:
            form["date"] = self._convert(values.date, cells, row, self.date)
        if self.office is not None:
            form["office"] = values.text(cells[self.office]) or None
        if self.case is not None:
            value = values.text(cells[self.case])
            form["case"] = self.mapping.case.case_name(value) if value else None
            if value and form["case"] is None:
                self.fail(row, self.case, f"cannot make a case name from {value!r} with "
                                          f"{self.mapping.case.name!r}")
            if value:
                self.case_values[form["case"]] = cells[self.case]
        form["values"] = self._values(cells, row)
        form["items"] = self._items(cells, row, version)
        form["texts"] = texts = {}
        for field, i in self.texts:
            text = values.text(cells[i])
            if text:
                text, cleaned = without_control_characters(text)
                if cleaned:
                    self.warnings.append(f"{self.path}, row {row}, column "
                                         f"{self.table.header[i]!r}: {cleaned}")
                texts[field] = text
                self._check_pii(text, key, field, row, i)
        return form

    def _values(self, cells, row) -> dict[str, float]:
        found = {}
        for spec, i in self.values:
            value = self._convert(values.number, cells, row, i)
            if value is None:
                continue
            if not _in_range(value, spec.min, spec.max):
                self.fail(row, i, f"{cells[i]!r} is outside {_range(spec.min, spec.max)}")
            found[spec.name] = value
        return found

    def _items(self, cells: list[Any], row: int, version: str | None) -> list[dict[str, Any]]:
        """The form's items. CSV cells such as "x", "", "1" or "7" take the fast path; anything
        else goes through the general converters, which name the row and column if it fails."""
        check = values.CHECKBOX.get
        items = []
        for kind, name, planned, used, mastery, versions, low, high, spec in self.items:
            if versions is not None and version not in versions:
                items.append(self._off_form(spec, (planned, used, mastery), cells, row, version))
                continue
            ticked = None if planned is None else check(cells[planned])
            if ticked is None and planned is not None:
                ticked = self._convert(values.checkbox, cells, row, planned)
            done = None if used is None else check(cells[used])
            if done is None and used is not None:
                done = self._convert(values.checkbox, cells, row, used)
            score = None
            if mastery is not None:
                cell = cells[mastery]
                if cell == "" or cell is None:
                    pass
                elif cell.__class__ is str and cell.isdecimal():
                    score = float(cell)
                elif not values.is_blank(cell):
                    score = self._convert(values.number, cells, row, mastery)
                if score is not None and not low <= score <= high:
                    self.fail(row, mastery, f"{cell!r} is outside "
                                            f"{_range(spec.mastery_min, spec.mastery_max)}")
            items.append({"kind": kind, "item": name, "on_form": True, "planned": ticked,
                          "used": done, "mastery": score})
        return items

    def _off_form(self, spec: ItemSpec, columns, cells, row, version) -> dict[str, Any]:
        """An item the form's version does not have: its cells must be empty."""
        for i in columns:
            if i is not None and not values.is_blank(cells[i]):
                self.fail(row, i, f"{cells[i]!r}, but {spec.item!r} is not on form version "
                                  f"{version} (only on {', '.join(sorted(spec.versions))})")
        return {"kind": spec.kind, "item": spec.item, "on_form": False}

    def _convert(self, convert, cells, row, i):
        try:
            return convert(cells[i])
        except values.BadValue as exc:
            self.fail(row, i, str(exc))

    def _check_pii(self, text: str, key: str, field: str, row: int, column: int) -> None:
        for hit in find_fodselsnummer(text):
            message = (f"form {key} {field} ({hit.where()}): looks like a fødselsnummer "
                       f"({hit.masked})")
            if self.strict_pii:
                self.fail(row, column, message + "; remove it before importing")
            self.warnings.append(f"{self.path}, row {row}, column "
                                 f"{self.table.header[column]!r}: {message}")

    def batches(self, size: int = BATCH) -> Iterator[list[tuple[int, dict[str, Any]]]]:
        batch = []
        for row, cells in self.table.rows:
            batch.append((row, self.form(row, cells)))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch


def import_forms(project, path: str | Path, mapping: str | Path | FormMapping | None = None,
                 *, skip_existing: bool = False, strict_pii: bool = False,
                 progress: Progress = no_progress) -> ImportReport:
    """Import a forms file as one undoable change. Returns what was added and how it was read.

    Forms whose key is already in the project are an error, or skipped with `skip_existing`.
    """
    path = Path(path)
    if not isinstance(mapping, FormMapping):
        mapping = load_mapping(mapping)
    table = read_table(path, expected=mapping.columns())
    reader = FormReader(table, mapping, strict_pii=strict_pii)
    report = ImportReport()
    report.read[str(path)] = f"{table.described}, mapping {mapping.name}"
    report.warnings += table.warnings
    unmapped = reader.unmapped_columns()
    if unmapped:
        report.warnings.append(f"{len(unmapped)} columns not in the mapping were not imported: "
                               + ", ".join(repr(c) for c in unmapped[:10])
                               + (" ..." if len(unmapped) > 10 else ""))
    rows = 0
    progress.start(table.size, "forms")
    with project.change("import forms", path.name):
        for batch in reader.batches():
            rows += len(batch)
            forms = _new_forms(project, path, table, reader, batch, skip_existing, report)
            _add_cases(project, forms, reader, report)
            ids = project.add_forms(forms, origin=str(path.resolve()))
            report.count("forms", len(ids))
            report.count("comments", sum(1 for f in forms for t in f["texts"].values() if t))
            progress.advance(len(batch))
        if rows == 0:
            raise InputError(path, "no forms: the file has a header row but no data rows",
                             row=2)
    report.warnings += reader.warnings
    if reader.skipped:
        report.unchanged.append(f"{reader.skipped:,} forms (skipped)")
    if reader.versions and len(reader.versions) > 1:
        report.read[str(path)] += "; versions " + ", ".join(
            f"{v} ({n:,})" for v, n in sorted(reader.versions.items(), key=lambda x: str(x[0])))
    return report


def _new_forms(project, path, table, reader, batch, skip_existing, report) -> list[dict]:
    keys = [form["key"] for _, form in batch]
    existing = project.form_keys_present(keys)
    if not existing:
        return [form for _, form in batch]
    if not skip_existing:
        row, key = next((r, form["key"]) for r, form in batch if form["key"] in existing)
        raise InputError(path, f"form key {key!r} is already in the project (use "
                               "--skip-existing to import only new forms)", row=row,
                         column=table.header[reader.key])
    reader.skipped += len(existing)
    return [form for _, form in batch if form["key"] not in existing]


def _add_cases(project, forms, reader: FormReader, report: ImportReport) -> None:
    spec = reader.mapping.case
    if spec is None:
        return
    for name in sorted({f["case"] for f in forms if f.get("case")}):
        if project.has_case(name):
            continue
        project.add_case(name, spec.kind)
        report.count("cases")
        if spec.attribute:
            project.set_attribute(spec.attribute, values.typed(reader.case_values[name]),
                                  case=name)


def _bound(value: float | None, default: float) -> float:
    return default if value is None else value


def _in_range(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _range(low: float | None, high: float | None) -> str:
    fmt = lambda x: f"{x:g}"  # noqa: E731
    if low is not None and high is not None:
        return f"the range {fmt(low)}–{fmt(high)}"
    return f"the range ≥ {fmt(low)}" if low is not None else f"the range ≤ {fmt(high)}"
