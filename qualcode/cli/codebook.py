"""`qualcode codebook load|export|check|list`: codebooks in and out of a project."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qualcode.cli.common import QualcodeGroup, format_option, open_from, print_frame, project_option
from qualcode.core.codebook_tree import CodebookTree
from qualcode.errors import QualcodeError
from qualcode.export import atomic
from qualcode.ingest.shipped import shipped_codebook, shipped_codebooks
from qualcode.lazy import lazy_module

etree = lazy_module("lxml.etree")
pd = lazy_module("pandas")
word_out = lazy_module("qualcode.export.codebook_docx")
yaml_out = lazy_module("qualcode.export.codebook_yaml")
qdc_out = lazy_module("qualcode.export.qdc")
yaml_in = lazy_module("qualcode.ingest.codebook_yaml")
qdc_in = lazy_module("qualcode.ingest.qdc")

YAML_SUFFIXES = (".yaml", ".yml")
QDC_SUFFIXES = (".qdc", ".qdpx")
EXPORT_FORMATS = {"yaml": ".yaml", "qdc": ".qdc", "docx": ".docx"}


def resolve(given: str) -> tuple[Path, bool]:
    """A codebook file, or a shipped codebook by name. True when it is a shipped one."""
    path = Path(given)
    if path.exists() or path.suffix.lower() in YAML_SUFFIXES + QDC_SUFFIXES:
        return path, False
    return shipped_codebook(given), True


def read_any(given: str, name: str | None = None) -> CodebookTree:
    path, _ = resolve(given)
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        tree = yaml_in.read_codebook(path)
        if name:
            tree.name = name
        return tree
    if suffix in QDC_SUFFIXES:
        return qdc_in.read_qdc(path, name=name)
    raise QualcodeError(f"{path}: a codebook is a .yaml, .yml, .qdc or .qdpx file")


@click.group(cls=QualcodeGroup)
def codebook() -> None:
    """Load, export, check and list codebooks."""


@codebook.command()
@click.argument("file")
@project_option
@click.option("--update", is_flag=True,
              help="Take the codebook's definitions where they differ from the project's "
                   "(default: keep the project's and report the conflicts).")
@click.option("--name", metavar="NAME",
              help="Machine name for the codebook (default: from the file).")
def load(file: str, project_path: str | None, update: bool, name: str | None) -> None:
    """Load FILE (.yaml, .qdc, .qdpx, or a shipped codebook by name) into the project.

    Codes are merged by GUID, then by path: existing codes keep their codings; new ones are
    added; differing definitions are reported. The whole load is one undoable change.
    """
    tree = read_any(file, name)
    with open_from(project_path) as p:
        report = p.load_codebook(tree, update=update)
    for line in report.lines():
        click.echo(line)
    if report.event_id is not None:
        click.echo("(one change: `qualcode undo` reverses it)")


@codebook.command()
@project_option
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)),
              help="Output format (default: from the output file's suffix).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (YAML and .qdc go to standard output without it).")
@click.option("--codebook", "name", metavar="NAME",
              help="Only the codes of this codebook (default: every code in the project).")
@click.option("--counts/--no-counts", default=True, show_default=True,
              help="Word: show the number of codings and sources per code.")
def export(project_path: str | None, fmt: str | None, output: Path | None, name: str | None,
           counts: bool) -> None:
    """Export the project's codebook as YAML, REFI-QDA .qdc or a Word document."""
    if fmt is None:
        by_suffix = {v: k for k, v in EXPORT_FORMATS.items()} | {".yml": "yaml"}
        fmt = by_suffix.get(output.suffix.lower()) if output else None
        if fmt is None:
            raise QualcodeError("choose --format yaml, qdc or docx (or an -o file with one of "
                                "those suffixes)")
    with open_from(project_path) as p:
        tree = p.codebook_tree(name)
        if fmt == "docx":
            if output is None:
                raise QualcodeError("a Word document needs -o FILE.docx")
            word_out.codebook_docx(tree, output, project=p if counts else None)
        else:
            data = (yaml_out.codebook_yaml(tree).encode("utf-8") if fmt == "yaml"
                    else qdc_out.qdc_bytes(tree))
            if output is None:
                sys.stdout.buffer.write(data)
                return
            atomic.write_bytes(output, data)
    click.echo(f"wrote {output} ({_size(tree)})", err=True)


@codebook.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--strict", is_flag=True,
              help="Also the rules for shipped codebooks (always on for them).")
def check(files: tuple[str, ...], strict: bool) -> None:
    """Check codebook files (.yaml; .qdc against the REFI-QDA schema; the codebook in a .qdpx):
    one line per problem, exit status 1 if there is any."""
    failed = False
    for given in files:
        path, shipped = resolve(given)
        suffix = path.suffix.lower()
        if suffix == ".qdc":
            problems = _qdc_problems(path)
        elif suffix == ".qdpx":  # a whole project: check that its codebook can be read
            problems = []
            try:
                qdc_in.read_qdc(path)
            except QualcodeError as exc:
                problems = [str(exc)]
        else:
            problems = [str(p) for p in yaml_in.check_codebook(path, strict=strict or shipped)]
        for line in problems:
            click.echo(line)
        failed = failed or bool(problems)
        if not problems:
            tree = qdc_in.read_qdc(path) if suffix in QDC_SUFFIXES else yaml_in.read_codebook(path)
            click.echo(f"{path}: ok ({_size(tree)})", err=True)
    if failed:
        sys.exit(1)


def _size(tree: CodebookTree) -> str:
    codes, groups = sum(1 for _ in tree.walk()), len(tree.groups)
    return f"{codes} code{'s' * (codes != 1)}, {groups} group{'s' * (groups != 1)}"


def _qdc_problems(path: Path) -> list[str]:
    try:  # parsed by lxml so that each error knows its line
        document = etree.parse(str(path), etree.XMLParser(resolve_entities=False,
                                                          no_network=True))
    except (OSError, etree.XMLSyntaxError) as exc:
        return [f"{path}: not a readable .qdc ({exc})"]
    errors = list(qdc_out.codebook_schema().iter_errors(document))
    out = []
    for error in errors:
        line = getattr(error.elem, "sourceline", None) if error.elem is not None else None
        at = f"{path}, line {line}" if line else str(path)
        out.append(f"{at}: {error.reason}")
    return out


@codebook.command("list")
@format_option
def list_shipped(fmt: str) -> None:
    """The codebooks shipped with qualcode (load one with `qualcode codebook load NAME`)."""
    rows = []
    for name, path in shipped_codebooks().items():
        tree = yaml_in.read_codebook(path)
        rows.append({"name": name, "title": tree.title or "", "en": tree.en or "",
                     "codes": sum(1 for _ in tree.walk()), "groups": len(tree.groups)})
    print_frame(pd.DataFrame(rows), fmt)


def register(cli: click.Group) -> None:
    cli.add_command(codebook)
