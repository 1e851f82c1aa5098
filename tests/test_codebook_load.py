"""Loading codebooks into a project: merge by path, codings kept, conflicts reported, one change."""

from __future__ import annotations

import pytest
from testkit import table_dump

import qualcode as qc
from qualcode.ingest.codebook_yaml import read_codebook
from qualcode.ingest.shipped import shipped_codebook, shipped_codebooks

SHIPPED = sorted(shipped_codebooks().items())

BOOK = """\
codebook: barrierer
title: Barrierer i testen
codes:
  - name: Barrierer
    codable: false
    en: barriers
    children:
      - name: tid
        en: time
        definition: For lite tid til metoden.
        color: "#d62728"
        patterns: [ikke tid, for lite tid]
      - name: opplæring
        en: training
        definition: Opplæringen som hinder.
        include: Samlinger og kurs.
      - name: ny kode
        definition: Finnes ikke i prosjektet fra før.
  - name: Valens
    codable: false
    children:
      - name: fremmer
      - name: hemmer
groups:
  - name: valens
    en: valence
    codes: [Valens/fremmer, Valens/hemmer]
"""


def book(tmp_path, text=BOOK):
    path = tmp_path / "barrierer.yaml"
    path.write_text(text, encoding="utf-8")
    return read_codebook(path)


@pytest.mark.parametrize(("name", "path"), SHIPPED, ids=[n for n, _ in SHIPPED])
def test_shipped_codebook_loads_into_a_new_project_as_one_change(project, name, path):
    tree = read_codebook(path)
    report = project.load_codebook(tree)
    assert report.conflicts == [] and report.unchanged == []
    assert report.added == [p for p, _ in tree.walk()]
    codes = {c.path: c for c in project.codes()}
    assert list(codes) == [p for p, _ in tree.walk()]  # same order as the file
    for path_, node in tree.walk():
        code = codes[path_]
        assert (code.en, code.description, code.include, code.exclude, code.example,
                code.color, code.codable, list(code.patterns), code.codebook) == \
               (node.en, node.definition, node.include, node.exclude, node.example,
                node.color, node.codable, node.patterns, name)
    for group in tree.groups:
        loaded = project.group(group.name)
        assert [project.code(i).path for i in loaded.code_ids] == group.codes
        assert loaded.exclusive == group.exclusive and loaded.en == group.en
    assert [e.action for e in project.history()] == ["load codebook"]
    again = project.codebook_tree(name)
    assert (again.title, again.en, again.description, again.source) == \
           (tree.title, tree.en, tree.description, tree.source)
    assert project.load_codebook(tree).event_id is None  # loading it again changes nothing


def test_all_shipped_codebooks_load_side_by_side(project):
    for _, path in SHIPPED:
        project.load_codebook(read_codebook(path))
    assert project.codebook_names() == sorted(n for n, _ in SHIPPED)
    assert len(project.codes()) == sum(len(list(read_codebook(p).walk())) for _, p in SHIPPED)


def test_merge_by_path_keeps_codes_ids_guids_and_codings(small, tmp_path):
    src = small.source("kontor02_T2")
    start = src.text.index("Vi fikk ikke tid.")
    coding = small.code_span(src, start, start + 17, "Barrierer/tid")
    before = {c.path: (c.id, c.guid) for c in small.codes()}
    report = small.load_codebook(book(tmp_path))
    after = {c.path: (c.id, c.guid) for c in small.codes()}
    assert all(after[p] == before[p] for p in before)
    assert small.coding(coding.id).code_id == before["Barrierer/tid"][0]
    assert report.added == ["Barrierer/ny kode", "Valens", "Valens/fremmer", "Valens/hemmer"]
    assert small.code("Barrierer/ny kode").codebook == "barrierer"
    assert small.code("Barrierer/tid").codebook == "barrierer"  # was empty: now filled
    assert ("Barrierer/tid", "definition") in report.filled
    assert small.code("Barrierer/tid").description == "For lite tid til metoden."
    assert small.code("Barrierer/tid").patterns == ("ikke tid", "for lite tid")
    assert report.groups_added == ["valens"]


