"""A matrix as a Word table on a landscape page: attribute values (or cases) × codes, with the
number of codings in each cell or one or two short excerpts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qualcode.core.util import counted
from qualcode.errors import InvalidOperation
from qualcode.export.docx_parts import Report
from qualcode.export.quotes import quote_text

CELLS = ("codings", "sources", "excerpts")


def matrix_docx(project, path: str | Path, by: str | Sequence[str] = "case", *,
                codes: Sequence | None = None, roll_up: bool = False, cells: str = "codings",
                per_cell: int = 2, max_chars: int = 160, coders: Sequence[str] | None = None,
                attributes: Mapping[str, Any] | None = None, anonymous: bool = False,
                title: str | None = None) -> Path:
    """Write the matrix of `by` × codes to `path`. `cells`: codings or sources (counts), or
    excerpts (the `per_cell` shortest, cut at `max_chars`). With `anonymous`, excerpts are
    refused when the rows would print who said them (a case or any attribute's value beside
    the quote): use counts instead."""
    if cells not in CELLS:
        raise InvalidOperation(f"cells {cells!r} is not one of {', '.join(CELLS)}")
    by = [by] if isinstance(by, str) else list(by)
    if anonymous and cells == "excerpts":
        raise InvalidOperation(
            f"anonymous: a matrix of excerpts by {', '.join(by)} would print "
            f"{' and '.join(by)} beside each quote; export counts instead")
    value = "excerpts" if cells == "excerpts" else cells
    table = project.matrix(by, codes=codes, roll_up=roll_up, value=value, coders=coders,
                           attributes=attributes)
    report = Report(title or project.name, "Matrix: " + " × ".join([*by, "codes"]), [
        ("Rows", ", ".join(by)), ("Columns", counted(len(table.columns), "code")),
        ("Cells", {"codings": "number of codings", "sources": "number of sources",
                   "excerpts": f"up to {per_cell} short excerpts"}[cells])])
    width = report.landscape()
    report.heading(" × ".join([*by, "codes"]).capitalize(), 1)
    header = [" / ".join(by), *(c.rsplit("/", 1)[-1] for c in table.columns)]
    rows = []
    for key, values in table.iterrows():
        label = " / ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
        if cells == "excerpts":
            rows.append([label, *(_short(v, per_cell, max_chars) for v in values)])
        else:
            rows.append([label, *(str(int(v)) for v in values)])
    first = min(45.0, width / (len(header) + 1) * 1.5)
    widest = 70.0 if cells == "excerpts" else 30.0  # a lone column need not span the page
    rest = min(widest, (width - first) / max(1, len(header) - 1))
    report.table(header, rows, widths=[first, *[rest] * (len(header) - 1)],
                 font_size=8 if cells == "excerpts" or len(header) > 8 else None)
    report.save(path)
    return Path(path)


def _short(excerpts: list[str], per_cell: int, max_chars: int) -> str:
    chosen = sorted(excerpts, key=len)[:per_cell]
    out = []
    for text in chosen:
        text = " ".join(text.split())
        if len(text) > max_chars:
            text = text[:max_chars - 1].rsplit(" ", 1)[0] + " …"
        out.append(quote_text(text))
    more = len(excerpts) - len(chosen)
    return "\n".join(out) + (f"\n(+{more} more)" if more > 0 else "")
