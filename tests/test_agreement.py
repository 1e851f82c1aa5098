"""Inter-coder agreement on codings: hand-worked tables, and an independent computation on
expanded per-character vectors (hypothesis)."""

from __future__ import annotations

import contextlib
import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import run_qualcode

import qualcode as qc

TEXT = "a" * 20
PARAGRAPHS = "Første avsnitt her.\n\nAndre avsnitt. To setninger.\n\nTredje avsnitt."


def one(frame, **match):
    hit = frame
    for key, value in match.items():
        hit = hit[hit[key] == value]
    assert len(hit) == 1, f"no single row for {match}"
    return hit.iloc[0]


@pytest.fixture
def two(project):
    project.add_code("x")
    project.add_code("y")
    return project


def test_half_overlapping_spans_by_hand(two):
    src = two.add_source("s", TEXT)
    two.code_span(src, 0, 10, "x", "a")
    two.code_span(src, 5, 15, "x", "b")
    r = one(two.agreement(coders="a,b"), code="x")
    assert (r.units, r.both, r.only_a, r.only_b, r.neither) == (20, 5, 5, 5, 5)
    assert (r.agreement, r.expected, r.kappa) == (0.5, 0.5, 0.0)


def test_nested_span_by_hand(two):
    src = two.add_source("s", TEXT)
    two.code_span(src, 0, 10, "x", "a")
    two.code_span(src, 0, 8, "x", "b")
    r = one(two.agreement(coders=["a", "b"]), code="x")
    # p_o = 18/20; p_a = .5, p_b = .4; p_e = .2 + .3 = .5; kappa = .4 / .5
    assert (r.both, r.only_a, r.only_b, r.neither) == (8, 2, 0, 10)
    assert r.agreement == pytest.approx(0.9)
    assert r.expected == pytest.approx(0.5)
    assert r.kappa == pytest.approx(0.8)


def test_identical_coding_gives_kappa_and_alpha_one(two):
    src = two.add_source("s", PARAGRAPHS)
    for coder in "ab":
        two.code_span(src, 0, 10, "x", coder)
        two.code_span(src, 40, 50, "y", coder)
    for unit in ("char", "paragraph", "sentence"):
        frame = two.agreement(coders="a,b", unit=unit)
        assert list(frame.kappa) == [1.0, 1.0, 1.0], unit
        if unit != "char":
            assert list(frame.alpha) == [1.0, 1.0, 1.0], unit


def test_touching_spans_disagree_only_on_their_characters(two):
    src = two.add_source("s", TEXT)
    two.code_span(src, 0, 5, "x", "a")
    two.code_span(src, 5, 10, "x", "b")
    r = one(two.agreement(coders="a,b"), code="x")
    assert (r.both, r.only_a, r.only_b, r.neither) == (0, 5, 5, 10)


def test_a_unit_coded_by_one_coder_is_a_disagreement_for_that_code_only(two):
    src = two.add_source("s", PARAGRAPHS)
    two.code_span(src, 0, 7, "x", "a")      # paragraph 1
    two.code_span(src, 2, 5, "x", "b")      # paragraph 1, another part of it
    two.code_span(src, 25, 30, "y", "a")    # paragraph 2, by a alone
    frame = two.agreement(coders="a,b", unit="paragraph")
    x, y = one(frame, code="x"), one(frame, code="y")
    assert (x.units, x.both, x.only_a, x.only_b, x.neither) == (3, 1, 0, 0, 2)
    assert x.kappa == 1.0
    assert (y.both, y.only_a, y.only_b, y.neither) == (0, 1, 0, 2)
    # alpha for y by hand: n = 6 values, n_1 = 1, n_0 = 5, one disagreeing unit
    assert y.alpha == pytest.approx(1 - (6 - 1) * 1 / (5 * 1))


def test_pooled_and_length_weighted_means_over_sources(two):
    short, long = two.add_source("short", "b" * 10), two.add_source("long", "c" * 30)
    two.code_span(short, 0, 5, "x", "a")
    two.code_span(short, 0, 5, "x", "b")        # kappa 1 on 10 characters
    two.code_span(long, 0, 10, "x", "a")
    two.code_span(long, 5, 15, "x", "b")        # 5 both, 5 + 5 one only, 15 neither
    by_source = two.agreement(coders="a,b", by="source")
    k_long = one(by_source, source="long").kappa
    p_o, p_e = 20 / 30, (1 / 3) ** 2 + (2 / 3) ** 2
    assert k_long == pytest.approx((p_o - p_e) / (1 - p_e))
    r = one(two.agreement(coders="a,b"), code="x")
    assert (r.sources, r.units, r.both, r.only_a, r.only_b, r.neither) == (2, 40, 10, 5, 5, 20)
    pooled_e = (15 / 40) ** 2 + (25 / 40) ** 2
    assert r.kappa == pytest.approx((30 / 40 - pooled_e) / (1 - pooled_e))
    assert r.mean_kappa == pytest.approx((10 * 1.0 + 30 * k_long) / 40)
    assert r.mean_agreement == pytest.approx((10 * 1.0 + 30 * p_o) / 40)


