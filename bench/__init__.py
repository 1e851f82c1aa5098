"""qualcode's benchmarks: `python -m bench` (or `make bench`).

Every module `bench/bench_*.py` exposes `run(tier: int) -> list[dict]`; each dict is one figure:
`name`, `size`, `seconds`, `baseline_seconds`, `ratio`, `target` (and optionally `baseline`, what
the baseline is, and `note`). The harness (bench/harness.py) runs every module at the tiers 1×,
10× and 100× of the sample study's size, prints a table and writes bench/README.md.
Helpers for the modules (synthetic corpora per tier, timing) are in bench/common.py.
"""
