"""Retrieval filtered by coder and attribute (f), with the text around each excerpt (x)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from qualcode.tui.app import make_app

pytestmark = pytest.mark.anyio
SIZE = (120, 30)


def listed(app) -> list[str]:
    options = app.screen.query_one("#excerpts", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_filter_by_coder_and_attribute_and_show_context(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "slash", *"Barrierer", "enter")  # tid (ane) + for mye (ole)
        await pilot.pause()
        assert len(listed(app)) == 2
        await pilot.press("f", *"coder=ole", "enter")
        await pilot.pause()
        assert len(listed(app)) == 1 and "ole" in listed(app)[0]
        await pilot.press("f", "ctrl+u", *"coder=ane time=T1", "enter")  # tid is in T2
        await pilot.pause()
        assert listed(app) == []
        await pilot.press("f", "ctrl+u", *"time=T2", "enter")
        await pilot.pause()
        assert len(listed(app)) == 2
        await pilot.press("x")  # the text around: the interviewer's question before it
        await pilot.pause()
        assert all("første samlingen" in text for text in listed(app))
        await pilot.press("f", "ctrl+u", *"coder=nobody", "enter")  # unknown: said, all shown
        await pilot.pause()
        assert len(listed(app)) == 2


async def test_context_keeps_the_text_s_own_spacing(study_path):
    """With x, the excerpt was glued between its context with spaces of its own: "støttet oss
    , så det" and "det , for å være ærlig"; and "…" stood before a text's first word."""
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "slash", *"leadership", "enter", "x")
        await pilot.pause()
        shown = listed(app)
    assert "Lederen vår støttet oss, så det gikk bedre" in shown[0]
    assert "opptatt av det, for å være ærlig." in shown[1]
    assert " ," not in "".join(shown)
