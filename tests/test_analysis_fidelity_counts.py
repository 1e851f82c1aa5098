"""The fidelity tables counted in SQLite equal a straightforward pandas computation over every
raw item row, on generated forms, for every grouping: the same columns, dtypes, order and
floats to the last digit (a share over the forms that offered the item, NaN for an item not on
any form of a group's version, means over rated items only).

The reference below is what qualcode did before the counting moved into SQLite: read every
form and item row into pandas and group there."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

import qualcode as qc
from qualcode.analysis.filters import natural_key
from qualcode.analysis.frames import merged_case_attributes, values_match

TOOLS = ["åpne spørsmål", "oppsummering", "UTU", "skalering", "smarte mål", "IIMA"]
NEW_TOOLS = {"UTU": "v2", "IIMA": "v3"}  # on the form from that version on
PRINCIPLES = ["prinsipp 1", "prinsipp 2", "prinsipp 3"]
VERSIONS = ["v1", "v2", "v3"]
OFFICES = ["2", "5", "11", None]
RATINGS = [None, 3, 7, 8, 10, 6.5, 7.3, 0.1, 2.25]  # fractions exercise the exact means


def _offered(item: str, version: str) -> bool:
    return item not in NEW_TOOLS or VERSIONS.index(version) >= VERSIONS.index(NEW_TOOLS[item])


def generated_forms(rng: random.Random, n: int) -> list[dict]:
    forms = []
    for k in range(n):
        version = rng.choice(VERSIONS)
        date = None if rng.random() < 0.05 else \
            dt.date(2011, 9, 1) + dt.timedelta(days=rng.randrange(500))
        items = []
        for tool in TOOLS:
            if not _offered(tool, version) and rng.random() < 0.5:
                continue  # an older version's form may leave the item out altogether
            offered = _offered(tool, version)
            items.append({"kind": "tool", "item": tool, "on_form": offered,
                          "planned": rng.choice([True, False, None]) if offered else None,
                          "used": rng.choice([True, False, None]) if offered else None,
                          "mastery": rng.choice(RATINGS) if offered else None})
        for principle in PRINCIPLES:
            items.append({"kind": "principle", "item": principle,
                          "planned": rng.random() < 0.6, "used": rng.random() < 0.3,
                          "mastery": rng.choice([None, None, 4, 9])})
        office = rng.choice(OFFICES)
        forms.append({
            "key": f"FE{k:04d}", "date": date, "version": version, "office": office,
            "case": None if office is None or rng.random() < 0.1 else f"kontor{office}",
            "form_type": rng.choice(["FE", "FE", "FE-kort"]), "items": items,
            "values": {name: value for name in ("gjennomfort_som_tenkt", "mal_oppnadd")
                       if (value := rng.choice(RATINGS)) is not None},
            "texts": {f"kommentar{c}": f"Kommentar {c}." for c in (1, 2)
                      if rng.random() < 0.4}})
    return forms


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    project = qc.create_project(tmp_path_factory.mktemp("fidelity") / "forms.qualcode")
    for office in OFFICES[:-1]:
        case = project.add_case(f"kontor{office}", "office")
        if office != "11":  # one office without an arm: its forms have none
            project.set_attribute("arm", "tiltak" if office == "2" else "sammenligning",
                                  case=case)
    project.add_forms(generated_forms(random.Random(7), 400))
    yield project
    project.close()


# -- the reference: every row read into pandas --------------------------------------------------

def reference_forms(db, where=None, start=None, end=None) -> pd.DataFrame:
    frame = pd.read_sql_query(
        "SELECT f.id AS form_id, f.key, f.form_type, f.date, f.version, f.office, f.case_id, "
        "c.name AS 'case' FROM forms f LEFT JOIN cases c ON c.id = f.case_id ORDER BY f.id",
        db.conn, index_col="form_id")
    date = frame["date"].astype(object).where(frame["date"].notna(), None)
    frame["month"] = date.map(lambda d: d[:7] if d else None)
    frame["year"] = date.map(lambda d: d[:4] if d else None)
    frame["quarter"] = date.map(lambda d: f"{d[:4]}Q{(int(d[5:7]) - 1) // 3 + 1}" if d else None)
    frame["all"] = "all"
    attrs = pd.DataFrame.from_dict(merged_case_attributes(db), orient="index")
    for name in attrs.columns:
        values = frame["case_id"].map(attrs[name])
        if name not in frame.columns and values.notna().any():
            frame[name] = values
    frame = frame.drop(columns="case_id")
    for name, wanted in (where or {}).items():
        frame = frame[values_match(frame[name], wanted, name)]
    if start is not None:
        frame = frame[frame["date"].notna() & (frame["date"] >= start)]
    if end is not None:
        frame = frame[frame["date"].notna() & (frame["date"] <= end)]
    return frame


def reference_summary(db, by, **select) -> pd.DataFrame:
    forms = reference_forms(db, **select)
    items = pd.read_sql_query("SELECT form_id, kind, planned, used FROM form_items", db.conn)
    ticked = (items["planned"] == 1) | (items["used"] == 1)
    items = items.assign(tools_planned=(items["kind"] == "tool") & (items["planned"] == 1),
                         tools_used=(items["kind"] == "tool") & (items["used"] == 1),
                         principles=(items["kind"] == "principle") & ticked)
    counts = items.groupby("form_id")[["tools_planned", "tools_used", "principles"]].sum()
    values = pd.read_sql_query("SELECT form_id, name, value FROM form_values", db.conn)
    values = values.pivot(index="form_id", columns="name", values="value")
    fields = pd.read_sql_query("SELECT DISTINCT form_id, field FROM sources WHERE form_id IS "
                               "NOT NULL AND field IS NOT NULL", db.conn)
    filled = pd.crosstab(fields["form_id"], fields["field"]).clip(upper=1)
    per_form = forms[by].copy()
    for col in ("tools_planned", "tools_used", "principles"):
        per_form[col] = counts[col].reindex(per_form.index).fillna(0)
    for name in values.columns:
        per_form[f"mean {name}"] = values[name].reindex(per_form.index)
    field_names = sorted(filled.columns, key=natural_key)
    for field in field_names:
        per_form[f"{field} filled %"] = filled[field].reindex(per_form.index).fillna(0) * 100
    grouped = per_form.groupby(by, dropna=False, sort=False)
    table = grouped.mean()
    table.insert(0, "forms", grouped.size())
    for field in field_names:
        share = f"{field} filled %"
        table.insert(table.columns.get_loc(share), f"{field} filled",
                     (grouped[share].sum() / 100).round().astype(int))
    table = table.rename(columns={"tools_planned": "tools planned", "tools_used": "tools used"})
    return table.reindex(sorted(table.index, key=natural_key))


def reference_long(db, by, kind=None, **select) -> pd.DataFrame:
    forms = reference_forms(db, **select)
    items = pd.read_sql_query("SELECT form_id, kind, item, on_form, planned, used, mastery "
                              "FROM form_items", db.conn)
    if kind:
        items = items[items["kind"] == kind]
    on = items[items["form_id"].isin(forms.index) & (items["on_form"] == 1)]
    keys = forms[by]
    on = on.join(keys, on="form_id")
    on = on.assign(planned=on["planned"].fillna(0).astype(float),
                   used=on["used"].fillna(0).astype(float))
    table = on.groupby([*by, "kind", "item"], dropna=False, sort=False).agg(
        on_form=("form_id", "nunique"), planned=("planned", "sum"), used=("used", "sum"),
        mastery=("mastery", "mean"), rated=("mastery", "count")).reset_index()
    sizes = keys.groupby(by, dropna=False, sort=False).size().rename("forms").reset_index()
    table = sizes.merge(table, on=by, how="left")
    table = table[table["item"].notna()]
    table["planned %"] = 100 * table["planned"] / table["on_form"]
    table["used %"] = 100 * table["used"] / table["on_form"]
    for col in ("forms", "on_form", "planned", "used", "rated"):
        table[col] = table[col].astype(int)
    totals = table.groupby("item")[["planned", "on_form"]].sum()
    share = (totals["planned"] / totals["on_form"].replace(0, np.nan)).fillna(0)
    ranked = sorted(share.index, key=lambda i: (-share[i], str(i)))
    table["_item"] = table["item"].map({item: rank for rank, item in enumerate(ranked)})
    table["_group"] = [natural_key(tuple(r)) for r in table[by].itertuples(index=False)]
    table = table.sort_values(["_group", "kind", "_item"]).drop(columns=["_item", "_group"])
    return table[[*by, "kind", "item", "forms", "on_form", "planned", "used", "planned %",
                  "used %", "mastery", "rated"]].reset_index(drop=True)


def reference_wide(db, by, kind, value, **select) -> pd.DataFrame:
    long = reference_long(db, by, kind, **select)
    column = value if value == "mastery" else f"{value} %"
    table = long.pivot_table(index=by, columns="item", values=column, dropna=False,
                             sort=False, aggfunc="first")
    table = table.reindex(columns=list(dict.fromkeys(long["item"])))
    table = table.reindex(reference_summary(db, by, **select).index)
    table.columns.name = f"{value} %" if value != "mastery" else "mean mastery"
    return table


GROUPINGS = [["all"], ["month"], ["quarter"], ["year"], ["office"], ["version"], ["arm"],
             ["case"], ["form_type"], ["office", "month"], ["arm", "version"]]
SELECTIONS = [{}, {"where": {"office": ["2", "5"]}, "start": "2012-01-01"},
              {"end": "2012-03-31"}]


def test_the_forms_cover_what_the_counting_must_handle(forms):
    conn = forms.conn
    assert conn.execute("SELECT count(*) FROM form_items WHERE on_form = 0").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM forms WHERE date IS NULL").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM forms WHERE office IS NULL").fetchone()[0]
    rated = {r[0] for r in conn.execute("SELECT DISTINCT mastery FROM form_items")}
    assert None in rated and 7.3 in rated and 8 in rated
    # forms of the first version without UTU's row at all, and with it listed as not on the form
    missing = conn.execute("SELECT count(*) FROM forms f WHERE version = 'v1' AND NOT EXISTS "
                           "(SELECT 1 FROM form_items WHERE form_id = f.id AND item = 'UTU')")
    assert missing.fetchone()[0]


@pytest.mark.parametrize("by", GROUPINGS, ids="+".join)
@pytest.mark.parametrize("select", range(len(SELECTIONS)))
def test_counted_in_sqlite_as_pandas_counts_the_rows(forms, by, select):
    chosen = SELECTIONS[select]
    with_dates = {**chosen}
    for kind in (None, "tool", "principle"):
        pd.testing.assert_frame_equal(
            forms.fidelity(by, items=kind, long=True, **with_dates),
            reference_long(forms.db, by, kind, **chosen), check_exact=True)
    for kind in ("tool", "principle"):
        for value in ("planned", "used", "mastery"):
            pd.testing.assert_frame_equal(
                forms.fidelity(by, items=kind, value=value, **with_dates),
                reference_wide(forms.db, by, kind, value, **chosen), check_exact=True)
    pd.testing.assert_frame_equal(forms.fidelity(by, **with_dates),
                                  reference_summary(forms.db, by, **chosen), check_exact=True)


def test_a_group_whose_forms_lack_an_item_has_no_share_not_zero(forms):
    wide = forms.fidelity("version", items="tool")
    assert np.isnan(wide.loc["v1", "UTU"]) and np.isnan(wide.loc["v2", "IIMA"])
    assert wide.loc["v3", "IIMA"] == wide.loc["v3", "IIMA"]  # a number
    long = forms.fidelity("version", items="tool", long=True).set_index(["version", "item"])
    assert ("v1", "UTU") not in long.index
    offered = forms.conn.execute(
        "SELECT count(*) FROM form_items i JOIN forms f ON f.id = i.form_id WHERE f.version = "
        "'v2' AND i.item = 'UTU' AND i.on_form = 1").fetchone()[0]
    assert long.loc[("v2", "UTU"), "on_form"] == offered
