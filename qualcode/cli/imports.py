"""`qualcode import transcripts|forms|measures`: bring research material into a project.

Other import verbs (e.g. qdpx) attach themselves to `import_group`.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click

from qualcode.cli.common import QualcodeGroup, open_from, project_option
from qualcode.ingest.attributes_sheet import DEFAULT_SOURCE_COLUMNS
from qualcode.ingest.report import ImportReport
from qualcode.ingest.shipped import DEFAULT_MAPPING
from qualcode.ingest.turns import DEFAULT_LABELS
from qualcode.lazy import lazy_module

forms_in = lazy_module("qualcode.ingest.forms")
measures_in = lazy_module("qualcode.ingest.measures")
transcripts_in = lazy_module("qualcode.ingest.transcripts")

LONG = {"files": 20, "forms": 2000}  # below these sizes an import is quick: no progress bar


@click.group("import", cls=QualcodeGroup)
def import_group() -> None:
    """Import transcripts, fidelity forms and measures into the project."""


class _Bar:
    """A rich progress bar on the terminal for imports that take a while."""

    def __init__(self, progress):
        self.progress, self.task = progress, None

    def start(self, total: int | None, what: str) -> None:
        if total is not None and total < LONG.get(what, 0):
            return
        self.progress.start()
        self.task = self.progress.add_task(f"importing {what}", total=total)

    def advance(self, n: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, n)


@contextmanager
def _progress_bar():
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=True,
                        disable=not console.is_terminal)
    try:
        yield _Bar(progress)
    finally:
        progress.stop()


def _print(report: ImportReport) -> None:
    for line in report.lines():
        click.echo(line, err=line.startswith("warning:"))


@import_group.command("transcripts",
                      short_help="Transcripts and field notes (.txt, .md, .docx).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--attributes", "sheet", type=click.Path(dir_okay=False, path_type=Path),
              help="Attribute sheet (CSV/XLSX): one row per file (or case) with case, "
                   "parent_case and attribute columns. See docs/attribute-sheet.md.")
@click.option("--replace", is_flag=True,
              help="Replace the text of files already imported whose text changed, keeping "
                   "codings whose text is still found.")
@click.option("--strict-pii", is_flag=True,
              help="Refuse the import if a fødselsnummer is found (default: warn).")
@click.option("--kind", type=click.Choice(["transcript", "fieldnote", "document"]),
              help="Source kind for all files (default: fieldnote for observation rows of the "
                   "attribute sheet, else transcript).")
@click.option("--speakers", "--speaker", "speakers", multiple=True, metavar="LABELS",
              help="The speaker labels in these files, comma-separated (or repeated): each "
                   "starts a turn wherever it begins a line. Default: of "
                   f"{', '.join(DEFAULT_LABELS)}, the labels that begin two lines or more of "
                   "a file.")
@click.option("--source-column", "source_columns", multiple=True, metavar="NAME",
              help="A sheet column that always goes on the source (repeatable; replaces the "
                   f"default set: {', '.join(DEFAULT_SOURCE_COLUMNS)}).")
@click.option("--file-column", metavar="NAME",
              help="The sheet's column naming each row's file, if not 'file' or 'fil' "
                   "(e.g. Filnavn).")
@click.option("--max-chars", type=click.IntRange(1), metavar="N",
              help="The longest text a source may have, in characters (default 20,000,000, "
                   "or $QUALCODE_MAX_CHARS).")
@project_option
def transcripts(paths, sheet, replace, strict_pii, kind, speakers, source_columns, file_column,
                max_chars, project_path) -> None:
    """Import transcripts and field notes (.txt, .md, .docx; folders are searched), one source
    per file, with speaker turns and attributes."""
    with open_from(project_path) as p, _progress_bar() as bar:
        if max_chars:
            p.max_source_chars = max_chars
        report = transcripts_in.import_transcripts(
            p, paths, attributes=sheet, replace=replace, strict_pii=strict_pii,
            labels=_labels(speakers), kind=kind,
            source_columns=source_columns or DEFAULT_SOURCE_COLUMNS, file_column=file_column,
            progress=bar)
    _print(report)


def _labels(given: tuple[str, ...]) -> list[str] | None:
    """`--speakers I,IP --speakers Veileder` -> ["I", "IP", "Veileder"]; none given: None."""
    labels = [label.strip() for value in given for label in value.split(",") if label.strip()]
    return labels or None


@import_group.command("forms", short_help="Fidelity forms (CSV/XLSX) through a mapping.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path),
              help="Column mapping (YAML; see docs/form-mapping.md). Default: the HPMT FE form "
                   f"({DEFAULT_MAPPING.name}).")
@click.option("--skip-existing", is_flag=True,
              help="Skip forms whose key is already in the project instead of refusing.")
@click.option("--strict-pii", is_flag=True,
              help="Refuse the import if a fødselsnummer is found in a comment (default: warn).")
@project_option
def forms(file, mapping, skip_existing, strict_pii, project_path) -> None:
    """Import fidelity forms (CSV or XLSX, one row per form) with their comments as sources."""
    with open_from(project_path) as p, _progress_bar() as bar:
        report = forms_in.import_forms(p, file, mapping, skip_existing=skip_existing,
                              strict_pii=strict_pii, progress=bar)
    _print(report)


@import_group.command("measures",
                      short_help="A table of numbers keyed by case or attribute.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", required=True, metavar="COLUMN",
              help="The column whose values name a case or an attribute value (e.g. office).")
@click.option("--dataset", metavar="NAME", help="Name of the table (default: the file name).")
@click.option("--replace", is_flag=True, help="Replace a dataset imported before.")
@project_option
def measures(file, key, dataset, replace, project_path) -> None:
    """Import a table of numbers keyed by a case or attribute value, for later joins."""
    with open_from(project_path) as p:
        report = measures_in.import_measures(p, file, key, dataset=dataset, replace=replace)
    _print(report)


def register(cli: click.Group) -> None:
    cli.add_command(import_group)
