"""Sentence boundaries in Norwegian text, as character offsets into the text.

The pipeline is spacy.blank("nb") (tokenizer only, no model to download) with three components
of ours before the rule-based sentencizer:

- `qc_line_starts`: a line break always ends a sentence (transcripts put one turn, documents one
  paragraph, on a line);
- `qc_speaker_labels`: a speaker label at the start of a line ("IP:", "[00:01:20] I:") is kept
  out of the sentence that follows it;
- `qc_abbreviations`: no sentence starts after abbreviations such as "kl.", "ca.", "f.eks.",
  "bl.a.", whatever their case ("Kl. 10 møttes vi" is one sentence).

The sentencizer (`qc_sentences`: spaCy's rules, computed on the Doc's arrays, which makes the
pipeline about a third faster) then splits on . ! ? and the like, keeping what the components
decided. Last,
`qc_stems` (qualcode.nlp.stems) gives every word its Snowball stem. The tokenizer also splits at
a hyphen between letters, so "HPMT-veilederen" holds the word "veilederen".
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline.sentencizer import Sentencizer
from spacy.strings import hash_string
from spacy.tokens import Doc, Token
from spacy.util import compile_infix_regex

from qualcode.nlp import stems as _stems  # noqa: F401  (registers the qc_stems component)

ABBREVIATIONS = frozenset({
    "adm.", "alt.", "avd.", "bl.a.", "ca.", "dvs.", "e.l.", "etc.", "evt.", "f.eks.", "fig.",
    "forts.", "hhv.", "inkl.", "jf.", "jfr.", "kap.", "kl.", "m.a.", "m.fl.", "m.m.", "mht.",
    "mill.", "min.", "mrd.", "nr.", "o.a.", "o.l.", "osv.", "pga.", "pkt.", "s.", "sek.",
    "st.", "stk.", "t.o.m.", "tlf.", "vs.", "ft.", "f.o.m.", "pr.", "iflg.", "ifm.", "ev.",
})
SPEAKER_LABEL = re.compile(
    r"[ \t]*(?:\[\d{1,2}:\d{2}(?::\d{2})?\][ \t]*)?[^\s:\[\]][^:\n]{0,30}:(?=\s)")
"""A speaker label at a line's start: optional [hh:mm:ss] stamp, a short name, a colon."""
HYPHEN_BETWEEN_LETTERS = r"(?<=[^\W\d_])[-–](?=[^\W\d_])"  # hyphen or en dash
ABBREVIATION_IDS = frozenset(hash_string(a) for a in ABBREVIATIONS)
FULL_STOP = hash_string(".")
COLON = hash_string(":")
SENTENCE_ENDS = frozenset(hash_string(c) for c in Sentencizer.default_punct_chars)
TEXT_KEY = "qc_text"  # the text a Doc was made from, kept by pipeline()'s make_doc
LABEL_WORDS = 4  # a label has at most this many words ("Deltaker 2:", "HPMT-veileder A:")

if not Token.has_extension("qc_label"):
    Token.set_extension("qc_label", default=False)


@Language.component("qc_line_starts")
def line_starts(doc: Doc) -> Doc:
    """The first word after a line break starts a sentence. Line breaks are only ever in
    whitespace tokens, so only those are looked at (this runs on every text autocoding reads)."""
    spaces = doc.to_array([IS_SPACE]).tolist()
    for i, space in enumerate(spaces):
        if space and "\n" in doc[i].text:
            following = i + 1
            while following < len(doc) and spaces[following]:
                following += 1
            if following < len(doc):
                doc[following].is_sent_start = True
    return doc


