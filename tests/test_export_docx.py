"""The Word exports, read back with python-docx (and converted by LibreOffice when installed)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from docx import Document

import qualcode as qc
from qualcode.export.masking import mask_identity_numbers
from qualcode.export.matrix_docx import matrix_docx
from qualcode.export.quotes import attribution
from qualcode.export.report_docx import excerpts_docx

FNR = "15039010043"  # checksum-valid: must never be printed

A_T2 = ("I: Hva skjedde etter samlingen?\n"
        "IP: Det ble for mye på en gang. Vi rakk aldri å øve før neste verktøy kom.\n"
        "I: Og veiledningen?\n"
        f"IP: [navn] tok opp saken hans, fødselsnummer {FNR}, og det hjalp oss mye.\n")
B_T1 = ("IP: Lederen vår satte av tid hver fjortende dag.\n"
        "IP: Jeg følte meg som en nybegynner igjen med skjemaene.\n")


@pytest.fixture
def study(project):
    p = project
    for office, arm in ((2, "tiltak"), (5, "tiltak")):
        case = p.add_case(f"kontor{office:02d}", "office")
        p.set_attributes({"office": office, "arm": arm}, case=case)
    a = p.add_case("kontor02-A", "person", parent="kontor02")
    p.set_attribute("role", "HPMT-veileder", case=a)
    b = p.add_case("kontor05-B", "person", parent="kontor05")
    p.set_attribute("role", "KVP-veileder", case=b)
    s1 = p.add_source("kontor02_T2", A_T2, case=a)
    p.set_attribute("time", "T2", source=s1)
    s2 = p.add_source("kontor05_T1", B_T1, case=b)
    p.set_attribute("time", "T1", source=s2)
    themes = p.add_code("Barrierer", codable=False, description="Det som hemmer.")
    training = p.add_code("opplæring", themes)
    too_much = p.add_code("for mye for fort", training)
    supervision = p.add_code("veiledning", themes)
    enablers = p.add_code("Føringer", codable=False)
    lead = p.add_code("ledelse", enablers)

    def code(src, phrase, c, coder=None):
        start = src.text.index(phrase)
        p.code_span(src, start, start + len(phrase), c, coder=coder)

    code(s1, "Det ble for mye på en gang.", too_much)
    code(s1, "Det ble for mye på en gang.", too_much, coder="bo")  # printed once
    code(s1, "Vi rakk aldri å øve før neste verktøy kom.", training)
    code(s1, f"[navn] tok opp saken hans, fødselsnummer {FNR}, og det hjalp oss mye.",
         supervision)
    code(s2, "Lederen vår satte av tid hver fjortende dag.", lead)
    p.add_forms([
        {"key": f"FE-{i}", "date": dt.date(2012, 3, 1 + i), "version": "2012-02",
         "office": office, "case": f"kontor{office:02d}",
         "values": {"gjennomfort_som_tenkt": 8.0},
         "items": [{"kind": "tool", "item": "åpne spørsmål", "planned": i % 2 == 0,
                    "used": True, "mastery": 7}],
         "texts": {"kommentar1": "Godt møte."} if i < 3 else {}}
        for i, office in enumerate([2, 2, 2, 2, 5])])
    with p.change("import measures") as rec:
        rec.insert_many("measures", [
            {"id": 1, "dataset": "kontor", "key_name": "office", "key_value": "2",
             "name": "veiledningsmøter 2012", "value": 11.25}])
    return p


def paragraphs(path):
    return [(p.style.name, p.text) for p in Document(str(path)).paragraphs if p.text.strip()]


def test_excerpts_follow_the_code_tree_with_attributed_quotes(study, tmp_path):
    out = tmp_path / "utdrag.docx"
    result = excerpts_docx(study, out)
    assert result.excerpts == 4
    body = paragraphs(out)
    assert body[0] == ("Title", "study")
    title_page = dict(p.split(": ", 1) for s, p in body if s == "Normal" and ": " in p)
    assert title_page["Filters"] == "none (all coded excerpts)"
    assert title_page["Quotes attributed by"] == "role, time"
    assert title_page["Date"] == dt.date.today().isoformat()
    headings = [(s, t) for s, t in body if s.startswith("Heading")]
    assert headings == [("Heading 1", "Barrierer"), ("Heading 2", "opplæring"),
                        ("Heading 3", "for mye for fort"), ("Heading 2", "veiledning"),
                        ("Heading 1", "Føringer"), ("Heading 2", "ledelse")]
    quotes = [t for s, t in body if s == "Quote"]
    assert quotes == [
        "«Vi rakk aldri å øve før neste verktøy kom.» (HPMT-veileder, T2)",
        "«Det ble for mye på en gang.» (HPMT-veileder, T2)",
        "«[navn] tok opp saken hans, fødselsnummer [fødselsnummer], og det hjalp oss mye.» "
        "(HPMT-veileder, T2)",
        "«Lederen vår satte av tid hver fjortende dag.» (KVP-veileder, T1)"]
    assert ("Normal", "Det som hemmer.") in body  # the code's definition under its heading
    assert FNR not in " ".join(t for _, t in body)


def test_grouped_by_office_with_numbers_and_anonymous_quotes(study, tmp_path):
    out = tmp_path / "kontor.docx"
    excerpts_docx(study, out, group_by="office", anonymous=True,
                  attribution="{role}, {office}, {time}", codes=["Barrierer"])
    doc = Document(str(out))
    body = paragraphs(out)
    headings = [(s, t) for s, t in body if s.startswith("Heading")]
    assert headings == [("Heading 1", "Office A"), ("Heading 2", "Barrierer"),
                        ("Heading 3", "opplæring"), ("Heading 4", "for mye for fort"),
                        ("Heading 3", "veiledning")]
    quotes = [t for s, t in body if s == "Quote"]
    assert all(t.endswith("(HPMT-veileder, T2)") for t in quotes) and len(quotes) == 3
    facts = {p.split(": ", 1)[0]: p.split(": ", 1)[1] for s, p in body if ": " in p
             and s == "Normal"}
    assert facts["Anonymity"].startswith("office is never printed beside a quote; the groups "
                                         "are named office A, B, …")
    assert facts["Filters"] == "codes Barrierer (with sub-codes)"
    figures = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert figures["Forms"] == "4"
    assert figures["Forms with kommentar1 filled"] == "75%"
    assert figures["Mean gjennomfort_som_tenkt"] == "8.0"
    assert figures["veiledningsmøter 2012"] == "11.25"
    tools = [[c.text for c in r.cells] for r in doc.tables[1].rows]
    assert tools == [["Tool", "Planned", "Used", "Mean mastery"],
                     ["åpne spørsmål", "50%", "100%", "7.0"]]
    assert all(t.style.name == "Light Grid Accent 1" for t in doc.tables)


def test_layout_code_then_office(study, tmp_path):
    out = tmp_path / "kode.docx"
    excerpts_docx(study, out, group_by="office", layout="code-group",
                  codes=["Føringer/ledelse", "Barrierer/veiledning"])
    body = paragraphs(out)
    headings = [(s, t) for s, t in body if s.startswith("Heading")]
    assert headings == [("Heading 1", "Figures by office"), ("Heading 1", "Barrierer"),
                        ("Heading 2", "veiledning"), ("Heading 3", "Office 2"),
                        ("Heading 1", "Føringer"), ("Heading 2", "ledelse"),
                        ("Heading 3", "Office 5")]
    overview = [[c.text for c in r.cells] for r in Document(str(out)).tables[0].rows]
    assert overview[0] == ["office", "2", "5"]
    assert overview[1] == ["Forms", "4", "1"]
    assert overview[-1] == ["veiledningsmøter 2012", "11.25", "–"]
    quotes = [t for s, t in body if s == "Quote"]
    assert quotes[1] == "«Lederen vår satte av tid hver fjortende dag.» (KVP-veileder, T1)"


def test_matrix_export_counts_and_excerpts(study, tmp_path):
    out = matrix_docx(study, tmp_path / "matrise.docx", "role")
    rows = [[c.text for c in r.cells] for r in Document(str(out)).tables[0].rows]
    assert rows[0] == ["role", "opplæring", "for mye for fort", "veiledning", "ledelse"]
    assert rows[1] == ["HPMT-veileder", "1", "2", "1", "0"]  # two coders, one span each
    assert rows[2] == ["KVP-veileder", "0", "0", "0", "1"]
    out = matrix_docx(study, tmp_path / "utdrag.docx", "time", cells="excerpts", per_cell=1,
                      codes=["Barrierer"], roll_up=True)
    rows = [[c.text for c in r.cells] for r in Document(str(out)).tables[0].rows]
    assert rows[0] == ["time", "Barrierer"]
    assert rows[1] == ["T2", "«Det ble for mye på en gang.»\n(+2 more)"]
    with pytest.raises(qc.InvalidOperation, match="would print office beside each quote"):
        matrix_docx(study, tmp_path / "x.docx", "office", cells="excerpts", anonymous=True)


def test_attribution_template_and_masking():
    values = {"role": "HPMT-veileder", "office": 2, "time": "T2"}
    assert attribution("{role}, {time}", values) == "HPMT-veileder, T2"
    assert attribution("{role}, {office}, {time}", values, hide=["office"]) == \
        "HPMT-veileder, T2"
    assert attribution("{office} – {role}", {"role": "leder"}) == "leder"
    assert attribution("{role}", {}) == ""
    assert mask_identity_numbers("nr 150390 10043 og 15039010044") == \
        "nr [fødselsnummer] og 15039010044"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_report(study, tmp_path):
    out = tmp_path / "rapport.docx"
    excerpts_docx(study, out, group_by="office")
    done = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                           str(tmp_path), str(out)], capture_output=True, text=True, timeout=180,
                          env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "rapport.pdf"
    assert pdf.exists(), done.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                              text=True).stdout
        assert "Office 2" in text and "HPMT-veileder, T2" in text and FNR not in text
