"""The fidelity counts of the bundled sample forms reproduce the published HPMT marginals
(the HPMT domain notes): the sample was generated to follow them, so a counting error
(a wrong denominator, a missed item) shows up here."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from qualcode.ingest.forms import import_forms

FORMS = Path(__file__).resolve().parents[1] / "corpora" / "hpmt_demo" / "fe_forms.csv"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    import qualcode as qc

    p = qc.create_project(tmp_path_factory.mktemp("demo") / "demo.qualcode")
    import_forms(p, FORMS)
    yield p
    p.close()


def test_forms_tools_principles_ratings_and_comments(demo):
    overall = demo.fidelity("form_type").loc["FE"]
    assert overall["forms"] == 1672
    assert overall["tools planned"] == pytest.approx(5.2, abs=0.1)
    assert overall["principles"] == pytest.approx(5.6, abs=0.1)
    assert overall["kommentar1 filled %"] > 70
    assert overall["kommentar2 filled %"] == pytest.approx(15, abs=3)
    assert demo.conn.execute("SELECT count(*) FROM sources WHERE kind = 'form_field'"
                             ).fetchone()[0] > 1000
    monthly = demo.fidelity("month")
    assert monthly["mean gjennomfort_som_tenkt"].between(7, 8).all()
    assert monthly["mean mal_oppnadd"].between(7, 8.5).all()


def test_tool_shares_per_month(demo):
    planned = demo.fidelity("month", items="tool")
    assert planned["åpne spørsmål"].between(85, 98).all()
    assert planned["oppsummering"].min() > 80 and planned["aktiv lytting"].min() > 75
    assert all(math.isnan(v) for v in planned.loc[:"2012-01", "UTU"])  # not on the form yet
    assert planned.loc["2012-06", "UTU"] == pytest.approx(56, abs=3)
    assert planned.loc["2012-12", "UTU"] == pytest.approx(70, abs=3)
    for rising in ("smarte mål", "helhetsmodellen", "plan med smarte mål", "IIMA"):
        assert planned[rising].iloc[-3:].mean() > planned[rising].iloc[:3].mean() + 15
    for rare in ("skalering", "livshjulet", "systemkart"):
        assert planned[rare].max() < 15
