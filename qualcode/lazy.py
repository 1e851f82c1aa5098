"""Modules imported on first use, so that start-up (`qualcode --help`, `qualcode info`) does not
pay for pandas, lxml, xmlschema or jsonschema (together about a second) when a verb never uses
them. `tests/test_startup.py` checks which modules `import qualcode.cli` loads."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule(ModuleType):
    """Stands for a module until an attribute is first read, then imports it."""

    def __init__(self, name: str):
        super().__init__(name)

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)  # later reads skip __getattr__
        return getattr(module, attr)


def lazy_module(name: str) -> Any:
    """`pd = lazy_module("pandas")` at the top of a module: imported when `pd.` is first used."""
    return LazyModule(name)
