"""Blind mode: coder ole sees none of ane's codings in the reader, retrieval and a Word export,
and all of them once it is off (Pilot)."""

from __future__ import annotations

import pytest
from docx import Document
from textual.widgets import OptionList, Static
from tui_study import shown

import qualcode as qc
from qualcode.export.report_docx import excerpts_docx
from qualcode.tui.app import make_app
from qualcode.tui.screens.retrieval import RetrievalScreen

pytestmark = pytest.mark.anyio
SIZE = (100, 30)


def set_blind(path, on: bool) -> None:
    with qc.open_project(path) as p:
        p.set_blind(on)


async def seen_by_ole(path):
    """(coders of the codings in kontor02_T2's reader, its side panel, the excerpts that
    retrieval finds for "Barrierer" with sub-codes)."""
    app = make_app(path, coder="ole", source="kontor02_T2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen
        coders = sorted({reader.coders[c.coder_id] for c in reader.codings})
        panel = shown(reader.query_one("#panel-body", Static))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("3", "slash", *"Barrierer", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        if not screen.descendants:
            await pilot.press("d")
            await pilot.pause()
        excerpts = screen.query_one("#excerpts", OptionList)
        texts = [str(excerpts.get_option_at_index(i).prompt)
                 for i in range(excerpts.option_count)]
    return coders, panel, texts


def word_quotes(path, tmp_path) -> str:
    with qc.open_project(path, coder="ole") as p:
        excerpts_docx(p, tmp_path / "ole.docx")
    return "\n".join(par.text for par in Document(str(tmp_path / "ole.docx")).paragraphs)


async def test_blind_mode_hides_other_coders_until_it_is_off(study_path, tmp_path):
    set_blind(study_path, True)
    coders, panel, texts = await seen_by_ole(study_path)
    assert coders == ["ole"]
    assert "Blind mode: only your own codings are shown" in panel
    assert len(texts) == 1 and "for mange verktøy" in texts[0]   # ole's, not ane's "tid"
    report = word_quotes(study_path, tmp_path)
    assert "for mange verktøy" in report
    assert "Vi fikk ikke tid til å øve." not in report and "Lederen vår" not in report
    assert "on: only ole's codings" in report   # the title page says so
    with qc.open_project(study_path, coder="ole") as p, pytest.raises(
            qc.InvalidOperation, match="blind mode is on: ole sees only their own"):
        p.codings(coders=["ane"])

    set_blind(study_path, False)
    coders, panel, texts = await seen_by_ole(study_path)
    assert coders == ["ane", "ole"]
    assert "Blind mode" not in panel
    assert len(texts) == 2
    report = word_quotes(study_path, tmp_path)
    assert "Vi fikk ikke tid til å øve." in report and "Lederen vår" in report
