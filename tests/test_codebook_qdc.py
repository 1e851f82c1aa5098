"""REFI-QDA codebooks: our .qdc validates against the published schema, keeps GUIDs, and reads
back to the same tree; .qdc and .qdpx files from other tools (a real NVivo export) import whole."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from testkit import table_dump

import qualcode as qc
from qualcode.export.qdc import qdc_bytes, write_qdc
from qualcode.ingest.codebook_yaml import read_codebook
from qualcode.ingest.qdc import read_qdc
from qualcode.ingest.shipped import shipped_codebook, shipped_codebooks

INTEROP = Path(__file__).resolve().parent / "fixtures" / "interop"
NVIVO = INTEROP / "nvivo_project.qdpx"
QC_DEMO = INTEROP / "qc_demo_project.qdpx"
CB = "{urn:QDA-XML:codebook:1.0}"
SHIPPED = sorted(shipped_codebooks().items())


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(INTEROP / "Codebook.xsd"))


def shape(tree):
    """What a round trip must keep: every code's path and texts, and the groups."""
    codes = [(path, dataclasses.replace(node, children=[], guid=None))
             for path, node in tree.walk()]
    return codes, [(g.name, g.en, g.exclusive, g.codes) for g in tree.groups]


@pytest.mark.parametrize(("name", "path"), SHIPPED, ids=[n for n, _ in SHIPPED])
def test_shipped_codebook_exports_valid_qdc_and_reads_back_the_same(project, schema, tmp_path,
                                                                   name, path):
    tree = read_codebook(path)
    project.load_codebook(tree)
    out = write_qdc(project.codebook_tree(name), tmp_path / f"{name}.qdc")
    schema.validate(str(out))
    back = read_qdc(out)
    assert back.name == name and back.notes == []
    assert shape(back) == shape(tree)
    assert [g for _, n in back.walk() for g in [n.guid]] == \
           [c.guid for c in project.codes()]  # the project's GUIDs
    fresh = project.path.with_name("fresh.qualcode")
    with qc.create_project(fresh) as other:
        other.load_codebook(back)
        assert shape(other.codebook_tree(name)) == shape(tree)
        assert [c.guid for c in other.codes()] == [c.guid for c in project.codes()]


def test_qdc_has_no_empty_containers_and_categories_are_not_codable(project, schema):
    project.load_codebook(read_codebook(shipped_codebook("dreyfus")))
    project.add_code("uten tekst", "Dreyfus")
    root = etree.fromstring(qdc_bytes(project.codebook_tree()))
    for element in root.iter():
        if etree.QName(element).localname in ("Codes", "Sets", "Set", "Description"):
            assert len(element) or (element.text or "").strip(), element.tag
    bare = root.find(f".//{CB}Code[@name='uten tekst']")
    assert bare is not None and bare.find(f"{CB}Description") is None
    top = root.find(f"{CB}Codes/{CB}Code")
    assert top.get("name") == "Dreyfus" and top.get("isCodable") == "false"
    assert {c.get("isCodable") for c in top.findall(f"{CB}Code")} == {"true"}
    members = root.findall(f"{CB}Sets/{CB}Set/{CB}MemberCode")
    assert len(members) == 5
    description = top.find(f"{CB}Code[@name='nybegynner']/{CB}Description").text
    assert description.startswith("Utøveren holder seg til regler")
    assert "\n\nInclude: Å gå gjennom skjema" in description
    assert "\n\nEnglish label: novice" in description


def test_a_project_without_groups_writes_no_sets(project, schema):
    project.load_codebook(read_codebook(shipped_codebook("hpmt_fidelity")))
    data = qdc_bytes(project.codebook_tree())
    schema.validate(data.decode())
    assert b"Sets" not in data


def test_guids_are_stable_across_exports(project):
    project.load_codebook(read_codebook(shipped_codebook("dreyfus")))
    first = qdc_bytes(project.codebook_tree("dreyfus"))
    project.add_code("ny", "Dreyfus")
    second = qdc_bytes(project.codebook_tree("dreyfus"))
    guids = lambda data: {e.get("name"): e.get("guid")  # noqa: E731
                          for e in etree.fromstring(data).iter(f"{CB}Code")}
    assert guids(first).items() <= guids(second).items()
    assert guids(first)["ekspert"] == project.code("Dreyfus/ekspert").guid


def nvivo_codes():
    """The NVivo file's code tree read with lxml alone: (path, guid) in document order."""
    with zipfile.ZipFile(NVIVO) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    ns = "{urn:QDA-XML:project:1.0}"
    out = []

    def walk(element, prefix):
        for code in element.findall(f"{ns}Code"):
            path = f"{prefix}/{code.get('name')}" if prefix else code.get("name")
            out.append((path, code.get("guid")))
            walk(code, path)
    walk(root.find(f"{ns}CodeBook/{ns}Codes"), "")
    return out


