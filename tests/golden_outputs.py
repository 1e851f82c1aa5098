"""Golden outputs of the sample study: the codings DataFrame, `query codings` as CSV and the body
of the Word reports, kept in tests/fixtures/golden/ so that a change to how excerpts are cut or
how the report is written shows up as a diff (same text, same order, same attribution).

After an INTENDED change of these outputs, regenerate them and read the diff before committing:

    .venv/bin/python tests/golden_outputs.py --update-golden
    git diff tests/fixtures/golden/

What varies between builds is normalised: GUIDs and creation times in the tables, the date on
the report's title page. The Word XML gets a line break before each paragraph, table and section
(the file itself has none), so the diff shows which paragraph changed.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from click.testing import CliRunner

import qualcode as qc
from qualcode.cli import cli
from qualcode.demo import build_demo

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
VOLATILE = ("guid", "created_at")  # differ between builds of the same study
REPORTS = {  # file name -> options of `qualcode export docx`
    "report_tree.xml": [],
    "report_office.xml": ["--group-by", "office"],
    "report_office_anonymous.xml": ["--group-by", "office", "--anonymous"],
    "report_codes_then_office.xml": ["--group-by", "office", "--layout", "code-group"],
    "matrix_office_excerpts.xml": ["--matrix", "office", "--cells", "excerpts"],
}
DATE = re.compile(r"(Date: </w:t></w:r><w:r><w:t>)\d{4}-\d{2}-\d{2}")
BLOCK = re.compile(r"(?=<w:p>|<w:p |<w:tbl>|<w:sectPr)")


def build(folder: Path) -> Path:
    path = folder / "hpmt_demo.qualcode"
    build_demo(path)
    # the creation time orders an anonymous report's pseudonyms (Office A, B, …): fixed here,
    # so that every build gives the same report
    with qc.open_project(path) as p, p.conn:
        p.conn.execute("UPDATE project SET created_at = '2026-01-01T00:00:00+00:00'")
    return path


def outputs(project_path: Path) -> dict[str, str]:
    """Every golden output of the project at `project_path`, by file name."""
    found = {}
    with qc.open_project(project_path) as p:
        frame = p.codings()
    frame = frame.assign(**{c: "*" for c in VOLATILE})
    found["codings.csv"] = frame.to_csv(index=False, lineterminator="\n")
    found["codings.dtypes"] = "".join(f"{c}\t{t}\n" for c, t in frame.dtypes.items())
    found["query_codings.csv"] = _masked_csv(
        _run("query", "codings", "-p", project_path, "--format", "csv"))
    with tempfile.TemporaryDirectory() as tmp:
        for name, options in REPORTS.items():
            out = Path(tmp) / "report.docx"
            _run("export", "docx", "-p", project_path, "-o", out, *options)
            found[name] = document_lines(out)
    return found


def document_lines(docx_path: Path) -> str:
    """word/document.xml with the title page's date normalised, a line per body element."""
    with zipfile.ZipFile(docx_path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    xml = DATE.sub(r"\g<1>YYYY-MM-DD", xml)
    return "\n".join(BLOCK.split(xml)) + "\n"


def _run(*args) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _masked_csv(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    masked = [i for i, name in enumerate(rows[0]) if name in VOLATILE]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow(["*" if i in masked else v for i, v in enumerate(row)])
    return out.getvalue()


def update() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in outputs(build(Path(tmp))).items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
            print(f"wrote {GOLDEN / name}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update-golden"]:
        sys.exit(__doc__)
    update()
