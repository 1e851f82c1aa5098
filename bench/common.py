"""What benchmark modules share: synthetic corpora per tier (made once, kept in bench/out/),
timing, and the result dict the harness reads."""

from __future__ import annotations

import gc
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from corpora.generate import Scale, demo_scale, write_corpus

OUT_DIR = Path(os.environ.get("QUALCODE_BENCH_OUT", Path(__file__).resolve().parent / "out"))
SEED = 0


def corpus(tier: int, *, seed: int = SEED) -> Path:
    """A folder with fe_forms.csv, transcripts/ and attributes.csv at `tier` × the sample study.

    Written once per tier and seed (the generator is deterministic) and reused by every module.
    """
    return corpus_at(demo_scale(tier), f"tier{tier}-seed{seed}", seed=seed)


def corpus_at(scale: Scale, name: str, *, seed: int = SEED) -> Path:
    folder = OUT_DIR / "corpora" / name
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(folder, scale, seed=seed)
        done.write_text(f"{scale}\n", encoding="utf-8")
    return folder


def scratch(name: str) -> Path:
    """An empty folder under bench/out/ for files a benchmark writes (emptied first)."""
    folder = OUT_DIR / "scratch" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def timed(fn: Callable[[], object], *, repeat: int = 1, setup: Callable[[], object] | None = None
          ) -> float:
    """The best wall time of `repeat` calls of `fn` (after `setup` each time, not timed)."""
    best = float("inf")
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def result(name: str, size: str, seconds: float, baseline_seconds: float | None, target: str,
           *, baseline: str = "", note: str = "") -> dict:
    """One figure, as the harness reads it."""
    return {"name": name, "size": size, "seconds": seconds,
            "baseline_seconds": baseline_seconds,
            "ratio": seconds / baseline_seconds if baseline_seconds else None,
            "target": target, "baseline": baseline, "note": note}
