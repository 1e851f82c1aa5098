"""places.json and coders.json shared by several app windows (processes) of one user: a save
changes only its own project's entry, under a lock, and a damaged file is kept and said."""

from __future__ import annotations

import json
import multiprocessing

from qualcode.tui.coders import CoderMemory, PlaceMemory

INTERVIEWS = {"mode": "sources", "filter": "kontor", "reader": {"source": 3, "offset": 120}}
FORMS = {"mode": "forms", "filter": "", "source": 7}


def saved(config) -> dict:
    return json.loads((config / "places.json").read_text(encoding="utf-8"))["projects"]


# These two pin down what saves one after another must keep (a save re-reads the file; the
# code before the lock did that too, so they pass on it: what it lost, the next test shows).
def test_two_windows_on_two_projects_saving_in_turn_keep_both_places(tmp_path):
    interviews, forms = tmp_path / "intervjuer.qualcode", tmp_path / "skjema.qualcode"
    first, second = PlaceMemory(tmp_path), PlaceMemory(tmp_path)  # one per window
    first.recall_place(interviews), second.recall_place(forms)  # both windows open
    for step in range(3):
        first.remember_place(interviews, {**INTERVIEWS, "reader": {"source": 3, "offset": step}})
        second.remember_place(forms, {**FORMS, "source": step})
    again = PlaceMemory(tmp_path)
    assert again.recall_place(interviews)["reader"] == {"source": 3, "offset": 2}
    assert again.recall_place(forms)["source"] == 2


def test_a_third_projects_entry_written_meanwhile_survives_a_save(tmp_path):
    interviews, other = tmp_path / "intervjuer.qualcode", tmp_path / "tredje.qualcode"
    window = PlaceMemory(tmp_path)
    window.remember_place(other, {"mode": "codebook"})
    window.recall_place(interviews)  # the window opens, with the old entry in the file
    PlaceMemory(tmp_path).remember_place(other, {"mode": "matrix"})  # another process
    window.remember_place(interviews, INTERVIEWS)
    assert saved(tmp_path)[str(other.resolve())] == {"mode": "matrix"}  # not rolled back
    assert saved(tmp_path)[str(interviews.resolve())] == INTERVIEWS


SAVES = 40


def _save_many(config: str, window: int, start) -> None:
    memory = PlaceMemory(config)
    start.wait()
    for i in range(SAVES):  # a new project each time: an entry lost stays lost
        memory.remember_place(f"{config}/w{window}-{i}.qualcode", {"mode": "sources", "row": i})


def test_windows_saving_at_the_same_moment_never_lose_an_entry(tmp_path):
    """Without the lock, one window reads, another writes, the first writes what it read:
    the second's entry is gone (and a shared temporary file can be replaced half-written)."""
    context = multiprocessing.get_context("fork")
    windows = 3
    start = context.Barrier(windows)
    processes = [context.Process(target=_save_many, args=(str(tmp_path), w, start))
                 for w in range(windows)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert [p.exitcode for p in processes] == [0] * windows
    names = {key.rsplit("/", 1)[1] for key in saved(tmp_path)}
    assert names == {f"w{w}-{i}.qualcode" for w in range(windows) for i in range(SAVES)}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part.json")]  # no leftovers


def test_a_damaged_places_file_is_kept_aside_with_a_warning_not_overwritten(tmp_path):
    damaged = '{"projects": {"/x.qualcode": {"mode": "codebook"}'  # cut short
    (tmp_path / "places.json").write_text(damaged, encoding="utf-8")
    memory = PlaceMemory(tmp_path)
    assert memory.recall_place(tmp_path / "x.qualcode") == {}
    [warning] = memory.take_warnings()
    assert "places.json was damaged" in warning and "places.json.corrupt" in warning
    assert (tmp_path / "places.json.corrupt").read_text(encoding="utf-8") == damaged
    memory.remember_place(tmp_path / "x.qualcode", INTERVIEWS)
    assert saved(tmp_path) == {str((tmp_path / "x.qualcode").resolve()): INTERVIEWS}
    assert memory.take_warnings() == []


def test_a_places_file_of_the_wrong_shape_does_not_crash_a_save(tmp_path):
    (tmp_path / "places.json").write_text('{"projects": ["a", "b"]}', encoding="utf-8")
    memory = PlaceMemory(tmp_path)
    memory.remember_place(tmp_path / "x.qualcode", INTERVIEWS)
    assert saved(tmp_path) == {str((tmp_path / "x.qualcode").resolve()): INTERVIEWS}
    assert "kept as places.json.corrupt" in memory.take_warnings()[0]
    assert "projects" in (tmp_path / "places.json.corrupt").read_text(encoding="utf-8")


def test_an_unreadable_places_file_is_never_written_over(tmp_path):
    path = tmp_path / "places.json"
    path.mkdir()  # cannot be read as a file by anyone, root included
    memory = PlaceMemory(tmp_path)
    assert memory.recall_place(tmp_path / "x.qualcode") == {}
    memory.remember_place(tmp_path / "x.qualcode", INTERVIEWS)
    assert path.is_dir()
    [warning] = memory.take_warnings()
    assert "could not be read" in warning and "nothing is saved" in warning


def test_the_coders_name_is_saved_for_its_project_only_too(tmp_path):
    interviews, forms = tmp_path / "intervjuer.qualcode", tmp_path / "skjema.qualcode"
    first, second = CoderMemory(tmp_path), CoderMemory(tmp_path)
    first.remember(interviews, "kari")
    second.remember(forms, "ola")
    (tmp_path / "coders.json").write_text("[]", encoding="utf-8")  # damaged meanwhile
    first.remember(interviews, "kari")
    assert CoderMemory(tmp_path).recall(interviews) == "kari"
    assert first.take_warnings() and (tmp_path / "coders.json.corrupt").exists()
