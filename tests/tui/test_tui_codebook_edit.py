"""Editing the codebook in the app: delete (codings deleted or moved to the parent), colour,
order among siblings, English label, include, exclude and example; each one undo step."""

from __future__ import annotations

import pytest

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.widgets.codebook.code_tree import CodeTree
from qualcode.tui.widgets.common.prompts import Choice

pytestmark = pytest.mark.anyio
SIZE = (100, 30)


async def at_code(pilot, path: str):
    await pilot.press("2")
    await pilot.pause()
    with qc.open_project(pilot.app.project.path) as p:
        code_id = p.code(path).id
    pilot.app.screen.query_one(CodeTree).show_code(code_id)
    await pilot.pause()
    return pilot.app.screen


def code(path_: str, ref: str):
    with qc.open_project(path_) as p:
        return p.code(ref)


async def test_delete_a_code_asks_what_to_do_with_its_codings(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await at_code(pilot, "Barrierer/opplæring")  # one coding below it, by ole
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        assert "has 1 coding" in app.screen.question
        assert "move it to the parent" not in app.screen.question  # Barrierer is a category
        await pilot.press("escape")  # nothing happens
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert p.code("Barrierer/opplæring/for mye for fort")
        await pilot.press("D", "d")  # delete them with it
        await pilot.pause()
        with qc.open_project(study_path) as p:
            paths = [c.path for c in p.codes()]
            assert "Barrierer/opplæring" not in paths
            assert "Barrierer/opplæring/for mye for fort" not in paths
            assert set(p.codings()["coder"]) == {"ane"}  # ole's coding went with it
        await pilot.press("ctrl+z")
        await pilot.pause()
    with qc.open_project(study_path) as p:
        assert len(p.codings(codes=["Barrierer/opplæring/for mye for fort"])) == 1


async def test_delete_moves_codings_to_a_codable_parent(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await at_code(pilot, "Barrierer/opplæring/for mye for fort")
        await pilot.press("delete")
        await pilot.pause()
        assert "move it to the parent Barrierer/opplæring" in app.screen.question
        await pilot.press("p")
        await pilot.pause()
    with qc.open_project(study_path) as p:
        assert "Barrierer/opplæring/for mye for fort" not in [c.path for c in p.codes()]
        moved = p.codings(codes=["Barrierer/opplæring"])
        assert list(moved["coder"]) == ["ole"]


async def test_delete_a_code_without_codings_after_yes(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await at_code(pilot, "valens/fremmer")
        await pilot.press("delete", "y")
        await pilot.pause()
    with qc.open_project(study_path) as p:
        assert [c.path for c in p.codes() if c.path.startswith("valens/")] == ["valens/hemmer"]


async def test_colour_label_include_exclude_example(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await at_code(pilot, "Føringer/ledelse")
        await pilot.press("c", "5")  # purple from the palette
        await pilot.pause()
        assert code(study_path, "Føringer/ledelse").color == "#9467bd"
        await pilot.press("c", "h", "ctrl+u", *"#123abc", "enter")
        await pilot.pause()
        assert code(study_path, "Føringer/ledelse").color == "#123abc"
        await pilot.press("c", "n")  # its parent's colour again
        await pilot.pause()
        assert code(study_path, "Føringer/ledelse").color is None
        await pilot.press("l", "ctrl+u", *"management", "enter")
        await pilot.pause()
        assert code(study_path, "Føringer/ledelse").en == "management"
        await pilot.press("i", *"Leders støtte.", "ctrl+s")
        await pilot.pause()
        await pilot.press("o", *"Kollegers støtte.", "ctrl+s")
        await pilot.pause()
        await pilot.press("E", *"Lederen vår støttet oss.", "ctrl+s")
        await pilot.pause()
        found = code(study_path, "Føringer/ledelse")
        assert (found.include, found.exclude, found.example) == (
            "Leders støtte.", "Kollegers støtte.", "Lederen vår støttet oss.")
        await pilot.press("l", "ctrl+u", "enter")  # an empty label removes it
        await pilot.pause()
        assert code(study_path, "Føringer/ledelse").en is None
        await pilot.press("ctrl+z")  # each edit is one undo step
        await pilot.pause()
        assert code(study_path, "Føringer/ledelse").en == "management"


async def test_move_a_code_up_and_down_among_its_siblings(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await at_code(pilot, "valens/hemmer")
        await pilot.press("shift+up")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert [c.name for c in p.codes() if c.parent_id == p.code("valens").id] == [
                "hemmer", "fremmer"]
        assert screen.current().path == "valens/hemmer"  # the cursor stays on it
        await pilot.press("shift+up")  # already first: nothing changes
        await pilot.press("shift+down")
        await pilot.pause()
    with qc.open_project(study_path) as p:
        assert [c.name for c in p.codes() if c.parent_id == p.code("valens").id] == [
            "fremmer", "hemmer"]


def test_delete_question_80_by_24(study_path, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        await at_code(pilot, "Barrierer/opplæring/for mye for fort")
        await pilot.press("delete")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(80, 24),
                        run_before=run_before)


def test_colour_choice_160_by_45(study_path, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        await at_code(pilot, "Føringer/ledelse")
        await pilot.press("c")
        await pilot.pause()

    assert snap_compare(make_app(study_path, coder="ane"), terminal_size=(160, 45),
                        run_before=run_before)
