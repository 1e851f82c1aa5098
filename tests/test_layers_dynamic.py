"""Imports by name (qualcode.lazy's `lazy_module("...")`, `import_module("...")`) keep the layers.

import-linter checks `import` statements; a module named in a string is invisible to it. This
test reads those strings and holds them to the same order as the contract in pyproject.toml.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "qualcode"
BY_NAME = re.compile(r"""(?:lazy_module|import_module)\(\s*["']([\w.]+)["']""")

# Upward calls made on purpose, each with its reason.
ALLOWED_UPWARD = {
    # p.import_qdpx / p.export_qdpx: the issue asks for Project methods; the reader and writer
    # of the file format live in ingest/ and export/, reached at call time only.
    ("qualcode.core.project", "qualcode.ingest.qdpx"),
    ("qualcode.core.project", "qualcode.export.qdpx"),
}


def layer_of(module: str, layers: list[list[str]]) -> int | None:
    for rank, names in enumerate(layers):
        if any(module == n or module.startswith(n + ".") for n in names):
            return rank
    return None


def test_modules_imported_by_name_respect_the_layers():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"]
                    if c["type"] == "layers")
    layers = [[n.strip() for n in entry.split(":")] for entry in contract["layers"]]
    found, wrong = 0, []
    for path in sorted(PACKAGE.rglob("*.py")):
        importer = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        importer = importer.removesuffix(".__init__")
        for target in BY_NAME.findall(path.read_text(encoding="utf-8")):
            found += 1
            mine, theirs = layer_of(importer, layers), layer_of(target, layers)
            if mine is None or theirs is None:
                continue
            if theirs < mine and (importer, target) not in ALLOWED_UPWARD:
                wrong.append(f"{importer} -> {target}")
    assert found > 0  # the pattern still finds the imports by name
    assert wrong == [], "imports by name that point up a layer"
