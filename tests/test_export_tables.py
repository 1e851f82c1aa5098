"""CSV and XLSX exports of the tables, read back with the csv module and openpyxl."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from test_export_docx import FNR, study  # noqa: F401  (the fixture)

import qualcode as qc
from qualcode.export.tables import write_csv, write_xlsx


def test_xlsx_has_every_table_and_one_row_per_coding(study, tmp_path):  # noqa: F811
    out = write_xlsx(study, tmp_path / "tabeller.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["codings", "codes", "cooccurrence", "matrix", "fidelity",
                               "fidelity_tools", "fidelity_principles", "measures"]
    rows = list(book["codings"].values)
    header, data = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert len(data) == 5  # one row per coding, both coders' included
    assert {"code_path", "text", "coder", "role", "time", "office", "arm", "case"} <= set(header)
    supervision = next(r for r in data if r["code_path"] == "Barrierer/veiledning")
    assert (supervision["role"], supervision["time"], supervision["office"]) == \
        ("HPMT-veileder", "T2", 2)
    assert "[fødselsnummer]" in supervision["text"] and FNR not in supervision["text"]
    fidelity = list(book["fidelity"].values)
    assert fidelity[0][:2] == ("month", "forms") and fidelity[1][:2] == ("2012-03", 5)


def test_csv_folder_and_single_file(study, tmp_path):  # noqa: F811
    written = write_csv(study, tmp_path / "ut", codes=["Barrierer"])
    assert sorted(p.name for p in written) == sorted(
        f"{n}.csv" for n in ["codings", "codes", "cooccurrence", "matrix", "fidelity",
                             "fidelity_tools", "fidelity_principles", "measures"])
    with open(tmp_path / "ut" / "cooccurrence.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    pair = next(r for r in rows if {r["code1"], r["code2"]} ==
                {"Barrierer/opplæring", "Barrierer/opplæring/for mye for fort"})
    assert pair["n12"] == "0" and pair["coding_ids"] == ""
    one = write_csv(study, tmp_path / "koder.csv", tables=["codings"], coders=["bo"])
    with open(one[0], encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [(r["coder"], r["code"]) for r in rows] == [("bo", "for mye for fort")]
    with pytest.raises(qc.InvalidOperation, match="no table 'agreement'"):
        write_csv(study, tmp_path / "x", tables=["agreement"])
