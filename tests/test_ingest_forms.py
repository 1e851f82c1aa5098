"""Importing FE forms: the shipped mapping reads the demo file exactly; bad files change nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from testkit import table_dump

from qualcode.errors import InputError
from qualcode.ingest.form_mapping import load_mapping
from qualcode.ingest.forms import import_forms

DEMO = Path(__file__).parents[1] / "corpora" / "hpmt_demo" / "fe_forms.csv"
TOOLS = ["oppsummering", "apne_sporsmal", "aktiv_lytting", "speilinger", "utu", "smarte_mal",
         "helhetsmodellen", "plan_smarte_mal", "iima", "skalering", "endringsspiralen",
         "ambivalensvekt", "livshjulet", "fak_svak", "fak_sterk", "nettverkskart", "systemkart",
         "ai_5d"]


def demo_rows(n: int | None = None) -> tuple[list[str], list[list[str]]]:
    with DEMO.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    return rows[0], rows[1:n + 1 if n else None]


def write_forms(path: Path, header: list[str], rows: list[list[str]], *, sep: str = ";",
                encoding: str = "utf-8-sig") -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def set_cell(header, row, column, value):
    row[header.index(column)] = value


def events(project) -> int:
    return project.conn.execute("SELECT count(*) FROM events").fetchone()[0]


def refused(project, path, message, **kwargs):
    """Import must fail with exactly `message` and leave every table and the log as they were."""
    before, logged = table_dump(project), events(project)
    with pytest.raises(InputError) as err:
        import_forms(project, path, **kwargs)
    assert str(err.value) == message
    assert table_dump(project) == before and events(project) == logged


# -- the demo file, exactly --------------------------------------------------------------------
def test_the_shipped_mapping_imports_the_demo_file_exactly(project):
    report = import_forms(project, DEMO)
    assert report.added == {"cases": 9, "forms": 1672, "comments": 1437}
    assert "CSV, ';'-separated, UTF-8 with BOM" in report.lines()[0]
    # An independent reading of the same file with pandas, cell by cell.
    raw = pd.read_csv(DEMO, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    mapping = load_mapping()
    expected_items, expected_values, expected_forms = set(), set(), set()
    for _, r in raw.iterrows():
        day = dt.datetime.strptime(r.dato, "%d.%m.%Y").date().isoformat()
        expected_forms.add((r.skjema_id, day, r.versjon, r.kontor, f"kontor{int(r.kontor):02d}"))
        for name in ("gjennomfort_som_tenkt", "mal_oppnadd"):
            expected_values.add((r.skjema_id, name, float(r[name].replace(",", "."))))
        for item in mapping.items:
            on_form = not (item.item == "UTU" and r.versjon == "2011-09")
            cells = [r[c] if c else "" for c in (item.planned, item.used, item.mastery)]
            expected_items.add((r.skjema_id, item.kind, item.item, int(on_form),
                                (cells[0] == "x") if on_form else None,
                                (cells[1] == "1") if on_form and item.used else None,
                                float(cells[2]) if cells[2] else None))
    q = project.conn.execute
    assert {tuple(r) for r in q("SELECT f.key, f.date, f.version, f.office, c.name FROM forms f "
                                "JOIN cases c ON c.id = f.case_id")} == expected_forms
    assert {tuple(r) for r in q("SELECT f.key, v.name, v.value FROM form_values v "
                                "JOIN forms f ON f.id = v.form_id")} == expected_values
    assert {(k, kind, item, on, None if p is None else bool(p), None if u is None else bool(u), m)
            for k, kind, item, on, p, u, m in q(
                "SELECT f.key, i.kind, i.item, i.on_form, i.planned, i.used, i.mastery "
                "FROM form_items i JOIN forms f ON f.id = i.form_id")} == expected_items
    comments = {(s.name, s.text) for s in project.sources(kind="form_field")}
    assert comments == {(f"{r.skjema_id} {field}", r[field].strip()) for _, r in raw.iterrows()
                        for field in ("kommentar1", "kommentar2") if r[field].strip()}
    # The figures the demo README promises follow from what was stored.
    per_form = q("SELECT avg(n) FROM (SELECT sum(planned) n FROM form_items "
                 "WHERE kind = 'tool' GROUP BY form_id)").fetchone()[0]
    assert round(per_form, 2) == 5.20
    assert q("SELECT count(*) FROM form_items i JOIN forms f ON f.id = i.form_id "
             "WHERE i.item = 'UTU' AND i.on_form = 0").fetchone()[0] == 314
    assert project.attributes(case="kontor04") == {"office": 4}


def test_a_form_comment_carries_its_form_and_office(project):
    import_forms(project, DEMO)
    attrs = project.source_attributes().loc[project.source("FE-00003 kommentar1").id]
    assert (attrs.form, attrs.form_date, attrs.case, attrs.office) == (
        "FE-00003", "2011-09-15", "kontor18", 18)


def test_the_import_is_one_undoable_change(project):
    import_forms(project, DEMO)
    assert [e.action for e in project.history()] == ["import forms"]
    project.undo()
    assert project.info()["forms"] == 0 and project.sources() == [] and project.cases() == []


def test_forms_already_in_the_project_are_refused_or_skipped(project, tmp_path):
    header, rows = demo_rows(3)
    import_forms(project, write_forms(tmp_path / "a.csv", header, rows[:2]))
    both = write_forms(tmp_path / "b.csv", header, rows)
    refused(project, both, f"{both}, row 2, column 'skjema_id': form key 'FE-00001' is already "
                           "in the project (use --skip-existing to import only new forms)")
    report = import_forms(project, both, skip_existing=True)
    assert report.added["forms"] == 1 and project.info()["forms"] == 3
    assert report.lines()[1:] == ["unchanged, already in the project: 2 forms (skipped)",
                                  "added 1 case, 1 form, 1 comment"]


# -- other layouts: comma CSV, Windows-1252, XLSX, checkbox words -------------------------------
def test_comma_separated_windows_1252_with_point_decimals(project, tmp_path):
    header, rows = demo_rows(5)
    for row in rows:
        row[header.index("mal_oppnadd")] = row[header.index("mal_oppnadd")].replace(",", ".")
    set_cell(header, rows[0], "kommentar1", "Bra møte, ærlig og åpent; «godt».")
    path = write_forms(tmp_path / "fe.csv", header, rows, sep=",", encoding="cp1252")
    report = import_forms(project, path)
    assert "CSV, ','-separated, Windows-1252" in report.lines()[0]
    assert project.source("FE-00001 kommentar1").text == "Bra møte, ærlig og åpent; «godt»."


@pytest.mark.parametrize("ticked, unticked", [("1", "0"), ("x", ""), ("X", " "), ("ja", "nei"),
                                              ("Ja", "Nei"), ("true", "false"),
                                              ("TRUE", "FALSE")])
def test_checkbox_words(project, tmp_path, ticked, unticked):
    header, rows = demo_rows(1)
    set_cell(header, rows[0], "oppsummering_planlagt", ticked)
    set_cell(header, rows[0], "oppsummering_brukt", ticked)
    set_cell(header, rows[0], "apne_sporsmal_planlagt", unticked)
    set_cell(header, rows[0], "apne_sporsmal_brukt", unticked)
    set_cell(header, rows[0], "apne_sporsmal_mestring", "")
    import_forms(project, write_forms(tmp_path / "fe.csv", header, rows))
    got = dict(((item), (p, u)) for item, p, u in project.conn.execute(
        "SELECT item, planned, used FROM form_items WHERE item IN "
        "('oppsummering', 'åpne spørsmål')"))
    assert got == {"oppsummering": (1, 1), "åpne spørsmål": (0, 0)}


def test_xlsx_forms_with_typed_cells_and_a_custom_mapping(project, tmp_path):
    mapping = tmp_path / "skjema.yaml"
    mapping.write_text(
        "mapping: oppfolging\nform_type: OPF\nkey: id\ndate: dato\nversion: versjon\n"
        "versions: [v1, v2]\noffice: kontor\nvalues:\n  tilfredshet: {min: 0, max: 4}\n"
        "items:\n  - kind: tool\n    columns: {planned: '{slug}_plan', used: '{slug}_brukt'}\n"
        "    list:\n      - {item: skalering, slug: skal}\n"
        "      - {item: livshjulet, slug: liv, versions: [v2]}\n"
        "texts: {merknad: fritekst}\n", encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "dato", "versjon", "kontor", "tilfredshet", "skal_plan", "skal_brukt",
                  "liv_plan", "liv_brukt", "fritekst"])
    sheet.append([101, dt.datetime(2012, 3, 1), "v2", 5, 3.5, True, "ja", 1, 0, "Gikk fint."])
    sheet.append([102, 41000, "v1", 5, 2, "x", None, None, None, None])  # 41000 = 1.4.2012
    sheet.append([None] * 10)
    path = tmp_path / "skjema.xlsx"
    book.save(path)
    report = import_forms(project, path, mapping)
    assert report.added == {"forms": 2, "comments": 1}
    q = project.conn.execute
    assert [tuple(r) for r in q("SELECT key, form_type, date, version, office FROM forms")] == [
        ("101", "OPF", "2012-03-01", "v2", "5"), ("102", "OPF", "2012-04-01", "v1", "5")]
    assert [tuple(r) for r in q("SELECT f.key, item, on_form, planned, used FROM form_items i "
                                "JOIN forms f ON f.id = form_id ORDER BY 1, 2")] == [
        ("101", "livshjulet", 1, 1, 0), ("101", "skalering", 1, 1, 1),
        ("102", "livshjulet", 0, None, None), ("102", "skalering", 1, 1, 0)]
    assert project.source("101 merknad").text == "Gikk fint."


# -- bad input: one line naming file, row and column; nothing changes ----------------------------
def test_wrong_delimiter_is_refused(project, tmp_path):
    header, rows = demo_rows(2)
    piped = write_forms(tmp_path / "pipe.csv", header, rows, sep="|")
    refused(project, piped, f"{piped}, row 1: cannot tell the separator: the header row has no "
                            "';', ',' or tab (it looks separated by '|'); save the file as CSV "
                            "with ';' or ','")
    set_cell(header, rows[1], "mal_oppnadd", "7,5")
    comma = tmp_path / "komma.csv"  # ','-separated by hand, with the decimal comma unquoted
    comma.write_text("\r\n".join(",".join(r) for r in [header, *rows]) + "\r\n",
                     encoding="utf-8")
    refused(project, comma, f"{comma}, row 3: 83 cells where the header has 82 (a decimal comma "
                            "in a ','-separated file? Save with ';' as separator)")


def test_checkbox_kanskje_is_refused(project, tmp_path):
    header, rows = demo_rows(3)
    set_cell(header, rows[1], "oppsummering_planlagt", "kanskje")
    path = write_forms(tmp_path / "fe.csv", header, rows)
    refused(project, path, f"{path}, row 3, column 'oppsummering_planlagt': 'kanskje' is not a "
                           "checkbox value (use 1/0, x/blank, ja/nei or true/false)")


def test_impossible_date_is_refused(project, tmp_path):
    header, rows = demo_rows(3)
    set_cell(header, rows[2], "dato", "31.02.2012")
    path = write_forms(tmp_path / "fe.csv", header, rows)
    refused(project, path, f"{path}, row 4, column 'dato': '31.02.2012' is not a valid date "
                           "(day is out of range for month)")


def test_missing_mapped_column_is_refused(project, tmp_path):
    header, rows = demo_rows(2)
    at = header.index("mal_oppnadd")
    header = header[:at] + header[at + 1:]
    rows = [r[:at] + r[at + 1:] for r in rows]
    path = write_forms(tmp_path / "fe.csv", header, rows)
    refused(project, path, f"{path}, row 1, column 'mal_oppnadd': the column 'mal_oppnadd' is "
                           "missing; the file has 'skjema_id', 'dato', 'versjon', 'kontor', "
                           "'gjennomfort_som_tenkt', 'oppsummering_planlagt', "
                           "'oppsummering_brukt', 'oppsummering_mestring' and 73 more")


def test_mojibake_file_is_refused(project, tmp_path):
    header, rows = demo_rows(3)
    broken = "Hun ønsket å komme i jobb.".encode().decode("cp1252")  # UTF-8 read as 1252
    set_cell(header, rows[2], "kommentar1", broken)
    path = write_forms(tmp_path / "fe.csv", header, rows)
    refused(project, path, f"{path}, row 4, column 'kommentar1': the text was mis-encoded before "
                           "it got here: 'Ã¸' (probably 'ø'); open the original and save it "
                           "again as UTF-8")


def test_empty_file_and_header_only_file_are_refused(project, tmp_path):
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"\xef\xbb\xbf\r\n")
    refused(project, empty, f"{empty}, row 1: the file is empty (expected a header row)")
    header, _ = demo_rows(0)
    only = write_forms(tmp_path / "hode.csv", header, [])
    refused(project, only, f"{only}, row 2: no forms: the file has a header row but no data rows")


def test_duplicate_form_key_is_refused(project, tmp_path):
    header, rows = demo_rows(4)
    set_cell(header, rows[3], "skjema_id", "FE-00002")
    path = write_forms(tmp_path / "fe.csv", header, rows)
    refused(project, path, f"{path}, row 5, column 'skjema_id': form key 'FE-00002' occurs twice "
                           "(rows 3 and 5)")


def test_an_error_in_the_last_row_undoes_the_batches_before_it(project, tmp_path):
    header, rows = demo_rows()
    set_cell(header, rows[-1], "oppsummering_mestring", "11")
    path = write_forms(tmp_path / "fe.csv", header, rows)
    refused(project, path, f"{path}, row 1673, column 'oppsummering_mestring': '11' is outside "
                           "the range 1–10")


def test_a_value_for_an_item_not_on_the_forms_version_is_refused(project, tmp_path):
    header, rows = demo_rows(1)  # FE-00001 is a 2011-09 form, before UTU was on the form
    set_cell(header, rows[0], "utu_planlagt", "x")
    path = write_forms(tmp_path / "fe.csv", header, rows)
    refused(project, path, f"{path}, row 2, column 'utu_planlagt': 'x', but 'UTU' is not on form "
                           "version 2011-09 (only on 2012-02)")


def test_fodselsnummer_in_a_comment_warns_or_with_strict_is_refused(project, tmp_path):
    header, rows = demo_rows(2)
    set_cell(header, rows[1], "kommentar2", "Ring henne, fnr 45077512318.")
    path = write_forms(tmp_path / "fe.csv", header, rows)
    refused(project, path, f"{path}, row 3, column 'kommentar2': form FE-00002 kommentar2 "
                           "(line 1, column 17): looks like a fødselsnummer (450775*****); remove "
                           "it before importing", strict_pii=True)
    report = import_forms(project, path)
    assert report.warnings == [f"{path}, row 3, column 'kommentar2': form FE-00002 kommentar2 "
                               "(line 1, column 17): looks like a fødselsnummer (450775*****)"]
    assert "45077512318" not in "\n".join(report.lines())


def test_a_mapping_with_an_unknown_key_is_refused(project, tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("key: skjema_id\nverktøy: []\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"m.yaml, line 2: verktøy: unknown key 'verktøy'; "
                                         r"allowed here: mapping, title, form_type, key, "):
        import_forms(project, DEMO, mapping)


SHIPPED = Path(__file__).parents[1] / "qualcode" / "ingest" / "mappings" / "hpmt_fe.yaml"


@pytest.mark.parametrize(("right", "wrong", "message"), [
    ('utu, since: "2012-02"', 'utu, sinse: "2012-02"',
     "line 29: items[0].list[4].sinse: unknown key 'sinse' (did you mean 'since'?); allowed "
     "here: item, slug, en, planned, used, mastery, since, versions"),
    ("    mastery: {min: 1, max: 10}\n    list:\n      - {item: oppsummering",
     "    mastry: {min: 1, max: 10}\n    list:\n      - {item: oppsummering",
     "line 23: items[0].mastry: unknown key 'mastry' (did you mean 'mastery'?); allowed here: "
     "kind, columns, mastery, list"),
    ("mastery: {min: 1, max: 10}\n    list:\n      - {item: være",
     "mastery: {min: 1, maks: 10}\n    list:\n      - {item: være",
     "line 46: items[1].mastery.maks: unknown key 'maks' (did you mean 'max'?); allowed here: "
     "min, max"),
    ("used: \"{slug}_brukt\"", "usd: \"{slug}_brukt\"",
     "line 22: items[0].columns.usd: unknown key 'usd' (did you mean 'used'?); allowed here: "
     "planned, used, mastery"),
    ("mal_oppnadd: {min: 0, max: 10}", "mal_oppnadd: {min: 0, maximum: 10}",
     "line 19: values.mal_oppnadd.maximum: unknown key 'maximum' (did you mean 'max'?); "
     "allowed here: column, min, max"),
    ("  kind: office", "  kindd: office",
     "line 15: case.kindd: unknown key 'kindd' (did you mean 'kind'?); allowed here: column, "
     "name, kind, attribute"),
    ("{item: AI-5D, slug: ai_5d", "{item: AI/5D, slug: ai_5d",
     "line 42: items[0].list[17].item: name 'AI/5D' contains '/', which separates code paths "
     "(write e.g. 'AI-5D')"),
])
def test_every_key_at_every_level_of_a_mapping_is_checked(project, tmp_path, right, wrong,
                                                          message):
    """A misspelt `since` would count UTU on every form; a misspelt `mastery` would drop the
    range check: both are refused, naming the key, its place, its line and the keys allowed."""
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.count(right) == 1
    mapping = tmp_path / "m.yaml"
    mapping.write_text(text.replace(right, wrong), encoding="utf-8")
    before = table_dump(project)
    with pytest.raises(InputError) as caught:
        import_forms(project, DEMO, mapping)
    assert str(caught.value) == f"{mapping}, {message}"
    assert table_dump(project) == before


def test_the_example_in_the_mapping_docs_is_a_valid_mapping(tmp_path):
    doc = (Path(__file__).parents[1] / "docs" / "form-mapping.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "m.yaml").write_text(example, encoding="utf-8")
    mapping = load_mapping(tmp_path / "m.yaml")
    by_name = {i.item: i for i in mapping.items}
    assert by_name["UTU"].versions == frozenset({"2012-02"})
    assert (by_name["systemkart"].planned, by_name["systemkart"].used) == ("sk_planlagt",
                                                                          "sk_gjort")
    assert mapping.case.case_name("4") == "kontor04"
    assert [(v.name, v.column) for v in mapping.values] == [
        ("gjennomfort_som_tenkt", "gjennomfort_som_tenkt"), ("mal_oppnadd", "mal")]


def test_a_case_template_that_does_not_fit_a_value_names_row_and_column(project, tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("key: id\ncase: {column: kontor, name: 'kontor{value:02d}'}\n",
                       encoding="utf-8")
    forms = tmp_path / "f.csv"
    forms.write_text("id;kontor\n1;4\n2;Bergen\n", encoding="utf-8")
    refused(project, forms, f"{forms}, row 3, column 'kontor': cannot make a case name from "
                            "'Bergen' with 'kontor{value:02d}'", mapping=mapping)
    forms.write_text("id;kontor\n1;4\n", encoding="utf-8")
    import_forms(project, forms, mapping)
    assert [c.name for c in project.cases()] == ["kontor04"]