@Language.component("qc_speaker_labels")
def speaker_labels(doc: Doc) -> Doc:
    if COLON not in doc.to_array([ORTH]).tolist():
        return doc  # no label without a colon
    text = doc.user_data.get(TEXT_KEY) or doc.text
    for line_start in _line_starts(text):
        match = SPEAKER_LABEL.match(text, line_start)
        if not match or len(match.group().split()) > LABEL_WORDS + 1:
            continue
        label = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if label is None or len(label) == 0:
            continue
        for token in label:
            token._.qc_label = True
            if token.i > label.start:
                token.is_sent_start = False
        label[0].is_sent_start = True
        if label.end < len(doc):
            doc[label.end].is_sent_start = True
    return doc


@Language.component("qc_abbreviations")
def abbreviations(doc: Doc) -> Doc:
    lowers = doc.to_array([LOWER]).tolist()
    for i, lower in enumerate(lowers[:-1]):
        if lower == FULL_STOP and i > 0 and not doc[i - 1].whitespace_:
            word = doc[i - 1].text.lower() + "."
        elif lower in ABBREVIATION_IDS:
            word = doc[i].lower_
        else:
            continue
        token, following = doc[i], doc[i + 1]
        if word in ABBREVIATIONS and not following._.qc_label and "\n" not in token.text_with_ws:
            following.is_sent_start = False
    return doc


@Language.component("qc_sentences")
def sentence_ends(doc: Doc) -> Doc:
    """spaCy's rule-based sentencizer (a sentence ends after . ! ? and the like, and any
    punctuation that follows them), computed on the Doc's arrays instead of token by token;
    what the components before it decided is kept."""
    if not len(doc):
        return doc
    rows = doc.to_array([ORTH, IS_PUNCT]).tolist()
    decided = doc.to_array([SENT_START]).astype(numpy.int64)
    guesses = [False] * len(doc)
    guesses[0] = True
    start, seen_end = 0, False
    for i, (orth, punct) in enumerate(rows):
        ends = orth in SENTENCE_ENDS
        if seen_end and not punct and not ends:
            guesses[start] = True
            start, seen_end = i, False
        elif ends:
            seen_end = True
    guesses[start] = True
    proposed = numpy.where(numpy.array(guesses), 1, -1)
    merged = numpy.where(decided == 0, proposed, decided).reshape(-1, 1)
    doc.from_array([SENT_START], merged.astype(numpy.uint64))
    return doc


def _line_starts(text: str):
    yield 0
    position = text.find("\n")
    while position != -1:
        yield position + 1
        position = text.find("\n", position + 1)


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The Norwegian pipeline, built once per process (loading spaCy takes about a second)."""
    nlp = spacy.blank("nb")
    infixes = [*nlp.Defaults.infixes, HYPHEN_BETWEEN_LETTERS]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    tokenizer = nlp.tokenizer

    def make_doc(text: str) -> Doc:
        doc = tokenizer(text)
        doc.user_data[TEXT_KEY] = text  # Doc.text would join every token again
        return doc

    nlp.make_doc = make_doc
    nlp.add_pipe("qc_line_starts")
    nlp.add_pipe("qc_speaker_labels")
    nlp.add_pipe("qc_abbreviations")
    nlp.add_pipe("qc_sentences")
    nlp.add_pipe("qc_stems")
    return nlp


def sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of every sentence in `text`, without speaker labels or surrounding
    whitespace. `offset` is added to each, for text cut out of a longer one."""
    if not text.strip():
        return []
    doc = pipeline()(text)
    spans = []
    for sent in doc.sents:
        words = [t for t in sent if not t._.qc_label and not t.is_space]
        if not words:
            continue
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        spans.append((start + offset, end + offset))
    return spans


def sentence_at(text: str, offset: int) -> tuple[int, int] | None:
    """The sentence of `text` that holds `offset` (or, between two sentences, the next one on
    the line). Only the line around `offset` is analysed, so this is quick in long texts."""
    offset = max(0, min(offset, len(text)))
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end == -1 else end
    spans = sentences(text[start:end], start)
    for span in spans:
        if offset < span[1]:
            return span
    return spans[-1] if spans else None
