"""The suite runs from a fresh clone with nothing beside it: no test reads outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# A path climbing out of the repository (parents[2] of tests/x.py is the folder around it) or
# naming the sibling reference folder.
OUTSIDE = re.compile(r"parents\[[2-9]\]|\.\./shared|/work/shared|['\"]shared['\"]\s*/")


def test_no_test_reads_a_folder_beside_the_repository():
    offenders = [
        f"{path.relative_to(TESTS)}:{n}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line) and not line.lstrip().startswith("#")
        and path.name != Path(__file__).name
    ]
    assert offenders == [], "tests must use tests/fixtures/, not files beside the repository"


def test_the_interop_fixtures_are_in_the_repository():
    folder = TESTS / "fixtures" / "interop"
    names = {p.name for p in folder.iterdir()}
    assert {"Project.xsd", "Codebook.xsd", "nvivo_project.qdpx", "qc_demo_project.qdpx"} <= names
