"""The manual (docs/tui.md) and the help screen cover every key the app binds.

The keys are read from the bindings themselves, so a key added without a word in the manual
fails here. A screen's keys must be written in that screen's own part of the manual (its row of
the screens table, or its section), not just anywhere: `a` means something different on
every screen.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

import qualcode.tui
from qualcode.tui.screens.help import key_label, sections

MANUAL = Path(__file__).parents[1] / "docs" / "tui.md"

# Where each screen's keys are written: a row of the screens table (its first cells), or a
# heading (the section runs to the next heading of the same or a higher level).
SCREEN_PLACES = {
    "SourcesScreen": "| 1 | Sources |",
    "CodebookScreen": "| 2 | Codebook |",
    "RetrievalScreen": "| 3 | Retrieval |",
    "FindScreen": "| 5 | Find |",
    "SuggestionsScreen": "| 6 | Suggestions |",
    "FormsScreen": "| 7 | Forms |",
    "MemosScreen": "| 8 | Memos |",
    "AttributesScreen": "| 9 | Attributes |",
    "FidelityScreen": "| 0 | Fidelity |",
    "MatrixScreen": "| ctrl+t | Matrix |",
    "ReaderScreen": "## The reader",
    "BookmarksScreen": "### Bookmarks",
    "AdjudicationScreen": "## Adjudication and screening decisions",
}

ARROWS = {"up": "↑", "down": "↓", "left": "←", "right": "→"}


def written(key: str) -> str:
    """A key as the manual writes it: `/` for slash, shift+↑ for shift+up."""
    label = key_label(key)
    parts = label.split("+")
    return "+".join(ARROWS.get(part, part) for part in parts)


def bound_classes() -> list[type]:
    """Every widget, screen and app class of qualcode.tui with bindings of its own."""
    for module in pkgutil.walk_packages(qualcode.tui.__path__, "qualcode.tui."):
        importlib.import_module(module.name)
    found = {}
    for name, module in list(__import__("sys").modules.items()):
        if not name.startswith("qualcode.tui"):
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__.startswith("qualcode.tui") \
                    and cls.__dict__.get("BINDINGS"):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


def own_keys(cls: type) -> list[str]:
    keys = []
    for binding in cls.__dict__["BINDINGS"]:
        key = binding.key if isinstance(binding, Binding) else binding[0]
        keys += [written(k) for k in key.split(",") if k.strip()]
    return keys


def part_of_manual(text: str, place: str) -> str:
    start = text.index(place)
    if place.startswith("|"):
        return text[start:text.index("\n", start)]
    level = len(place) - len(place.lstrip("#"))
    heading = re.compile(rf"^#{{1,{level}}} ", re.MULTILINE)
    following = heading.search(text, start + len(place))
    return text[start:following.start() if following else len(text)]


def mentions(text: str, key: str) -> bool:
    """A one-character key must be marked as a key (`k`, **k**, or a table's key column), so
    that the letter in a word does not count; a named key (enter, ctrl+s) may stand in prose."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)  # code blocks
    if len(key) == 1:
        marked = {*re.findall(r"`([^`]+)`", text), *re.findall(r"\*\*([^*]+)\*\*", text)}
        for row in re.findall(r"^\| *([^|]+?) *\|", text, re.MULTILINE):
            marked.update(part.strip() for part in re.split(r" / |, | or | then ", row))
        return key in marked
    return re.search(rf"(?<![\w+]){re.escape(key)}(?![\w+])", text, re.IGNORECASE) is not None


CLASSES = bound_classes()


def test_the_search_finds_the_screens_and_dialogs():
    names = {cls.__name__ for cls in CLASSES}
    assert {"QualcodeApp", "ReaderScreen", "CodePicker", "SourcesScreen"} <= names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_key_is_in_the_manual(cls):
    text = MANUAL.read_text(encoding="utf-8")
    place = SCREEN_PLACES.get(cls.__name__)
    if issubclass(cls, Screen) and getattr(cls, "HELP_TITLE", ""):
        assert place, f"{cls.__name__} has no place in docs/tui.md: add it to SCREEN_PLACES"
    part = part_of_manual(text, place) if place else text
    missing = [key for key in own_keys(cls) if not mentions(part, key)]
    where = f"the part '{place}'" if place else "docs/tui.md"
    assert not missing, f"{cls.__name__}: keys {missing} are not in {where}"


def test_every_screen_has_its_keys_on_the_help_screen():
    titled = {cls.HELP_TITLE for cls in CLASSES
              if issubclass(cls, Screen) and getattr(cls, "HELP_TITLE", "")}
    shown = {title for title, _ in sections()}
    assert titled <= shown, f"not on the help screen: {sorted(titled - shown)}"


def test_a_key_missing_from_the_manual_is_found():
    row = "| 1 | Sources | `/` filters; enter opens the reader; **k** kinds |"
    assert mentions(row, "/") and mentions(row, "k") and mentions(row, "enter")
    assert not mentions(row, "n")  # the n of "opens" is not the key n
    assert not mentions(row, "ctrl+s")
    # a fenced block's ``` would pair backticks wrongly for the rest of the text
    assert mentions("```\nqualcode open\n```\n`o` opens", "o")
