"""Import transcripts and field notes (.txt, .md, .docx), one source per file.

All files are read and checked before anything is written; the writing is one change, so a bad
file leaves the project as it was and undo removes the whole import. A file already imported
with the same text is left alone; one whose text changed is refused unless `replace=True`,
which keeps every coding whose text is still found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.core.pii import find_fodselsnummer
from qualcode.core.textrules import DEFAULT_MAX_CHARS, too_long, without_control_characters
from qualcode.core.util import sha256
from qualcode.errors import InputError, QualcodeError
from qualcode.ingest.attributes_sheet import (
    DEFAULT_SOURCE_COLUMNS,
    FIELDNOTE_TYPES,
    AttributeSheet,
    SheetRow,
    read_sheet,
)
from qualcode.ingest.docx_reader import read_docx
from qualcode.ingest.encodings import ENCODING_NAMES, read_text
from qualcode.ingest.report import ImportReport, Progress, no_progress
from qualcode.ingest.turns import find_turns, label_pattern, lone_labels

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
SUFFIXES = (*TEXT_SUFFIXES, ".docx")
UNREAD_SUFFIXES = (".doc", ".rtf", ".odt", ".pdf")  # documents to save as .docx or .txt first


@dataclass
class TranscriptFile:
    path: Path
    name: str
    text: str
    encoding: str
    turns: list[tuple[str | None, int, int]]
    lone_labels: list[tuple[str, int]] = field(default_factory=list)  # default labels used once
    cleaned: str | None = None  # what was replaced in the text (control characters), if anything

    @property
    def sha256(self) -> str:
        return sha256(self.text)


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files as given, and the transcript files (by suffix) directly inside given folders; and
    what else those folders hold, each with why it is not read: (path, reason)."""
    found: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for p in map(Path, paths):
        if not p.is_dir():
            found.append(p)
            continue
        for f in sorted(p.iterdir()):
            why = _not_read(f)
            if why is None:
                found.append(f)
            else:
                skipped.append((str(f), why))
    return found, skipped


def _not_read(path: Path) -> str | None:
    """Why a file in a folder is not imported, or None if it is."""
    suffix = path.suffix.lower()
    if path.is_dir():
        return "a folder inside the folder (give it on the command line to import it)"
    if path.name.startswith("~$"):
        return "Word's lock file of an open document"
    if suffix in SUFFIXES:
        return None
    if suffix in UNREAD_SUFFIXES:
        return f"{suffix} files are not read (save them as .docx or .txt)"
    return f"not a transcript (qualcode reads {', '.join(SUFFIXES)})"


