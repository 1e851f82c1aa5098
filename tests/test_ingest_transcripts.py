"""Importing transcripts with an attribute sheet: cases, levels, re-import, replace, bad files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from testkit import table_dump

from qualcode.errors import InputError
from qualcode.ingest.transcripts import import_transcripts

DEMO = Path(__file__).parents[1] / "corpora" / "hpmt_demo"
INTERVIEW = ("I: Hvordan var den første samlingen?\n\n"
             "IP: Det ble for mange verktøy på én gang. Vi fikk ikke tid.\n\n"
             "I: Og veiledningen?\n\n"
             "IP: Lederen vår støttet oss, så det gikk bedre etter hvert.\n")


def events(project) -> int:
    return project.conn.execute("SELECT count(*) FROM events").fetchone()[0]


def refused(project, paths, message, **kwargs):
    before, logged = table_dump(project), events(project)
    with pytest.raises(InputError) as err:
        import_transcripts(project, paths, **kwargs)
    assert str(err.value) == message
    assert table_dump(project) == before and events(project) == logged


@pytest.fixture
def demo(project):
    report = import_transcripts(project, [DEMO / "transcripts", DEMO / "observations"],
                                attributes=DEMO / "attributes.csv")
    return project, report


# -- the demo study ----------------------------------------------------------------------------
def test_demo_transcripts_with_the_attribute_sheet(demo):
    project, report = demo
    assert report.added == {"cases": 17, "sources": 13, "attribute values": 55}
    assert report.lines()[0] == "read 13 files (UTF-8: 13); speaker turns in 13 (425 turns)"
    assert report.warnings == []
    kinds = {s.name: s.kind for s in project.sources()}
    assert kinds["samling3_2011"] == kinds["boostersamling_sept2012"] == "fieldnote"
    assert {k for n, k in kinds.items() if "samling" not in n} == {"transcript"}
    # office case -> person case, and each attribute on its level
    person = project.case("kontor02-leder-A")
    assert project.case(person.parent_id).name == "kontor02"
    assert project.attributes(case="kontor02", merged=False) == {"arm": "tiltak", "office": 2}
    assert project.attributes(case=person, merged=False) == {"role": "leder"}
    source = project.source("kontor02_leder_T2")
    assert project.attributes(source=source, merged=False) == {"data_type": "intervju",
                                                               "time": "T2"}
    assert project.attributes(source=source) == {"arm": "tiltak", "office": 2, "role": "leder",
                                                 "data_type": "intervju", "time": "T2"}
    # The same counsellor was KVP-veileder at T1 and HPMT-veileder at T2: role goes on sources.
    assert project.attributes(case="kontor02-veileder-A", merged=False) == {}
    assert [project.attributes(source=f"kontor02_{r}")["role"] for r in
            ("kvp-veileder_T1", "hpmt-veileder_T2")] == ["KVP-veileder", "HPMT-veileder"]
    # Cases without a parent keep their arm themselves; events stay on the source.
    assert project.attributes(case="samling3-2011", merged=False) == {"arm": "tiltak",
                                                                     "role": "kursholder"}
    assert project.attributes(source="samling3_2011", merged=False)["event"] == "samling 3"
    group = project.source("gruppe_kontor13_T2")
    turns = project.turns(group)
    assert {t.speaker for t in turns} == {"I", "Veileder 1", "Veileder 2"}
    assert group.text[turns[1].start:turns[1].end].startswith("Ja, jeg er KVP-veileder")


def test_reimporting_unchanged_files_is_a_no_op(demo):
    project, _ = demo
    before, logged = table_dump(project), events(project)
    report = import_transcripts(project, [DEMO / "transcripts", DEMO / "observations"],
                                attributes=DEMO / "attributes.csv")
    assert len(report.unchanged) == 13 and not report.changed
    assert table_dump(project) == before and events(project) == logged


def test_one_import_is_one_undo_step(demo):
    project, _ = demo
    assert [e.action for e in project.history()] == ["import transcripts"]
    project.undo()
    assert project.sources() == [] and project.cases() == []


# -- formats and encodings ---------------------------------------------------------------------
def test_docx_md_and_windows_1252_files_each_say_how_they_were_read(project, tmp_path):
    document = docx.Document()
    for paragraph in INTERVIEW.strip().split("\n\n"):
        document.add_paragraph(paragraph)
    document.save(tmp_path / "a.docx")
    (tmp_path / "b.md").write_text(INTERVIEW, encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(INTERVIEW.replace("\n", "\r\n").encode("cp1252"))
    report = import_transcripts(project, [tmp_path])
    assert report.lines()[0] == ("read 3 files (Word .docx: a.docx; UTF-8: b.md; Windows-1252: "
                                 "c.txt); speaker turns in 3 (12 turns)")
    texts = {s.name: (s.text, s.encoding) for s in project.sources()}
    assert texts == {"a": (INTERVIEW.strip(), "docx"), "b": (INTERVIEW, "utf-8"),
                     "c": (INTERVIEW, "cp1252")}
    assert [t.speaker for t in project.turns("c")] == ["I", "IP", "I", "IP"]


# -- changed files: refused, or replaced keeping codings ----------------------------------------
def test_a_changed_file_is_refused_unless_replaced_and_codings_follow_their_text(project,
                                                                                 tmp_path):
    path = tmp_path / "intervju.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    import_transcripts(project, [path])
    tid, leder = project.add_code("tid"), project.add_code("ledelse")
    verktoy = project.add_code("verktøy")
    src = project.source("intervju")
    at = src.text.index
    project.code_span(src, at("Vi fikk ikke tid"), at("Vi fikk ikke tid") + 16, tid)
    project.code_span(src, at("Lederen vår støttet oss"), at("Lederen vår støttet oss") + 23,
                      leder, memo="viktig")
    project.code_span(src, at("for mange verktøy"), at("for mange verktøy") + 17, verktoy)
    corrected = ("Intervju 3, kontor 5.\n\n" + INTERVIEW
                 .replace("for mange verktøy", "altfor mange nye verktøy")
                 .replace("Lederen vår støttet oss", "Lederen vår  støttet\noss"))
    path.write_text(corrected, encoding="utf-8")
    refused(project, [path], f"{path}: differs from the source 'intervju' already in the "
                             "project; import it with --replace to replace its text (codings are "
                             "kept where their text is still found)")
    report = import_transcripts(project, [path], replace=True)
    assert report.replaced == [
        "replaced the text of 'intervju': 2 codings kept (2 moved), 1 could not be kept\n"
        f"  lost coding 3: verktøy by {project.coder_name} on 'for mange verktøy'"]
    src = project.source("intervju")
    assert src.text == corrected
    excerpts = {c.code_id: (src.text[c.start:c.end], c.memo) for c in project.codings_of(src)}
    assert excerpts == {tid.id: ("Vi fikk ikke tid", None),
                        leder.id: ("Lederen vår  støttet\noss", "viktig")}
    assert project.turns(src)[0].speaker is None  # the new heading line
    project.undo()
    assert project.source("intervju").text == INTERVIEW
    assert len(project.codings_of("intervju")) == 3


# -- bad files change nothing ------------------------------------------------------------------
def test_mojibake_empty_and_broken_docx_files_are_refused(project, tmp_path):
    good = tmp_path / "a_god.txt"
    good.write_text(INTERVIEW, encoding="utf-8")
    bad = tmp_path / "b_feil.txt"
    bad.write_text(INTERVIEW.encode().decode("cp1252"), encoding="utf-8")
    refused(project, [good, bad], f"{bad}, line 1, column 21: the text was mis-encoded before it "
                                  "got here: 'Ã¸' (probably 'ø'); open the original and save it "
                                  "again as UTF-8")
    empty = tmp_path / "tom.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    refused(project, [good, empty], f"{empty}, line 1: the file has no text")
    fake = tmp_path / "intervju.docx"
    fake.write_text(INTERVIEW, encoding="utf-8")
    refused(project, [good, fake], f"{fake}: not a Word .docx file: it is not a zip archive")
    old = tmp_path / "gammel.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    refused(project, [old], f"{old}: .doc files are not read; save it as .docx or .txt")


def test_fodselsnummer_warns_with_source_and_position_or_is_refused(project, tmp_path):
    path = tmp_path / "intervju.txt"
    path.write_text(INTERVIEW + "\nIP: Fødselsnummeret mitt er 450775 12318.\n",
                    encoding="utf-8")
    refused(project, [path], f"{path}, line 9, column 29: source 'intervju', line 9, column 29 "
                             "(offset 209): looks like a fødselsnummer (450775*****); remove it "
                             "before importing", strict_pii=True)
    report = import_transcripts(project, [path])
    assert report.warnings == [f"{path}: source 'intervju', line 9, column 29 (offset 209): "
                               "looks like a fødselsnummer (450775*****)"]
    assert project.source("intervju").text[209:221] == "450775 12318"


# -- attribute sheets --------------------------------------------------------------------------
def test_case_sheet_in_xlsx_with_explicit_levels(project, tmp_path):
    for name in ("kari", "ola"):
        (tmp_path / f"{name}.txt").write_text(INTERVIEW, encoding="utf-8")
    (tmp_path / "ola.txt").write_text(INTERVIEW + "\nI: Takk.\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append(["case", "parent_case", "parent_kind", "parent:region", "alder",
                        "startet"])
    book.active.append(["kari", "kontor07", "office", "Øst", 34, "15.03.2011"])
    book.active.append(["ola", "kontor07", "office", "Øst", 51.0, "2011-04-01"])
    book.save(tmp_path / "cases.xlsx")
    import_transcripts(project, [tmp_path / "kari.txt", tmp_path / "ola.txt"],
                       attributes=tmp_path / "cases.xlsx")
    office = project.case("kontor07")
    assert (office.kind, project.attributes(case=office)) == ("office", {"region": "Øst"})
    assert project.attributes(source="ola") == {"region": "Øst", "alder": 51,
                                                "startet": dt.date(2011, 4, 1)}
    assert project.source("kari").case_id == project.case("kari").id


def test_sheet_errors_name_row_and_column(project, tmp_path):
    path = tmp_path / "intervju.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    sheet = tmp_path / "ark.csv"
    sheet.write_text("file;case;parent_case;tid\nintervju.txt;p1;kontor1;T1\n"
                     "annet.txt;p1;kontor2;T2\n", encoding="utf-8")
    refused(project, [path], f"{sheet}, row 3, column 'parent_case': case 'p1' has parent "
                             "'kontor2' here but 'kontor1' in row 2", attributes=sheet)
    sheet.write_text("file;case;dato\nintervju.txt;p1;31.02.2012\n", encoding="utf-8")
    refused(project, [path], f"{sheet}, row 2, column 'dato': '31.02.2012' is not a valid date "
                             "(day is out of range for month)", attributes=sheet)
    sheet.write_text("file;case\nintervju.txt;p1\nINTERVJU.TXT;p2\n", encoding="utf-8")
    refused(project, [path], f"{sheet}, row 3, column 'file': 'INTERVJU.TXT' is listed twice "
                             "(rows 2 and 3)", attributes=sheet)


def test_files_without_a_sheet_row_are_named(project, tmp_path):
    shutil.copy(DEMO / "transcripts" / "kontor02_leder_T2.txt", tmp_path / "ekstra.txt")
    report = import_transcripts(project, [tmp_path / "ekstra.txt"],
                                attributes=DEMO / "attributes.csv")
    assert report.warnings == [
        "13 rows of attributes.csv name files not in this import (first: row 2, "
        "'transcripts/kontor02_kvp-veileder_T1.txt')",
        "no row in attributes.csv for: ekstra"]


def test_replacing_text_through_the_api_redoes_and_picks_the_nearest_occurrence(project):
    src = project.add_source("a", "I: ja.\n\nIP: ja, takk.\n\nI: ja?", turns=[("I", 3, 6)])
    code = project.add_code("svar")
    second = src.text.index("ja", 5)
    project.code_span(src, second, second + 2, code)
    done = project.replace_source_text(src, "Start.\n\nI: ja.\n\nIP: ja, takk.\n\nI: ja?")
    assert (done.kept, done.moved, done.lost) == (0, 1, ())
    new = project.source("a")
    moved = project.codings_of(new)[0]
    assert moved.start == new.text.index("IP: ja") + 4 and project.turns(new) == []
    project.undo()
    project.redo()
    assert project.codings_of("a")[0].start == moved.start


def test_a_folder_import_says_what_it_skipped_and_why(project, tmp_path):
    folder = tmp_path / "intervjuer"
    (folder / "gamle").mkdir(parents=True)
    (folder / "kontor02_leder.txt").write_text(INTERVIEW, encoding="utf-8")
    for name in ("rapport.pdf", "notat.rtf", "koder.csv", "~$kontor02_leder.docx"):
        (folder / name).write_bytes(b"x")
    report = import_transcripts(project, [folder])
    assert report.added == {"sources": 1}
    why_pdf = ".pdf files are not read (save them as .docx or .txt)"
    assert report.skipped == [
        (str(folder / "gamle"), "a folder inside the folder (give it on the command line to "
                                "import it)"),
        (str(folder / "koder.csv"), "not a transcript (qualcode reads .txt, .md, .markdown, "
                                    ".text, .docx)"),
        (str(folder / "notat.rtf"), ".rtf files are not read (save them as .docx or .txt)"),
        (str(folder / "rapport.pdf"), why_pdf),
        (str(folder / "~$kontor02_leder.docx"), "Word's lock file of an open document"),
    ]
    assert f"warning: skipped {folder / 'rapport.pdf'}: {why_pdf}" in report.lines()

    only_pdfs = tmp_path / "pdf"
    only_pdfs.mkdir()
    (only_pdfs / "a.pdf").write_bytes(b"x")
    refused(project, [only_pdfs], f"{only_pdfs}: no transcript files found (.txt, .md, "
                                  f".markdown, .text, .docx); skipped a.pdf: {why_pdf}")


def _shape(project):
    """Every source with its kind, case, case's parent and attributes on each level."""
    out = {}
    for s in project.sources():
        case = project.case(s.case_id) if s.case_id else None
        parent = project.case(case.parent_id) if case and case.parent_id else None
        out[s.name] = (s.kind, case and case.name, parent and parent.name,
                       project.attributes(source=s, merged=False),
                       case and project.attributes(case=case, merged=False),
                       parent and project.attributes(case=parent, merged=False))
    return out


