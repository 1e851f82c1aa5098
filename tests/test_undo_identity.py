"""Undo and redo touch only the rows their change wrote, even when ids could repeat."""

from __future__ import annotations

import pytest
from testkit import table_dump

import qualcode as qc

TEXT = "IP: Vi får ikke tid, men lederen støtter oss.\nI: Og skjemaene?\n"


def two_coders(path):
    anne = qc.create_project(path, coder="anne")
    anne.add_source("int", TEXT)
    anne.add_code("tid")
    return anne, qc.open_project(path, coder="bob")


def test_undoing_a_coding_never_deletes_a_later_coding_by_someone_else(tmp_path):
    anne, bob = two_coders(tmp_path / "p.qualcode")
    first = anne.code_span("int", 0, 10, "tid")
    bob.uncode(first.id)
    second = bob.code_span("int", 20, 30, "tid")
    assert second.id != first.id  # ids are never reused
    with pytest.raises(qc.InvalidOperation, match="cannot undo 'code'"):
        anne.undo()
    assert [(c.start, c.coder_id) for c in anne.codings_of("int")] == [(20, second.coder_id)]


def test_undoing_a_new_code_never_deletes_a_later_code_by_someone_else(tmp_path):
    anne, bob = two_coders(tmp_path / "p.qualcode")
    mine = anne.add_code("ledelse")
    bob.delete_code("ledelse")
    theirs = bob.add_code("opplæring")
    assert theirs.id != mine.id
    before = table_dump(anne)
    with pytest.raises(qc.InvalidOperation, match="cannot undo 'add code'"):
        anne.undo()
    assert table_dump(anne) == before


def test_redoing_a_removal_never_deletes_a_later_coding_by_someone_else(tmp_path):
    anne, bob = two_coders(tmp_path / "p.qualcode")
    coding = bob.code_span("int", 0, 10, "tid")
    anne.uncode(coding.id)
    anne.undo()  # the coding is back, under its own id
    bob.uncode(coding.id)
    again = bob.code_span("int", 0, 10, "tid")
    before = table_dump(anne)
    with pytest.raises(qc.InvalidOperation, match="cannot redo 'uncode'"):
        anne.redo()
    assert table_dump(anne) == before
    assert anne.coding(again.id)


def test_undo_is_refused_when_someone_edited_a_row_the_change_inserted(tmp_path):
    anne, bob = two_coders(tmp_path / "p.qualcode")
    anne.add_code("ledelse")
    bob.update_code("ledelse", description="Lederens støtte")
    with pytest.raises(qc.InvalidOperation, match="cannot undo 'add code'"):
        anne.undo()
    assert anne.code("ledelse").description == "Lederens støtte"
    bob.undo()
    assert anne.undo().action == "add code"  # as anne left it again: undo goes ahead
    assert anne.redo().action == "add code"
    assert anne.code("ledelse").description is None


def test_redoing_a_removal_is_refused_when_someone_edited_the_row_since(tmp_path):
    anne, bob = two_coders(tmp_path / "p.qualcode")
    coding = anne.code_span("int", 0, 10, "tid")
    anne.uncode(coding.id)
    anne.undo()
    bob.set_coding_memo(coding.id, "bob's thought")
    with pytest.raises(qc.InvalidOperation, match="cannot redo 'uncode'"):
        anne.redo()
    assert anne.coding(coding.id).memo == "bob's thought"
