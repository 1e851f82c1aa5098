"""Every filter reads attribute values the same way: office 2, "2", 2.0 and "2.0" are the same
office; a date, "2012-03-01" and "01.03.2012" the same date; True, "ja" and "true" the same yes.
A value the attribute's type cannot hold is a one-line error, never an empty table. Checked on
integer, float, date, boolean and text attributes, through every filter path."""

from __future__ import annotations

import datetime as dt
import json

import docx
import pandas as pd
import pytest
from testkit import run_qualcode as run

import qualcode as qc
from qualcode.errors import InvalidOperation
from qualcode.store.attribute_values import value_text
from qualcode.tui.filters import SourceFilter

TEXTS = {"A": "Alfa sier at lederen støtter oss.", "B": "Bravo sier at tiden ikke strekker til.",
         "C": "Charlie har ingen kontor registrert."}


@pytest.fixture
def typed(tmp_path):
    """Three sources; C has no office, so the office column has a gap (2.0, 5.0, NaN)."""
    path = tmp_path / "typer.qualcode"
    with qc.create_project(path, coder="ane") as p:
        attrs = {
            "A": {"office": 2, "score": 2.5, "since": dt.date(2012, 3, 1), "consent": True,
                  "role": "KVP-veileder"},
            "B": {"office": 5, "score": 3.0, "since": dt.date(2013, 1, 15), "consent": False,
                  "role": "HPMT-veileder"},
            "C": {"score": 4.0, "since": dt.date(2014, 6, 1), "consent": False,
                  "role": "HPMT-veileder"},
        }
        theme = p.add_code("tema")
        other = p.add_code("annet")
        for name, values in attrs.items():
            case = p.add_case(f"sak-{name}", "person")
            p.set_attributes(values, case=case)
            src = p.add_source(name, TEXTS[name], case=case)
            p.code_span(src, 0, len(src.text), theme)
            p.code_span(src, 0, 5, other)
            office = values.get("office")  # a form's own office is text: "2"
            p.add_forms([{"key": f"FE-{name}", "date": "2012-05-01", "case": case,
                          "office": None if office is None else str(office),
                          "values": {"rating": 1}}])
    return path


SAME = [  # (attribute, ways of writing one value, the sources that have it)
    ("office", [2, "2", 2.0, "2.0", [2]], {"A"}),
    ("office", [[2, 5], ["2", "5.0"]], {"A", "B"}),
    ("score", [2.5, "2.5", "2,5"], {"A"}),
    ("score", [3, "3", 3.0], {"B"}),
    ("since", [dt.date(2012, 3, 1), "2012-03-01", "01.03.2012"], {"A"}),
    ("consent", [True, "ja", "true", "1"], {"A"}),
    ("consent", [False, "nei", "false"], {"B", "C"}),
    ("role", ["HPMT-veileder", ["HPMT-veileder"], "hpmt-veileder"], {"B", "C"}),
]
IMPOSSIBLE = [("office", "Alna", "holds numbers"), ("score", "høy", "holds numbers"),
              ("since", "mars", "holds dates"), ("consent", "kanskje", "holds yes/no")]


def _sources_of(p, frame: pd.DataFrame) -> set[str]:
    return set(frame["source"])


@pytest.mark.parametrize("name, ways, expected", SAME)
def test_every_python_filter_path_reads_a_value_the_same_way(typed, name, ways, expected):
    with qc.open_project(typed, coder="ane") as p:
        for wanted in ways:
            where = {name: wanted}
            assert _sources_of(p, p.codings(attributes=where)) == expected, wanted
            matrix = p.matrix("source", attributes=where)
            assert set(matrix.index) == expected, wanted
            pairs = p.cooccurrence(unit="source", attributes=where)
            assert pairs["n12"].sum() == len(expected), wanted
            table = p.group_table(["tema", "annet"], by="role", attributes=where)
            assert table.to_numpy().sum() == 2 * len(expected), wanted
            forms = p.fidelity("all", where=where)
            assert forms["forms"].sum() == len(expected), wanted


