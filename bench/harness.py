"""Find the benchmark modules, run each at each tier in its own process, print the table, and
write bench/README.md."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import math
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_TIERS = (1, 10, 100)
FIELDS = ("name", "size", "seconds", "baseline_seconds", "ratio", "target")


@dataclass
class Figure:
    """One measured figure: a benchmark's result at one tier."""

    module: str
    tier: int
    name: str
    size: str
    seconds: float
    baseline_seconds: float | None
    ratio: float | None
    target: str
    baseline: str = ""
    note: str = ""
    peak_bytes: float | None = None  # peak resident memory while measured
    peak_scope: str = ""  # "call": during the measured call; "process": the whole run's peak


@dataclass
class Failure:
    module: str
    tier: int
    error: str


@dataclass
class Run:
    figures: list[Figure] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0


# -- discovery ----------------------------------------------------------------------------------

def discover(directory: Path = BENCH_DIR) -> dict[str, ModuleType]:
    """The `bench_*.py` modules in `directory` that have a `run(tier)`, by short name
    ("bench_demo.py" -> "demo"), in name order."""
    found = {}
    for path in sorted(directory.glob("bench_*.py")):
        module = _load(path, directory)
        if callable(getattr(module, "run", None)):
            found[path.stem.removeprefix("bench_")] = module
    return found


def _load(path: Path, directory: Path) -> ModuleType:
    if directory.resolve() == BENCH_DIR:
        name = f"bench.{path.stem}"
        if name in sys.modules:
            return sys.modules[name]
    else:
        name = f"_qualcode_bench_{abs(hash(str(path)))}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def select(modules: dict[str, ModuleType], only: Sequence[str]) -> dict[str, ModuleType]:
    """Keep the modules named in `only` (short name or file stem)."""
    if not only:
        return modules
    wanted = {o.removeprefix("bench_").removesuffix(".py") for o in only}
    unknown = wanted - set(modules)
    if unknown:
        raise SystemExit(f"no benchmark module {', '.join(sorted(unknown))} "
                         f"(there are: {', '.join(modules)})")
    return {k: v for k, v in modules.items() if k in wanted}


# -- running ------------------------------------------------------------------------------------

def figure_from(module: str, tier: int, raw: dict) -> Figure:
    missing = [f for f in FIELDS if f not in raw]
    if missing:
        raise ValueError(f"bench_{module}: a result lacks {', '.join(missing)}: {raw!r}")
    seconds, base = float(raw["seconds"]), raw["baseline_seconds"]
    base = None if base is None else float(base)
    ratio = raw["ratio"]
    if ratio is None and base:
        ratio = seconds / base
    return Figure(module=module, tier=tier, name=str(raw["name"]), size=str(raw["size"]),
                  seconds=seconds, baseline_seconds=base,
                  ratio=None if ratio is None else float(ratio), target=str(raw["target"]),
                  baseline=str(raw.get("baseline", "")), note=str(raw.get("note", "")),
                  peak_bytes=None if raw.get("peak_bytes") is None else float(raw["peak_bytes"]),
                  peak_scope=str(raw.get("peak_scope") or ""))


def process_peak() -> int:
    """The peak resident memory of this process since it started, in bytes."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def with_process_peak(results: list[dict], peak: int) -> list[dict]:
    """Figures that did not measure their own peak get the process's (an upper bound)."""
    return [r if r.get("peak_bytes") is not None else
            {**r, "peak_bytes": peak, "peak_scope": "process"} for r in results]


def run_all(modules: dict[str, ModuleType], tiers: Sequence[int], *, echo=print,
            isolate: bool = True, timeout: float | None = None) -> Run:
    """Run every module at every tier (small tiers first). A module that fails (or, isolated,
    runs past `timeout` seconds) at a tier is recorded as a failure and the rest go on.

    `isolate` runs each module and tier in its own Python process, so one benchmark's memory,
    threads or event loop cannot slow down or stall the next."""
    run = Run()
    started = time.perf_counter()
    for tier in sorted(tiers):
        for short, module in modules.items():
            echo(f"[bench] {short} at {tier}× ...")
            t0 = time.perf_counter()
            try:
                results = (_run_isolated(module, tier, timeout) if isolate
                           else with_process_peak(module.run(tier), process_peak()))
                figures = [figure_from(short, tier, r) for r in results]
            except IsolatedFailure as exc:
                run.failures.append(Failure(short, tier, str(exc)))
                continue
            except Exception as exc:  # one broken benchmark must not hide the others' figures
                echo(traceback.format_exc())
                run.failures.append(Failure(short, tier, f"{type(exc).__name__}: {exc}"))
                continue
            run.figures += figures
            for f in figures:
                echo(f"[bench]   {f.name}: {f.seconds:.3f} s (ratio {_ratio(f.ratio)})")
            echo(f"[bench]   ({time.perf_counter() - t0:.1f} s)")
    run.seconds = time.perf_counter() - started
    return run


