"""Fidelity counts from forms across two form versions, and joins with office measures."""

from __future__ import annotations

import datetime as dt
import math

import pytest

import qualcode as qc

OLD, NEW = "2011-09", "2012-02"  # UTU is on the form from version 2012-02


def fe(key, date, version, office, *, utu=None, summary=False, used=(), mastery=None,
       principles=0, rating=None, comments=()):
    items = [{"kind": "tool", "item": "oppsummering", "planned": summary,
              "used": "oppsummering" in used, "mastery": mastery}]
    if utu is not None or version == NEW:
        items.append({"kind": "tool", "item": "UTU", "on_form": version == NEW,
                      "planned": bool(utu), "used": "UTU" in used})
    items += [{"kind": "principle", "item": f"prinsipp {n}", "planned": n < principles}
              for n in range(3)]
    return {"key": key, "date": date, "version": version, "office": office, "case":
            f"kontor{office:02d}", "items": items,
            "values": {} if rating is None else {"gjennomfort_som_tenkt": rating},
            "texts": {f"kommentar{n}": f"Kommentar {n} til {key}." for n in comments}}


@pytest.fixture
def forms(project):
    for office, arm in ((2, "tiltak"), (3, "sammenligning")):
        case = project.add_case(f"kontor{office:02d}", "office")
        project.set_attribute("arm", arm, case=case)
    d = dt.date
    project.add_forms([
        # October 2011: the old version, without UTU (the item is listed, but not on the form)
        fe("F1", d(2011, 10, 3), OLD, 2, utu=False, summary=True, used=("oppsummering",),
           mastery=6, principles=2, rating=8, comments=(1,)),
        fe("F2", d(2011, 10, 9), OLD, 2, summary=True, used=("oppsummering",), mastery=8,
           principles=1, rating=6, comments=(1, 2)),
        fe("F3", d(2011, 10, 20), OLD, 3, summary=False, principles=3, rating=7),
        # February 2012: two old forms and two new ones
        fe("F4", d(2012, 2, 1), OLD, 2, summary=True),
        fe("F5", d(2012, 2, 2), OLD, 3, summary=True),
        fe("F6", d(2012, 2, 14), NEW, 2, utu=True, used=("UTU",), summary=True,
           comments=(1,)),
        fe("F7", d(2012, 2, 28), NEW, 3, utu=False, summary=False),
        # March 2012: the new version only
        fe("F8", d(2012, 3, 1), NEW, 2, utu=True, summary=True),
        fe("F9", d(2012, 3, 5), NEW, 2, utu=False, summary=True),
        fe("F10", d(2012, 3, 6), NEW, 3, utu=False, summary=True),
        fe("F11", d(2012, 3, 7), NEW, 3, utu=False, summary=True),
    ])
    return project


def test_a_tool_share_counts_only_forms_whose_version_had_the_tool(forms):
    planned = forms.fidelity("month", items="tool", value="planned")
    assert list(planned.index) == ["2011-10", "2012-02", "2012-03"]
    assert math.isnan(planned.loc["2011-10", "UTU"])       # not on the form: no share, not 0 %
    assert planned.loc["2012-02", "UTU"] == pytest.approx(50.0)  # 1 of the 2 new forms, not 1 of 4
    assert planned.loc["2012-03", "UTU"] == pytest.approx(25.0)
    assert planned.loc["2011-10", "oppsummering"] == pytest.approx(200 / 3)
    assert planned.loc["2012-02", "oppsummering"] == pytest.approx(75.0)
    used = forms.fidelity("month", items="tool", value="used")
    assert used.loc["2012-02", "UTU"] == pytest.approx(50.0)
    assert used.loc["2011-10", "oppsummering"] == pytest.approx(200 / 3)
    long = forms.fidelity("month", items="tool", long=True).set_index(["month", "item"])
    assert long.loc[("2012-02", "UTU"), ["forms", "on_form", "planned"]].tolist() == [4, 2, 1]
    assert ("2011-10", "UTU") not in long.index


def test_summary_per_month_and_office(forms):
    summary = forms.fidelity("month")
    october = summary.loc["2011-10"]
    assert october["forms"] == 3
    assert october["tools planned"] == pytest.approx(2 / 3)
    assert october["tools used"] == pytest.approx(2 / 3)
    assert october["principles"] == pytest.approx((2 + 1 + 3) / 3)
    assert october["mean gjennomfort_som_tenkt"] == pytest.approx(7.0)
    assert october["kommentar1 filled %"] == pytest.approx(200 / 3)
    assert october["kommentar2 filled %"] == pytest.approx(100 / 3)
    assert summary.loc["2012-03", "kommentar1 filled %"] == 0
    mastery = forms.fidelity("month", items="tool", value="mastery")
    assert mastery.loc["2011-10", "oppsummering"] == pytest.approx(7.0)
    by_office = forms.fidelity(["office", "month"])
    assert by_office.loc[("2", "2012-02"), "forms"] == 2
    # an attribute of the form's case (the office case) groups too
    by_arm = forms.fidelity("arm")
    assert by_arm["forms"].to_dict() == {"sammenligning": 5, "tiltak": 6}
    only = forms.fidelity("month", where={"office": 3}, start="2012-01-01")
    assert only["forms"].to_dict() == {"2012-02": 2, "2012-03": 2}
    with pytest.raises(qc.InvalidOperation, match="no field 'kommune'"):
        forms.fidelity("kommune")


def test_by_all_gives_one_ungrouped_total_with_counts_beside_shares(forms):
    total = forms.fidelity("all")
    assert list(total.index) == ["all"]
    row = total.loc["all"]
    assert row["forms"] == 11
    assert row["tools planned"] == pytest.approx((9 + 2) / 11)  # oppsummering 9, UTU 2
    # how many forms, and then their share
    assert (row["kommentar1 filled"], row["kommentar1 filled %"]) == (3, pytest.approx(300 / 11))
    assert list(total.columns).index("kommentar1 filled") + 1 == \
        list(total.columns).index("kommentar1 filled %")
    long = forms.fidelity("all", items="tool", long=True).set_index("item")
    # UTU was on the form of the 6 new-version forms, planned on 2 and used on 1 of them
    assert long.loc["UTU", ["forms", "on_form", "planned", "used"]].tolist() == [11, 6, 2, 1]
    assert long.loc["UTU", "planned %"] == pytest.approx(100 * 2 / 6)
    assert long.loc["oppsummering", ["on_form", "planned"]].tolist() == [11, 9]
    wide = forms.fidelity("all", items="tool")
    assert wide.loc["all", "UTU"] == pytest.approx(100 * 2 / 6)
    only = forms.fidelity("all", where={"office": 3})
    assert only.loc["all", "forms"] == 5


def test_fidelity_joined_with_office_measures(forms):
    with forms.change("import measures", "kontor") as rec:
        rec.insert_many("measures", [
            {"id": i, "dataset": "kontormål", "key_name": "office", "key_value": k,
             "name": n, "value": v}
            for i, (k, n, v) in enumerate([("02", "veiledning 2012", 11.25),
                                           ("2", "nytte samling 1", 3.75),
                                           ("9", "veiledning 2012", 0.0)], 1)])
    table = forms.with_measures(forms.fidelity("office"), "office")
    assert table.loc["2", "forms"] == 6
    assert table.loc["2", "veiledning 2012"] == 11.25   # "02" and "2" are the same office
    assert table.loc["2", "nytte samling 1"] == 3.75
    assert math.isnan(table.loc["3", "veiledning 2012"])
    assert list(forms.measures_by("office").index) == ["2", "9"]
