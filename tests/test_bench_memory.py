"""Every benchmark figure has a peak-memory figure: the measured call's own (bench.common's
measure resets the process's high-water mark first), else the whole process's, marked ≤."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from bench import harness
from bench.common import Measured, result

MEASURED = '''
from bench.common import measure, result


def run(tier):
    block = measure(lambda: bytearray(60_000_000 * tier))
    return [result("big block", f"{60 * tier} MB", block, 0.001, "none")]
'''

UNMEASURED = '''
def run(tier):
    return [{"name": "plain", "size": "1", "seconds": 0.5, "baseline_seconds": 0.25,
             "ratio": 2.0, "target": "none"}]
'''


PEAKS = """
import json
from bench.common import measure
before = bytearray(150_000_000)
del before
small = measure(lambda: bytearray(1_000_000))
big = measure(lambda: bytearray(80_000_000))
print(json.dumps([small.scope, big.scope, small.peak_bytes, big.peak_bytes]))
"""


def test_measure_gives_the_peak_of_the_call_not_of_what_came_before():
    # In a fresh process: a test worker's resident memory holds whatever earlier tests left.
    done = subprocess.run([sys.executable, "-c", PEAKS], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], check=True)
    small_scope, big_scope, small, big = json.loads(done.stdout)
    assert small_scope == big_scope == "call"
    assert big - small > 70_000_000
    assert small < 140_000_000  # the 150 MB freed before is not counted
    figure = result("x", "1", Measured(0.5, big, "call"), 0.5, "none")
    assert (figure["peak_bytes"], figure["peak_scope"]) == (big, "call")


def test_the_table_has_a_peak_memory_column(tmp_path, capsys):
    folder = tmp_path / "benches"
    folder.mkdir()
    (folder / "bench_measured.py").write_text(textwrap.dedent(MEASURED), encoding="utf-8")
    (folder / "bench_unmeasured.py").write_text(textwrap.dedent(UNMEASURED), encoding="utf-8")
    assert harness.main(["--dir", str(folder), "--tiers", "1"]) == 0
    table = capsys.readouterr().out
    assert "| target | peak memory |" in table
    big = next(line for line in table.splitlines() if line.startswith("| big block |"))
    megabytes = float(big.rstrip(" |").rsplit("| ", 1)[1].removesuffix(" MB"))
    assert 60 <= megabytes < 400
    plain = next(line for line in table.splitlines() if line.startswith("| plain |"))
    assert plain.rstrip(" |").rsplit("| ", 1)[1].startswith("≤ ")
