"""Units of text coded in one go: turns, paragraphs, whole sources; coding counts per source."""

from __future__ import annotations

from qualcode.core.units import paragraph_bounds, trimmed

TEXT = "Første avsnitt.\nAndre linje.\n\n  Andre avsnitt.  \n\n\n\nTredje."


def test_paragraph_bounds_between_blank_lines():
    first = (0, TEXT.index("\n\n"))
    assert paragraph_bounds(TEXT, 0) == first
    assert paragraph_bounds(TEXT, TEXT.index("linje")) == first
    assert paragraph_bounds(TEXT, TEXT.index("\n\n")) == first  # end of its last line
    second = TEXT.index("Andre avsnitt")
    assert paragraph_bounds(TEXT, second) == (second, second + len("Andre avsnitt."))
    third = TEXT.index("Tredje")
    assert paragraph_bounds(TEXT, third) == (third, len(TEXT))
    assert paragraph_bounds(TEXT, TEXT.index("\n\n\n\n") + 2) is None  # on a blank line


def test_trimmed_drops_surrounding_whitespace():
    assert trimmed("  a b \n", 0, 7) == (2, 5)
    assert trimmed(" \n ", 0, 3) is None


def test_turn_at_offset_and_on_the_label(small):
    text = small.source("kontor02_T2").text
    turns = [("I", 3, text.index("\n")), ("IP", text.index("Altså"), text.index("tid.") + 4)]
    src = small.add_source("med_turer", text, turns=turns)
    inside = small.turn_at(src, text.index("verktøy"))
    assert (inside.speaker, inside.start, inside.end) == turns[1]
    on_label = small.turn_at(src, text.index("IP:"))  # the label is outside the turn
    assert (on_label.speaker, on_label.start) == ("IP", turns[1][1])
    assert small.turn_at(src, text.index("Og veiledningen")) is None  # no turn recorded
    at_end = small.turn_at(src, turns[1][2])  # the cursor after the last character (End)
    assert (at_end.speaker, at_end.start, at_end.end) == turns[1]


def test_paragraph_and_whole_spans_through_the_project(small):
    src = small.add_source("kommentar", "\n  Det hjalp å oppsummere.  \n", kind="form_field")
    assert small.whole_span(src) == (3, 3 + len("Det hjalp å oppsummere."))
    assert small.paragraph_span(src, 5) == small.whole_span(src)
    blank = small.add_source("tom", "   \n ", kind="form_field")
    assert small.whole_span(blank) is None


def test_source_coding_counts(small):
    src = small.source("kontor02_T2")
    small.code_span(src, 0, 5, "Barrierer/tid")
    small.code_span(src, 10, 20, "Barrierer/tid")
    other = small.add_source("annen", "Tekst uten koder.")
    assert small.source_coding_counts() == {src.id: 2}
    assert other.id not in small.source_coding_counts()
