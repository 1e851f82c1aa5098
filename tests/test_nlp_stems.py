"""Norwegian stems on spaCy tokens, sentence units, and codebook patterns matched over stems."""

from __future__ import annotations

import pytest

from qualcode.nlp.patterns import PatternError, PatternMatcher, token_pattern
from qualcode.nlp.segment import pipeline, sentences
from qualcode.nlp.stems import matches_stem, stem


def hits(rules, text):
    matcher = PatternMatcher(rules)
    return [(h.key, h.words) for h in matcher.hits(pipeline()(text))]


def texts(text):
    return [text[a:b] for a, b in sentences(text)]


def test_veileder_finds_its_inflections_and_not_related_words():
    for form in ("veileder", "veilederen", "veilederne", "veiledere", "Veilederens"):
        assert matches_stem("veileder", form), form
    for other in ("veiledning", "veie", "veien", "leder", "veilede"):
        assert not matches_stem("veileder", other), other


def test_tokens_carry_their_stem_and_hyphenated_compounds_hold_the_word():
    doc = pipeline()("HPMT-veilederne oppsummerte møtene.")
    assert [t.text for t in doc] == ["HPMT", "-", "veilederne", "oppsummerte", "møtene", "."]
    assert doc[2]._.stem == stem("veilederne") == "veiledern"
    assert doc[4]._.stem == "møt"


@pytest.mark.parametrize("abbreviation", ["f.eks.", "bl.a.", "dvs.", "ca.", "kl."])
def test_abbreviations_do_not_end_a_sentence(abbreviation):
    text = f"Vi snakket {abbreviation} Om planen og målene. Så gikk hun."
    assert texts(text) == [f"Vi snakket {abbreviation} Om planen og målene.", "Så gikk hun."]


def test_abbreviations_inside_sentences_of_an_fe_comment():
    text = ("Brukte bl.a. skalering, dvs. at bruker plasserte seg på en skala. Møtet varte "
            "ca. en time fra kl. 10, f.eks. med pause.")
    assert texts(text) == [
        "Brukte bl.a. skalering, dvs. at bruker plasserte seg på en skala.",
        "Møtet varte ca. en time fra kl. 10, f.eks. med pause.",
    ]


def test_a_speaker_label_starts_a_new_unit():
    text = "Kursholder: Hva brukte dere f.eks. i går\nDeltaker: Vi brukte livshjulet"
    assert texts(text) == ["Hva brukte dere f.eks. i går", "Vi brukte livshjulet"]
    doc = pipeline()(text)
    label = text.index("Deltaker")
    starts = [t.idx for t in doc if t.is_sent_start]
    assert label in starts


def test_a_stem_pattern_matches_inflections_and_not_unrelated_words():
    text = ("Veilederen og veilederne møtte veiledere fra fylket. Veiledningen var grei, "
            "men veien dit var lang. Hun er leder.")
    assert hits({"v": ["veileder"]}, text) == [
        ("v", "Veilederen"), ("v", "veilederne"), ("v", "veiledere")]


def test_a_phrase_pattern_matches_across_a_line_break_a_nbsp_and_quote_marks():
    text = ("Vi brukte åpne\nspørsmål. Hun stilte åpne\u00a0spørsmål igjen.\n"
            "Vi satte «smarte» mål. Spørsmålene var åpne.")
    assert hits({"ås": ["åpne spørsmål"], "sm": ["smarte mål"]}, text) == [
        ("ås", "åpne\nspørsmål"), ("ås", "åpne\u00a0spørsmål"), ("sm", "smarte» mål")]


def test_quoted_patterns_are_exact_and_a_star_is_a_prefix():
    text = "Vi oppsummerte. Oppsummeringen tok tid. Åpne spm om jobb, åpent spm om skole."
    assert hits({"q": ['"åpne spm"'], "o": ["oppsummer*"]}, text) == [
        ("o", "oppsummerte"), ("o", "Oppsummeringen"), ("q", "Åpne spm")]
    assert hits({"q": ['"veileder"']}, "Veilederen kom. Veileder kom.") == [("q", "Veileder")]


def test_a_hit_knows_its_sentence():
    text = "Jeg var usikker. Vi brukte livshjulet, dvs. en sirkel. Så gikk vi videre."
    matcher = PatternMatcher({"l": ["livshjul"]})
    (hit,) = matcher.hits(pipeline()(text))
    assert text[slice(*hit.sentence)] == "Vi brukte livshjulet, dvs. en sirkel."


def test_bad_patterns_are_refused():
    for bad in ["", "   ", '"åpne spm']:
        with pytest.raises(PatternError):
            token_pattern(bad)
