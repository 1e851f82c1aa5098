"""Fidelity counts from imported forms (e.g. HPMT's FE form), per month, office or any form field
or attribute of the form's case.

A share of forms "with a tool planned" counts only the forms whose version had that tool
(`form_items.on_form`): a tool added to the form in February 2012 has no share in 2011, rather
than 0 %. Shares are percentages (0-100).
"""

from __future__ import annotations

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
    frame["month"] = date.map(lambda d: d[:7] if d else None)
    frame["year"] = date.map(lambda d: d[:4] if d else None)
    frame["quarter"] = date.map(lambda d: f"{d[:4]}Q{(int(d[5:7]) - 1) // 3 + 1}" if d else None)
    frame["all"] = ALL
    attrs = case_attributes(db)
    for name in attrs.columns:
        values = frame["case_id"].map(attrs[name])
        if name not in frame.columns and values.notna().any():
            frame[name] = values
    return frame.drop(columns="case_id")


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
    counts = pd.read_sql_query(
        "SELECT form_id, sum(kind = 'tool' AND planned = 1) AS tools_planned, "
        "sum(kind = 'tool' AND used = 1) AS tools_used, "
        "sum(kind = 'principle' AND (planned = 1 OR used = 1)) AS principles "
        "FROM form_items GROUP BY form_id", conn, index_col="form_id")
    values = pd.read_sql_query("SELECT form_id, name, value FROM form_values", conn)
    values = values.pivot(index="form_id", columns="name", values="value") \
        if len(values) else pd.DataFrame()
    fields = pd.read_sql_query(
        "SELECT DISTINCT form_id, field FROM sources WHERE form_id IS NOT NULL AND field IS NOT "
        "NULL", conn)
    filled = pd.crosstab(fields["form_id"], fields["field"]).clip(upper=1) \
        if len(fields) else pd.DataFrame()
    per_form = forms[by].copy()
    for col in ("tools_planned", "tools_used", "principles"):
        per_form[col] = counts[col].reindex(per_form.index).fillna(0)
    value_names = list(values.columns)
    for name in value_names:
        per_form[f"mean {name}"] = values[name].reindex(per_form.index)
    field_names = sorted(filled.columns, key=natural_key)
    for field in field_names:
        per_form[f"{field} filled %"] = filled[field].reindex(per_form.index).fillna(0) * 100
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
    sql = "SELECT form_id, kind, item, on_form, planned, used, mastery FROM form_items"
    items = pd.read_sql_query(sql + (" WHERE kind = ?" if kind else ""), db.conn,
                              params=[kind] if kind else None)
    items = items[items["form_id"].isin(forms.index)]
    on = items[items["on_form"] == 1]
    keys = forms[by]
    on = on.join(keys, on="form_id")
    on = on.assign(planned=on["planned"].fillna(0).astype(float),
                   used=on["used"].fillna(0).astype(float))
    grouped = on.groupby([*by, "kind", "item"], dropna=False, sort=False)
    table = grouped.agg(on_form=("form_id", "nunique"), planned=("planned", "sum"),
                        used=("used", "sum"), mastery=("mastery", "mean"),
                        rated=("mastery", "count")).reset_index()
    sizes = keys.groupby(by, dropna=False, sort=False).size().rename("forms").reset_index()
    table = sizes.merge(table, on=by, how="left")
    table = table[table["item"].notna()]
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


def fidelity_items(db, by: str | Sequence[str] = "month", *, kind: str = "tool",
                   value: str = "planned", where: Mapping[str, Any] | None = None,
                   start: Any = None, end: Any = None) -> pd.DataFrame:
    """Groups × items: the share (%) of forms with the item planned or used, or its mean
    mastery. Empty (NaN) where no form of the group had the item on its version."""
    if value not in ITEM_VALUES:
        raise ValueError(f"value {value!r} is not one of {', '.join(ITEM_VALUES)}")
    by = _by(by)
    long = fidelity_items_long(db, by, kind=kind, where=where, start=start, end=end)
    column = value if value == "mastery" else f"{value} %"
    items = list(dict.fromkeys(long["item"]))
    table = long.pivot_table(index=by, columns="item", values=column, dropna=False,
                             sort=False, aggfunc="first")
    table = table.reindex(columns=items)
    groups = fidelity_summary(db, by, where=where, start=start, end=end).index
    table = table.reindex(groups)
    table.columns.name = f"{value} %" if value != "mastery" else "mean mastery"
    return table


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
