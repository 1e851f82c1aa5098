"""Autocoding: codebook patterns suggest codings, a coder accepts or rejects each suggestion.

`autocode` runs the patterns of the chosen codes over the sources (qualcode.nlp.patterns: stems,
phrases across line breaks) and stores what they find as suggestions, each a span of the chosen
unit (the matched words, their sentence, speaker turn, paragraph, or the whole form comment).
Suggestions are proposals, not codings: storing them is not an undo step and changes no
analysis. Accepting turns them into codings with origin `auto` through the bulk codings path,
as one undoable change however many; rejecting is remembered, so the same span is not suggested
for the same code again.

Autocoding by structure (`code_turns`, `code_fields`, `code_sources_where`) codes every speaker
turn of a label, every form comment of a field, or every source with an attribute value
directly, each call one undoable change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from qualcode.core.model import NewCoding, Suggestion
from qualcode.core.units import paragraph_bounds, trimmed
from qualcode.core.util import counted
from qualcode.errors import InvalidOperation, NotFound
from qualcode.store import now, transaction
from qualcode.store.changes import quote

SUGGESTION_UNITS = ("word", "sentence", "turn", "paragraph", "field")
SUGGESTION_COLUMNS = ('s.id, s.source_id, src.name AS source, s.start, s."end", s.code_id, '
                      's.unit, s.words, s.word_start, s.word_end, s.state, s.coding_id')
BATCH = 64  # texts per spaCy batch


@dataclass(frozen=True)
class AutocodeResult:
    """What an autocode run did: sources read, pattern hits, new suggestions stored, and
    suggestions left out because they were already suggested (or rejected) or coded."""

    sources: int
    hits: int
    suggested: int
    known: int
    cancelled: bool = False


@dataclass(frozen=True)
class Accepted:
    """What accepting did: the new codings' ids, and the suggestions that could not become
    codings (e.g. an exclusive group already applied there) with the reason."""

    coding_ids: list[int]
    refused: list[tuple[int, str]]


class SuggestionsMixin:
    # -- finding ------------------------------------------------------------------------------
    def pattern_rules(self, codes: Iterable | None = None) -> dict[int, tuple[str, ...]]:
        """code id -> patterns, for the given codes (default: every code with patterns)."""
        if codes is None:
            return {c.id: c.patterns for c in self.codes() if c.patterns and c.codable}
        rules = {}
        for code_id in self.code_ids(codes):
            code = self.code(code_id)
            if not code.codable:
                raise InvalidOperation(f"{code.path!r} is a category and cannot be applied")
            if not code.patterns:
                raise InvalidOperation(f"{code.path!r} has no patterns to autocode with (give "
                                       "it some in the codebook, or use find)")
            rules[code.id] = code.patterns
        return rules

    def suggest(self, codes: Iterable | None = None, *, unit: str = "sentence",
                sources: Iterable | None = None, attributes: Mapping[str, Any] | None = None,
                kinds: Iterable[str] | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancel: threading.Event | None = None) -> tuple[list[dict], AutocodeResult]:
        """The suggestions the patterns of `codes` make, without storing them: (rows, result).

        Reads only, so a background worker can run it on its own connection. `progress` is
        called with (sources done, sources in all); setting `cancel` stops after the current
        batch with result.cancelled True.
        """
        if unit not in SUGGESTION_UNITS:
            raise InvalidOperation(f"unit {unit!r} is not one of {', '.join(SUGGESTION_UNITS)}")
        rules = self.pattern_rules(codes)
        if not rules:
            raise InvalidOperation("no code has patterns to autocode with")
        from qualcode.nlp.patterns import PatternError, PatternMatcher  # spaCy: only here

        try:
            matcher = PatternMatcher(rules)
        except PatternError as exc:
            raise InvalidOperation(str(exc)) from None
        selected = self._search_selection(sources, attributes, kinds, None)
        ids = [r[0] for r in self.conn.execute("SELECT id FROM sources ORDER BY name")
               if selected is None or r[0] in selected]
        known = self._known_spans(ids, list(rules))
        turns = self._turn_spans(ids) if unit == "turn" else {}
        texts: dict[int, str] = {}
        rows: dict[tuple, dict] = {}
        hits = skipped = done = 0

        def read():
            nonlocal done
            for i in range(0, len(ids), BATCH):
                if cancel is not None and cancel.is_set():
                    return
                chunk = ids[i:i + BATCH]
                for sid, text in self.conn.execute(
                        f"SELECT id, text FROM sources WHERE id IN ({', '.join('?' * len(chunk))})",
                        chunk):
                    texts[sid] = text
                for sid in chunk:
                    yield sid, texts[sid]
                if progress is not None:
                    progress(min(done + len(chunk), len(ids)), len(ids))
                done += len(chunk)

        stamp = now()
        for sid, found in matcher.match_texts(read(), batch_size=BATCH):
            text = texts.pop(sid)
            for hit in found:
                hits += 1
                span = _unit_span(unit, text, hit, turns.get(sid, ()))
                if span is None:
                    continue
                key = (sid, hit.key, *span)
                if key in known:
                    skipped += 1
                    continue
                row = rows.get(key)
                if row is None:
                    rows[key] = {"source_id": sid, "start": span[0], "end": span[1],
                                 "code_id": hit.key, "unit": unit, "words": hit.words,
                                 "word_start": hit.start, "word_end": hit.end,
                                 "created_at": stamp}
                elif hit.words.lower() not in row["words"].lower().split(" … "):
                    row["words"] += " … " + hit.words
        cancelled = cancel is not None and cancel.is_set()
        return list(rows.values()), AutocodeResult(done, hits, len(rows), skipped, cancelled)

    def store_suggestions(self, rows: Iterable[dict]) -> int:
        """Store suggestions made by `suggest` (those already there are left as they are).
        Returns how many were new."""
        rows = list(rows)
        columns = ["source_id", "start", "end", "code_id", "unit", "words", "word_start",
                   "word_end", "created_at"]
        with transaction(self.db):
            return self.conn.executemany(
                f"INSERT OR IGNORE INTO suggestions ({', '.join(map(quote, columns))}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                ([r[c] for c in columns] for r in rows)).rowcount

    def autocode(self, codes: Iterable | None = None, *, unit: str = "sentence",
                 sources: Iterable | None = None, attributes: Mapping[str, Any] | None = None,
                 kinds: Iterable[str] | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 cancel: threading.Event | None = None) -> AutocodeResult:
        """Suggest codings from the patterns of `codes` (default: every code with patterns)
        over the sources the filters allow, as spans of `unit` (word, sentence, turn,
        paragraph, field). Stores the suggestions; codes nothing until they are accepted."""
        rows, result = self.suggest(codes, unit=unit, sources=sources, attributes=attributes,
                                    kinds=kinds, progress=progress, cancel=cancel)
        if result.cancelled:
            return result
        stored = self.store_suggestions(rows)
        return AutocodeResult(result.sources, result.hits, stored,
                              result.known + len(rows) - stored)

    # -- reviewing ----------------------------------------------------------------------------
    def suggestions(self, *, state: str | None = "open", codes: Iterable | None = None,
                    sources: Iterable | None = None, ids: Iterable[int] | None = None
                    ) -> list[Suggestion]:
        """Suggestions in source and text order: open ones by default (`state` 'accepted',
        'rejected', or None for all), optionally only of some codes, sources or ids."""
        where, params = [], []
        if state is not None:
            if state not in ("open", "accepted", "rejected"):
                raise InvalidOperation(f"state {state!r} is not one of open, accepted, rejected")
            where.append("s.state = ?")
            params.append(state)
        for column, values in (("s.code_id", None if codes is None else self.code_ids(codes)),
                               ("s.source_id", self._source_ids(sources)),
                               ("s.id", None if ids is None else [int(i) for i in ids])):
            if values is not None:
                where.append(f"{column} IN ({', '.join('?' * len(values)) or 'NULL'})")
                params += values
        sql = (f"SELECT {SUGGESTION_COLUMNS} FROM suggestions s "
               "JOIN sources src ON src.id = s.source_id"
               + (" WHERE " + " AND ".join(where) if where else "")
               + ' ORDER BY src.name, s.start, s."end", s.code_id')
        paths = {}
        out = []
        for row in self.conn.execute(sql, params):
            row = dict(row)
            code_id = row["code_id"]
            if code_id not in paths:
                paths[code_id] = self.code(code_id).path
            out.append(Suggestion(**row, code=paths[code_id]))
        return out

    def accept_suggestions(self, ids: Iterable[int] | None = None, *,
                           codes: Iterable | None = None, coder: str | None = None) -> Accepted:
        """Make open suggestions codings (origin `auto`) by `coder` (default: you): those with
        these `ids`, or every open one of `codes`, or with neither every open one. One change
        and one undo step, however many. Suggestions that cannot become codings (an exclusive
        group already applied to the passage) stay open and are returned with the reason."""
        chosen = self._open_suggestions(ids, codes)
        if not chosen:
            return Accepted([], [])
        with self.change("accept suggestions", counted(len(chosen), "suggestion")) as rec:
            coder_id = self.coder(coder).id
            items = [NewCoding(s.source_id, s.start, s.end, s.code_id, coder_id) for s in chosen]
            added = self.add_codings(items, origin="auto", skip_existing=True,
                                     skip_invalid=True)
            refused = {id(item): reason for item, reason in added.refused}
            out_refused = []
            for suggestion, item in zip(chosen, items, strict=True):
                if id(item) in refused:
                    out_refused.append((suggestion.id, refused[id(item)]))
                    continue
                coding_id = self._coding_id(suggestion.source_id, suggestion.start,
                                            suggestion.end, suggestion.code_id, coder_id)
                rec.update("suggestions", suggestion.id, state="accepted", coding_id=coding_id,
                           decided_by=self.coder_name if coder is None else coder)
        return Accepted(list(added.ids), out_refused)

    def reject_suggestions(self, ids: Iterable[int] | None = None, *,
                           codes: Iterable | None = None) -> int:
        """Reject open suggestions (by ids, or every open one of `codes`): they are kept as
        rejected and not suggested again. One undoable change. Returns how many."""
        chosen = self._open_suggestions(ids, codes)
        if chosen:
            with self.change("reject suggestions", counted(len(chosen), "suggestion")) as rec:
                for suggestion in chosen:
                    rec.update("suggestions", suggestion.id, state="rejected",
                               decided_by=self.coder_name)
        return len(chosen)

    def _open_suggestions(self, ids, codes) -> list[Suggestion]:
        if ids is not None:
            ids = [int(i) for i in ids]
            found = {s.id: s for s in self.suggestions(state=None, ids=ids)}
            missing = [i for i in ids if i not in found]
            if missing:
                raise NotFound(f"no suggestion {missing[0]}")
            closed = [s for s in found.values() if s.state != "open"]
            if closed:
                raise InvalidOperation(f"suggestion {closed[0].id} is already {closed[0].state}")
            return [found[i] for i in dict.fromkeys(ids)]
        return self.suggestions(codes=codes)

    def _known_spans(self, source_ids: list[int], code_ids: list[int]) -> set[tuple]:
        """(source, code, start, end) already suggested (in any state) or coded by you."""
        known = {tuple(r) for r in self.conn.execute(
            'SELECT source_id, code_id, start, "end" FROM suggestions')}
        coder = self.conn.execute("SELECT id FROM coders WHERE name = ?",
                                  [self.coder_name]).fetchone()
        if coder is not None:
            marks = ", ".join("?" * len(code_ids))
            known |= {tuple(r) for r in self.conn.execute(
                f'SELECT source_id, code_id, start, "end" FROM codings WHERE coder_id = ? '
                f"AND code_id IN ({marks})", [coder[0], *code_ids])}
        return known

    def _turn_spans(self, source_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
        wanted = set(source_ids)
        return {sid: spans for sid, spans in self.unit_spans("turn").items() if sid in wanted}

    # -- autocoding by structure --------------------------------------------------------------
    def code_turns(self, speaker: str, code, *, sources: Iterable | None = None,
                   coder: str | None = None) -> list[int]:
        """Code every speaker turn of `speaker` (the label as imported, any case) as one
        change. Returns the new codings' ids (turns already coded so are left out)."""
        source_ids = self._source_ids(sources)
        rows = self.conn.execute(
            'SELECT source_id, start, "end" FROM turns WHERE lower(speaker) = lower(?) '
            "ORDER BY source_id, start", [speaker.strip()]).fetchall()
        if source_ids is not None:
            rows = [r for r in rows if r[0] in set(source_ids)]
        if not rows:
            speakers = sorted({r[0] for r in self.conn.execute(
                "SELECT DISTINCT speaker FROM turns WHERE speaker IS NOT NULL")})
            raise InvalidOperation(f"no turn has the speaker {speaker!r} (speakers: "
                                   f"{', '.join(speakers) or 'none'})")
        return self._code_structure(f"turns of {speaker}", [tuple(r) for r in rows], code,
                                    coder)

    def code_fields(self, field: str, code, *, coder: str | None = None) -> list[int]:
        """Code the whole text of every form comment of `field` (e.g. kommentar2) as one
        change. Returns the new codings' ids."""
        rows = self.conn.execute(
            "SELECT id, text FROM sources WHERE kind = 'form_field' AND field = ? ORDER BY name",
            [field]).fetchall()
        if not rows:
            fields = sorted({r[0] for r in self.conn.execute(
                "SELECT DISTINCT field FROM sources WHERE field IS NOT NULL")})
            raise InvalidOperation(f"no form comment has the field {field!r} (fields: "
                                   f"{', '.join(fields) or 'none'})")
        return self._code_structure(f"form comments {field}", _whole(rows), code, coder)

    def code_sources_where(self, attributes: Mapping[str, Any], code, *,
                           coder: str | None = None) -> list[int]:
        """Code the whole text of every source whose merged attributes match (e.g.
        {"role": "leder"}) as one change. Returns the new codings' ids."""
        if not attributes:
            raise InvalidOperation("give the attribute values of the sources to code")
        ids = self._search_selection(None, attributes, None, None) or set()
        if not ids:
            raise InvalidOperation(f"no source has {_describe(attributes)}")
        rows = [r for r in self.conn.execute("SELECT id, text FROM sources ORDER BY name")
                if r[0] in ids]
        return self._code_structure(f"sources with {_describe(attributes)}", _whole(rows),
                                    code, coder)

    def _code_structure(self, what: str, spans: list[tuple[int, int, int]], code,
                        coder: str | None) -> list[int]:
        target = self.code(code)
        with self.change("autocode", f"{target.path} on {what}"):
            coder_id = self.coder(coder).id
            added = self.add_codings(
                [NewCoding(sid, start, end, target.id, coder_id) for sid, start, end in spans],
                origin="auto", skip_existing=True)
        return list(added.ids)


def _whole(rows) -> list[tuple[int, int, int]]:
    out = []
    for sid, text in rows:
        span = trimmed(text, 0, len(text))
        if span:
            out.append((sid, *span))
    return out


def _describe(attributes: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v if not isinstance(v, list | tuple) else ','.join(map(str, v))}"
                     for k, v in attributes.items())


def _unit_span(unit: str, text: str, hit, turns) -> tuple[int, int] | None:
    """The span of `unit` around a pattern hit (None: the hit is in no such unit)."""
    if unit == "word":
        return hit.start, hit.end
    if unit == "sentence":
        return hit.sentence
    if unit == "paragraph":
        return paragraph_bounds(text, hit.start)
    if unit == "field":
        return trimmed(text, 0, len(text))
    for start, end in turns:  # unit == "turn"
        if start <= hit.start < end:
            return start, end
    return None
