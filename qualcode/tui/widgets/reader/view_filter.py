"""What the reader shows of the coding: the margin on or off, and codes and coders hidden.

A view filter only: nothing in the project changes. Kept by the app for as long as it runs, so
every source opened shows the same; only the margin's on/off is remembered between runs (a
hidden code that came back hidden next week would too easily pass for no coding).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from qualcode.core import Coding
from qualcode.core.util import counted


@dataclass
class ViewFilter:
    margin: bool = True
    hidden_codes: set[int] = field(default_factory=set)
    hidden_coders: set[int] = field(default_factory=set)

    @property
    def hides(self) -> bool:
        return bool(self.hidden_codes or self.hidden_coders)

    def shows(self, coding: Coding) -> bool:
        return coding.code_id not in self.hidden_codes and \
            coding.coder_id not in self.hidden_coders

    def shown(self, codings: Iterable[Coding]) -> Iterable[Coding]:
        """These codings less the hidden ones (the same iterable when nothing is hidden)."""
        if not self.hides:
            return codings
        return [k for k in codings if self.shows(k)]

    def hidden_words(self) -> str:
        """"2 codes, 1 coder hidden", or "" when nothing is."""
        parts = [counted(len(ids), what) for ids, what in
                 ((self.hidden_codes, "code"), (self.hidden_coders, "coder")) if ids]
        return f"{', '.join(parts)} hidden" if parts else ""
