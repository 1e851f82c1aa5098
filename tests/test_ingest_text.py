"""Reading text: encodings and mojibake, speaker turns, fødselsnummer detection, .docx files."""

from __future__ import annotations

import docx
import pytest

from qualcode.core.pii import find_fodselsnummer, is_fodselsnummer
from qualcode.errors import InputError
from qualcode.ingest.docx_reader import read_docx
from qualcode.ingest.encodings import decode, read_text
from qualcode.ingest.turns import DEFAULT_LABELS, find_turns, lone_labels

WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)  # as published (domain/norwegian_data.md)
WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
NORWEGIAN = "Intervjuer: Hvordan går det?\n\nInformant: Bærum, Ørsta og Å – «greit».\n"


def fnr(birth: str, individual: int = 123) -> str:
    """A checksum-valid number for a ddmmyy birth date, computed from the published weights."""
    for n in range(individual, 1000):
        digits = [int(c) for c in f"{birth}{n:03d}"]
        k1 = (11 - sum(w * d for w, d in zip(WEIGHTS_1, digits, strict=True)) % 11) % 11
        if k1 == 10:
            continue
        digits.append(k1)
        k2 = (11 - sum(w * d for w, d in zip(WEIGHTS_2, digits, strict=True)) % 11) % 11
        if k2 != 10:
            return "".join(map(str, digits)) + str(k2)
    raise AssertionError("no valid number")


# -- encodings ---------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding, name", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                            ("cp1252", "cp1252"), ("utf-16", "utf-16")])
def test_each_encoding_is_read_and_named(tmp_path, encoding, name):
    path = tmp_path / "intervju.txt"
    path.write_bytes(NORWEGIAN.encode(encoding))
    decoded = read_text(path)
    assert (decoded.text, decoded.encoding) == (NORWEGIAN, name)


def test_decomposed_letters_are_composed_so_searches_find_them():
    assert decode("A\u030angen".encode(), "x.txt").text == "Ången"


