"""A codebook as a Word document: read back with python-docx, and opened by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess

import docx
import pytest

from qualcode.export.codebook_docx import codebook_docx
from qualcode.ingest.codebook_yaml import read_codebook
from qualcode.ingest.shipped import shipped_codebook


@pytest.fixture
def coded(project):
    """The CFIR codebook (deep tree) and Dreyfus loaded, a transcript with three codings."""
    project.load_codebook(read_codebook(shipped_codebook("dreyfus")))
    project.load_codebook(read_codebook(shipped_codebook("cfir2022")))
    text = ("IP: Jeg tenker ikke over det lenger, det sitter i ryggmargen.\n"
            "IP: Med de nye skjemaene følte jeg meg som en nybegynner igjen.\n")
    src = project.add_source("intervju", text)
    other = project.add_source("intervju2", text)
    for source in (src, other):
        project.code_span(source, 4, 35, "Dreyfus/ekspert")
    project.code_span(src, 66, 120, "Dreyfus/regresjon")
    return project


def paragraphs(path):
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def test_word_document_has_title_page_headings_texts_and_counts(coded, tmp_path):
    tree = coded.codebook_tree("dreyfus")
    out = codebook_docx(tree, tmp_path / "dreyfus.docx", project=coded)
    paras = paragraphs(out)
    assert paras[0] == ("Title", "Dreyfus-modellen for ferdighetstilegnelse")
    assert paras[1] == ("Subtitle", "Dreyfus model of skill acquisition")
    headings = [(s, t) for s, t in paras if s.startswith("Heading")]
    assert headings[:3] == [("Heading 1", "Dreyfus (Dreyfus stages)"),
                            ("Heading 2", "■ nybegynner (novice)"),
                            ("Heading 2", "■ avansert begynner (advanced beginner)")]
    texts = [t for _, t in paras]
    at = texts.index("■ ekspert (expert)")
    section = texts[at:texts.index("■ regresjon (regression)")]
    node = tree.by_path()["Dreyfus/ekspert"]
    assert node.definition in section
    assert f"Include: {node.include}" in section
    assert f"Exclude: {node.exclude}" in section
    assert f"Example: «{node.example}»" in section
    assert "In this project: 2 codings in 2 sources" in section
    regression = texts[texts.index("■ regresjon (regression)"):]
    assert "In this project: 1 coding in 1 source" in regression
    top = texts[texts.index("Dreyfus (Dreyfus stages)"):texts.index("■ nybegynner (novice)")]
    assert "In this project: 3 codings in 2 sources with its sub-codes" in top
    assert ("Heading 1", "Groups") in paras
    assert ("List Bullet", "Dreyfus/kompetent utøver") in paras
    assert docx.Document(str(out)).core_properties.title == tree.title


def test_without_a_project_there_are_no_counts(coded, tmp_path):
    out = codebook_docx(coded.codebook_tree("dreyfus"), tmp_path / "d.docx")
    assert not any(t.startswith("In this project") for _, t in paragraphs(out))


def test_levels_below_three_are_bold_paragraphs(coded, tmp_path):
    tree = coded.codebook_tree("cfir2022")
    deep = [(p, n) for p, n in tree.walk() if p.count("/") >= 3]
    assert deep, "CFIR has sub-constructs four levels down"
    out = codebook_docx(tree, tmp_path / "cfir.docx", project=coded)
    document = docx.Document(str(out))
    by_text = {p.text: p for p in document.paragraphs}
    for _, node in deep:
        label = f"{node.name} ({node.en})" if node.en and node.en != node.name else node.name
        para = by_text[f"■ {label}" if node.color else label]
        assert para.style.name == "Normal"
        assert any(run.bold for run in para.runs)
    levels = {p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")}
    assert levels == {"Heading 1", "Heading 2", "Heading 3"}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_and_converts_the_document(coded, tmp_path):
    out = codebook_docx(coded.codebook_tree("dreyfus"), tmp_path / "dreyfus.docx", project=coded)
    subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    text = (tmp_path / "dreyfus.txt").read_text(encoding="utf-8-sig")
    assert "Dreyfus-modellen for ferdighetstilegnelse" in text
    assert "nybegynner (novice)" in text
    assert "2 codings in 2 sources" in text
