"""Sources, codebook, retrieval, help, palette and the coder's name, driven with Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets._footer import FooterKey
from tui_study import KONTOR02, shown, span_of

import qualcode as qc
from qualcode.tui.app import make_app
from qualcode.tui.screens.adjudication import AdjudicationScreen
from qualcode.tui.screens.attributes import AttributesScreen
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.fidelity import FidelityScreen
from qualcode.tui.screens.find import FindScreen
from qualcode.tui.screens.forms import FormsScreen
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.matrix import MatrixScreen
from qualcode.tui.screens.memos import MemosScreen
from qualcode.tui.screens.reader import ReaderScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.screens.suggestions import SuggestionsScreen
from qualcode.tui.widgets.codebook.code_tree import CodeTree
from qualcode.tui.widgets.common.prompts import TextPrompt
from qualcode.tui.widgets.picker.code_picker import CodePicker
from qualcode.tui.widgets.reader.source_view import SourceView

pytestmark = pytest.mark.anyio
SIZE = (100, 30)


def table_rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


# -- sources --------------------------------------------------------------------------------
async def test_sources_list_kinds_attributes_and_coding_counts(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = {r[0]: r for r in table_rows(app)}
    assert set(rows) == {"kontor02_T2", "kontor05_T1", "FE-00001 kommentar"}
    assert rows["kontor02_T2"][1] == "transcript" and rows["kontor02_T2"][2].strip() == "3"
    assert rows["kontor05_T1"][2].strip() == "1"
    assert rows["FE-00001 kommentar"][1] == "form comment"
    assert "HPMT-veileder" in rows["kontor02_T2"] and "T2" in rows["kontor02_T2"]


async def test_filter_sources_by_attributes_and_by_kind(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"role=HPMT-veileder time=T2", "enter")
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["kontor02_T2"]
        await pilot.press("slash", "ctrl+u", *"rolle=HPMT-veileder", "enter")  # misspelt
        await pilot.pause()
        assert table_rows(app) == []
        assert "no source has rolle: esc clears the filter" in str(
            app.screen.query_one("#source-status", Static).content)
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert len(table_rows(app)) == 3
        await pilot.press("k")  # transcripts only
        await pilot.pause()
        assert {r[0] for r in table_rows(app)} == {"kontor02_T2", "kontor05_T1"}
        await pilot.press("k")  # kinds the project lacks (field notes) are skipped
        await pilot.pause()
        assert [r[0] for r in table_rows(app)] == ["FE-00001 kommentar"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.source.kind == "form_field"


# -- codebook -------------------------------------------------------------------------------
async def open_codebook(pilot, path: str):
    await pilot.press("2")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CodebookScreen)
    code = qc.open_project(screen.project.path)
    try:
        code_id = code.code(path).id
    finally:
        code.close()
    screen.query_one(CodeTree).show_code(code_id)
    await pilot.pause()
    return screen


async def test_codebook_shows_counts_and_definitions(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_codebook(pilot, "Barrierer/tid")
        details = shown(screen.query_one("#code-details"))
        tree = screen.query_one(CodeTree)
        labels = {tree.nodes_by_code[c].data: str(tree.nodes_by_code[c].label)
                  for c in tree.nodes_by_code}
    assert "1 coding in 1 source;" in details  # not "1 sources"
    assert "Include" in details and "Utsagn om tidspress" in details
    assert "Exclude" in details and "Example" in details
    with qc.open_project(study_path) as p:
        lead = p.code("Føringer/ledelse").id
        barriers = p.code("Barrierer").id
    assert labels[lead].endswith("2")  # two codings of "ledelse"
    assert labels[barriers].endswith("0/2")  # none of its own, two below it


async def test_add_rename_move_and_merge_codes(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_codebook(pilot, "Barrierer")
        await pilot.press("a", *"rutiner", "enter")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert p.code("Barrierer/rutiner").parent_id == p.code("Barrierer").id

        await open_codebook(pilot, "Barrierer/rutiner")
        await pilot.press("r", "ctrl+a", "ctrl+k", *"faste rutiner", "enter")
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert "Barrierer/faste rutiner" in [c.path for c in p.codes()]

        await open_codebook(pilot, "Barrierer/faste rutiner")
        await pilot.press("m", *"enablers", "enter")  # under "Føringer" by its English label
        await pilot.pause()
        with qc.open_project(study_path) as p:
            assert p.code("Føringer/faste rutiner").parent_id == p.code("Føringer").id

        await open_codebook(pilot, "Barrierer/opplæring/for mye for fort")
        await pilot.press("M", *"Barrierer tid", "enter")
        await pilot.pause()
    with qc.open_project(study_path) as p:
        assert "Barrierer/opplæring/for mye for fort" not in [c.path for c in p.codes()]
        merged = p.codings(codes=["Barrierer/tid"])
        assert set(merged["coder"]) == {"ane", "ole"}  # ole's coding moved into "tid"


async def test_edit_a_definition(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_codebook(pilot, "Føringer/ledelse")
        await pilot.press("e")
        await pilot.pause()
        assert "an empty definition is removed" in shown(app.screen.query_one(".status"))
        await pilot.press(*"Leder støtter arbeidet.", "ctrl+s")
        await pilot.pause()
    with qc.open_project(study_path) as p:
        assert p.code("Føringer/ledelse").description == "Leder støtter arbeidet."


# -- retrieval ------------------------------------------------------------------------------
async def test_retrieve_excerpts_with_attribution_and_jump_to_one(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "slash", *"leadership", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        excerpts = screen.query_one("#excerpts", OptionList)
        texts = [str(excerpts.get_option_at_index(i).prompt)
                 for i in range(excerpts.option_count)]
        assert len(texts) == 2
        first = next(t for t in texts if "kontor02_T2" in t)
        assert "HPMT-veileder" in first and "T2" in first and "Lederen vår støttet oss" in first
        assert "✎ Lederen gir tid" in first  # the coding's memo
        second = next(t for t in texts if "kontor05_T1" in t)
        assert "KVP-veileder" in second and "T1" in second
        excerpts.focus()
        excerpts.highlighted = texts.index(first)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.query_one(SourceView).selected_span == span_of(
            KONTOR02, "Lederen vår støttet oss")


async def test_codebook_sends_a_code_to_retrieval(study_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_codebook(pilot, "Barrierer")
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        assert screen.query_one(OptionList).option_count == 2  # with sub-codes
        await pilot.press("d")  # "Barrierer" itself has none
        await pilot.pause()
        assert screen.query_one("#excerpts", OptionList).option_count == 0


# -- picker ---------------------------------------------------------------------------------
async def test_picker_shows_definition_and_finds_by_path(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CodePicker)
        await pilot.press(*"opplæring/for")
        await pilot.pause()
        assert picker.highlighted_code().path == "Barrierer/opplæring/for mye for fort"
        await pilot.press(*["backspace"] * 13, *"tid")
        await pilot.pause()
        details = shown(picker.query_one("#picker-details"))
        assert "Definition" in details and "Include" in details and "Exclude" in details
        assert "Vi fikk ikke tid til å øve." in details  # the example
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


# -- coder ----------------------------------------------------------------------------------
async def test_coder_is_asked_once_per_project_and_recorded(study_path, tmp_path):
    app = make_app(study_path, source="kontor05_T1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("ctrl+a", "ctrl+k", *"Kari", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("t")
        await pick_first(pilot, "tid")
    with qc.open_project(study_path) as p:
        assert "Kari" in set(p.codings(codes=["Barrierer/tid"])["coder"])

    again = make_app(study_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not isinstance(again.screen, TextPrompt)
        assert again.project.coder_name == "Kari"


async def test_a_known_coder_name_is_matched_whatever_its_case(study_path, tmp_path):
    app = make_app(study_path, config_dir=tmp_path / "other-user")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Coders so far: ane, ole" in shown(app.screen.query_one("#prompt-question"))
        await pilot.press(*"OLE", "enter")
        await pilot.pause()
        assert app.project.coder_name == "ole"


async def pick_first(pilot, query: str) -> None:
    await pilot.pause()
    await pilot.press(*query, "enter")
    await pilot.pause()


# -- help and palette -----------------------------------------------------------------------
async def test_help_lists_every_key_of_every_screen(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = shown(app.screen.query_one("#help-text"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
    for screen in (ReaderScreen, CodebookScreen, RetrievalScreen, AdjudicationScreen,
                   FormsScreen, MemosScreen, AttributesScreen, FidelityScreen,
                   MatrixScreen, FindScreen, SuggestionsScreen):
        for binding in screen.BINDINGS:
            assert " ".join((binding.tooltip or binding.description).split()[:3]) in text


async def test_palette_runs_the_reader_actions(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for binding in ReaderScreen.BINDINGS:
            assert (binding.tooltip or binding.description) in titles
        app.screen.query_one(SourceView).put_cursor(KONTOR02.index("Skjemaene tok"))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"speaker turn")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pick_first(pilot, "tid")
    with qc.open_project(study_path) as p:
        spans = {(r.start, r.code_path) for r in p.codings(sources=["kontor02_T2"]).itertuples()}
    assert (KONTOR02.index("Skjemaene tok"), "Barrierer/tid") in spans


# -- small terminals ------------------------------------------------------------------------
async def test_coding_works_in_80_by_24(study_path):
    app = make_app(study_path, coder="ane", source="kontor02_T2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        panel = app.screen.query_one("#coding-panel")
        assert view.region.width >= 45 and panel.region.right <= 80
        view.put_cursor(KONTOR02.index("Skjemaene tok"))
        await pilot.press("t")
        await pilot.pause()
        picker = app.screen
        dialog = picker.query_one("#picker-dialog")
        assert dialog.region.bottom <= 24 and dialog.region.right <= 80
        assert picker.query_one(Input).region.height == 1
        await pick_first(pilot, "tid")
        await pilot.pause()
        shown_keys = {key.key: key.region for key in app.screen.query(FooterKey)}
        for key in ("question_mark", "ctrl+z", "ctrl+y", "c", "t", "s", "p", "v", "x", "m"):
            assert shown_keys[key].width > 0 and shown_keys[key].right <= 80, key
    with qc.open_project(study_path) as p:
        assert len(p.codings(codes=["Barrierer/tid"])) == 2


async def test_footer_offers_the_units_the_source_has(study_path):
    with qc.open_project(study_path) as p:
        p.add_source("langt_notat", "Et langt feltnotat uten talere. " * 200, kind="fieldnote")
        p.add_source("kort_notat", "Et kort feltnotat.", kind="fieldnote")
    cases = (("kontor02_T2", {"t"}, {"f"}),  # an interview is coded by turns
             ("FE-00001 kommentar", {"f"}, {"t"}),  # a form comment: whole, no turns
             ("kort_notat", {"f"}, {"t"}),
             ("langt_notat", set(), {"t", "f"}))  # long, no speakers: neither
    for source, offered, left_out in cases:
        app = make_app(study_path, coder="ane", source=source)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            shown_keys = {key.key: key.region for key in app.screen.query(FooterKey)}
            assert offered <= set(shown_keys) and not left_out & set(shown_keys), source
            assert all(r.width > 0 and r.right <= 80 for r in shown_keys.values())
            for key in left_out:  # does nothing: no dialog opens
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, ReaderScreen)


# -- your place -----------------------------------------------------------------------------
async def test_reopening_returns_to_the_reader_spot_and_the_list_filter(study_path):
    from qualcode.tui.screens.sources import SourcesScreen

    spot = KONTOR02.index("Skjemaene tok")
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"kontor02", "enter", "enter")  # filter, open the reader
        await pilot.pause()
        app.screen.query_one(SourceView).put_cursor(spot)
        await pilot.pause()
    again = make_app(study_path, coder="ane")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ReaderScreen)
        assert again.screen.source.name == "kontor02_T2"
        assert again.screen.query_one(SourceView).cursor_offset == spot
        await pilot.press("q")  # back to the list, left as it was
        await pilot.pause()
        assert isinstance(again.screen, SourcesScreen)
        assert again.screen.query_one("#filter", Input).value == "kontor02"
        assert [r[0] for r in table_rows(again)] == ["kontor02_T2"]
        await pilot.press("2")  # the codebook; then the list was left on purpose
    third = make_app(study_path, coder="ane")
    async with third.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(third.screen, CodebookScreen)


async def test_a_damaged_places_file_is_said_and_kept_not_silently_replaced(study_path):
    config = study_path.parent / "config"
    config.mkdir()
    (config / "places.json").write_text("{half a file", encoding="utf-8")
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        [warning] = [n.message for n in app._notifications if n.severity == "warning"]
        assert "places.json was damaged" in warning and "places.json.corrupt" in warning
        await pilot.press("2")
        await pilot.pause()
    assert (config / "places.json.corrupt").read_text(encoding="utf-8") == "{half a file"
    again = make_app(study_path, coder="ane")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, CodebookScreen)  # the new file works
        assert not [n for n in again._notifications if n.severity == "warning"]


async def test_another_user_starts_afresh(study_path, tmp_path):
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    other = make_app(study_path, coder="ole", config_dir=tmp_path / "ole")
    async with other.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert other.screen.id == "sources"


async def test_a_long_list_is_filled_in_as_the_cursor_moves_down(study_path):
    from qualcode.tui.paging import ROWS_AT_ONCE

    count = ROWS_AT_ONCE * 2 + 50
    with qc.open_project(study_path) as p:
        p.add_sources({"name": f"FE-{i:05d} notat", "text": f"Notat {i}.", "kind": "fieldnote"}
                      for i in range(count))
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count < count + 3  # not all at once
        for _ in range(4):  # ctrl+end: the last row loaded, which loads more below it
            await pilot.press("ctrl+end")
            await pilot.pause()
        assert table.row_count == count + 3 and table.cursor_row == count + 2
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.source.name == "FE-00001 kommentar"  # the last row: form comments


async def test_first_visit_of_each_screen_does_not_reparse_every_stylesheet(study_path):
    """Textual re-parses all the app's CSS and restyles the screen in front (twice) for a
    mode whose screen is new, unless the screen says its styles are current: 0.1 s of the
    first visit of every screen at 10× (bench/README.md, "TUI at 10×"). That the screens
    are styled all the same, the snapshots show."""
    app = make_app(study_path, coder="ane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reparsed = []
        reparse = app.stylesheet.reparse
        app.stylesheet.reparse = lambda: (reparsed.append(app.current_mode), reparse())[1]
        for key in ("2", "3", "7", "8", "9", "0", "ctrl+t", "1"):
            await pilot.press(key)
            await pilot.pause()
        assert app.current_mode == "sources" and reparsed == []
