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

import Stemmer
from spacy.language import Language
from spacy.tokens import Doc, Token

INFLECTIONS = ("", "e", "en", "et", "a", "er", "ene", "ne", "ar", "ane", "s", "ens", "ets",
               "enes", "ers", "ernes")
"""Endings of Norwegian noun, adjective and regular verb forms, appended to a search word to
find the stems of its inflections."""

_local = threading.local()  # a PyStemmer object must not be shared between threads


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("norwegian")
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball Norwegian stem of `word`, in lowercase."""
    return _stemmer().stemWord(word.lower())


@lru_cache(maxsize=4096)
def stem_forms(word: str) -> frozenset[str]:
    """The stems a token may have to count as a form of `word` (the stems of its inflections)."""
    word = word.lower()
    return frozenset(stem(word + ending) for ending in INFLECTIONS)


def matches_stem(word: str, token: str) -> bool:
    """Whether `token` is a form of `word`."""
    return stem(token) in stem_forms(word)


if not Token.has_extension("stem"):
    Token.set_extension("stem", getter=lambda token: token.lemma_ or stem(token.text))


@Language.component("qc_stems")
def stems(doc: Doc) -> Doc:
    for token in doc:
        if not token.is_space and not token.is_punct:
            token.lemma_ = stem(token.text)
    return doc
