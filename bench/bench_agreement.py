"""Inter-coder agreement speed at character level.

- "agreement, character level": `Project.agreement(coders="kari,ola")` (per code, pooled over
  sources and averaged per source; reads the codings from SQLite). Floor: the same 2×2 tables
  (per code × source) counted by numpy from bit vectors of every character for every coder and
  code, made beforehand and not timed: `bitwise_count` of A & B, A and B per source. That is the
  least work any per-character method must do once the vectors exist; the bench checks that
  both give the same tables. Target (issue 13): 1,000 sources × 10,000 characters, 2 coders,
  50 codes in at most 2 s.

Tier N: 10 × N sources of 10,000 characters, 50 codes, two coders with 100 codings each per
source (ola's are kari's moved a little, some dropped, some of another code); tier 100 is the
issue's size. Peak memory (resident, of the timed calls: bench.common.measure) and CPU time are
in the note.
`python bench/bench_agreement.py` runs tier 100 and says whether the target is met.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import measure, result, scratch
from qualcode.core import Project

CHARS, CODES, PER_CODER = 10_000, 50, 100
TARGET = "≤ 2 s at 1,000 sources × 10,000 characters, 2 coders, 50 codes"


def build(path: Path, n_sources: int, *, seed: int = 13) -> dict:
    """A project of `n_sources` sources; returns the codings as arrays for the floor."""
    rng = np.random.default_rng(seed)
    project = Project.create(path, "enighetsbenk", coder="bench")
    conn = project.conn
    stamp = "2024-01-01T00:00:00+00:00"
    text = ("veileder samtale verktøy " * (CHARS // 25 + 1))[:CHARS]
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO coders (id, guid, name) VALUES (?, ?, ?)",
                     [(1, "c-1", "kari"), (2, "c-2", "ola")])
    conn.executemany(
        "INSERT INTO sources (id, guid, name, kind, text, sha256, imported_at) "
        "VALUES (?, ?, ?, 'transcript', ?, ?, ?)",
        [(s, f"s-{s}", f"intervju{s:05d}", text, f"x{s}", stamp)
         for s in range(1, n_sources + 1)])
    conn.executemany("INSERT INTO codes (id, guid, name, position) VALUES (?, ?, ?, ?)",
                     [(c, f"g-{c}", f"kode{c:02d}", c) for c in range(1, CODES + 1)])
    n = n_sources * PER_CODER
    source = np.repeat(np.arange(1, n_sources + 1), PER_CODER)
    start = rng.integers(0, CHARS - 500, n)
    end = start + rng.integers(20, 500, n)
    code = rng.integers(1, CODES + 1, n)
    jitter = rng.integers(-30, 31, (2, n))
    b_start = np.clip(start + jitter[0], 0, CHARS - 1)
    b_end = np.clip(end + jitter[1], b_start + 1, CHARS)
    b_code = np.where(rng.random(n) < 0.1, rng.integers(1, CODES + 1, n), code)
    kept = rng.random(n) > 0.1
    rows = [(1, s, a, e, c) for s, a, e, c in zip(source, start, end, code, strict=True)]
    rows += [(2, s, a, e, c) for s, a, e, c, k in zip(source, b_start, b_end, b_code, kept,
                                                       strict=True) if k]
    conn.executemany(
        'INSERT OR IGNORE INTO codings (guid, source_id, start, "end", code_id, coder_id, '
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((f"k-{i}", int(s), int(a), int(e), int(c), d, stamp)
         for i, (d, s, a, e, c) in enumerate(rows)))
    conn.execute("COMMIT")
    stored = np.array(conn.execute(
        'SELECT coder_id, source_id, start, "end", code_id FROM codings').fetchall())
    project.close()
    return {"codings": len(stored), "rows": stored, "sources": n_sources}


def bit_vectors(rows: np.ndarray, n_sources: int) -> np.ndarray:
    """Packed bits [coder, code, source × characters] of every coded character (not timed)."""
    vectors = np.zeros((2, CODES, n_sources * CHARS), dtype=bool)
    for coder, source, start, end, code in rows:
        base = (source - 1) * CHARS
        vectors[coder - 1, code - 1, base + start:base + end] = True
    return np.packbits(vectors.reshape(2 * CODES, n_sources, CHARS), axis=2)


def floor_tables(bits: np.ndarray) -> np.ndarray:
    """[code, source, (both, only_a, only_b)] from the packed vectors: the floor."""
    a, b = bits[:CODES], bits[CODES:]
    both = np.bitwise_count(a & b).sum(axis=2, dtype=np.int64)
    only_a = np.bitwise_count(a & ~b).sum(axis=2, dtype=np.int64)
    only_b = np.bitwise_count(b & ~a).sum(axis=2, dtype=np.int64)
    return np.stack([both, only_a, only_b], axis=2)


def _same_tables(frame, tables: np.ndarray) -> None:
    ours = np.zeros_like(tables)
    for r in frame.itertuples():
        ours[int(r.code_id) - 1, int(r.source_id) - 1] = (r.both, r.only_a, r.only_b)
    if not np.array_equal(ours, tables):
        raise AssertionError("agreement tables differ from the bit-vector floor's")


def run(tier: int) -> list[dict]:
    folder = scratch(f"agreement-tier{tier}")
    path = folder / "enighet.qualcode"
    made = build(path, 10 * tier)
    bits = bit_vectors(made["rows"], made["sources"])
    with Project.open(path) as p:
        _same_tables(p.agreement(coders="kari,ola", by="source"), floor_tables(bits))
        ours = measure(lambda: p.agreement(coders="kari,ola"), repeat=3)
        floor = measure(lambda: floor_tables(bits), repeat=3)
    return [result(
        "agreement, character level", f"{made['sources']:,} sources × {CHARS:,} ch, "
        f"{CODES} codes, {made['codings']:,} codings", ours, floor.seconds, TARGET,
        baseline="numpy bitwise_count over bit vectors of every character per coder and code, "
                 "made beforehand (same tables, checked)",
        note=f"CPU {ours.cpu_seconds:.2f} s (floor {floor.cpu_seconds:.2f} s); the floor's "
             f"{bits.nbytes / 2**20:.0f} MiB of vectors are in both peaks; includes reading "
             "the codings")]


if __name__ == "__main__":
    for f in run(100):
        met = f["seconds"] <= 2.0
        print(f"{f['name']} ({f['size']}): {f['seconds']:.3f} s, floor "
              f"{f['baseline_seconds']:.3f} s, ratio {f['ratio']:.2f}; {f['note']} — target "
              f"{f['target']}: {'met' if met else 'NOT met'}")
