"""Coding spans of text: apply, remove, annotate. Offsets are Python string indices."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from qualcode.core.coding_checks import CodingChecker, first_reason
from qualcode.core.model import Coding, CodingsAdded, NewCoding
from qualcode.core.refs import explicit_id
from qualcode.core.textmatch import find_phrase, keyword_in_context, nearest_passage, one_line
from qualcode.core.textrules import control_character
from qualcode.core.util import counted, new_guid
from qualcode.errors import InvalidOperation, NotFound
from qualcode.store import now

CODING_COLUMNS = 'id, guid, source_id, start, "end", code_id, coder_id, memo, origin, created_at'
NEW_CODING_COLUMNS = ("guid", "source_id", "start", "end", "code_id", "coder_id", "memo", "origin",
                      "created_at")
ORIGINS = ("manual", "auto", "import")


class CodingMixin:
    def code_span(self, source, start: int, end: int, code, coder: str | None = None, *,
                  memo: str | None = None, origin: str = "manual") -> Coding:
        """Apply `code` to text[start:end] of `source` for `coder` (default: current coder)."""
        src, cd = self.source(source), self.code(code)
        with self.change("code", f"{cd.path} on {src.name} [{start}:{end}]"):
            coder_row = self.coder(coder)  # a new coder joins this change's undo step
            added = self.add_codings([NewCoding(src.id, start, end, cd.id, coder_row.id, memo)],
                                     origin=origin)
        return self.coding(added.ids[0])

    def code_many(self, items: Iterable[tuple], coder: str | None = None, *,
                  origin: str = "manual", skip_existing: bool = False) -> list[int]:
        """Apply many (source, start, end, code) codings as one change. Returns their ids."""
        sources, codes, batch = {}, {}, []
        for source, start, end, code in items:
            src = sources.get(source) or sources.setdefault(source, self.source(source))
            cd = codes.get(code) or codes.setdefault(code, self.code(code))
            batch.append((src.id, start, end, cd.id))
        with self.change("code many", counted(len(batch), "coding")):
            coder_id = self.coder(coder).id
            added = self.add_codings([NewCoding(s, a, b, c, coder_id) for s, a, b, c in batch],
                                     origin=origin, skip_existing=skip_existing)
        return added.ids

    def add_codings(self, items: Iterable[NewCoding], *, origin: str = "manual",
                    skip_existing: bool = False, skip_invalid: bool = False) -> CodingsAdded:
        """Add many codings as one change and one undo step: the bulk path for importers and
        merges. Every rule of a single coding is checked (span inside the text, codable code,
        one coding per span, code and coder, exclusive groups), for the whole batch at once.

        An item breaking a rule refuses the whole batch (nothing changes), or with
        `skip_invalid` is left out and returned in `refused` with the reason. With
        `skip_existing`, codings the project already has are left out silently.
        """
        if origin not in ORIGINS:
            raise InvalidOperation(f"origin {origin!r} is not one of {', '.join(ORIGINS)}")
        items = list(items)
        checker = CodingChecker(self.conn, lambda code_id: self.code(code_id).path,
                                skip_existing=skip_existing)
        with self.change("code many", counted(len(items), "coding")) as rec:
            accepted, rejected = checker.check(items)
            if rejected and not skip_invalid:
                raise first_reason(rejected)
            stamp = now()
            ids = rec.insert_bulk("codings", NEW_CODING_COLUMNS, (
                (c.guid or new_guid(), c.source_id, c.start, c.end, c.code_id, c.coder_id,
                 c.memo or None, origin, c.created_at or stamp)
                for c in map(items.__getitem__, accepted)))
        return CodingsAdded(list(ids), [(items[i], rejected[i]) for i in sorted(rejected)],
                            sum(1 for i in accepted if items[i].memo))

    def _coding_id(self, source_id, start, end, code_id, coder_id) -> int | None:
        row = self.conn.execute(
            'SELECT id FROM codings WHERE source_id = ? AND code_id = ? AND coder_id = ? '
            'AND start = ? AND "end" = ?', [source_id, code_id, coder_id, start, end]).fetchone()
        return row[0] if row else None

    def phrase_spans(self, source, phrase: str, *, ignore_case: bool = False,
                     nth: int | None = None, every: bool = False) -> list[tuple[int, int]]:
        """Where `phrase` occurs in `source`, for coding it: any run of whitespace in either
        (spaces, non-breaking spaces, line breaks) matches any other; case counts unless
        `ignore_case`. One occurrence: its span. Several: an error listing them unless `nth`
        (1 = the first) picks one or `every` takes them all. None: an error showing the
        nearest passage with its offsets."""
        src = self.source(source)
        try:
            spans = find_phrase(src.text, phrase, ignore_case=ignore_case)
        except ValueError as exc:
            raise InvalidOperation(str(exc)) from None
        shown = one_line(phrase).strip()
        if not spans:
            folded = [] if ignore_case else find_phrase(src.text, phrase, ignore_case=True)
            near = folded[0] if folded else nearest_passage(src.text, phrase)
            hint = "" if near is None else (
                f"; nearest: {_passage(src.text, *near)!r} at [{near[0]}:{near[1]}]")
            if folded:
                hint += " (it occurs ignoring case: --ignore-case, or ignore_case=True)"
            raise NotFound(f"{shown!r} does not occur in {src.name!r}{hint}")
        if nth is not None:
            if not 1 <= nth <= len(spans):
                raise InvalidOperation(f"--nth {nth}: {shown!r} occurs "
                                       f"{counted(len(spans), 'time')} in {src.name!r}")
            return [spans[nth - 1]]
        if every or len(spans) == 1:
            return spans
        listed = "; ".join(f"{n} [{s}:{e}] {''.join(keyword_in_context(src.text, s, e, 20))!r}"
                           for n, (s, e) in enumerate(spans[:5], 1))
        more = f"; and {len(spans) - 5} more" if len(spans) > 5 else ""
        raise InvalidOperation(f"{shown!r} occurs {len(spans)} times in {src.name!r}: {listed}"
                               f"{more}; choose one with --nth N (nth= in Python) or code all "
                               "with --all (every=True)")

    def coding(self, ref) -> Coding:
        """A coding by id (an int, a Coding, or "#3"): codings have no names."""
        coding_id = explicit_id(ref, "coding")
        if coding_id is None:
            raise NotFound(f"a coding is given by its id (an int, or '#12'), not {ref!r}")
        row = self.conn.execute(f"SELECT {CODING_COLUMNS} FROM codings WHERE id = ?",
                                [coding_id]).fetchone()
        if row is None:
            raise NotFound(f"no coding with id {coding_id}")
        return Coding(**dict(row))

    def codings_of(self, source, *, overlapping: tuple[int, int] | None = None,
                   after: tuple[int, int] | None = None, limit: int | None = None
                   ) -> list[Coding]:
        """The codings on one source, in text order (in blind mode, only the current coder's).

        `overlapping=(start, end)`: only those sharing a character with text[start:end].
        `after=(start, id)` and `limit`: a page of them in (start, id) order, for a reader that
        shows the lines in view first and takes the rest a page at a time."""
        sid = self._source_id(source)
        seen, shown = self._blind_filter("coder_id")  # in blind mode, yours only
        where, params = f" AND {seen}", [sid, *shown]
        if overlapping is not None:
            where += ' AND start < ? AND "end" > ?'
            params += [overlapping[1], overlapping[0]]
        order = 'start, "end", id'
        if after is not None or limit is not None:
            order = "start, id"  # the order of the index (source_id, start), id the rowid
        if after is not None:
            where += " AND (start, id) > (?, ?)"
            params += list(after)
        if limit is not None:
            order += " LIMIT ?"
            params.append(limit)
        return [Coding(*r) for r in self.conn.execute(  # columns in the order of the fields
            f"SELECT {CODING_COLUMNS} FROM codings WHERE source_id = ?{where} ORDER BY {order}",
            params)]

    def all_codings(self) -> Iterator[Coding]:
        """Every coding, source by source in text order (for writers of whole projects, such
        as the .qdpx export); in blind mode, only the current coder's, as codings_of."""
        mine, params = self._blind_filter("coder_id")
        for row in self.conn.execute(f'SELECT {CODING_COLUMNS} FROM codings WHERE {mine} '
                                     'ORDER BY source_id, start, "end", id', params):
            yield Coding(*row)

    def coding_states(self, source) -> dict[int, tuple]:
        """(start, end, code id, coder id, memo) per coding id of one source: cheap to compare
        with what a view shows, so that it reads in full only the codings that changed."""
        sid = self._source_id(source)
        mine, shown = self._blind_filter("coder_id")  # as codings_of
        return {r[0]: tuple(r)[1:] for r in self.conn.execute(
            'SELECT id, start, "end", code_id, coder_id, memo FROM codings '
            f"WHERE source_id = ? AND {mine}", [sid, *shown])}

    def uncode(self, ref) -> None:
        """Remove one coding (by id or Coding)."""
        coding = self.coding(ref)
        with self.change("uncode", self._coding_summary(coding)) as rec:
            rec.delete("codings", "id = ?", [coding.id])

    def _coding_summary(self, coding: Coding) -> str:
        """What a change to a coding says in the history: as `code_span` says it."""
        path = self.code(coding.code_id).path
        return f"{path} on {self.source(coding.source_id).name} [{coding.start}:{coding.end}]"

    def uncode_span(self, source, start: int, end: int, code, coder: str | None = None) -> None:
        """Remove the coding of exactly this span with this code by this coder."""
        src, cd = self.source(source), self.code(code)
        row = self.conn.execute("SELECT id FROM coders WHERE name = ?",
                                [(coder or self.coder_name).strip()]).fetchone()
        coding_id = row and self._coding_id(src.id, start, end, cd.id, row[0])
        if not coding_id:
            raise NotFound(f"{src.name!r} [{start}:{end}] is not coded {cd.path!r} by "
                           f"{coder or self.coder_name!r}")
        self.uncode(coding_id)

    def set_coding_memo(self, ref, memo: str | None) -> Coding:
        coding = self.coding(ref)
        problem = control_character(memo or "")
        if problem:
            raise InvalidOperation(f"the memo holds a {problem}")
        with self.change("memo on coding", self._coding_summary(coding)) as rec:
            rec.update("codings", coding.id, memo=memo or None)
        return self.coding(coding.id)


def _passage(text: str, start: int, end: int, at_most: int = 80) -> str:
    passage = one_line(text[start:end]).strip()
    return passage if len(passage) <= at_most else passage[:at_most - 1] + "…"
