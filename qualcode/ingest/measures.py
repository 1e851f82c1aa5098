"""Import a table of numbers keyed by a case or an attribute value (e.g. office-level means).

Every column other than the key is a measure. A column whose cells are all numbers (or blank)
is stored; a column of words (such as an `arm` label) is not a measure and is skipped with a
note; a column that mixes the two is an error naming the first word.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import InputError, InvalidOperation
from qualcode.ingest import values
from qualcode.ingest.report import ImportReport
from qualcode.ingest.tables import read_table


def import_measures(project, path: str | Path, key: str, *, dataset: str | None = None,
                    replace: bool = False) -> ImportReport:
    """Load the table at `path` as the measures dataset `dataset` (default: the file name
    without extension), keyed by the column `key`. One undoable change."""
    path = Path(path)
    table = read_table(path, expected=(key,))
    key_at = table.column(key)
    key_name = table.header[key_at]
    columns = [(i, name) for i, name in enumerate(table.header) if i != key_at and name]
    if not columns:
        raise InputError(path, "no columns besides the key", row=1, column=key_name)
    rows = list(table.rows)
    if not rows:
        raise InputError(path, "no rows below the header", row=2)
    keys: dict[str, int] = {}
    for number, cells in rows:
        value = values.text(cells[key_at])
        if not value:
            raise InputError(path, "the key is empty", row=number, column=key_name)
        if value in keys:
            raise InputError(path, f"key {value!r} occurs twice (rows {keys[value]} and "
                                   f"{number})", row=number, column=key_name)
        keys[value] = number
    report = ImportReport()
    report.read[str(path)] = table.described
    report.warnings += table.warnings
    found: list[tuple[str, str, float | None]] = []
    skipped = []
    for i, name in columns:
        numbers, words = [], []
        for number, cells in rows:
            try:
                numbers.append(values.number(cells[i]))
            except values.BadValue:
                words.append((number, cells[i]))
                numbers.append(None)
        if words and len(words) == sum(1 for _, c in rows if not values.is_blank(c[i])):
            skipped.append(name)
            continue
        if words:
            number, cell = words[0]
            raise InputError(path, f"{cell!r} is not a number, but other cells of this column "
                                   "are", row=number, column=name)
        found += [(values.text(cells[key_at]), name, value)
                  for (_, cells), value in zip(rows, numbers, strict=True)]
    if not found:
        raise InputError(path, "no column of numbers besides the key", row=1)
    dataset = dataset or path.stem
    try:
        result = project.add_measures(dataset, key_name, found, replace=replace)
    except InvalidOperation as exc:
        raise InputError(path, f"{exc} (use --replace)" if "replace" in str(exc) else str(exc)
                         ) from exc
    measures = len(columns) - len(skipped)
    if result.status == "unchanged":
        report.unchanged.append(f"measures {dataset!r}")
    else:
        report.count(f"values of {measures} measures for {result.keys} {key_name} keys"
                     + (" (replacing the old figures)" if result.status == "replaced" else ""),
                     result.rows)
    if skipped:
        report.warnings.append("columns of words, not numbers, were not imported as measures: "
                               + ", ".join(repr(s) for s in skipped))
    report.read[str(path)] += f"; dataset {dataset!r}, key {key_name!r}"
    return report
