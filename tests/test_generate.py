"""The synthetic corpus generator: deterministic, the sizes asked for, the shipped form layout."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest

from corpora import generate as gen

REPO = Path(__file__).resolve().parents[1]
SHIPPED_FORMS = REPO / "corpora" / "hpmt_demo" / "fe_forms.csv"


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def read_forms(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=";")
        return list(reader.fieldnames), list(reader)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    scale = gen.Scale(forms=300, transcripts=5, words=400)
    a = digest(gen.write_corpus(tmp_path / "a", scale, seed=7))
    b = digest(gen.write_corpus(tmp_path / "b", scale, seed=7))
    c = digest(gen.write_corpus(tmp_path / "c", scale, seed=8))
    assert a == b
    assert len(a) == 1 + 1 + 5  # forms, attributes, transcripts
    assert all(a[name] != c[name] for name in ("fe_forms.csv", "attributes.csv"))
    texts = lambda d: {v for k, v in d.items() if k.startswith("transcripts/")}  # noqa: E731
    assert len(texts(a)) == 5 and not texts(a) & texts(c)


def test_forms_have_the_shipped_columns_and_norwegian_excel_format(tmp_path):
    path = gen.write_forms(tmp_path / "forms.csv", 2500, seed=1)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") >= 2501 and b"\n" not in raw.replace(b"\r\n", b"")
    header, rows = read_forms(path)
    shipped_header, _ = read_forms(SHIPPED_FORMS)
    assert header == shipped_header == gen.form_columns()
    assert len(rows) == 2500
    assert [r["skjema_id"] for r in rows[:2]] == ["FE-00001", "FE-00002"]
    assert len({r["skjema_id"] for r in rows}) == 2500
    dates = [dt.datetime.strptime(r["dato"], "%d.%m.%Y").date() for r in rows]
    assert dates == sorted(dates)
    assert dates[0] == dt.date(2011, 9, 15) and dates[-1] <= dt.date(2013, 4, 30)
    assert all(d.weekday() < 5 for d in dates)
    assert any("," in r["mal_oppnadd"] for r in rows)  # decimal comma
    for r, d in zip(rows, dates, strict=True):
        assert r["versjon"] == ("2012-02" if d >= dt.date(2012, 2, 1) else "2011-09")
        if r["versjon"] == "2011-09":
            assert r["utu_planlagt"] == r["utu_brukt"] == r["utu_mestring"] == ""
        assert int(r["kontor"]) in gen.TREATMENT_OFFICES
        assert 0 <= int(r["gjennomfort_som_tenkt"]) <= 10
        assert r["apne_sporsmal_brukt"] in ("0", "1")
        assert (r["apne_sporsmal_mestring"] != "") == (r["apne_sporsmal_brukt"] == "1")
    filled1 = sum(bool(r["kommentar1"]) for r in rows) / len(rows)
    filled2 = sum(bool(r["kommentar2"]) for r in rows) / len(rows)
    assert 0.65 < filled1 < 0.75 and 0.11 < filled2 < 0.19
    open_q = sum(r["apne_sporsmal_planlagt"] == "x" for r in rows) / len(rows)
    assert 0.85 < open_q < 0.96


def test_many_forms_get_wider_keys():
    first = lambda n: next(iter(gen.form_rows(n)))[0]  # noqa: E731
    assert first(99_999) == "FE-00001" and first(100_000) == "FE-000001"


@pytest.mark.parametrize("words", [2, 3, 57, 1300])
def test_transcripts_have_exactly_the_words_asked_for(words):
    text = gen.transcript_text(words, seed=3)
    assert len(text.split()) == words
    turns = text.strip().split("\n\n")
    assert turns[0].startswith("I: ")
    assert all(re.match(r"(I|IP): \S", t) for t in turns)
    assert text.rstrip().endswith(".")


def test_transcripts_and_attribute_sheet(tmp_path):
    paths = gen.write_transcripts(tmp_path, 7, 250, seed=2)
    assert len(paths) == 7 and all(len(p.read_text("utf-8").split()) == 250 for p in paths)
    with (tmp_path / "attributes.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == gen.ATTRIBUTE_COLUMNS
    assert [tmp_path / r["file"] for r in rows] == paths
    assert {r["time"] for r in rows} == {"T1", "T2"}
    assert rows[0]["case"] == rows[1]["case"]  # the same person at T1 and T2
    for r in rows:
        office = int(r["office"])
        assert r["arm"] == ("tiltak" if office in gen.TREATMENT_OFFICES else "sammenligning")


def test_demo_scale_multiplies_the_sample_study():
    assert gen.demo_scale(1) == gen.DEMO
    assert gen.demo_scale(10) == gen.Scale(16_720, 130, gen.DEMO.words)


def test_cli_writes_a_corpus(tmp_path, capsys):
    assert gen.main(["--forms", "20", "--transcripts", "3", "--words", "90",
                     "--out", str(tmp_path)]) == 0
    assert "20 forms and 3 transcripts" in capsys.readouterr().out
    assert len(read_forms(tmp_path / "fe_forms.csv")[1]) == 20
    assert len(list((tmp_path / "transcripts").glob("*.txt"))) == 3


# -- coding at a density --------------------------------------------------------------------------

@pytest.fixture
def texts(project):
    """A project with three generated transcripts and a small code tree with an exclusive group."""
    for i in range(3):
        project.add_source(f"t{i}", gen.transcript_text(800, seed=i))
    top = project.add_code("Barrierer", codable=False)
    for name in ("tid", "opplæring", "ledelse"):
        project.add_code(name, top)
    stages = project.add_code("Dreyfus", codable=False)
    members = [project.add_code(n, stages) for n in ("novise", "avansert nybegynner", "kompetent")]
    project.add_group("stadier", members)
    return project


def coding_rows(project) -> list[tuple]:
    return [tuple(r) for r in project.conn.execute(
        'SELECT source_id, start, "end", code_id, coder_id, origin, memo FROM codings '
        'ORDER BY source_id, start, "end", code_id')]


def test_density_gives_the_number_of_codings_asked_for(texts):
    chars = sum(len(s.text) for s in texts.sources())
    added = gen.code_project(texts, 5, seed=1)
    assert added == len(coding_rows(texts))
    assert abs(added - chars * 5 / 1000) <= 3  # a few plans can be dropped by the rules


def test_spans_are_whole_words_and_respect_exclusive_groups(texts):
    gen.code_project(texts, 20, seed=2, coder="kari")
    gen.code_project(texts, 20, seed=3, coder="kari")  # a second round sees the first
    stage_ids = {c.id for c in texts.codes() if c.path.startswith("Dreyfus/")}
    by_source: dict[int, list] = {}
    for sid, start, end, code, *_ in coding_rows(texts):
        text = texts.source(sid).text
        assert start == 0 or text[start - 1].isspace()
        assert end == len(text) or text[end].isspace()
        assert not text[start].isspace() and not text[end - 1].isspace()
        if code in stage_ids:
            by_source.setdefault(sid, []).append((start, end, code))
    for spans in by_source.values():
        for s1, e1, c1 in spans:
            assert all(c1 == c2 for s2, e2, c2 in spans if s2 < e1 and e2 > s1)


def test_fast_path_writes_the_same_rows_as_code_many(tmp_path):
    import qualcode as qc

    def coded(name: str, fast: bool) -> list[tuple]:
        with qc.create_project(tmp_path / name, coder="gen") as p:
            for i in range(2):
                p.add_source(f"t{i}", gen.transcript_text(600, seed=i))
            top = p.add_code("Tema", codable=False)
            for n in ("a", "b", "c"):
                p.add_code(n, top)
            gen.code_project(p, 10, seed=4, fast=fast)
            assert len(p.history()) >= 1 and p.history()[0].action == "code many"
            return coding_rows(p)

    slow, fast = coded("slow.qualcode", False), coded("fast.qualcode", True)
    assert slow == fast and len(slow) > 50


def test_fast_path_is_one_undoable_change(texts):
    before = coding_rows(texts)
    gen.code_project(texts, 10, seed=5, fast=True)
    assert len(coding_rows(texts)) > len(before)
    texts.undo()
    assert coding_rows(texts) == before


def test_a_project_without_codes_is_refused(project):
    project.add_source("t", gen.transcript_text(100))
    with pytest.raises(ValueError, match="no codable codes"):
        gen.code_project(project, 1)


# -- generated corpora import as real material ----------------------------------------------------

def test_generated_forms_import_with_the_shipped_mapping(tmp_path):
    import qualcode as qc
    from qualcode.ingest.forms import import_forms

    path = gen.write_forms(tmp_path / "forms.csv", 400, seed=2)
    _, rows = read_forms(path)
    with qc.create_project(tmp_path / "p.qualcode") as p:
        import_forms(p, path)
        assert p.info()["forms"] == 400
        comments = sum(bool(r[c]) for r in rows for c in ("kommentar1", "kommentar2"))
        assert len(p.sources("form_field")) == comments
        planned = p.conn.execute(
            "SELECT count(*) FROM form_items WHERE item = 'åpne spørsmål' AND planned = 1"
        ).fetchone()[0]
        assert planned == sum(r["apne_sporsmal_planlagt"] == "x" for r in rows)
        old_utu = p.conn.execute(
            "SELECT count(*) FROM form_items i JOIN forms f ON f.id = i.form_id "
            "WHERE i.item = 'UTU' AND f.date < '2012-02-01' AND i.on_form").fetchone()[0]
        assert old_utu == 0


def test_build_project_imports_and_codes_a_corpus(tmp_path):
    import qualcode as qc

    folder = gen.write_corpus(tmp_path / "c", gen.Scale(forms=120, transcripts=4, words=500))
    path = gen.build_project(folder, tmp_path / "s.qualcode", density=4, seed=1)
    with qc.open_project(path) as p:
        assert len(p.sources("transcript")) == 4 and p.info()["forms"] == 120
        assert p.attributes(source=p.sources("transcript")[0])["data_type"] == "intervju"
        assert sorted(p.codebook_names()) == sorted(gen.CODEBOOKS)
        chars = sum(len(s.text) for s in p.sources())
        codings = p.codings()
        assert set(codings.coder) == {"generator"}
        assert abs(len(codings) - chars * 4 / 1000) <= 5
    again = gen.build_project(folder, tmp_path / "s.qualcode", density=4, seed=1, overwrite=True)
    with qc.open_project(again) as p:
        assert len(p.codings()) == len(codings)
