"""`qualcode codebook ...` run as a user runs it: a real process on real files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import xmlschema
from testkit import run_qualcode

import qualcode as qc
from qualcode.ingest.shipped import shipped_codebooks

INTEROP = Path(__file__).resolve().parent / "fixtures" / "interop"


def run(*args, **kwargs):
    return run_qualcode("codebook", *args, **kwargs)


@pytest.fixture
def folder(tmp_path):
    qc.create_project(tmp_path / "studie.qualcode").close()
    return tmp_path


def test_check_every_shipped_codebook_by_path_and_by_name(tmp_path):
    paths = [str(p) for p in shipped_codebooks().values()]
    result = run("check", *paths, "dreyfus", cwd=tmp_path)
    assert result.stdout == ""
    assert result.stderr.count(": ok (") == len(paths) + 1


def test_check_prints_one_line_per_problem_and_exits_1(tmp_path):
    (tmp_path / "bok.yaml").write_text(
        "codebook: bok\ncodes:\n  - name: a\n    color: '#12'\n  - name: a\n", encoding="utf-8")
    result = run("check", "bok.yaml", cwd=tmp_path, ok=False)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        'bok.yaml, line 4: a: color "#12" is not a colour (write "#rrggbb" or "#rgb")',
        'bok.yaml, line 5: a: two codes named "a" under the top level']


def test_list_shows_the_shipped_codebooks(tmp_path):
    out = run("list", "--format", "csv", cwd=tmp_path).stdout
    assert out.splitlines()[0] == "name,title,en,codes,groups"
    assert any(line.startswith("dreyfus,Dreyfus-modellen") and line.endswith(",7,1")
               for line in out.splitlines())


def test_load_by_name_export_qdc_and_load_it_elsewhere(folder):
    out = run("load", "dreyfus", cwd=folder).stdout
    assert out.startswith("codebook dreyfus: 7 codes added, 0 already present, 1 group added")
    run("load", "barrierer_foringer", cwd=folder)
    run("export", "--codebook", "dreyfus", "-o", "dreyfus.qdc", cwd=folder)
    xmlschema.XMLSchema(str(INTEROP / "Codebook.xsd")).validate(str(folder / "dreyfus.qdc"))
    run("check", "dreyfus.qdc", cwd=folder)
    other = folder / "annen"
    other.mkdir()
    qc.create_project(other / "annen.qualcode").close()
    out = run("load", "../dreyfus.qdc", cwd=other).stdout
    assert "7 codes added" in out
    with qc.open_project(folder / "studie.qualcode") as p, \
            qc.open_project(other / "annen.qualcode") as q:
        assert [(c.path, c.guid, c.description) for c in q.codes()] == \
               [(c.path, c.guid, c.description) for c in p.codes() if c.codebook == "dreyfus"]


def test_export_yaml_to_stdout_and_docx_to_a_file(folder):
    run("load", "dreyfus", cwd=folder)
    text = run("export", "--format", "yaml", cwd=folder).stdout
    assert text.startswith("codebook: dreyfus\ntitle: Dreyfus-modellen")
    (folder / "ut.yaml").write_text(text, encoding="utf-8")
    run("check", "ut.yaml", "--strict", cwd=folder)
    result = run("export", "-o", "bok.docx", cwd=folder)
    assert "wrote bok.docx (7 codes, 1 group)" in result.stderr
    assert (folder / "bok.docx").stat().st_size > 0


def test_load_conflicts_are_printed_and_update_applies_them(folder):
    run("load", "dreyfus", cwd=folder)
    with qc.open_project(folder / "studie.qualcode") as p:
        p.update_code("Dreyfus/ekspert", en="master")
    out = run("load", "dreyfus", cwd=folder).stdout
    assert "conflict: Dreyfus/ekspert: en differs (project: 'master'; codebook: 'expert')" in out
    out = run("load", "dreyfus", "--update", cwd=folder).stdout
    assert "updated: Dreyfus/ekspert: en differs" in out
    with qc.open_project(folder / "studie.qualcode") as p:
        assert p.code("Dreyfus/ekspert").en == "expert"


def test_load_the_nvivo_project_and_undo_it(folder):
    out = run("load", str(INTEROP / "nvivo_project.qdpx"), cwd=folder).stdout
    assert "codebook nvivo_project: 262 codes added" in out
    subprocess.run([sys.executable, "-m", "qualcode", "undo"], cwd=folder, check=True,
                   capture_output=True)
    with qc.open_project(folder / "studie.qualcode") as p:
        assert p.codes() == []


def test_bad_input_gives_one_line_and_exit_1(folder):
    result = run("load", "finnes_ikke", cwd=folder, ok=False)
    assert result.returncode == 1
    assert result.stderr.startswith("qualcode: error: no shipped codebook 'finnes_ikke'")
    (folder / "bok.yaml").write_text("codebook: bok\ncodes:\n  - name: a\n    farge: x\n")
    result = run("load", "bok.yaml", cwd=folder, ok=False)
    assert result.stderr.strip() == ("qualcode: error: bok.yaml, line 4: a: unknown key "
                                     "'farge'; allowed here: name, en, definition, include, "
                                     "exclude, example, color, codable, patterns, children")
    result = run("export", "-o", "bok.pdf", cwd=folder, ok=False)
    assert "choose --format yaml, qdc or docx" in result.stderr


def test_check_validates_qdc_with_lines_and_reads_the_codebook_in_a_qdpx(tmp_path):
    (tmp_path / "bad.qdc").write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n<Codes>\n'
        '<Code name="x" guid="nope" isCodable="true"/>\n</Codes>\n</CodeBook>\n')
    result = run("check", "bad.qdc", cwd=tmp_path, ok=False)
    assert result.returncode == 1
    assert result.stdout.startswith("bad.qdc, line 3: attribute guid='nope'")
    result = run("check", str(INTEROP / "nvivo_project.qdpx"), cwd=tmp_path)
    assert "nvivo_project.qdpx: ok (262 codes, 0 groups)" in result.stderr
