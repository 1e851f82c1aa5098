"""The analyses as Project methods: code references and names in, DataFrames out.

Each method resolves what the caller named (code paths, ids or GUIDs; source names; group
names) and calls qualcode.analysis, which works on the database alone. A request that cannot be
answered (an unknown attribute, an unknown unit) raises InvalidOperation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from qualcode.core.model import Code, CodeGroup
from qualcode.core.refs import ambiguous, explicit_id, name_of, not_found
from qualcode.errors import InvalidOperation, NotFound
from qualcode.lazy import lazy_module

if TYPE_CHECKING:
    import pandas as pd

co = lazy_module("qualcode.analysis.cooccurrence")
fid = lazy_module("qualcode.analysis.fidelity")
groups = lazy_module("qualcode.analysis.groups")
joins = lazy_module("qualcode.analysis.joins")
matrix_module = lazy_module("qualcode.analysis.matrix")


@contextmanager
def _as_user_errors():
    try:
        yield
    except ValueError as exc:
        raise InvalidOperation(str(exc)) from exc


class AnalysesMixin:
    # -- resolving names ----------------------------------------------------------------------
    def _code_ids(self, codes: Iterable | None) -> list[int] | None:
        return None if codes is None else self.code_ids(codes)

    def code_ids(self, codes) -> list[int]:
        """Ids of codes given by path, name unique in the tree, GUID, or explicit id (an int,
        a Code, "#3"); the name of a code group stands for its members (e.g.
        "dreyfus-stadium" for the five stages)."""
        if isinstance(codes, str | int) or hasattr(codes, "id"):
            codes = [codes]
        ids: list[int] = []
        for ref in codes:
            found = self._code_or_group(ref)
            ids += found.code_ids if isinstance(found, CodeGroup) else [found.id]
        return list(dict.fromkeys(ids))

    def _code_or_group(self, ref) -> Code | CodeGroup:
        """What a name in a list of codes stands for: a code's full path or a group's name,
        else a code's name or partial path unique in the tree. A group named like the
        category whose children it holds (valens: fremmer, hemmer, ambivalent) is that
        group; any other full path that is also a group's name is ambiguous."""
        if isinstance(ref, CodeGroup):
            return self.group(ref)
        if explicit_id(ref, "code") is not None:
            return self.code(ref)
        text = name_of(ref, "code")
        row = self._group_row(text)
        exact = self.find_code_path(text)
        group = self.group(row["id"]) if row is not None else None
        if group is not None and exact is not None:
            children = self.code_tree().children.get(exact.id, ())
            if set(children) != set(group.code_ids):
                raise ambiguous("code or group", text, [f"code {exact.path}",
                                                        f"group {group.name}"])
        if group is not None:
            return group
        if exact is not None:
            return exact
        try:
            return self.code(text)
        except NotFound:
            tree = self.code_tree()
            names = [tree.path[c] for c in tree.order] + [g.name for g in self.groups()]
            raise not_found("code or code group", text, names) from None

    def _source_ids(self, sources: Iterable | None) -> list[int] | None:
        if sources is None:
            return None
        if isinstance(sources, str | int) or hasattr(sources, "id"):
            sources = [sources]
        return [self.source(s).id for s in sources]

    def _filter_coders(self, coders: Iterable | None) -> list[str] | None:
        """The names of the coders a filter names; an unknown coder is an error, not an
        empty table."""
        if coders is None:
            return None
        if isinstance(coders, str | int) or hasattr(coders, "id"):
            coders = [coders]
        return [self.known_coder(c).name for c in coders]

    def code_set(self, ref) -> list[int]:
        """The codes a row or column of a group table stands for: the members of the group
        named `ref`, the children of the code `ref`, or the codes in the list `ref`."""
        if isinstance(ref, str | int) or hasattr(ref, "id"):
            found = self._code_or_group(ref)
            if isinstance(found, CodeGroup):
                return list(found.code_ids)
            return list(self.code_tree().children.get(found.id, ())) or [found.id]
        return self._code_ids(ref) or []

    # -- analyses -----------------------------------------------------------------------------
    def cooccurrence(self, *, unit: str = "overlap", distance: int = 0,
                     codes: Iterable | None = None, descendants: bool = False,
                     roll_up: bool = False, coders: Iterable[str] | None = None,
                     sources: Iterable | None = None,
                     attributes: Mapping[str, Any] | None = None, pool_coders: bool = False,
                     coder_pairs: str | None = None, include_zero: bool | None = None,
                     with_ids: bool = True) -> pd.DataFrame:
        """Pairs of codes applied together: n1, n2, n12, pairs, c = n12 / (n1 + n2 - n12) and
        the coding ids behind each cell. `unit`: overlap, within (`distance` characters),
        turn, source or case. `coder_pairs`: "within" each coder's own codings (default),
        "pooled" (coders together, identical spans once; also `pool_coders=True`) or "any"
        (every pair of codings, any coders). See qualcode.analysis.cooccurrence."""
        with _as_user_errors():
            return co.cooccurrence(
                self.db, unit=unit, distance=distance, codes=self._code_ids(codes),
                descendants=descendants, roll_up=roll_up, coders=self._counted_coders(coders),
                sources=self._source_ids(sources), attributes=attributes,
                pool_coders=pool_coders, coder_pairs=coder_pairs, include_zero=include_zero,
                with_ids=with_ids)

    def cooccurrence_excerpts(self, code1, code2, **options: Any) -> pd.DataFrame:
        """The excerpts behind one cell of `cooccurrence(**options)`: a row per coding of each
        linked pair of `code1` and `code2` (`link` numbers the pairs, `side` 1 or 2 says whose
        coding it is) with its source, coder, offsets and text, as `codings` gives them (so in
        blind mode only your own). See qualcode.analysis.cooccurrence.cooccurrence_links."""
        first, second = (self.code(code1).id, self.code(code2).id)
        if options.get("codes") is not None:
            options["codes"] = self._code_ids(options["codes"])
        if options.get("sources") is not None:
            options["sources"] = self._source_ids(options["sources"])
        options["coders"] = self._counted_coders(options.get("coders"))
        with _as_user_errors():
            links = co.cooccurrence_links(self.db, first, second, **options)
        found = self.codings(ids=links["coding_id"].tolist())
        return links.merge(found, on="coding_id") \
            .sort_values(["link", "side", "start"], kind="stable").reset_index(drop=True)

    def matrix(self, by: str | Sequence[str] = "case", *, codes: Iterable | None = None,
               descendants: bool = False, roll_up: bool = False, value: str = "codings",
               coders: Iterable[str] | None = None, sources: Iterable | None = None,
               attributes: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Cases or attribute values (`by`) × codes: counts of codings or sources, or the
        excerpts themselves (value "excerpts": a framework matrix)."""
        with _as_user_errors():
            return matrix_module.matrix(self.db, by, codes=self._code_ids(codes),
                                        descendants=descendants, roll_up=roll_up, value=value,
                                        coders=self._counted_coders(coders),
                             sources=self._source_ids(sources), attributes=attributes)

    def group_table(self, rows, columns=None, *, by: str | Sequence[str] | None = None,
                    unit: str = "overlap", distance: int = 0, value: str | None = None,
                    coders: Iterable[str] | None = None, sources: Iterable | None = None,
                    attributes: Mapping[str, Any] | None = None,
                    pool_coders: bool = False, coder_pairs: str | None = None
                    ) -> pd.DataFrame:
        """A table over groups of codes. `rows` and `columns` are a group name (its members),
        a code (its children) or a list of codes; each counts its sub-codes too.

        With `columns`: co-occurrence (`value` n12, c or pairs) of rows × columns, e.g.
        p.group_table("Barrierer og føringer/opplæring", "valens") (`pool_coders` or
        `coder_pairs` as in cooccurrence: which coders' codings are compared). With `by` (attribute names)
        instead: codings (or `value` "sources") per attribute value, e.g.
        p.group_table("dreyfus-stadium", by=["role", "time"]).
        """
        if (columns is None) == (by is None):
            raise InvalidOperation("give either columns (codes) or by (attributes)")
        with _as_user_errors():
            if columns is not None:
                return groups.code_by_code(
                    self.db, self.code_set(rows), self.code_set(columns), unit=unit,
                    distance=distance, value=value or "n12", coders=self._counted_coders(coders),
                    sources=self._source_ids(sources), attributes=attributes,
                    pool_coders=pool_coders, coder_pairs=coder_pairs)
            return groups.code_by_attributes(
                self.db, self.code_set(rows), by, value=value or "codings",
                coders=self._counted_coders(coders),
                sources=self._source_ids(sources), attributes=attributes)

    def fidelity(self, by: str | Sequence[str] = "month", *, items: str | None = None,
                 value: str = "planned", long: bool = False,
                 where: Mapping[str, Any] | None = None, start: Any = None,
                 end: Any = None) -> pd.DataFrame:
        """Fidelity counts from the forms, per `by` (month, year, quarter, office, version,
        case, or an attribute of the form's case such as arm).

        Without `items`: forms, mean tools and principles per form, mean ratings and the share
        of forms with each comment filled. With `items` ("tool" or "principle"): groups × items
        of `value` (planned or used: % of the forms whose version had the item; mastery: mean).
        `long=True`: one row per group and item with counts and shares. `where` filters forms
        ({field: value or [values]}); `start`/`end` limit the dates.
        """
        with _as_user_errors():
            if long:
                return fid.fidelity_items_long(self.db, by, kind=items, where=where,
                                               start=start, end=end)
            if items is None:
                return fid.fidelity_summary(self.db, by, where=where, start=start, end=end)
            return fid.fidelity_items(self.db, by, kind=items, value=value, where=where,
                                      start=start, end=end)

    def measures_by(self, key: str, dataset: str | None = None) -> pd.DataFrame:
        """The measures keyed by `key` (e.g. "office") as one table: a row per key value."""
        return joins.measures_table(self.db, key, dataset)

    def with_measures(self, frame: pd.DataFrame, on: str, *, key: str | None = None,
                      dataset: str | None = None) -> pd.DataFrame:
        """`frame` joined with the measures keyed by `key` (default `on`), matched on its
        column or index level `on`: e.g. p.with_measures(p.fidelity("office"), "office")."""
        with _as_user_errors():
            return joins.join_measures(frame, self.db, on, key=key, dataset=dataset)