@pytest.mark.parametrize("name, wanted, message", IMPOSSIBLE)
def test_a_value_the_attribute_cannot_hold_is_an_error_on_every_path(typed, name, wanted,
                                                                       message):
    with qc.open_project(typed, coder="ane") as p:
        calls = [lambda w: p.codings(attributes=w), lambda w: p.matrix("source", attributes=w),
                 lambda w: p.cooccurrence(attributes=w),
                 lambda w: p.group_table(["tema"], by="role", attributes=w)]
        if name != "office":  # a form's office is its own text field: "Alna" could be one
            calls.append(lambda w: p.fidelity("all", where=w))
        for call in calls:
            with pytest.raises(InvalidOperation, match=message):
                call({name: wanted})


def test_the_tui_sources_filter_uses_the_same_reading(typed):
    with qc.open_project(typed) as p:
        attrs = p.source_attributes()
        rows = {p.source(i).name: {k: v for k, v in r.items() if v == v and v is not None}
                for i, r in attrs.to_dict("index").items()}

    def shown(text):
        test = SourceFilter.parse(text).matcher(rows.values())
        return {name for name, a in rows.items() if test(name, a)}
    assert shown("office=2") == shown("office=2.0") == {"A"}
    assert shown("score=2.5") == {"A"}  # (a comma separates alternatives here)
    assert shown("since=01.03.2012") == shown("since=2012-03-01") == {"A"}
    assert shown("consent=ja") == shown("consent=true") == {"A"}
    assert shown("role=hpmt-veileder") == {"B", "C"}
    assert shown("office=") == {"C"}
    with pytest.raises(ValueError, match="office=Alna.*holds numbers"):
        shown("office=Alna")


def test_query_where_on_every_type(typed):
    def query(*where):
        args = [a for w in where for a in ("--where", w)]
        out = run("query", "codings", *args, "--format", "json", "-p", typed,
                  cwd=typed.parent).stdout
        return {row["source"] for row in json.loads(out)}
    assert query("office=2") == {"A"}  # the sample study's `--where office=2` found nothing
    assert query("office=2,5", "score=3") == {"B"}
    assert query("since=2012-03-01", "consent=ja") == {"A"}
    assert query("role=HPMT-veileder", "consent=false") == {"B", "C"}
    bad = run("query", "codings", "--where", "office=Alna", "-p", typed, cwd=typed.parent,
              ok=False)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [
        "qualcode: error: office=Alna: the attribute 'office' holds numbers (e.g. office=2)"]
    matrix = run("query", "matrix", "--by", "office", "--where", "office=2.0", "--format",
                 "json", "-p", typed, cwd=typed.parent).stdout
    assert [row["office"] for row in json.loads(matrix)] == ["2"]


def test_exports_filter_where_the_same_way(typed, tmp_path):
    run("export", "csv", "--table", "codings", "-o", tmp_path / "k.csv", "--where", "office=2",
        "-p", typed, cwd=tmp_path)
    assert set(pd.read_csv(tmp_path / "k.csv", encoding="utf-8-sig")["source"]) == {"A"}
    run("export", "xlsx", "--table", "codings", "-o", tmp_path / "k.xlsx", "--where",
        "since=01.03.2012", "-p", typed, cwd=tmp_path)
    sheets = pd.read_excel(tmp_path / "k.xlsx", sheet_name=None)
    assert {s for sheet in sheets.values() if "source" in sheet for s in sheet["source"]} \
        == {"A"}
    run("export", "docx", "-o", tmp_path / "k.docx", "--where", "consent=ja", "--no-numbers",
        "-p", typed, cwd=tmp_path)
    body = "\n".join(par.text for par in docx.Document(tmp_path / "k.docx").paragraphs)
    assert "lederen støtter oss" in body and "tiden ikke strekker" not in body


def test_one_text_form_of_a_value():
    assert [value_text(v) for v in (2, 2.0, 2.5, float("nan"), None, True, False,
                                     dt.date(2012, 3, 1), dt.datetime(2012, 3, 1),
                                     " KVP ")] == \
        ["2", "2", "2.5", "", "", "yes", "no", "2012-03-01", "2012-03-01", "KVP"]
