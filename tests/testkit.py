"""What tests import by name (the CLI runners, a sample transcript, a table dump).

A module of its own, not conftest.py: `from testkit import ...` finds whichever conftest.py
pytest loaded last (tests/tui/ has one too), so it broke when tests ran in another order.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO_CORPUS = REPO / "corpora" / "hpmt_demo"  # the sample study's files, in the repository

TRANSCRIPT = (
    "I: Hvordan var den første samlingen?\r\n"
    "IP: Altså, det ble for mange verktøy på én gang 😅. Vi fikk ikke tid.\r\n"
    "I: Og veiledningen?\r\n"
    "IP: Lederen vår støttet oss, så det gikk bedre etter hvert. Æ, ø og å.\r\n"
)


def table_dump(project) -> dict[str, list[tuple]]:
    """Every row of every table except the event log, for before/after comparisons."""
    # A full-text index (virtual table and its shadow tables) is derived from the sources and
    # its pages differ after an undo; the search tests check that it is in step.
    indexes = [r[0] for r in project.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")]
    names = [r[0] for r in project.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'events' ORDER BY name")
        if not any(r[0] == i or r[0].startswith(i + "_") for i in indexes)]
    return {n: [tuple(r) for r in project.conn.execute(f"SELECT * FROM {n} ORDER BY 1, 2")]
            for n in names}


@dataclass
class Ran:
    """What a run of the command line gave: the same fields as subprocess.CompletedProcess."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def run_qualcode(*args, cwd, env=None, ok=True) -> Ran:
    """Run the command line in this process (click's CliRunner), in `cwd`, with no input.

    The verbs are the same code a user's process runs; only start-up is skipped, which makes
    the CLI tests several times faster. `run_qualcode_process` runs a real process, for the
    smoke tests of what only a process shows (the entry point, exit codes, no stdin).
    """
    from click.testing import CliRunner

    from qualcode.cli import cli

    argv = [str(a) for a in args]
    runner = CliRunner(env={"COLUMNS": "160", **(env or {})})
    with contextlib.chdir(cwd):
        result = runner.invoke(cli, argv, prog_name="qualcode", catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a bug: show it as the test's failure
    ran = Ran(argv, result.exit_code, result.stdout, result.stderr)
    if ok:
        assert ran.returncode == 0, ran.stderr
    return ran


def run_qualcode_process(*args, cwd, env=None, ok=True) -> subprocess.CompletedProcess:
    """Run the command line as a user does: a real process, no standard input."""
    result = subprocess.run([sys.executable, "-m", "qualcode", *map(str, args)], cwd=cwd,
                            text=True, capture_output=True, stdin=subprocess.DEVNULL,
                            env={**os.environ, "COLUMNS": "160", **(env or {})})
    if ok:
        assert result.returncode == 0, result.stderr
    return result
