"""Search speed across a project once its full-text index is built.

- "find a phrase": `Project.find("åpne spørsmål")` (the index narrows to the sources holding
  both words, then every hit's offsets and context come from the stored text). Floor: the bare
  FTS5 phrase query that returns the ids of the matching sources, the least any index-based
  search does. Target (issue 14): 1,000 sources × 10,000 words in at most 0.5 s.
- "find --stem": `find("veileder", stem=True)` (every form of the word), same floor kind.
- "find --regex": `find(r"\\bUTU\\b", regex=True)` reads every text (a regex cannot use the
  index). Floor: the same compiled regex over the texts already in memory.

Tier N: 10 × N sources of 10,000 words (tier 100 is the issue's size), drawn from a vocabulary
of Norwegian words and made-up ones (so the index holds many distinct terms); the phrase is
planted in 2 % of the sources, the word's forms in 10 %. The index is built by the import
triggers as the sources are added; that time is in the note.
`python bench/bench_search.py` runs tier 100 and says whether the target is met.
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import measure, result, scratch
from qualcode.core import Project

WORDS = 10_000
TARGET = "≤ 0.5 s at 1,000 sources × 10,000 words"
COMMON = ["og", "i", "det", "som", "er", "på", "en", "til", "av", "for", "med", "å", "har", "ikke", "vi", "jeg", "hun", "han", "de", "der", "så", "men", "om", "bruker", "møte", "samtale", "tiltak", "plan", "mål", "arbeid", "praksis", "kontor", "uke", "tid", "hjelp"]
FORMS = ["veileder", "veilederen", "veiledere", "veilederne"]


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    syllables = ["ka", "ve", "lo", "sti", "mer", "an", "dag", "ryt", "pe", "ord", "sk", "tø",
                 "fj", "el", "bru", "nin", "gen", "het", "lig", "røy"]
    made = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size)}
    return sorted(made) + COMMON * 40


def texts(n: int, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    out = []
    for i in range(n):
        words = rng.choices(vocab, k=WORDS)
        if i % 50 == 7:
            for at in rng.sample(range(WORDS - 2), 3):
                words[at:at + 2] = ["åpne", "spørsmål"] if at % 2 else ["Åpne", "spørsmål"]
        if i % 10 == 3:
            for at in rng.sample(range(WORDS), 4):
                words[at] = rng.choice(FORMS)
        if i % 20 == 5:
            words[rng.randrange(WORDS)] = "UTU"
        out.append(" ".join(words))
    return out


def build(path: Path, n: int) -> tuple[float, list[str]]:
    corpus = texts(n)
    with Project.create(path, "søkebenk", coder="bench") as p:
        t0 = time.perf_counter()
        p.add_sources({"name": f"intervju{i:05d}", "text": text} for i, text in
                      enumerate(corpus))
        return time.perf_counter() - t0, corpus


def fts_ids(p: Project, match: str) -> list[int]:
    return [r[0] for r in p.conn.execute(
        "SELECT rowid FROM sources_fts WHERE sources_fts MATCH ?", [match])]


def run(tier: int) -> list[dict]:
    n = 10 * tier
    path = scratch(f"search-tier{tier}") / "sok.qualcode"
    build_seconds, corpus = build(path, n)
    size = f"{n:,} sources × {WORDS:,} words"
    figures = []
    with Project.open(path, coder="bench") as p:
        phrase = measure(lambda: p.find("åpne spørsmål"), repeat=3)
        hits = len(p.find("åpne spørsmål"))
        floor = measure(lambda: fts_ids(p, '"åpne spørsmål"'), repeat=3)
        figures.append(result(
            "find a phrase", size, phrase, floor.seconds, TARGET,
            baseline="FTS5 phrase query returning the matching sources' ids",
            note=f"{hits} hits; adding the sources with their index took {build_seconds:.1f} s"))
        stem = measure(lambda: p.find("veileder", stem=True), repeat=3)
        stem_hits = len(p.find("veileder", stem=True))
        stem_floor = measure(lambda: fts_ids(p, '"veiled"* OR "veileder"*'), repeat=3)
        figures.append(result(
            "find --stem", size, stem, stem_floor.seconds, TARGET,
            baseline="FTS5 prefix query for the word's stems returning the sources' ids",
            note=f"{stem_hits} hits"))
        regex = measure(lambda: p.find(r"\bUTU\b", regex=True), repeat=3)
        pattern = re.compile(r"\bUTU\b", re.IGNORECASE)
        scan = measure(lambda: [m.span() for t in corpus for m in pattern.finditer(t)], repeat=3)
        figures.append(result(
            "find --regex (reads every text)", size, regex, scan.seconds,
            "no target: a regex cannot use the index",
            baseline="the same regex over the texts already in memory",
            note=f"{len(p.find(r'UTU', regex=True))} hits"))
    return figures


if __name__ == "__main__":
    for f in run(100):
        met = f["seconds"] <= 0.5
        print(f"{f['name']} ({f['size']}): {f['seconds']:.3f} s, floor "
              f"{f['baseline_seconds']:.4f} s, peak {f['peak_bytes'] / 2**20:.0f} MiB; "
              f"{f['note']} — {f['target']}: {'met' if met else 'NOT met'}")
