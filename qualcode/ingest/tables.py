"""Rows of a CSV or XLSX file, as Norwegian Excel writes them, with row numbers for errors.

Row numbers are the ones Excel shows: the header is row 1, the first data row is row 2 (a
comment with line breaks inside quotes still counts as one row). CSV cells come as strings; XLSX
cells keep their types (numbers, dates, booleans), so the converters in `values` accept both.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.errors import InputError
from qualcode.ingest.encodings import (
    ENCODING_NAMES,
    MOJIBAKE,
    decode,
    mojibake_message,
    read_bytes,
)

DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": "';'", ",": "','", "\t": "tab"}
csv.field_size_limit(2**31 - 1)  # free-text comments can be long


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (row number, cells padded to the header's width)
    encoding: str  # "utf-8", "utf-8-sig", "cp1252", "utf-16" or "xlsx"
    delimiter: str | None = None
    size: int = 0  # how many data rows there are, roughly (for progress bars)
    index: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # e.g. formulas without a saved result

    def __post_init__(self) -> None:
        self.index = {name.casefold(): i for i, name in enumerate(self.header)}

    def column(self, name: str, *, required: bool = True) -> int | None:
        """The position of a column (names compare without regard to case)."""
        i = self.index.get(name.strip().casefold())
        if i is None and required:
            raise InputError(self.path, f"the column {name!r} is missing; the file has "
                                        f"{_list(self.header)}", row=1, column=name)
        return i

    @property
    def described(self) -> str:
        if self.delimiter is None:
            return "Excel .xlsx"
        return (f"CSV, {DELIMITER_NAMES[self.delimiter]}-separated, "
                f"{ENCODING_NAMES.get(self.encoding, self.encoding)}")


def read_table(path: str | Path, *, expected: Iterable[str] = ()) -> Table:
    """Open a .csv/.txt (`,`, `;` or tab separated) or .xlsx file. `expected` column names
    help choose the separator when the header contains more than one candidate."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        raise InputError(path, "old Excel .xls files are not read; save it as .xlsx or CSV")
    return _read_csv(path, [e.casefold() for e in expected])


# -- CSV ---------------------------------------------------------------------------------------
def _read_csv(path: Path, expected: list[str]) -> Table:
    decoded = decode(read_bytes(path), path, check_mojibake=False)
    text = decoded.text
    if not text.strip():
        raise InputError(path, "the file is empty (expected a header row)", row=1)
    header_line = text.lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    delimiter = _delimiter(path, header_line, expected)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next((row for row in reader if any(c.strip() for c in row)), [])
    header = [h.strip() for h in header]
    if not header:
        raise InputError(path, "the file has no header row, only separators", row=1)
    _check_header(path, header)
    found = MOJIBAKE.search(text)
    if found:
        _raise_mojibake(path, header, reader, found.group())
    size = max(text.count("\n") - 1, 0)
    return Table(path, header, _csv_rows(path, header, reader, delimiter), decoded.encoding,
                 delimiter, size)


def _delimiter(path: Path, header_line: str, expected: list[str]) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS if d in header_line}
    if not counts:
        others = Counter(c for c in header_line if not (c.isalnum() or c in " _-.()'\""))
        guess = f" (it looks separated by {others.most_common(1)[0][0]!r})" if others else ""
        raise InputError(path, "cannot tell the separator: the header row has no ';', ',' or "
                               f"tab{guess}; save the file as CSV with ';' or ','", row=1)

    def score(d: str) -> tuple[int, int]:
        names = {h.strip().strip('"').casefold() for h in header_line.split(d)}
        return sum(e in names for e in expected), counts[d]

    return max(counts, key=score)


def _csv_rows(path: Path, header: list[str], reader, delimiter: str
              ) -> Iterator[tuple[int, list[str]]]:
    width = len(header)
    for number, cells in enumerate(reader, 2):
        if len(cells) != width:
            if not any(c.strip() for c in cells):
                continue  # blank lines and rows of bare separators
            if len(cells) > width:
                hint = (" (a decimal comma in a ','-separated file? Save with ';' as separator)"
                        if delimiter == "," else "")
                raise InputError(path, f"{len(cells)} cells where the header has {width}"
                                       f"{hint}", row=number)
            cells += [""] * (width - len(cells))  # some programs drop empty trailing cells
        elif not any(cells):
            continue
        yield number, cells


