"""The bulk codings path: many codings are one change, one small undo record, checked in bulk."""

from __future__ import annotations

import json

import pytest
from testkit import table_dump

import qualcode as qc
from qualcode.core.model import NewCoding

WORDS = "Lederen vår støttet oss 😅, men det ble for mange verktøy på én gang. "


@pytest.fixture
def many(project):
    """Forty sources, a code tree with an exclusive group, and two coders."""
    for i in range(40):
        project.add_source(f"intervju{i:02d}", WORDS * 30)
    top = project.add_code("Barrierer", codable=False)
    for name in ("tid", "opplæring", "ledelse"):
        project.add_code(name, top)
    stage = project.add_code("Dreyfus", codable=False)
    project.add_code("nybegynner", stage)
    project.add_code("kompetent", stage)
    project.add_group("stadium", ["Dreyfus/nybegynner", "Dreyfus/kompetent"])
    project.coder("ane")
    project.coder("bjørn")
    return project


def ids(p, *paths):
    return [p.code(path).id for path in paths]


def batch(p, n_per_source=50):
    tid, opp, led = ids(p, "Barrierer/tid", "Barrierer/opplæring", "Barrierer/ledelse")
    coders = [c.id for c in p.coders()]
    items = []
    for src in p.sources():
        for k in range(n_per_source):
            start = (k * 37) % (len(src.text) - 40)
            items.append(NewCoding(src.id, start, start + 20 + k % 7, (tid, opp, led)[k % 3],
                                   coders[k % 2]))
    return list(dict.fromkeys(items))


def event_rows(p):
    return p.conn.execute("SELECT action, ops FROM events ORDER BY id").fetchall()


def test_many_codings_are_one_event_with_a_small_undo_record(many):
    items = batch(many)
    events = len(event_rows(many))
    added = many.add_codings(items, origin="import")
    assert len(added.ids) == len(items) > 1500 and not added.refused
    rows = event_rows(many)
    assert len(rows) == events + 1
    assert len(rows[-1]["ops"]) < 300  # an id range and a digest, not one key per coding
    frame = many.codings()
    assert len(frame) == len(items) and set(frame.origin) == {"import"}


def test_undo_and_redo_of_a_bulk_insert(many):
    before = table_dump(many)
    added = many.add_codings(batch(many))
    after = table_dump(many)
    many.undo(anyone=True)
    assert table_dump(many) == before
    many.redo(anyone=True)
    assert table_dump(many) == after
    assert [c.id for c in many.codings_of("intervju00")] == sorted(
        i for i in added.ids if many.coding(i).source_id == many.source("intervju00").id)


def test_undo_is_refused_when_a_row_of_the_bulk_insert_was_removed_since(many):
    many.coder_name = "ane"
    added = many.add_codings(batch(many, 5))
    other = qc.open_project(many.path, coder="bjørn")
    other.uncode(added.ids[3])
    before = table_dump(many)
    with pytest.raises(qc.InvalidOperation, match="changed since"):
        many.undo()
    assert table_dump(many) == before
    other.close()


def test_undo_is_refused_when_a_row_in_the_range_is_another_row_now(many):
    added = many.add_codings(batch(many, 5))
    row = dict(many.conn.execute("SELECT * FROM codings WHERE id = ?", [added.ids[2]]).fetchone())
    # The same id now holds a different coding (as a table without AUTOINCREMENT may reuse ids).
    many.conn.execute("DELETE FROM codings WHERE id = ?", [row["id"]])
    many.conn.execute("INSERT INTO codings (id, guid, source_id, start, \"end\", code_id, "
                      "coder_id, origin, created_at) VALUES (?, 'another', ?, 0, 1, ?, ?, "
                      "'manual', 'now')", [row["id"], row["source_id"], row["code_id"],
                                           row["coder_id"]])
    with pytest.raises(qc.InvalidOperation, match="changed since"):
        many.undo(anyone=True)


def test_each_rule_of_a_single_coding_is_checked_and_reported_per_item(many):
    src = many.source("intervju00")
    tid, novice, competent = ids(many, "Barrierer/tid", "Dreyfus/nybegynner", "Dreyfus/kompetent")
    category = many.code("Barrierer").id
    ane, bjorn = many.coder("ane").id, many.coder("bjørn").id
    many.code_span(src, 0, 10, "Barrierer/tid", coder="ane")
    many.code_span(src, 100, 120, "Dreyfus/kompetent", coder="ane")
    good = [NewCoding(src.id, 0, 10, tid, bjorn), NewCoding(src.id, 100, 120, novice, bjorn),
            NewCoding(src.id, 200, 220, novice, ane), NewCoding(src.id, 230, 240, competent, ane)]
    bad = {
        NewCoding(src.id, 0, 10, tid, ane): "already coded",
        NewCoding(src.id, 5, 5, tid, ane): "empty span",
        NewCoding(src.id, 5, len(src.text) + 1, tid, ane): "outside",
        NewCoding(src.id, 5, 9, category, ane): "category",
        NewCoding(src.id, 110, 130, novice, ane): "exclusive",  # overlaps the stored kompetent
        NewCoding(src.id, 210, 235, competent, ane): "exclusive",  # overlaps a new nybegynner
        NewCoding(src.id, 3, 9, 9999, ane): "no code",
        NewCoding(src.id, 3, 9, tid, 9999): "no coder",
        NewCoding(9999, 3, 9, tid, ane): "no source",
        NewCoding(src.id, 1.5, 9, tid, ane): "whole numbers",
    }
    items = good[:2] + list(bad) + good[2:] + [good[0]]  # the last one repeats an earlier item
    before = table_dump(many)
    with pytest.raises(qc.InvalidOperation, match="already coded"):
        many.add_codings(items)
    assert table_dump(many) == before
    added = many.add_codings(items, skip_invalid=True)
    assert len(added.ids) == 4
    reasons = [reason for _, reason in added.refused]
    assert [item for item, _ in added.refused[:-1]] == list(bad)
    for reason, expected in zip(reasons, [*bad.values(), "already coded"], strict=True):
        assert expected in reason
    assert {(c.start, c.end, c.code_id, c.coder_id) for c in map(many.coding, added.ids)} == \
        {(c.start, c.end, c.code_id, c.coder_id) for c in good}


def test_skip_existing_leaves_out_codings_already_there(many):
    items = batch(many, 10)
    first = many.add_codings(items[:100])
    again = many.add_codings(items, skip_existing=True)
    assert len(first.ids) + len(again.ids) == len(items) and not again.refused


def test_checks_cost_one_query_per_source_not_per_coding(many):
    items = batch(many)
    statements = []
    many.conn.set_trace_callback(statements.append)
    many.add_codings(items)
    many.conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(items) > 1500 and len(selects) <= len(many.sources()) + 10


def test_code_many_is_one_event_and_keeps_its_rules(many):
    src = many.source("intervju01")
    events = len(event_rows(many))
    ids_ = many.code_many([(src, 0, 5, "Barrierer/tid"), (src, 6, 9, "Barrierer/ledelse"),
                           ("intervju02", 0, 5, "Dreyfus/nybegynner")], coder="ane")
    assert len(ids_) == 3 and len(event_rows(many)) == events + 1
    ops = json.loads(event_rows(many)[-1]["ops"])
    assert [op["t"] for op in ops] == ["codings"]
    with pytest.raises(qc.InvalidOperation, match="exclusive"):
        many.code_many([("intervju02", 3, 8, "Dreyfus/kompetent")], coder="ane")