class IsolatedFailure(Exception):
    """A benchmark that failed in its own process (the message says how)."""


def _run_isolated(module: ModuleType, tier: int, timeout: float | None) -> list[dict]:
    path = Path(module.__file__).resolve()
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-") as tmp:
        out = Path(tmp) / "results.json"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(BENCH_DIR.parent), os.environ.get("PYTHONPATH")) if p)}
        command = [sys.executable, "-m", "bench", "--worker", str(path), "--tiers", str(tier),
                   "--worker-out", str(out)]
        with subprocess.Popen(command, env=env, cwd=BENCH_DIR.parent, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as child:
            try:
                output, _ = child.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                child.kill()
                output, _ = child.communicate()
                sys.stderr.write(output)
                raise IsolatedFailure(f"timed out after {timeout:g} s") from None
        sys.stderr.write(output)  # what the benchmark printed, and its traceback if it failed
        answer = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        if child.returncode != 0 or "results" not in answer:
            raise IsolatedFailure(answer.get("error")
                                  or f"the benchmark process exited with code {child.returncode}")
        return answer["results"]


def _worker(path: Path, tier: int, out: Path) -> int:
    """In a child process: run one module at one tier and write its results as JSON."""
    try:
        results = with_process_peak(_load(path, path.parent).run(tier), process_peak())
        for raw in results:
            figure_from(path.stem.removeprefix("bench_"), tier, raw)  # fail here, with the cause
        out.write_text(json.dumps({"results": results}, default=float), encoding="utf-8")
        return 0
    except Exception as exc:
        traceback.print_exc()
        out.write_text(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), encoding="utf-8")
        return 1


# -- reporting ----------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": memory or "unknown",
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "system": f"{platform.system()} {platform.release()}"}


def growth(figures: list[Figure]) -> list[tuple[int, int, float]]:
    """(lower tier, higher tier, factor per 10× of size) between consecutive measured tiers."""
    by_tier = sorted((f.tier, f.seconds) for f in figures)
    out = []
    for (t1, s1), (t2, s2) in zip(by_tier, by_tier[1:], strict=False):
        if s1 > 0 and t2 > t1:
            out.append((t1, t2, (s2 / s1) ** (1 / math.log10(t2 / t1))))
    return out


def _ratio(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.2f}"


