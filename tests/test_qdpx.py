"""REFI-QDA projects (.qdpx) in and out: the real exports of NVivo and QualCoder, a round trip of
the sample study, the schema, the points other tools trip over, and archives we must refuse."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from testkit import TRANSCRIPT, run_qualcode, table_dump

import qualcode as qc
from qualcode.errors import InputError

INTEROP = Path(__file__).parent / "fixtures" / "interop"
NS = "urn:QDA-XML:project:1.0"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def qde(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def events(project) -> int:
    return project.conn.execute("SELECT count(*) FROM events").fetchone()[0]


# -- the real exports ---------------------------------------------------------------------------

def file_counts(path: Path) -> dict[str, int]:
    root = qde(path)
    count = Counter(etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str))
    return {"user": count["User"], "code": count["Code"], "text source": count["TextSource"],
            "selection": count["PlainTextSelection"], "coding": count["Coding"],
            "note": count["Note"], "case": count["Case"], "variable": count["Variable"]}


def archive_text(path: Path, source_element) -> str:
    """A source's text as the file has it, read independently of the importer."""
    inline = source_element.find(q("PlainTextContent"))
    if inline is not None:
        return inline.text or ""
    name = source_element.get("plainTextPath").replace("internal://", "")
    with zipfile.ZipFile(path) as archive:
        member = next(n for n in archive.namelist()
                      if n.lower() in (f"sources/{name}".lower(), name.lower()))
        return archive.read(member).decode("utf-8-sig")


@pytest.mark.parametrize("name", ["nvivo_project.qdpx", "qc_demo_project.qdpx"])
def test_real_exports_import_completely(project, name):
    path = INTEROP / name
    root = qde(path)
    report = project.import_qdpx(path)
    expected = file_counts(path)
    assert {k: report.found[k] for k in ("user", "code", "text source", "selection",
                                         "coding")} == {k: expected[k] for k in (
        "user", "code", "text source", "selection", "coding")}
    assert not report.skipped and not report.skipped_kinds
    # every user, code and source is there, under its GUID
    assert {c.guid for c in project.coders()} == {u.get("guid") for u in root.iter(q("User"))}
    assert {c.guid for c in project.codes()} == {c.get("guid") for c in root.iter(q("Code"))}
    sources = {s.guid: s for s in project.sources()}
    assert set(sources) == {s.get("guid") for s in root.iter(q("TextSource"))}
    # every selection's codings, each excerpt equal to the file's text at its offsets
    frame = project.codings()
    assert len(frame) == expected["coding"]
    by_guid = {c.guid: c for s in sources.values() for c in project.codings_of(s)}
    users = {u.get("guid"): u.get("name") for u in root.iter(q("User"))}
    for element in root.iter(q("TextSource")):
        text = archive_text(path, element)
        assert sources[element.get("guid")].text == text.replace("\r\n", "\n")
        for selection in element.iter(q("PlainTextSelection")):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            for coding in selection.iter(q("Coding")):
                ours = by_guid[coding.get("guid")]
                assert text[start:end] == sources[element.get("guid")].text[ours.start:ours.end]
                assert project.code(ours.code_id).guid == coding.find(q("CodeRef")).get(
                    "targetGUID")
                assert project.coder(users[coding.get("creatingUser")]).id == ours.coder_id


@pytest.mark.parametrize("name", ["nvivo_project.qdpx", "qc_demo_project.qdpx"])
def test_counts_printed_match_the_file(tmp_path, name):
    path = INTEROP / name
    result = run_qualcode("import", "qdpx", path, "--new", tmp_path / "new.qualcode", cwd=tmp_path)
    read = next(line for line in result.stdout.splitlines() if line.startswith("read "))
    printed = {what.rstrip("s"): int(n) for n, what in re.findall(r"(\d+) ([a-z ]+?)(?:,|$)",
                                                                  read.split(": ", 1)[1])}
    expected = file_counts(path)
    for what in ("user", "code", "text source", "selection", "coding", "note", "case",
                 "variable"):
        assert printed[what] == expected[what], what
    with qc.open_project(tmp_path / "new.qualcode") as p:
        info = p.info()
    assert (info["codes"], info["codings"], info["sources"]) == (
        expected["code"], expected["coding"], expected["text source"])


