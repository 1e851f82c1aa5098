"""The fidelity table (key 0): p.fidelity by month, then quarter, year, office, version."""

from __future__ import annotations

import json

import pytest
from test_tui_forms import MORE_FORMS
from testkit import DEMO_CORPUS, run_qualcode
from textual.widgets import DataTable

import qualcode as qc
from qualcode.ingest.forms import import_forms
from qualcode.tui.app import make_app
from qualcode.tui.screens.fidelity import FidelityScreen

pytestmark = pytest.mark.anyio
SIZE = (140, 30)


@pytest.fixture
def forms_path(study_path):
    with qc.open_project(study_path, coder="ane") as p:
        p.add_forms(MORE_FORMS)
    return study_path


async def settle(pilot) -> None:
    """Until the tables counted in the background are shown."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def table_rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[getattr(c, "plain", str(c)) for c in table.get_row_at(i)]
            for i in range(table.row_count)]


async def test_fidelity_by_month_then_by_office(forms_path):
    app = make_app(forms_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("0")
        await settle(pilot)
        assert isinstance(app.screen, FidelityScreen)
        rows = {r[0]: r for r in table_rows(app)}
        assert list(rows) == ["2011-09", "2011-10", "2012-02", "2012-03"]
        assert rows["2011-10"][1:4] == ["1", "2", "1"]  # forms, tools planned, tools used
        await pilot.press("b", "b", "b")  # quarter, year, office
        await settle(pilot)
        rows = {r[0]: r for r in table_rows(app)}
    with qc.open_project(forms_path) as p:
        expected = p.fidelity("office")
    assert list(rows) == [str(k) for k in expected.index] == ["2", "5"]
    assert rows["2"][1] == str(int(expected.loc["2", "forms"])) == "3"


def test_fidelity_80_by_24(forms_path, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("0")
        await settle(pilot)

    assert snap_compare(make_app(forms_path, coder="ane"), terminal_size=(80, 24),
                        run_before=run_before)


def test_fidelity_160_by_45(forms_path, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("0", "b", "b", "b")
        await settle(pilot)

    assert snap_compare(make_app(forms_path, coder="ane"), terminal_size=(160, 45),
                        run_before=run_before)


SAMPLE_FORMS = DEMO_CORPUS / "fe_forms.csv"


@pytest.fixture
def sample_forms_path(study_path):
    """A project of the 1,672 sample FE forms (18 tools, UTU on the form from 2012-02)."""
    path = study_path.with_name("forms.qualcode")
    with qc.create_project(path, "fe", coder="ane") as p:
        import_forms(p, SAMPLE_FORMS)
    return path


def cli_items(path, by: str) -> list[dict]:
    """What `qualcode query fidelity --items tool --long` prints, read back as JSON."""
    return json.loads(run_qualcode("query", "fidelity", "-p", path, "--by", by, "--items",
                                   "tool", "--long", "--format", "json", cwd=path.parent).stdout)


def item_cell(value) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


async def test_tools_by_month_match_the_command_line(sample_forms_path):
    app = make_app(sample_forms_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("0", "t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FidelityScreen) and screen.view == "tool"
        used = {r[0]: r for r in table_rows(app)}
        await pilot.press("v")  # planned
        await settle(pilot)
        planned = {r[0]: r for r in table_rows(app)}
        await pilot.press("v", "v")  # % planned
        await settle(pilot)
        planned_share = {r[0]: r for r in table_rows(app)}
        table = screen.query_one(DataTable)
        header = [str(c.label) for c in table.ordered_columns]
        await pilot.press("b", "v")  # by quarter, used again
        await settle(pilot)
        by_quarter = {r[0]: r for r in table_rows(app)}
        quarters = [str(c.label) for c in table.ordered_columns]

    rows = cli_items(sample_forms_path, "month")
    totals = cli_items(sample_forms_path, "all")
    months = list(dict.fromkeys(r["month"] for r in rows))
    assert header == ["tool", "all", *months] and len(months) == 20
    assert list(used) == ["forms", *[r["item"] for r in totals]] and len(used) == 19
    for row in rows:
        column = header.index(row["month"])
        assert used[row["item"]][column] == str(row["used"])
        assert planned[row["item"]][column] == str(row["planned"])
        assert planned_share[row["item"]][column] == item_cell(row["planned %"])
        assert used["forms"][column] == str(row["forms"])
    for row in totals:
        assert used[row["item"]][1] == str(row["used"])
    assert used["UTU"][header.index("2011-12")] == "–"  # not on the form before 2012-02
    assert used["UTU"][header.index("2012-06")] == "43"
    for row in cli_items(sample_forms_path, "quarter"):
        assert by_quarter[row["item"]][quarters.index(row["quarter"])] == str(row["used"])


async def test_principles_show_what_the_forms_record(sample_forms_path):
    """The FE form ticks principles (planned) and never records them used: the principles
    table shows the forms that ticked each, not a table of zeros."""
    app = make_app(sample_forms_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("0", "t", "t", "b", "b", "b")  # principles by office
        await settle(pilot)
        screen = app.screen
        assert (screen.view, screen.by, screen.value) == ("principle", "office", "planned")
        shown = {r[0]: r for r in table_rows(app)}
        header = [str(c.label) for c in screen.query_one(DataTable).ordered_columns]
        await pilot.press("v", "v")  # planned %, then planned again
        await settle(pilot)
        assert screen.value == "planned"
    printed = json.loads(run_qualcode(
        "query", "fidelity", "-p", sample_forms_path, "--by", "office", "--items", "principle",
        "--long", "--format", "json", cwd=sample_forms_path.parent).stdout)
    assert len(shown) == 11 and not any(r["used"] for r in printed)
    for row in printed:
        assert shown[row["item"]][header.index(str(row["office"]))] == str(row["planned"])


def test_tools_by_month_80_by_24(sample_forms_path, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("0", "t")
        await settle(pilot)

    assert snap_compare(make_app(sample_forms_path, coder="ane"), terminal_size=(80, 24),
                        run_before=run_before)


def test_tools_by_month_160_by_45(sample_forms_path, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("0", "t")
        await settle(pilot)

    assert snap_compare(make_app(sample_forms_path, coder="ane"), terminal_size=(160, 45),
                        run_before=run_before)