def test_conflicting_definitions_are_reported_and_kept(small, tmp_path):
    small.update_code("Barrierer/opplæring", description="Samlingene.", en="courses")
    report = small.load_codebook(book(tmp_path))
    assert sorted((c.path, c.field) for c in report.conflicts) == [
        ("Barrierer/opplæring", "definition"), ("Barrierer/opplæring", "en")]
    conflict = next(c for c in report.conflicts if c.field == "definition")
    assert (conflict.project, conflict.codebook) == ("Samlingene.", "Opplæringen som hinder.")
    assert str(conflict) == ("Barrierer/opplæring: definition differs (project: 'Samlingene.'; "
                             "codebook: 'Opplæringen som hinder.')")
    code = small.code("Barrierer/opplæring")
    assert (code.description, code.en, code.include) == ("Samlingene.", "courses",
                                                         "Samlinger og kurs.")
    assert any(line.startswith("conflict: Barrierer/opplæring: definition differs")
               for line in report.lines())


def test_update_takes_the_codebook_values_in_one_undoable_change(small, tmp_path):
    small.update_code("Barrierer/opplæring", description="Samlingene.")
    small.update_code("Barrierer/tid", color="#000000")
    dump = table_dump(small)
    report = small.load_codebook(book(tmp_path), update=True)
    assert sorted((c.path, c.field) for c in report.updated) == [
        ("Barrierer/opplæring", "definition"), ("Barrierer/tid", "color")]
    assert report.conflicts == []
    assert small.code("Barrierer/opplæring").description == "Opplæringen som hinder."
    assert small.code("Barrierer/tid").color == "#d62728"
    assert small.history(1)[0].id == report.event_id
    small.undo()
    assert table_dump(small) == dump


def test_a_category_with_codings_is_not_made_uncodable_by_update(small, tmp_path):
    src = small.source("kontor02_T2")
    small.code_span(src, 0, 5, "Barrierer/tid")
    text = BOOK.replace("      - name: tid\n", "      - name: tid\n        codable: false\n")
    report = small.load_codebook(book(tmp_path, text), update=True)
    assert [(c.path, c.field) for c in report.conflicts] == [("Barrierer/tid", "codable")]
    assert small.code("Barrierer/tid").codable


def test_groups_are_merged_by_name(small, tmp_path):
    small.add_code("Valens", codable=False)
    small.add_code("fremmer", "Valens")
    small.add_group("valens", ["Valens/fremmer"])
    report = small.load_codebook(book(tmp_path))
    assert report.groups_merged == ["valens"] and report.groups_added == []
    assert [small.code(i).path for i in small.group("valens").code_ids] == \
           ["Valens/fremmer", "Valens/hemmer"]
    assert small.group("valens").en == "valence"  # empty before: filled


def test_merge_by_guid_finds_a_renamed_code(project):
    tree = read_codebook(shipped_codebook("dreyfus"))
    project.load_codebook(tree)
    exported = project.codebook_tree("dreyfus")
    project.rename_code("Dreyfus/ekspert", "ekspertnivå")
    report = project.load_codebook(exported)  # carries the GUIDs
    assert report.added == []
    assert "Dreyfus/ekspertnivå" in {c.path for c in project.codes()}
    assert "Dreyfus/ekspert" not in {c.path for c in project.codes()}


def test_a_whole_load_is_undone_in_one_step(small, tmp_path):
    dump = table_dump(small)
    n_events = len(small.history())
    small.load_codebook(book(tmp_path))
    assert len(small.history()) == n_events + 1
    small.undo()
    assert table_dump(small) == dump
    small.redo()
    assert small.code("Valens/hemmer").codebook == "barrierer"


def test_a_group_naming_a_code_outside_the_tree_changes_nothing(small, tmp_path):
    tree = book(tmp_path)
    tree.groups[0].codes.append("Valens/ukjent")
    dump = table_dump(small)
    with pytest.raises(qc.InvalidOperation, match="Valens/ukjent"):
        small.load_codebook(tree)
    assert table_dump(small) == dump


def test_codebook_title_and_source_are_kept_beside_the_codes_not_among_the_memos(tmp_path):
    import qualcode as qc
    from qualcode.ingest.codebook_yaml import read_codebook
    from qualcode.ingest.shipped import shipped_codebook

    with qc.create_project(tmp_path / "p.qualcode") as p:
        p.load_codebook(read_codebook(shipped_codebook("dreyfus")))
        assert p.memos() == []
        tree = p.codebook_tree("dreyfus")
        assert tree.title and "Dreyfus" in tree.source
        p.undo()
        assert p.conn.execute("SELECT count(*) FROM codebooks").fetchone()[0] == 0
