"""Every table as CSV or as one XLSX workbook: the coded excerpts (one row per coding with all
its source's attributes), code counts, co-occurrence, the case × code matrix, fidelity counts
and measures.

Lists (the coding ids behind a cell, a framework matrix's excerpts) are written as text;
identity numbers in excerpts are masked, as in the Word reports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from qualcode.errors import InvalidOperation
from qualcode.export.atomic import atomic_path
from qualcode.export.formulas import neutral_frame, text_not_formulas
from qualcode.export.masking import mask_identity_numbers

EXCEL_CELL_LIMIT = 32_767


def table_makers(project, *, codes: Sequence | None = None, descendants: bool = True,
                 coders: Sequence[str] | None = None,
                 attributes: Mapping[str, Any] | None = None, by: str = "case",
                 fidelity_by: str = "month") -> dict[str, Callable[[], pd.DataFrame]]:
    """Name -> a function giving that table, with the filters applied where they apply
    (`descendants`: given codes with their sub-codes)."""
    filters = {"codes": codes, "coders": coders, "attributes": attributes}
    descendants = descendants and codes is not None
    has_forms = bool(project.info()["forms"])
    makers: dict[str, Callable[[], pd.DataFrame]] = {
        "codings": lambda: project.codings(descendants=descendants, **filters),
        "codes": lambda: project.code_counts().reset_index(),
        "cooccurrence": lambda: project.cooccurrence(descendants=descendants, **filters),
        "matrix": lambda: project.matrix(by, descendants=descendants, **filters).reset_index(),
    }
    if has_forms:
        makers.update({
            "fidelity": lambda: project.fidelity(fidelity_by).reset_index(),
            "fidelity_tools": lambda: project.fidelity(fidelity_by, items="tool", long=True),
            "fidelity_principles": lambda: project.fidelity(fidelity_by, items="principle",
                                                            long=True),
        })
    if project.has_measures():
        makers["measures"] = lambda: project.measures()
    return makers


def flat(frame: pd.DataFrame) -> pd.DataFrame:
    """A table ready for a spreadsheet: lists joined, excerpts masked, plain column names."""
    frame = frame.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" / ".join(str(p) for p in c if str(p)) for c in frame.columns]
    for col in frame.columns:
        if _texts(frame[col]):
            frame[col] = frame[col].map(_cell)
        elif pd.api.types.is_float_dtype(frame[col]):
            values = frame[col].dropna()
            if len(values) and (values == values.round()).all() and "%" not in str(col):
                frame[col] = frame[col].astype("Int64")  # office 4, not 4.0, beside gaps
    return frame


def _texts(column: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)


def _cell(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple):
        sep = " | " if any(isinstance(v, str) for v in value) else " "
        value = sep.join(str(v) for v in value)
    if isinstance(value, str):
        value = mask_identity_numbers(value)
    return value


def write_csv(project, out: str | Path, tables: Sequence[str] | None = None,
              **filters: Any) -> list[Path]:
    """Write tables as CSV (UTF-8 with a BOM, so Excel reads æøå). `out` is a folder (one file
    per table) or, for one table, a .csv file."""
    makers = table_makers(project, **filters)
    names = _chosen(makers, tables)
    out = Path(out)
    if out.suffix.lower() == ".csv":
        if len(names) != 1:
            raise InvalidOperation("a .csv file holds one table: choose it, or give a folder")
        targets = {names[0]: out}
    else:
        targets = {name: out / f"{name}.csv" for name in names}
    frames = {name: flat(makers[name]()) for name in names}  # all made before any is written
    if out.suffix.lower() != ".csv":
        out.mkdir(parents=True, exist_ok=True)
    for name, target in targets.items():
        with atomic_path(target) as temp:
            neutral_frame(frames[name]).to_csv(temp, index=False, encoding="utf-8-sig")
    return list(targets.values())


def write_xlsx(project, out: str | Path, tables: Sequence[str] | None = None,
               **filters: Any) -> Path:
    """Write tables as the sheets of one workbook, in the order asked for."""
    makers = table_makers(project, **filters)
    names = _chosen(makers, tables)
    with atomic_path(out) as temp, pd.ExcelWriter(temp, engine="openpyxl") as writer:
        for name in names:
            frame = flat(makers[name]())
            for col in frame.columns:
                if _texts(frame[col]):
                    frame[col] = frame[col].map(_fit_excel)
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes = "A2"
            text_not_formulas(sheet)
            for column in sheet.columns:
                width = max((len(str(c.value)) for c in column[:200] if c.value is not None),
                            default=8)
                sheet.column_dimensions[column[0].column_letter].width = min(60, width + 2)
    return Path(out)


def _fit_excel(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters Excel cannot store
    if len(value) > EXCEL_CELL_LIMIT:
        return value[:EXCEL_CELL_LIMIT - 20] + " … (cut for Excel)"
    return value


def _chosen(makers: dict, tables: Sequence[str] | None) -> list[str]:
    if not tables:
        return list(makers)
    unknown = [t for t in tables if t not in makers]
    if unknown:
        raise InvalidOperation(f"no table {unknown[0]!r} in this project (there are: "
                               f"{', '.join(makers)})")
    return list(tables)
