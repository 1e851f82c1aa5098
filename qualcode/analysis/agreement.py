"""Inter-coder agreement on codings: percentage agreement, Cohen's kappa, Krippendorff's alpha.

Units. At character level every character of a source is a unit; over natural units (speaker
turns, sentences, paragraphs, form comments) each unit is one. A unit is *coded* c by a coder
if that coder applied code c to any part of it (for characters: the character lies in one of
the coder's c-spans). Codings that touch no unit (e.g. on a speaker label, outside every turn)
are not counted and are reported.

Which sources. Two coders are compared on the sources both of them coded (with any code):
a source only one of them has coded is not yet a comparison, and is listed, not counted.

For one code, two coders A and B and a set of N units, the 2×2 table is

    both = units coded c by A and B      only_a = by A alone
    only_b = by B alone                  neither = N - both - only_a - only_b

    observed agreement  p_o = (both + neither) / N
    A's share           p_a = (both + only_a) / N,  B's share  p_b = (both + only_b) / N
    expected agreement  p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
    Cohen's kappa       κ = (p_o - p_e) / (1 - p_e)

κ is undefined (NaN) when p_e = 1: both coders coded every unit, or none (no variation).

- per code × source (`by="source"`): one table per source in which either coder used c;
- per code (`by="code"`): `agreement`, `expected`, `kappa` from the table *pooled* over all
  compared sources (the sums of the four cells; sources where neither used c add `neither`), and
  `mean_agreement`, `mean_kappa`: the per-source values averaged over the sources where either
  coder used c, weighted by their length in units (κ only where defined);
- the row `(all codes)` pools the tables of every code.

Krippendorff's alpha (nominal, over natural units, all compared coders at once). Each
(unit, code) gets from every coder who coded its source the value 1 (coded c) or 0; alpha is
computed by the `krippendorff` package from the per-unit counts of 0s and 1s:

    α = 1 - D_o / D_e = 1 - (n - 1) * Σ_u (2 z_u o_u / (m_u - 1)) / (2 n_0 n_1)

with m_u the coders of unit u, o_u and z_u its 1s and 0s, n_1, n_0 all 1s and 0s, n = n_0 + n_1
(units with one coder are not pairable and left out). For two coders it is
1 - (n - 1) * disagreeing units / (n_0 n_1). Undefined (NaN) when all values are equal.

Decisions (`decision_agreement`): each document judged by two coders in a phase is a unit whose
value is the decision; with k decisions the k×k table has cells n_ij, row and column sums
n_i., n_.j, and N documents:

    p_o = Σ_i n_ii / N,   p_e = Σ_i n_i. * n_.i / N²,   κ = (p_o - p_e) / (1 - p_e)

How it is fast. Nothing is expanded per character. At character level each coding becomes two
events (+1 at its start, -1 at its end) for its coder; sorted by (source, code, position), a
running sum gives for every stretch between two events whether A and/or B cover it, and the
stretch lengths are summed with `bincount`. Over natural units each coding becomes the range of
units it touches (two `searchsorted`s), and the (code, unit) pairs each coder coded are
compared as sorted integer keys.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from qualcode.analysis.arrays import CodingArrays, read_codings
from qualcode.analysis.filters import select_codes, sources_where
from qualcode.analysis.frames import code_paths

UNITS = ("char", "turn", "sentence", "paragraph", "field")
BY = ("code", "source")
ALL_CODES = "(all codes)"
SHIFT = 31  # positions < 2**30 (arrays.POSITION_BITS): (group << SHIFT) | position sorts by both

SOURCE_COLUMNS = ["code_id", "code", "source_id", "source", "coder_a", "coder_b", "units",
                  "both", "only_a", "only_b", "neither", "agreement", "expected", "kappa"]
CODE_COLUMNS = ["code_id", "code", "coder_a", "coder_b", "sources", "units", "both", "only_a",
                "only_b", "neither", "agreement", "expected", "kappa", "mean_agreement",
                "mean_kappa", "alpha"]


@dataclass
class UnitSpans:
    """Natural units: per source id, sorted non-overlapping (start, end) spans."""

    spans: Mapping[int, Sequence[tuple[int, int]]]


@dataclass
class AgreementResult:
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def kappa_from_counts(both, only_a, only_b, neither):
    """Observed, expected agreement and Cohen's kappa of 2×2 tables (numpy arrays or numbers);
    NaN where a table is empty or κ is undefined (p_e = 1)."""
    both, only_a, only_b, neither = (np.asarray(x, dtype=float)
                                     for x in (both, only_a, only_b, neither))
    n = both + only_a + only_b + neither
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = (both + neither) / n
        pa, pb = (both + only_a) / n, (both + only_b) / n
        expected = pa * pb + (1 - pa) * (1 - pb)
        kappa = np.where(np.isclose(expected, 1.0), np.nan,
                         (observed - expected) / (1 - expected))
    return observed, expected, kappa


def alpha_binary(value_counts: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) from per-unit counts [zeros, ones]; NaN if undefined."""
    import krippendorff  # a well-kept implementation (also handles missing coders per unit)

    pairable = value_counts[value_counts.sum(axis=1) >= 2]
    totals = pairable.sum(axis=0)
    if len(pairable) == 0 or (totals > 0).sum() < 2:
        return float("nan")
    return float(krippendorff.alpha(value_counts=pairable, value_domain=[0, 1],
                                    level_of_measurement="nominal"))


