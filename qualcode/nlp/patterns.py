"""Codebook patterns compiled to spaCy Matcher rules, and matching them over many texts.

A pattern is a word or a phrase, lowercase, as written in a codebook's `patterns`:

- `veileder`: any form of the word (its stem; see qualcode.nlp.stems);
- `smarte mål`: the words in this order, each in any form;
- `"åpne spm"`: in double quotes, exactly these words (any case), not their other forms;
- `oppsummer*`: a word that starts with `oppsummer`.

Between the words of a phrase any run of spaces, non-breaking spaces and line breaks is allowed,
and quote marks («smarte» mål). Rules are token patterns for spaCy's Matcher rather than a
PhraseMatcher, because a PhraseMatcher needs the exact token sequence and so misses a phrase
that a line break or a non-breaking space (a token of its own) splits.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from qualcode.nlp.segment import pipeline
from qualcode.nlp.stems import stem_forms

QUOTED = re.compile(r'"([^"]*)"|(\S+)')
GAP = [{"IS_QUOTE": True, "OP": "*"}, {"IS_SPACE": True, "OP": "*"},
       {"IS_QUOTE": True, "OP": "*"}]
"""What may stand between two words of a phrase."""


class PatternError(ValueError):
    """A pattern that cannot be compiled (empty, or an unclosed quote)."""


@dataclass(frozen=True)
class PatternHit:
    """Where a rule matched: the words [start, end) and the sentence around them, as
    character offsets, and the matched text."""

    key: Hashable
    start: int
    end: int
    words: str
    sentence: tuple[int, int]


def token_pattern(pattern: str) -> list[dict]:
    """The Matcher token pattern for one codebook pattern."""
    text = pattern.strip()
    if not text or text.count('"') % 2:
        raise PatternError(f"pattern {pattern!r} is empty or has an unclosed quote")
    tokenizer = pipeline().tokenizer
    specs: list[dict] = []
    for quoted, plain in QUOTED.findall(text):
        tokens = [t for t in tokenizer(quoted or plain) if not t.is_space]
        for n, token in enumerate(tokens):
            word = token.lower_
            if word == "*" and specs and not quoted:
                continue  # the star of `word*`, taken with its word
            starred = not quoted and (word.endswith("*") or (
                n + 1 < len(tokens) and tokens[n + 1].text == "*"))
            if starred:
                spec = {"LOWER": {"REGEX": "^" + re.escape(word.rstrip("*"))}}
            elif quoted or not token.is_alpha:
                spec = {"LOWER": word}
            else:
                spec = {"LEMMA": {"IN": sorted(stem_forms(word))}}
            specs.append(spec)
    if not specs:
        raise PatternError(f"pattern {pattern!r} has no words")
    out: list[dict] = []
    for spec in specs:
        if out:
            out += GAP
        out.append(spec)
    return out


class PatternMatcher:
    """Rules by key (e.g. a code id), each a list of patterns, matched over texts."""

    def __init__(self, rules: Mapping[Hashable, Iterable[str]]):
        self.nlp = pipeline()
        self.matcher = Matcher(self.nlp.vocab)
        self.keys: dict[int, Hashable] = {}
        for key, patterns in rules.items():
            compiled = [token_pattern(p) for p in patterns]
            if not compiled:
                continue
            name = f"qc_rule_{key}"
            self.matcher.add(name, compiled)
            self.keys[self.nlp.vocab.strings[name]] = key

    def hits(self, doc: Doc) -> list[PatternHit]:
        """Every match in `doc`, longest first where a rule's matches overlap, in text order."""
        by_key: dict[Hashable, list[Span]] = {}
        for match_id, start, end in self.matcher(doc):
            by_key.setdefault(self.keys[match_id], []).append(doc[start:end])
        out = []
        for key, spans in by_key.items():
            for span in filter_spans(spans):
                out.append(PatternHit(key, span.start_char, span.end_char, span.text,
                                      _sentence(span)))
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


def _sentence(span: Span) -> tuple[int, int]:
    """The sentence holding `span`, without a speaker label or surrounding whitespace."""
    sent = span.sent
    words = [t for t in sent if not t._.qc_label and not t.is_space]
    if not words:
        return span.start_char, span.end_char
    return (min(words[0].idx, span.start_char),
            max(words[-1].idx + len(words[-1].text), span.end_char))
