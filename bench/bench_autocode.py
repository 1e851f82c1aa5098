"""Autocoding speed: codebook patterns over every text of a project, end to end.

- "autocode, every pattern of three codebooks": `Project.autocode(unit="sentence")` with the
  patterns of the shipped HPMT, barriers/enablers and Dreyfus codebooks over every source:
  reading the texts, the Norwegian pipeline (tokens, line starts, speaker labels,
  abbreviations, sentences, Snowball stems), matching, sentence spans, and storing the
  suggestions. Floor: spaCy's bare tokenizer (`nlp.tokenizer.pipe`, spacy.blank("nb")) over the
  same texts, already in memory: the least any spaCy-based autocoding does. Target (issue 14):
  at least 30,000 tokens/s; the note gives our tokens per second.

Tier N is N × the sample study (1,672 FE forms with two comment fields, 13 texts of about
1,300 words), from the seeded generator in corpora/generate.py. Both are measured after one
warm-up run (spaCy's loading and the stem cache are not counted); suggestions are deleted
before each timed run so that each one stores them all again.
`python bench/bench_autocode.py` runs tier 10 and says whether the target is met.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import corpus, measure, result, scratch
from corpora.generate import build_project
from qualcode.core import Project

TARGET = "≥ 30,000 tokens/s end to end"


def run(tier: int) -> list[dict]:
    path = scratch(f"autocode-tier{tier}") / "auto.qualcode"
    build_project(corpus(tier), path, overwrite=True)
    from qualcode.nlp.segment import pipeline

    nlp = pipeline()
    with Project.open(path, coder="bench") as p:
        texts = [r[0] for r in p.conn.execute("SELECT text FROM sources")]
        tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts))

        def clear() -> None:
            p.conn.execute("DELETE FROM suggestions")

        stored = p.autocode(unit="sentence").suggested  # warm-up
        ours = measure(lambda: p.autocode(unit="sentence"), setup=clear, repeat=2)
        floor = measure(lambda: sum(len(d) for d in nlp.tokenizer.pipe(texts)), repeat=2)
        rules = len(p.pattern_rules())
    rate = tokens / ours.seconds
    return [result(
        "autocode, every pattern of three codebooks", f"{len(texts):,} texts, {tokens:,} tokens, "
        f"{rules} codes with patterns", ours, floor.seconds, TARGET,
        baseline="spaCy's bare tokenizer (spacy.blank('nb')) over the same texts in memory",
        note=f"{rate:,.0f} tokens/s ({tokens / floor.seconds:,.0f} for the floor); "
             f"{stored:,} suggestions stored")]


if __name__ == "__main__":
    for f in run(10):
        rate = float(f["note"].split(" tokens/s")[0].replace(",", ""))
        print(f"{f['name']} ({f['size']}): {f['seconds']:.3f} s, floor "
              f"{f['baseline_seconds']:.3f} s, ratio {f['ratio']:.2f}; {f['note']} — target "
              f"{f['target']}: {'met' if rate >= 30_000 else 'NOT met'}")