def test_the_nvivo_project_codebook_imports_with_its_full_hierarchy(project):
    expected = nvivo_codes()
    assert len(expected) == 262
    report = project.load_codebook(read_qdc(NVIVO))
    assert report.notes == [] and len(report.added) == 262
    codes = project.codes()
    assert [(c.path, c.guid) for c in codes] == expected
    assert [c.name for c in codes if c.parent_id is None] == \
           ["rq1_definition", "rq2_curriculum_and_instruction", "rq3_process"]
    deepest = max(codes, key=lambda c: c.depth)
    assert deepest.depth == 6
    assert deepest.path == ("rq2_curriculum_and_instruction/curriculum/interdisciplinary_cs/"
                            "other_subject_areas/humanities/english/writing")
    # the same name in two branches stays two codes
    assert {c.path for c in codes if c.name == "programming"} == {
        "rq1_definition/competencies/programming",
        "rq1_definition/framings/cs_as_programming/programming"}
    assert {c.codebook for c in codes} == {"nvivo_project"}
    assert [e.action for e in project.history()] == ["load codebook"]


def test_reimporting_merges_by_guid_without_duplicates(project):
    project.load_codebook(read_qdc(NVIVO))
    dump = table_dump(project)
    again = project.load_codebook(read_qdc(NVIVO))
    assert again.added == [] and len(again.unchanged) == 262 and again.event_id is None
    other_tool = project.load_codebook(read_qdc(QC_DEMO))  # the same codes, written by qc
    assert other_tool.added == [] and other_tool.conflicts == []
    assert table_dump(project) == dump


def test_nvivo_codebook_exports_to_valid_qdc_and_back(project, schema, tmp_path):
    project.load_codebook(read_qdc(NVIVO))
    out = write_qdc(project.codebook_tree(), tmp_path / "nvivo.qdc")
    schema.validate(str(out))
    assert [(p, n.guid) for p, n in read_qdc(out).walk()] == nvivo_codes()


FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="AnotherTool 2.0">
  <Codes>
    <Code guid="{0D2E6C1A-1111-4E2B-9C3D-2F1A0B9C8D7E}" name="Barriers/enablers" isCodable="false">
      <Description>Things that help or hinder.</Description>
      <Code guid="0d2e6c1a-2222-4e2b-9c3d-2f1a0b9c8d7e" name="time" isCodable="true"
            color="#FF0000"/>
      <Code guid="0d2e6c1a-3333-4e2b-9c3d-2f1a0b9c8d7e" name="time" isCodable="true"
            color="red"/>
    </Code>
  </Codes>
  <Sets>
    <Set guid="0d2e6c1a-4444-4e2b-9c3d-2f1a0b9c8d7e" name="Important">
      <MemberCode guid="0d2e6c1a-2222-4e2b-9c3d-2f1a0b9c8d7e"/>
    </Set>
  </Sets>
</CodeBook>
"""


def test_a_qdc_from_another_tool_is_read_leniently_with_notes(project, tmp_path):
    path = tmp_path / "Other Tool.qdc"
    path.write_text(FOREIGN, encoding="utf-8")
    tree = read_qdc(path)
    assert tree.name == "other_tool"
    assert [p for p, _ in tree.walk()] == ["Barriers-enablers", "Barriers-enablers/time",
                                           "Barriers-enablers/time (2)"]
    assert tree.codes[0].definition == "Things that help or hinder." and not tree.codes[0].codable
    assert tree.codes[0].guid == "0d2e6c1a-1111-4e2b-9c3d-2f1a0b9c8d7e"
    assert len(tree.notes) == 3  # the renamed category, the twin, the colour "red"
    assert tree.groups[0].codes == ["Barriers-enablers/time"] and not tree.groups[0].exclusive
    report = project.load_codebook(tree)
    assert len(report.added) == 3 and report.notes == tree.notes
    assert project.group("Important").exclusive is False


@pytest.mark.parametrize(("content", "message"), [
    (b"<CodeBook", "not valid XML"),
    (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "has no codes"),
    (b"<Other/>", "no <CodeBook>"),
])
def test_broken_qdc_files_are_reported(tmp_path, content, message):
    path = tmp_path / "x.qdc"
    path.write_bytes(content)
    with pytest.raises(qc.InputError, match=message) as info:
        read_qdc(path)
    assert str(info.value).startswith(str(path))


def test_a_qdpx_that_is_not_a_zip_is_reported(tmp_path):
    path = tmp_path / "x.qdpx"
    path.write_text("not a zip")
    with pytest.raises(qc.InputError, match="not a .qdpx"):
        read_qdc(path)
