"""Who is coding, and where they left each project, remembered per user and per project file.

The name lives in the user's own config folder (`$QUALCODE_CONFIG_DIR`, else
`$XDG_CONFIG_HOME/qualcode`, else `~/.config/qualcode`), not in the project: it belongs to the
person at the keyboard, not to the file. Two researchers who code copies of one project (for
agreement) or take turns on a shared file must each be asked once and keep their own name;
stored in the project, the first name would silently follow the file to the next person.

One user often has two app windows open on two projects, both writing these files: a save
re-reads the file and changes only its own project's entry, under a lock, so no window writes
back another's stale copy of the rest (two windows on the same project: the last save wins).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from qualcode.export import atomic

FILE_NAME = "coders.json"
PLACES_FILE = "places.json"


def config_dir() -> Path:
    if os.environ.get("QUALCODE_CONFIG_DIR"):
        return Path(os.environ["QUALCODE_CONFIG_DIR"])
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "qualcode"


class SharedMemory:
    """A small JSON file {"projects": {absolute project path: value}, ...} that several app
    processes of one user read and change. A file that is not valid JSON is kept aside as
    NAME.corrupt and a warning says so; one that cannot be read at all (permissions) is never
    written over. The warnings wait in `warnings` for the app to show them."""

    file_name = FILE_NAME

    def __init__(self, directory: Path | None = None):
        self.path = Path(directory or config_dir()) / self.file_name
        self.warnings: list[str] = []
        self._unreadable = False  # then never written over: it may hold what the user wants

    def _load(self) -> dict:
        with self._locked(to_write=False):
            return self._read()

    def _update(self, change: Callable[[dict], None]) -> None:
        """Re-read the file, `change` it, write it whole (atomically), all under the lock: a
        save by another window in between is read, not overwritten."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked(to_write=True):
            data = self._read()
            if self._unreadable:
                return
            change(data)
            atomic.write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1))

    @contextlib.contextmanager
    def _locked(self, *, to_write: bool) -> Iterator[None]:
        """An exclusive lock on NAME.lock beside the file (the file itself is replaced on
        every write, so it cannot carry the lock). A reader that cannot make the lock file
        (a read-only config folder) reads without it: nobody can write there either."""
        try:
            fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT,
                         0o600)
        except OSError:
            if to_write:
                raise
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    def _read(self) -> dict:
        if self._unreadable:  # warned once already
            return {"projects": {}}
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"projects": {}}
        except OSError as error:
            if not self._unreadable:
                self._unreadable = True
                self.warnings.append(f"{self.path} could not be read ({error.strerror}): "
                                     f"it is left as it is, and nothing is saved in it.")
            return {"projects": {}}
        except ValueError as error:  # not UTF-8
            self._set_aside(str(error))
            return {"projects": {}}
        try:
            data = json.loads(text)
        except ValueError as error:
            self._set_aside(str(error))
            return {"projects": {}}
        if not isinstance(data, dict) or not isinstance(data.get("projects", {}), dict):
            self._set_aside('not {"projects": {...}}')
            return {"projects": {}}
        data.setdefault("projects", {})
        return data

    def _set_aside(self, reason: str) -> None:
        """Keep a damaged file for the user to look at (never overwritten unseen) and start
        afresh; if it cannot be moved, leave it and write nothing."""
        aside = self.path.with_name(self.path.name + ".corrupt")
        number = 1
        while aside.exists():
            number += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt{number}")
        try:
            os.replace(self.path, aside)
        except OSError as error:
            self._unreadable = True
            self.warnings.append(f"{self.path} is damaged ({reason}) and could not be moved "
                                 f"aside ({error.strerror}): nothing is saved in it.")
        else:
            self.warnings.append(f"{self.path} was damaged ({reason}): kept as {aside.name}, "
                                 f"and started afresh.")

    def take_warnings(self) -> list[str]:
        warnings, self.warnings = self.warnings, []
        return warnings


class CoderMemory(SharedMemory):
    """{"projects": {absolute project path: coder name}, "last": name}."""

    def recall(self, project_path: Path) -> str | None:
        name = self._load()["projects"].get(_key(project_path))
        return name if isinstance(name, str) and name.strip() else None

    def last(self) -> str | None:
        name = self._load().get("last")
        return name if isinstance(name, str) and name.strip() else None

    def remember(self, project_path: Path, name: str) -> None:
        def change(data: dict) -> None:
            data["projects"][_key(project_path)] = name
            data["last"] = name
        self._update(change)


class PlaceMemory(SharedMemory):
    """Where each user left each project: {"projects": {path: {"mode", "filter", "kind",
    "source", "reader": {"source", "offset"}}}}. Beside the coder's name and for the same
    reason: the place belongs to the person, and two people on one file each keep their own."""

    file_name = PLACES_FILE

    def recall_place(self, project_path: Path) -> dict:
        place = self._load()["projects"].get(_key(project_path))
        return place if isinstance(place, dict) else {}

    def remember_place(self, project_path: Path, place: dict) -> None:
        """This project's entry only: every other project's stays as the file has it now."""
        def change(data: dict) -> None:
            data["projects"][_key(project_path)] = place
        self._update(change)


def _key(project_path: Path) -> str:
    return str(Path(project_path).resolve())
