"""What an import did, for the command line and for scripts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class Progress(Protocol):
    """Told how much work there is and how much is done, so the CLI can draw a progress bar."""

    def start(self, total: int | None, what: str) -> None: ...

    def advance(self, n: int) -> None: ...


class NoProgress:
    def start(self, total: int | None, what: str) -> None:
        pass

    def advance(self, n: int) -> None:
        pass


no_progress = NoProgress()


@dataclass
class ImportReport:
    """Counts of what was added, how each file was read, and warnings worth reading."""

    added: dict[str, int] = field(default_factory=dict)  # e.g. {"forms": 1672}
    read: dict[str, str] = field(default_factory=dict)  # file -> how it was read (encoding)
    unchanged: list[str] = field(default_factory=list)  # files already in the project as is
    replaced: list[str] = field(default_factory=list)  # one line per source whose text changed
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why) not imported
    warnings: list[str] = field(default_factory=list)

    def count(self, what: str, n: int = 1) -> None:
        self.added[what] = self.added.get(what, 0) + n

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or bool(self.replaced)

    def lines(self) -> list[str]:
        out = [f"read {name} ({how})" if how else f"read {name}"
               for name, how in self.read.items()]
        if self.unchanged:
            shown = ", ".join(self.unchanged[:5])
            more = f" and {len(self.unchanged) - 5} more" if len(self.unchanged) > 5 else ""
            out.append(f"unchanged, already in the project: {shown}{more}")
        out += self.replaced
        added = ", ".join(f"{n:,} {_singular(what) if n == 1 else what}"
                          for what, n in self.added.items() if n)
        out.append(f"added {added}" if added else "nothing added")
        out += [f"warning: {w}" for w in self.warnings]
        out += _skipped_lines(self.skipped)
        return out


def _skipped_lines(skipped: list[tuple[str, str]]) -> list[str]:
    """One warning per reason, naming the files (the first ten)."""
    by_reason: dict[str, list[str]] = {}
    for path, why in skipped:
        by_reason.setdefault(why, []).append(path)
    out = []
    for why, paths in by_reason.items():
        names = ", ".join(paths[:10]) + (f" and {len(paths) - 10} more" if len(paths) > 10
                                          else "")
        out.append(f"warning: skipped {names}: {why}")
    return out


def _singular(what: str) -> str:
    """ "forms" -> "form", "attribute values" -> "attribute value", "values of ..." -> "value
    of ..." (the counted noun is the first plural word)."""
    words = what.split(" ")
    for i, word in enumerate(words):
        if word.endswith("s") and len(word) > 2:
            words[i] = word[:-1]
            break
    return " ".join(words)