def read_transcript(path: str | Path, labels=None, *,
                    max_chars: int = DEFAULT_MAX_CHARS) -> TranscriptFile:
    """`labels`: the speaker labels the user named (a list or label_pattern); None: the default
    set, of which a label counts only if it begins two lines or more. A text longer than
    `max_chars` is refused, a file too big to hold that many before it is read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(path, "no such file")
    if suffix == ".docx":
        text, encoding = read_docx(path, max_chars=max_chars), "docx"
    elif suffix in TEXT_SUFFIXES:
        if path.stat().st_size > 4 * max_chars + 4:  # UTF-8: at most 4 bytes a character
            raise InputError(path, f"the file has {path.stat().st_size:,} bytes, more than a "
                                   f"text of the limit of {max_chars:,} characters can take "
                                   "(raise it with --max-chars if it is meant to be this long)")
        decoded = read_text(path)
        text, encoding = decoded.text, decoded.encoding
    elif suffix in UNREAD_SUFFIXES:
        raise InputError(path, f"{suffix} files are not read; save it as .docx or .txt")
    else:
        raise InputError(path, f"not a transcript: qualcode reads {', '.join(SUFFIXES)}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, cleaned = without_control_characters(text)
    problem = too_long(text, max_chars)
    if problem:
        raise InputError(path, problem)
    if not text.strip():
        raise InputError(path, "the file has no text", line=1)
    return TranscriptFile(path, path.stem, text, encoding, find_turns(text, labels),
                          lone_labels(text) if labels is None else [], cleaned)


def import_transcripts(project, paths: Iterable[str | Path], *,
                       attributes: str | Path | None = None, replace: bool = False,
                       strict_pii: bool = False, labels: Iterable[str] | None = None,
                       kind: str | None = None,
                       source_columns: Iterable[str] = DEFAULT_SOURCE_COLUMNS,
                       file_column: str | None = None,
                       progress: Progress = no_progress) -> ImportReport:
    """Import transcript files (and folders of them) as one undoable change.

    `attributes`: an attribute sheet (CSV/XLSX) naming each file's case, parent case and
    attributes; `file_column`: its column naming the files, if not `file` or `fil`. `kind`:
    force the source kind (default: "fieldnote" for rows whose data type is an observation, else
    "transcript"). `labels`: the speaker labels in these files, each
    starting a turn wherever it begins a line; None: the default set (turns.DEFAULT_LABELS), of
    which a label counts in a file only if it begins at least two of its lines.
    """
    paths = list(paths)
    files, skipped = expand_paths(paths)
    if not files:
        left = f"; skipped {_skipped_text(skipped)}" if skipped else ""
        raise InputError(", ".join(map(str, paths)) or ".", "no transcript files found "
                         f"({', '.join(SUFFIXES)}){left}")
    if file_column and not attributes:
        raise QualcodeError(f"the file column {file_column!r} is a column of an attribute "
                            "sheet: give the sheet (--attributes)")
    sheet = read_sheet(attributes, source_columns=tuple(source_columns),
                       file_column=file_column) if attributes else None
    pattern = label_pattern(labels) if labels is not None else None
    report = ImportReport(skipped=skipped)
    read: list[TranscriptFile] = []
    names: dict[str, Path] = {}
    progress.start(len(files), "files")
    for path in files:
        transcript = read_transcript(path, pattern, max_chars=project.max_source_chars)
        if transcript.cleaned:
            report.warnings.append(f"{path}: {transcript.cleaned}")
        if transcript.name in names:
            raise InputError(path, f"would have the same source name {transcript.name!r} as "
                                   f"{names[transcript.name]}; rename one of the files")
        names[transcript.name] = path
        _check_pii(transcript, strict_pii, report)
        read.append(transcript)
        progress.advance(1)
    _describe_reading(read, report)
    if sheet:
        report.read[str(sheet.path)] = sheet.described
        report.warnings += sheet.warnings
    plan = _Plan(project, sheet, replace, kind, report)
    for transcript in read:
        plan.decide(transcript)
    with project.change("import transcripts", _summary(files)):
        plan.write()
    if sheet:
        unused = [r for r in sheet.rows if r not in plan.rows_used]
        if unused and sheet.per_file:
            report.warnings.append(f"{len(unused)} rows of {sheet.path.name} name files not in "
                                   f"this import (first: row {unused[0].row}, {unused[0].file!r})")
        missing = [t.name for t in read if plan.rows.get(t.name) is None]
        if missing:
            hint = "" if sheet.per_file or len(missing) < len(read) else (
                " (the sheet has no 'file' column, so its rows are cases matched to files by "
                "name; if a column names the files, give it with --file-column)")
            report.warnings.append(f"no row in {sheet.path.name} for: " + ", ".join(missing)
                                   + hint)
    return report


class _Plan:
    """Decides per file whether it is new, unchanged or replaced, then writes everything."""

    def __init__(self, project, sheet: AttributeSheet | None, replace: bool, kind: str | None,
                 report: ImportReport):
        self.project, self.sheet, self.replace, self.kind = project, sheet, replace, kind
        self.report = report
        known = project.source_fingerprints()
        self.by_name = {s["name"]: s for s in known}
        self.by_origin = {s["origin"]: s for s in known if s["origin"]}
        self.by_sha = {s["sha256"]: s for s in known}
        self.new: list[TranscriptFile] = []
        self.changed: list[tuple[TranscriptFile, dict[str, Any]]] = []
        self.targets: list[tuple[TranscriptFile, Any]] = []  # (file, source id or None if new)
        self.rows: dict[str, SheetRow | None] = {}
        self.rows_used: list[SheetRow] = []

    def decide(self, transcript: TranscriptFile) -> None:
        origin = str(transcript.path.resolve())
        row = self.sheet.row_for(transcript.path) if self.sheet else None
        self.rows[transcript.name] = row
        if row is not None:
            self.rows_used.append(row)
        existing = self.by_name.get(transcript.name) or self.by_origin.get(origin)
        if existing is None:
            twin = self.by_sha.get(transcript.sha256)
            if twin is not None:
                self.report.warnings.append(f"{transcript.path}: same text as the source "
                                            f"{twin['name']!r} already in the project; skipped")
                return
            self.new.append(transcript)
            self.targets.append((transcript, None))
            return
        self.targets.append((transcript, existing["id"]))
        if existing["sha256"] == transcript.sha256:
            self.report.unchanged.append(existing["name"])
        elif self.replace:
            self.changed.append((transcript, existing))
        else:
            raise InputError(transcript.path, f"differs from the source {existing['name']!r} "
                                              "already in the project; import it with --replace "
                                              "to replace its text (codings are kept where their "
                                              "text is still found)")

    def write(self) -> None:
        p = self.project
        cases = {t.name: self._case(self.rows[t.name]) if self.rows.get(t.name) else None
                 for t, _ in self.targets}
        new = [t for t, source_id in self.targets if source_id is None]
        new_ids = dict(zip((t.name for t in new), p.add_sources(
            {"name": t.name, "text": t.text, "kind": self._kind(self.rows.get(t.name)),
             "case": cases[t.name], "origin": str(t.path.resolve()), "encoding": t.encoding,
             "turns": t.turns} for t in new), strict=True))
        if new:
            self.report.count("sources", len(new))
        for transcript, source_id in self.targets:
            row, case = self.rows.get(transcript.name), cases[transcript.name]
            if source_id is None:
                source_id = new_ids[transcript.name]
            elif case is not None and p.source(source_id).case_id != p.case(case).id:
                p.set_source_case(source_id, case)
            if row is not None:
                self._attributes(row, source_id)
        for transcript, existing in self.changed:
            done = p.replace_source_text(existing["id"], transcript.text, turns=transcript.turns,
                                         encoding=transcript.encoding,
                                         origin=str(transcript.path.resolve()))
            self.report.replaced.append(done.describe())

    def _kind(self, row: SheetRow | None) -> str:
        if self.kind:
            return self.kind
        if row is not None and row.kind:
            return row.kind
        if row is not None and any(str(v).casefold() in FIELDNOTE_TYPES
                                   for n, v in row.values.items()
                                   if n.casefold() in ("data_type", "datatype") and v):
            return "fieldnote"
        return "transcript"

    def _case(self, row: SheetRow) -> str | None:
        p = self.project
        if row.parent and not p.has_case(row.parent):
            p.add_case(row.parent, row.parent_kind)
            self.report.count("cases")
        if not row.case:
            return None
        if not p.has_case(row.case):
            p.add_case(row.case, row.case_kind, parent=row.parent)
            self.report.count("cases")
        elif row.parent:
            case = p.case(row.case)
            parent = p.case(row.parent)
            if case.parent_id is None:
                p.set_case_parent(case, parent)
            elif case.parent_id != parent.id:
                raise InputError(self.sheet.path, f"case {row.case!r} is already in the project "
                                                  f"under {p.case(case.parent_id).name!r}, not "
                                                  f"{row.parent!r}", row=row.row,
                                 column=self.sheet.headers.get("parent_case", "parent_case"))
        return row.case

    def _attributes(self, row: SheetRow, source_id: int) -> None:
        p = self.project
        for name, value in row.values.items():
            if value is None:
                continue
            level = self.sheet.placement(row, name)
            target = ({"source": source_id} if level == "source" else
                      {"case": row.case if level == "case" else row.parent})
            if p.attributes(merged=False, **target).get(name) != value:
                p.set_attribute(name, value, **target)
                self.report.count("attribute values")


def _check_pii(transcript: TranscriptFile, strict: bool, report: ImportReport) -> None:
    for hit in find_fodselsnummer(transcript.text):
        message = (f"source {transcript.name!r}, {hit.where()} (offset {hit.start}): looks like "
                   f"a fødselsnummer ({hit.masked})")
        if strict:
            raise InputError(transcript.path, message + "; remove it before importing",
                             line=hit.line, column=hit.column)
        report.warnings.append(f"{transcript.path}: {message}")


def _describe_reading(read: list[TranscriptFile], report: ImportReport) -> None:
    """One line: how many files, in which encodings, with how many speaker turns."""
    groups: dict[str, list[str]] = {}
    for t in read:
        groups.setdefault(ENCODING_NAMES.get(t.encoding, t.encoding), []).append(t.path.name)
    encodings = "; ".join(f"{enc}: {', '.join(names) if len(names) <= 5 else len(names)}"
                          for enc, names in groups.items())
    with_turns = [t for t in read if t.turns]
    turns = sum(len(t.turns) for t in with_turns)
    line = (f"{len(read)} file{'s' if len(read) != 1 else ''} ({encodings}); speaker turns in "
            f"{len(with_turns)} ({turns:,} turns)")
    report.read[line] = ""
    silent = [t.path.name for t in read if not t.turns]
    if with_turns and silent:
        report.warnings.append("no speaker labels found in " + ", ".join(silent[:10])
                               + (" ..." if len(silent) > 10 else "")
                               + " (give the labels they use with --speakers)")
    for t in read:  # a label seen once is read as text: say so, the user may mean a speaker
        if t.lone_labels:
            seen = ", ".join(f"'{label}:' (line {line})" for label, line in t.lone_labels)
            report.warnings.append(f"{t.path.name}: {seen} begins only one line, so it is read "
                                   "as text, not as a speaker turn (name speakers with "
                                   "--speakers)")


def _skipped_text(skipped: list[tuple[str, str]]) -> str:
    return "; ".join(f"{Path(path).name}: {why}" for path, why in skipped[:5]) + \
        (f"; and {len(skipped) - 5} more" if len(skipped) > 5 else "")


def _summary(files: list[Path]) -> str:
    return files[0].name if len(files) == 1 else f"{len(files)} files"