def test_an_import_is_one_undo_step_and_a_second_import_adds_nothing(small):
    before = table_dump(small)
    small.import_qdpx(INTEROP / "qc_demo_project.qdpx")
    after = table_dump(small)
    again = small.import_qdpx(INTEROP / "qc_demo_project.qdpx")
    assert table_dump(small)["codings"] == after["codings"]
    assert again.added.get("coding") == 0 and again.added.get("code") == 0
    assert again.event_id is None and "nothing added" in again.lines()
    small.undo()
    assert table_dump(small) == before


# -- the sample study: round trip, schema, what other tools trip over ---------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from qualcode.demo import build_demo

    folder = tmp_path_factory.mktemp("demo")
    build_demo(folder / "demo.qualcode")
    first = folder / "first.qdpx"
    with qc.open_project(folder / "demo.qualcode") as p:
        p.export_qdpx(first)
    return folder


def equivalent(p) -> dict:
    """What a round trip must keep, in terms that do not depend on ids."""
    sources = {s.id: s for s in p.sources()}
    codes = {c.id: c for c in p.codes()}
    coders = {c.id: c.name for c in p.coders()}
    cases = {c.id: c for c in p.cases()}
    values = p.attribute_values()
    forms = p.form_details()
    for s in sources.values():  # a form comment's form is written as its variables
        if s.form_id in forms:
            form = forms[s.form_id]
            values.setdefault(("source", s.id), {}).update({
                "form_key": form["key"], "form_date": dt.date.fromisoformat(form["date"]),
                "form_office": form["office"], "form_version": form["version"]})
    return {
        "sources": sorted((s.name, s.kind, s.text, cases[s.case_id].name if s.case_id else None,
                           sorted(values.get(("source", s.id), {}).items()))
                          for s in sources.values()),
        "codes": [(c.path, c.codable, c.color, c.description, c.en, c.include, c.exclude,
                   c.example, c.patterns) for c in codes.values()],
        "groups": sorted((g.name, g.en, g.exclusive, sorted(codes[i].path for i in g.code_ids))
                         for g in p.groups()),
        "cases": sorted((c.name, c.kind, cases[c.parent_id].name if c.parent_id else None,
                         sorted(values.get(("case", c.id), {}).items()))
                        for c in cases.values()),
        "codings": sorted((sources[k.source_id].name, k.start, k.end, codes[k.code_id].path,
                           coders[k.coder_id], k.memo or "", k.guid)
                          for s in sources.values() for k in p.codings_of(s)),
        "memos": sorted((m.target_kind, m.title or "", m.text, coders.get(m.coder_id))
                        for m in p.memos()),
    }


def test_round_trip_of_the_sample_study_keeps_everything(demo, tmp_path):
    with qc.open_project(demo / "demo.qualcode") as original:
        want = equivalent(original)
        n_codings = original.info()["codings"]
    with qc.create_project(tmp_path / "copy.qualcode", coder="someone") as copy:
        report = copy.import_qdpx(demo / "first.qdpx")
        assert not report.skipped and not report.skipped_kinds
        assert report.added["coding"] == n_codings > 100
        got = equivalent(copy)
        copy.export_qdpx(tmp_path / "second.qdpx")
    for key in want:
        assert got[key] == want[key], key
    # and the second export says the same as the first (source import times aside)
    assert _canonical(demo / "first.qdpx") == _canonical(tmp_path / "second.qdpx")


def _canonical(path: Path):
    def walk(e):
        attrs = {k: v for k, v in e.attrib.items()
                 if not (k == "creationDateTime" and etree.QName(e).localname == "TextSource")
                 and k != "origin"}
        return (etree.QName(e).localname, sorted(attrs.items()), (e.text or "").strip(),
                sorted((walk(c) for c in e), key=repr))
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist() if n != "project.qde"}
    root = qde(path)
    root.set("name", "")
    return walk(root), files


def test_export_validates_against_the_schema(demo):
    schema = xmlschema.XMLSchema(str(INTEROP / "Project.xsd"))
    with zipfile.ZipFile(demo / "first.qdpx") as archive:
        schema.validate(archive.read("project.qde").decode("utf-8"))


