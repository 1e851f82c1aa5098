"""Project settings (one value per name), and blind coding.

Blind mode: while it is on, every coder sees only their own codings where codings are shown:
the reader (`codings_of`), retrieval and every export (`codings`). Analyses that count (and
agreement) still see everyone's. It is a project setting, so it holds for every copy of the
file until someone switches it off; switching is one undoable change.
"""

from __future__ import annotations

from collections.abc import Iterable

from qualcode.errors import InvalidOperation

BLIND = "blind"


class SettingsMixin:
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

    def _visible_coders(self, coders: Iterable[str] | None) -> list[str] | None:
        """The coders whose codings may be shown: in blind mode only the current coder's (and
        asking for someone else's is an error, not an empty table)."""
        if not self.blind:
            return None if coders is None else [str(c).strip() for c in coders]
        others = [c for c in (coders or []) if c.strip().casefold()
                  != self.coder_name.strip().casefold()]
        if others:
            raise InvalidOperation(f"blind mode is on: {self.coder_name} sees only their own "
                                   f"codings, not {', '.join(others)}'s (switch it off with "
                                   "`qualcode blind off`)")
        return [self.coder_name]
