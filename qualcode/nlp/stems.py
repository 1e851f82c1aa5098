"""Norwegian word stems: the Snowball Norwegian stemmer (PyStemmer) on spaCy tokens.

`stem("veilederen")` is the Snowball stem. Snowball's Norwegian rules are light: they strip one
ending, so veileder/veilederen/veilederne/veiledere come out as veiled/veileder/veiledern/
veileder. A search word therefore matches every token whose stem is the stem of one of the
word's regular inflections (`stem_forms`): "veileder" finds its definite, plural and possessive
forms, and not "veiledning" or "veie", whose stems are not among them.

The pipeline component `qc_stems` writes each token's stem into `token.lemma_` (spacy.blank has
no lemmatizer, so the slot is free) so that spaCy's Matcher can match stems natively with
{"LEMMA": {"IN": [...]}}; `token._.stem` reads it under its own name.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy
import Stemmer
from spacy.attrs import IS_SPACE, LEMMA, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Token

INFLECTIONS = ("", "e", "en", "et", "a", "er", "ene", "ar", "ane", "s", "es", "ens", "ets",
               "enes", "ers")
"""Endings of Norwegian noun, adjective and regular verb forms, appended to a search word to
find the stems of its inflections."""
ER_INFLECTIONS = ("ne", "nes")  # lærer: lærerne, lærernes
SHORT = 3  # words this short ("du", "om", "mål") match their own stem only: endings on them
# are mostly other words


_local = threading.local()  # a PyStemmer object must not be shared between threads


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("norwegian")
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball Norwegian stem of `word`, in lowercase; a final full stop (an abbreviation
    such as "spm.", which the tokenizer keeps on the word) is not part of it."""
    word = word.lower()
    if len(word) > 1 and word.endswith("."):
        word = word[:-1]
    return _stemmer().stemWord(word)


@lru_cache(maxsize=4096)
def stem_forms(word: str) -> frozenset[str]:
    """The stems a token may have to count as a form of `word` (the stems of its inflections)."""
    word = word.lower()
    if len(word) <= SHORT:
        return frozenset({stem(word)})
    endings = INFLECTIONS + (ER_INFLECTIONS if word.endswith("er") else ())
    return frozenset(stem(word + ending) for ending in endings)


def matches_stem(word: str, token: str) -> bool:
    """Whether `token` is a form of `word`."""
    return stem(token) in stem_forms(word)


if not Token.has_extension("stem"):
    Token.set_extension("stem", getter=lambda token: token.lemma_ or stem(token.text))


@Language.component("qc_stems")
def stems(doc: Doc) -> Doc:
    """Each token's stem into its LEMMA (whitespace keeps none). Works on the
    Doc's arrays, a dictionary lookup per token: this runs on every token autocoding reads."""
    if not len(doc):
        return doc
    strings = doc.vocab.strings
    lemmas = numpy.zeros((len(doc), 1), dtype=numpy.uint64)
    for i, (lower, space) in enumerate(doc.to_array([LOWER, IS_SPACE]).tolist()):
        if not space:
            stem_id = _stem_ids.get(lower)
            if stem_id is None:
                stem_id = _stem_ids[lower] = strings.add(stem(strings[lower]))
            lemmas[i, 0] = stem_id
    doc.from_array([LEMMA], lemmas)
    return doc


_stem_ids: dict[int, int] = {}  # lowercase word's hash -> its stem's hash (hashes are global)
