"""Norwegian sentence boundaries from spacy.blank("nb") and our own components."""

from __future__ import annotations

from qualcode.nlp.segment import pipeline, sentence_at, sentences

TEXT = ("[00:00:20] IP: Ja. Jeg er nivå to, bl.a. for HPMT-veilederne f.eks. i fylket. "
        "Kl. 10 møttes vi.  Hva tror du?\n\n"
        "I: Hvordan har du organisert veiledningen? Det var fint 😅 dvs. nesten\n"
        "Deltaker 2: ja")


def texts(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences(text)]


def test_sentences_leave_out_labels_and_keep_abbreviations():
    assert texts(TEXT) == [
        "Ja.",
        "Jeg er nivå to, bl.a. for HPMT-veilederne f.eks. i fylket.",
        "Kl. 10 møttes vi.",
        "Hva tror du?",
        "Hvordan har du organisert veiledningen?",
        "Det var fint 😅 dvs. nesten",
        "ja",
    ]


def test_a_line_break_ends_a_sentence_without_punctuation():
    assert texts("Vi startet\nDet gikk bra.") == ["Vi startet", "Det gikk bra."]


def test_sentence_at_an_offset_reads_only_its_line():
    at = TEXT.index("møttes")
    start, end = sentence_at(TEXT, at)
    assert TEXT[start:end] == "Kl. 10 møttes vi."
    label = TEXT.index("I: Hvordan")  # on the label: the line's first sentence
    start, end = sentence_at(TEXT, label)
    assert TEXT[start:end] == "Hvordan har du organisert veiledningen?"
    assert sentence_at(TEXT, TEXT.index("\n\n") + 1) is None  # an empty line


def test_offsets_index_the_original_text_and_the_pipeline_is_built_once():
    text = "Æ, ø og å. Så 😅 emoji."
    assert texts(text) == ["Æ, ø og å.", "Så 😅 emoji."]
    assert pipeline() is pipeline()
    assert pipeline().pipe_names == ["qc_line_starts", "qc_speaker_labels", "qc_abbreviations",
                                     "qc_sentences", "qc_stems"]
