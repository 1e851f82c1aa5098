"""REFI-QDA project (.qdpx) export and import speed and peak memory.

Tier N is a project of 20·N generated transcripts of 2,000 words (corpora/generate.py, seeded),
the sample study's three codebooks, and 40 codings per transcript by each of two coders (so
1,600·N codings); tier 100 is the issue's size: 2,000 texts × 2,000 words, 160,000 codings.

- "export .qdpx": `Project.export_qdpx` (project.qde streamed, every text as sources/<guid>.txt,
  the XML checked against Project.xsd, the file written atomically).
- "import .qdpx": `Project.import_qdpx` of that file into a new project (archive checks, parse,
  codebook, sources, every coding checked by the bulk path; one change).

Baseline for both, measured in the same run on the same data: a bare bulk insert (`executemany`,
one transaction) of the very source and coding rows the project holds into a new project file,
i.e. what storing the data costs with no reading, checking or XML. Each of the two operations
runs in a fresh Python process, whose peak resident memory (ru_maxrss, the interpreter and
libraries included) and CPU time are given in the note. Targets (issue 12): import ≤ 15 s, export ≤ 10 s, peak
memory ≤ 1 GB at 2,000 × 2,000 words and 160,000 codings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import bulk_insert, measure, new_project, result, scratch, table_rows
from corpora.generate import code_project, transcript_text
from qualcode.demo import DEMO_CODEBOOKS
from qualcode.ingest.codebook_yaml import read_codebook
from qualcode.ingest.shipped import shipped_codebook

REPO = Path(__file__).resolve().parents[1]
WORDS = 2_000
CODINGS_PER_CODER = 40  # per transcript
CODERS = ("kari", "ola")

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
from qualcode.core import Project
c0, t0 = time.process_time(), time.perf_counter()
{body}
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak_mib": peak, "out": out}}))
"""


def _in_child(body: str) -> dict:
    """Run `body` (which sets `out`) in a fresh Python: its time and peak memory."""
    done = subprocess.run([sys.executable, "-c", CHILD.format(repo=str(REPO), body=body)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def build(path: Path, texts: int) -> int:
    """The project to export: returns how many codings it has."""
    with new_project(path) as p:
        p.add_sources({"name": f"intervju{i:05d}", "text": transcript_text(WORDS, seed=i)}
                      for i in range(texts))
        for name in DEMO_CODEBOOKS:
            p.load_codebook(read_codebook(shipped_codebook(name)))
        chars = sum(len(s.text) for s in p.sources())
        density = CODINGS_PER_CODER * texts / chars * 1000
        for n, coder in enumerate(CODERS):
            code_project(p, density, seed=n, coder=coder, fast=True)
        return p.info()["codings"]


def measure_qdpx(work: Path, texts: int) -> list[dict]:
    source, archive, target = work / "source.qualcode", work / "out.qdpx", work / "in.qualcode"
    codings = build(source, texts)
    exported = _in_child(f"p = Project.open({str(source)!r})\n"
                         f"out = p.export_qdpx({str(archive)!r}).counts\np.close()")
    for extra in ("", "-wal", "-shm"):
        Path(f"{target}{extra}").unlink(missing_ok=True)
    imported = _in_child(f"p = Project.create({str(target)!r}, coder='bench')\n"
                         f"out = p.import_qdpx({str(archive)!r}).added\np.close()")
    if imported["out"].get("coding") != codings:
        raise RuntimeError(f"imported {imported['out']} of {codings} codings")
    tables = table_rows(source, ("coders", "codes", "sources", "codings"))
    floor = measure(lambda: bulk_insert(work / "bulk.qualcode", tables),
                    repeat=1 if codings > 50_000 else 3)
    base = floor.seconds
    cpu = (f"CPU {{:.2f}} s (the bulk insert {floor.cpu_seconds:.2f} s; on a busy machine the "
           "wall time also holds waiting for a core)")
    size = f"{texts:,} texts × {WORDS:,} words, {codings:,} codings"
    mib = archive.stat().st_size / 2**20
    baseline = ("executemany of the same coder, code, source and coding rows into a new project, one "
                "transaction")
    return [
        result("export .qdpx", size, exported["seconds"], base,
               "≤ 10 s and ≤ 1 GB at 2,000 texts × 2,000 words, 160,000 codings",
               baseline=baseline,
               note=f"peak memory {exported['peak_mib']:.0f} MiB; the .qdpx is {mib:.1f} MiB; "
                    + cpu.format(exported["cpu"]), peak_bytes=int(exported["peak_mib"] * 2**20)),
        result("import .qdpx", size, imported["seconds"], base,
               "≤ 15 s and ≤ 1 GB at 2,000 texts × 2,000 words, 160,000 codings",
               baseline=baseline,
               note=f"peak memory {imported['peak_mib']:.0f} MiB; " + cpu.format(imported["cpu"]),
               peak_bytes=int(imported["peak_mib"] * 2**20)),
    ]


def run(tier: int) -> list[dict]:
    return measure_qdpx(scratch(f"qdpx-{tier}"), 20 * tier)


if __name__ == "__main__":  # the size, with its targets
    for figure in run(100):
        print(f"{figure['name']}: {figure['seconds']:.2f} s (bulk insert "
              f"{figure['baseline_seconds']:.2f} s, ratio {figure['ratio']:.1f}); "
              f"{figure['note']}; target {figure['target']}")
