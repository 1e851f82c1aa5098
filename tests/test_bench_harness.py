"""The benchmark harness: finds bench_*.py modules, runs them per tier, writes the README."""

from __future__ import annotations

import json
import textwrap

import pytest

from bench import harness

FAKE = '''
"""A real benchmark module: sorts lists whose length grows with the tier."""
import random
import time


def run(tier):
    data = [random.random() for _ in range(20_000 * tier)]
    t0 = time.perf_counter()
    sorted(data)
    seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    list(data)
    base = time.perf_counter() - t0
    return [{"name": "sort floats", "size": f"{len(data):,} floats", "seconds": seconds,
             "baseline_seconds": base, "ratio": None, "target": "ratio < 100",
             "baseline": "copying the list", "note": "n log n"}]
'''

BROKEN = '''
def run(tier):
    if tier > 1:
        raise RuntimeError("out of paper")
    return [{"name": "fragile", "size": "1", "seconds": 0.5, "baseline_seconds": 0.25,
             "ratio": 2.0, "target": "none"}]
'''


@pytest.fixture
def bench_dir(tmp_path):
    folder = tmp_path / "benches"
    folder.mkdir()
    (folder / "bench_sorting.py").write_text(textwrap.dedent(FAKE), encoding="utf-8")
    (folder / "bench_fragile.py").write_text(textwrap.dedent(BROKEN), encoding="utf-8")
    (folder / "bench_norun.py").write_text("VALUE = 1\n", encoding="utf-8")
    (folder / "helpers.py").write_text("def run(tier):\n    raise AssertionError\n")
    return folder


def test_discovers_only_bench_modules_with_run(bench_dir):
    assert list(harness.discover(bench_dir)) == ["fragile", "sorting"]
    assert list(harness.select(harness.discover(bench_dir), ["bench_sorting"])) == ["sorting"]
    with pytest.raises(SystemExit, match="no benchmark module nosuch"):
        harness.select(harness.discover(bench_dir), ["nosuch"])


def test_the_repository_benchmarks_are_found():
    found = harness.discover()
    assert {"demo", "import"} <= set(found)
    assert all(callable(module.run) for module in found.values())


def test_runs_every_tier_records_failures_and_writes_the_readme(bench_dir, tmp_path, capsys):
    readme = tmp_path / "README.md"
    code = harness.main(["--dir", str(bench_dir), "--tiers", "1,10", "--readme", str(readme),
                         "--json", str(tmp_path / "run.json")])
    assert code == 1  # the fragile module failed at 10×
    out = capsys.readouterr().out
    assert "| sort floats | 1× | 20,000 floats |" in out
    assert "FAILED bench_fragile at 10×: RuntimeError: out of paper" in out
    text = readme.read_text(encoding="utf-8")
    box = harness.machine()
    for fact in (box["cpu"], f"| cores | {box['cores']} |", box["python"], box["sqlite"]):
        assert fact in text
    assert "| sort floats | 10× | 200,000 floats |" in text
    assert "| fragile | 1× | 1 | 0.500 s | 0.250 s | 2.00 | none |" in text
    assert "- **sort floats**: copying the list" in text
    assert "- **sort floats**: n log n" in text  # the same note at every tier: once
    assert "`bench_fragile` at 10×: RuntimeError: out of paper" in text
    growth_line = next(line for line in text.splitlines()
                       if line.startswith("| sort floats |") and "1×→10×" in line)
    factor = float(growth_line.rsplit("1×→10×: ", 1)[1].split()[0].rstrip("|"))
    recorded = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    seconds = {f["tier"]: f["seconds"] for f in recorded["figures"] if f["name"] == "sort floats"}
    # The growth column is the ratio of the two measured times (no timing is asserted: a busy
    # machine may take any time; the table must report what it measured).
    assert factor == pytest.approx(seconds[10] / seconds[1], abs=0.05)


def test_only_runs_one_module_and_leaves_the_readme_alone(bench_dir, capsys):
    assert harness.main(["--dir", str(bench_dir), "--tiers", "1", "--only", "sorting"]) == 0
    assert "fragile" not in capsys.readouterr().out
    assert not (bench_dir / "README.md").exists()


def test_a_result_without_the_required_fields_is_an_error():
    with pytest.raises(ValueError, match="lacks seconds, baseline_seconds"):
        harness.figure_from("x", 1, {"name": "n", "size": "s", "ratio": 1, "target": "t"})


def test_notes_that_differ_by_tier_are_listed_per_tier():
    run = harness.Run(figures=[
        harness.Figure("m", t, "x", "", 1.0, None, None, "", note=f"{t} rows") for t in (1, 10)])
    assert harness._notes(run) == ["- **x** (1×): 1 rows", "- **x** (10×): 10 rows"]


def test_growth_per_ten_times_size():
    def fig(tier, seconds):
        return harness.Figure("m", tier, "n", "", seconds, None, None, "")

    steps = harness.growth([fig(100, 50.0), fig(1, 0.5), fig(10, 5.0)])
    assert [(a, b) for a, b, _ in steps] == [(1, 10), (10, 100)]
    assert all(g == pytest.approx(10) for *_, g in steps)
    (step,) = harness.growth([fig(1, 1.0), fig(100, 100.0)])  # 100× apart: per 10× it is 10
    assert step[2] == pytest.approx(10)


def test_bad_tiers_are_refused(capsys):
    with pytest.raises(SystemExit):
        harness.main(["--tiers", "0,x"])
    assert "--tiers" in capsys.readouterr().err


SLOW = '''
import time


def run(tier):
    time.sleep(60)
    return []
'''


@pytest.mark.slow
def test_a_module_past_its_time_is_stopped_and_the_others_still_run(bench_dir, capsys):
    (bench_dir / "bench_stuck.py").write_text(SLOW, encoding="utf-8")
    code = harness.main(["--dir", str(bench_dir), "--tiers", "1", "--timeout", "3",
                         "--only", "stuck", "--only", "sorting"])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED bench_stuck at 1×: timed out after 3 s" in out
    assert "| sort floats | 1× |" in out


def test_in_process_mode_gives_the_same_figures(bench_dir, capsys):
    assert harness.main(["--dir", str(bench_dir), "--tiers", "1", "--only", "sorting",
                         "--in-process"]) == 0
    assert "| sort floats | 1× | 20,000 floats |" in capsys.readouterr().out
