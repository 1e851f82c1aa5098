"""Keys typed while a screen or a field is still coming: none lost. A person types `7 /used` or
`t bruker` without waiting for the screen to appear; Textual gives focus a moment later, and
keys that came before it went to the widget focused before."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from tui_study import burst

from qualcode.tui.app import make_app
from qualcode.tui.widgets.picker.code_picker import CodePicker

pytestmark = pytest.mark.anyio
SIZE = (100, 30)


@pytest.mark.parametrize(("screen_key", "field"), [
    ("1", "#filter"), ("7", "#form-filter"), ("9", "#attribute-filter")])
async def test_a_filter_typed_with_its_screen_key_keeps_every_key(study_path, screen_key,
                                                                     field):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if screen_key == "1":
            await pilot.press("2")
            await pilot.pause()
        await burst(pilot, [screen_key, "slash", *"used"], pauses=8)
        assert app.screen.query_one(field, Input).value == "used"


async def test_the_code_picker_keeps_the_keys_typed_with_t(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await burst(pilot, ["t", *"ledelse"], pauses=8)
        assert isinstance(app.screen, CodePicker)
        assert app.screen.query_one(Input).value == "ledelse"


async def test_a_prompt_keeps_the_keys_typed_with_its_key(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await burst(pilot, ["slash", *"used"], pauses=8)
        assert app.screen.query_one(Input).value == "used"
