"""Blind mode: coder ole sees none of ane's codings in the reader, retrieval and a Word export,
and all of them once it is off; every count the app shows (sources, forms, codebook, retrieval,
code picker, matrix, co-occurrence) is of ole's own codings, and says so (Pilot)."""

from __future__ import annotations

import re
import uuid

import pytest
from docx import Document
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.data_table import ColumnKey
from tui_study import KONTOR02, shown, span_of

import qualcode as qc
from qualcode.export.report_docx import excerpts_docx
from qualcode.tui.app import make_app
from qualcode.tui.blind import NO_ADJUDICATION
from qualcode.tui.screens.adjudication import AdjudicationScreen
from qualcode.tui.screens.matrix import MatrixScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.screens.sources import SourcesScreen
from qualcode.tui.widgets.codebook.code_tree import CodeTree
from qualcode.tui.widgets.picker.code_picker import CodePicker

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


# -- counts: in blind mode every count the app shows is of the coder's own codings -----------
def code_more(path) -> None:
    """Both coders code more, so that ole's counts differ from the team's everywhere: the form
    comment (ane twice, ole once), leadership (ane twice, ole once) and a pair of overlapping
    codes each (ane: tid × hemmer; ole: for mye for fort × hemmer)."""
    with qc.open_project(path, coder="ane") as p:
        comment = p.source("FE-00001 kommentar")
        text = comment.text
        p.code_span(comment, *span_of(text, "Det hjalp"), "valens/fremmer")
        p.code_span(comment, *span_of(text, "oppsummere"), "Føringer/ledelse")
        p.code_span("kontor02_T2", *span_of(KONTOR02, "Vi fikk ikke tid til å øve."),
                    "valens/hemmer")
        p.code_span(comment, *span_of(text, "Det hjalp"), "valens/fremmer", coder="ole")
        p.code_span("kontor02_T2", *span_of(KONTOR02, "Lederen vår støttet oss, så det gikk"),
                    "Føringer/ledelse", coder="ole")
        p.code_span("kontor02_T2", *span_of(KONTOR02, "for mange verktøy"), "valens/hemmer",
                    coder="ole")


def codings_of(path, coder: str | None):
    """The codings of `coder` (None: everyone's), read as the command line reads them (every
    coder's, blind or not: blind mode is switched off to read them)."""
    with qc.open_project(path) as p:
        blind = p.blind
        p.set_blind(False)
        frame = p.codings()
        p.set_blind(blind)
    return frame if coder is None else frame[frame["coder"] == coder]


def expected_code_counts(frame, codes) -> dict[int, tuple[int, int]]:
    """(own, with sub-codes) per code id, as the code tree and the picker show them."""
    paths = frame["code_path"].tolist()
    return {c.id: (sum(p == c.path for p in paths),
                   sum(p == c.path or p.startswith(c.path + "/") for p in paths))
            for c in codes}


def shown_count(text: str) -> tuple[int, int]:
    """(own, with sub-codes) from a code's label: "  3", "  1/4", or no count at all."""
    found = re.search(r"  (\d+)(?:/(\d+))?$", text)
    if not found:
        return 0, 0
    own = int(found.group(1))
    return own, int(found.group(2) or own)


def table_column(table: DataTable, key: str) -> tuple[str, list[str]]:
    """A table's column: its title, and its cells in row order."""
    return str(table.columns[ColumnKey(key)].label), \
        [str(table.get_cell_at((row, table.get_column_index(key))))
         for row in range(table.row_count)]


