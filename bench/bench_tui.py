"""The terminal UI on a long transcript: first paint, scrolling, and coding from a key press.

At tier 1 the transcript is 300 KB with 2,000 codings (the size the UI is specified for); tier
10 is ten times that (3 MB, 20,000 codings), as a stress check; larger tiers are not measured
(no interview is that long). The app runs headless (Textual's `run_test`), so the figures are
the app's own work: layout, rendering to the compositor, database reads and writes.

- "reader first paint": from `make_app()` to the first frame that shows the reader of the
  transcript. Baseline: from `make_app()` to the first frame for an empty project.
- "scroll one page": from page down to the first frame of the next page. Baseline: the same in a
  20 KB transcript with 130 codings.
- "sources list filter": from a key typed in the sources filter to the first frame of the
  filtered list (2,000 × tier sources). Baseline: reading the sources and filtering them.
- "screen switch": from 2, 3 or 1 to the first frame of the codebook, retrieval or sources
  screen, the slowest. Baseline: reading the codes and counts through the Project API.
- "key press to coding shown": from the enter key in the code picker to the first frame of
  the reader with the coding (stored in the file before the reader reloads). Baseline: storing the same coding through the
  Project API without any UI.

Run by hand: `python bench/bench_tui.py [TIER]`.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `qualcode` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qualcode as qc
from bench.common import result, scratch
from qualcode.tui.app import make_app
from qualcode.tui.screens.reader import ReaderScreen
from qualcode.tui.widgets.picker.code_picker import CodePicker
from qualcode.tui.widgets.reader.source_view import SourceView

SIZE = (120, 40)
REPEAT = 3  # best of: the figures are wall times, and a shared machine adds noise
KB = 1000
SENTENCES = (
    "Vi fikk ikke tid til å øve mellom samlingene.",
    "Lederen vår satte av tid hver uke, og det hjalp.",
    "Det ble for mange verktøy på én gang, syntes jeg.",
    "Jeg bruker oppsummeringer i nesten alle samtaler nå.",
    "Skjemaene tok mye tid, men de hjalp oss å huske hva vi hadde lovet.",
    "Kl. 10 begynte vi, og vi holdt på til fire.",
    "Deltakerne merker at vi lytter mer enn før, tror jeg.",
    "Det er vanskelig å få det til når du har førti saker.",
    "Veiledningen på kontoret har vært det viktigste for meg.",
    "Noen ganger glemmer jeg det helt, ærlig talt 😅.",
)
CODES = ("tid", "ledelse", "for mye for fort", "oppsummering", "skjemavelde", "veiledning",
         "kontorkultur", "skepsis", "tro på metoden", "brukermedvirkning")


def transcript(chars: int, rng: random.Random) -> tuple[str, list[tuple[str, int, int]]]:
    """Interview text of about `chars` characters, with its (speaker, start, end) turns."""
    parts, turns, length, n = [], [], 0, 0
    while length < chars:
        speaker = "I" if n % 2 == 0 else "IP"
        label = f"[{n // 120:02d}:{n // 2 % 60:02d}:{n % 60:02d}] {speaker}: "
        words = " ".join(rng.choice(SENTENCES) for _ in range(1 if speaker == "I" else
                                                               rng.randint(2, 6)))
        start = length + len(label)
        parts.append(label + words + "\n\n")
        turns.append((speaker, start, start + len(words)))
        length += len(parts[-1])
        n += 1
    return "".join(parts), turns


def build(path: Path, chars: int, codings: int, seed: int = 0) -> str:
    """A project with one transcript of `chars` characters and `codings` codings on it."""
    rng = random.Random(seed)
    text, turns = transcript(chars, rng)
    with qc.create_project(path, coder="bench") as p:
        top = p.add_code("Tema", codable=False, en="themes")
        for name in CODES:
            p.add_code(name, top)
        src = p.add_source("langt_intervju", text, turns=turns)
        items = set()
        while len(items) < codings:
            speaker, start, end = rng.choice(turns)
            a = rng.randrange(start, end - 1)
            b = min(end, a + rng.randint(20, 400))
            items.add((src.id, a, b, f"Tema/{rng.choice(CODES)}"))
        p.code_many(sorted(items))
    return "langt_intervju"


def watch_frames(app, ready) -> dict:
    """Record when the app first puts a frame on the terminal for which `ready()` holds
    (Textual calls `post_display_hook` after each frame, headless too)."""
    seen: dict = {}

    def hook() -> None:
        if "at" not in seen and ready():
            seen["at"] = time.perf_counter()

    app.post_display_hook = hook
    return seen


async def until(seen: dict, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while "at" not in seen:
        if time.perf_counter() > deadline:
            raise TimeoutError("the awaited frame never came")
        await asyncio.sleep(0.001)


async def first_paint(path: Path, source: str | None) -> float:
    """From `make_app()` to the first frame showing the reader (or, with no source, any)."""
    t0 = time.perf_counter()
    app = make_app(path, coder="bench", source=source)
    seen = watch_frames(app, lambda: source is None or isinstance(app.screen, ReaderScreen))
    async with app.run_test(size=SIZE):
        await until(seen)
    return seen["at"] - t0


async def scroll_page(path: Path, source: str, pages: int = 3) -> float:
    """From page down to the first frame that shows the next page, best of `pages`."""
    app = make_app(path, coder="bench", source=source)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        await pilot.press("pagedown")  # the first only takes the cursor to the page's foot
        await pilot.pause()
        times = []
        for _ in range(pages):
            before = view.scroll_y
            seen = watch_frames(app, lambda y=before: view.scroll_y != y)
            t0 = time.perf_counter()
            await pilot.press("pagedown")
            await until(seen)
            times.append(seen["at"] - t0)
    return min(times)


async def key_to_coding(path: Path, source: str, repeat: int = 5) -> float:
    """Enter in the picker to the coding stored and the reader redrawn, best of `repeat`."""
    app = make_app(path, coder="bench", source=source)
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        turns = app.screen.turns
        for i in range(repeat):
            turn = turns[len(turns) // 2 + 2 * i + 1]
            view.put_cursor(turn.start + 1)
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, CodePicker)
            await pilot.press(*"brukermedvirkning")
            await pilot.pause()
            reader = app.screen_stack[-2]
            before = len(reader.codings)
            seen = watch_frames(app, lambda n=before, r=reader: app.screen is r
                                and len(r.codings) == n + 1)
            t0 = time.perf_counter()
            await pilot.press("enter")
            await until(seen)
            times.append(seen["at"] - t0)
            assert len(app.project.codings_of(source)) == before + 1, "the coding was not stored"
            shown = app.screen.codings
            assert any(k.start == turn.start for k in shown), "the reader does not show it"
    return min(times)


def api_coding(path: Path, source: str, repeat: int = 5) -> float:
    best = float("inf")
    with qc.open_project(path, coder="api") as p:
        turns = p.turns(source)
        for i in range(repeat):
            turn = turns[len(turns) // 3 + 2 * i + 1]
            t0 = time.perf_counter()
            p.code_span(source, turn.start, turn.end, "Tema/tid")
            best = min(best, time.perf_counter() - t0)
    return best


def build_sources(path: Path, count: int) -> None:
    """A project with `count` short form comments: the sources list at its longest."""
    with qc.create_project(path, coder="bench") as p:
        p.add_sources({"name": f"FE-{i:05d} kommentar", "kind": "form_field",
                       "text": f"Kommentar {i}: {SENTENCES[i % len(SENTENCES)]}"}
                      for i in range(count))


async def filter_sources(path: Path, typed: str = "12") -> float:
    """From a key typed in the sources filter to the first frame of the filtered list,
    worst of the keys of `typed` (the first narrows 20,000 rows to a few thousand)."""
    from textual.widgets import DataTable

    app = make_app(path, coder="bench")
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        for n in range(1, len(typed) + 1):
            text = typed[:n]
            table = app.screen.query_one(DataTable)
            seen = watch_frames(app, lambda t=text, tb=table: app.screen.query_one(
                "#filter").value == t and tb.row_count and t in str(tb.get_row_at(0)[0]))
            t0 = time.perf_counter()
            await pilot.press(typed[n - 1])
            await until(seen, 60)
            times.append(seen["at"] - t0)
    return max(times)


def filter_floor(path: Path, typed: str = "12") -> float:
    """The same filter over the same sources without a UI: read them, keep the matching."""
    from qualcode.tui.filters import SourceFilter

    t0 = time.perf_counter()
    with qc.open_project(path) as p:
        names = [s.name for s in p.sources()]
    wanted = SourceFilter.parse(typed[:1])
    matches = wanted.matcher({} for _ in names)
    [n for n in names if matches(n, {})]
    return time.perf_counter() - t0


async def switch_screens(path: Path, source: str) -> float:
    """From the key to the first frame of the codebook (2), then of retrieval (3): the
    slower, on the project with 20,000 codings."""
    app = make_app(path, coder="bench")
    worst = 0.0
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key, mode in (("2", "codebook"), ("3", "retrieval"), ("1", "sources")):
            seen = watch_frames(app, lambda m=mode: app.current_mode == m)
            t0 = time.perf_counter()
            await pilot.press(key)
            await until(seen, 60)
            worst = max(worst, seen["at"] - t0)
    return worst


def counts_floor(path: Path) -> float:
    """What those screens show, read through the Project API without a UI."""
    t0 = time.perf_counter()
    with qc.open_project(path) as p:
        p.codes()
        p.code_counts()
    return time.perf_counter() - t0


def run(tier: int) -> list[dict]:
    if tier > 10:
        return []  # no interview is 30 MB long: see the module's docstring
    os.environ["QUALCODE_CONFIG_DIR"] = str(scratch(f"tui-config-{tier}"))  # no saved place
    chars, codings = 300 * KB * tier, 2000 * tier
    work = scratch(f"tui-{tier}")
    big, small, empty = work / "long.qualcode", work / "short.qualcode", work / "empty.qualcode"
    source = build(big, chars, codings)
    build(small, 20 * KB, 130)
    qc.create_project(empty).close()
    size = f"{chars // KB:,} KB transcript, {codings:,} codings"

    asyncio.run(first_paint(empty, None))  # untimed: Python imports and Textual's first CSS
    paint = min(asyncio.run(first_paint(big, source)) for _ in range(REPEAT))
    paint_base = min(asyncio.run(first_paint(empty, None)) for _ in range(REPEAT))
    scroll = asyncio.run(scroll_page(big, source))
    scroll_base = asyncio.run(scroll_page(small, source))
    key = asyncio.run(key_to_coding(big, source))
    key_base = api_coding(big, source)
    many = work / "sources.qualcode"
    build_sources(many, 2000 * tier)
    filtered = asyncio.run(filter_sources(many))
    filtered_base = filter_floor(many)
    switch = asyncio.run(switch_screens(big, source))
    switch_base = counts_floor(big)
    return [
        result("sources list filter", f"{2000 * tier:,} sources", filtered, filtered_base,
               "under 0.2 s", baseline="reading the sources and filtering them, no UI"),
        result("screen switch", size, switch, switch_base, "under 0.2 s",
               baseline="reading the codes and their counts through the Project API, no UI"),
        result("reader first paint", size, paint, paint_base, "under 0.5 s",
               baseline="opening the app on an empty project"),
        result("scroll one page", size, scroll, scroll_base, "no visible lag (under 0.1 s)",
               baseline="the same in a 20 KB transcript with 130 codings"),
        result("key press to coding shown", size, key, key_base, "under 0.1 s",
               baseline="storing the same coding through the Project API, no UI"),
    ]


if __name__ == "__main__":
    for figure in run(int(sys.argv[1]) if len(sys.argv) > 1 else 1):
        print(f"{figure['name']:<28} {figure['size']:<34} {figure['seconds']:.3f} s  "
              f"baseline {figure['baseline_seconds']:.3f} s  ratio {figure['ratio']:.1f}  "
              f"target {figure['target']}")
