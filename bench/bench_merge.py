"""Merging a colleague's copy with many codings.

- "merge a copy": `Project.merge(copy)` where the copy has the same sources and codes and a
  second coder's codings (each checked: span, code, exclusive groups, duplicates; one change,
  one undo step). Floor: executemany of the same coding rows into a new project's codings table
  in one transaction (what storing them costs at least). Target (issue 13): a copy with 100,000
  codings in at most 10 s.

Tier N: 1,000 × N codings on 10 × N sources of 10,000 characters, 50 codes; tier 100 is the
issue's size. Peak memory (resident, of the merge: bench.common.measure) comes with the figure,
CPU time in the note.
`python bench/bench_merge.py` runs tier 100 and says whether the target is met.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import measure, result, scratch, timed
from qualcode.core import Project

CHARS, CODES = 10_000, 50
TARGET = "≤ 10 s for a copy with 100,000 codings"


def build(folder: Path, n_sources: int, n_codings: int, *, seed: int = 14) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    ours = folder / "felles.qualcode"
    project = Project.create(ours, "flettebenk", coder="kari")
    conn = project.conn
    text = ("veileder samtale verktøy " * (CHARS // 25 + 1))[:CHARS]
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO sources (id, guid, name, kind, text, sha256, imported_at) "
        "VALUES (?, ?, ?, 'transcript', ?, ?, '2024-01-01')",
        [(s, f"s-{s}", f"intervju{s:05d}", text, "x") for s in range(1, n_sources + 1)])
    conn.executemany("INSERT INTO codes (id, guid, name, position) VALUES (?, ?, ?, ?)",
                     [(c, f"00000000-0000-4000-8000-{c:012d}", f"kode{c:02d}", c)
                      for c in range(1, CODES + 1)])
    conn.execute("COMMIT")
    project.close()
    copy = folder / "ola.qualcode"
    shutil.copy(ours, copy)
    start = rng.integers(0, CHARS - 500, n_codings)
    rows = [(f"k-{i}", int(s), int(a), int(a + w), int(c), "2024-01-01")
            for i, (s, a, w, c) in enumerate(zip(
                rng.integers(1, n_sources + 1, n_codings), start,
                rng.integers(20, 500, n_codings), rng.integers(1, CODES + 1, n_codings),
                strict=True))]
    conn = sqlite3.connect(copy)
    conn.execute("INSERT INTO coders (id, guid, name) VALUES (7, 'c-7', 'ola')")
    conn.executemany('INSERT OR IGNORE INTO codings (guid, source_id, start, "end", code_id, '
                     "coder_id, created_at) VALUES (?, ?, ?, ?, ?, 7, ?)", rows)
    conn.commit()
    conn.close()
    return ours, copy


def floor(folder: Path, copy: Path) -> None:
    rows = sqlite3.connect(copy).execute(
        'SELECT guid, source_id, start, "end", code_id, coder_id, created_at FROM codings'
    ).fetchall()
    target = folder / "floor.qualcode"
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(target)
    conn.execute('CREATE TABLE codings (id INTEGER PRIMARY KEY, guid TEXT UNIQUE, source_id, '
                 'start, "end", code_id, coder_id, created_at, UNIQUE (source_id, code_id, '
                 'coder_id, start, "end"))')
    with conn:
        conn.executemany('INSERT INTO codings (guid, source_id, start, "end", code_id, '
                         "coder_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.close()


def run(tier: int) -> list[dict]:
    folder = scratch(f"merge-tier{tier}")
    ours, copy = build(folder, 10 * tier, 1_000 * tier)
    fresh = folder / "fresh.qualcode"
    codings = {}

    def merge() -> None:
        with Project.open(fresh, coder="kari") as p:
            codings["n"] = sum(p.merge(copy).codings.values())

    def reset() -> None:
        shutil.copy(ours, fresh)

    ours = measure(merge, repeat=1, setup=reset)
    base = timed(lambda: floor(folder, copy), repeat=1)
    return [result("merge a copy", f"{codings['n']:,} codings on {10 * tier:,} sources",
                   ours, base, TARGET,
                   baseline="executemany of the same coding rows into one table, one "
                            "transaction",
                   note=f"CPU {ours.cpu_seconds:.2f} s")]


if __name__ == "__main__":
    for f in run(100):
        met = f["seconds"] <= 10.0
        print(f"{f['name']} ({f['size']}): {f['seconds']:.3f} s, floor "
              f"{f['baseline_seconds']:.3f} s, ratio {f['ratio']:.2f}; {f['note']} — target "
              f"{f['target']}: {'met' if met else 'NOT met'}")