def test_exports_avoid_what_other_tools_trip_over(demo):
    path = demo / "first.qdpx"
    root = qde(path)
    with zipfile.ZipFile(path) as archive:
        members = archive.namelist()
    # sources/ in lower case, one file per text source, named exactly as plainTextPath says
    paths = [s.get("plainTextPath") for s in root.iter(q("TextSource"))]
    assert sorted(f"sources/{p.removeprefix('internal://')}" for p in paths) == \
        sorted(m for m in members if m != "project.qde")
    assert all(m.startswith("sources/") for m in members if m != "project.qde")
    # GUIDs in lower case, and every reference points at a GUID the file defines
    guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert all(GUID.match(g) for g in guids) and len(guids) == len(set(guids))
    refs = [e.get(a) for e in root.iter() for a in ("targetGUID", "creatingUser", "originGUID")
            if e.get(a)]
    assert refs and set(refs) <= set(guids)
    # no empty containers, no empty sets
    for tag in ("Users", "CodeBook", "Codes", "Variables", "Cases", "Sources", "Notes", "Links",
                "Sets", "Graphs"):
        for element in root.iter(q(tag)):
            assert len(element), tag
    for element in root.iter(q("Set")):
        assert element.findall(q("MemberCode"))
    # a code's Description comes before its NoteRefs and child Codes
    order = {"Description": 0, "NoteRef": 1, "Code": 2}
    for code in root.iter(q("Code")):
        ranks = [order[etree.QName(c).localname] for c in code]
        assert ranks == sorted(ranks)
    assert any(c.find(q("Description")) is not None and c.find(q("Code")) is not None
               for c in root.iter(q("Code")))


def test_guids_are_the_same_in_every_export(demo, tmp_path):
    with qc.open_project(demo / "demo.qualcode") as p:
        p.export_qdpx(tmp_path / "again.qdpx")
    with zipfile.ZipFile(demo / "first.qdpx") as a, zipfile.ZipFile(tmp_path / "again.qdpx") as b:
        assert a.read("project.qde") == b.read("project.qde")
        assert sorted(a.namelist()) == sorted(b.namelist())


def test_positions_are_code_points_into_the_text_written(small, tmp_path):
    src = small.source("kontor02_T2")
    for phrase, code in (("😅. Vi fikk ikke tid.", "Barrierer/tid"), ("Æ, ø og å.", "Føringer/ledelse")):
        start = src.text.index(phrase)
        small.code_span(src, start, start + len(phrase), code)
    small.export_qdpx(tmp_path / "emoji.qdpx")
    root = qde(tmp_path / "emoji.qdpx")
    element = next(root.iter(q("TextSource")))
    with zipfile.ZipFile(tmp_path / "emoji.qdpx") as archive:
        raw = archive.read("sources/" + element.get("plainTextPath").split("//")[1])
    assert raw == TRANSCRIPT.replace("\r\n", "\n").encode("utf-8")  # no BOM, \n line ends
    text = raw.decode("utf-8")
    excerpts = {text[int(s.get("startPosition")):int(s.get("endPosition"))]
                for s in element.iter(q("PlainTextSelection"))}
    assert excerpts == {"😅. Vi fikk ikke tid.", "Æ, ø og å."}
    with qc.create_project(tmp_path / "back.qualcode") as back:
        back.import_qdpx(tmp_path / "emoji.qdpx")
        assert set(back.codings().text) == excerpts


def test_export_writes_a_whole_file_or_none(small, tmp_path):
    target = tmp_path / "out.qdpx"
    target.write_bytes(b"the previous file")
    small.conn.execute("UPDATE codes SET guid = 'not a guid' WHERE name = 'tid'")  # breaks XSD
    with pytest.raises(qc.QualcodeError, match="not valid"):
        small.export_qdpx(target)
    assert target.read_bytes() == b"the previous file"
    assert {p.name for p in tmp_path.iterdir() if "qdpx" in p.name} == {"out.qdpx"}


# -- hand-made archives: sources in every form, things we skip, things we refuse -----------------

def make_qdpx(path: Path, sources: str, *, files: dict[str, bytes] | None = None,
              extra: str = "", users: str | None = None, codebook: str | None = None) -> Path:
    users = users if users is not None else (
        '<Users><User guid="aaaaaaaa-0000-0000-0000-000000000001" name="ane"/></Users>')
    codebook = codebook if codebook is not None else (
        '<CodeBook><Codes><Code guid="cccccccc-0000-0000-0000-000000000001" name="tid" '
        'isCodable="true"/></Codes></CodeBook>')
    xml = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="t">{users}'
           f'{codebook}<Sources>{sources}</Sources>{extra}</Project>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def selection(guid: str, start, end, code="cccccccc-0000-0000-0000-000000000001",
              user="aaaaaaaa-0000-0000-0000-000000000001") -> str:
    return (f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}">'
            f'<Coding guid="{guid[:-1]}f" creatingUser="{user}"><CodeRef targetGUID="{code}"/>'
            '</Coding></PlainTextSelection>')


