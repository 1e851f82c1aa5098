"""The qualcode terminal app, and `make_app()`, the one way the CLI and the tests build it.

Screens: sources (the start), a reader per source, the codebook and retrieval, each of the last
three a mode with its own stack (keys 1, 2, 3). All data goes through the Project API, and every
change is committed by it before the screen says it is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from qualcode.core import Project
from qualcode.core.adjudication import AGREED_CODER
from qualcode.core.project import default_coder_name
from qualcode.errors import QualcodeError
from qualcode.tui.blind import NO_ADJUDICATION
from qualcode.tui.change_words import describe
from qualcode.tui.coders import CoderMemory, PlaceMemory
from qualcode.tui.idle_collector import TICK, IdleCollector
from qualcode.tui.screens.adjudication import AdjudicationScreen
from qualcode.tui.screens.attributes import AttributesScreen
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.fidelity import FidelityScreen
from qualcode.tui.screens.find import FindScreen
from qualcode.tui.screens.forms import FormsScreen
from qualcode.tui.screens.help import HelpScreen, key_label
from qualcode.tui.screens.matrix import MatrixScreen
from qualcode.tui.screens.memos import MemosScreen
from qualcode.tui.screens.reader import ReaderScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.screens.sources import SourcesScreen
from qualcode.tui.screens.suggestions import SuggestionsScreen
from qualcode.tui.widgets.common.prompts import TextPrompt
from qualcode.tui.widgets.reader.view_filter import ViewFilter

RECENT_CODES = 5  # listed at the top of the code picker
OUTSIDE_CHECK_SECONDS = 2.0  # how often to look for changes made by a script or another app
PLACE_REST_SECONDS = 1.0  # the place is saved once it has not changed for this long
KEY_WAIT = 1.0  # seconds a key waits at most for the one before it to be handled


class QualcodeApp(App):
    CSS_PATH = "qualcode.tcss"
    TITLE = "qualcode"
    MODES = {"sources": SourcesScreen, "codebook": CodebookScreen,
             "retrieval": RetrievalScreen, "forms": FormsScreen,
             "memos": MemosScreen, "attributes": AttributesScreen,
             "fidelity": FidelityScreen, "matrix": MatrixScreen}
    BINDINGS = [
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo your own latest change"),
        Binding("ctrl+y", "redo", "Redo", tooltip="Redo what you undid"),
        Binding("1", "switch_mode('sources')", "Sources", show=False,
                tooltip="Go to the sources"),
        Binding("2", "switch_mode('codebook')", "Codebook", show=False,
                tooltip="Go to the codebook"),
        Binding("3", "switch_mode('retrieval')", "Retrieve", show=False,
                tooltip="Go to retrieval: a code's excerpts"),
        Binding("4", "adjudicate", "Adjudicate", show=False,
                tooltip="Step through where two coders differ; record what you agree"),
        Binding("5", "push('find')", "Find", show=False,
                tooltip="Find words in every source, and code what is found"),
        Binding("6", "push('suggestions')", "Suggestions", show=False,
                tooltip="Review autocoding suggestions; autocode the project"),
        Binding("7", "switch_mode('forms')", "Forms", show=False,
                tooltip="Go to the forms: comments beside the form's numbers"),
        Binding("8", "switch_mode('memos')", "Memos", show=False,
                tooltip="Go to every memo: on the project, sources, codes and cases"),
        Binding("9", "switch_mode('attributes')", "Attributes", show=False,
                tooltip="Go to the sheet of cases and sources with their attributes"),
        Binding("0", "switch_mode('fidelity')", "Fidelity", show=False,
                tooltip="Go to the fidelity table of the forms by month, office ..."),
        Binding("ctrl+t", "switch_mode('matrix')", "Matrix", show=False,
                tooltip="Go to the matrix: codes × an attribute's values, cells open excerpts"),
        Binding("question_mark,f1", "help", "Help", tooltip="Show every key"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True,
                tooltip="Quit (everything is already saved)"),
    ]

    def __init__(self, project: Project, *, memory: CoderMemory, ask_coder: bool,
                 start_source: int | None = None):
        super().__init__()
        self.project = project
        project.blind_counts = True  # a coder codes here: in blind mode, count only theirs
        self.memory = memory
        self.ask_coder = ask_coder
        self.start_source = start_source
        self.generation = 0
        """Goes up with every change; a screen that saw an older one reloads."""
        self.data_version = self._data_version()
        self.places = PlaceMemory(memory.path.parent)
        self.place: dict = self.places.recall_place(project.path)
        """Where the user is (screen, sources filter and row, reader and cursor): kept up to
        date by the screens (which call `place_changed`), saved as it changes (a killed app
        loses at most the last second), restored when it opens."""
        self._place_changed_at: float | None = None  # a change not saved yet, made then
        self.reader_filter = ViewFilter(margin=self.place.get("margin", True) is not False)
        """The reader's margin on or off, and the codes and coders it hides (while the app
        runs; the margin's setting is kept in the place)."""
        self.recent_codes: list[int] = []
        """The codes applied most recently, latest first: at the top of the code picker."""
        self.collector = IdleCollector()
        """Python's garbage collector, run while the user rests (not inside a screen switch)."""
        self.key_in_flight = False  # a key given to a widget and not yet handled
        self.held_keys: list[events.Key] = []  # keys typed meanwhile, in order
        self.released_keys: set[int] = set()  # held keys given back to the app (by id)
        self.key_tasks: set[asyncio.Task] = set()  # release_next_key, kept from the collector

    def used_codes(self, code_ids: Sequence[int]) -> None:
        for code_id in reversed(code_ids):
            if code_id in self.recent_codes:
                self.recent_codes.remove(code_id)
            self.recent_codes.insert(0, code_id)
        del self.recent_codes[RECENT_CODES:]

    # -- starting -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.collector.start()
        self.set_interval(TICK, self.collector.tick)
        self.show_title()
        self.switch_mode("sources")
        if self.start_source is not None:
            self.open_source(self.start_source)
        else:
            self.return_to_place()
        if self.ask_coder:
            known = [c.name for c in self.project.coders()]
            listed = f"\nCoders so far: {', '.join(known)}." if known else ""
            self.push_screen(TextPrompt(
                f"Who is coding? Your name is saved with every coding you make in "
                f"{self.project.path.name}, and remembered for this project.{listed}",
                self.project.coder_name, can_cancel=False), self.coder_named)
        self.set_interval(OUTSIDE_CHECK_SECONDS, self.poll_outside_changes)
        self.set_interval(PLACE_REST_SECONDS / 2, self._save_place_at_rest)
        self.show_memory_warnings()

    def coder_named(self, name: str | None) -> None:
        if not name:
            return
        # "Kari" for the project's "kari": the same person, not a second coder
        known = {c.name.casefold(): c.name for c in self.project.coders()}
        name = known.get(name.casefold(), name)
        self.project.coder_name = name
        try:
            self.memory.remember(self.project.path, name)
        except OSError as error:
            self.notify(f"Your name could not be remembered for next time: {error}",
                        severity="warning", timeout=10)
        self.show_memory_warnings()
        self.show_title()
        self.changed()
        self.notify(f"Coding as {name}.", timeout=3)

    def show_title(self) -> None:
        self.title = f"{self.project.name} · {self.project.coder_name}"

    def return_to_place(self) -> None:
        """Back where this user left this project: the screen they were on, with the reader
        at the same spot above the sources list (1 goes back to it) if one was open (the
        sources list restores its filter and row itself)."""
        mode = self.place.get("mode")
        reader = self.place.get("reader")
        if isinstance(reader, dict) and isinstance(reader.get("source"), int):
            try:
                self.project.source(reader["source"])  # still there?
            except QualcodeError:
                reader = None
            else:
                self.open_source(reader["source"], at=reader.get("offset"))
        if mode in self.MODES and mode != "sources":
            self.switch_mode(mode)

    def on_unmount(self) -> None:
        self.collector.stop()
        self.save_place()
        self.project.close()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collector.input()
        if isinstance(event, events.Key) and not event.is_forwarded:
            if id(event) in self.released_keys:
                self.released_keys.discard(id(event))
            elif self.key_in_flight:
                self.held_keys.append(event)  # after the key before it has been handled
                return
            self.key_in_flight = True
            await super().on_event(event)
            task = asyncio.create_task(self.release_next_key())
            self.key_tasks.add(task)
            task.add_done_callback(self.key_tasks.discard)
            return
        await super().on_event(event)

    async def release_next_key(self) -> None:
        """Give the next key typed to the app once the one before it has been handled.
        Textual picks a key's widget when the key comes and handles it later, in that
        widget's turn (a screen's key such as 7 bubbles back to the app behind the keys
        typed after it): keys typed quickly after `7 /` or `t` went to the widget focused
        before the screen or the field they were typed for was ready, and were lost."""
        try:
            await self.key_handled()
        finally:
            if self.held_keys:
                key = self.held_keys.pop(0)
                self.released_keys.add(id(key))
                self.post_message(key)
            else:
                self.key_in_flight = False

    async def key_handled(self) -> None:
        """Return once the screen in front, its widgets and the app have handled what they
        had queued (the key, a key that bubbled up, a focus asked for), and a screen the key
        opened has mounted and done the same; at most KEY_WAIT seconds for each."""
        for _ in range(3):  # a key may open a screen, whose mount may open another
            screen = self.screen
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(screen._mounted_event.wait(), KEY_WAIT)
            await all_handled([screen, *screen.walk_children()])
            await all_handled([self])
            if self.screen is screen:
                return

    # -- the place, saved as it changes --------------------------------------------------------
    def place_changed(self, *, now: bool = False) -> None:
        """The screens call this after changing `place`: saved at once for a new screen or
        source (`now`), else once the cursor or filter has rested for PLACE_REST_SECONDS."""
        if now:
            self.save_place()
        else:
            self._place_changed_at = time.monotonic()

    def _save_place_at_rest(self) -> None:
        changed = self._place_changed_at
        if changed is not None and time.monotonic() - changed >= PLACE_REST_SECONDS:
            self.save_place()

    def save_place(self) -> None:
        self._place_changed_at = None
        try:
            self.place["mode"] = self.current_mode
            self.places.remember_place(self.project.path, self.place)  # this project's only
        except OSError:
            pass  # a read-only home: the place is a convenience, never a reason to fail
        self.show_memory_warnings()

    def show_memory_warnings(self) -> None:
        """A damaged coders.json or places.json: said once, not silently started afresh."""
        for warning in self.memory.take_warnings() + self.places.take_warnings():
            self.notify(warning, severity="warning", timeout=15)

    def switch_mode(self, mode: str):
        done = super().switch_mode(mode)
        self.call_later(self.place_changed, now=True)  # once current_mode says so
        return done

    # -- changes ------------------------------------------------------------------------------
    def attempt(self, operation: Callable[[], Any], done: str) -> Any:
        """Run one change through the Project API. On success, reload and say `done`; a
        qualcode error is shown and nothing changes. Returns the result (True for None)."""
        try:
            result = operation()
        except QualcodeError as exc:
            self.notify(str(exc), title="Not done", severity="error", timeout=8)
            return None
        self.changed()
        self.notify(done, timeout=3)
        return True if result is None else result

    def changed(self) -> None:
        self.generation += 1
        self.data_version = self._data_version()
        screen = self.project_screen()
        if screen is not None:
            screen.reload_if_stale()

    def project_screen(self) -> ProjectScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ProjectScreen):
                return screen
        return None

    def _data_version(self) -> int:
        return self.project.data_version()

    def notice_outside_changes(self) -> bool:
        """True (and everything marked stale) if another program changed the project."""
        version = self._data_version()
        if version == self.data_version:
            return False
        self.data_version = version
        self.generation += 1
        return True

    def poll_outside_changes(self) -> None:
        if self.notice_outside_changes() and isinstance(self.screen, ProjectScreen):
            self.screen.reload_if_stale()

    def action_undo(self) -> None:
        self._step(self.project.undo, "Undid", "Nothing to undo.")

    def action_redo(self) -> None:
        self._step(self.project.redo, "Redid", "Nothing to redo.")

    def _step(self, step: Callable, verb: str, nothing: str) -> None:
        try:
            event = step()
        except QualcodeError as exc:
            self.notify(str(exc), title="Not done", severity="error", timeout=8)
            return
        if event is None:
            self.notify(nothing, timeout=2)
            return
        self.changed()
        whose = f" {event.coder}'s" if event.coder and event.coder != \
            self.project.coder_name else ""
        self.notify(f"{verb}{whose} {describe(event, self.project)}.", timeout=4)

    # -- moving between screens ---------------------------------------------------------------
    def open_source(self, source_id: int, *, order: Sequence[int] = (),
                    select: tuple[int, int] | None = None, at: int | None = None) -> None:
        self.push_screen(ReaderScreen(source_id, order=order, select=select, at=at))

    def front_of(self, mode: str) -> Screen:
        """Switch to `mode` with nothing over its screen (a reader, a dialog), and return that
        screen."""
        self.switch_mode(mode)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        return self.screen_stack[0]

    def show_code(self, code_id: int) -> None:
        """The codebook, at this code."""
        self.front_of("codebook").query_one("#codebook-tree").show_code(code_id)

    def show_case(self, case_id: int) -> None:
        """The sheet of cases and attributes, at this case."""
        screen = self.front_of("attributes")
        if isinstance(screen, AttributesScreen):
            screen.show_row("case", case_id)

    def retrieve(self, code_id: int) -> None:
        screen = self.front_of("retrieval")
        if isinstance(screen, RetrievalScreen):
            screen.show_code(code_id)

    def action_adjudicate(self) -> None:
        """Ask which two coders to compare and under which name to record the agreed coding,
        then open the adjudication screen. Not in blind mode: the screen shows both coders'
        codings (and the question names the coders who have coded)."""
        if self.project.blind:
            self.notify(NO_ADJUDICATION, title="Not done", severity="warning", timeout=8)
            return
        with_codings = self.project.coders_with_codings(exclude=[AGREED_CODER])
        self.push_screen(TextPrompt("Compare which two coders? (e.g. kari,ola)",
                                    ",".join(with_codings[:2])), self._adjudicate_coders)

    def _adjudicate_coders(self, answer: str | None) -> None:
        if not answer:
            return
        names = [n.strip() for n in answer.split(",") if n.strip()]
        try:
            if len(names) != 2:
                raise QualcodeError("give two coder names, separated by a comma")
            names = self.project._coder_names([self.project.coder_id(n) for n in names])
        except QualcodeError as exc:
            self.notify(str(exc), title="Not done", severity="error", timeout=8)
            return
        self.push_screen(TextPrompt("Record the agreed coding as which coder?", AGREED_CODER),
                         lambda as_coder: as_coder and self.push_screen(
                             AdjudicationScreen((names[0], names[1]), as_coder)))

    def action_push(self, name: str) -> None:
        screen = {"find": FindScreen, "suggestions": SuggestionsScreen}[name]
        if not isinstance(self.screen, screen):
            self.push_screen(screen())

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette lists every action of the screen it was opened on, and the
        app's own (the same ones the help screen lists)."""
        owners: list[tuple[Screen | App, list]] = [(self, list(QualcodeApp.BINDINGS))]
        if isinstance(screen, ProjectScreen):
            owners.insert(0, (screen, list(type(screen).BINDINGS)))
        seen: set[str] = set()
        for node, bindings in owners:
            for binding in bindings:
                if binding.action in seen:
                    continue
                seen.add(binding.action)
                yield SystemCommand(binding.tooltip or binding.description,
                                    f"key {key_label(binding.key)}",
                                    partial(self.run_action, binding.action, node))
        yield from super().get_system_commands(screen)


def make_app(project_path: str | Path, *, coder: str | None = None,
             source: str | int | None = None, config_dir: Path | None = None) -> QualcodeApp:
    """The app on a project file. `coder` (else $QUALCODE_CODER, else the name remembered for
    this project) says who codes; with none of them the app asks once. `source` (a name or id)
    opens that source's reader at once."""
    project = Project.open(project_path)
    try:
        memory = CoderMemory(config_dir)
        name = coder or os.environ.get("QUALCODE_CODER") or memory.recall(project.path)
        project.coder_name = name or memory.last() or default_coder_name()
        start = project.source(source).id if source is not None else None
    except BaseException:
        project.close()
        raise
    return QualcodeApp(project, memory=memory, ask_coder=name is None, start_source=start)


async def all_handled(pumps: list) -> None:
    """Return once every message these widgets had queued has been handled (as Textual's
    own Pilot waits between keys), or after KEY_WAIT seconds."""
    left = 0
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal left
        left -= 1
        if left == 0:
            done.set()

    for pump in pumps:
        if pump.call_later(one_done):
            left += 1
    if left:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), KEY_WAIT)
