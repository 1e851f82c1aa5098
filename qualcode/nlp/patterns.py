"""Codebook patterns compiled to spaCy PhraseMatcher and Matcher rules, matched over many texts.

A pattern is a word or a phrase, lowercase, as written in a codebook's `patterns`:

- `veileder`: any form of the word (its stem; see qualcode.nlp.stems);
- `smarte mål`: the words in this order, each in any form;
- `"åpne spm"`: in double quotes, exactly these words (any case), not their other forms;
- `oppsummer*`: a word that starts with `oppsummer`.

Between the words of a phrase any run of spaces, non-breaking spaces and line breaks is allowed,
and quote marks («smarte» mål): matching runs over the document's words alone (a copy of the
Doc without whitespace and quote tokens), so such tokens cannot split a phrase. Patterns without
a star are PhraseMatcher rules over the stems (LEMMA), one per combination of the words' forms:
a hash lookup per token, however many codes have patterns. Quoted words are then checked
exactly. Starred patterns are Matcher rules (a regular expression on the word).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy
from spacy.attrs import IS_QUOTE, IS_SPACE, LEMMA, LOWER, ORTH, SENT_START, SPACY
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from qualcode.nlp.segment import pipeline
from qualcode.nlp.stems import stem, stem_forms

QUOTED = re.compile(r'"([^"]*)"|(\S+)')
MAX_VARIANTS = 512  # form combinations of one phrase; more is a pattern too long to be useful


class PatternError(ValueError):
    """A pattern that cannot be compiled (empty, an unclosed quote, too many words)."""


@dataclass(frozen=True)
class PatternWord:
    """One word of a pattern: matched by `forms` (stems), exactly (`exact`), or by prefix."""

    text: str
    forms: frozenset[str]
    exact: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class PatternHit:
    """Where a rule matched: the words [start, end) and the sentence around them, as
    character offsets, and the matched text."""

    key: Hashable
    start: int
    end: int
    words: str
    sentence: tuple[int, int]


def pattern_words(pattern: str) -> list[PatternWord]:
    """The words of one codebook pattern, tokenised as texts are."""
    text = pattern.strip()
    if not text or text.count('"') % 2:
        raise PatternError(f"pattern {pattern!r} is empty or has an unclosed quote")
    tokenizer = pipeline().tokenizer
    words: list[PatternWord] = []
    for quoted, plain in QUOTED.findall(text):
        tokens = [t for t in tokenizer(quoted or plain) if not _skipped(t)]
        for n, token in enumerate(tokens):
            word = token.lower_
            if word == "*" and words and not quoted:
                continue  # the star of `word*`, taken with its word
            starred = not quoted and (word.endswith("*") or (
                n + 1 < len(tokens) and tokens[n + 1].text == "*"))
            if starred:
                words.append(PatternWord(word.rstrip("*"), frozenset(), prefix=True))
            elif quoted or not token.is_alpha:
                words.append(PatternWord(word, frozenset({stem(word)}), exact=True))
            else:
                words.append(PatternWord(word, stem_forms(word)))
    if not words:
        raise PatternError(f"pattern {pattern!r} has no words")
    return words


def _skipped(token) -> bool:
    """Tokens that never break a phrase: whitespace (line breaks, NBSP) and quote marks."""
    return token.is_space or token.is_quote


class PatternMatcher:
    """Rules by key (e.g. a code id), each a list of patterns, matched over texts."""

    def __init__(self, rules: Mapping[Hashable, Iterable[str]]):
        self.nlp = pipeline()
        vocab = self.nlp.vocab
        self.phrases = PhraseMatcher(vocab, attr="LEMMA")
        self.matcher = Matcher(vocab)
        self.rules: dict[int, tuple[Hashable, list[PatternWord]]] = {}
        self.prefixes: list[tuple[str, int]] = []  # one-word `word*` rules, matched by hand:
        self.prefix_rules: dict[int, tuple[int, ...]] = {}  # word hash -> rules it starts
        for key, patterns in rules.items():
            for n, pattern in enumerate(patterns):
                words = pattern_words(pattern)
                name = f"qc_{key}_{n}"
                self.rules[vocab.strings.add(name)] = (key, words)
                if len(words) == 1 and words[0].prefix:
                    self.prefixes.append((words[0].text, self.rules_id(name)))
                    continue
                if any(w.prefix for w in words):
                    self.matcher.add(name, [[_token_spec(w) for w in words]])
                    continue
                variants = list(itertools.islice(
                    itertools.product(*(sorted(w.forms) for w in words)), MAX_VARIANTS + 1))
                if len(variants) > MAX_VARIANTS:
                    raise PatternError(f"pattern {pattern!r} has too many words")
                self.phrases.add(name, [Doc(vocab, words=list(v), lemmas=list(v))
                                        for v in variants])

    def rules_id(self, name: str) -> int:
        return self.nlp.vocab.strings[name]

    def _prefix_matches(self, words: Doc) -> list[tuple[int, int, int]]:
        """Matches of the one-word `word*` rules: a dictionary lookup per token (spaCy's
        Matcher would test a regular expression on every token for every such rule)."""
        out = []
        strings = words.vocab.strings
        for i, lower in enumerate(words.to_array([LOWER]).tolist()):
            rules = self.prefix_rules.get(lower)
            if rules is None:
                word = strings[lower]
                rules = self.prefix_rules[lower] = tuple(
                    rule for prefix, rule in self.prefixes if word.startswith(prefix))
            out += [(rule, i, i + 1) for rule in rules]
        return out

    def hits(self, doc: Doc) -> list[PatternHit]:
        """Every match in `doc` in text order; where one code's matches overlap, the longest."""
        words, kept = _words_only(doc)
        if not kept:
            return []
        found: dict[Hashable, list[tuple[int, int]]] = {}
        matches = [*(self.phrases(words) if len(self.phrases) else ()),
                   *(self.matcher(words) if len(self.matcher) else ()),
                   *(self._prefix_matches(words) if self.prefixes else ())]
        for match_id, start, end in matches:
            key, pattern = self.rules[match_id]
            if all(_same(words[start + i].lower_, w.text) for i, w in enumerate(pattern)
                   if w.exact):
                found.setdefault(key, []).append((kept[start], kept[end - 1] + 1))
        out = []
        sentence_of = _Sentences(doc) if found else None
        for key, spans in found.items():
            for start, end in _longest(spans):
                span = doc[start:end]
                out.append(PatternHit(key, span.start_char, span.end_char, span.text,
                                      sentence_of(start, end)))
        return sorted(out, key=lambda h: (h.start, h.end, str(h.key)))

    def match_texts(self, items: Iterable[tuple[Hashable, str]], *, batch_size: int = 64
                    ) -> Iterator[tuple[Hashable, list[PatternHit]]]:
        """(item key, hits) for each (item key, text), in order; texts are analysed in batches."""
        items = iter(items)
        keys: list[Hashable] = []

        def texts():
            for key, text in items:
                keys.append(key)
                yield text

        for n, doc in enumerate(self.nlp.pipe(texts(), batch_size=batch_size)):
            yield keys[n], self.hits(doc)
            keys[n] = None  # let go of what was yielded