def test_sources_inline_internal_and_relative_with_bom_and_crlf(project, tmp_path):
    crlf = "Første linje.\r\nAndre linje 😅 her.\r\nTredje."
    target = "Andre linje 😅 her."
    start = crlf.index(target)  # counted in the file's text, with its CR LF
    path = make_qdpx(tmp_path / "forms.qdpx", (
        '<TextSource guid="11111111-0000-0000-0000-000000000001" name="inline">'
        f'<PlainTextContent>Kort tekst.</PlainTextContent>{selection("5" * 8 + "-0000-0000-0000-000000000001", 0, 4)}'
        '</TextSource>'
        '<TextSource guid="11111111-0000-0000-0000-000000000002" name="internt" '
        f'plainTextPath="internal://ABC.TXT">{selection("5" * 8 + "-0000-0000-0000-000000000002", start, start + len(target))}'
        '</TextSource>'
        '<TextSource guid="11111111-0000-0000-0000-000000000003" name="relativ" '
        'plainTextPath="notat.txt"/>'),
        files={"Sources/abc.txt": b"\xef\xbb\xbf" + crlf.encode("utf-8"),
               "sources/notat.txt": b"Notat uten BOM."})
    report = project.import_qdpx(path)
    assert not report.skipped
    texts = {s.name: s.text for s in project.sources()}
    assert texts == {"inline": "Kort tekst.", "internt": crlf.replace("\r\n", "\n"),
                     "relativ": "Notat uten BOM."}
    assert sorted(project.codings().text) == sorted(["Kort", target])


def test_what_qualcode_cannot_hold_is_counted_and_bad_selections_are_skipped(project, tmp_path):
    good = "2" * 8 + "-0000-0000-0000-000000000001"
    outside, no_code, no_user, reversed_ = ("3" * 8 + f"-0000-0000-0000-00000000000{i}"
                                            for i in range(1, 5))
    path = make_qdpx(tmp_path / "mixed.qdpx", (
        '<TextSource guid="11111111-0000-0000-0000-000000000001" name="tekst">'
        '<PlainTextContent>Ti tegn her og litt til.</PlainTextContent>'
        + selection(good, 0, 3) + selection(outside, 5, 500)
        + selection(no_code, 0, 3, code="dddddddd-0000-0000-0000-000000000001")
        + selection(no_user, 4, 8, user="eeeeeeee-0000-0000-0000-000000000001")
        + selection(reversed_, 8, 4) + '</TextSource>'
        '<PictureSource guid="44444444-0000-0000-0000-000000000001" path="internal://a.png"/>'
        '<PDFSource guid="44444444-0000-0000-0000-000000000002" path="internal://a.pdf"/>'
        '<AudioSource guid="44444444-0000-0000-0000-000000000003" path="internal://a.mp3"/>'
        '<VideoSource guid="44444444-0000-0000-0000-000000000004" path="internal://a.mp4"/>'),
        extra=('<Links><Link guid="66666666-0000-0000-0000-000000000001" '
               'originGUID="11111111-0000-0000-0000-000000000001" '
               'targetGUID="cccccccc-0000-0000-0000-000000000001"/></Links>'
               '<Graphs><Graph guid="77777777-0000-0000-0000-000000000001"/></Graphs>'))
    report = project.import_qdpx(path)
    assert report.skipped_kinds == {"picture source": 1, "PDF source": 1, "audio source": 1,
                                    "video source": 1, "link": 1, "graph": 1}
    skipped = "\n".join(report.skipped)
    for guid, why in ((outside, "outside"), (no_code, "unknown code"), (no_user, "unknown user"),
                      (reversed_, "empty span")):
        assert re.search(f"selection {guid}: .*{why}", skipped), guid
    assert good not in skipped and len(report.skipped) == 4
    assert list(project.codings().text) == ["Ti "]
    lines = "\n".join(report.lines())
    assert "1 picture source" in lines and outside in lines