def test_sources_coded_by_one_coder_are_left_out_and_named(two):
    both_, alone = two.add_source("both", TEXT), two.add_source("alone", TEXT)
    two.code_span(both_, 0, 5, "x", "a")
    two.code_span(both_, 0, 5, "y", "b")
    two.code_span(alone, 0, 5, "x", "a")
    frame = two.agreement(coders="a,b")
    assert one(frame, code="x").units == 20
    assert frame.attrs["notes"] == ["1 source coded by only one of a and b left out: alone"]


def test_turns_and_codings_outside_every_turn(two):
    text = "I: Hei.\nIP: Hallo der.\n"
    src = two.add_source("t", text, turns=[("I", 3, 7), ("IP", 12, 22)])
    two.code_span(src, 0, 2, "x", "a")     # on the label: touches no turn
    two.code_span(src, 12, 15, "x", "a")
    two.code_span(src, 18, 20, "x", "b")
    frame = two.agreement(coders="a,b", unit="turn")
    r = one(frame, code="x")
    assert (r.units, r.both, r.only_a, r.only_b, r.neither) == (2, 1, 0, 0, 1)
    assert frame.attrs["notes"] == ["1 coding touches no turn and is not counted"]


def test_form_comments_are_the_units_of_field(two):
    two.add_code("z")
    sources = [two.add_source(f"FE-{i} kommentar1", f"kommentar {i}", kind="form_field")
               for i in range(4)]
    for i, src in enumerate(sources):
        two.code_span(src, 0, 3, "x", "a")
        if i < 3:
            two.code_span(src, 4, 9, "x", "b")
    r = one(two.agreement(coders="a,b", unit="field"), code="x")
    assert (r.units, r.both, r.only_a, r.only_b) == (3, 3, 0, 0)  # FE-3 not coded by b


def test_three_coders_pairwise_and_alpha_over_all(two):
    src = two.add_source("s", PARAGRAPHS)
    two.code_span(src, 0, 5, "x", "a")
    two.code_span(src, 0, 5, "x", "b")
    two.code_span(src, 25, 30, "x", "c")
    frame = two.agreement(coders="a,b,c", unit="paragraph", codes=["x"])
    assert [(r.coder_a, r.coder_b) for r in frame.itertuples()] == [
        ("a", "b"), ("a", "c"), ("b", "c")]
    assert list(frame.both) == [1, 0, 0]
    assert frame.alpha.nunique() == 1
    assert frame.alpha.iloc[0] == pytest.approx(reference_alpha([[1, 1, 0], [0, 0, 1],
                                                                 [0, 0, 0]]))


def test_descendants_and_codes_filter(project):
    top = project.add_code("top", codable=False)
    project.add_code("sub", top)
    project.add_code("other")
    src = project.add_source("s", TEXT)
    for coder in "ab":
        project.code_span(src, 0, 5, "top/sub", coder)
        project.code_span(src, 6, 9, "other", coder)
    frame = project.agreement(coders="a,b", codes=["top"], descendants=True)
    assert list(frame.code) == ["top", "top/sub", "(all codes)"]


def test_bad_requests_are_one_line_errors(two):
    src = two.add_source("s", TEXT)
    two.code_span(src, 0, 5, "x", "a")
    with pytest.raises(qc.NotFound, match="no coder 'zed'; there are: 'a'"):
        two.agreement(coders="a,zed")
    with pytest.raises(qc.InvalidOperation, match="two or more coders"):
        two.agreement()
    two.code_span(two.add_source("t", TEXT), 0, 5, "x", "b")
    with pytest.raises(qc.InvalidOperation, match="no source has been coded by two"):
        two.agreement(coders="a,b")


def test_cli_agreement(tmp_path, two):
    src = two.add_source("s", TEXT)
    two.code_span(src, 0, 10, "x", "a")
    two.code_span(src, 0, 8, "x", "b")
    two.close()
    out = run_qualcode("agreement", "--coders", "a,b", "--format", "csv", "-p", two.path,
                       cwd=tmp_path).stdout
    header, row = out.splitlines()[:2]
    assert header.split(",")[:4] == ["code_id", "code", "coder_a", "coder_b"]
    values = dict(zip(header.split(","), row.split(","), strict=True))
    assert float(values["kappa"]) == pytest.approx(0.8)
    table = run_qualcode("agreement", "--coders", "a,b", "--unit", "paragraph", "-p", two.path,
                         cwd=tmp_path).stdout
    assert "alpha" in table and "kappa" in table
    bad = run_qualcode("agreement", "--coders", "a,nobody", "-p", two.path, cwd=tmp_path,
                       ok=False)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [
        "qualcode: error: no coder 'nobody' (coders: a, ane, b)"] or "no coder" in bad.stderr


