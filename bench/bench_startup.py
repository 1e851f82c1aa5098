"""Start-up of the command line: `qualcode --help` and `qualcode info` as a user runs them.

Each is a fresh process (`python -m qualcode ...`), timed from spawn to exit, best of several
runs. Baseline: `python -c pass` in the same interpreter, the floor any Python command line
pays. The figure that matters is the absolute time (target ≤ 0.3 s each); the ratio shows what
qualcode adds to bare Python. Peak memory is the child's maximum resident set (wait4).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.common import result, scratch
from qualcode.core import Project

REPEAT = 7


def spawn(args: list[str], cwd) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one process running `args`."""
    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], cwd=cwd, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t0
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {child.returncode}")
    return seconds, usage.ru_maxrss / 1024


def best(args: list[str], cwd) -> tuple[float, float]:
    runs = [spawn(args, cwd) for _ in range(REPEAT)]
    return min(s for s, _ in runs), max(m for _, m in runs)


def run(tier: int) -> list[dict]:
    if tier != 1:
        return []  # start-up does not depend on the size of anything
    work = scratch("startup")
    Project.create(work / "study.qualcode").close()
    floor, floor_mb = best(["-c", "pass"], work)
    out = []
    for name, args in [("qualcode --help", ["-m", "qualcode", "--help"]),
                       ("qualcode info", ["-m", "qualcode", "info"])]:
        seconds, peak = best(args, work)
        out.append(result(name, "a fresh process", seconds, floor,
                          "≤ 0.3 s: every verb pays it",
                          baseline="`python -c pass` in the same interpreter",
                          note=f"the process's peak; python -c pass: {floor_mb:.0f} MiB",
                          peak_bytes=int(peak * 1024 * 1024)))
    return out
