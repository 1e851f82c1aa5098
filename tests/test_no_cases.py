"""A project without cases (sources only, or an attribute sheet with file rows only): the case
matrix and every export that includes it give one "(not set)" row instead of failing."""

from __future__ import annotations

import csv

from docx import Document
from openpyxl import load_workbook

from qualcode.export.matrix_docx import matrix_docx
from qualcode.export.tables import write_csv, write_xlsx

A = "I: Hvordan gikk det?\nIP: Det gikk bra, men vi hadde for lite tid.\n"
B = "I: Og ledelsen?\nIP: Lederen støttet oss.\n"


def _code(p, source, phrase, code):
    start = source.text.index(phrase)
    p.code_span(source, start, start + len(phrase), code)


def _without_cases(p):
    a, b = p.add_source("intervju_a", A), p.add_source("intervju_b", B)
    p.set_attribute("time", "T1", source=a)  # as a sheet with file rows only leaves it
    time = p.add_code("tid", en="time")
    lead = p.add_code("ledelse", en="leadership")
    _code(p, a, "for lite tid", time)
    _code(p, b, "Lederen støttet oss", lead)
    return p


def test_matrix_by_case_has_one_not_set_row(project):
    p = _without_cases(project)
    table = p.matrix("case")
    assert list(table.index) == ["(not set)"]
    assert table.loc["(not set)"].to_dict() == {"tid": 1, "ledelse": 1}
    assert p.matrix("time").to_dict("index") == {"T1": {"tid": 1, "ledelse": 0},
                                                 "(not set)": {"tid": 0, "ledelse": 1}}


def test_tables_and_word_matrix_export_without_cases(project, tmp_path_factory):
    p = _without_cases(project)
    out = tmp_path_factory.mktemp("ut")
    book = load_workbook(write_xlsx(p, out / "tabeller.xlsx"))
    assert list(book["matrix"].values) == [("case", "tid", "ledelse"), ("(not set)", 1, 1)]
    written = write_csv(p, out / "csv")
    assert {f.name for f in written} == {"codings.csv", "codes.csv", "cooccurrence.csv",
                                         "matrix.csv"}
    with open(out / "csv" / "codings.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [(r["source"], r["case"]) for r in rows] == [("intervju_a", ""), ("intervju_b", "")]
    matrix_docx(p, out / "matrise.docx", ["case"])
    cells = [c.text for t in Document(out / "matrise.docx").tables for r in t.rows
             for c in r.cells]
    assert "(not set)" in cells
