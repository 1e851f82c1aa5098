"""Hostile and broken files: each is made here, in the test, and each ends in one line that names
the file and the place (or is read as well as it can be, with a warning), never a traceback,
never a blown memory, never a half-written output."""

from __future__ import annotations

import sqlite3

import pytest
from docx import Document
from openpyxl import Workbook
from testkit import run_qualcode

import qualcode as qc
from qualcode.export.report_docx import excerpts_docx
from qualcode.ingest.docx_reader import read_docx
from qualcode.ingest.form_mapping import load_mapping
from qualcode.ingest.qdc import read_qdc
from qualcode.ingest.transcripts import import_transcripts
from qualcode.store import open_database


def one_line_error(result, *fragments: str) -> str:
    """The CLI failed with exactly one line on stderr, holding every fragment."""
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qualcode: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def folder(tmp_path):
    qc.create_project(tmp_path / "p.qualcode", coder="ane").close()
    return tmp_path


# -- YAML ---------------------------------------------------------------------------------------
def billion_laughs(top_key: str) -> str:
    """Nine lines that stand for 9**9 strings once the aliases are expanded."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + f"\n{top_key}: *i\n"


def test_a_yaml_alias_bomb_is_refused_by_codebook_check_and_load(folder):
    bomb = folder / "bombe.yaml"
    bomb.write_text("codebook: bombe\n" + billion_laughs("codes"), encoding="utf-8")
    for args in (["check", bomb], ["load", bomb, "-p", "p.qualcode"]):
        result = run_qualcode("codebook", *args, cwd=folder, ok=False)
        assert result.returncode == 1
        assert f"{bomb}, line 3" in result.stdout + result.stderr
        assert "alias (*name) is not allowed" in result.stdout + result.stderr


def test_a_yaml_alias_bomb_is_refused_as_a_form_mapping(tmp_path):
    bomb = tmp_path / "mapping.yaml"
    bomb.write_text(billion_laughs("texts"), encoding="utf-8")
    with pytest.raises(qc.InputError, match=r"mapping.yaml, line 2: .*alias \(\*name\) is not "
                                            r"allowed"):
        load_mapping(bomb)


# -- text size ----------------------------------------------------------------------------------
def test_a_text_over_the_size_limit_is_refused_and_the_limit_can_be_raised(folder):
    big = folder / "lang.txt"
    big.write_text("IP: " + "Vi får ikke tid. " * 200 + "\n", encoding="utf-8")
    result = run_qualcode("import", "transcripts", big, "-p", "p.qualcode", "--max-chars", "1000",
                          cwd=folder, ok=False)
    one_line_error(result, str(big), "more than the limit of 1,000", "--max-chars")
    run_qualcode("import", "transcripts", big, "-p", "p.qualcode", "--max-chars", "100000",
                 cwd=folder)
    with qc.open_project(folder / "p.qualcode") as p:
        assert len(p.source("lang").text) > 1000
        p.max_source_chars = 10
        with pytest.raises(qc.InvalidOperation, match="'kort': the text has 11 characters, "
                                                      "more than the limit of 10"):
            p.add_source("kort", "elleve tegn")


def test_a_word_file_that_unpacks_to_more_than_the_limit_is_refused_before_reading(tmp_path):
    doc = Document()
    for _ in range(200):
        doc.add_paragraph("IP: " + "ja " * 100)  # compresses to little, unpacks to 60 KB
    doc.save(tmp_path / "bombe.docx")
    with pytest.raises(qc.InputError, match="unpacks to [0-9,]+ bytes of XML, more than a text "
                                            "of the limit of 1,000 characters needs"):
        read_docx(tmp_path / "bombe.docx", max_chars=1000)
    assert len(read_docx(tmp_path / "bombe.docx")) > 60_000  # under the default limit


def test_a_word_paragraph_of_more_than_10_mb_is_one_line(tmp_path):
    doc = Document()
    doc.add_paragraph("IP: start")
    doc.add_paragraph("x" * 10_100_000)
    doc.save(tmp_path / "lang.docx")
    try:
        text = read_docx(tmp_path / "lang.docx")
    except qc.InputError as error:
        assert "\n" not in str(error) and "lang.docx" in str(error)
        assert "more than 10 MB" in str(error)
    else:  # a reader without libxml2's limit reads it whole, which is as good
        assert len(text) > 10_000_000


# -- deep nesting -------------------------------------------------------------------------------
def test_a_qdc_nested_1500_deep_is_one_line_naming_the_line(folder):
    depth = 1500
    opening = "".join(f'<Code guid="{i:08d}-0000-0000-0000-000000000000" name="k{i}" '
                      'isCodable="true">\n' for i in range(depth))
    (folder / "dyp.qdc").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="test"><Codes>\n'
        + opening + "</Code>" * depth + "</Codes></CodeBook>\n", encoding="utf-8")
    with pytest.raises(qc.InputError, match=r"dyp.qdc, line 103: codes nested more than 100 "
                                            r"levels deep"):
        read_qdc(folder / "dyp.qdc")
    result = run_qualcode("codebook", "load", folder / "dyp.qdc", "-p", "p.qualcode", cwd=folder,
                          ok=False)
    one_line_error(result, "nested more than 100 levels deep")


# -- encodings and control characters -------------------------------------------------------------
def test_invalid_utf8_is_blamed_on_the_bad_byte_not_on_the_first_letter(folder):
    path = folder / "intervju.txt"
    path.write_bytes("IP: Vi får ikke tid.\nI: Og skjemaene?\n".encode()
                     + b"IP: Det g\xe5r bra.\n")  # one Latin-1 byte in a UTF-8 file
    result = run_qualcode("import", "transcripts", path, "-p", "p.qualcode", cwd=folder,
                          ok=False)
    one_line_error(result, f"{path}, line 3: not valid UTF-8: byte 0xe5 at column 10")


def test_control_characters_are_replaced_at_import_and_said_so(tmp_path):
    text = ("IP: Vi får ikke tid.\x0bI: Og skjemaene?\n" + "Fyll. " * 800
            + "\nIP: Det \x1b[31mgår\x00 bra.\n")  # the NUL is after the first 4 KB
    (tmp_path / "kontroll.txt").write_text(text, encoding="utf-8")
    with qc.create_project(tmp_path / "p.qualcode") as p:
        report = import_transcripts(p, [tmp_path / "kontroll.txt"])
        assert any("3 control characters replaced" in w and "'\\x0b' at line 1, column 21" in w
                   for w in report.warnings), report.warnings
        stored = p.source("kontroll").text
        assert stored.startswith("IP: Vi får ikke tid.\nI: Og skjemaene?")
        assert stored.rstrip().endswith("IP: Det [31mgår bra.")
        p.add_code("tid")
        at = stored.index("Det")
        p.code_span("kontroll", at, len(stored.rstrip()), "tid")
        assert list(p.codings().text) == ["Det [31mgår bra."]
        with pytest.raises(qc.InvalidOperation, match=r"'api': control character '\\x1b' at "
                                                      r"line 2, column 4"):
            p.add_source("api", "IP: ja\nI: \x1bnei")


def test_exports_never_crash_on_control_characters_already_stored(tmp_path):
    with qc.create_project(tmp_path / "p.qualcode") as p:
        p.add_source("gammel", "IP: Vi får ikke tid.\nI: Og skjemaene?\n")
        p.add_code("tid")
        p.code_span("gammel", 0, 20, "tid")
        # as a project made before imports refused them holds them
        p.conn.execute("UPDATE sources SET text = ? || substr(text, 21)",
                       ["IP: Vi\x0bfår\x00ikke \x1btid."])
        excerpts_docx(p, tmp_path / "ut.docx")
        quotes = [q.text for q in Document(str(tmp_path / "ut.docx")).paragraphs
                  if q.style.name == "Quote"]
        assert quotes and "\x1b" not in quotes[0] and "\x00" not in quotes[0]
        assert quotes[0].startswith("«IP: Vi\nfårikke tid")
        run_qualcode("export", "xlsx", "-p", "p.qualcode", "-o", "ut.xlsx", cwd=tmp_path)


# -- damaged project files ----------------------------------------------------------------------
def test_a_project_whose_creation_was_interrupted_is_one_line(tmp_path):
    open_database(tmp_path / "halv.qualcode", create=True).conn.close()  # no project record
    result = run_qualcode("info", "-p", "halv.qualcode", cwd=tmp_path, ok=False)
    one_line_error(result, "halv.qualcode: its creation was interrupted")
    qc.create_project(tmp_path / "hel.qualcode").close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["halv.qualcode", "hel.qualcode"]


def damaged(folder):
    """A project whose codings table has a page of garbage in the middle."""
    with qc.open_project(folder / "p.qualcode") as p:
        p.add_source("int", "IP: Vi får ikke tid.\n" * 400)
        p.add_code("tid")
        p.code_many([("int", i, i + 5, "tid") for i in range(0, 8000, 10)])
        root = p.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'codings'"
                              ).fetchone()[0]
        page = p.conn.execute("PRAGMA page_size").fetchone()[0]
        p.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(folder / "p.qualcode", "r+b") as f:
        f.seek((root - 1) * page + 8)
        f.write(b"\xff\x13" * 200)


def test_a_damaged_page_is_one_line_and_leaves_no_partial_export(folder):
    damaged(folder)
    result = run_qualcode("export", "xlsx", "-p", "p.qualcode", "-o", "ut.xlsx", cwd=folder,
                          ok=False)
    one_line_error(result, "the project file is damaged", "qualcode check")
    assert not (folder / "ut.xlsx").exists()
    assert [p.name for p in folder.iterdir() if "ut" in p.name] == []
    result = run_qualcode("check", "-p", "p.qualcode", cwd=folder, ok=False)
    assert "p.qualcode: damaged" in result.stderr and result.stdout.strip()


def test_check_says_ok_for_a_sound_file(folder):
    result = run_qualcode("check", "-p", "p.qualcode", cwd=folder)
    assert "ok" in result.stdout
    with qc.open_project(folder / "p.qualcode") as p:
        assert p.check() == []


# -- names and cells ----------------------------------------------------------------------------
def test_a_coder_name_with_spaces_around_it_is_the_same_coder(folder):
    with qc.open_project(folder / "p.qualcode") as p:
        p.add_source("int", "IP: Vi får ikke tid.\n")
        p.add_code("tid")
    run_qualcode("code", "int", "tid", "--span", "4:10", "-p", "p.qualcode", "--coder", "ola ",
                 cwd=folder)
    with qc.open_project(folder / "p.qualcode", coder=" ola") as p:
        assert [e.coder for e in p.history(1)] == ["ola"]
        assert [c.name for c in p.coders()] == ["ola"]
        assert list(p.codings(coders=["ola  "]).coder) == ["ola"]
    run_qualcode("undo", "-p", "p.qualcode", "--coder", "ola", cwd=folder)
    with qc.open_project(folder / "p.qualcode") as p:
        assert len(p.codings()) == 0


def test_xlsx_formulas_without_a_saved_result_are_named_in_a_warning(folder):
    book = Workbook()  # openpyxl saves formulas without their results, as some programs do
    sheet = book.active
    sheet.append(["kontor", "snitt", "antall"])
    sheet.append(["kontor02", 7.5, 3])
    sheet.append(["kontor05", "=AVERAGE(1,2)", 4])
    sheet.append(["kontor07", 6.0, "=B4*2"])
    book.save(folder / "tall.xlsx")
    result = run_qualcode("import", "measures", folder / "tall.xlsx", "--key", "kontor",
                          "-p", "p.qualcode", cwd=folder)
    output = result.stdout + result.stderr
    assert f"{folder / 'tall.xlsx'}, cells B3, C4: a formula without a saved result" in output


def test_a_database_file_locked_by_sqlite_itself_is_not_mistaken_for_damage(folder):
    holder = sqlite3.connect(folder / "p.qualcode", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with qc.open_project(folder / "p.qualcode") as p:
            p.conn.execute("PRAGMA busy_timeout = 50")
            with pytest.raises(qc.QualcodeError, match="another program has been writing"):
                p.add_code("tid")
            assert p.check() == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_control_characters_are_refused_in_names_code_fields_and_memos(tmp_path):
    with qc.create_project(tmp_path / "p.qualcode") as p:
        p.add_code("tid")
        for change, message in (
                (lambda: p.add_code("t\x07id2"), "a code name cannot hold a control character"),
                (lambda: p.update_code("tid", description="Tid\x1b[0m"),
                 r"the code's description: control character '\\x1b' at line 1, column 4"),
                (lambda: p.add_case("kontor\x00"), "a case name cannot hold"),
                (lambda: p.add_memo("notat\x0c"), "the memo holds a control character")):
            with pytest.raises(qc.InvalidOperation, match=message):
                change()


def test_codebook_and_qdpx_exports_never_crash_on_control_characters_already_stored(folder):
    with qc.open_project(folder / "p.qualcode") as p:
        p.add_code("tid", description="Tidspress")
        p.add_source("int", "IP: Vi får ikke tid.\n")
        p.code_span("int", 4, 20, "tid")
        p.conn.execute("UPDATE codes SET description = ?", ["Tids\x1bpress\x00"])
    for args in (["codebook", "export", "-o", "kb.docx"], ["codebook", "export", "-o", "kb.qdc"],
                 ["export", "qdpx", "-o", "p.qdpx"]):
        run_qualcode(*args, "-p", "p.qualcode", cwd=folder)
    props = Document(str(folder / "kb.docx")).core_properties
    assert (props.author, props.comments) == ("qualcode", "")
    assert "Tidspress" in (folder / "kb.qdc").read_text(encoding="utf-8")
