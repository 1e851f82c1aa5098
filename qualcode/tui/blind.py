"""What the screens say about their counts while blind mode is on.

The app counts only the current coder's codings then (Project.blind_counts); every screen that
shows a count says so, so that no coder takes their own count for the team's."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qualcode.core import Project

YOUR_CODINGS = "blind mode: counts are of your codings only"
NO_ADJUDICATION = ("Blind mode is on: adjudication would show the other coder's codings. "
                   "Switch it off first (qualcode blind off).")


def counts_note(project: Project, separator: str = " · ") -> str:
    """`separator` and YOUR_CODINGS while blind mode is on, else ""."""
    return f"{separator}{YOUR_CODINGS}" if project.blind else ""
