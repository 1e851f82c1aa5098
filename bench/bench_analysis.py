"""Analysis and report speed: co-occurrence over many codings, and the Word export.

- "co-occurrence, all pairs": `Project.cooccurrence()` (overlap, every pair of codes, with the
  coding ids behind each cell) over all codings. Baseline: a plain SQL self-join that counts
  the overlapping pairs per code pair (using the (source, start) index), on the same data in
  the same run; the bench checks that both find the same pairs. Target (issue 6): 1,000,000
  codings in at most 1 s and at least 2× faster than the self-join.
- "co-occurrence, two codes": the same for two given codes. Baseline: the self-join limited to
  them. Target: at most 50 ms over the same 1,000,000 codings.
- "Word export": `excerpts_docx` of every excerpt of one code (code tree headings, quotes with
  attribution). Baseline: python-docx writing the same excerpts as plain Quote paragraphs (what
  the library itself costs). Target: 10,000 excerpts in at most 30 s.

Tier N: 10,000 × N codings (1,000 per source, two coders, 100 codes in 10 themes, sources of
about 10,000 words) and 100 × N excerpts to export; tier 100 is the issue's size. The project is
written directly with executemany into a new project file, from a seeded generator.
`python bench/bench_analysis.py` runs tier 100 and says whether the targets are met.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import result, scratch, timed
from qualcode.core import Project
from qualcode.export.report_docx import excerpts_docx

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


def run(tier: int) -> list[dict]:
    folder = scratch(f"analysis-tier{tier}")
    path = folder / "analyse.qualcode"
    made = build(path, 10_000 * tier, 100 * tier)
    size = f"{made['codings']:,} codings"
    out = []
    with Project.open(path) as p:
        frame = p.cooccurrence()
        seconds = timed(lambda: p.cooccurrence(), repeat=3)
        joined = {}
        base = timed(lambda: joined.update(self_join(path)), repeat=1 if tier >= 10 else 3)
        _same_pairs(frame, joined)
        out.append(result(
            "co-occurrence, all pairs (overlap)", f"{size}, {len(frame):,} code pairs",
            seconds, base, "≤ 1 s and ≤ 0.5× baseline at 1,000,000 codings",
            baseline="plain SQL self-join counting overlapping pairs per code pair "
                     "(index on source, start), same data",
            note="includes reading the codings from SQLite and the coding ids of every cell"))
        two = made["two"]
        pair = p.cooccurrence(codes=list(two))
        seconds = timed(lambda: p.cooccurrence(codes=list(two)), repeat=5)
        joined = {}
        base = timed(lambda: joined.update(self_join(path, two)), repeat=3)
        _same_pairs(pair, joined)
        out.append(result("co-occurrence, two codes", size, seconds, base,
                          "≤ 50 ms at 1,000,000 codings",
                          baseline="the same SQL self-join limited to the two codes"))
        target = folder / "utdrag.docx"
        rows = p.codings(codes=[made["chosen"]])
        seconds = timed(lambda: excerpts_docx(p, target, codes=[made["chosen"]]), repeat=1)
        base = timed(lambda: _plain_docx(rows["text"].tolist(), folder / "plain.docx"),
                     repeat=1)
        out.append(result("Word export of coded excerpts", f"{made['excerpts']:,} excerpts",
                          seconds, base, "≤ 30 s for 10,000 excerpts",
                          baseline="python-docx writing the same excerpts as plain Quote "
                                   "paragraphs"))
    return out


def _plain_docx(texts: list[str], path: Path) -> None:
    from docx import Document

    doc = Document()
    style = doc.styles["Quote"]
    for text in texts:
        doc.add_paragraph(text, style)
    doc.save(str(path))


if __name__ == "__main__":
    figures = run(100)
    limits = {"co-occurrence, all pairs (overlap)": (1.0, 0.5),
              "co-occurrence, two codes": (0.05, None),
              "Word export of coded excerpts": (30.0, None)}
    for f in figures:
        limit, ratio = limits[f["name"]]
        met = f["seconds"] <= limit and (ratio is None or f["ratio"] <= ratio)
        print(f"{f['name']} ({f['size']}): {f['seconds']:.3f} s, baseline "
              f"{f['baseline_seconds']:.3f} s, ratio {f['ratio']:.3f} — target {f['target']}: "
              f"{'met' if met else 'NOT met'}")
