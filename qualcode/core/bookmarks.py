"""Bookmarks: places in a source's text a coder wants to come back to, with an optional label.

A bookmark is a point (a character offset), not a span. When a source's text is replaced, each
bookmark moves with the words after it (else before it); one whose words are gone is removed
and reported with the lost codings (see ImportsMixin.replace_source_text).
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.core.locations import Locator
from qualcode.core.model import Bookmark
from qualcode.core.refs import explicit_id
from qualcode.core.textrules import control_character
from qualcode.core.util import new_guid
from qualcode.errors import InvalidOperation, NotFound
from qualcode.store import now

LABEL_MAX = 80  # characters: a label names a place, a memo says more
WORDS = 60  # characters of the text at a bookmark, listed with it
ANCHORS = (40, 12)  # characters of text around a bookmark looked for in a new text, longest first
SELECT = ('SELECT b.id, b.guid, b.source_id, s.name AS source, b."offset", b.label, '
          "c.name AS coder, b.created_at FROM bookmarks b "
          "JOIN sources s ON s.id = b.source_id JOIN coders c ON c.id = b.coder_id")


@dataclass(frozen=True)
class LostBookmark:
    bookmark_id: int
    label: str | None
    line: int
    coder: str


def checked_label(label: str | None) -> str | None:
    """A label trimmed, None when empty; refused if too long or holding a control character."""
    label = " ".join((label or "").split())
    if not label:
        return None
    if len(label) > LABEL_MAX:
        raise InvalidOperation(f"a bookmark's label is at most {LABEL_MAX} characters (this one "
                               f"has {len(label)}); write a memo for more")
    problem = control_character(label)
    if problem:
        raise InvalidOperation(f"the bookmark's label holds a {problem}")
    return label


def place_bookmark(placer, offset: int) -> int | None:
    """Where a bookmark at `offset` of the old text goes in the new one (`placer` finds a span
    of the old text in the new): with the words after it, else the words before it; None if
    neither is found."""
    old = placer.old
    for size in ANCHORS:
        after = old[offset:offset + size]
        if after.strip():
            span = placer.place(offset, offset + len(after))
            if span is not None:
                return span[0]
        before = old[max(offset - size, 0):offset]
        if before.strip():
            span = placer.place(offset - len(before), offset)
            if span is not None:
                return span[1]
    return None


class BookmarksMixin:
    def add_bookmark(self, source, offset: int, label: str | None = None, *,
                     coder: str | None = None, guid: str | None = None,
                     created_at: str | None = None) -> Bookmark:
        """Bookmark the place `offset` in a source's text, as one change (one undo step).
        Refused where the same coder already has one."""
        src = self.source(source)
        if isinstance(offset, bool) or not isinstance(offset, int) or \
                not 0 <= offset <= len(src.text):
            raise InvalidOperation(f"offset {offset!r} is outside the text of {src.name!r} "
                                   f"(0-{len(src.text)})")
        label = checked_label(label)
        with self.change("add bookmark", _summary(label, src.name)) as rec:
            coder_id = self.coder(coder).id
            if self.conn.execute(
                    'SELECT 1 FROM bookmarks WHERE source_id = ? AND "offset" = ? '
                    "AND coder_id = ?", [src.id, offset, coder_id]).fetchone():
                raise InvalidOperation(f"there is a bookmark of yours at that place in "
                                       f"{src.name!r} already")
            bookmark_id = rec.insert("bookmarks", {
                "guid": guid or new_guid(), "source_id": src.id, "offset": offset,
                "label": label, "coder_id": coder_id, "created_at": created_at or now()})
        return self._bookmark(bookmark_id)  # a merged bookmark may be another coder's

    def bookmark(self, ref) -> Bookmark:
        """A bookmark by id (an int, a Bookmark, "#3"); in blind mode another coder's is
        refused (`bookmarks` hides it)."""
        mark = self._bookmark(ref)
        self._check_writer_visible(mark.coder, f"bookmark {mark.id}")
        return mark

    def _bookmark(self, ref) -> Bookmark:
        """A bookmark by id, whoever set it (what was just stored, in blind mode too)."""
        bookmark_id = explicit_id(ref, "bookmark")
        if bookmark_id is None:
            raise InvalidOperation(f"a bookmark is given by its id (e.g. #3), not {ref!r}")
        rows = self._placed(self.conn.execute(SELECT + " WHERE b.id = ?", [bookmark_id]))
        if not rows:
            raise NotFound(f"no bookmark with id {bookmark_id}")
        return rows[0]

    def bookmarks(self, source=None, *, coder: str | None = None) -> list[Bookmark]:
        """Bookmarks in text order: of one source, else of every source (by name). In blind
        mode only the current coder's (asking for another's is an error), as with codings."""
        seen, params = self._blind_filter("b.coder_id")
        where = [seen]
        if source is not None:
            where.append("b.source_id = ?")
            params.append(self.source(source).id)
        if coder is not None:
            named = self.known_coder(coder)
            self._visible_coders([named.name], "bookmarks")  # blind mode: not another's
            where.append("b.coder_id = ?")
            params.append(named.id)
        return self._placed(self.conn.execute(
            SELECT + " WHERE " + " AND ".join(where)
            + ' ORDER BY s.name, b.source_id, b."offset", b.id', params))

    def _bookmarks_of(self, source_id: int) -> list[Bookmark]:
        """Every coder's bookmarks in a source, blind mode or not (to move them with its text)."""
        return self._placed(self.conn.execute(SELECT + " WHERE b.source_id = ?", [source_id]))

    def _placed(self, rows) -> list[Bookmark]:
        """The bookmarks of these rows (in their order) with their line and the words there,
        each source's text read once. (Counting the newlines in SQL copied the text for every
        bookmark: 0.7 s for 20 bookmarks in a 3 MB text; this takes 8 ms.)"""
        rows = [dict(r) for r in rows]
        placed: dict[int, Bookmark] = {}
        for source_id in dict.fromkeys(r["source_id"] for r in rows):
            text = self.conn.execute("SELECT text FROM sources WHERE id = ?",
                                     [source_id]).fetchone()[0]
            lines = Locator(text)
            for row in sorted((r for r in rows if r["source_id"] == source_id),
                              key=lambda r: r["offset"]):
                at = row["offset"]
                placed[row["id"]] = Bookmark(**row, line=lines.line(at), words=text[at:at + WORDS])
        return [placed[r["id"]] for r in rows]

    def edit_bookmark(self, ref, label: str | None) -> Bookmark:
        """Give a bookmark another label ("" or None removes the label)."""
        mark = self.bookmark(ref)
        label = checked_label(label)
        if label != mark.label:
            with self.change("edit bookmark", _summary(label or mark.label, mark.source)) as rec:
                rec.update("bookmarks", mark.id, label=label)
        return self.bookmark(mark.id)

    def remove_bookmark(self, ref) -> None:
        mark = self.bookmark(ref)
        with self.change("remove bookmark", _summary(mark.label, mark.source)) as rec:
            rec.delete("bookmarks", "id = ?", [mark.id])


def _summary(label: str | None, source: str) -> str:
    """How the history names a bookmark: “label” in source."""
    return f"“{label}” in {source}" if label else f"in {source}"
