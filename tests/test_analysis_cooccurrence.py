"""Co-occurrence counts against hand-computed projects and a brute-force reference."""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import run_qualcode

import qualcode as qc

TEXT = ("Vi fikk for mange verktøy på én gang, og det var ikke tid til å øve mellom samlingene. "
        "Lederen støttet oss likevel, og etter hvert ble det bedre.")  # 143 characters


def row(frame, code1, code2):
    hit = frame[((frame.code1 == code1) & (frame.code2 == code2))
                | ((frame.code1 == code2) & (frame.code2 == code1))]
    assert len(hit) == 1, f"no single row for {code1} × {code2}"
    return hit.iloc[0]


@pytest.fixture
def spans(project):
    """A, B, C on one source by two coders (ane, bo):
    ane: A [0,10) B [10,20) touching; A [30,60) with B [35,40) nested and C [30,60) the same span
    bo:  A [30,60) and C [30,60), the same span as ane's."""
    src = project.add_source("s1", TEXT)
    a, b, c = (project.add_code(n) for n in "ABC")
    ids = {}
    for name, code, start, end, coder in [
            ("A1", a, 0, 10, "ane"), ("B1", b, 10, 20, "ane"), ("A2", a, 30, 60, "ane"),
            ("B2", b, 35, 40, "ane"), ("C1", c, 30, 60, "ane"), ("A3", a, 30, 60, "bo"),
            ("C2", c, 30, 60, "bo")]:
        ids[name] = project.code_span(src, start, end, code, coder=coder).id
    return ids


def test_touching_spans_do_not_overlap_and_nested_spans_do(project, spans):
    frame = project.cooccurrence()
    ab = row(frame, "A", "B")
    assert (ab.n1, ab.n2, ab.n12, ab.pairs) == (3, 2, 1, 1)  # only A2 ⊃ B2; A1|B1 touch
    assert ab.c == pytest.approx(1 / (3 + 2 - 1))
    assert set(ab.coding_ids) == {spans["A2"], spans["B2"]}
    bc = row(frame, "B", "C")
    assert (bc.n12, bc.c) == (1, pytest.approx(1 / 3))


def test_the_same_codes_on_one_span_count_once_per_coder(project, spans):
    ac = row(project.cooccurrence(), "A", "C")
    assert (ac.n1, ac.n2, ac.n12, ac.pairs) == (3, 2, 2, 2)  # ane's pair and bo's pair
    assert ac.c == pytest.approx(2 / 3)
    assert set(ac.coding_ids) == {spans["A2"], spans["C1"], spans["A3"], spans["C2"]}
    # taken together, the coders' identical spans are one coding each
    pooled = row(project.cooccurrence(pool_coders=True), "A", "C")
    assert (pooled.n1, pooled.n2, pooled.n12) == (2, 1, 1)
    assert set(pooled.coding_ids) == {spans["A2"], spans["C1"], spans["A3"], spans["C2"]}
    # one coder alone
    bo = project.cooccurrence(coders=["bo"])
    assert list(zip(bo.code1, bo.code2, bo.n12, strict=True)) == [("A", "C", 1)]


def test_a_long_coding_over_three_short_ones_is_one_cooccurrence(project):
    src = project.add_source("s1", TEXT)
    long, short = project.add_code("lang"), project.add_code("kort")
    project.code_span(src, 0, 100, long)
    for start in (0, 20, 50):
        project.code_span(src, start, start + 5, short)
    r = row(project.cooccurrence(), "lang", "kort")
    assert (r.n1, r.n2, r.pairs, r.n12) == (1, 3, 3, 1)
    assert r.c == pytest.approx(1 / 3)


def test_within_n_characters(project):
    src = project.add_source("s1", TEXT)
    x, y = project.add_code("X"), project.add_code("Y")
    project.code_span(src, 0, 10, x)
    project.code_span(src, 15, 20, y)  # 5 characters after X ends
    assert project.cooccurrence(unit="overlap", codes=[x, y]).n12.tolist() == [0]
    assert project.cooccurrence(unit="within", distance=4, codes=[x, y]).n12.tolist() == [0]
    assert project.cooccurrence(unit="within", distance=5, codes=[x, y]).n12.tolist() == [1]