# -- which sources each coder coded -------------------------------------------------------------

def coded_sources(db, coder_ids: Sequence[int]) -> dict[int, set[int]]:
    """coder id -> the ids of the sources that coder coded (with any code)."""
    out: dict[int, set[int]] = {c: set() for c in coder_ids}
    marks = ", ".join("?" * len(coder_ids))
    for source_id, coder_id in db.conn.execute(
            f"SELECT DISTINCT source_id, coder_id FROM codings WHERE coder_id IN ({marks})",
            list(coder_ids)):
        out[coder_id].add(source_id)
    return out


# -- the counts ---------------------------------------------------------------------------------

@dataclass
class _Counts:
    """Per (pair, source, code) 2×2 table cells, as parallel arrays."""

    pair: np.ndarray
    source: np.ndarray
    code: np.ndarray  # rank in the selection
    both: np.ndarray
    only_a: np.ndarray
    only_b: np.ndarray


def _char_counts(a: CodingArrays, b: CodingArrays, rank_a, rank_b, n_codes: int):
    """(source, code rank, both, only_a, only_b) for characters, from events; see module doc."""
    group = np.concatenate([a.source, b.source]) * n_codes + np.concatenate([rank_a, rank_b])
    starts = np.concatenate([a.start, b.start])
    ends = np.concatenate([a.end, b.end])
    is_a = np.concatenate([np.ones(len(a), bool), np.zeros(len(b), bool)])
    keys = np.concatenate([(group << SHIFT) | starts, (group << SHIFT) | ends])
    delta = np.concatenate([np.ones(len(starts), np.int32), -np.ones(len(ends), np.int32)])
    from_a = np.concatenate([is_a, is_a])
    order = np.argsort(keys, kind="stable")
    keys, delta, from_a = keys[order], delta[order], from_a[order]
    depth_a = np.cumsum(np.where(from_a, delta, 0))
    depth_b = np.cumsum(np.where(from_a, 0, delta))
    # the stretch after event i runs to event i + 1; after a group's last event both depths are
    # 0, so stretches that would cross into the next group never count
    length = np.diff(keys, append=keys[-1] if len(keys) else 0)
    in_a, in_b = depth_a > 0, depth_b > 0
    groups, index = np.unique(keys >> SHIFT, return_inverse=True)

    def total(mask):
        return np.bincount(index, weights=np.where(mask, length, 0), minlength=len(groups))

    both = total(in_a & in_b)
    only_a = total(in_a & ~in_b)
    only_b = total(in_b & ~in_a)
    return groups // n_codes, groups % n_codes, both, only_a, only_b


