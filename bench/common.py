"""What benchmark modules share: synthetic corpora per tier (made once, kept in bench/out/),
timing, and the result dict the harness reads."""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Measured:
    seconds: float  # the best wall time of the calls
    peak_bytes: int | None  # the process's peak resident memory during the calls
    scope: str  # "call" (peak reset before each call) or "process" (peak since it started)
    cpu_seconds: float = 0.0  # this process's CPU time in the fastest call: on a busy machine
    # the wall time also holds the time spent waiting for a core


def measure(fn: Callable[[], object], *, repeat: int = 1,
            setup: Callable[[], object] | None = None) -> Measured:
    """Time `repeat` calls of `fn` (after `setup` each time, not timed) and take the peak
    resident memory during them: Linux lets a process reset its high-water mark
    (/proc/self/clear_refs), so the peak is that of the calls, with the data already loaded
    before them included; elsewhere it is the process's peak so far."""
    best, cpu, peak, scope = float("inf"), 0.0, 0, "call"
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        if not _reset_peak():
            scope = "process"
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        seconds = time.perf_counter() - t0
        if seconds < best:
            best, cpu = seconds, time.process_time() - c0
        peak = max(peak, peak_rss())
    return Measured(best, peak or None, scope, cpu)


def timed(fn: Callable[[], object], *, repeat: int = 1, setup: Callable[[], object] | None = None
          ) -> float:
    """The best wall time of `repeat` calls of `fn` (after `setup` each time, not timed)."""
    return measure(fn, repeat=repeat, setup=setup).seconds


def reset_peak() -> bool:
    """Start this process's peak resident memory afresh (Linux); False where it cannot.
    The garbage earlier figures left in cycles is freed first: the TUI app runs without
    Python's automatic collector (qualcode/tui/idle_collector.py), so a finished app's
    objects wait for the next full pass."""
    gc.collect()
    return _reset_peak()


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss() -> int:
    """This process's peak resident memory in bytes (since the last reset, on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def result(name: str, size: str, seconds: float | Measured, baseline_seconds: float | None,
           target: str, *, baseline: str = "", note: str = "",
           peak_bytes: int | None = None) -> dict:
    """One figure, as the harness reads it. Given a Measured, its peak memory comes along."""
    scope = "call"
    if isinstance(seconds, Measured):
        peak_bytes, scope, seconds = seconds.peak_bytes, seconds.scope, seconds.seconds
    return {"name": name, "size": size, "seconds": seconds,
            "baseline_seconds": baseline_seconds,
            "ratio": seconds / baseline_seconds if baseline_seconds else None,
            "target": target, "baseline": baseline, "note": note,
            "peak_bytes": peak_bytes, "peak_scope": scope if peak_bytes else ""}


def in_fresh_process(fn: Callable[..., object], *args: object) -> object:
    """`fn(*args)` in a new Python process (started, not forked), its result sent back.

    For figures whose peak memory must not include what earlier benchmarks of the same run
    left in this process (freed memory is not always given back to the system)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


# -- the floor most benchmarks compare with: the same rows, bare -------------------------------

def new_project(path: Path):
    """A new, empty project file at `path` (whatever was there is removed)."""
    from qualcode.core import Project

    for extra in ("", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    return Project.create(path, coder="bench")


def table_rows(path: Path, tables: Sequence[str]) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row of `tables` in the project file at `path`: (column names, rows) per table."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM {table}")
            out[table] = ([d[0] for d in cursor.description], cursor.fetchall())
        return out
    finally:
        conn.close()


def bulk_insert(path: Path, tables: dict[str, tuple[list[str], list[tuple]]]) -> None:
    """The rows (from `table_rows`) into a new project with executemany, one transaction:
    what storing them costs with no reading or checking."""
    project = new_project(path)
    conn = project.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
        for table, (columns, rows) in tables.items():
            names = ", ".join(f'"{c}"' for c in columns)
            conn.executemany(f"INSERT INTO {table} ({names}) VALUES "
                             f"({', '.join('?' * len(columns))})", rows)
        conn.execute("COMMIT")
    finally:
        project.close()
