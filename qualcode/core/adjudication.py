"""Where two coders differ, and recording what the team agreed under a coder of its own.

A *region* is a stretch of one source where either coder applied one code: the coders' spans
of that code, merged, joined where they overlap or touch. A region differs if the two coders'
spans in it are not the same. Settling a region records the chosen spans (the first coder's,
the second's, both together, or none) as codings of the agreed coder (e.g. "konsensus"),
replacing what that coder had of the code there; each settlement is one undoable change, and
analyses restricted to the agreed coder (`coders=["konsensus"]`) then read the agreed coding.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from qualcode.core.model import NewCoding
from qualcode.errors import InvalidOperation

if TYPE_CHECKING:
    import pandas as pd

CHOICES = ("a", "b", "both", "neither")
COLUMNS = ["code_id", "code", "source_id", "source", "start", "end", "coder_a", "coder_b",
           "spans_a", "spans_b", "text_a", "text_b", "status"]


def merged(spans: Iterable[tuple[int, int]], *, touching: bool = False
           ) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones (and with `touching`, touching ones) joined."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and (start < out[-1][1] or (touching and start == out[-1][1])):
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def regions(a: list[tuple[int, int]], b: list[tuple[int, int]]):
    """(start, end, A's spans in it, B's spans in it) of each region (module doc)."""
    a, b = merged(a), merged(b)
    tagged = sorted([(s, e, 0) for s, e in a] + [(s, e, 1) for s, e in b])
    found: list[list] = []
    for start, end, who in tagged:
        if found and start <= found[-1][1]:  # overlapping or touching: the same region
            found[-1][1] = max(found[-1][1], end)
        else:
            found.append([start, end, [], []])
        found[-1][2 + who].append((start, end))
    return [(s, e, tuple(sa), tuple(sb)) for s, e, sa, sb in found]


def _parts(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    return " … ".join(text[s:e] for s, e in spans)



AGREED_CODER = "konsensus"  # the coder the agreed codings are recorded under, by default

class AdjudicationMixin:
    def disagreements(self, coders: Iterable[str] | str, *, codes: Iterable | None = None,
                      descendants: bool = False, sources: Iterable | None = None,
                      agreed: bool = False) -> pd.DataFrame:
        """The regions where two coders differ, per code in tree order and source, side by
        side: each coder's spans and text (`agreed=True` lists the regions where they concur
        too, status "agreed"). Sources only one of them coded are left out, as in agreement."""
        import pandas as pd

        from qualcode.analysis.agreement import coded_sources
        from qualcode.analysis.frames import code_paths, descendant_ids

        ids = self._compared_coders(coders)
        if len(ids) != 2:
            raise InvalidOperation("disagreements compare two coders; give two")
        names = dict(zip(ids, self._coder_names(ids), strict=True))
        coded = coded_sources(self.db, ids)
        shared = coded[ids[0]] & coded[ids[1]]
        if sources is not None:
            shared &= set(self._source_ids(sources))
        code_ids = None
        if codes is not None:
            code_ids = self.code_ids(codes)
            if descendants:
                code_ids = descendant_ids(self.db, code_ids)
        spans: dict[tuple[int, int], tuple[list, list]] = {}
        for source_id, code_id, coder_id, start, end in self.conn.execute(
                'SELECT source_id, code_id, coder_id, start, "end" FROM codings '
                "WHERE coder_id IN (?, ?)", ids):
            if source_id in shared and (code_ids is None or code_id in code_ids):
                pair = spans.setdefault((code_id, source_id), ([], []))
                pair[0 if coder_id == ids[0] else 1].append((start, end))
        paths = code_paths(self.db)
        source_names = {s: self.source(s).name for s in {k[1] for k in spans}}
        texts: dict[int, str] = {}
        rows = []
        for (code_id, source_id), (a, b) in spans.items():
            for start, end, sa, sb in regions(a, b):
                status = "agreed" if sa == sb else "differs"
                if status == "agreed" and not agreed:
                    continue
                text = texts.get(source_id) or texts.setdefault(
                    source_id, self.source(source_id).text)
                rows.append({
                    "code_id": code_id, "code": paths.at[code_id, "path"],
                    "source_id": source_id, "source": source_names[source_id],
                    "start": start, "end": end, "coder_a": names[ids[0]],
                    "coder_b": names[ids[1]], "spans_a": list(sa), "spans_b": list(sb),
                    "text_a": _parts(text, sa), "text_b": _parts(text, sb), "status": status,
                    "_sort": paths.at[code_id, "sort_key"]})
        frame = pd.DataFrame(rows, columns=[*COLUMNS, "_sort"])
        frame = frame.sort_values(["_sort", "source", "start"], kind="stable")
        return frame.drop(columns="_sort").reset_index(drop=True)

    def settle(self, region, choice: str, *, as_coder: str = AGREED_CODER) -> list[int]:
        """Record the agreed coding of a region (a row of `disagreements`): the first coder's
        spans ("a"), the second's ("b"), both together ("both") or none ("neither"), as
        codings of `as_coder`, replacing that coder's codings of the code within the region.
        One change. Returns the new codings' ids."""
        if choice not in CHOICES:
            raise InvalidOperation(f"choice {choice!r} is not one of {', '.join(CHOICES)}")
        spans = {"a": region["spans_a"], "b": region["spans_b"],
                 "both": merged([*region["spans_a"], *region["spans_b"]], touching=True),
                 "neither": []}[choice]
        if as_coder.strip().casefold() in {str(region["coder_a"]).casefold(),
                                           str(region["coder_b"]).casefold()}:
            raise InvalidOperation(f"record the agreed coding under a coder of its own, not "
                                   f"{as_coder!r}, whose coding is being compared")
        code_id, source_id = int(region["code_id"]), int(region["source_id"])
        summary = (f"{region['code']} on {region['source']} [{region['start']}:{region['end']}]"
                   f": {choice}")
        with self.change("settle", summary) as rec:
            coder_id = self.coder(as_coder).id
            rec.delete("codings", 'source_id = ? AND code_id = ? AND coder_id = ? AND '
                       'start >= ? AND "end" <= ?',
                       [source_id, code_id, coder_id, int(region["start"]),
                        int(region["end"])])
            added = self.add_codings([NewCoding(source_id, s, e, code_id, coder_id)
                                      for s, e in spans])
        return added.ids

    def settled(self, region, *, as_coder: str = AGREED_CODER) -> list[tuple[int, int]]:
        """The agreed coder's spans of the region's code within it (what was settled)."""
        return [(r[0], r[1]) for r in self.conn.execute(
            'SELECT k.start, k."end" FROM codings k JOIN coders c ON c.id = k.coder_id '
            'WHERE c.name = ? AND k.source_id = ? AND k.code_id = ? AND k.start >= ? '
            'AND k."end" <= ? ORDER BY k.start',
            [as_coder, int(region["source_id"]), int(region["code_id"]),
             int(region["start"]), int(region["end"])])]
