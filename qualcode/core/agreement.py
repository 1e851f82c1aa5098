"""Agreement between coders as a Project method: names in, a DataFrame out.

The counting is in qualcode.analysis.agreement (formulas in its module doc); here coder, code
and source names are resolved and the natural units (turns, sentences, paragraphs, form
comments) gathered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from qualcode.errors import InvalidOperation

if TYPE_CHECKING:
    import pandas as pd


class AgreementMixin:
    def coder_id(self, name: str) -> int:
        """The id of an existing coder (see Project.known_coder)."""
        return self.known_coder(name).id

    def _compared_coders(self, coders: Iterable[str] | None) -> list[int]:
        if isinstance(coders, str):
            coders = [c for c in coders.split(",") if c.strip()]
        if coders is None:
            ids = [r[0] for r in self.conn.execute(
                "SELECT id FROM coders WHERE id IN (SELECT DISTINCT coder_id FROM codings) "
                "ORDER BY name")]
        else:
            ids = list(dict.fromkeys(self.coder_id(c) for c in coders))
        if len(ids) < 2:
            have = ", ".join(self._coder_names(ids)) or "none"
            raise InvalidOperation(f"agreement needs two or more coders (given or with "
                                   f"codings: {have})")
        return ids

    def _coder_names(self, ids: Iterable[int]) -> list[str]:
        names = {r[0]: r[1] for r in self.conn.execute("SELECT id, name FROM coders")}
        return [names[i] for i in ids]

    def agreement(self, *, coders: Iterable[str] | str | None = None,
                  codes: Iterable | None = None, descendants: bool = False, unit: str = "char",
                  by: str = "code", sources: Iterable | None = None,
                  attributes: Mapping[str, Any] | None = None, decisions: bool = False,
                  phase: str | None = None) -> pd.DataFrame:
        """Inter-coder agreement on codings (or, with `decisions=True`, on the screening
        decisions of `phase` or of every phase: see decision_agreement): per code (by="code") or per code × source
        (by="source") the 2×2 table of units coded by both, one or neither coder, percentage
        agreement, expected agreement and Cohen's kappa; per code also the length-weighted
        means over sources and (natural units) Krippendorff's alpha. `unit`: char, turn,
        sentence, paragraph or field (form comments). `coders`: names (default: every coder
        with codings), compared pairwise. Notes on what was left out (sources coded by only one
        coder, codings outside every unit) are in the frame's `attrs["notes"]`.
        See qualcode.analysis.agreement for the formulas."""
        from qualcode.analysis.agreement import UnitSpans, coding_agreement

        if decisions:
            return self.decision_agreement(phase=phase, coders=coders)
        if phase is not None:
            raise InvalidOperation("a phase is for decisions: give decisions=True too")
        coder_ids = self._compared_coders(coders)
        code_ids = None if codes is None else self.code_ids(codes)
        source_ids = None if sources is None else self._source_ids(sources)
        units = None
        if unit != "char":  # only the sources two of the coders coded: sentences take time
            from qualcode.analysis.agreement import coded_sources

            times = Counter(s for ids in coded_sources(self.db, coder_ids).values() for s in ids)
            compared = {s for s, n in times.items() if n >= 2}
            if source_ids is not None:
                compared &= set(source_ids)
            units = UnitSpans(self.unit_spans(unit, sorted(compared)))
        try:
            result = coding_agreement(self.db, coder_ids, codes=code_ids,
                                      descendants=descendants, unit=unit, units=units, by=by,
                                      sources=source_ids, attributes=attributes)
        except ValueError as exc:
            raise InvalidOperation(str(exc)) from exc
        result.frame.attrs["notes"] = result.notes
        return result.frame