async def counts_seen(path, coder: str) -> dict:
    """What `coder` sees counted: the sources list, the forms list, the codebook, retrieval's
    code tree and the reader's code picker (each with the line that says what they count)."""
    # a config folder of its own: the app would open where the last run left it
    app = make_app(path, coder=coder, config_dir=path.parent / f"config-{uuid.uuid4()}")
    seen = {}
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourcesScreen)
        names = {r["id"]: r["name"] for r in screen.rows}
        seen["sources title"], cells = table_column(screen.query_one(DataTable), "codings")
        seen["sources"] = {names[i]: int(v) for i, v in zip(screen.shown, cells, strict=True)}
        seen["sources status"] = shown(screen.query_one("#source-status", Static))
        await pilot.press("7")
        await pilot.pause()
        screen = app.screen
        seen["forms title"], cells = table_column(screen.query_one(DataTable), "coded")
        seen["forms"] = {screen.forms[i]["id"]: int(v or 0)
                         for i, v in zip(screen.shown, cells, strict=True)}
        seen["forms status"] = shown(screen.query_one("#form-status", Static))
        for key, name in (("2", "codebook"), ("3", "retrieval")):
            await pilot.press(key)
            await pilot.pause()
            tree = app.screen.query_one(CodeTree)
            seen[name] = {cid: shown_count(node.label.plain)
                          for cid, node in tree.nodes_by_code.items()}
        seen["retrieval heading"] = shown(app.screen.query_one("#excerpts-heading", Static))
        await pilot.press("2")
        await pilot.pause()
        seen["codebook status"] = shown(app.screen.query_one("#codebook-status", Static))
        app.open_source(app.project.source("kontor02_T2").id)
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CodePicker)
        options = picker.query_one("#picker-options", OptionList)
        seen["picker"] = {int(o.id): shown_count(str(o.prompt.plain))[0]
                          for o in (options.get_option_at_index(i)
                                    for i in range(options.option_count))
                          if o.id.isdigit()}
        seen["picker title"] = shown(picker.query_one("#picker-title", Static))
    return seen


async def test_blind_mode_counts_only_your_codings_in_lists_trees_and_picker(study_path):
    code_more(study_path)
    set_blind(study_path, True)
    with qc.open_project(study_path) as p:
        codes, form_id = p.codes(), p.form_overview(items=False)[0]["id"]
    for blind, coder in ((True, "ole"), (True, "ane"), (False, "ole")):
        set_blind(study_path, blind)
        seen = await counts_seen(study_path, coder)
        mine = codings_of(study_path, coder if blind else None)
        assert seen["sources"] == {name: int((mine["source"] == name).sum())
                                   for name in seen["sources"]}
        assert seen["forms"] == {form_id: int(
            (mine["source"] == "FE-00001 kommentar").sum())}
        counts = expected_code_counts(mine, codes)
        assert seen["codebook"] == counts and seen["retrieval"] == counts
        assert seen["picker"] == {c: own for c, (own, _) in counts.items()
                                  if c in seen["picker"]}
        note = "blind mode: counts are of your codings only"
        for where in ("sources status", "forms status", "codebook status",
                      "retrieval heading", "picker title"):
            assert (note in seen[where]) == blind, where
        assert seen["sources title"] == ("Your codings" if blind else "Codings")
        assert seen["forms title"] == ("Yours" if blind else "Coded")
    assert seen["sources"]["kontor02_T2"] == 6 and seen["forms"][form_id] == 3  # team's


async def matrices_seen(path, coder: str) -> tuple[dict, str, dict, str]:
    """The matrix by role and the co-occurrence grid (with any coders' codings paired), as
    `coder` sees them, each with its heading."""
    app = make_app(path, coder=coder)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        table = screen.query_one(DataTable)
        matrix = {(code, value): str(table.get_cell_at((r, c + 1))) or "0"
                  for r, code in enumerate(screen.codes)
                  for c, value in enumerate(screen.values)}
        heading = shown(screen.query_one("#matrix-heading", Static))
        await pilot.press("o", "p", "p")  # any coders' codings together
        await pilot.pause()
        assert screen.coder_pairs == "any"
        grid = {(screen.grid.paths[a], screen.grid.paths[b]): n
                for (a, b), n in ((pair, screen.grid.together(*pair))
                                  for pair in screen.grid.pairs) if n}
        together = shown(screen.query_one("#matrix-heading", Static))
    return matrix, heading, grid, together


