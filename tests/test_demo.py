"""The sample study as a project (`build_demo`, `qualcode demo`)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import qualcode as qc
from qualcode import demo
from qualcode.cli import cli
from qualcode.errors import InvalidOperation

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "hpmt_demo"
VOLATILE = {"guid", "at"}  # and every "*_at" column: GUIDs and times differ between builds


def count_codes(nodes) -> int:
    return sum(1 + count_codes(n.get("children", [])) for n in nodes)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "hpmt_demo.qualcode"
    report = demo.build_demo(path)
    project = qc.open_project(path)
    yield report, project
    project.close()


def test_the_demo_folder_is_found():
    assert demo.demo_folder().resolve() == DEMO.resolve()


def test_every_example_phrase_is_found(built):
    report, _ = built
    assert report.missing == []


def test_sources_forms_and_measures(built):
    _, p = built
    kinds = dict(p.conn.execute("SELECT kind, count(*) FROM sources GROUP BY kind").fetchall())
    with (DEMO / "fe_forms.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    comments = sum(bool(r[c].strip()) for r in rows for c in ("kommentar1", "kommentar2"))
    assert kinds == {"transcript": len(list((DEMO / "transcripts").glob("*.txt"))),
                     "fieldnote": 2, "form_field": comments}
    assert kinds["transcript"] == 11
    assert p.info()["forms"] == len(rows) == 1672
    assert p.conn.execute("SELECT min(date), max(date) FROM forms").fetchone()[:] == \
        ("2011-09-15", "2013-04-30")
    assert p.conn.execute("SELECT count(DISTINCT key_value) FROM measures").fetchone()[0] == 18
    attrs = p.attributes(source="kontor05_kvp-veileder_T2")
    assert (attrs["role"], attrs["arm"], attrs["time"]) == ("KVP-veileder", "tiltak", "T2")
    comment = p.conn.execute("SELECT id FROM sources WHERE kind = 'form_field' LIMIT 1"
                             ).fetchone()[0]
    assert p.attributes(source=comment)["arm"] == "tiltak"  # offices known only from forms


def test_codes_come_from_the_three_codebooks(built):
    _, p = built
    expected = sum(count_codes(yaml.safe_load((REPO / "codebooks" / f"{n}.yaml").read_text(
        encoding="utf-8"))["codes"]) for n in demo.DEMO_CODEBOOKS)
    assert p.info()["codes"] == expected
    assert sorted(p.codebook_names()) == sorted(demo.DEMO_CODEBOOKS)


def test_the_history_gives_each_coder_their_own_codings(built):
    _, project = built
    coders = {e.coder for e in project.history(2000) if e.action == "code"}
    assert coders == set(demo.CODERS)  # each can undo their own, as in the app


def test_two_coders_overlap_disagree_and_code_form_comments(built):
    _, p = built
    frame = p.codings()
    per_coder = frame.groupby("coder").size().to_dict()
    assert set(per_coder) == set(demo.CODERS) and min(per_coder.values()) >= 20
    assert 40 <= len(frame) <= 200  # a few dozen per coder
    assert (frame.source_kind == "form_field").sum() >= 10
    assert set(frame.source_kind) == {"transcript", "fieldnote", "form_field"}
    kari = frame[frame.coder == "kari"]
    overlapping = kari.merge(kari, on="source_id")
    overlapping = overlapping[(overlapping.code_id_x != overlapping.code_id_y)
                              & (overlapping.start_x < overlapping.end_y)
                              & (overlapping.start_y < overlapping.end_x)]
    assert len(overlapping) > 0
    spans = {c: set(zip(g.source_id, g.start, g.end, g.code_id, strict=True))
             for c, g in frame.groupby("coder")}
    assert spans["kari"] & spans["ola"]  # agreement
    assert spans["kari"] - spans["ola"] and spans["ola"] - spans["kari"]  # and disagreement
    stages = frame[frame.code_path.str.startswith("Dreyfus/")]
    assert stages.coder.nunique() == 2 and stages.code_path.nunique() >= 4
    assert frame.memo.notna().sum() >= 2


def test_build_is_deterministic_but_for_ids_and_times(built, tmp_path):
    _, first = built
    second_path = tmp_path / "again.qualcode"
    demo.build_demo(second_path)
    with qc.open_project(second_path) as second:
        assert stable_dump(first) == stable_dump(second)
        assert [e.action for e in first.history(500)] == [e.action for e in second.history(500)]


def stable_dump(project) -> dict[str, list[tuple]]:
    out = {}
    for (table,) in project.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT IN ('events', 'project')"):
        cols = [r[1] for r in project.conn.execute(f"PRAGMA table_info({table})")
                if r[1] not in VOLATILE and not r[1].endswith("_at")]
        quoted = ", ".join(f'"{c}"' for c in cols)
        out[table] = sorted(tuple(r) for r in project.conn.execute(
            f"SELECT {quoted} FROM {table}"))
    return out


def test_an_existing_file_is_kept_unless_overwritten(tmp_path):
    path = tmp_path / "x.qualcode"
    path.write_bytes(b"not a project")
    with pytest.raises(InvalidOperation, match="already exists"):
        demo.build_demo(path)
    assert path.read_bytes() == b"not a project"


def test_sentence_span_widens_to_sentences_within_a_turn():
    text = ("I: Og hva skjedde?\n\nIP: [ler] Det gikk fort. Vi hadde ikke noe plan B. "
            "Og så?\n\n[00:01:02] IP: Helt greit.")
    start = text.index("plan B")
    assert text[slice(*demo.sentence_span(text, start, start + 6))] == \
        "Vi hadde ikke noe plan B."
    start = text.index("gikk")
    assert text[slice(*demo.sentence_span(text, start, start + 4))] == "Det gikk fort."
    start = text.index("greit")
    assert text[slice(*demo.sentence_span(text, start, start + 5))] == "Helt greit."
    span = demo.find_span(text, "Det gikk … plan B")
    assert text[slice(*span)] == "Det gikk fort. Vi hadde ikke noe plan B."
    assert demo.find_span(text, "finnes ikke") is None
    assert text[slice(*demo.find_span(text, "plan B", exact=True))] == "plan B"


@pytest.mark.slow
def test_cli_builds_then_reuses_then_rebuilds(tmp_path):
    runner = CliRunner()
    path = tmp_path / "hpmt_demo.qualcode"
    first = runner.invoke(cli, ["demo", str(path), "--no-open"])
    assert first.exit_code == 0, first.output
    assert "building the sample study" in first.stderr
    assert "importing interviews" in first.stderr  # progress while it builds (~15 s)
    assert "example codings by kari and ola: 0 of" in first.stderr
    assert re.search(r"^forms +1672$", first.stdout, re.M)
    assert "codings by coder: kari" in first.stdout
    size = path.stat().st_size
    with qc.open_project(path) as p:
        p.add_memo("mitt eget notat")
    again = runner.invoke(cli, ["demo", str(path), "--no-open"])
    assert again.exit_code == 0 and "building" not in again.stderr
    with qc.open_project(path) as p:
        assert any(m.text == "mitt eget notat" for m in p.memos(project=True))
    rebuilt = runner.invoke(cli, ["demo", str(path), "--no-open", "--rebuild"])
    assert rebuilt.exit_code == 0 and "building" in rebuilt.stderr
    with qc.open_project(path) as p:
        assert not any(m.text == "mitt eget notat" for m in p.memos(project=True))
    assert path.stat().st_size >= size // 2
