"""Finding words and phrases across a project's sources.

The FTS5 index `sources_fts` (kept in step with the sources by triggers) narrows a search to the
sources that hold every word of the query; the hits and their offsets then come from each
source's stored text, so they are exact. Three ways to match:

- plain (default): the phrase from the start of a word, any case, any run of whitespace
  (spaces, non-breaking spaces, line breaks) in the text standing for a space in the phrase;
- `stem=True`: each word in any of its Norwegian forms ("veileder" finds "veilederne");
- `regex=True`: a Python regular expression, over every source in the selection.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from qualcode.core.locations import Locator
from qualcode.core.model import Hit, NewCoding
from qualcode.core.textmatch import keyword_in_context, phrase_regex
from qualcode.core.util import counted
from qualcode.errors import InvalidOperation

FTS_WORD = re.compile(r"[^\W_]+")  # what the index's unicode61 tokenizer calls a word
BATCH = 200  # texts read per query while scanning


class SearchMixin:
    def find(self, query: str, *, stem: bool = False, regex: bool = False,
             case_sensitive: bool = False, sources: Iterable | None = None,
             attributes: Mapping[str, Any] | None = None, kinds: Iterable[str] | None = None,
             codes: Iterable | None = None, limit: int | None = None,
             context: int = 40) -> list[Hit]:
        """Every place `query` occurs, in source-name and text order.

        Filters narrow the sources searched: `sources` (names), `attributes` ({name: value or
        [values]}, merged from cases), `kinds` (transcript, fieldnote, form_field, document),
        `codes` (sources with a coding of one of these codes). `limit` stops after that many
        hits; `context` is the number of characters of keyword-in-context either side.
        """
        matcher = _matcher(query, stem=stem, regex=regex, case_sensitive=case_sensitive)
        selected = self._search_selection(sources, attributes, kinds, codes)
        candidates = None if regex else self._fts_candidates(query, stem=stem)
        if candidates is not None:
            selected = candidates if selected is None else selected & candidates
        hits: list[Hit] = []
        for source_id, name, text in self._texts_by_name(selected):
            locator = None  # the source's turns are read at its first hit
            for start, end in matcher(text):
                locator = locator or Locator(text, self._turns_of(source_id))
                before, _, after = keyword_in_context(text, start, end, context)
                hits.append(Hit(source_id, name, start, end, text[start:end], before, after,
                                locator.location(start)))
                if limit is not None and len(hits) >= limit:
                    return hits
        return hits

    def code_hits(self, hits: Iterable[Hit], codes, *, unit: str = "word",
                  coder: str | None = None) -> list[int]:
        """Code every hit, or the `unit` around it (word, sentence, turn, paragraph, field),
        with `codes`, as one change and one undo step. Spans already coded so are left out;
        hits with no such unit around them are skipped. Returns the new codings' ids."""
        code_ids = self.code_ids(codes)
        spans = []
        for hit in hits:
            span = self.unit_around(hit.source_id, hit.start, hit.end, unit)
            if span is not None:
                spans.append((hit.source_id, *span))
        spans = list(dict.fromkeys(spans))
        if not spans:
            raise InvalidOperation(f"no {unit} around these hits to code")
        names = ", ".join(self.code(c).name for c in code_ids)
        with self.change("code hits", f"{counted(len(spans), unit)} as {names}"):
            coder_id = self.coder(coder).id
            added = self.add_codings(
                [NewCoding(sid, start, end, code_id, coder_id)
                 for sid, start, end in spans for code_id in code_ids], skip_existing=True)
        return list(added.ids)

    def rebuild_search_index(self) -> None:
        """Build the search index again from the sources' texts (it is kept in step by itself;
        this is for a file whose index was damaged)."""
        with self.change("rebuild search index"):
            self.conn.execute("INSERT INTO sources_fts (sources_fts) VALUES ('rebuild')")

    # -- helpers ------------------------------------------------------------------------------
    def _search_selection(self, sources, attributes, kinds, codes) -> set[int] | None:
        """Ids of the sources the filters allow (None: every source)."""
        selected: set[int] | None = None

        def narrow(ids: Iterable[int]) -> None:
            nonlocal selected
            ids = {int(i) for i in ids}
            selected = ids if selected is None else selected & ids

        if sources is not None:
            narrow(self._source_ids(sources))
        if kinds is not None:
            from qualcode.core.model import SOURCE_KINDS
            kinds = [kinds] if isinstance(kinds, str) else list(kinds)
            for kind in kinds:
                if kind not in SOURCE_KINDS:
                    raise InvalidOperation(f"source kind {kind!r} is not one of "
                                           f"{', '.join(SOURCE_KINDS)}")
            narrow(r[0] for r in self.conn.execute(
                f"SELECT id FROM sources WHERE kind IN ({', '.join('?' * len(kinds))})", kinds))
        if attributes:
            from qualcode.analysis.filters import sources_where  # pandas: only when filtering
            try:
                narrow(sources_where(self.db, attributes))
            except ValueError as exc:
                raise InvalidOperation(str(exc)) from exc
        if codes is not None:
            code_ids = self.code_ids(codes)
            narrow(r[0] for r in self.conn.execute(
                "SELECT DISTINCT source_id FROM codings WHERE code_id IN "
                f"({', '.join('?' * len(code_ids))})", code_ids))
        return selected

    def _fts_candidates(self, query: str, *, stem: bool) -> set[int] | None:
        """Ids of the sources the index says can hold `query` (None: the index cannot tell)."""
        words = FTS_WORD.findall(query)
        if not words:
            return None
        if stem:
            from qualcode.nlp.stems import stem_forms  # spaCy: only for a stem search
            parts = []
            for word in query.split():
                forms = {f for w in FTS_WORD.findall(word) for f in stem_forms(w)}
                if forms:
                    parts.append("(" + " OR ".join(f'"{f}"*' for f in sorted(forms)) + ")")
            match = " AND ".join(parts)
        else:
            match = '"' + " ".join(words) + '"*'
        return {r[0] for r in self.conn.execute(
            "SELECT rowid FROM sources_fts WHERE sources_fts MATCH ?", [match])}

    def _texts_by_name(self, ids: set[int] | None) -> Iterator[tuple[int, str, str]]:
        if ids is None:
            yield from self.conn.execute("SELECT id, name, text FROM sources ORDER BY name")
            return
        order = [r[0] for r in self.conn.execute("SELECT id FROM sources ORDER BY name")
                 if r[0] in ids]
        for i in range(0, len(order), BATCH):
            chunk = order[i:i + BATCH]
            rows = {r[0]: r for r in self.conn.execute(
                f"SELECT id, name, text FROM sources WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk)}
            for source_id in chunk:
                yield rows[source_id]


def _matcher(query: str, *, stem: bool, regex: bool, case_sensitive: bool):
    """A function text -> [(start, end)] for the query."""
    if not query or not query.strip():
        raise InvalidOperation("give something to find")
    if stem and regex:
        raise InvalidOperation("--stem and --regex cannot be combined")
    if stem and case_sensitive:
        raise InvalidOperation("a stem search ignores case; leave out --case-sensitive")
    if regex:
        try:
            pattern = re.compile(query, 0 if case_sensitive else re.IGNORECASE)
        except re.error as exc:
            raise InvalidOperation(f"not a regular expression: {query!r} ({exc})") from None
        return lambda text: [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
    if stem:
        return _stem_matcher(query)
    if case_sensitive:
        pattern = phrase_regex(query, ignore_case=False)
        return lambda text: _from_word_starts(pattern, text, word_start=query.strip()[:1].isalnum())
    lowered_pattern = phrase_regex(query.lower(), ignore_case=False)
    fallback = phrase_regex(query, ignore_case=True)

    def match(text: str) -> list[tuple[int, int]]:
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lowercase is longer: offsets would shift
            return _from_word_starts(fallback, text, word_start=query.strip()[:1].isalnum())
        return _from_word_starts(lowered_pattern, lowered, word_start=query.strip()[:1].isalnum())

    return match


def _from_word_starts(pattern: re.Pattern, text: str, *, word_start: bool = True,
                      check=None) -> list[tuple[int, int]]:
    """Spans of `pattern` in `text` that begin where a word begins (if `word_start`) and pass
    `check(match)`. The pattern starts with a literal so the scan is quick; the word start is
    checked here, as a look-behind in the pattern would make every position a try."""
    spans, position = [], 0
    while (m := pattern.search(text, position)) is not None:
        start, end = m.span()
        at_word_start = not word_start or start == 0 or not _word_char(text[start - 1])
        if at_word_start and (check is None or check(m)):
            spans.append((start, end))
            position = end if end > start else start + 1
        else:
            position = start + 1
    return spans


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _stem_matcher(query: str):
    """Words in order, each in any of its forms, whitespace and quote marks between them.

    Every form of a word starts with the stems' common prefix, so the scan looks for that
    literal prefix in the lowercased text (fast) and checks each word found by its stem."""
    from qualcode.nlp.stems import stem, stem_forms  # spaCy: only for a stem search

    words = query.lower().split()
    forms = [stem_forms(w) for w in words]
    gap = r"[\s«»\"“”‘’']+"
    pattern = re.compile(gap.join(f"({re.escape(os.path.commonprefix(sorted(fs)))}\\w*)"
                                  for fs in forms))

    def check(m: re.Match) -> bool:
        return all(stem(g) in fs for g, fs in zip(m.groups(), forms, strict=True))

    def match(text: str) -> list[tuple[int, int]]:
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lowercase is longer: offsets would shift
            return _from_word_starts(re.compile(pattern.pattern, re.IGNORECASE), text,
                                     check=check)
        return _from_word_starts(pattern, lowered, check=check)

    return match
