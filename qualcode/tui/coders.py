"""Who is coding, remembered per user and per project file.

The name lives in the user's own config folder (`$QUALCODE_CONFIG_DIR`, else
`$XDG_CONFIG_HOME/qualcode`, else `~/.config/qualcode`), not in the project: it belongs to the
person at the keyboard, not to the file. Two researchers who code copies of one project (for
agreement) or take turns on a shared file must each be asked once and keep their own name;
stored in the project, the first name would silently follow the file to the next person.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FILE_NAME = "coders.json"
PLACES_FILE = "places.json"


def config_dir() -> Path:
    if os.environ.get("QUALCODE_CONFIG_DIR"):
        return Path(os.environ["QUALCODE_CONFIG_DIR"])
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "qualcode"


class CoderMemory:
    """A small JSON file: {"projects": {absolute project path: coder name}, "last": name}."""

    def __init__(self, directory: Path | None = None):
        self.path = Path(directory or config_dir()) / FILE_NAME

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"projects": {}}
        return data if isinstance(data, dict) else {"projects": {}}

    def recall(self, project_path: Path) -> str | None:
        name = self._load().get("projects", {}).get(_key(project_path))
        return name if isinstance(name, str) and name.strip() else None

    def last(self) -> str | None:
        return self._load().get("last")

    def remember(self, project_path: Path, name: str) -> None:
        data = self._load()
        data.setdefault("projects", {})[_key(project_path)] = name
        data["last"] = name
        self._save(data)

    def _save(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".json.tmp")
        partial.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        partial.replace(self.path)  # a crash mid-write leaves the old file whole


class PlaceMemory(CoderMemory):
    """Where each user left each project: {"projects": {path: {"mode", "filter", "kind",
    "source", "reader": {"source", "offset"}}}}. Beside the coder's name and for the same
    reason: the place belongs to the person, and two people on one file each keep their own."""

    def __init__(self, directory: Path | None = None):
        super().__init__(directory)
        self.path = self.path.with_name(PLACES_FILE)

    def recall_place(self, project_path: Path) -> dict:
        place = self._load().get("projects", {}).get(_key(project_path))
        return place if isinstance(place, dict) else {}

    def remember_place(self, project_path: Path, place: dict) -> None:
        data = self._load()
        data.setdefault("projects", {})[_key(project_path)] = place
        self._save(data)


def _key(project_path: Path) -> str:
    return str(Path(project_path).resolve())