def test_units_turn_source_and_case(project):
    office = project.add_case("kontor05", "office")
    one = project.add_source("s1", TEXT, case=office, turns=[("I", 0, 50), ("IP", 50, 143)])
    two = project.add_source("s2", TEXT, case=office)
    three = project.add_source("s3", TEXT)  # no case: a case of its own
    x, y = project.add_code("X"), project.add_code("Y")
    project.code_span(one, 0, 10, x)
    project.code_span(one, 60, 70, y)   # same source, another turn
    project.code_span(one, 40, 55, y)   # across both turns
    project.code_span(two, 0, 5, x)
    project.code_span(three, 0, 5, y)
    turn = row(project.cooccurrence(unit="turn"), "X", "Y")
    assert (turn.n1, turn.n2, turn.n12, turn.pairs) == (1, 2, 1, 1)  # turn 1: X and the crossing Y
    source = row(project.cooccurrence(unit="source"), "X", "Y")
    assert (source.n1, source.n2, source.n12, source.pairs) == (2, 2, 1, 2)
    case = row(project.cooccurrence(unit="case"), "X", "Y")
    assert (case.n1, case.n2, case.n12, case.pairs) == (1, 2, 1, 4)  # kontor05 and s3
    assert len(case.coding_ids) == 5 - 1  # s3's Y is in another case


def test_filters_roll_up_descendants_and_attributes(project):
    office = project.add_case("kontor02", "office")
    project.set_attribute("role", "KVP-veileder", case=office)
    one = project.add_source("s1", TEXT, case=office)
    two = project.add_source("s2", TEXT)
    theme = project.add_code("Tema", codable=False)
    t1, t2 = project.add_code("tid", theme), project.add_code("ledelse", theme)
    valence = project.add_code("hemmer")
    for src in (one, two):
        project.code_span(src, 0, 20, t1)
        project.code_span(src, 10, 30, t2)
        project.code_span(src, 15, 25, valence)
    rolled = project.cooccurrence(codes=["Tema", "hemmer"], roll_up=True)
    assert rolled[["code1", "code2", "n1", "n2", "n12", "pairs"]].values.tolist() == [
        ["Tema", "hemmer", 4, 2, 2, 4]]
    inner = project.cooccurrence(codes=["Tema"], descendants=True)
    assert inner[["code1", "code2", "n12"]].values.tolist() == [
        ["Tema", "Tema/tid", 0], ["Tema", "Tema/ledelse", 0], ["Tema/tid", "Tema/ledelse", 2]]
    only = project.cooccurrence(attributes={"role": "KVP-veileder"})
    assert only.n12.tolist() == [1, 1, 1]
    assert project.cooccurrence(sources=["s2"]).n12.tolist() == [1, 1, 1]
    with pytest.raises(qc.InvalidOperation, match="unit 'paragraf'"):
        project.cooccurrence(unit="paragraf")


def test_every_pair_of_codings_by_any_coders(project, spans):
    """coder_pairs="any": what other tools count. bo's A [30,60) meets ane's B and C too, and
    the coders' identical A and C spans are two codings each."""
    frame = project.cooccurrence(coder_pairs="any")
    ac = row(frame, "A", "C")
    assert (ac.n1, ac.n2, ac.n12, ac.pairs) == (3, 2, 1, 4)  # A2, A3 × C1, C2: one set
    assert set(ac.coding_ids) == {spans["A2"], spans["A3"], spans["C1"], spans["C2"]}
    ab = row(frame, "A", "B")
    assert (ab.n1, ab.n2, ab.n12, ab.pairs) == (3, 2, 1, 2)  # A2 ⊃ B2 and bo's A3 ⊃ B2
    assert set(ab.coding_ids) == {spans["A2"], spans["A3"], spans["B2"]}
    within = row(project.cooccurrence(), "A", "B")
    assert (within.n12, within.pairs) == (1, 1)  # bo's A3 and ane's B2: different coders


@pytest.mark.parametrize("unit", ["overlap", "within", "source", "turn"])
def test_codes_by_two_coders_on_one_passage_co_occur_only_across_coders(project, unit):
    project.add_source("s1", TEXT, turns=[("IP", 0, 143)])
    for name in "AB":
        project.add_code(name)
    a = project.code_span("s1", 0, 20, "A", coder="kari").id
    b = project.code_span("s1", 10, 30, "B", coder="ola").id
    kinds = {mode: row(project.cooccurrence(unit=unit, distance=3, codes=["A", "B"],
                                            coder_pairs=mode), "A", "B")
             for mode in ("within", "pooled", "any")}
    assert (kinds["within"].n12, kinds["within"].pairs) == (0, 0)
    for mode in ("pooled", "any"):
        assert (kinds[mode].n1, kinds[mode].n2, kinds[mode].n12, kinds[mode].pairs) == (
            1, 1, 1, 1), mode
        assert set(kinds[mode].coding_ids) == {a, b}


