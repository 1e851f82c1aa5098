"""What every project screen shares: the project, and reloading after a change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from qualcode.core import Project
    from qualcode.tui.app import QualcodeApp


class ProjectScreen(Screen):
    """A screen that shows project data. `reload()` re-reads it; the app calls it after a
    change (on the screen in front) or when the screen comes back into view (on the others)."""

    HELP_TITLE = ""
    """The heading of this screen's keys on the help screen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen_generation = -1
        # Its widgets are styled as they mount, with the stylesheet as it is. Marked as not,
        # Textual re-parses every stylesheet and restyles the screen in front, twice, before
        # a new mode's first frame (0.1 s of the first visit of each screen)
        self._css_update_count = self.app._css_update_count

    @property
    def qapp(self) -> QualcodeApp:
        return self.app  # type: ignore[return-value]

    @property
    def project(self) -> Project:
        return self.qapp.project

    def reload(self) -> None:
        """Re-read what the screen shows from the project."""

    def reload_if_stale(self) -> None:
        if self.seen_generation != self.qapp.generation:
            self.seen_generation = self.qapp.generation
            self.reload()

    def on_mount(self) -> None:
        self.reload_if_stale()

    def on_screen_resume(self) -> None:
        self.qapp.notice_outside_changes()
        self.reload_if_stale()