def _same(token: str, word: str) -> bool:
    """Whether a token is exactly a pattern's word (an abbreviation's final stop aside)."""
    return token == word or token.rstrip(".") == word.rstrip(".")


def _words_only(doc: Doc) -> tuple[Doc, list[int]]:
    """`doc` without whitespace and quote tokens (the same Doc if it has none), and the index
    in `doc` of each token kept."""
    flags = doc.to_array([IS_SPACE, IS_QUOTE]).tolist()
    kept = [i for i, (space, quote) in enumerate(flags) if not (space or quote)]
    if len(kept) == len(doc):
        return doc, kept
    arrays = doc.to_array([ORTH, SPACY, LEMMA, LOWER])[kept]
    strings = doc.vocab.strings
    words = Doc(doc.vocab, words=[strings[o] for o in arrays[:, 0].tolist()],
                spaces=[bool(s) for s in arrays[:, 1].tolist()])
    lemmas = numpy.where(arrays[:, 2] != 0, arrays[:, 2], arrays[:, 3]).reshape(-1, 1)
    words.from_array([LEMMA], lemmas)
    return words, kept


def token_pattern(pattern: str) -> list[dict]:
    """The Matcher token pattern for one codebook pattern (over a Doc's words alone)."""
    return [_token_spec(w) for w in pattern_words(pattern)]


def _token_spec(word: PatternWord) -> dict:
    if word.prefix:
        return {"LOWER": {"REGEX": "^" + re.escape(word.text)}}
    if word.exact:
        return {"LOWER": word.text}
    return {"LEMMA": {"IN": sorted(word.forms)}}


def _longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest of overlapping spans, earliest first among equals."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= a or start >= b for a, b in out):
            out.append((start, end))
    return sorted(out)


class _Sentences:
    """The sentence around tokens [start, end) of a Doc, as character offsets without a speaker
    label or surrounding whitespace (from the sentence starts, read once per Doc)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        flags = doc.to_array([SENT_START]).tolist()
        self.starts = [0] + [i for i, flag in enumerate(flags) if flag == 1 and i > 0]

    def __call__(self, start: int, end: int) -> tuple[int, int]:
        doc, starts = self.doc, self.starts
        first = starts[bisect.bisect_right(starts, start) - 1]
        n = bisect.bisect_right(starts, end - 1)  # the sentence after the one of the last word
        last = starts[n] if n < len(starts) else len(doc)
        while first < start and (doc[first]._.qc_label or doc[first].is_space):
            first += 1
        while last > end and doc[last - 1].is_space:
            last -= 1
        return doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