def _raise_mojibake(path: Path, header: list[str], reader, sequence: str) -> None:
    for number, cells in enumerate(reader, 2):
        for name, cell in zip(header, cells, strict=False):
            hit = MOJIBAKE.search(cell)
            if hit:
                raise InputError(path, mojibake_message(cell, hit.start()), row=number,
                                 column=name)
    raise InputError(path, f"the text was mis-encoded before it got here: {sequence!r}; "
                           "open the original and save it again as UTF-8", row=1)


def _check_header(path: Path, header: list[str]) -> None:
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if not name:
            if any(header[i + 1:]):
                raise InputError(path, f"column {i + 1} of the header has no name", row=1)
            continue
        if MOJIBAKE.search(name):
            raise InputError(path, mojibake_message(name, MOJIBAKE.search(name).start()),
                             row=1, column=name)
        if name.casefold() in seen:
            raise InputError(path, f"the column name occurs twice (columns {seen[name.casefold()]}"
                                   f" and {i + 1})", row=1, column=name)
        seen[name.casefold()] = i + 1


# -- XLSX --------------------------------------------------------------------------------------
def _read_xlsx(path: Path) -> Table:
    import openpyxl  # only needed for .xlsx files

    if not zipfile.is_zipfile(path):
        raise InputError(path, "not an Excel .xlsx file: it is not a zip archive")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(path, f"not a readable .xlsx file ({exc})") from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    number = 0
    header: list[str] = []
    for number, cells in enumerate(rows, 1):  # noqa: B007 (the number is used below)
        if any(c not in (None, "") for c in cells):
            header = ["" if c is None else str(c).strip() for c in cells]
            break
    while header and not header[-1]:
        header.pop()
    if not header:
        book.close()
        raise InputError(path, "the first sheet is empty (expected a header row)", row=1)
    _check_header(path, header)
    table = Table(path, header, _xlsx_rows(path, book, header, rows, number), "xlsx", None,
                  max((sheet.max_row or 0) - number, 0))
    unsaved = _formulas_without_results(path, getattr(sheet, "_worksheet_path", ""))
    if unsaved:
        more = f" and {len(unsaved) - 5} more" if len(unsaved) > 5 else ""
        table.warnings.append(
            f"{path}, cell{'s' if len(unsaved) > 1 else ''} {', '.join(unsaved[:5])}{more}: a "
            "formula without a saved result (the file was written by a program, not saved by "
            "Excel), read as empty; open the file in Excel or LibreOffice and save it")
    return table


def _mentions_formulas(f) -> bool:
    tail = b""
    while chunk := f.read(1 << 20):
        if b"<f" in tail + chunk or b":f>" in tail + chunk or b":f " in tail + chunk:
            return True
        tail = chunk[-8:]
    return False


def _formulas_without_results(path: Path, member: str) -> list[str]:
    """Cells (e.g. "C7") holding a formula whose result was never saved: openpyxl reads only
    saved results, so these would come in as empty without a word."""
    from lxml import etree

    member = member.lstrip("/") or "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        if member not in archive.namelist():
            return []
        with archive.open(member) as f:  # most sheets have no formulas: look before parsing
            if not _mentions_formulas(f):
                return []
        found = []
        with archive.open(member) as f:
            for _, cell in etree.iterparse(f, tag="{*}c", resolve_entities=False):
                kinds = {etree.QName(child).localname: child for child in cell}
                if "f" in kinds and (kinds.get("v") is None or not kinds["v"].text):
                    found.append(cell.get("r") or "?")
                cell.clear()
        return found


def _xlsx_rows(path: Path, book, header: list[str], rows, header_number: int
               ) -> Iterator[tuple[int, list[Any]]]:
    width = len(header)
    try:
        for number, cells in enumerate(rows, header_number + 1):
            cells = list(cells[:width]) + [None] * (width - len(cells))
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            for name, cell in zip(header, cells, strict=True):
                if isinstance(cell, str) and (hit := MOJIBAKE.search(cell)):
                    raise InputError(path, mojibake_message(cell, hit.start()), row=number,
                                     column=name)
            yield number, cells
    finally:
        book.close()


def _list(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
