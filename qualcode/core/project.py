"""The Project: the one public API that the CLI, the TUI and scripts all use."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from contextlib import AbstractContextManager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.adjudication import AdjudicationMixin
from qualcode.core.agreement import AgreementMixin
from qualcode.core.analyses import AnalysesMixin
from qualcode.core.bookmarks import BookmarksMixin
from qualcode.core.cases import CasesMixin
from qualcode.core.codebook import CodebookMixin
from qualcode.core.codes import CodesMixin
from qualcode.core.coding import CodingMixin
from qualcode.core.decisions import DecisionsMixin
from qualcode.core.forms import FormsMixin
from qualcode.core.imports import ImportsMixin
from qualcode.core.memos import MemosMixin
from qualcode.core.merge import MergeMixin
from qualcode.core.model import Coder, Event
from qualcode.core.refs import ambiguous, check_name, explicit_id, name_of, not_found
from qualcode.core.search import SearchMixin
from qualcode.core.settings import SettingsMixin
from qualcode.core.sources import SourcesMixin
from qualcode.core.suggestions import SuggestionsMixin
from qualcode.core.textrules import default_max_chars
from qualcode.core.units import UnitsMixin
from qualcode.core.util import new_guid
from qualcode.errors import InvalidOperation, NotFound, SchemaError
from qualcode.lazy import lazy_module
from qualcode.store import Recorder, change, check_file, now, open_database, redo, undo

if TYPE_CHECKING:
    import pandas as pd

analysis = lazy_module("qualcode.analysis")


def default_coder_name() -> str:
    return (os.environ.get("QUALCODE_CODER") or "").strip() or getpass.getuser() or "coder"


class Project(SourcesMixin, CasesMixin, CodesMixin, CodingMixin, MemosMixin, FormsMixin,
              CodebookMixin, UnitsMixin, ImportsMixin, AnalysesMixin, AgreementMixin,
              MergeMixin, DecisionsMixin, SettingsMixin, SearchMixin, SuggestionsMixin,
              AdjudicationMixin, BookmarksMixin):
    """A qualcode project file. Every change is one transaction and one undoable event."""

    def __init__(self, db, path: Path, coder: str | None = None):
        self.db = db
        self.conn = db.conn
        self.path = Path(path)
        self.coder_name = coder
        self.max_source_chars = default_max_chars()  # the longest text a source may have

    @property
    def coder_name(self) -> str:
        """Who is coding: their changes are recorded, undone and redone under this name."""
        return self._coder_name

    @coder_name.setter
    def coder_name(self, name: str | None) -> None:
        # trimmed: `--coder "ola "` and `--coder ola` are one coder, whose undo finds both
        self._coder_name = (name or "").strip() or default_coder_name()

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, name: str | None = None, *,
               coder: str | None = None) -> Project:
        path = Path(path)
        if path.exists():
            raise SchemaError(f"{path}: already exists; open it instead of creating it")
        # Made under a temporary name and put in place when whole: a creation that is
        # interrupted leaves no half-made project behind.
        temp = path.with_name(f".{path.name}.{os.getpid()}.creating")
        try:
            _remove_database(temp)
            db = open_database(temp, create=True)
            try:
                with db.conn:
                    db.conn.execute("INSERT INTO project (id, name, created_at) VALUES (1, ?, ?)",
                                    [name or path.stem, now()])
            finally:
                db.conn.close()
            _put_in_place(temp, path)
        finally:
            _remove_database(temp)
        return cls.open(path, coder=coder)

    @classmethod
    def open(cls, path: str | Path, *, coder: str | None = None) -> Project:
        db = open_database(path)
        if db.conn.execute("SELECT 1 FROM project").fetchone() is None:
            db.conn.close()
            raise SchemaError(f"{path}: its creation was interrupted (it has no project "
                              "record); delete it and create the project again")
        return cls(db, Path(path), coder)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Project {self.name!r} at {str(self.path)!r}>"

    @property
    def created_at(self) -> str:
        """When the project file was made (ISO 8601)."""
        return self.conn.execute("SELECT created_at FROM project").fetchone()[0]

    @property
    def name(self) -> str:
        return self.conn.execute("SELECT name FROM project").fetchone()[0]

    # -- changes and history ------------------------------------------------------------------
    def change(self, action: str, summary: str | None = None) -> AbstractContextManager[Recorder]:
        """Open a change (one transaction, one undo step). Nested changes join the outer one."""
        return change(self.db, action, coder=self.coder_name, summary=summary)

    def undo(self, *, anyone: bool = False) -> Event | None:
        """Reverse your latest change (the current coder's; with anyone=True, the latest by
        anyone). Refused, changing nothing, if someone changed the same data since. Returns
        the change undone, or None if there is none."""
        done = undo(self.db, None if anyone else self.coder_name)
        return self.event(done["id"]) if done else None

    def redo(self, *, anyone: bool = False) -> Event | None:
        """Apply again your most recently undone change. Returns it, or None."""
        done = redo(self.db, None if anyone else self.coder_name)
        return self.event(done["id"]) if done else None

    def event(self, event_id: int) -> Event:
        row = self.conn.execute(
            "SELECT id, at, coder, action, summary, state FROM events WHERE id = ?",
            [event_id]).fetchone()
        if row is None:
            raise NotFound(f"no event {event_id}")
        return Event(**dict(row))

    def latest_event_id(self) -> int | None:
        """The id of the newest event in the log (any state), or None: a change that wrote
        nothing leaves it as it was."""
        return self.conn.execute("SELECT max(id) FROM events").fetchone()[0]

    def history(self, limit: int = 50) -> list[Event]:
        rows = self.conn.execute(
            "SELECT id, at, coder, action, summary, state FROM events "
            "WHERE state != 'discarded' ORDER BY id DESC LIMIT ?", [limit])
        return [Event(**dict(r)) for r in rows]

    # -- coders -------------------------------------------------------------------------------
    def coder(self, name: str | None = None, *, guid: str | None = None) -> Coder:
        """The coder with this name (default: the project's current coder), created if new
        (with `guid` if given: an imported user keeps the GUID other tools know it by).
        An explicit id (an int, a Coder, "#3") must exist."""
        if name is not None and explicit_id(name, "coder") is not None:
            return self.known_coder(name)
        name = check_name("coder", name_of(name or self.coder_name, "coder"))
        row = self.conn.execute("SELECT id, name, guid FROM coders WHERE name = ?",
                                [name]).fetchone()
        if row:
            return Coder(row["id"], row["name"], row["guid"])
        guid = guid or new_guid()
        with self.change("add coder", name) as rec:
            coder_id = rec.insert("coders", {"guid": guid, "name": name})
        return Coder(coder_id, name, guid)

    def known_coder(self, ref) -> Coder:
        """An existing coder by name (exact, else the one name equal ignoring case), or by id
        when asked for explicitly (an int, a Coder, "#3")."""
        cid = explicit_id(ref, "coder")
        if cid is not None:
            row = self.conn.execute("SELECT id, name, guid FROM coders WHERE id = ?",
                                    [cid]).fetchone()
            if row is None:
                raise NotFound(f"no coder with id {cid}")
            return Coder(row["id"], row["name"], row["guid"])
        name = name_of(ref, "coder")
        coders = self.coders()
        exact = [c for c in coders if c.name == name]
        folded = [c for c in coders if c.name.casefold() == name.casefold()]
        if exact or len(folded) == 1:  # Kari is kari, unless both exist
            return (exact or folded)[0]
        if folded:
            raise ambiguous("coder", name, [c.name for c in folded])
        raise not_found("coder", name, [c.name for c in coders])

    def check(self) -> list[str]:
        """What SQLite finds wrong in the file (integrity check, foreign keys); [] if nothing."""
        return check_file(self.conn)

    def coders(self) -> list[Coder]:
        return [Coder(r["id"], r["name"], r["guid"])
                for r in self.conn.execute("SELECT id, name, guid FROM coders ORDER BY name")]

    def coders_with_codings(self, *, exclude: Iterable[str] = ()) -> list[str]:
        """Names of the coders who have coded anything, in order (less those in `exclude`)."""
        skip = set(exclude)
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM coders WHERE id IN (SELECT coder_id FROM codings) ORDER BY name")
            if r[0] not in skip]

    def codings_per_coder(self) -> dict[str, int]:
        """Coder name -> number of codings, every coder (0 for those with none), by name."""
        return dict(self.conn.execute(
            "SELECT c.name, count(k.id) FROM coders c LEFT JOIN codings k ON k.coder_id = c.id "
            "GROUP BY c.id ORDER BY c.name").fetchall())

    def data_version(self) -> int:
        """A number that changes when another connection commits to the file (SQLite's
        data_version): how the app notices a script's or a colleague's changes."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    # -- REFI-QDA projects -------------------------------------------------------------------
    # The readers and writers of file formats sit above core (ingest/, export/), so these two
    # reach them by name at call time, as `import_module` does; core never imports them.
    def import_qdpx(self, path: str | Path, **options: Any):
        """Import a REFI-QDA project (.qdpx) as one change (one undo step). Returns a report
        (`.lines()`) of what the file held, what was added and what was skipped. Options:
        `max_member_bytes` (default 1 GB). See qualcode.ingest.qdpx."""
        return import_module("qualcode.ingest.qdpx").import_qdpx(self, path, **options)

    def export_qdpx(self, path: str | Path, **options: Any):
        """Write the whole project as a REFI-QDA project (.qdpx). See qualcode.export.qdpx."""
        return import_module("qualcode.export.qdpx").export_qdpx(self, path, **options)

    # -- summaries ----------------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        count = lambda table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
        return {
            "name": self.name,
            "path": str(self.path),
            "sources": count("sources"),
            "cases": count("cases"),
            "codes": count("codes"),
            "codings": count("codings"),
            "coders": count("coders"),
            "memos": count("memos") + self.conn.execute(
                "SELECT count(*) FROM codings WHERE memo IS NOT NULL AND memo != ''").fetchone()[0],
            "forms": count("forms"),
        }

    def source_attributes(self) -> pd.DataFrame:
        """One row per source (index: source id): its merged attributes, one column each."""
        return analysis.source_attributes(self.db)

    def codings(self, **filters: Any) -> pd.DataFrame:
        """Codings with code path, coder, excerpt text and the source's merged attributes.

        Filters: `codes` (refs; `descendants=True` to include sub-codes), `sources`, `coders`,
        and `attributes` ({name: value or [values]}). In blind mode, only the current coder's.
        A reference given as text is a name or path, never an id; an id is given as an int,
        an object, or "#3".
        """
        if "codes" in filters and filters["codes"] is not None:
            filters["codes"] = self.code_ids(filters["codes"])  # a group name: its members
        if "sources" in filters and filters["sources"] is not None:
            filters["sources"] = self._source_ids(filters["sources"])
        if filters.get("coders") is not None:
            filters["coders"] = self._filter_coders(filters["coders"])
        filters["coders"] = self._visible_coders(filters.get("coders"))  # blind mode
        try:
            return analysis.codings_frame(self.db, **filters)
        except ValueError as exc:  # an unknown attribute in `attributes`
            raise InvalidOperation(str(exc)) from exc

    def code_counts(self, coders: Iterable[str] | None = None) -> pd.DataFrame:
        """The code tree in order with codings and sources per code, own and with sub-codes,
        of the coders named (default: every coder's; in blind mode, as the terminal UI
        counts, only yours: see `_counted_coders`)."""
        return analysis.code_counts(self.db, self._counted_coders(coders))


def _put_in_place(temp: Path, path: Path) -> None:
    """Give the finished file its name, never over a file someone made meanwhile."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise SchemaError(f"{path}: already exists; open it instead of creating it") from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise SchemaError(f"{path}: already exists; open it instead of creating "
                              "it") from None
        os.replace(temp, path)


def _remove_database(path: Path) -> None:
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        part.unlink(missing_ok=True)


def open_project(path: str | Path, *, create: bool = False, coder: str | None = None) -> Project:
    """Open a project file (or create it with `create=True`)."""
    if create:
        return Project.create(path, coder=coder)
    return Project.open(path, coder=coder)


def create_project(path: str | Path, name: str | None = None, *,
                   coder: str | None = None) -> Project:
    return Project.create(path, name, coder=coder)
