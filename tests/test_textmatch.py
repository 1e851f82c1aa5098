"""Finding a phrase as a reader sees it: whitespace runs and case do not matter."""

from __future__ import annotations

import pytest

from qualcode.core.textmatch import find_phrase, keyword_in_context, one_line, phrase_regex

TEXT = "Vi brukte åpne\nspørsmål. Åpne\u00a0\u00a0spørsmål igjen, og veilederen lyttet."


def test_any_run_of_whitespace_matches_a_space_and_case_is_ignored():
    spans = find_phrase(TEXT, "åpne spørsmål")
    assert [TEXT[a:b] for a, b in spans] == ["åpne\nspørsmål", "Åpne\u00a0\u00a0spørsmål"]
    assert [TEXT[a:b] for a, b in find_phrase(TEXT, "Åpne  spørsmål", ignore_case=False)] == [
        "Åpne\u00a0\u00a0spørsmål"]


def test_word_start_keeps_a_phrase_from_matching_inside_a_word():
    assert find_phrase(TEXT, "leder") != []
    assert find_phrase(TEXT, "leder", word_start=True) == []
    assert find_phrase(TEXT, "lyttet.", word_start=True) == [(TEXT.index("lyttet."), len(TEXT))]
    with pytest.raises(ValueError):
        phrase_regex("  \n ")


def test_keyword_in_context_is_one_line_cut_at_words():
    start = TEXT.index("igjen")
    before, hit, after = keyword_in_context(TEXT, start, start + 5, width=20)
    assert (before, hit, after) == ("…Åpne spørsmål ", "igjen", ", og veilederen…")
    assert one_line("a \n\u00a0 b") == "a b"
    assert keyword_in_context("kort tekst", 0, 4) == ("", "kort", " tekst")