# -- an independent computation on expanded vectors ---------------------------------------------

def reference_kappa(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    n = len(a)
    p_o = float(np.mean(a == b))
    pa, pb = a.mean(), b.mean()
    p_e = float(pa * pb + (1 - pa) * (1 - pb))
    kappa = math.nan if math.isclose(p_e, 1.0) else (p_o - p_e) / (1 - p_e)
    return p_o, p_e, kappa if n else math.nan


def reference_alpha(values: list[list[int]]) -> float:
    """Nominal alpha from the coincidence matrix; `values`: per unit, one value per coder."""
    o = np.zeros((2, 2))
    for unit in values:
        m = len(unit)
        if m < 2:
            continue
        for i, j in itertools.permutations(range(m), 2):
            o[unit[i], unit[j]] += 1 / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if (n_c > 0).sum() < 2:
        return math.nan
    d_o = o[0, 1] + o[1, 0]
    d_e = 2 * n_c[0] * n_c[1] / (n - 1)
    return 1 - d_o / d_e


span = st.tuples(st.integers(0, 39), st.integers(1, 12))
codings = st.lists(st.tuples(st.sampled_from("ab"), st.sampled_from("xy"), st.integers(0, 1),
                             span), min_size=2, max_size=14)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=codings)
def test_against_expanded_vectors(tmp_path_factory, items):
    texts = ["Ett to tre.\n\nFire fem seks sju.\n\nÅtte.", "Ni ti elleve tolv tretten fjorten"]
    path = tmp_path_factory.mktemp("h") / "h.qualcode"
    with qc.create_project(path, coder="a") as p:
        p.add_code("x")
        p.add_code("y")
        sources = [p.add_source(f"s{i}", t) for i, t in enumerate(texts)]
        vectors = {}
        for coder, code, which, (start, width) in items:
            text = texts[which]
            start = start % len(text)
            end = min(start + width, len(text))
            vec = vectors.setdefault((coder, code, which), np.zeros(len(text), bool))
            vec[start:end] = True
            with contextlib.suppress(qc.InvalidOperation):  # the same span twice
                p.code_span(sources[which], start, end, code, coder)
        coded = {(c, w) for c, _, w in vectors}
        shared = [w for w in range(2) if ("a", w) in coded and ("b", w) in coded]
        if not shared:
            return
        used = sorted({k for _, k, w in vectors if w in shared})

        def vec(coder, code, w):
            return vectors.get((coder, code, w), np.zeros(len(texts[w]), bool))

        frame = p.agreement(coders="a,b", by="source")
        for code in used:
            for w in shared:
                a, b = vec("a", code, w), vec("b", code, w)
                if not (a.any() or b.any()):
                    continue
                r = one(frame, code=code, source=f"s{w}")
                assert (r.both, r.only_a, r.only_b) == ((a & b).sum(), (a & ~b).sum(),
                                                        (b & ~a).sum())
                p_o, p_e, kappa = reference_kappa(a, b)
                assert r.agreement == pytest.approx(p_o)
                assert r.kappa == pytest.approx(kappa, nan_ok=True)
        pooled = p.agreement(coders="a,b")
        for code in used:
            a = np.concatenate([vec("a", code, w) for w in shared])
            b = np.concatenate([vec("b", code, w) for w in shared])
            assert one(pooled, code=code).kappa == pytest.approx(reference_kappa(a, b)[2],
                                                                 nan_ok=True)
        # paragraphs: a unit is coded if any of its characters is
        units = p.agreement(coders="a,b", unit="paragraph")
        paragraphs = {w: p.unit_spans("paragraph", [sources[w].id]).get(sources[w].id, [])
                      for w in shared}
        for code in used:
            a = np.array([vec("a", code, w)[s:e].any() for w in shared for s, e in paragraphs[w]])
            b = np.array([vec("b", code, w)[s:e].any() for w in shared for s, e in paragraphs[w]])
            r = one(units, code=code)
            assert r.kappa == pytest.approx(reference_kappa(a, b)[2], nan_ok=True)
            alpha = reference_alpha([[int(x), int(y)] for x, y in zip(a, b, strict=True)])
            assert r.alpha == pytest.approx(alpha, nan_ok=True)
