"""Excerpts and Word reports of the sample study are exactly what they were (same text, same
order, same attribution). Regenerate after an intended change: see tests/golden_outputs.py."""

from __future__ import annotations

import difflib

import pytest
from golden_outputs import GOLDEN, build, outputs

pytestmark = pytest.mark.slow  # builds the sample study and five Word reports (about 15 s)


@pytest.fixture(scope="module")
def produced(tmp_path_factory):
    return outputs(build(tmp_path_factory.mktemp("golden")))


def test_every_golden_file_is_produced(produced):
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(produced)


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.iterdir()))
def test_output_is_as_before(produced, name):
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    if produced[name] != expected:
        diff = difflib.unified_diff(expected.splitlines(), produced[name].splitlines(),
                                    "golden", "now", lineterm="", n=1)
        pytest.fail(f"{name} differs from tests/fixtures/golden/{name} (if intended: "
                    "python tests/golden_outputs.py --update-golden)\n"
                    + "\n".join(list(diff)[:40]))
