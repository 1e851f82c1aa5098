"""Project settings (one value per name), and blind coding.

Blind mode: while it is on, every coder sees only their own codings where codings are shown:
the reader (`codings_of`), retrieval and every export (`codings`). Counts follow who looks
(`blind_counts`): the terminal UI, where a coder codes, counts only their own codings too (a
count of 14 beside a code you applied 3 times would tell you what the others did); the command
line and Python analyses (and agreement), which the lead of a study runs, count everyone's. It
is a project setting, so it holds for every copy of the file until someone switches it off;
switching is one undoable change.

Memos and bookmarks record who wrote them, and blind mode shows a coder only their own where
they are shown (`memos`, `bookmarks`; the command line too, as with codings): a memo on a code
or a source can say how its writer coded a passage. A coding's memo is on the coding, so it is
hidden with it. Memos with no writer (imported without one) are the team's and stay shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from qualcode.errors import InvalidOperation

BLIND = "blind"


class SettingsMixin:
    blind_counts = False
    """True where a coder codes (the terminal UI sets it): in blind mode, counts of codings
    (code_counts, source_coding_counts, matrix, cooccurrence, group_table) are of the current
    coder's codings only. False (the command line, Python): they count every coder's."""

    def setting(self, name: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE name = ?", [name]).fetchone()
        return row[0] if row else default

    def set_setting(self, name: str, value: str | None) -> None:
        """Set (or, with None, remove) a project setting, as one change."""
        row = self.conn.execute("SELECT id, value FROM settings WHERE name = ?",
                                [name]).fetchone()
        if (row[1] if row else None) == value:
            return
        with self.change("setting", f"{name} = {value}") as rec:
            if value is None:
                rec.delete("settings", "id = ?", [row[0]])
            elif row is None:
                rec.insert("settings", {"name": name, "value": value})
            else:
                rec.update("settings", row[0], value=value)

    @property
    def blind(self) -> bool:
        """Blind coding is on: coders see only their own codings (see the module doc)."""
        return self.setting(BLIND) == "on"

    def set_blind(self, on: bool) -> None:
        self.set_setting(BLIND, "on" if on else None)

    def _visible_coders(self, coders: Iterable[str] | None,
                        what: str = "codings") -> list[str] | None:
        """The coders whose codings (or other `what`) may be shown: in blind mode only the
        current coder's (and asking for someone else's is an error, not an empty table)."""
        if not self.blind:
            return None if coders is None else [str(c).strip() for c in coders]
        others = [c for c in (coders or []) if c.strip().casefold()
                  != self.coder_name.strip().casefold()]
        if others:
            raise InvalidOperation(f"blind mode is on: {self.coder_name} sees only their own "
                                   f"{what}, not {', '.join(others)}'s (switch it off with "
                                   "`qualcode blind off`)")
        return [self.coder_name]

    def _blind_filter(self, column: str) -> tuple[str, list]:
        """An SQL condition (and its parameters) keeping the rows whose writer, the coder id in
        `column`, a coder may see: in blind mode their own and those with no writer; else all."""
        if not self.blind:
            return "1", []
        return (f"({column} IS NULL OR {column} IN (SELECT id FROM coders WHERE name = ?))",
                [self.coder_name])

    def _check_writer_visible(self, writer: str | None, what: str) -> None:
        """In blind mode, asking by id for another coder's memo or bookmark (`what`, written
        by `writer`) is an error: the lists hide it, so an id must not reach it either."""
        if self.blind and writer is not None \
                and writer.strip().casefold() != self.coder_name.strip().casefold():
            raise InvalidOperation(f"blind mode is on: {what} is another coder's, and "
                                   f"{self.coder_name} sees only their own (switch it off "
                                   "with `qualcode blind off`)")

    def _counted_coders(self, coders: Iterable | None) -> list[str] | None:
        """The coders a count counts: those a filter names (None: every coder), or in blind
        mode with `blind_counts` only the current coder (naming another is an error)."""
        names = self._filter_coders(coders)
        if self.blind_counts and self.blind:
            return self._visible_coders(names)
        return names