def _norwegian_sheet(tmp_path, header_for_file="fil"):
    """The demo sheet with Norwegian reserved columns and a `type` column (source kind)."""
    lines = (DEMO / "attributes.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].replace("file,case,parent_case,", f"{header_for_file},sak,overordnet_sak,")
    rows = [f"{line},{'feltnotat' if line.startswith('observations/') else 'intervju'}"
            for line in lines[1:]]
    sheet = tmp_path / "sheet" / "attributter.csv"
    sheet.parent.mkdir()
    shutil.copytree(DEMO / "transcripts", sheet.parent / "transcripts")
    shutil.copytree(DEMO / "observations", sheet.parent / "observations")
    sheet.write_text("\n".join([header + ",type", *rows]) + "\n", encoding="utf-8")
    return sheet


def test_norwegian_reserved_columns_read_as_the_english_ones(demo, tmp_path):
    import qualcode as qc

    english, _ = demo
    sheet = _norwegian_sheet(tmp_path)
    norsk = qc.create_project(tmp_path / "norsk.qualcode", coder="ane")
    report = import_transcripts(norsk, [sheet.parent / "transcripts",
                                        sheet.parent / "observations"], attributes=sheet)
    assert report.warnings == [] and report.added["cases"] == 17
    assert _shape(norsk) == _shape(english)
    norsk.close()


def test_file_column_names_the_file_column(project, tmp_path):
    sheet = _norwegian_sheet(tmp_path, header_for_file="Filnavn")
    folders = [sheet.parent / "transcripts", sheet.parent / "observations"]
    # without it, the sheet is one row per case, and a case is listed twice
    refused(project, folders, f"{sheet}, row 3, column 'sak': 'kontor02-veileder-A' is listed "
                              "twice (rows 2 and 3)", attributes=sheet)
    one = tmp_path / "en.csv"  # or no file matches a case: the warning says what to do
    one.write_text("Filnavn,sak,rolle\nkontor02_leder_T2.txt,kontor02-leder-A,leder\n",
                   encoding="utf-8")
    report = import_transcripts(project, [sheet.parent / "transcripts" /
                                          "kontor02_leder_T2.txt"], attributes=one)
    assert report.warnings == [
        "no row in en.csv for: kontor02_leder_T2 (the sheet has no 'file' column, so its rows "
        "are cases matched to files by name; if a column names the files, give it with "
        "--file-column)"]
    project.undo()
    refused(project, folders, f"{sheet}, row 1: no column 'Filnamn' (given as the file column); "
                              "the header has 'Filnavn', 'sak', 'overordnet_sak', 'case_kind', "
                              "'parent_kind', 'role', 'office', 'arm', 'time', 'data_type', "
                              "'event', 'type'",
            attributes=sheet, file_column="Filnamn")
    report = import_transcripts(project, folders, attributes=sheet, file_column="filnavn")
    assert report.warnings == [] and report.added["sources"] == 13
    assert project.case(project.source("kontor02_leder_T2").case_id).name == "kontor02-leder-A"


def test_two_columns_with_one_meaning_and_a_type_that_is_no_kind_are_refused(project, tmp_path):
    (tmp_path / "a.txt").write_text(INTERVIEW, encoding="utf-8")
    both = tmp_path / "begge.csv"
    both.write_text("file,fil,role\na.txt,a.txt,leder\n", encoding="utf-8")
    refused(project, [tmp_path / "a.txt"], f"{both}, row 1, column 'fil': the columns 'file' "
                                           "and 'fil' both mean 'file'; keep one",
            attributes=both)
    typed = tmp_path / "type.csv"
    typed.write_text("fil;type\na.txt;leder\n", encoding="utf-8")
    refused(project, [tmp_path / "a.txt"], f"{typed}, row 2, column 'type': 'leder' is not a "
                                           "source kind (transcript, fieldnote, document, or "
                                           "intervju, transkripsjon, feltnotat, observasjon, "
                                           "dokument, interview, observation); for an attribute "
                                           "named 'type', write the header 'source:type'",
            attributes=typed)