@pytest.mark.parametrize("unit", ["overlap", "source"])
def test_any_coders_with_roll_up_count_each_coders_span_once(project, unit):
    """Two sub-codes rolled up on one coder's span are one coding of the theme; the other
    coder's identical span is another."""
    project.add_source("s1", TEXT)
    theme = project.add_code("Tema", codable=False)
    for name in ("a1", "a2"):
        project.add_code(name, theme)
    project.add_code("B")
    ids = [project.code_span("s1", 0, 10, "Tema/a1", coder="kari").id,
           project.code_span("s1", 0, 10, "Tema/a2", coder="kari").id,
           project.code_span("s1", 0, 10, "Tema/a1", coder="ola").id,
           project.code_span("s1", 5, 15, "B", coder="kari").id]
    r = row(project.cooccurrence(unit=unit, codes=["Tema", "B"], roll_up=True,
                                 coder_pairs="any"), "Tema", "B")
    assert (r.n1, r.n2, r.n12, r.pairs) == ((2, 1, 1, 2) if unit == "overlap" else (1, 1, 1, 2))
    assert set(r.coding_ids) == set(ids)


def test_coder_pairs_is_one_of_three_and_agrees_with_pool_coders(project, spans):
    with pytest.raises(qc.InvalidOperation, match="coder_pairs 'all' is not one of within, "
                                                  "pooled, any"):
        project.cooccurrence(coder_pairs="all")
    with pytest.raises(qc.InvalidOperation, match="contradict"):
        project.cooccurrence(pool_coders=True, coder_pairs="any")
    assert project.cooccurrence(pool_coders=True, coder_pairs="pooled").equals(
        project.cooccurrence(pool_coders=True))


def test_cooccurrence_matrix_is_symmetric(project, spans):
    from qualcode.analysis.cooccurrence import cooccurrence_matrix
    m = cooccurrence_matrix(project.cooccurrence(), "n12")
    assert m.loc["A", "C"] == m.loc["C", "A"] == 2
    assert m.loc["A", "B"] == 1


# -- brute force ------------------------------------------------------------------------------

def linked(p, q, unit, distance, any_coder=False):
    if p[0] != q[0] or (p[1] != q[1] and not any_coder):  # another source or coder
        return False
    gap = max(p[3], q[3]) - min(p[4], q[4])
    return gap < 0 if unit == "overlap" else gap <= distance


def connected_sets(edges):
    parent = {}

    def find(n):
        while parent.setdefault(n, n) != n:
            n = parent[n]
        return n
    for p, q in edges:
        parent[find(p)] = find(q)
    return len({find(n) for e in edges for n in e})


def reference(codings, unit, distance=0, mode="within", turns=None):
    """n1, n12, pairs per code pair, by the definitions in qualcode.analysis.cooccurrence."""
    if mode == "pooled":
        codings = list({(s, 0, code, a, b): None for s, _, code, a, b in codings})
    codes = sorted({c[2] for c in codings})
    any_coder = mode == "any"

    def units(c):
        s, coder, _, a, b = c
        if any_coder:  # a unit holds every coder's codings; each coding still counts in pairs
            return {(s, "all")} if unit == "source" else {
                (s, "all", n) for n, (ta, tb) in enumerate(turns) if ta < b and tb > a}
        if unit == "source":
            return {(s, coder)}
        return {(s, coder, n) for n, (ta, tb) in enumerate(turns) if ta < b and tb > a}

    result = {}
    for x, y in itertools.combinations(codes, 2):
        xs = [c for c in codings if c[2] == x]
        ys = [c for c in codings if c[2] == y]
        if unit in ("overlap", "within"):
            edges = [(p, q) for p in xs for q in ys
                     if linked(p, q, unit, distance, any_coder)]
            result[(x, y)] = (len(xs), len(ys), connected_sets(edges), len(edges))
        else:
            ux = [u for c in xs for u in units(c)]
            uy = [u for c in ys for u in units(c)]
            shared = set(ux) & set(uy)
            pairs = sum(ux.count(u) * uy.count(u) for u in shared)
            result[(x, y)] = (len(set(ux)), len(set(uy)), len(shared), pairs)
    return result


coding_lists = st.lists(
    st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 2), st.integers(0, 50),
              st.integers(1, 25)),
    min_size=1, max_size=25)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=coding_lists, unit=st.sampled_from(["overlap", "within", "source", "turn"]),
       distance=st.integers(0, 6), mode=st.sampled_from(["within", "pooled", "any"]))
def test_counts_match_a_brute_force_reference(tmp_path_factory, raw, unit, distance, mode):
    turns = [(0, 20), (20, 45), (45, 80)]
    codings = list({(s, coder, code, a, min(a + n, 80)): None
                    for s, coder, code, a, n in raw})
    with qc.create_project(tmp_path_factory.mktemp("p") / "p.qualcode") as p:
        for s in (0, 1):
            p.add_source(f"s{s}", TEXT[:80], turns=[("I", a, b) for a, b in turns])
        for name in "ABC":
            p.add_code(name)
        for coder in (0, 1):
            mine = [(f"s{s}", a, b, "ABC"[code]) for s, c, code, a, b in codings if c == coder]
            if mine:
                p.code_many(mine, coder=f"coder{coder}")
        frame = p.cooccurrence(unit=unit, distance=distance, coder_pairs=mode,
                               codes=["A", "B", "C"])
    expected = reference(codings, unit, distance, mode, turns)
    got = {("ABC".index(r.code1), "ABC".index(r.code2)): (r.n1, r.n2, r.n12, r.pairs)
           for r in frame.itertuples()}
    for pair, counts in expected.items():
        assert got[pair] == counts, (pair, unit)


