"""Fixtures for the terminal UI tests: the study of tui_study.py in a real project file."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_study import build_study


@pytest.fixture
def study_path(tmp_path, monkeypatch):
    """The study's project file; the coder memory lives in the test's own folder."""
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    path = tmp_path / "study.qualcode"
    build_study(path)
    return path


@pytest.fixture
def anyio_backend():
    return "asyncio"


def pytest_collection_modifyitems(config, items):
    """Every test here drives the whole Textual app (1–4 s each): `make test-fast` leaves them
    out, `make test` and `pytest tests/tui` run them."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.slow)
