"""The pure parts of the UI: code search, span layout, source filters, colours, coder memory."""

from __future__ import annotations

import json

import qualcode as qc
from qualcode.core import Coding, Turn
from qualcode.tui import fuzzy, spans
from qualcode.tui.coders import CoderMemory
from qualcode.tui.colors import CodeStyles, readable_on
from qualcode.tui.filters import SourceFilter


def codes_of(path) -> list[qc.Code]:
    with qc.open_project(path) as p:
        return p.codes()


def found(codes, query: str) -> list[str]:
    return [c.code.path for c in fuzzy.rank(query, fuzzy.candidates(codes))]


def test_search_by_name_path_english_label_and_letters_in_order(study_path):
    codes = codes_of(study_path)
    assert found(codes, "tid")[0] == "Barrierer/tid"
    assert found(codes, "leadership") == ["Føringer/ledelse"]
    assert found(codes, "opplæring/for") == ["Barrierer/opplæring/for mye for fort"]
    assert found(codes, "barriers too many")[0] == "Barrierer/opplæring/for mye for fort"
    assert found(codes, "opl")[0] == "Barrierer/opplæring"  # letters in order in one word
    assert found(codes, "xyz") == []
    # a word must match somewhere: "valens tid" matches nothing
    assert found(codes, "valens tid") == []
    # the code's own name ranks above codes that only live under a matching parent
    assert found(codes, "opplæring")[0] == "Barrierer/opplæring"


def coding(code_id, start, end, cid=1) -> Coding:
    return Coding(cid, "g", 1, start, end, code_id, 1, None, "manual", "2024-01-01")


def test_pieces_split_overlaps_and_lines():
    text = "abcdef\nghij\n"
    starts = spans.line_starts(text)
    pieces = spans.coding_pieces([coding(1, 2, 9, 1), coding(2, 4, 5, 2)], starts, len(text))
    assert pieces == {0: [(2, 4, (1,)), (4, 5, (1, 2)), (5, 6, (1,))], 1: [(0, 2, (1,))]}
    assert spans.to_location(starts, 8) == (1, 1)
    assert spans.to_offset(starts, (1, 1)) == 8


def test_labels_and_time_stamps_are_found_before_each_turn():
    text = "[00:01:20] IP: Ja, det stemmer.\nI: Og så?"
    turns = [Turn(1, "IP", 15, 31), Turn(2, "I", 35, 41)]
    found_labels = spans.label_pieces(text, turns, spans.line_starts(text))
    assert sorted(found_labels[0]) == [(0, 10, "timestamp"), (11, 14, "speaker")]
    assert found_labels[1] == [(0, 2, "speaker")]


def test_display_text_keeps_every_offset():
    text = "a\x0cb\u2028c\nd"
    shown = spans.display_text(text)
    assert len(shown) == len(text) and shown.splitlines() == ["a b c", "d"]


def test_overlapping_codings():
    items = [coding(1, 0, 5, 1), coding(2, 5, 9, 2)]
    assert [k.id for k in spans.overlapping(items, 5, 5)] == [2]
    assert [k.id for k in spans.overlapping(items, 4, 6)] == [1, 2]


def test_source_filter_words_and_attributes():
    wanted = SourceFilter.parse("role=hpmt-veileder time=T1,T2 kontor")
    assert wanted.matches("kontor02_T2", {"role": "HPMT-veileder", "time": "T2"})
    assert not wanted.matches("kontor02_T2", {"role": "HPMT-veileder", "time": "T3"})
    assert not wanted.matches("fm_T2", {"role": "HPMT-veileder", "time": "T2"})
    assert SourceFilter.parse("office=13").matches("x", {"office": 13.0})
    assert not SourceFilter.parse("office=13").matches("x", {"office": float("nan")})


def test_code_colours_fall_back_to_the_parent_then_the_palette(study_path):
    codes = {c.path: c for c in codes_of(study_path)}
    palette = CodeStyles(list(codes.values()))
    training = codes["Barrierer/opplæring"]
    assert palette.colour(codes["Barrierer/opplæring/for mye for fort"].id) == training.color
    assert palette.colour(codes["valens/hemmer"].id).startswith("#")
    both = palette.for_codes((codes["Barrierer/tid"].id, training.id))
    assert both.underline and not palette.for_codes((training.id,)).underline
    assert readable_on("#ffffcc") == "#000000" and readable_on("#08519c") == "#ffffff"


