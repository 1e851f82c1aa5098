"""Co-occurrence of codes: which codes are applied together, and how strongly.

The unit says what "together" means:
- ``overlap``: the codings' spans share at least one character (touching spans do not overlap;
  nested spans do);
- ``within``: the codings are at most `distance` characters apart (touching spans are 0 apart);
- ``turn``, ``source``, ``case``: the codings lie in the same speaker turn, source or case (a
  coding across two turns is in both; codings outside every turn are left out of ``turn``; a
  source without a case is a case of its own).

Which codings are compared with which (`coder_pairs`):
- ``within`` (default): each coder's codings with that coder's own; two coders applying codes A
  and B to one passage are two co-occurrences, one per coder;
- ``pooled`` (also `pool_coders=True`): all coders' codings together, the same code on the same
  span counting once (two coders' identical codings are one);
- ``any``: every pair of codings, whoever coded them: A by one coder and B by another co-occur,
  and two coders' identical codings are two codings (in n1 and in pairs). This is what other
  QDA tools and published co-occurrence figures count over a project coded by several people.

Per pair of codes the table gives
- ``n1``, ``n2``: codings of each code (overlap, within) or units holding it (turn, source, case);
- ``n12``: units holding both; for overlap and within, co-occurrences: overlapping codings of
  the two codes are linked, and each connected set of linked codings counts once, so a long
  coding that overlaps three short ones is one co-occurrence and n12 never exceeds n1 or n2;
- ``pairs``: pairs of one coding of each code that overlap (or share a unit);
- ``c`` = n12 / (n1 + n2 - n12), between 0 (never together) and 1 (always together);
- ``coding_ids``: the ids of the codings behind the cell, those of either code that take part
  (for overlap and within in text order).

How it is fast: codings are read as numpy columns (arrays.py) and sorted by (source, coder,
start). For a coding i, the codings after it that overlap it are exactly those up to the last one
starting before i ends, found for all i at once with one `searchsorted`. Sorted by pair, the
overlap pairs of one code pair form runs whose connected sets are found with a running maximum.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from qualcode.analysis.arrays import POSITION_BITS, CodingArrays
from qualcode.analysis.filters import selected_codings
from qualcode.analysis.frames import code_paths

UNITS = ("overlap", "within", "turn", "source", "case")
CODER_PAIRS = ("within", "pooled", "any")
COLUMNS = ["code1_id", "code1", "code2_id", "code2", "n1", "n2", "n12", "pairs", "c",
           "coding_ids"]
POSITION_MAX = (1 << POSITION_BITS) - 1


def cooccurrence(db, *, unit: str = "overlap", distance: int = 0,
                 codes: Iterable[int] | None = None, descendants: bool = False,
                 roll_up: bool = False, coders: Iterable[str] | None = None,
                 sources: Iterable[int] | None = None,
                 attributes: Mapping[str, Any] | None = None, pool_coders: bool = False,
                 coder_pairs: str | None = None, include_zero: bool | None = None,
                 with_ids: bool = True) -> pd.DataFrame:
    """One row per pair of codes (code1 before code2 in tree order); see the module doc.

    `codes` (ids) limits the codes compared (`descendants`: with their sub-codes, each as
    itself; `roll_up`: sub-codes counted as the given code). `coders` (names), `sources` (ids)
    and `attributes` ({name: value or [values]}, the sources' merged attributes) limit the
    codings. `coder_pairs`: "within" each coder (default), "pooled" (as `pool_coders=True`) or
    "any" coders. Pairs that never co-occur are left out unless `include_zero` (the default
    when `codes` are given).
    """
    selection, counts = _counts(db, unit=unit, distance=distance, codes=codes,
                                descendants=descendants, roll_up=roll_up, coders=coders,
                                sources=sources, attributes=attributes,
                                pool_coders=pool_coders, coder_pairs=coder_pairs)
    if include_zero is None:
        include_zero = codes is not None
    return _frame(db, selection.codes, counts, include_zero, with_ids)


def cooccurrence_links(db, code1: int, code2: int, **options: Any) -> pd.DataFrame:
    """What lies behind one cell of `cooccurrence(db, **options)`: one row per coding of each
    linked pair of the two codes (`link` numbers the pairs, in text order for overlap and
    within; `side` 1 is `code1`'s coding, 2 is `code2`'s). For overlap and within there are
    `pairs` links (`n12` counts their connected sets); for a turn, source or case, one link
    per unit holding both (per coder unless coders are pooled or any), `n12` of them.

    A linked pair is two codings that overlap (or lie within the distance, or share the turn,
    source or case); with a unit or with identical spans pooled, one side can be several
    codings (every coding of the code in that turn, source or case). `options` are those of
    `cooccurrence`, so the codes are counted as they are there (rolled up or not)."""
    options.pop("include_zero", None)
    options.pop("with_ids", None)
    selection, counts = _counts(db, **options)
    rank = {code: i for i, code in enumerate(selection.codes)}
    for code in (code1, code2):
        if code not in rank:
            raise ValueError(f"code {code} is not among the codes compared")
    n_codes = len(selection.codes)
    low, high = sorted((rank[code1], rank[code2]))
    cell = low * n_codes + high
    pair, a, b, rank_a = counts["pair"], counts["a"], counts["b"], counts["rank_a"]
    lo, hi = np.searchsorted(pair, [cell, cell + 1])  # links are sorted by pair
    member_ids = counts["member_ids"]
    rows = []
    for link, (node_a, node_b, first) in enumerate(zip(a[lo:hi], b[lo:hi], rank_a[lo:hi],
                                                       strict=True)):
        sides = (1, 2) if first == rank[code1] else (2, 1)
        for side, node in zip(sides, (node_a, node_b), strict=True):
            rows += [(link, side, int(i)) for i in member_ids(np.array([node]))]
    return pd.DataFrame(rows, columns=["link", "side", "coding_id"], dtype=np.int64)


def _counts(db, *, unit: str = "overlap", distance: int = 0,
            codes: Iterable[int] | None = None, descendants: bool = False,
            roll_up: bool = False, coders: Iterable[str] | None = None,
            sources: Iterable[int] | None = None,
            attributes: Mapping[str, Any] | None = None, pool_coders: bool = False,
            coder_pairs: str | None = None) -> tuple[Any, dict]:
    """The codes compared and the counts per pair with the links behind them."""
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    coder_pairs = _coder_pairs(coder_pairs, pool_coders)
    if unit == "within" and distance < 0:
        raise ValueError("distance must be 0 or more characters")
    selection, data = selected_codings(db, codes, descendants=descendants, roll_up=roll_up,
                                       coders=coders, sources=sources, attributes=attributes)
    rank = selection.rank_of()[data.code] if len(data) else np.zeros(0, dtype=np.int64)
    keep = rank >= 0
    data, rank = data.take(keep), rank[keep]
    pooled, across = coder_pairs == "pooled", coder_pairs == "any"
    if pooled:
        data = CodingArrays(data.id, data.source, np.zeros_like(data.coder), data.start,
                            data.end, data.code)
    n_codes = len(selection.codes)
    if unit in ("overlap", "within"):
        counts = _span_cooccurrence(data, rank, n_codes, unit, distance, pooled or roll_up,
                                    across)
    else:
        counts = _unit_cooccurrence(db, data, rank, n_codes, unit, pooled or roll_up, across)
    return selection, counts


def _coder_pairs(coder_pairs: str | None, pool_coders: bool) -> str:
    if coder_pairs is None:
        return "pooled" if pool_coders else "within"
    if coder_pairs not in CODER_PAIRS:
        raise ValueError(f"coder_pairs {coder_pairs!r} is not one of {', '.join(CODER_PAIRS)}")
    if pool_coders and coder_pairs != "pooled":
        raise ValueError(f"pool_coders=True and coder_pairs={coder_pairs!r} contradict each "
                         "other; give one of them")
    return coder_pairs


# -- overlap and within -------------------------------------------------------------------------

def _span_cooccurrence(data: CodingArrays, rank: np.ndarray, n_codes: int, unit: str,
                       distance: int, dedupe: bool, across: bool = False) -> dict:
    """`dedupe`: the same counted code on one span by one coder (or, pooled, by any coders)
    is one node. `across`: nodes of different coders are linked too."""
    coders = int(data.coder.max(initial=0)) + 1
    group = data.source * coders + data.coder
    key = (group << POSITION_BITS) | data.start
    if dedupe:  # the same counted code on the same span (two coders, or two rolled-up sub-codes)
        order = np.lexsort((rank, data.end, key))
        key, end, rank_s = key[order], data.end[order], rank[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = (key[1:] != key[:-1]) | (end[1:] != end[:-1]) | (rank_s[1:] != rank_s[:-1])
        starts = np.flatnonzero(first)
        bounds = np.append(starts, len(key))
        ids = data.id[order]
        key, end, rank = key[starts], end[starts], rank_s[starts]

        def member_ids(nodes: np.ndarray) -> np.ndarray:  # a node's codings: ids[lo:hi]
            return ids[_ranges(bounds[nodes], bounds[nodes + 1])]
    else:
        order = np.argsort(key, kind="stable")
        key, end, rank, ids = key[order], data.end[order], rank[order], data.id[order]

        def member_ids(nodes: np.ndarray) -> np.ndarray:
            return ids[nodes]

    if across and coders > 1:  # link by source alone: the coder is no longer part of the key
        position = key & POSITION_MAX
        key = (((key >> POSITION_BITS) // coders) << POSITION_BITS) | position
        moved = np.argsort(key, kind="stable")
        key, end, rank = key[moved], end[moved], rank[moved]
        nodes_of = member_ids

        def member_ids(nodes: np.ndarray) -> np.ndarray:
            return nodes_of(moved[nodes])

    n1 = np.bincount(rank, minlength=n_codes)
    group_base = (key >> POSITION_BITS) << POSITION_BITS
    reach = end - 1 if unit == "overlap" else np.minimum(end + distance, POSITION_MAX)
    last = np.searchsorted(key, group_base | reach, side="right")
    later = last - np.arange(1, len(key) + 1)  # codings after each one that it reaches
    a, b = _pairs_after(later)
    return _link(a, b, rank, n_codes, n1, member_ids, components=True)


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The indices lo[0]..hi[0]-1, lo[1]..hi[1]-1, ... as one array."""
    sizes = hi - lo
    return np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes) \
        + np.repeat(lo, sizes)


