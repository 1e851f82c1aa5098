"""The reader: read one source, select a span or a unit, and code it."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Static, TextArea

from qualcode.core import Coding
from qualcode.tui.blind import counts_note
from qualcode.tui.colors import CodeStyles
from qualcode.tui.screens.base import ProjectScreen
from qualcode.tui.screens.forms import form_title
from qualcode.tui.screens.reader_bookmarks import BOOKMARK_BINDINGS, ReaderBookmarks
from qualcode.tui.screens.reader_search import SEARCH_BINDINGS, ReaderSearch
from qualcode.tui.screens.sources import KIND_LABELS
from qualcode.tui.widgets.common.prompts import Choice, MemoEditor, TextPrompt
from qualcode.tui.widgets.picker.code_picker import CodePicker
from qualcode.tui.widgets.picker.coding_chooser import CodingChooser, coding_line
from qualcode.tui.widgets.reader.coding_margin import CodingMargin, margin_size
from qualcode.tui.widgets.reader.coding_panel import CodingPanel
from qualcode.tui.widgets.reader.legend import Hidden, Legend
from qualcode.tui.widgets.reader.source_view import SourceView
from qualcode.tui.widgets.reader.view_filter import ViewFilter

UNIT_NAMES = {"turn": "speaker turn", "sentence": "sentence", "paragraph": "paragraph",
              "whole": "whole text"}
TITLE_ATTRIBUTES = ("role", "time", "office", "case")
WARM_UP_AFTER = 2.0  # seconds
RELOAD_ALL_AT = 500  # changed codings past which the whole source is read and painted again
WHOLE_AT_MOST = 5000  # characters: a longer text (not a form comment) is not coded whole
CODINGS_AT_ONCE = 2000  # a source with more shows those in view first, the rest a page at a time
LOAD_PAUSE = 0.002  # seconds between pages of codings, for keys and frames


def go_to_offset(answer: str, starts: Sequence[int], length: int) -> int | None:
    """The offset a "go to" answer means: a line number ("120") or a share ("50%")."""
    answer = answer.strip()
    try:
        if answer.endswith("%"):
            share = float(answer[:-1].replace(",", "."))
            return round(length * share / 100) if 0 <= share <= 100 else None
        line = int(answer)
    except ValueError:
        return None
    return starts[line - 1] if 1 <= line <= len(starts) else None


class ReaderScreen(ReaderSearch, ReaderBookmarks, ProjectScreen):
    HELP_TITLE = "Reader (a source)"
    BINDINGS = [  # short descriptions fit an 80-column footer; tooltips explain them in help
        Binding("c", "code", "Code", tooltip="Code the selected text: pick one or more codes"),
        Binding("t", "code_unit('turn')", "Turn", tooltip="Code the speaker turn at the cursor"),
        Binding("s", "code_unit('sentence')", "Sent.",
                tooltip="Code the sentence at the cursor"),
        Binding("p", "code_unit('paragraph')", "Para.",
                tooltip="Code the paragraph at the cursor"),
        Binding("f", "code_unit('whole')", "Whole",
                tooltip="Code the whole source: a form comment, or a short text without speakers"),
        Binding("v", "toggle_select", "Select",
                tooltip="Start selecting at the cursor (move with the arrows; v or esc stops)"),
        Binding("x", "uncode", "Uncode", tooltip="Remove a coding at the cursor"),
        Binding("m", "memo", "Memo", tooltip="Write or edit the memo on a coding at the cursor"),
        Binding("d", "decide", "Decide", show=False,
                tooltip="Record your screening decision on this source (include, exclude ...)"),
        Binding("full_stop", "code_again", "Again", show=False,
                tooltip="Code again with the last codes: the selection, else the same unit "
                "at the cursor"),
        Binding("right_square_bracket", "next_coding(1)", "Next coding", show=False),
        Binding("left_square_bracket", "next_coding(-1)", "Previous coding", show=False),
        Binding("right_curly_bracket", "next_turn(1)", "Next turn", show=False,
                tooltip="Go to the next speaker turn"),
        Binding("left_curly_bracket", "next_turn(-1)", "Previous turn", show=False,
                tooltip="Go to the previous speaker turn"),
        Binding("ctrl+home", "go_to_offset(0)", "Start", show=False,
                tooltip="Go to the start of the text"),
        Binding("ctrl+end", "go_to_end", "End", show=False, tooltip="Go to the end of the text"),
        Binding("g", "go_to", "Go to", show=False,
                tooltip="Go to a line (e.g. 120) or a share of the text (e.g. 50%)"),
        Binding("greater_than_sign", "next_source(1)", "Next source", show=False,
                tooltip="Open the next source of the list it was opened from"),
        Binding("less_than_sign", "next_source(-1)", "Previous source", show=False,
                tooltip="Open the previous source of the list it was opened from"),
        # capitals that only change the view (a slip of shift on s codes nothing)
        Binding("S", "toggle_margin", "Margin", show=False,
                tooltip="Show or hide the coding margin (stripes and code names beside the text)"),
        Binding("L", "legend", "Legend", show=False,
                tooltip="The codes and coders of this source, with colours and counts: show or "
                "hide each"),
        Binding("escape", "clear", "Clear", show=False, tooltip="Clear the selection"),
        Binding("q", "back", "Back", show=False, tooltip="Go back to the list"),
        *SEARCH_BINDINGS,
        *BOOKMARK_BINDINGS,
    ]

    def __init__(self, source_id: int, *, order: Sequence[int] = (),
                 select: tuple[int, int] | None = None, at: int | None = None):
        super().__init__()
        self.source_id = source_id
        self.order = list(order) or [source_id]
        self.initial_select = select
        self.initial_offset = at
        src = self.project.source(source_id)
        self.source = src
        self.turns = self.project.turns(src)
        self.blind = False
        self.states: dict[int, tuple] = {}  # what each coding shown was when last read
        self.last: tuple[list[int], str | None] | None = None  # codes and unit coded last
        self.pending: tuple[list[Coding], list[int]] | None = None
        """(added, removed ids) by the change the reader just made, so that it need not look
        for what changed; None after any other change."""
        self.codes: dict = {}
        self.coders: dict[int, str] = {}
        self.palette = CodeStyles([])
        self.labels_painted = False  # speaker labels are found once; codings on each reload
        self.loading_after: tuple[int, int] | None = None
        """While a long source's codings are still being read after the first frame: the
        (start, id) of the last one read (they are read in that order); None once all are."""

    @property
    def filter(self) -> ViewFilter:
        return self.qapp.reader_filter

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.title_line(), id="source-title", markup=False)
        with Horizontal(id="reader-body"):
            view = SourceView(self.source.text, id="source-view")
            # sized now, from the terminal: a margin that changed width after the first
            # layout would wrap the whole text again
            labels, stripes = margin_size(self.app.size.width)
            margin = CodingMargin(view, labels=labels, stripes=stripes, id="coding-margin",
                                  codes=lambda: self.codes, palette=lambda: self.palette)
            margin.display = self.filter.margin
            yield margin
            yield view
            yield CodingPanel(id="coding-panel")
        yield Footer(compact=True, show_command_palette=False)

    def title_line(self) -> Text:
        src = self.source
        attributes = self.project.attributes(source=src)
        line = Text(src.name, style="bold")
        line.append(f" · {KIND_LABELS.get(src.kind, src.kind)}", style="dim")
        for name in TITLE_ATTRIBUTES:
            if attributes.get(name) not in (None, ""):
                line.append(f" · {name} {attributes[name]}", style="dim")
        if src.form_id is not None:  # a form comment: the form's numbers beside it
            line.append_text(form_title(self.project.form_overview([src.form_id])[0]))
        hidden = self.filter.hidden_words()
        if hidden:  # first, where a long title cannot cut it off: never taken for "not coded"
            return Text.assemble((f"{hidden} (L)", "bold reverse"), " ", line)
        return line

    def on_mount(self) -> None:
        self.sub_title = self.source.name
        view = self.query_one(SourceView)
        view.focus()
        if self.initial_select:
            view.select_span(*self.initial_select)
        elif self.initial_offset:
            view.put_cursor(self.initial_offset)
        self.qapp.place["reader"] = {"source": self.source_id, "offset": view.cursor_offset}
        self.qapp.place_changed(now=True)  # a new source: saved at once
        # after the first paint and a moment's reading, not in its way (spaCy loads for ~1 s)
        self.set_timer(WARM_UP_AFTER, lambda: self.run_worker(
            self.project.warm_up_sentences, thread=True, group="warm-up", exit_on_error=False))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Units the source has no use for are left out (of the footer too, which needs the
        room at 80 columns): turns in a text without speakers; "whole" in an interview (coded
        by turns) or a long text. A form comment can always be coded whole."""
        if action == "code_unit" and parameters == ("turn",):
            return bool(self.turns)
        if action == "code_unit" and parameters == ("whole",):
            return self.source.kind == "form_field" or (
                not self.turns and len(self.source.text) <= WHOLE_AT_MOST)
        return True

    @property
    def view(self) -> SourceView:
        return self.query_one(SourceView)

    # -- data ---------------------------------------------------------------------------------
    @property
    def codings(self) -> list[Coding]:
        """The codings shown, in no particular order (all of them once `loading_after` is
        None)."""
        return list(self.view.codings.values())

    def reload(self) -> None:
        """Read what changed: the codes, and of the source's codings only those added,
        removed or changed since the last look (the text repaints only their lines)."""
        p = self.project
        codes = p.codes()
        self.codes = {c.id: c for c in codes}
        self.coders = {c.id: c.name for c in p.coders()}
        palette = CodeStyles(codes)
        new_styles = palette.colours != self.palette.colours
        self.palette = palette
        view = self.view
        if self.blind != p.blind:  # blind mode switched: every coding shown may change
            self.blind, self.labels_painted = p.blind, False
        pending, self.pending = self.pending, None
        if pending is not None and not new_styles:  # our own change: we know what it was
            added, removed = pending
            view.update(self.filter.shown(added), removed)
            for coding_id in removed:
                self.states.pop(coding_id, None)
            self.states.update((k.id, (k.start, k.end, k.code_id, k.coder_id, k.memo))
                               for k in added)
        elif not self.labels_painted:  # in blind mode, the coder's own codings only
            self.paint_first(palette)
            self.labels_painted = True
        elif self.loading_after is not None:  # someone else's change while still reading
            self.loading_after = None
            view.paint(self.filter.shown(p.codings_of(self.source)), palette)
            self.states = p.coding_states(self.source)
        else:
            states = p.coding_states(self.source)
            changed = [i for i, state in states.items() if self.states.get(i) != state]
            gone = [i for i in self.states if i not in states]
            if len(changed) > RELOAD_ALL_AT:
                view.paint(self.filter.shown(p.codings_of(self.source)), palette)
            elif changed or gone or new_styles:
                view.update(self.filter.shown([p.coding(i) for i in changed]),
                            [*gone, *changed], palette if new_styles else None)
            self.states = states
        if pending is None:  # a coding of ours leaves the bookmarks and memo as they were
            self.read_notes()
        self.update_panel()
        self.query_one(CodingMargin).changed()

    def paint_first(self, palette: CodeStyles) -> None:
        """The first look: every coding of a source with few; of a long one, the first page
        and those on every line the screen can show around the cursor, the rest read a page
        at a time after the first frame (the panel says so until they are all shown)."""
        p, view = self.project, self.view
        first = p.codings_of(self.source, limit=CODINGS_AT_ONCE)
        shown = first
        if len(first) == CODINGS_AT_ONCE:
            width, height = self.app.size
            reach = 2 * width * height  # more characters than a screen can show
            cursor = view.cursor_offset
            shown = first + p.codings_of(self.source, overlapping=(
                max(0, cursor - reach), cursor + reach))
            self.loading_after = (first[-1].start, first[-1].id)
            self.call_after_refresh(self.load_more_codings)  # after the first frame
        view.paint(self.filter.shown(shown), palette, self.turns)
        self.states = {k.id: (k.start, k.end, k.code_id, k.coder_id, k.memo) for k in shown}

    def load_more_codings(self, everything: bool = False) -> None:
        """Read the next page of the source's codings (or all the rest) and show them."""
        if self.loading_after is None:
            return
        page = self.project.codings_of(self.source, after=self.loading_after,
                                       limit=None if everything else CODINGS_AT_ONCE)
        self.view.update(self.filter.shown(page), [])
        self.query_one(CodingMargin).changed()
        self.states.update((k.id, (k.start, k.end, k.code_id, k.coder_id, k.memo))
                           for k in page)
        if everything or len(page) < CODINGS_AT_ONCE:
            self.loading_after = None
            self.update_panel()
            return
        self.loading_after = (page[-1].start, page[-1].id)
        self.set_timer(LOAD_PAUSE, self.load_more_codings)

    def all_codings_shown(self) -> None:
        """Before anything that looks at codings away from the lines in view."""
        self.load_more_codings(everything=True)

    def update_panel(self) -> None:
        view = self.view
        row = view.selection.end[0]
        on_line = view.codings_on_line(row)
        self.query_one(CodingPanel).show_notes(self.notes_text(row))
        self.query_one(CodingPanel).show(
            line=row, cursor=view.cursor_offset, codings=on_line, codes=self.codes,
            coders=self.coders, styles=self.palette, selection=view.selected_span,
            visual=view.select_from is not None, blind=self.blind,
            loading=self.loading_after is not None, hidden=self.filter.hidden_words())

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        self.update_panel()
        self.qapp.place["reader"] = {"source": self.source_id,
                                     "offset": self.view.cursor_offset}
        self.qapp.place_changed()

    def on_resize(self) -> None:
        labels, stripes = margin_size(self.app.size.width)
        margin = self.query_one(CodingMargin)
        if (labels, stripes) != (margin.label_width, margin.stripe_count):
            margin.resize_to(labels, stripes)

    # -- what is shown of the coding ----------------------------------------------------------
    def action_toggle_margin(self) -> None:
        shown = self.filter.margin = not self.filter.margin
        self.query_one(CodingMargin).display = shown
        if shown:
            self.qapp.place.pop("margin", None)
        else:
            self.qapp.place["margin"] = False  # remembered the next time the app opens
        self.qapp.place_changed(now=True)

    def action_legend(self) -> None:
        codings = self.project.codings_of(self.source)  # the hidden ones too
        by_code: dict[int, int] = {}
        by_coder: dict[int, int] = {}
        for coding in codings:
            by_code[coding.code_id] = by_code.get(coding.code_id, 0) + 1
            by_coder[coding.coder_id] = by_coder.get(coding.coder_id, 0) + 1
        codes = sorted(((self.codes[i], n) for i, n in by_code.items() if i in self.codes),
                       key=lambda pair: pair[0].path)
        coders = sorted(((i, self.coders.get(i, "?"), n) for i, n in by_coder.items()),
                        key=lambda row: row[1].casefold())
        self.app.push_screen(Legend(codes, coders, self.palette,
                                    (self.filter.hidden_codes, self.filter.hidden_coders),
                                    counts_note(self.project)),
                             self.show_only)

    def show_only(self, hidden: Hidden | None) -> None:
        """Hide these codes and coders (ids), show every other: the text, margin and panel
        are painted anew. Nothing in the project changes."""
        if hidden is None:
            return
        codes, coders = hidden
        if (codes, coders) == (self.filter.hidden_codes, self.filter.hidden_coders):
            return
        self.filter.hidden_codes, self.filter.hidden_coders = set(codes), set(coders)
        self.all_codings_shown()  # a long source's are all read now, then painted once
        self.view.paint(self.filter.shown(self.project.codings_of(self.source)), self.palette)
        self.query_one("#source-title", Static).update(self.title_line())
        self.update_panel()
        self.query_one(CodingMargin).changed()
        hidden_words = self.filter.hidden_words()
        self.notify(f"{hidden_words} (a view only: the project is unchanged); L to show "
                    "again." if hidden_words else
                    "Every code and coder is shown.", timeout=3)

    def unhide_for(self, code_ids: list[int]) -> None:
        """Coding with a hidden code (or as a hidden coder) shows that code (or coder) again:
        a coding just made must not look like none."""
        codes = self.filter.hidden_codes - set(code_ids)
        coders = set(self.filter.hidden_coders)
        me = next((i for i, name in self.coders.items() if name == self.project.coder_name),
                  None)
        coders.discard(me)
        if (codes, coders) != (self.filter.hidden_codes, self.filter.hidden_coders):
            self.show_only((codes, coders))

    def action_decide(self) -> None:
        from qualcode.tui.decide import ask_decision

        ask_decision(self, self.source)

    # -- coding -------------------------------------------------------------------------------
    def action_code(self) -> None:
        span = self.view.selected_span
        if span is None:
            self.notify("Select text first: shift+arrows, v then arrows, or the mouse. "
                        "Or code a unit: t turn, s sentence, p paragraph, f whole text.",
                        severity="warning")
            return
        self.pick_codes(span)

    def action_code_unit(self, unit: str) -> None:
        span = self.unit_span(unit)
        if span is None:
            self.notify(f"No {UNIT_NAMES[unit]} at the cursor.", severity="warning")
            return
        self.view.select_span(*span, center=False)
        self.pick_codes(span, unit)

    def unit_span(self, unit: str) -> tuple[int, int] | None:
        p, offset = self.project, self.view.cursor_offset
        if unit == "turn":
            turn = p.turn_at(self.source_id, offset)
            return (turn.start, turn.end) if turn else None
        if unit == "paragraph":
            return p.paragraph_span(self.source_id, offset)
        if unit == "whole":
            return p.whole_span(self.source_id)
        return p.sentence_span(self.source_id, offset)  # loads spaCy: only when first needed

    def pick_codes(self, span: tuple[int, int], unit: str | None = None) -> None:
        start, end = span
        excerpt = " ".join(self.source.text[start:end].split())
        what = UNIT_NAMES[unit] if unit else "selection"
        title = (f"Code {what} ({end - start} characters): "
                 f"“{excerpt[:60]}{'…' if len(excerpt) > 60 else ''}”")
        counts = dict(self.project.code_counts()["codings"])  # in blind mode, yours only
        title += counts_note(self.project, "\n")

        def chosen(code_ids: list[int] | None) -> None:
            if code_ids:
                self.last = (code_ids, unit)
                self.apply_codes(span, code_ids)

        self.app.push_screen(CodePicker(list(self.codes.values()), self.palette, title=title,
                                        counts=counts, recent=self.qapp.recent_codes), chosen)

    def action_code_again(self) -> None:
        if self.last is None:
            self.notify("Nothing coded yet in this source: code once, then . repeats it.",
                        severity="warning")
            return
        code_ids, unit = self.last
        code_ids = [c for c in code_ids if c in self.codes]
        span = self.view.selected_span
        if span is None and unit is not None:
            span = self.unit_span(unit)
        if span is None or not code_ids:
            self.notify("Select text first (or put the cursor in a unit to code).",
                        severity="warning")
            return
        self.apply_codes(span, code_ids)

    def apply_codes(self, span: tuple[int, int], code_ids: list[int]) -> None:
        start, end = span
        names = ", ".join(self.codes[c].name for c in code_ids)
        p = self.project
        self.unhide_for(code_ids)

        def code_all() -> None:
            # several codes on one span: one change, so one ctrl+z takes them all back
            with p.change("code", f"{names} on {self.source.name} [{start}:{end}]"):
                made = [p.code_span(self.source_id, start, end, code_id)
                        for code_id in code_ids]
            self.pending = (made, [])

        done = self.qapp.attempt(code_all, f"Coded {end - start} characters as {names}")
        if done is not None:
            self.qapp.used_codes(code_ids)
            self.view.put_cursor(start, center=False)

    # -- removing and memos -------------------------------------------------------------------
    def codings_here(self) -> list[Coding]:
        """The codings at the cursor (or in the selection), your own first."""
        self.all_codings_shown()
        span = self.view.selected_span or (self.view.cursor_offset, self.view.cursor_offset)
        mine = self.project.coder_name
        return sorted(self.view.codings_between(*span),
                      key=lambda k: self.coders.get(k.coder_id) != mine)

    def choose_coding(self, verb: str, then) -> None:
        here = self.codings_here()
        if not here:
            self.notify("No coding at the cursor. Move onto a coloured span (] jumps to the "
                        "next one).", severity="warning")
            return
        if len(here) == 1:
            then(here[0])
            return

        def chosen(coding_id: int | None) -> None:
            if coding_id is not None:
                then(next(k for k in here if k.id == coding_id))

        self.app.push_screen(CodingChooser(f"Which coding do you want to {verb}?", here,
                                           self.describe), chosen)

    def describe(self, coding: Coding) -> Text:
        return coding_line(coding, self.codes.get(coding.code_id),
                           self.coders.get(coding.coder_id, "?"), self.palette, self.source.text)

    def action_uncode(self) -> None:
        def remove(coding: Coding) -> None:
            code = self.codes.get(coding.code_id)
            def uncode() -> None:
                self.project.uncode(coding.id)
                self.pending = ([], [coding.id])

            self.qapp.attempt(uncode, f"Removed {code.name if code else 'the coding'} "
                                      f"(ctrl+z brings it back)")

        def confirm(coding: Coding) -> None:
            """Another coder's coding is theirs: remove it only when asked twice."""
            owner = self.coders.get(coding.coder_id, "?")
            if owner == self.project.coder_name:
                remove(coding)
                return
            code = self.codes.get(coding.code_id)
            self.app.push_screen(
                Choice(f"This is {owner}'s coding {code.path if code else ''} of "
                       f"“{self.excerpt(coding)}”. Remove it?",
                       [("y", f"remove {owner}'s coding", "yes"), ("n", "keep it", "no")],
                       cancel="keep it"),
                lambda answer: remove(coding) if answer == "yes" else None)

        self.choose_coding("remove", confirm)

    def action_memo(self) -> None:
        def edit(coding: Coding) -> None:
            code = self.codes.get(coding.code_id)

            def saved(text: str | None) -> None:
                if text is None or text == (coding.memo or ""):
                    return
                def set_memo() -> None:
                    self.pending = ([self.project.set_coding_memo(coding.id, text)],
                                    [coding.id])

                self.qapp.attempt(set_memo, "Memo saved" if text else "Memo removed")

            self.app.push_screen(MemoEditor(f"Memo on {code.path if code else 'coding'}: "
                                            f"“{self.excerpt(coding)}”", coding.memo or ""),
                                 saved)

        self.choose_coding("write a memo on", edit)

    def excerpt(self, coding: Coding, width: int = 50) -> str:
        text = " ".join(self.source.text[coding.start:coding.end].split())
        return text[:width] + ("…" if len(text) > width else "")

    # -- moving around ------------------------------------------------------------------------
    def action_toggle_select(self) -> None:
        view = self.view
        if view.toggle_select_from():
            self.notify("Selecting: move with the arrows, then c to code (esc stops).",
                        timeout=2)
        self.update_panel()

    def action_clear(self) -> None:
        view = self.view
        if view.select_from is not None or view.selected_span:
            view.clear_selection_keep_cursor()
            self.update_panel()
            return
        # not out of the reader: esc is pressed to stop selecting, often once too many
        self.notify("Nothing selected. q goes back to the list.", timeout=2)

    def action_back(self) -> None:
        self.qapp.place.pop("reader", None)  # left on purpose: reopen on the list
        self.qapp.place_changed(now=True)
        self.app.pop_screen()

    def action_next_coding(self, step: int) -> None:
        self.all_codings_shown()
        self.step_to({k.start for k in self.codings}, step, "codings")

    def step_to(self, offsets, step: int, what: str) -> None:
        """To the nearest of `offsets` after the cursor (step 1) or before it (-1)."""
        cursor = self.view.cursor_offset
        following = sorted(o for o in offsets if o > cursor) if step > 0 else \
            sorted((o for o in offsets if o < cursor), reverse=True)
        if not following:
            self.notify(f"No more {what} this way.", timeout=1.5)
            return
        self.view.put_cursor(following[0])

    def action_next_turn(self, step: int) -> None:
        if not self.turns:
            self.notify("This text has no speaker turns.", timeout=1.5)
            return
        cursor = self.view.cursor_offset
        starts = [t.start for t in self.turns]
        at = bisect_right(starts, cursor) if step > 0 else bisect_left(starts, cursor) - 1
        if not 0 <= at < len(starts):
            self.notify("No more turns this way.", timeout=1.5)
            return
        self.view.put_cursor(starts[at])

    def action_go_to_offset(self, offset: int) -> None:
        self.view.put_cursor(offset)

    def action_go_to_end(self) -> None:
        self.view.put_cursor(len(self.source.text))

    def action_go_to(self) -> None:
        lines = len(self.view.starts)

        def answered(value: str | None) -> None:
            if value is None:
                return
            target = go_to_offset(value, self.view.starts, len(self.source.text))
            if target is None:
                self.notify(f"“{value}” is neither a line (1–{lines}) nor a share such as "
                            "50%.", severity="warning")
                return
            self.view.put_cursor(target)

        self.app.push_screen(TextPrompt(f"Go to which line (1–{lines}), or how far into the "
                                        "text (e.g. 50%)?", placeholder="120 or 50%"),
                             answered)

    def action_next_source(self, step: int) -> None:
        at = self.order.index(self.source_id) if self.source_id in self.order else 0
        target = at + step
        if not 0 <= target < len(self.order):
            self.notify("No more sources this way.", timeout=1.5)
            return
        self.app.switch_screen(ReaderScreen(self.order[target], order=self.order))
