"""Fidelity counts from imported forms (e.g. HPMT's FE form), per month, office or any form field
or attribute of the form's case.

A share of forms "with a tool planned" counts only the forms whose version had that tool
(`form_items.on_form`): a tool added to the form in February 2012 has no share in 2011, rather
than 0 %. Shares are percentages (0-100).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from qualcode.analysis.filters import natural_key
from qualcode.analysis.frames import merged_case_attributes, values_match
from qualcode.store.attribute_values import value_text

ITEM_VALUES = ("planned", "used", "mastery")
DERIVED = ("month", "year", "quarter", "all")
ALL = "all"
"""The one group of by="all": every selected form, an ungrouped total."""


def forms_frame(db) -> pd.DataFrame:
    """One row per form (index: form id): key, form_type, date, month, year, quarter, version,
    office, case, `all` (the same for every form: the total), and the attributes of the form's
    case (merged up the case hierarchy; the form's own fields win)."""
    frame = pd.read_sql_query(
        "SELECT f.id AS form_id, f.key, f.form_type, f.date, f.version, f.office, f.case_id, "
        "c.name AS 'case' FROM forms f LEFT JOIN cases c ON c.id = f.case_id ORDER BY f.id",
        db.conn, index_col="form_id")
    date = frame["date"].astype(object).where(frame["date"].notna(), None)
    dates = [d for d in date.unique() if d]  # derived once per date: forms share their dates
    frame["month"] = _derived(date, {d: d[:7] for d in dates})
    frame["year"] = _derived(date, {d: d[:4] for d in dates})
    frame["quarter"] = _derived(date, {d: f"{d[:4]}Q{(int(d[5:7]) - 1) // 3 + 1}"
                                       for d in dates})
    frame["all"] = ALL
    attrs = case_attributes(db)
    for name in attrs.columns:
        values = frame["case_id"].map(attrs[name])
        if name not in frame.columns and values.notna().any():
            frame[name] = values
    return frame.drop(columns="case_id")


def _derived(date: pd.Series, of_date: dict) -> pd.Series:
    """`of_date` looked up for each form's date; None where it has no date."""
    return date.map(lambda d: of_date[d] if d else None)


def case_attributes(db) -> pd.DataFrame:
    """One row per case id, one column per attribute, inherited from parent cases."""
    return pd.DataFrame.from_dict(merged_case_attributes(db), orient="index")


def selected_forms(db, *, where: Mapping[str, Any] | None = None, start: Any = None,
                   end: Any = None) -> pd.DataFrame:
    """`forms_frame` limited to forms matching `where` ({name: value or [values]}) and dated
    from `start` to `end` (inclusive; dates or ISO text)."""
    forms = forms_frame(db)
    for name, wanted in (where or {}).items():
        _check_column(forms, name)
        forms = forms[values_match(forms[name], wanted, name)]
    if start is not None:
        forms = forms[forms["date"].notna() & (forms["date"] >= _iso(start))]
    if end is not None:
        forms = forms[forms["date"].notna() & (forms["date"] <= _iso(end))]
    return forms


def fidelity_summary(db, by: str | Sequence[str] = "month", *,
                     where: Mapping[str, Any] | None = None, start: Any = None,
                     end: Any = None) -> pd.DataFrame:
    """Per group (by="all": one row for all forms): forms; mean tools planned, tools used and
    principles ticked per form; the mean of each numeric field (ratings); how many forms have
    each comment field filled, and their share (%)."""
    by = _by(by)
    forms = selected_forms(db, where=where, start=start, end=end)
    for name in by:
        _check_column(forms, name)
    conn = db.conn
    counts = pd.read_sql_query(  # rows ticked neither planned nor used add nothing: skipped
        "SELECT form_id, sum(kind = 'tool' AND planned = 1) AS tools_planned, "
        "sum(kind = 'tool' AND used = 1) AS tools_used, "
        "sum(kind = 'principle') AS principles "
        "FROM form_items WHERE planned = 1 OR used = 1 GROUP BY form_id", conn,
        index_col="form_id")
    values = pd.read_sql_query("SELECT form_id, name, value FROM form_values", conn)
    values = values.pivot(index="form_id", columns="name", values="value") \
        if len(values) else pd.DataFrame()
    filled: dict[str, set[int]] = {}  # field -> the forms that have it filled
    for form_id, field in conn.execute(
            "SELECT DISTINCT form_id, field FROM sources WHERE form_id IS NOT NULL AND field IS "
            "NOT NULL"):
        filled.setdefault(field, set()).add(form_id)
    per_form = forms[by].copy()
    for col in ("tools_planned", "tools_used", "principles"):
        per_form[col] = counts[col].reindex(per_form.index).fillna(0)
    value_names = list(values.columns)
    for name in value_names:
        per_form[f"mean {name}"] = values[name].reindex(per_form.index)
    field_names = sorted(filled, key=natural_key)
    for field in field_names:
        per_form[f"{field} filled %"] = np.where(per_form.index.isin(filled[field]), 100.0, 0.0)
    grouped = per_form.groupby(by, dropna=False, sort=False)
    table = grouped.mean()
    table.insert(0, "forms", grouped.size())
    for field in field_names:  # the count beside its share
        share = f"{field} filled %"
        counts = (grouped[share].sum() / 100).round().astype(int)
        table.insert(table.columns.get_loc(share), f"{field} filled", counts)
    table = table.rename(columns={"tools_planned": "tools planned", "tools_used": "tools used"})
    return _sorted(table)


def fidelity_items_long(db, by: str | Sequence[str] = "month", *, kind: str | None = None,
                        where: Mapping[str, Any] | None = None, start: Any = None,
                        end: Any = None) -> pd.DataFrame:
    """One row per group and item: forms in the group, forms whose version had the item
    (`on_form`), how many planned and used it, the shares of those forms (%), and the mean
    mastery (over the forms that rated it)."""
    by = _by(by)
    forms = selected_forms(db, where=where, start=start, end=end)
    for name in by:
        _check_column(forms, name)
    return _items_long(db, forms[by], kind)


def _items_long(db, keys: pd.DataFrame, kind: str | None) -> pd.DataFrame:
    """fidelity_items_long of the forms in `keys` (index: form id; columns: the grouping)."""
    by = list(keys.columns)
    grouped = keys.groupby(by, dropna=False, sort=False)
    sizes = grouped.size().rename("forms").reset_index()
    table = item_counts(db, grouped.ngroup(), kind)  # by group number: groups whose keys sort
    # alike stay in the order pandas' groupby gives them
    groups = table.pop("group").to_numpy()
    table = pd.concat([sizes.iloc[groups].reset_index(drop=True), table], axis=1)
    table["planned %"] = 100 * table["planned"] / table["on_form"]
    table["used %"] = 100 * table["used"] / table["on_form"]
    for col in ("forms", "on_form", "planned", "used", "rated"):
        table[col] = table[col].astype(int)
    order = _item_order(table)
    table["_item"] = table["item"].map(order)
    table["_group"] = [natural_key(tuple(r)) for r in table[by].itertuples(index=False)]
    table = table.sort_values(["_group", "kind", "_item"]).drop(columns=["_item", "_group"])
    return table[[*by, "kind", "item", "forms", "on_form", "planned", "used", "planned %",
                  "used %", "mastery", "rated"]].reset_index(drop=True)


COUNTS_SQL = """
WITH chosen(form_id, grp) AS MATERIALIZED (SELECT CAST(key AS INTEGER), value FROM json_each(?))
SELECT c.grp, i.kind, i.item, count(*) AS on_form, total(i.planned) AS planned,
       total(i.used) AS used, sum(i.mastery) AS mastery_sum, count(i.mastery) AS rated,
       sum(i.mastery != CAST(i.mastery AS INTEGER)) AS fractions, min(i.mastery) AS low,
       max(i.mastery) AS high
FROM chosen c JOIN form_items i ON i.form_id = c.form_id {kind}
WHERE i.on_form = 1
GROUP BY c.grp, {item}
ORDER BY c.grp
"""
"""Per group (numbered by the caller, each form's group passed as JSON) and item, over the forms
whose version had the item: the forms, how many planned and used it, its mastery ratings' sum
and count. Counted in SQLite: the item rows are never read into Python. (With one kind, the
groups are sorted by item alone: a shorter sort.)"""


def item_counts(db, group: pd.Series, kind: str | None) -> pd.DataFrame:
    """Columns group, kind, item, on_form, planned, used (floats, as pandas sums them),
    mastery (the mean of the ratings) and rated, ordered by group: `group` maps form id to
    group number (forms not in it are not counted)."""
    ordered = group.sort_values(kind="stable")
    chosen = json.dumps(dict(zip(map(str, ordered.index), map(int, ordered), strict=True)))
    sql = COUNTS_SQL.format(kind="AND i.kind = ?" if kind else "",
                            item="i.item" if kind else "i.kind, i.item")
    table = pd.read_sql_query(sql, db.conn, params=[chosen, kind] if kind else [chosen])
    # ^ text columns typed as reading the item rows into pandas types them
    table.columns = ["group", "kind", "item", "on_form", "planned", "used", "mastery", "rated",
                     "fractions", "low", "high"]
    table = table.astype({"group": "int64", "on_form": "int64", "planned": float,
                          "used": float, "mastery": float, "rated": "int64"})
    table["mastery"] = table["mastery"] / table["rated"].where(table["rated"] > 0)
    # SQLite sums floats plainly, pandas with compensation: the same only for whole numbers
    # whose sums stay exact
    largest = np.maximum(table["low"].abs(), table["high"].abs()).fillna(0)
    inexact = ((table["fractions"].fillna(0) > 0) | (largest * table["rated"] >= 2 ** 53))
    if inexact.any():
        table.loc[inexact, "mastery"] = _exact_means(db, group, table[inexact])
    return table.drop(columns=["fractions", "low", "high"])


def _exact_means(db, group: pd.Series, wanted: pd.DataFrame) -> list[float]:
    """The mean mastery of `wanted`'s groups and items as pandas computes it over the rows
    (compensated summation, form order): for ratings with fractions, whose plain sum in
    SQLite may differ in the last digit."""
    items = sorted(set(zip(wanted["kind"], wanted["item"], strict=True)))
    rows = db.conn.execute(
        "SELECT form_id, kind, item, mastery FROM form_items WHERE on_form = 1 AND mastery "
        "IS NOT NULL AND (kind, item) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?)) "
        "ORDER BY form_id, kind, item", [json.dumps(items)]).fetchall()
    rated = pd.DataFrame(rows, columns=["form_id", "kind", "item", "mastery"])
    rated = rated[rated["form_id"].isin(group.index)]
    rated["group"] = rated["form_id"].map(group)
    means = rated.groupby(["group", "kind", "item"])["mastery"].mean()
    return [float(means[(g, k, i)]) for g, k, i in
            zip(wanted["group"], wanted["kind"], wanted["item"], strict=True)]


def fidelity_items(db, by: str | Sequence[str] = "month", *, kind: str = "tool",
                   value: str = "planned", where: Mapping[str, Any] | None = None,
                   start: Any = None, end: Any = None) -> pd.DataFrame:
    """Groups × items: the share (%) of forms with the item planned or used, or its mean
    mastery. Empty (NaN) where no form of the group had the item on its version."""
    if value not in ITEM_VALUES:
        raise ValueError(f"value {value!r} is not one of {', '.join(ITEM_VALUES)}")
    by = _by(by)
    forms = selected_forms(db, where=where, start=start, end=end)
    for name in by:
        _check_column(forms, name)
    long = _items_long(db, forms[by], kind)
    column = value if value == "mastery" else f"{value} %"
    items = list(dict.fromkeys(long["item"]))
    table = long.pivot_table(index=by, columns="item", values=column, dropna=False,
                             sort=False, aggfunc="first")
    table = table.reindex(columns=items)
    table = table.reindex(_group_index(forms[by]))  # every group, those without the item too
    table.columns.name = f"{value} %" if value != "mastery" else "mean mastery"
    return table


def _group_index(keys: pd.DataFrame) -> pd.Index:
    """The groups of fidelity_summary's rows, in its order."""
    sizes = keys.groupby(list(keys.columns), dropna=False, sort=False).size()
    return _sorted(sizes.to_frame()).index


def _item_order(table: pd.DataFrame) -> dict[str, float]:
    """Items most often planned first (over all groups), then by name."""
    totals = table.groupby("item")[["planned", "on_form"]].sum()
    share = (totals["planned"] / totals["on_form"].replace(0, np.nan)).fillna(0)
    ranked = sorted(share.index, key=lambda i: (-share[i], str(i)))
    return {item: rank for rank, item in enumerate(ranked)}


def _by(by: str | Sequence[str]) -> list[str]:
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ValueError("group by at least one field, e.g. month or office")
    return by


def _check_column(forms: pd.DataFrame, name: str) -> None:
    if name not in forms.columns:
        known = ", ".join(c for c in forms.columns if c != "key")
        raise ValueError(f"forms have no field {name!r} (there are: {known})")


def _iso(value: Any) -> str:
    return value_text(value)


def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    return table.reindex(sorted(table.index, key=natural_key))