BAD = {
    "not a zip": (lambda p: p.write_bytes(b"PK? no, just text"), "not a .qdpx"),
    "no project.qde": (lambda p: _zip(p, {"sources/a.txt": b"x"}), "no project.qde"),
    "malformed XML": (lambda p: _zip(p, {"project.qde": b"<Project><Users></Project>"}),
                      "not well-formed XML"),
    "member outside": (lambda p: _zip(p, {"project.qde": b"<Project name='x'/>",
                                          "sources/../../evil.txt": b"x"}), "outside the archive"),
    "entity": (lambda p: _zip(p, {"project.qde": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY '
                                                 b'a "aaaa">]><Project name="&a;"/>'}),
               "entity declaration"),
    "member too big": (lambda p: _zip(p, {"project.qde": b"<Project name='x'/>",
                                          "sources/big.txt": b"x" * 5000}), "over the limit"),
}


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("case", list(BAD))
def test_bad_archives_are_refused_in_one_line_changing_nothing(small, tmp_path, case):
    make, message = BAD[case]
    path = tmp_path / "bad.qdpx"
    make(path)
    before, n_events = table_dump(small), events(small)
    with pytest.raises(InputError, match=message) as caught:
        small.import_qdpx(path, max_member_bytes=4096)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    assert table_dump(small) == before and events(small) == n_events


def test_a_member_bigger_than_its_header_says_is_refused_while_reading(small, tmp_path):
    path = tmp_path / "liar.qdpx"
    _zip(path, {"project.qde": b"<Project name='x'/>", "sources/a.txt": b"y" * 8000})
    data = bytearray(path.read_bytes())
    # declare 100 bytes for a.txt in both headers; the deflated data still holds 8,000
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(header)
        while at != -1:
            name_at = at + (30 if header == b"PK\x03\x04" else 46)
            if data[name_at:name_at + 13] == b"sources/a.txt":
                data[at + offset:at + offset + 4] = (100).to_bytes(4, "little")
            at = data.find(header, at + 4)
    path.write_bytes(bytes(data))
    from qualcode.ingest.archive import SafeArchive

    with SafeArchive(path, max_member_bytes=4096) as archive, \
            pytest.raises(InputError, match="a.txt"):
        archive.read(archive.find("sources/a.txt"))


def test_members_each_under_the_cap_are_refused_when_together_they_are_a_bomb(small, tmp_path):
    sources = "".join(f'<TextSource guid="11111111-0000-0000-0000-00000000000{i}" name="t{i}" '
                      f'plainTextPath="internal://t{i}.txt"/>' for i in range(3))
    path = make_qdpx(tmp_path / "bomb.qdpx", sources,
                     files={f"sources/t{i}.txt": b"a" * 3000 for i in range(3)})
    before, n_events = table_dump(small), events(small)
    with pytest.raises(InputError, match="in all; refused"):
        small.import_qdpx(path, max_member_bytes=4096)  # 3 × 3,000 read > 2 × 4,096
    assert table_dump(small) == before and events(small) == n_events


def test_cli_refuses_a_bad_archive_in_one_line_and_new_project_is_not_left_behind(tmp_path):
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip")
    result = run_qualcode("import", "qdpx", bad, "--new", tmp_path / "n.qualcode", cwd=tmp_path,
                          ok=False)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "not a .qdpx" in result.stderr and not (tmp_path / "n.qualcode").exists()


def test_cli_export_and_import_into_the_current_project(small, tmp_path):
    small.code_span("kontor02_T2", 0, 10, "Barrierer/tid")
    small.add_memo("Et notat om kilden.", source="kontor02_T2", title="Kilde")
    small.add_memo("Et notat om saken.", case="kontor02", title="Sak")
    small.add_memo("Et notat om koden.", code="Barrierer/tid")
    small.close()
    out = run_qualcode("export", "qdpx", "-o", tmp_path / "s.qdpx", "-p", "study.qualcode",
                       cwd=tmp_path)
    assert "1 coding" in out.stdout and (tmp_path / "s.qdpx").exists()
    run_qualcode("init", "other.qualcode", cwd=tmp_path)
    result = run_qualcode("import", "qdpx", "s.qdpx", "-p", "other.qualcode", cwd=tmp_path)
    assert "added" in result.stdout
    with qc.open_project(tmp_path / "other.qualcode") as other:
        memos = {(m.target_kind, m.text) for m in other.memos()}
        assert memos == {("source", "Et notat om kilden."), ("case", "Et notat om saken."),
                         ("code", "Et notat om koden.")}
        assert other.case("kontor02-A").parent_id == other.case("kontor02").id
        assert other.attributes(source="kontor02_T2") == {
            "arm": "tiltak", "role": "HPMT-veileder", "time": "T2"}
