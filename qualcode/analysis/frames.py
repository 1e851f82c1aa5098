"""The basic DataFrames: code paths, sources' merged attributes, codings with excerpts.

These work on the database directly (below core in the layers), so that core, the analyses
and the exports all read codings the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from qualcode.analysis.excerpts import excerpts
from qualcode.store.attribute_values import passed_down, read_values, value_matcher
from qualcode.store.code_tree import CodeTree


def code_paths(db) -> pd.DataFrame:
    """index: code id; columns: path, depth, sort_key (sorting by it gives tree order), from
    the one code tree model (store.code_tree)."""
    tree = CodeTree.read(db.conn)
    return pd.DataFrame({"path": [tree.path[c] for c in tree.order],
                         "depth": [tree.depth(c) for c in tree.order],
                         "sort_key": np.arange(len(tree.order), dtype=np.int64)},
                        index=pd.Index(tree.order, dtype=np.int64, name="id"))


def source_attributes(db, sources: Iterable[int] | None = None) -> pd.DataFrame:
    """One row per source (index: source id), one column per attribute, merged along the case
    hierarchy (the source's own value wins, then its case, then the case's parents), plus `case`
    and, for form comments, the form's key, date, version and office. `sources` limits the rows
    to those ids; the columns stay every source's, in the same order, so whether a name is an
    attribute never depends on the rows asked for (a matrix needs the 2,000 coded sources of
    20,000, and building the other rows took most of its time)."""
    conn = db.conn
    cases = dict(conn.execute("SELECT id, name FROM cases").fetchall())
    attrs = _attribute_values(db)
    merged = merged_case_attributes(db, attrs)
    wanted = None if sources is None else {int(s) for s in sources}

    columns: dict[str, None] = {}  # every row's keys in order of first use, as pandas has them
    forms_seen, cases_seen = False, set()
    rows, index = [], []
    plain = conn.cursor()  # tuples: 20,000 sources at 10x the sample
    plain.row_factory = None
    for sid, case_id, form_key, form_date, form_version, office in plain.execute(
            "SELECT s.id, s.case_id, f.key, f.date, f.version, f.office FROM sources s "
            "LEFT JOIN forms f ON f.id = s.form_id ORDER BY s.id"):
        if form_key is not None and not forms_seen:
            forms_seen = True
            columns.update(dict.fromkeys(FORM_COLUMNS))
        if case_id is not None and case_id not in cases_seen:
            cases_seen.add(case_id)
            columns.update(dict.fromkeys(("case", *merged[case_id])))
        own = attrs.get(("source", sid), {})
        columns.update(dict.fromkeys(own))
        if wanted is not None and sid not in wanted:
            continue
        row: dict[str, Any] = {}
        if form_key is not None:
            row.update(zip(FORM_COLUMNS, (form_key, form_date, form_version, office),
                           strict=True))
        if case_id is not None:
            row["case"] = cases[case_id]
            row.update(merged[case_id])
        row.update(own)
        rows.append(row)
        index.append(sid)
    frame = pd.DataFrame(rows, index=pd.Index(index, name="source_id", dtype=np.int64),
                         columns=list(columns))
    if "case" not in frame.columns:  # a project without cases: every source is "(not set)"
        frame["case"] = pd.Series(None, index=frame.index, dtype="object")
    return frame


FORM_COLUMNS = ("form", "form_date", "form_version", "office")  # of a form comment's source


def _attribute_values(db) -> dict[tuple[str, int], dict[str, Any]]:
    """(entity kind, entity id) -> {name: decoded value}."""
    return read_values(db.conn)


def merged_case_attributes(db, attrs: Mapping[tuple[str, int], Mapping[str, Any]] | None = None
                           ) -> dict[int, dict[str, Any]]:
    """case id -> its attributes merged down the case hierarchy (a case's own value wins over
    its parent's): what a source of the case, or a form, inherits."""
    attrs = _attribute_values(db) if attrs is None else attrs
    parent = dict(db.conn.execute("SELECT id, parent_id FROM cases").fetchall())
    return {case_id: {name: value for name, (value, _) in held.items()}
            for case_id, held in passed_down(parent, attrs).items()}


CODING_COLUMNS = ["coding_id", "guid", "source_id", "source", "source_kind", "start", "end",
                  "text", "code_id", "code", "code_path", "coder", "memo", "origin", "created_at"]
NUMBERS = ("id", "source_id", "start", '"end"', "code_id", "coder_id")  # of a coding, as read
WORDS = ("guid", "origin", "created_at")  # never NULL
SEPARATOR = "\x1e"  # between the values of a text column read in one piece


def descendant_ids(db, code_ids: Iterable[int]) -> list[int]:
    """The given codes and every code below them, in tree order."""
    return CodeTree.read(db.conn).descendants(code_ids)


def codings_frame(db, *, codes: Iterable[int] | None = None, descendants: bool = False,
                  sources: Iterable[int] | None = None, coders: Iterable[str] | None = None,
                  attributes: Mapping[str, Any] | None = None, ids: Iterable[int] | None = None,
                  with_attributes: bool = True) -> pd.DataFrame:
    """One row per coding in tree-then-text order, with code path, coder, excerpt (exactly
    text[start:end]) and the source's merged attributes as extra columns. `ids`: only these
    codings (e.g. those behind a co-occurrence)."""
    where, params = [], []
    if ids is not None:
        where.append("id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps([int(i) for i in ids]))
    if codes is not None:
        ids = descendant_ids(db, codes) if descendants else list(codes)
        where.append(f"code_id IN ({', '.join('?' * len(ids)) or 'NULL'})")
        params += ids
    if sources is not None:
        sids = list(sources)
        where.append(f"source_id IN ({', '.join('?' * len(sids)) or 'NULL'})")
        params += sids
    if coders is not None:
        names = [str(c).strip() for c in coders]
        where.append(f"coder_id IN (SELECT id FROM coders WHERE name IN "
                     f"({', '.join('?' * len(names)) or 'NULL'}))")
        params += names
    paths = code_paths(db)
    frame = _codings_in_order(db, " AND ".join(where) or "1", params, paths)
    frame.insert(10, "code_path", frame["code_id"].map(paths["path"]).astype("object"))
    if attributes:
        frame = frame[frame["source_id"].isin(sources_where(db, attributes))]
    if with_attributes or attributes:
        attrs = source_attributes(db)
        attrs = attrs.drop(columns=[c for c in attrs.columns if c in frame.columns])
        frame = frame.join(attrs, on="source_id")
    return frame.reset_index(drop=True)


def values_match(column: pd.Series, wanted: Any, name: str | None = None) -> pd.Series:
    """Which entries equal `wanted` (a value or a list of values) as the attribute's type
    reads it: office 5, "5" and 5.0 alike (see store.attribute_values.value_matcher). A value
    the column's type cannot hold raises ValueError."""
    matches = value_matcher(name or str(column.name), column.unique(), wanted)
    return column.map(matches).astype(bool)


def sources_where(db, attributes: Mapping[str, Any]) -> list[int]:
    """Ids of the sources whose merged attributes match every {name: value or [values]}: the
    one attribute filter of every analysis and export."""
    attrs = source_attributes(db)
    keep = pd.Series(True, index=attrs.index)
    for name, wanted in attributes.items():
        if name not in attrs.columns:  # a misspelt name must not give an empty table
            raise ValueError(f"no source has the attribute {name!r}")
        keep &= values_match(attrs[name], wanted, name)
    return [int(i) for i in attrs.index[keep]]


def code_counts(db, coders: Iterable[str] | None = None) -> pd.DataFrame:
    """The code tree in order: per code its codings and sources, own and with sub-codes
    (of the coders named, or every coder's)."""
    tree = CodeTree.read(db.conn)
    paths = code_paths(db)
    codes = pd.read_sql_query(
        "SELECT id, parent_id, name, en, codable, color FROM codes", db.conn, index_col="id")
    where, params = "", []
    if coders is not None:
        where = " WHERE coder_id IN (SELECT id FROM coders WHERE name IN (SELECT value FROM " \
                "json_each(?)))"
        params = [json.dumps([str(c).strip() for c in coders])]
    per_source = pd.read_sql_query(
        f"SELECT code_id, source_id, count(*) AS n FROM codings{where} "
        "GROUP BY code_id, source_id", db.conn, params=params)
    own = per_source.groupby("code_id").agg(codings=("n", "sum"),
                                            sources=("source_id", "nunique"))
    up = pd.DataFrame([(c, a) for c in tree.order for a in (c, *tree.ancestors(c))],
                      columns=["code_id", "id"], dtype=np.int64)
    pairs = per_source.merge(up, on="code_id").groupby("id").agg(
        codings_total=("n", "sum"), sources_total=("source_id", "nunique"))
    frame = codes.join(paths).join(own).join(pairs)
    for col in ("codings", "sources", "codings_total", "sources_total"):
        frame[col] = frame[col].fillna(0).astype(int)
    frame["codable"] = frame["codable"].astype(bool)
    frame["parent_id"] = frame["parent_id"].astype("Int64")
    frame = frame.astype({"en": "object", "color": "object"}).replace({float("nan"): None})
    frame = frame.sort_values("sort_key").drop(columns="sort_key")
    frame.index.name = "code_id"
    return frame[["path", "name", "en", "depth", "parent_id", "codable", "color", "codings",
                  "sources", "codings_total", "sources_total"]]


def _codings_in_order(db, where: str, params: list, paths: pd.DataFrame) -> pd.DataFrame:
    """The codings matching `where`, in tree order of their code, then source name, start, end
    and coder name, with their excerpts (all but the code path and the attributes).

    Read column by column (each one text that numpy or str.split takes apart), not row by row:
    building a Python tuple per row costs more than everything else here together."""
    conn = db.conn
    row = conn.execute(
        "SELECT count(*), " + ", ".join(f"group_concat({c})" for c in NUMBERS) + ", "
        + ", ".join(f"group_concat({c}, '{SEPARATOR}')" for c in WORDS)
        + f" FROM codings WHERE {where}", params).fetchone()
    n = row[0]
    if not n:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in CODING_COLUMNS
                             if c != "code_path"})
    ids, source, start, end, code, coder = (np.fromstring(t, sep=",", dtype=np.int64)
                                            for t in row[1:7])
    words = [t.split(SEPARATOR) for t in row[7:]]
    if any(len(w) != n for w in words):  # a value holds the separator: read those row by row
        words = [list(c) for c in zip(*conn.execute(
            f"SELECT {', '.join(WORDS)} FROM codings WHERE {where}", params), strict=True)]
    sources = {i: (name, kind) for i, name, kind in conn.execute(
        "SELECT id, name, kind FROM sources WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(np.unique(source).tolist())])}
    code_names = dict(conn.execute("SELECT id, name FROM codes"))
    coder_names = dict(conn.execute("SELECT id, name FROM coders"))
    order = np.lexsort((
        _rank(coder, coder_names), end, start, _rank(source, {k: v[0] for k, v in sources.items()}),
        _rank(code, paths["sort_key"].to_dict())))
    ids, source, start, end, code, coder = (a[order] for a in (ids, source, start, end, code,
                                                                coder))
    guid, origin, created_at = (np.array(w, dtype=object)[order] for w in words)
    memos = dict(conn.execute(f"SELECT id, memo FROM codings WHERE memo IS NOT NULL AND {where}",
                              params))
    return pd.DataFrame({
        "coding_id": ids, "guid": guid.tolist(), "source_id": source,
        "source": _names(source, {k: v[0] for k, v in sources.items()}),
        "source_kind": _names(source, {k: v[1] for k, v in sources.items()}),
        "start": start, "end": end, "text": excerpts(db, source, start, end), "code_id": code,
        "code": _names(code, code_names), "coder": _names(coder, coder_names),
        "memo": [memos.get(i) for i in ids.tolist()] if memos else [None] * n,
        "origin": origin.tolist(), "created_at": created_at.tolist()})


def _names(ids: np.ndarray, names: Mapping[int, str]) -> list[str]:
    """The name of each id (a look-up table indexed by id)."""
    table = np.empty(int(ids.max()) + 1, dtype=object)
    present = np.unique(ids).tolist()
    table[present] = [names[i] for i in present]
    return table[ids].tolist()


def _rank(ids: np.ndarray, keys: Mapping[int, Any]) -> np.ndarray:
    """For each id, the position of its key among the keys of the ids present."""
    present = np.unique(ids)
    ranked = sorted(present.tolist(), key=lambda i: keys[i])
    rank = np.empty(int(present.max()) + 1, dtype=np.int64)
    rank[ranked] = np.arange(len(ranked))
    return rank[ids]
