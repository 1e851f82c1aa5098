"""`qualcode query ...` and `qualcode export ...` run as a user runs them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from docx import Document
from test_export_docx import study  # noqa: F401  (the fixture)
from testkit import run_qualcode as run


@pytest.fixture
def folder(study, tmp_path):  # noqa: F811
    study.close()
    return tmp_path


def test_query_cooccurrence_as_json_and_csv(folder):
    data = json.loads(run("query", "cooccurrence", "--unit", "source", "--format", "json",
                          cwd=folder).stdout)
    pair = next(d for d in data if {d["code1"], d["code2"]} ==
                {"Barrierer/opplæring", "Barrierer/veiledning"})
    assert (pair["n1"], pair["n2"], pair["n12"]) == (1, 1, 1)
    assert len(pair["coding_ids"]) == 2
    rows = list(csv.DictReader(io.StringIO(run(
        "query", "cooccurrence", "--code", "Barrierer", "--roll-up", "--code", "Føringer",
        "--unit", "case", "--pool-coders", "--format", "csv", cwd=folder).stdout)))
    assert [(r["code1"], r["code2"], r["n12"]) for r in rows] == [
        ("Barrierer", "Føringer", "0")]


def test_query_matrix_groups_fidelity_and_codings(folder):
    rows = list(csv.DictReader(io.StringIO(run(
        "query", "matrix", "--by", "role", "--format", "csv", cwd=folder).stdout)))
    assert rows[0]["role"] == "HPMT-veileder" and rows[0]["Barrierer/veiledning"] == "1"
    out = run("query", "groups", "Barrierer", "--by", "time", "--format", "csv",
              cwd=folder).stdout
    assert out.splitlines()[0] == "code,T2"
    fidelity = json.loads(run("query", "fidelity", "--by", "office", "--measures",
                              "--format", "json", cwd=folder).stdout)
    assert fidelity[0]["office"] == "2" and fidelity[0]["forms"] == 4
    assert fidelity[0]["veiledningsmøter 2012"] == 11.25
    tools = json.loads(run("query", "fidelity", "--items", "tool", "--where", "office=2",
                           "--format", "json", cwd=folder).stdout)
    assert tools == [{"month": "2012-03", "åpne spørsmål": 50.0}]
    table = run("query", "codings", "--coder", "bo", cwd=folder).stdout
    assert "for mye for fort" in table and "ane" not in table
    bad = run("query", "fidelity", "--by", "kommune", cwd=folder, ok=False)
    assert bad.returncode == 1 and bad.stderr.startswith("qualcode: error: forms have no field")


def test_a_misspelt_where_attribute_is_an_error_not_an_empty_report(folder):
    bad = run("export", "docx", "-o", "tom.docx", "--where", "rolle=leder", cwd=folder, ok=False)
    assert bad.returncode == 1
    assert bad.stderr == "qualcode: error: no source has the attribute 'rolle'\n"
    assert not (folder / "tom.docx").exists()


def test_export_docx_xlsx_and_csv(folder):
    out = run("export", "docx", "-o", "rapport.docx", "--code", "Barrierer", "--group-by",
              "office", "--anonymous", "--attribution", "{role}, {office}, {time}",
              cwd=folder).stdout
    assert out.strip() == "wrote rapport.docx: 3 excerpts under 3 codes in 1 group"
    doc = Document(str(folder / "rapport.docx"))
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert quotes and all(q.endswith("(HPMT-veileder, T2)") for q in quotes)
    run("export", "docx", "-o", "matrise.docx", "--matrix", "role", cwd=folder)
    header = [c.text for c in Document(str(folder / "matrise.docx")).tables[0].rows[0].cells]
    assert header[0] == "role"
    run("export", "xlsx", "-o", "tabeller.xlsx", "--table", "codings", cwd=folder)
    assert (folder / "tabeller.xlsx").stat().st_size > 0
    printed = run("export", "csv", "-o", "ut", cwd=folder).stdout
    assert "wrote ut/codings.csv" in printed and (folder / "ut" / "measures.csv").exists()
    bad = run("export", "csv", "-o", "alt.csv", cwd=folder, ok=False)
    assert "a .csv file holds one table" in bad.stderr


def test_query_fidelity_by_all_gives_the_total_and_each_items_counts(folder):
    total = json.loads(run("query", "fidelity", "--by", "all", "--format", "json",
                           cwd=folder).stdout)
    assert [(t["all"], t["forms"]) for t in total] == [("all", 5)]
    tools = json.loads(run("query", "fidelity", "--by", "all", "--items", "tool", "--format",
                           "json", cwd=folder).stdout)
    assert {"item", "on_form", "planned", "used", "planned %", "used %"} <= set(tools[0])
    assert all(t["all"] == "all" and t["forms"] == 5 for t in tools)