class _UnitIndex:
    """All natural units of the compared sources, numbered 0..U-1 in (source, start) order."""

    def __init__(self, units: UnitSpans, source_ids: Iterable[int]):
        sources, starts, ends = [], [], []
        for sid in sorted(set(source_ids)):
            spans = sorted(units.spans.get(sid, ()))
            sources += [sid] * len(spans)
            starts += [s for s, _ in spans]
            ends += [e for _, e in spans]
        self.source = np.asarray(sources, dtype=np.int64)
        self.start = np.asarray(starts, dtype=np.int64)
        self.end = np.asarray(ends, dtype=np.int64)
        self.start_keys = (self.source << SHIFT) | self.start
        self.end_keys = (self.source << SHIFT) | self.end
        if np.any(np.diff(self.end_keys) < 0):
            raise ValueError("natural units overlap; cannot count agreement over them")
        self.per_source = dict(zip(*np.unique(self.source, return_counts=True), strict=True))

    def __len__(self) -> int:
        return len(self.source)

    def touched(self, data: CodingArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each coding, the units [lo, hi) it touches; and which codings touch none."""
        lo = np.searchsorted(self.end_keys, (data.source << SHIFT) | data.start, side="right")
        hi = np.searchsorted(self.start_keys, (data.source << SHIFT) | data.end, side="left")
        return lo, hi, lo >= hi

    def coded(self, data: CodingArrays, rank: np.ndarray, n_codes: int) -> np.ndarray:
        """Sorted unique keys unit * n_codes + code rank of the (unit, code) pairs coded."""
        lo, hi, _ = self.touched(data)
        width = np.maximum(hi - lo, 0)
        if width.sum() == 0:
            return np.zeros(0, dtype=np.int64)
        first = np.repeat(lo, width)
        step = np.arange(width.sum()) - np.repeat(np.cumsum(width) - width, width)
        return np.unique((first + step) * n_codes + np.repeat(rank, width))


def _unit_counts(index: _UnitIndex, a_keys, b_keys, n_codes: int):
    """(source, code rank, both, only_a, only_b) from the coded (unit, code) keys of A and B."""
    both_keys = np.intersect1d(a_keys, b_keys, assume_unique=True)
    only_a_keys = np.setdiff1d(a_keys, both_keys, assume_unique=True)
    only_b_keys = np.setdiff1d(b_keys, both_keys, assume_unique=True)
    all_keys = [both_keys, only_a_keys, only_b_keys]
    groups = np.unique(np.concatenate(
        [index.source[k // n_codes] * n_codes + k % n_codes for k in all_keys]))
    cells = []
    for keys in all_keys:
        g = index.source[keys // n_codes] * n_codes + keys % n_codes
        cells.append(np.bincount(np.searchsorted(groups, g), minlength=len(groups)))
    return (groups // n_codes, groups % n_codes, *cells)


# -- the analysis -------------------------------------------------------------------------------

def coding_agreement(db, coders: Sequence[int], *, codes: Iterable[int] | None = None,
                     descendants: bool = False, unit: str = "char",
                     units: UnitSpans | None = None, by: str = "code",
                     sources: Iterable[int] | None = None,
                     attributes: Mapping[str, object] | None = None) -> AgreementResult:
    """Agreement of `coders` (ids, two or more) per code (and per source with by="source");
    see the module doc. `units` gives the natural units (unit other than "char")."""
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    if by not in BY:
        raise ValueError(f"by {by!r} is not one of {', '.join(BY)}")
    if len(set(coders)) < 2:
        raise ValueError("agreement needs two or more coders")
    if unit != "char" and units is None:
        raise ValueError(f"unit {unit!r} needs the units' spans")
    notes: list[str] = []
    selection = select_codes(db, codes, descendants=descendants)
    wanted = None if sources is None else {int(s) for s in sources}
    if attributes:
        matching = set(sources_where(db, attributes))
        wanted = matching if wanted is None else wanted & matching
    coded = coded_sources(db, coders)
    if wanted is not None:
        coded = {c: s & wanted for c, s in coded.items()}
    names = _names(db, "coders")
    source_names = _names(db, "sources")
    data = read_codings(db, codes=selection.read, coders=list(coders),
                        sources=None if wanted is None else sorted(wanted))
    rank_all = selection.rank_of()[data.code] if len(data) else np.zeros(0, np.int64)
    keep = rank_all >= 0
    data, rank_all = data.take(keep), rank_all[keep]
    n_codes = max(len(selection.codes), 1)

    # the compared sources of each pair, and those coded by only one of its coders
    pairs = list(itertools.combinations(coders, 2))
    pair_sources = [coded[a] & coded[b] for a, b in pairs]
    for (a, b), shared in zip(pairs, pair_sources, strict=True):
        alone = (coded[a] | coded[b]) - shared
        if alone:
            listed = ", ".join(sorted(source_names[s] for s in alone)[:5])
            notes.append(f"{len(alone)} source{'s' * (len(alone) != 1)} coded by only one of "
                         f"{names[a]} and {names[b]} left out: {listed}"
                         + (" ..." if len(alone) > 5 else ""))
    compared = set().union(*pair_sources) if pair_sources else set()
    if not compared:
        raise ValueError("no source has been coded by two of these coders: nothing to compare")

    if unit == "char":
        lengths = _lengths(db)
        index = None
    else:
        index = _UnitIndex(units, compared)
        lengths = {int(s): int(n) for s, n in index.per_source.items()}
        without = sorted(source_names[s] for s in compared if s not in lengths)
        if without:
            notes.append(f"{len(without)} source{'s' * (len(without) != 1)} without any "
                         f"{unit} left out: {', '.join(without[:5])}"
                         + (" ..." if len(without) > 5 else ""))
        in_compared = np.isin(data.source, list(compared))
        outside = int(index.touched(data.take(in_compared))[2].sum())
        if outside:
            verb = "touches" if outside == 1 else "touch"
            notes.append(f"{outside} coding{'s' * (outside != 1)} {verb} no {unit} and "
                         f"{'is' if outside == 1 else 'are'} not counted")

    by_coder = {c: np.flatnonzero(data.coder == c) for c in coders}
    unit_keys = {}
    if index is not None:
        unit_keys = {c: index.coded(data.take(ix), rank_all[ix], n_codes)
                     for c, ix in by_coder.items()}
    rows = []
    for p, ((a, b), shared) in enumerate(zip(pairs, pair_sources, strict=True)):
        shared_arr = np.asarray(sorted(s for s in shared if s in lengths), dtype=np.int64)
        if index is None:
            ia = by_coder[a][np.isin(data.source[by_coder[a]], shared_arr)]
            ib = by_coder[b][np.isin(data.source[by_coder[b]], shared_arr)]
            src, code, both, only_a, only_b = _char_counts(
                data.take(ia), data.take(ib), rank_all[ia], rank_all[ib], n_codes)
        else:
            a_keys, b_keys = (k[np.isin(index.source[k // n_codes], shared_arr)]
                              for k in (unit_keys[a], unit_keys[b]))
            src, code, both, only_a, only_b = _unit_counts(index, a_keys, b_keys, n_codes)
        rows.append((p, shared_arr, _Counts(np.full(len(src), p), src, code, both, only_a,
                                            only_b)))

    paths = code_paths(db)["path"]
    if by == "source":
        frame = _by_source(rows, pairs, selection.codes, lengths, names, source_names, paths)
    else:
        in_compared = np.isin(data.source, list(compared))
        present = (list(range(len(selection.codes))) if codes is not None
                   else np.unique(rank_all[in_compared]).tolist())
        alphas = ({} if index is None else
                  _alphas(index, coders, coded, unit_keys, present, n_codes))
        frame = _by_code(rows, pairs, selection.codes, present, lengths, names, paths, alphas)
    return AgreementResult(frame, notes)


def _names(db, table: str) -> dict[int, str]:
    return {r[0]: r[1] for r in db.conn.execute(f"SELECT id, name FROM {table}")}


def _lengths(db) -> dict[int, int]:
    return {r[0]: r[1] for r in db.conn.execute("SELECT id, length(text) FROM sources")}


def _by_source(rows, pairs, code_ids, lengths, names, source_names, paths) -> pd.DataFrame:
    parts = []
    for p, _shared, counts in rows:
        a, b = pairs[p]
        units = np.asarray([lengths[int(s)] for s in counts.source], dtype=np.int64)
        neither = units - counts.both - counts.only_a - counts.only_b
        observed, expected, kappa = kappa_from_counts(counts.both, counts.only_a,
                                                      counts.only_b, neither)
        code_id = np.asarray(code_ids, dtype=np.int64)[counts.code] if len(counts.code) else []
        parts.append(pd.DataFrame({
            "code_id": code_id, "code": [paths[int(c)] for c in code_id],
            "source_id": counts.source, "source": [source_names[int(s)] for s in counts.source],
            "coder_a": names[a], "coder_b": names[b], "units": units,
            "both": counts.both, "only_a": counts.only_a, "only_b": counts.only_b,
            "neither": neither, "agreement": observed, "expected": expected, "kappa": kappa,
            "_rank": counts.code, "_pair": p}))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SOURCE_COLUMNS)
    if len(frame):
        frame = frame.sort_values(["_rank", "_pair", "source"], kind="stable")
    frame = frame.reindex(columns=SOURCE_COLUMNS).reset_index(drop=True)
    return _as_ints(frame, ["code_id", "source_id", "units", "both", "only_a", "only_b",
                            "neither"])


def _by_code(rows, pairs, code_ids, present, lengths, names, paths, alphas) -> pd.DataFrame:
    records = []
    for p, shared, counts in rows:
        a, b = pairs[p]
        total_units = int(sum(lengths[int(s)] for s in shared))
        units = np.asarray([lengths[int(s)] for s in counts.source], dtype=float)
        neither = units - counts.both - counts.only_a - counts.only_b
        observed, _, kappa = kappa_from_counts(counts.both, counts.only_a, counts.only_b,
                                               neither)
        n_rows = len(code_ids)
        sums = [np.bincount(counts.code, weights=x, minlength=n_rows)
                for x in (counts.both, counts.only_a, counts.only_b)]
        used_in = np.bincount(counts.code, minlength=n_rows)
        weight_obs = np.bincount(counts.code, weights=units * observed, minlength=n_rows)
        weight_units = np.bincount(counts.code, weights=units, minlength=n_rows)
        defined = ~np.isnan(kappa)
        weight_kappa = np.bincount(counts.code[defined], weights=(units * kappa)[defined],
                                   minlength=n_rows)
        weight_kappa_units = np.bincount(counts.code[defined], weights=units[defined],
                                         minlength=n_rows)
        for r in present:
            records.append(_code_record(
                names[a], names[b], code_ids[r], paths[code_ids[r]], int(used_in[r]),
                int(sums[0][r]), int(sums[1][r]), int(sums[2][r]), total_units,
                _ratio(weight_obs[r], weight_units[r]),
                _ratio(weight_kappa[r], weight_kappa_units[r]), alphas.get(r, float("nan"))))
        if len(present) > 1:
            keep = np.isin(np.arange(n_rows), present)
            records.append(_code_record(
                names[a], names[b], None, ALL_CODES, len({int(s) for s in counts.source}),
                int(sums[0][keep].sum()), int(sums[1][keep].sum()), int(sums[2][keep].sum()),
                total_units * len(present),
                _ratio(weight_obs[keep].sum(), weight_units[keep].sum()),
                _ratio(weight_kappa[keep].sum(), weight_kappa_units[keep].sum()),
                alphas.get("all", float("nan"))))
    frame = pd.DataFrame(records, columns=CODE_COLUMNS)
    frame["code_id"] = frame["code_id"].astype("Int64")
    return _as_ints(frame, ["sources", "units", "both", "only_a", "only_b", "neither"])


def _ratio(x, y) -> float:
    return float(x / y) if y else float("nan")


def _code_record(coder_a, coder_b, code_id, code, n_sources, both, only_a, only_b, units,
                 mean_obs, mean_kappa, alpha) -> dict:
    neither = units - both - only_a - only_b
    observed, expected, kappa = kappa_from_counts(both, only_a, only_b, neither)
    return {"code_id": code_id, "code": code, "coder_a": coder_a, "coder_b": coder_b,
            "sources": n_sources, "units": units, "both": both, "only_a": only_a,
            "only_b": only_b, "neither": neither, "agreement": float(observed),
            "expected": float(expected), "kappa": float(kappa), "mean_agreement": mean_obs,
            "mean_kappa": mean_kappa, "alpha": alpha}


def _alphas(index: _UnitIndex, coders, coded, unit_keys, present: list[int], n_codes: int):
    """Krippendorff's alpha per code rank in `present` (and "all" of them), over the units of
    the sources coded by two or more of the coders; each unit's coders are those who coded its
    source."""
    raters = np.zeros(len(index), dtype=np.int64)
    for c in coders:
        raters += np.isin(index.source, list(coded[c]))
    pairable = raters >= 2
    keys = np.concatenate([k[np.isin(index.source[k // n_codes], list(coded[c]))]
                           for c, k in unit_keys.items()])
    keys = keys[pairable[keys // n_codes]]
    keys = keys[np.argsort(keys % n_codes, kind="stable")]
    code_of = keys % n_codes
    bounds = np.searchsorted(code_of, np.arange(n_codes + 1))
    raters = raters[pairable]
    position = np.cumsum(pairable) - 1  # unit index -> row among the pairable units
    out: dict = {}
    stacked = []
    for r in present:
        units = position[keys[bounds[r]:bounds[r + 1]] // n_codes]
        ones = np.bincount(units, minlength=len(raters))
        counts = np.column_stack([raters - ones, ones])
        out[r] = alpha_binary(counts)
        stacked.append(counts)
    if len(stacked) > 1:
        out["all"] = alpha_binary(np.concatenate(stacked))
    return out


def _as_ints(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    for col in columns:
        if col in frame.columns and len(frame):
            frame[col] = frame[col].astype("int64")
    return frame


# -- decisions ------------------------------------------------------------------------------------

def decision_kappa(first: Sequence[str], second: Sequence[str], values: Sequence[str]
                   ) -> tuple[pd.DataFrame, float, float, float]:
    """The k×k table of two coders' decisions on the same documents (rows: `first`), with
    observed and expected agreement and Cohen's kappa (module doc). Decisions neither coder
    made are left out of the table; NaN kappa if undefined."""
    used = [v for v in values if v in set(first) | set(second)]
    used += sorted((set(first) | set(second)) - set(used))
    index = {v: i for i, v in enumerate(used)}
    cells = np.zeros((len(used), len(used)), dtype=np.int64)
    np.add.at(cells, ([index[v] for v in first], [index[v] for v in second]), 1)
    n = cells.sum()
    observed = np.trace(cells) / n
    expected = float((cells.sum(axis=1) * cells.sum(axis=0)).sum() / n**2)
    kappa = float("nan") if np.isclose(expected, 1.0) else (observed - expected) / (1 - expected)
    table = pd.DataFrame(cells, index=pd.Index(used, name="first"),
                         columns=pd.Index(used, name="second"))
    return table, float(observed), expected, float(kappa)