def test_coder_memory_per_project(tmp_path):
    memory = CoderMemory(tmp_path / "cfg")
    assert memory.recall(tmp_path / "a.qualcode") is None
    memory.remember(tmp_path / "a.qualcode", "Kari")
    memory.remember(tmp_path / "b.qualcode", "Ole")
    assert memory.recall(tmp_path / "a.qualcode") == "Kari"
    assert CoderMemory(tmp_path / "cfg").last() == "Ole"
    (tmp_path / "cfg" / "coders.json").write_text("{not json")
    assert memory.recall(tmp_path / "a.qualcode") is None  # a broken file means: ask again
    memory.remember(tmp_path / "a.qualcode", "Kari")
    assert json.loads((tmp_path / "cfg" / "coders.json").read_text())["last"] == "Kari"


def test_open_verb_reports_a_missing_project_in_one_line(tmp_path):
    from click.testing import CliRunner

    from qualcode.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["open", str(tmp_path / "nope.qualcode")])
    assert result.exit_code == 1
    assert "no such project file" in result.output
    assert "--source NAME" in runner.invoke(cli, ["open", "--help"]).output


def test_wrapping_breaks_lines_where_textual_does():
    """The reader wraps long texts row by row; the breaks are Textual's own, or the cursor
    and the text drawn would disagree."""
    from textual._wrap import compute_wrap_offsets
    from tui_study import KONTOR02

    lines = [*KONTOR02.splitlines(), "IP: " + "Vi fikk ikke tid til å øve, ærlig talt 😅. " * 9,
             "  innrykk og  doble   mellomrom " * 8, "ord" * 60 + " kort", " " * 150,
             "slutt med mellomrom    ", "漢字の文 " * 30, "kombinert e\u0301 " * 20,
             "ikke\xa0brytbart " * 20, "x" * 200]
    for width in (1, 2, 3, 7, 20, 41, 63, 80, 119):
        for line in lines:
            assert spans.wrap_offsets(line, width) == compute_wrap_offsets(
                line, width, tab_size=4), (width, line[:30])


def test_wrapping_as_needed_answers_as_wrapping_everything_first():
    """The reader wraps a long text from the top only as far as something asks (the rows
    drawn, the cursor's line) and the rest later: whatever is asked first, in any order, the
    answers are those of Textual's own wrapping of the whole text."""
    import random

    from textual.document._document import Document
    from textual.document._wrapped_document import WrappedDocument
    from textual.geometry import Offset
    from tui_study import KONTOR02

    from qualcode.tui.widgets.reader.source_view import _WrappedText

    text = "\n".join([*KONTOR02.splitlines(), "\tinnrykk med tab\tog mer " * 9,
                      "Vi fikk ikke tid til å øve 😅. " * 12, ""] * 40)
    document = Document(text)
    lines = document.line_count
    rng = random.Random(3)
    for width in (0, 17, 80):
        whole = WrappedDocument(document, width, tab_width=4)
        for _ in range(30):
            lazy = _WrappedText(document, tab_width=4)
            lazy.wrap(width, 4)
            assert not lazy.complete  # nothing wrapped until asked
            for _ in range(5):
                line = rng.randrange(lines)
                row = rng.randrange(whole.height)
                column = rng.randrange(len(document[line]) + 1)
                assert lazy.get_offsets(line) == whole.get_offsets(line)
                assert lazy.location_to_offset((line, column)) == whole.location_to_offset(
                    (line, column))
                assert lazy._offset_to_line_info[row] == whole._offset_to_line_info[row]
                assert lazy.offset_to_location(Offset(5, row)) == whole.offset_to_location(
                    Offset(5, row))
                assert lazy.get_tab_widths(line) == whole.get_tab_widths(line)
        while not lazy.wrap_more(100):
            pass
        assert lazy.height == whole.height
        assert lazy._line_index_to_offsets == whole._line_index_to_offsets
        assert list(lazy._offset_to_line_info) == whole._offset_to_line_info
