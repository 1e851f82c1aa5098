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

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from qualcode.core.model import Hit
from qualcode.core.textmatch import keyword_in_context, phrase_regex
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
            for start, end in matcher(text):
                before, _, after = keyword_in_context(text, start, end, context)
                hits.append(Hit(source_id, name, start, end, text[start:end], before, after))
                if limit is not None and len(hits) >= limit:
                    return hits
        return hits

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
    pattern = phrase_regex(query, ignore_case=not case_sensitive, word_start=True)
    return lambda text: [m.span() for m in pattern.finditer(text)]


def _stem_matcher(query: str):
    """Words in order, each in any of its forms, whitespace and quote marks between them."""
    from qualcode.nlp.stems import stem, stem_forms  # spaCy: only for a stem search

    words = query.lower().split()
    forms = [stem_forms(w) for w in words]
    alternatives = [
        r"(?<!\w)(" + "|".join(re.escape(f) for f in sorted(fs, key=len, reverse=True))
        + r")\w*" for fs in forms]
    gap = r"[\s«»\"“”‘’']+"
    pattern = re.compile("(" + (")" + gap + "(").join(alternatives) + ")", re.IGNORECASE)
    groups = [1 + 2 * i for i in range(len(words))]  # the whole word of each query word

    def match(text: str) -> list[tuple[int, int]]:
        spans = []
        for m in pattern.finditer(text):
            if all(stem(m.group(g)) in fs for g, fs in zip(groups, forms, strict=True)):
                spans.append(m.span())
        return spans

    return match
