"""Killing a real `qualcode open` the moment it says a coding is done loses nothing.

The app runs in a pseudo-terminal, gets real key presses, and is killed with SIGKILL as soon as
its screen shows "Coded ..."; the project file must then hold the coding.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest
from tui_study import KONTOR02

import qualcode as qc

FIRST_TURN = "Hvordan var den første samlingen?"
ESCAPES = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str], size=(30, 100)):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: set the terminal size, then become qualcode
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
            os.execve(argv[0], argv, env)
        self.seen = ""

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in ESCAPES.sub("", self.seen):
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {text!r}; last screen text: {self.plain()[-800:]!r}"
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.5))
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536).decode("utf-8", "replace")
                except OSError:  # the app ended
                    raise AssertionError(f"app ended early: {self.plain()[-800:]!r}") from None

    def plain(self) -> str:
        return ESCAPES.sub("", self.seen)

    def type(self, keys: str) -> None:
        for key in keys:
            os.write(self.fd, key.encode())
            time.sleep(0.05)

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.mark.slow
def test_sigkill_right_after_coding_keeps_the_coding(study_path, tmp_path):
    env = {**os.environ, "TERM": "xterm-256color", "QUALCODE_CONFIG_DIR": str(tmp_path / "cfg")}
    argv = [sys.executable, "-m", "qualcode", "open", str(study_path), "--coder", "kari",
            "--source", "kontor02_T2"]
    terminal = Terminal(argv, env)
    try:
        terminal.wait_for("Uncode")  # the reader's footer: the app is up
        terminal.type("t")  # the cursor starts in the first turn
        terminal.wait_for("Code speaker turn")
        terminal.type("tid")
        terminal.wait_for("Barrierer/tid")  # the picker shows the code's details
        terminal.type("\r")
        terminal.wait_for(f"Coded {len(FIRST_TURN)} characters as tid")
    finally:
        terminal.kill()
    start = KONTOR02.index(FIRST_TURN)
    with qc.open_project(study_path) as p:
        rows = p.codings(coders=["kari"])
    assert [(r.start, r.end, r.code_path) for r in rows.itertuples()] == [
        (start, start + len(FIRST_TURN), "Barrierer/tid")]


def saved_place(config: Path, project: Path, wanted, timeout: float = 30) -> dict:
    """The place saved for `project` once `wanted(place)` holds (the app saves it when the
    cursor rests); the last one seen if it never does."""
    deadline = time.monotonic() + timeout
    place: dict = {}
    while time.monotonic() < deadline:
        try:
            data = json.loads((config / "places.json").read_text(encoding="utf-8"))
            place = data["projects"][str(project.resolve())]
        except (OSError, ValueError, KeyError):
            place = {}
        if wanted(place):
            return place
        time.sleep(0.1)
    return place


@pytest.mark.slow
def test_sigkill_keeps_the_reading_position_and_the_screen(study_path, tmp_path):
    """The place is saved as it changes, not only on a clean exit: killed, the app reopens at
    the turn the cursor rested on; killed on another screen, it reopens on that screen."""
    config = tmp_path / "cfg"
    env = {**os.environ, "TERM": "xterm-256color", "QUALCODE_CONFIG_DIR": str(config)}
    argv = [sys.executable, "-m", "qualcode", "open", str(study_path), "--coder", "kari"]
    fourth_turn = KONTOR02.index("Lederen vår støttet")
    line = KONTOR02[:fourth_turn].count("\n") + 1
    terminal = Terminal([*argv, "--source", "kontor02_T2"], env)
    try:
        terminal.wait_for("Uncode")
        terminal.type("}}}}")  # the cursor starts before the first turn: to the fourth
        place = saved_place(config, study_path,
                            lambda p: p.get("reader", {}).get("offset") == fourth_turn)
    finally:
        terminal.kill()
    assert place.get("reader") == {"source": qc.open_project(study_path).source(
        "kontor02_T2").id, "offset": fourth_turn}

    terminal = Terminal(argv, env)  # no --source: back where the cursor was
    try:
        terminal.wait_for(f"Line {line} ")
        terminal.type("2")  # the codebook
        place = saved_place(config, study_path, lambda p: p.get("mode") == "codebook")
    finally:
        terminal.kill()
    assert place.get("mode") == "codebook"

    terminal = Terminal(argv, env)
    try:
        terminal.wait_for("9 codes · 4 codings")  # the codebook's status line
    finally:
        terminal.kill()
