"""Co-occurrence speed over many codings, against a numpy sweep over the same arrays.

- "co-occurrence, all pairs": `Project.cooccurrence()` (overlap, every pair of codes, with the
  coding ids behind each cell) over all codings. Floor: a numpy sweep over the same columns
  already in memory (sorted by source, coder and start, one `searchsorted` for the codings each
  one reaches, a `bincount` of the code pairs): the least work that counts the overlapping
  pairs. The bench checks that both, and a plain SQL self-join, find the same pairs. Target
  (issue 6): 1,000,000 codings in at most 1 s.
- "co-occurrence, two codes": the same for two given codes; floor: the sweep over their
  codings only. Target: at most 50 ms over the same 1,000,000 codings.

Tier N: 10,000 × N codings (1,000 per source, two coders, 100 codes in 10 themes, sources of
about 10,000 words); tier 100 is the issue's size. The project is written directly with
executemany into a new project file, from a seeded generator. The Word report is measured in
bench_excerpts.py. `python bench/bench_analysis.py` runs tier 100 and says whether the targets
are met.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import measure, result, scratch, timed
from qualcode.analysis.arrays import POSITION_BITS, CodingArrays, read_codings
from qualcode.core import Project

CODINGS_PER_SOURCE = 1_000
WORDS = ["veileder", "samtale", "verktøy", "åpne", "spørsmål", "oppsummering", "tid", "ledelse",
         "skjema", "kontor", "bruker", "mål", "plan", "samling", "veiledning", "motivasjon",
         "erfaring", "hverdag", "metode", "deltaker"]
THEMES, CODES_PER_THEME = 10, 10
SELF_JOIN = """
SELECT min(a.code_id, b.code_id) AS c1, max(a.code_id, b.code_id) AS c2, count(*) AS pairs
FROM codings a JOIN codings b
  ON b.source_id = a.source_id AND b.start >= a.start AND b.start < a."end"
 AND b.coder_id = a.coder_id AND b.code_id != a.code_id
 AND (b.start > a.start OR b.id > a.id)
{where}
GROUP BY c1, c2
"""


def build(path: Path, codings: int, excerpts: int, *, seed: int = 6) -> dict:
    """A project with `codings` codings, `excerpts` of them on the code "utvalg"."""
    rng = np.random.default_rng(seed)
    project = Project.create(path, "analysebenk", coder="bench")
    conn = project.conn
    n_sources = max(1, codings // CODINGS_PER_SOURCE)
    text = " ".join(rng.choice(WORDS, 10_000))
    stamp = "2024-01-01T00:00:00+00:00"
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO coders (id, guid, name) VALUES (?, ?, ?)",
                     [(1, "c-1", "kari"), (2, "c-2", "ola")])
    cases, attributes = [], []
    for office in range(1, 19):
        cases.append((office, f"k-{office}", f"kontor{office:02d}", "office", None))
        attributes.append(("case", office, "office", "number", office))
    for s in range(1, n_sources + 1):
        person = 100 + s
        cases.append((person, f"p-{s}", f"person{s:05d}", "person", 1 + s % 18))
        attributes.append(("case", person, "role", "text",
                           ("KVP-veileder", "HPMT-veileder", "leder")[s % 3]))
        attributes.append(("source", s, "time", "text", "T1" if s % 2 else "T2"))
    conn.executemany("INSERT INTO cases (id, guid, name, kind, parent_id) VALUES (?,?,?,?,?)",
                     cases)
    conn.executemany("INSERT INTO attributes (entity_kind, entity_id, name, type, value) "
                     "VALUES (?, ?, ?, ?, ?)", attributes)
    conn.executemany(
        "INSERT INTO sources (id, guid, name, kind, text, sha256, case_id, imported_at) "
        "VALUES (?, ?, ?, 'transcript', ?, ?, ?, ?)",
        [(s, f"s-{s}", f"intervju{s:05d}", text, f"x{s}", 100 + s, stamp)
         for s in range(1, n_sources + 1)])
    codes, leaves, code_id = [], [], 0
    for t in range(THEMES):
        code_id += 1
        theme = code_id
        codes.append((theme, f"g-{theme}", None, f"tema{t}", 0, t))
        for k in range(CODES_PER_THEME):
            code_id += 1
            codes.append((code_id, f"g-{code_id}", theme, f"kode{t}.{k}", 1, k))
            leaves.append(code_id)
    chosen = code_id + 1
    codes.append((chosen, f"g-{chosen}", None, "utvalg", 1, THEMES))
    conn.executemany("INSERT INTO codes (id, guid, parent_id, name, codable, position) "
                     "VALUES (?, ?, ?, ?, ?, ?)", codes)
    n = n_sources * CODINGS_PER_SOURCE
    source = np.repeat(np.arange(1, n_sources + 1), CODINGS_PER_SOURCE)
    length = rng.integers(20, 400, n)
    start = rng.integers(0, len(text) - 400, n)
    code = rng.choice(leaves, n)
    code[rng.choice(n, min(excerpts, n), replace=False)] = chosen
    coder = rng.choice([1, 2], n, p=[0.7, 0.3])
    conn.executemany(
        'INSERT OR IGNORE INTO codings (id, guid, source_id, start, "end", code_id, coder_id, '
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ((i + 1, f"k-{i}", int(s), int(a), int(a + b), int(c), int(d), stamp)
         for i, (s, a, b, c, d) in enumerate(zip(source, start, length, code, coder,
                                                 strict=True))))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    total = conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    on_chosen = conn.execute("SELECT count(*) FROM codings WHERE code_id = ?",
                             [chosen]).fetchone()[0]
    project.close()
    return {"codings": total, "excerpts": on_chosen, "two": (leaves[0], leaves[57]),
            "chosen": chosen}


def self_join(path: Path, codes: tuple[int, ...] | None = None) -> dict[tuple[int, int], int]:
    conn = sqlite3.connect(path)
    try:
        where = ""
        if codes:
            marks = ", ".join(map(str, codes))
            where = f"WHERE a.code_id IN ({marks}) AND b.code_id IN ({marks})"
        return {(c1, c2): n for c1, c2, n in conn.execute(SELF_JOIN.format(where=where))}
    finally:
        conn.close()


def _same_pairs(frame, joined: dict[tuple[int, int], int]) -> None:
    ours = {(min(a, b), max(a, b)): int(n) for a, b, n in
            zip(frame["code1_id"], frame["code2_id"], frame["pairs"], strict=True) if n}
    if ours != joined:
        raise AssertionError("co-occurrence pairs differ from the SQL self-join's")


def numpy_sweep(data: CodingArrays) -> dict[tuple[int, int], int]:
    """Overlapping pairs of codings of different codes by one coder, per code pair."""
    coders = int(data.coder.max(initial=0)) + 1
    key = ((data.source * coders + data.coder) << POSITION_BITS) | data.start
    order = np.argsort(key, kind="stable")
    key, end, code = key[order], data.end[order], data.code[order]
    base = (key >> POSITION_BITS) << POSITION_BITS
    later = np.searchsorted(key, base | (end - 1), side="right") - np.arange(1, len(key) + 1)
    a = np.repeat(np.arange(len(key)), later)
    b = np.arange(int(later.sum())) - np.repeat(np.cumsum(later) - later, later) + a + 1
    ca, cb = code[a], code[b]
    differ = ca != cb
    low, high = np.minimum(ca, cb)[differ], np.maximum(ca, cb)[differ]
    size = int(code.max(initial=0)) + 1
    counts = np.bincount(low * size + high, minlength=size * size)
    cells = np.flatnonzero(counts)
    return {(int(c // size), int(c % size)): int(counts[c]) for c in cells}


def run(tier: int) -> list[dict]:
    folder = scratch(f"analysis-tier{tier}")
    path = folder / "analyse.qualcode"
    made = build(path, 10_000 * tier, 100 * tier)
    size = f"{made['codings']:,} codings"
    out = []
    with Project.open(path) as p:
        frame = p.cooccurrence()
        seconds = measure(lambda: p.cooccurrence(), repeat=3)
        data = read_codings(p.db)
        swept = {}
        base = timed(lambda: swept.update(numpy_sweep(data)), repeat=3)
        joined = {}
        joins = timed(lambda: joined.update(self_join(path)), repeat=1)
        _same_pairs(frame, joined)
        if swept != joined:
            raise AssertionError("the numpy sweep's pairs differ from the SQL self-join's")
        out.append(result(
            "co-occurrence, all pairs (overlap)", f"{size}, {len(frame):,} code pairs",
            seconds, base, "≤ 1 s at 1,000,000 codings",
            baseline="numpy sweep over the same columns in memory (sort, searchsorted, "
                     "bincount of code pairs)",
            note=f"includes reading the codings from SQLite, the connected sets behind n12 and "
                 f"the coding ids of every cell; a plain SQL self-join counting the same pairs "
                 f"took {joins:.2f} s"))
        two = made["two"]
        pair = p.cooccurrence(codes=list(two))
        seconds = measure(lambda: p.cooccurrence(codes=list(two)), repeat=5)
        mine = read_codings(p.db, codes=list(two))
        swept = {}
        base = timed(lambda: swept.update(numpy_sweep(mine)), repeat=5)
        joined = {}
        joins = timed(lambda: joined.update(self_join(path, two)), repeat=1)
        _same_pairs(pair, joined)
        if swept != joined:
            raise AssertionError("the numpy sweep's pairs differ from the SQL self-join's")
        out.append(result("co-occurrence, two codes", size, seconds, base,
                          "≤ 50 ms at 1,000,000 codings",
                          baseline="the numpy sweep over the two codes' codings in memory",
                          note=f"the SQL self-join limited to the two codes took {joins:.3f} s"))
    return out


if __name__ == "__main__":
    figures = run(100)
    limits = {"co-occurrence, all pairs (overlap)": 1.0, "co-occurrence, two codes": 0.05}
    for f in figures:
        met = f["seconds"] <= limits[f["name"]]
        print(f"{f['name']} ({f['size']}): {f['seconds']:.3f} s, floor "
              f"{f['baseline_seconds']:.3f} s, ratio {f['ratio']:.2f} — target {f['target']}: "
              f"{'met' if met else 'NOT met'}")