def test_mojibake_is_refused_with_line_column_and_the_likely_letter(tmp_path):
    path = tmp_path / "feil.txt"
    path.write_text("Første linje.\nVi fikk ikke tid pÃ¥ kontoret.\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_text(path)
    assert str(err.value) == (f"{path}, line 2, column 19: the text was mis-encoded before it "
                              "got here: 'Ã¥' (probably 'å'); open the original and save it "
                              "again as UTF-8")


def test_binary_and_undecodable_bytes_are_refused(tmp_path):
    with pytest.raises(InputError, match="binary data"):
        decode(b"PK\x03\x04\x00\x00", "a.txt")
    with pytest.raises(InputError, match=r"line 2: neither UTF-8 nor Windows-1252 \(byte 0x81\)"):
        decode(b"ok\nbad \x81 \xe5", "a.txt")


# -- speaker turns -----------------------------------------------------------------------------
def test_turns_cover_labels_timestamps_numbers_and_continuations():
    text = ("[00:00:04] I: Da starter vi.\n\n"
            "[00:00:15] IP: Ja. Jeg er veileder.\n\nOg det har jeg vært lenge.\n\n"
            "Veileder 2: Jeg også.\n\n"
            "Kursholder:\nGod morgen.\n\n"
            "[latter i salen]\n\n"
            "Deltaker 3: Takk.\n\n"
            "01:02:03 Leder: Bare tidskode.")
    turns = find_turns(text, DEFAULT_LABELS)  # named by the user: each label counts once
    assert [(s, text[a:b]) for s, a, b in turns] == [
        ("I", "Da starter vi."),
        ("IP", "Ja. Jeg er veileder.\n\nOg det har jeg vært lenge."),
        ("Veileder 2", "Jeg også."),
        ("Kursholder", "God morgen."),
        (None, "[latter i salen]"),
        ("Deltaker 3", "Takk."),
        ("Leder", "Bare tidskode."),
    ]


def test_a_preamble_is_a_turn_without_speaker_and_unlabelled_text_has_no_turns():
    text = "Feltnotat fra samling 3.\n\nKursholder: Velkommen.\n\nKursholder: Vi starter.\n"
    assert find_turns(text) == [(None, 0, 24), ("Kursholder", 38, 48), ("Kursholder", 62, 73)]
    assert find_turns("Bare tekst.\n\nUten noen talere.") == []


def test_a_label_at_the_start_of_a_line_starts_a_turn_without_a_blank_line_before_it():
    # transcripts often give one turn per line; the answer must not be the interviewer's turn
    text = ("I: Hvordan har det gått?\nIP: Det har gått bra.\nLederen har støttet oss.\n\n"
            "I: Og opplæringen?\n[00:01:02] IP 2: Nyttig.\n")
    assert [(s, text[a:b]) for s, a, b in find_turns(text)] == [
        ("I", "Hvordan har det gått?"),
        ("IP", "Det har gått bra.\nLederen har støttet oss."),
        ("I", "Og opplæringen?"),
        ("IP 2", "Nyttig."),
    ]


def test_a_default_label_that_begins_one_line_of_prose_is_no_turn():
    report = ("Kunnskapsoversikt\n\nStudier av veiledning viser blandede funn.\n"
              "i: Austin et al. 2006 fant ingen effekt.\n"
              "ii: Berg 2010 fant en liten effekt.\n\n" + "Mer tekst om funnene. " * 3000)
    assert find_turns(report) == []
    assert lone_labels(report) == [("i", 4)]
    # named by the user, the same label does start a turn
    assert find_turns(report, ["i"])[1][0] == "i"


def test_only_recurring_default_labels_start_turns():
    text = ("I: Hvordan gikk det?\nIP: Bra.\nI: Og lederen?\nIP 2: Hun støttet oss.\n"
            "K: Kilde: intern rapport.\n")  # K begins one line: part of the answer before it
    assert [(s, text[a:b]) for s, a, b in find_turns(text)] == [
        ("I", "Hvordan gikk det?"), ("IP", "Bra."), ("I", "Og lederen?"),
        ("IP 2", "Hun støttet oss.\nK: Kilde: intern rapport."),
    ]
    assert lone_labels(text) == [("K", 5)]


def test_a_bracketed_note_on_its_own_line_is_a_turn_without_speaker():
    text = ("I: Hvordan var samlingen?\nIP: Lang.\n(Notat: informanten ler)\nMen nyttig.\n"
            "[Notat: telefonen ringer]\nI: Fortsett.\nIP: Ja.\n")
    assert [(s, text[a:b]) for s, a, b in find_turns(text)] == [
        ("I", "Hvordan var samlingen?"), ("IP", "Lang."), (None, "(Notat: informanten ler)"),
        ("IP", "Men nyttig."), (None, "[Notat: telefonen ringer]"), ("I", "Fortsett."),
        ("IP", "Ja."),
    ]


def test_the_label_set_is_configurable():
    text = "Moderator: Velkommen.\n\nA: Hei.\n\nB: Hallo."
    assert [s for s, _, _ in find_turns(text, ["A", "B"])] == [None, "A", "B"]


# -- fødselsnummer -----------------------------------------------------------------------------
def test_valid_fodselsnummer_and_d_number_are_found_and_masked():
    number, d_number = fnr("150775"), fnr("550775")  # a D-number adds 4 to the first digit
    assert is_fodselsnummer(number) and is_fodselsnummer(d_number)
    text = f"Hun oppga {number} i samtalen.\nD-nummer: {d_number[:6]} {d_number[6:]}"
    hits = find_fodselsnummer(text)
    assert [(h.line, h.column, h.masked) for h in hits] == [
        (1, 11, "150775*****"), (2, 11, "550775*****")]
    assert text[hits[1].start:hits[1].end] == f"{d_number[:6]} {d_number[6:]}"


def test_numbers_with_a_wrong_check_digit_or_date_are_not_flagged():
    number = fnr("150775")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not is_fodselsnummer(wrong)
    assert not is_fodselsnummer("32017512345")  # day 32
    assert find_fodselsnummer(f"konto 1{number} og tlf 22334455667 og {wrong}") == []


# -- .docx -------------------------------------------------------------------------------------
def test_docx_paragraphs_and_tables_come_out_in_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("I: Hvordan var samlingen?")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Verktøy", "Brukt"
    table.cell(1, 0).text, table.cell(1, 1).text = "åpne spørsmål", "ja"
    document.add_paragraph("IP: Nyttig, men travelt.")
    path = tmp_path / "intervju.docx"
    document.save(path)
    assert read_docx(path) == ("I: Hvordan var samlingen?\n\nVerktøy | Brukt\n\n"
                               "åpne spørsmål | ja\n\nIP: Nyttig, men travelt.")


def test_a_docx_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "intervju.docx"
    path.write_text("I: dette er bare tekst", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_docx(path)
    assert str(err.value) == f"{path}: not a Word .docx file: it is not a zip archive"