def _pairs_after(later: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with i < j <= i + later[i], ordered by i then j."""
    total = int(later.sum())
    a = np.repeat(np.arange(len(later)), later)
    b = np.arange(total) - np.repeat(np.cumsum(later) - later, later) + a + 1
    return a, b


def _link(a: np.ndarray, b: np.ndarray, rank: np.ndarray, n_codes: int, n1: np.ndarray,
          member_ids: Callable[[np.ndarray], np.ndarray], *, components: bool,
          weights: np.ndarray | None = None) -> dict:
    """Counts per code pair from linked node pairs (a, b), a < b, ordered by a."""
    ra, rb = rank[a], rank[b]
    differ = ra != rb
    a, b, ra, rb = a[differ], b[differ], ra[differ], rb[differ]
    pair = np.minimum(ra, rb) * n_codes + np.maximum(ra, rb)
    small = n_codes * n_codes <= 1 << 16  # 16-bit keys sort by radix, in a few milliseconds
    order = np.argsort(pair.astype(np.uint16) if small else pair, kind="stable")
    pair, a, b, ra = pair[order], a[order], b[order], ra[order]
    size = n_codes * n_codes
    links = np.bincount(pair, minlength=size)
    if weights is None:
        pairs = links
    else:
        pairs = np.bincount(pair, weights=weights[a] * weights[b], minlength=size).astype(np.int64)
    if components and len(pair):
        # Within one code pair the links are ordered by a; a link starts a new connected set
        # when it begins after every earlier link of the pair has ended (see the module doc).
        offset = pair * (len(rank) + 1)
        reach = np.maximum.accumulate(offset + b)
        new = np.ones(len(pair), dtype=bool)
        new[1:] = offset[1:] + a[1:] > reach[:-1]
        n12 = np.bincount(pair[new], minlength=size)
    else:
        n12 = links
    return {"n1": n1, "n12": n12, "pairs": pairs, "pair": pair, "a": a, "b": b, "rank_a": ra,
            "member_ids": member_ids}


# -- turn, source, case -------------------------------------------------------------------------

def _unit_cooccurrence(db, data: CodingArrays, rank: np.ndarray, n_codes: int,
                       unit: str, dedupe: bool, across: bool = False) -> dict:
    index = np.arange(len(data))
    if unit == "source":
        units = data.source
    elif unit == "case":
        rows = np.array(db.conn.execute(
            "SELECT id, ifnull(case_id, -1) FROM sources").fetchall(), dtype=np.int64
        ).reshape(-1, 2)
        case_of = np.full(int(rows[:, 0].max(initial=0)) + 1, -1, dtype=np.int64)
        case_of[rows[:, 0]] = rows[:, 1]
        units = case_of[data.source]
        no_case = units < 0
        units = np.where(no_case, int(units.max(initial=0)) + 1 + data.source, units)
    else:
        index, units = _turns_of(db, data)
    coder = data.coder[index]
    group = units if across else units * (int(coder.max(initial=0)) + 1) + coder
    key = group * n_codes + rank[index]
    start, end = data.start[index], data.end[index]
    order = np.lexsort((coder, end, start, key))
    key, index, start, end, coder = (key[order], index[order], start[order], end[order],
                                     coder[order])
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    if dedupe:  # pairs count each span of a cell once (pooled: two coders' identical codings
        # are one; any coders: one per coder)
        new_span = first.copy()
        new_span[1:] |= (start[1:] != start[:-1]) | (end[1:] != end[:-1])
        if across:
            new_span[1:] |= coder[1:] != coder[:-1]
        sizes = np.add.reduceat(new_span.astype(np.int64), starts) if len(starts) else starts
    else:
        sizes = np.diff(np.append(starts, len(key)))
    cell_group, cell_rank = key[starts] // n_codes, key[starts] % n_codes
    cell_ids, bounds = data.id[index], np.append(starts, len(key))
    n1 = np.bincount(cell_rank, minlength=n_codes)
    group_first = np.ones(len(starts), dtype=bool)
    group_first[1:] = cell_group[1:] != cell_group[:-1]
    group_end = np.append(np.flatnonzero(group_first)[1:], len(starts))
    group_end = group_end[np.cumsum(group_first) - 1]  # per cell: where its group's cells end
    a, b = _pairs_after(group_end - np.arange(1, len(starts) + 1))

    def member_ids(nodes: np.ndarray) -> np.ndarray:  # a coding in two turns comes once
        found = cell_ids[_ranges(bounds[nodes], bounds[nodes + 1])]
        found.sort()
        return found[np.append(True, found[1:] != found[:-1])]

    return _link(a, b, cell_rank, n_codes, n1, member_ids, components=False, weights=sizes)


def _turns_of(db, data: CodingArrays) -> tuple[np.ndarray, np.ndarray]:
    """(coding index, turn id) for every turn each coding overlaps."""
    turns = np.array(db.conn.execute(
        'SELECT source_id, start, "end", id FROM turns ORDER BY source_id, start').fetchall(),
        dtype=np.int64).reshape(-1, 4)
    t_source, t_start, t_end, t_id = turns.T
    # turns of a source do not overlap, so in start order their ends are in order too
    end_keys = (t_source << POSITION_BITS) | t_end
    start_keys = (t_source << POSITION_BITS) | t_start
    first = np.searchsorted(end_keys, (data.source << POSITION_BITS) | data.start, side="right")
    last = np.searchsorted(start_keys, (data.source << POSITION_BITS) | data.end, side="left")
    count = np.maximum(last - first, 0)
    coding = np.repeat(np.arange(len(data)), count)
    turn = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count) \
        + np.repeat(first, count)
    return coding, t_id[turn]


# -- the table ----------------------------------------------------------------------------------

def _frame(db, codes: list[int], counts: dict, include_zero: bool,
           with_ids: bool) -> pd.DataFrame:
    n_codes = len(codes)
    n1, n12, pairs = counts["n1"], counts["n12"], counts["pairs"]
    if include_zero:
        low, high = np.triu_indices(n_codes, k=1)
        cells = low * n_codes + high
    else:
        cells = np.flatnonzero(n12)
        low, high = cells // n_codes, cells % n_codes
    ids = np.asarray(codes, dtype=np.int64)
    paths = code_paths(db)["path"]
    frame = pd.DataFrame({
        "code1_id": ids[low], "code2_id": ids[high], "n1": n1[low], "n2": n1[high],
        "n12": n12[cells], "pairs": pairs[cells]})
    frame.insert(1, "code1", frame["code1_id"].map(paths).astype(object))
    frame.insert(3, "code2", frame["code2_id"].map(paths).astype(object))
    union = frame["n1"] + frame["n2"] - frame["n12"]
    frame["c"] = (frame["n12"] / union.where(union > 0)).fillna(0.0)
    frame["coding_ids"] = _coding_ids(counts, cells) if with_ids else None
    return frame[COLUMNS]


def _coding_ids(counts: dict, cells: np.ndarray) -> list:
    pair, a, b, member_ids = counts["pair"], counts["a"], counts["b"], counts["member_ids"]
    found: dict[int, np.ndarray] = {}
    if len(pair):
        bounds = np.flatnonzero(pair[1:] != pair[:-1]) + 1
        for lo, hi in zip(np.append(0, bounds), np.append(bounds, len(pair)), strict=True):
            nodes = np.concatenate((a[lo:hi], b[lo:hi]))
            nodes.sort()
            nodes = nodes[np.append(True, nodes[1:] != nodes[:-1])]
            found[int(pair[lo])] = member_ids(nodes)
    empty = np.zeros(0, dtype=np.int64)
    return [found.get(int(c), empty) for c in cells]


def cooccurrence_matrix(frame: pd.DataFrame, value: str = "n12") -> pd.DataFrame:
    """A co-occurrence table as a square code × code matrix of `value` (n12, c, pairs)."""
    codes = list(dict.fromkeys([*frame["code1"], *frame["code2"]]))
    matrix = pd.DataFrame(0.0 if value == "c" else 0, index=codes, columns=codes)
    for row in frame.itertuples(index=False):
        v = getattr(row, value)
        matrix.loc[row.code1, row.code2] = v
        matrix.loc[row.code2, row.code1] = v
    return matrix
