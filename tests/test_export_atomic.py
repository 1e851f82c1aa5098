"""Every file export is written to a temporary file and renamed: a failure leaves nothing
behind, and the file that was there before is untouched."""

from __future__ import annotations

import os

import pytest
from test_export_docx import study  # noqa: F401  (the fixture)

import qualcode as qc
from qualcode.export.atomic import atomic_path
from qualcode.export.codebook_docx import codebook_docx
from qualcode.export.codebook_yaml import write_codebook_yaml
from qualcode.export.matrix_docx import matrix_docx
from qualcode.export.qdc import write_qdc
from qualcode.export.report_docx import excerpts_docx
from qualcode.export.tables import write_csv, write_xlsx


def test_atomic_path_renames_on_success_and_removes_on_failure(tmp_path):
    target = tmp_path / "rapport.txt"
    target.write_text("before")
    os.chmod(target, 0o640)
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "before"
    assert os.listdir(tmp_path) == ["rapport.txt"]
    with atomic_path(target) as temp:
        assert temp.parent == tmp_path and temp != target
        temp.write_text("after")
    assert target.read_text() == "after" and os.listdir(tmp_path) == ["rapport.txt"]
    assert target.stat().st_mode & 0o777 == 0o640  # the replaced file's mode is kept

    fresh = tmp_path / "ny.txt"
    with atomic_path(fresh) as temp:
        temp.write_text("x")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600


def test_a_failing_xlsx_export_leaves_no_partial_workbook(study, tmp_path_factory):  # noqa: F811
    tmp_path = tmp_path_factory.mktemp("ut")  # apart from the project's files
    out = tmp_path / "tabeller.xlsx"
    # the codings sheet is written before the matrix by an attribute no source has fails
    with pytest.raises(qc.QualcodeError):
        write_xlsx(study, out, by="finnes_ikke")
    assert os.listdir(tmp_path) == []
    out.write_bytes(b"the old workbook")
    with pytest.raises(qc.QualcodeError):
        write_xlsx(study, out, by="finnes_ikke")
    assert out.read_bytes() == b"the old workbook" and os.listdir(tmp_path) == [out.name]


def test_a_failing_csv_export_writes_no_file_and_no_folder(study, tmp_path_factory):  # noqa: F811
    tmp_path = tmp_path_factory.mktemp("ut")
    with pytest.raises(qc.QualcodeError):
        write_csv(study, tmp_path / "ut", by="finnes_ikke")
    assert os.listdir(tmp_path) == []
    with pytest.raises(qc.QualcodeError):
        write_csv(study, tmp_path / "matrise.csv", tables=["matrix"], by="finnes_ikke")
    assert os.listdir(tmp_path) == []


def test_word_yaml_and_qdc_exports_replace_the_file_whole(study, tmp_path_factory,  # noqa: F811
                                                          monkeypatch):
    tmp_path = tmp_path_factory.mktemp("ut")
    tree = study.codebook_tree()
    writers = {
        "rapport.docx": lambda out: excerpts_docx(study, out),
        "matrise.docx": lambda out: matrix_docx(study, out, ["office"]),
        "kodebok.docx": lambda out: codebook_docx(tree, out),
        "kodebok.yaml": lambda out: write_codebook_yaml(tree, out),
        "kodebok.qdc": lambda out: write_qdc(tree, out),
    }
    real_replace = os.replace

    def crash(src, dst):  # the disk fills up at the last moment
        raise OSError("No space left on device")

    for name, write in writers.items():
        out = tmp_path / name
        out.write_bytes(b"old")
        monkeypatch.setattr(os, "replace", crash)
        with pytest.raises(OSError):
            write(out)
        monkeypatch.setattr(os, "replace", real_replace)
        assert out.read_bytes() == b"old", name
        assert sorted(os.listdir(tmp_path)) == sorted(n for n in writers if
                                                      (tmp_path / n).exists()), name
        write(out)
        assert out.read_bytes() != b"old" and out.stat().st_size > 100, name
