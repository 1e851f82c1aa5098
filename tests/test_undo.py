"""Undo and redo round-trip every kind of change (property test over random sequences)."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import table_dump

import qualcode as qc

TEXT = "IP: Vi får ikke tid 😅, men lederen støtter oss. Æ ø å.\nI: Og skjemaene?\n"

# Each operation draws its arguments from small pools so that sequences hit real conflicts.
NAMES = st.sampled_from(["tid", "ledelse", "opplæring", "skjema", "tillit"])
OPS = st.one_of(
    st.tuples(st.just("add_code"), NAMES, st.integers(0, 3)),
    st.tuples(st.just("rename_code"), st.integers(0, 9), NAMES),
    st.tuples(st.just("move_code"), st.integers(0, 9), st.integers(-1, 9)),
    st.tuples(st.just("merge_codes"), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just("delete_code"), st.integers(0, 9),
              st.sampled_from(["refuse", "delete", "parent"])),
    st.tuples(st.just("update_code"), st.integers(0, 9), st.sampled_from(["#ff0000", "#00f"])),
    st.tuples(st.just("code_span"), st.integers(0, 60), st.integers(1, 30), st.integers(0, 9),
              st.sampled_from(["ane", "bjørn"])),
    st.tuples(st.just("uncode"), st.integers(0, 20)),
    st.tuples(st.just("coding_memo"), st.integers(0, 20), st.text(max_size=5)),
    st.tuples(st.just("add_source"), st.sampled_from(["a", "b"]), st.sampled_from(["c1", None])),
    st.tuples(st.just("delete_source"), st.sampled_from(["a", "b", "int"]), st.booleans()),
    st.tuples(st.just("add_case"), st.sampled_from(["c1", "c2"]), st.sampled_from(["c1", None])),
    st.tuples(st.just("set_attribute"), st.sampled_from(["role", "time"]),
              st.sampled_from(["T1", 2, True, None, dt.date(2012, 9, 12)]), st.booleans()),
    st.tuples(st.just("memo"), st.sampled_from(["project", "code", "source"]), st.text(min_size=1,
                                                                                       max_size=5)),
    st.tuples(st.just("group"), st.sampled_from(["g1", "g2"]), st.integers(0, 9),
              st.integers(0, 9)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


SETUP_EVENTS = 2  # the test's own setup: one source, one code; the sequence never undoes them


def done_since(p: qc.Project, event_id: int) -> bool:
    return p.conn.execute("SELECT 1 FROM events WHERE state = 'done' AND id > ?",
                          [event_id]).fetchone() is not None


def pick(items, i):
    return items[i % len(items)] if items else None


def apply(p: qc.Project, op) -> None:
    codes = p.codes()
    codings = p.conn.execute("SELECT id FROM codings ORDER BY id").fetchall()
    kind, *args = op
    if kind == "add_code":
        p.add_code(args[0], pick(codes, args[1]) if args[1] and codes else None)
    elif kind == "rename_code" and codes:
        p.rename_code(pick(codes, args[0]), args[1])
    elif kind == "move_code" and codes:
        p.move_code(pick(codes, args[0]), None if args[1] < 0 else pick(codes, args[1]))
    elif kind == "merge_codes" and codes:
        p.merge_codes(pick(codes, args[0]), pick(codes, args[1]))
    elif kind == "delete_code" and codes:
        p.delete_code(pick(codes, args[0]), codings=args[1])
    elif kind == "update_code" and codes:
        p.update_code(pick(codes, args[0]), color=args[1], codable=True)
    elif kind == "code_span" and codes:
        start, length, code, coder = args
        p.code_span("int", start, start + length, pick(codes, code), coder=coder)
    elif kind == "uncode" and codings:
        p.uncode(pick(codings, args[0])[0])
    elif kind == "coding_memo" and codings:
        p.set_coding_memo(pick(codings, args[0])[0], args[1])
    elif kind == "add_source":
        p.add_source(args[0], TEXT, case=args[1], turns=[("IP", 0, 10)])
    elif kind == "delete_source":
        p.delete_source(args[0], with_codings=args[1])
    elif kind == "add_case":
        p.add_case(args[0], parent=args[1])
    elif kind == "set_attribute":
        name, value, on_case = args
        p.set_attribute(name, value, **({"case": "c1"} if on_case else {"source": "int"}))
    elif kind == "memo":
        target = {"project": {}, "code": {"code": pick(codes, 0)}, "source": {"source": "int"}}
        p.add_memo(args[1], **(target[args[0]] if args[0] != "code" or codes else {}))
    elif kind == "group" and codes:
        p.add_group(args[0], [pick(codes, args[1]), pick(codes, args[2])])
    elif kind == "undo" and done_since(p, SETUP_EVENTS):
        p.undo()
    elif kind == "redo":
        p.redo()


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, min_size=1, max_size=25))
def test_random_changes_undone_fully_restore_the_start_and_redo_restores_the_end(tmp_path_factory,
                                                                                 ops):
    path = tmp_path_factory.mktemp("undo") / "p.qualcode"
    with qc.create_project(path, coder="ane") as p:
        p.add_source("int", TEXT)
        p.add_code("tid")
        assert p.conn.execute("SELECT max(id) FROM events").fetchone()[0] == SETUP_EVENTS
        start = table_dump(p)
        for op in ops:
            # refused operations must change nothing; the comparisons below check that
            with contextlib.suppress(qc.QualcodeError):
                apply(p, op)
        while p.redo() is not None:  # bring back what the sequence itself left undone
            pass
        end = table_dump(p)
        while done_since(p, SETUP_EVENTS):
            p.undo()
        assert_same(table_dump(p), start)
        while p.redo() is not None:
            pass
        assert_same(table_dump(p), end)

def assert_same(actual, expected):
    for name in expected:
        assert actual[name] == expected[name], name


def test_a_new_change_after_undo_discards_the_redo_chain(small):
    src = small.source("kontor02_T2")
    small.code_span(src, 0, 3, "Barrierer/tid")
    small.undo()
    small.code_span(src, 5, 9, "Barrierer/tid")
    assert small.redo() is None
    assert [(r.start, r.end) for r in small.codings().itertuples()] == [(5, 9)]


def test_undo_reports_what_it_undid(small):
    small.rename_code("Barrierer/tid", "tidspress")
    event = small.undo()
    assert (event.action, event.summary) == ("edit code", "Barrierer/tid")
    assert small.code("Barrierer/tid")


def two_coders(path):
    ane = qc.create_project(path, coder="ane")
    ane.add_source("int", TEXT)
    ane.add_code("tid")
    return ane, qc.open_project(path, coder="bjørn")


def test_each_coder_undoes_their_own_changes_in_a_shared_file(tmp_path):
    ane, bjorn = two_coders(tmp_path / "p.qualcode")
    ane.code_span("int", 0, 10, "tid")
    bjorn.code_span("int", 20, 30, "tid")
    event = ane.undo()
    assert event.coder == "ane" and event.action == "code"
    assert [(r.coder, r.start) for r in ane.codings().itertuples()] == [("bjørn", 20)]
    ane.redo()
    assert sorted(ane.codings().coder) == ["ane", "bjørn"]
    assert bjorn.undo().coder == "bjørn"
    assert list(ane.codings().coder) == ["ane"]


def test_undo_is_refused_when_someone_changed_the_same_data_since(tmp_path):
    ane, bjorn = two_coders(tmp_path / "p.qualcode")
    ane.rename_code("tid", "tidspress")
    bjorn.rename_code("tidspress", "tidsklemme")
    before = table_dump(ane)
    with pytest.raises(qc.InvalidOperation, match=r"cannot undo 'edit code' \(tid\): the same "
                                                   r"data was changed since"):
        ane.undo()
    assert table_dump(ane) == before
    bjorn.add_code("ledelse")
    ane.code_span("int", 0, 5, "ledelse")
    with pytest.raises(qc.InvalidOperation, match="cannot undo 'add code'"):
        bjorn.undo()  # ane's coding uses the code
    assert table_dump(ane)["codings"]
    assert ane.undo(anyone=True).coder == "ane"  # the latest change by anyone: ane's coding
    assert bjorn.undo().action == "add code"