async def test_blind_mode_counts_only_your_codings_in_the_matrix_and_co_occurrence(study_path):
    code_more(study_path)
    for blind in (True, False):
        set_blind(study_path, blind)
        matrix, heading, grid, together = await matrices_seen(study_path, "ole")
        mine = codings_of(study_path, "ole" if blind else None)
        with qc.open_project(study_path) as p:
            roles = p.source_attributes()["role"]
        role = mine["source_id"].map(roles).fillna("(not set)")
        assert {k: int(v) for k, v in matrix.items() if v != "0"} == \
            {(path, value): int(((mine["code_path"] == path) & (role == value)).sum())
             for path, value in matrix if ((mine["code_path"] == path) & (role == value)).any()}
        pairs = {tuple(sorted(pair)) for pair in grid}
        hemmer = "valens/hemmer"
        assert (tuple(sorted(("Barrierer/opplæring/for mye for fort", hemmer))) in pairs)
        # ane's tid × hemmer and ane's tid × ole's for mye for fort: the team's, not ole's
        assert (tuple(sorted(("Barrierer/tid", hemmer))) in pairs) == (not blind)
        assert (tuple(sorted(("Barrierer/opplæring/for mye for fort", "Barrierer/tid")))
                in pairs) == (not blind)
        note = "blind mode: counts are of your codings only"
        assert (note in heading) == blind
        assert ("your codings only" in together) == blind
        assert ("any coders' codings" in together) == (not blind)


async def test_no_adjudication_in_blind_mode(study_path):
    """Adjudication shows both coders' codings side by side (and its question names who has
    coded): in blind mode the key says to switch blind mode off, and the screen shows
    nothing."""
    set_blind(study_path, True)
    app = make_app(study_path, coder="ole")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = app.screen
        await pilot.press("4")
        await pilot.pause()
        assert app.screen is before
        assert [n.message for n in app._notifications] == [NO_ADJUDICATION]
        app.push_screen(AdjudicationScreen(("ane", "ole")))
        await pilot.pause()
        screen = app.screen
        assert shown(screen.query_one("#adjudication-heading", Static)) \
            .strip() == NO_ADJUDICATION
        assert "for mange verktøy" not in shown(screen.query_one("#side-b", Static))
        assert "Vi fikk ikke tid" not in shown(screen.query_one("#side-a", Static))


# -- memos: a memo says how its writer coded, so in blind mode you see only your own ---------
def write_memos(path) -> None:
    """ane and ole each write a memo on a code while coding, and a memo on a coding of theirs
    (ane's on leadership is the study's own)."""
    with qc.open_project(path, coder="ane") as p:
        p.add_memo("ane: tidspress i tur 3, kodet som tid", code="Barrierer/tid")
        p.add_memo("ole: for mange verktøy kodet som for mye for fort",
                   code="Barrierer/opplæring/for mye for fort", coder="ole")
        ole_coding = next(c for c in p.codings_of("kontor02_T2")
                          if p.known_coder(c.coder_id).name == "ole")
        p.set_coding_memo(ole_coding, "ole: verktøyene kom samtidig")


async def memos_seen(path, coder: str) -> tuple[str, list[str]]:
    """The memos screen (8) as `coder` sees it: its heading and its memos."""
    app = make_app(path, coder=coder, config_dir=path.parent / f"config-{uuid.uuid4()}")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("8")
        await pilot.pause()
        screen = app.screen
        heading = shown(screen.query_one("#memos-heading", Static))
        options = screen.query_one("#memo-list", OptionList)
        memos = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return heading, memos


async def test_blind_mode_shows_only_your_memos(study_path):
    write_memos(study_path)
    note = "blind mode: other coders' memos are hidden"
    set_blind(study_path, True)
    heading, memos = await memos_seen(study_path, "ole")
    assert note in heading and "1 memo" in heading
    assert len(memos) == 1 and "ole: for mange verktøy" in memos[0]
    heading, memos = await memos_seen(study_path, "ane")
    assert len(memos) == 1 and "ane: tidspress" in memos[0]
    with qc.open_project(study_path, coder="ole") as p:  # the command line and Python too
        assert [m.text[:4] for m in p.memos()] == ["ole:"]
        assert p.memos(code="Barrierer/tid") == []
        coding_memos = {c.memo for c in p.codings_of("kontor02_T2")}
        assert coding_memos == {"ole: verktøyene kom samtidig"}  # ane's is hidden with hers

    set_blind(study_path, False)
    heading, memos = await memos_seen(study_path, "ole")
    assert "blind mode" not in heading and "2 memos" in heading
    assert sorted(m.split(" · ")[-2] for m in memos) == ["ane", "ole"]