def test_pooled_coders_count_one_span_once_in_unit_pairs_too(project):
    """Found by the brute-force property test: two coders' identical codings of one span,
    pooled, are one coding in `pairs` for the source unit as for overlap."""
    p = project
    p.add_source("s0", TEXT[:80])
    for name in "AC":
        p.add_code(name)
    p.code_span("s0", 0, 1, "A", coder="coder0")
    p.code_span("s0", 2, 4, "C", coder="coder0")
    p.code_span("s0", 2, 4, "C", coder="coder1")
    for unit in ("source", "overlap", "within"):
        row = p.cooccurrence(unit=unit, distance=5, pool_coders=True, codes=["A", "C"]).iloc[0]
        assert (row.n1, row.n2) == (1, 1), unit
        assert row.pairs == (0 if unit == "overlap" else 1), unit


def test_the_command_line_states_which_codings_are_compared(tmp_path):

    with qc.create_project(tmp_path / "studie.qualcode") as p:
        p.add_source("s1", TEXT)
        for name in "AB":
            p.add_code(name)
        p.code_span("s1", 0, 20, "A", coder="kari")
        p.code_span("s1", 10, 30, "B", coder="ola")
    counts = {}
    for mode in ("within", "pooled", "any"):
        out = run_qualcode("query", "cooccurrence", "--coder-pairs", mode, "--code", "A",
                           "--code", "B", "--format", "csv", cwd=tmp_path).stdout
        (r,) = csv.DictReader(io.StringIO(out))
        counts[mode] = (r["n1"], r["n2"], r["n12"], r["pairs"])
    assert counts == {"within": ("1", "1", "0", "0"), "pooled": ("1", "1", "1", "1"),
                      "any": ("1", "1", "1", "1")}
    table = run_qualcode("query", "groups", "A", "B", "--coder-pairs", "any", "--format", "csv",
                         cwd=tmp_path).stdout
    assert table.splitlines()[1:] == ["A,1"]
    refused = run_qualcode("query", "cooccurrence", "--coder-pairs", "any", "--pool-coders",
                           cwd=tmp_path, ok=False)
    assert refused.returncode != 0 and "contradict" in refused.stderr


def links_of(frame) -> list[tuple[set, set]]:
    """(side 1's coding ids, side 2's) per link, in link order."""
    return [(set(g[g.side == 1].coding_id), set(g[g.side == 2].coding_id))
            for _, g in frame.groupby("link", sort=True)]


def test_the_excerpts_behind_a_cell_come_in_linked_pairs(project, spans):
    behind = project.cooccurrence_excerpts("A", "B")
    assert links_of(behind) == [({spans["A2"]}, {spans["B2"]})]
    assert list(behind.text) == [TEXT[30:60], TEXT[35:40]]
    assert set(behind.source) == {"s1"} and set(behind.coder) == {"ane"}
    # code2 first: the sides follow the codes as named
    assert links_of(project.cooccurrence_excerpts("B", "A")) == [({spans["B2"]}, {spans["A2"]})]
    # each coder's pair, as n12 = pairs = 2 in the table
    assert sorted(links_of(project.cooccurrence_excerpts("A", "C")), key=str) == sorted(
        [({spans["A2"]}, {spans["C1"]}), ({spans["A3"]}, {spans["C2"]})], key=str)
    # pooled: the two coders' identical spans are one side each
    assert links_of(project.cooccurrence_excerpts("A", "C", pool_coders=True)) == [
        ({spans["A2"], spans["A3"]}, {spans["C1"], spans["C2"]})]
    # a unit: every coding of each code in the source (ane's; bo has no B)
    assert links_of(project.cooccurrence_excerpts("A", "B", unit="source")) == [
        ({spans["A1"], spans["A2"]}, {spans["B1"], spans["B2"]})]
    assert project.cooccurrence_excerpts("B", "C", coders=["bo"]).empty


def test_the_links_behind_each_cell_match_the_table(project, spans):
    for unit in ("overlap", "turn", "source", "case"):
        for options in ({}, {"pool_coders": True}, {"coder_pairs": "any"}):
            table = project.cooccurrence(unit=unit, **options)
            for r in table.itertuples():
                behind = project.cooccurrence_excerpts(r.code1, r.code2, unit=unit, **options)
                assert set(behind.coding_id) == set(r.coding_ids)
                expected = r.pairs if unit == "overlap" else r.n12
                assert behind.link.nunique() == expected, (unit, options, r.code1, r.code2)
