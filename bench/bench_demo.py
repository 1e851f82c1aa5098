"""Building a whole project: the sample study (`qualcode demo`) and synthetic studies per tier.

- "build the demo project" (1× only): `build_demo` as `qualcode demo` runs it: imports,
  three codebooks, the example codings. Baseline: reading the same input files raw (bytes,
  decode, CSV rows), i.e. what any program must spend to look at the data once.
- "build a synthetic project" (every tier): a generated corpus of tier × the sample study's
  size imported (transcripts with attributes, forms with the shipped mapping), the three demo
  codebooks loaded and 2 codings per 1,000 characters applied through `Project.code_many`.
  Baseline: reading the same files raw.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bench.common import corpus, result, scratch, timed
from corpora.generate import build_project, demo_scale
from qualcode.demo import build_demo, demo_folder

DENSITY = 2.0


def read_raw(folder: Path) -> int:
    """Read every input file of a corpus once: bytes, UTF-8, CSV rows. Returns characters read."""
    chars = 0
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".txt", ".csv", ".yaml"):
            continue
        text = path.read_bytes().decode("utf-8-sig")
        chars += len(text)
        if path.suffix == ".csv":
            delimiter = ";" if text[:200].count(";") > text[:200].count(",") else ","
            for _ in csv.reader(io.StringIO(text), delimiter=delimiter):
                pass
    return chars


def run(tier: int) -> list[dict]:
    out = []
    scale = demo_scale(tier)
    if tier == 1:
        work = scratch("demo")
        target = work / "demo.qualcode"
        seconds = timed(lambda: build_demo(target, overwrite=True))
        base = timed(lambda: read_raw(demo_folder()), repeat=3)
        out.append(result(
            "build the demo project", "1,672 forms, 13 texts, 3 codebooks", seconds, base,
            "under 10 s: `qualcode demo` must feel immediate",
            baseline="reading corpora/hpmt_demo raw (bytes, UTF-8, CSV rows)"))
    folder = corpus(tier)
    work = scratch(f"synthetic-{tier}")
    seconds = timed(lambda: build_project(folder, work / "synthetic.qualcode",
                                          density=DENSITY, overwrite=True))
    base = timed(lambda: read_raw(folder), repeat=1 if tier >= 100 else 3)
    out.append(result(
        "build a synthetic project",
        f"{scale.forms:,} forms, {scale.transcripts:,} transcripts, {DENSITY:g} codings/1,000 ch",
        seconds, base, "grows linearly with size; 100× under 10 minutes",
        baseline="reading the same corpus files raw (bytes, UTF-8, CSV rows)"))
    return out
