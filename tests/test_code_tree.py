"""One code tree model (store/code_tree.py): every layer spells paths and orders the tree the
same way, and a deep tree does not exhaust Python's recursion limit."""

from __future__ import annotations

import sys

from qualcode.analysis.frames import code_paths, descendant_ids
from qualcode.store.code_tree import CodeTree


def test_every_layer_reads_the_same_paths_in_the_same_order(small):
    p = small
    p.add_code("Ånd", en="spirit")
    p.add_code("b", p.code("Føringer"), position=0)  # placed first among its siblings
    src = p.source("kontor02_T2")
    for path in ("Barrierer/tid", "Føringer/b", "Ånd", "Føringer/ledelse"):
        p.code_span(src, 0, 5, path)
    order = [c.path for c in p.codes()]
    assert order == ["Barrierer", "Barrierer/tid", "Barrierer/opplæring", "Føringer",
                     "Føringer/b", "Føringer/ledelse", "Ånd"]
    assert list(p.code_counts()["path"]) == order
    assert list(code_paths(p.db).sort_values("sort_key")["path"]) == order
    assert list(p.codings()["code_path"]) == [c for c in order if c in
                                              {"Barrierer/tid", "Føringer/b", "Ånd",
                                               "Føringer/ledelse"}]
    assert list(p.matrix("case").columns) == list(p.codings()["code_path"])
    tree = p.code_tree()
    assert [tree.path[c] for c in tree.order] == order
    barrier = p.code("Barrierer").id
    assert [tree.path[c] for c in p.descendants(barrier)] == \
        [tree.path[c] for c in descendant_ids(p.db, [barrier])] == \
        ["Barrierer", "Barrierer/tid", "Barrierer/opplæring"]
    assert p.code_counts().loc[barrier, "codings_total"] == 1


def test_a_tree_deeper_than_the_recursion_limit(project):
    depth = sys.getrecursionlimit() + 100
    with project.change("deep tree"):
        parent = None
        for n in range(depth):
            parent = project.add_code(f"n{n}", parent)
    codes = project.codes()
    assert len(codes) == depth and codes[-1].path == parent.path
    assert project.code(parent.path).id == parent.id
    assert len(project.descendants("n0")) == depth
    assert project.code_counts()["depth"].max() == depth - 1


def test_the_model_from_rows():
    tree = CodeTree.from_rows([(1, None, "B", 1), (2, None, "A", 0), (3, 1, "x", 0),
                               (4, 3, "y", 0), (5, 2, "x", 0)])
    assert [tree.path[c] for c in tree.order] == ["A", "A/x", "B", "B/x", "B/x/y"]
    assert tree.descendants([1]) == [1, 3, 4]
    assert tree.ancestors(4) == [3, 1]
    assert tree.matching("x") == [5, 3] and tree.matching(" B / x ") == [3]
    assert tree.matching("x/y") == [4]