def _secs(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


def _memory(f: Figure) -> str:
    if f.peak_bytes is None:
        return "–"
    mb = f.peak_bytes / 1e6
    text = f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB"
    return f"≤ {text}" if f.peak_scope == "process" else text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def results_table(run: Run) -> list[str]:
    lines = ["| benchmark | tier | size | time | baseline | ratio | target | peak memory |",
             "|---|---|---|---|---|---|---|---|"]
    for f in sorted(run.figures, key=lambda f: (f.module, f.name, f.tier)):
        lines.append(f"| {_cell(f.name)} | {f.tier}× | {_cell(f.size)} | {_secs(f.seconds)} | "
                     f"{_secs(f.baseline_seconds)} | {_ratio(f.ratio)} | {_cell(f.target)} | "
                     f"{_memory(f)} |")
    return lines


def growth_table(run: Run, tiers: Sequence[int]) -> list[str]:
    tiers = sorted(tiers)
    head = " | ".join(f"{t}×" for t in tiers)
    lines = [f"| benchmark | {head} | growth per 10× of size |",
             "|---|" + "---|" * len(tiers) + "---|"]
    names: dict[tuple[str, str], list[Figure]] = {}
    for f in run.figures:
        names.setdefault((f.module, f.name), []).append(f)
    for (_, name), figures in sorted(names.items()):
        at = {f.tier: f.seconds for f in figures}
        cells = " | ".join(_secs(at.get(t)) for t in tiers)
        steps = ", ".join(f"{a}×→{b}×: {g:.1f}" for a, b, g in growth(figures)) or "–"
        lines.append(f"| {_cell(name)} | {cells} | {steps} |")
    return lines


def baselines(run: Run) -> list[str]:
    seen: dict[str, str] = {}
    for f in run.figures:
        if f.baseline and f.name not in seen:
            seen[f.name] = f.baseline
    return [f"- **{_cell(n)}**: {b}" for n, b in sorted(seen.items())]


def _notes(run: Run) -> list[str]:
    """One line per note; a note that differs between tiers gets one line per tier."""
    by_name: dict[str, dict[int, str]] = {}
    for f in run.figures:
        if f.note:
            by_name.setdefault(f.name, {})[f.tier] = f.note
    lines = []
    for name, notes in sorted(by_name.items()):
        if len(set(notes.values())) == 1:
            lines.append(f"- **{_cell(name)}**: {_cell(next(iter(notes.values())))}")
        else:
            lines += [f"- **{_cell(name)}** ({tier}×): {_cell(note)}"
                      for tier, note in sorted(notes.items())]
    return lines


def readme(run: Run, tiers: Sequence[int], when: dt.datetime | None = None,
           box: dict[str, str] | None = None) -> str:
    """The text of bench/README.md for this run."""
    when = when or dt.datetime.now().astimezone()
    box = box or machine()
    out = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (`python -m bench`), which runs every `bench/bench_*.py` at the "
        "tiers below and rewrites this file. A tier is a multiple of the bundled sample study "
        "(1× = 1,672 FE forms and 13 texts of about 1,300 words); larger tiers use synthetic "
        "corpora from `corpora/generate.py` (seeded, so every run measures the same data). "
        "Each figure has a baseline measured in the same run on the same data, so the ratio "
        "stays comparable across machines; targets are stated per figure. "
        "Run one module with `python -m bench --only NAME`, chosen tiers with "
        "`--tiers 1,10`. Peak memory is the process's peak resident memory (the interpreter, "
        "libraries and data already loaded included) while the measured call ran; \"≤\" "
        "marks a figure whose module did not measure it, given the peak of its whole "
        "process instead (an upper bound).",
        "",
        f"Run on {when:%Y-%m-%d %H:%M %Z}, tiers {', '.join(f'{t}×' for t in sorted(tiers))}, "
        f"{run.seconds / 60:.1f} minutes in all.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {_cell(v)} |" for k, v in box.items()],
        "",
        "## Figures",
        "",
        *results_table(run),
        "",
        "## How cost grows with size",
        "",
        "Time at each tier, and the factor by which it grows for each 10× of size "
        "(10 means linear; less than 10 means fixed costs still dominate).",
        "",
        *growth_table(run, tiers),
        "",
    ]
    base = baselines(run)
    if base:
        out += ["## Baselines", "", *base, ""]
    notes = _notes(run)
    if notes:
        out += ["## Notes", "", *notes, ""]
    if run.failures:
        out += ["## Failures", "", "These benchmarks raised an error in this run:", "",
                *[f"- `bench_{x.module}` at {x.tier}×: {_cell(x.error)}" for x in run.failures],
                ""]
    return "\n".join(out)


def parse_tiers(text: str) -> list[int]:
    try:
        tiers = sorted({int(t) for t in text.split(",") if t.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--tiers {text!r}: write whole numbers, e.g. 1,10,100"
                                         ) from None
    if not tiers or tiers[0] < 1:
        raise argparse.ArgumentTypeError("--tiers: at least one tier, each 1 or more")
    return tiers


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run qualcode's benchmarks at scale tiers and write bench/README.md.")
    parser.add_argument("--tiers", type=parse_tiers, default=list(DEFAULT_TIERS),
                        help="comma-separated multiples of the sample study (default 1,10,100)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only this module (e.g. demo for bench_demo.py); repeatable")
    parser.add_argument("--dir", type=Path, default=BENCH_DIR,
                        help="where the bench_*.py modules are (default: this package)")
    parser.add_argument("--readme", type=Path, metavar="PATH",
                        help="write the report here (default: bench/README.md for a full "
                             "run, none with --only)")
    parser.add_argument("--json", type=Path, metavar="PATH",
                        help="also write the raw figures as JSON")
    parser.add_argument("--timeout", type=float, default=1800, metavar="SECONDS",
                        help="stop a module that runs longer than this at one tier "
                             "(default 1800)")
    parser.add_argument("--in-process", action="store_true",
                        help="run the modules in this process (for debugging a benchmark)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args.worker, args.tiers[0], args.worker_out)
    modules = select(discover(args.dir), args.only)
    if not modules:
        print(f"no bench_*.py module with run(tier) in {args.dir}", file=sys.stderr)
        return 1
    run = run_all(modules, args.tiers, echo=lambda s: print(s, file=sys.stderr, flush=True),
                  isolate=not args.in_process, timeout=args.timeout)
    print("\n".join(results_table(run)))
    print()
    print("\n".join(growth_table(run, args.tiers)))
    for x in run.failures:
        print(f"FAILED bench_{x.module} at {x.tier}×: {x.error}")
    target = args.readme or (None if args.only else args.dir / "README.md")
    if target is not None:
        target.write_text(readme(run, args.tiers), encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "tiers": args.tiers,
                                         "seconds": run.seconds,
                                         "figures": [vars(f) for f in run.figures],
                                         "failures": [vars(x) for x in run.failures]},
                                        indent=2, ensure_ascii=False), encoding="utf-8")
    return 1 if run.failures else 0
