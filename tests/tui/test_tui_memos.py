"""Memos (key 8): project, source and code memos written, shown, edited and deleted in the app,
and a list across the project that jumps to what a memo is about."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, OptionList

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.attributes import AttributesScreen
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.memos import MemosScreen
from qualcode.tui.screens.reader import ReaderScreen
from qualcode.tui.widgets.codebook.code_tree import CodeTree

pytestmark = pytest.mark.anyio
SIZE = (100, 30)


def memo_texts(path) -> dict[str, list[str]]:
    with qc.open_project(path) as p:
        out: dict[str, list[str]] = {}
        for m in p.memos():
            out.setdefault(m.target_kind, []).append(m.text)
        return out


async def test_write_project_source_and_code_memos_and_jump_to_them(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", *"Intervjuet ble gjort på kontoret.", "ctrl+s")  # sources: row 1
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            lead = p.code("Føringer/ledelse").id
        app.screen.query_one(CodeTree).show_code(lead)
        await pilot.pause()
        await pilot.press("n", *"Skill mellom leder og mellomleder.", "ctrl+s")
        await pilot.pause()
        await pilot.press("8")
        await pilot.pause()
        assert isinstance(app.screen, MemosScreen)
        await pilot.press("n", "p", *"Husk å skrive metodekapitlet.", "ctrl+s")
        await pilot.pause()
        texts = memo_texts(study_path)
        assert texts == {"source": ["Intervjuet ble gjort på kontoret."],
                         "code": ["Skill mellom leder og mellomleder."],
                         "project": ["Husk å skrive metodekapitlet."]}
        listed = app.screen.query_one(OptionList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert prompts[0].startswith("the project")
        assert prompts[1].startswith("source kontor02_T2")
        assert prompts[2].startswith("code Føringer/ledelse")
        listed.highlighted = 2
        await pilot.press("enter")  # to the code in the codebook, its memo shown beside it
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert app.screen.current().id == lead
        assert "Skill mellom leder" in str(app.screen.query_one("#code-details").content
                                           .renderables[-1])
        await pilot.press("8")
        await pilot.pause()
        app.screen.query_one(OptionList).highlighted = 1
        await pilot.press("enter")  # to the source
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.source.name == "kontor02_T2"


async def test_edit_and_delete_a_memo(study_path):
    with qc.open_project(study_path, coder="ane") as p:
        p.add_memo("Første utkast.")
        p.add_memo("Om kodeboka.", code="Barrierer/tid")
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("8")
        await pilot.pause()
        await pilot.press("e", *" Andre utkast.", "ctrl+s")
        await pilot.pause()
        assert memo_texts(study_path)["project"] == ["Første utkast. Andre utkast."]
        await pilot.press("down", "delete", "y")
        await pilot.pause()
        assert "code" not in memo_texts(study_path)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert memo_texts(study_path)["code"] == ["Om kodeboka."]
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("e", *["backspace"] * 30, "ctrl+s")  # emptied
        await pilot.pause()
    assert "project" not in memo_texts(study_path)


async def test_new_memo_on_a_case_source_or_code_by_name(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("8")
        await pilot.pause()
        await pilot.press("n", "k", *"kontor02-A", "enter", *"Byttet kontor i 2012.", "ctrl+s")
        await pilot.pause()
        await pilot.press("n", "c", *"ledelse", "enter", *"Leder eller mellomleder?", "ctrl+s")
        await pilot.pause()
        await pilot.press("n", "s", *"kontor05_T1", "enter", *"Kort intervju.", "ctrl+s")
        await pilot.pause()
        await pilot.press("n", "k", *"kontor99", "enter")  # no such case: said, nothing written
        await pilot.pause()
        assert isinstance(app.screen, MemosScreen)
        assert memo_texts(study_path) == {"case": ["Byttet kontor i 2012."],
                                          "code": ["Leder eller mellomleder?"],
                                          "source": ["Kort intervju."]}
        with qc.open_project(study_path) as p:
            assert p.memos(case="kontor02-A") and p.memos(code="Føringer/ledelse")
        await pilot.press("ctrl+z")  # each memo is one undo step
        await pilot.pause()
        assert "source" not in memo_texts(study_path)
        listed = app.screen.query_one(OptionList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert prompts[-1].startswith("case kontor02-A")
        listed.highlighted = listed.option_count - 1
        await pilot.press("enter")  # to the case's row in the sheet of cases and attributes
        await pilot.pause()
        assert isinstance(app.screen, AttributesScreen)
        row = app.screen.query_one(DataTable).cursor_row
        assert app.screen.rows[row][2] == "kontor02-A"


def _memo_study(path):
    with qc.open_project(path, coder="ane") as p:
        when = "2026-01-15T10:00:00"  # a fixed date: the snapshot is the same every day
        p.add_memo("Eksempelprosjekt: alt er oppdiktet.", title="Om prosjektet", created_at=when)
        p.add_memo("Intervjuet ble gjort på kontoret.", source="kontor02_T2", created_at=when)
        p.add_memo("Skill mellom leder og mellomleder.", code="Føringer/ledelse",
                   created_at=when)
        p.add_memo("Veilederen byttet kontor i 2012.", case="kontor02-A", created_at=when)


def test_memos_screen_80_by_24(study_path, snap_compare):
    _memo_study(study_path)

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("8")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(80, 24),
                        run_before=run_before)


def test_memos_screen_160_by_45(study_path, snap_compare):
    _memo_study(study_path)

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("8")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(160, 45),
                        run_before=run_before)
