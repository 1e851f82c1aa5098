"""References: a name or path wins; an id only when asked for explicitly (an int or object in
Python, '#3' or --id on the command line); none or several matches is an error naming the
candidates. The same rule in the API, the CLI and every filter."""

from __future__ import annotations

import pytest
from testkit import run_qualcode as run

import qualcode as qc
from qualcode.errors import Ambiguous, InvalidOperation, NotFound


@pytest.fixture
def numbered(tmp_path):
    """Source id 1 is named "2"; source id 2 is named "andre"; two codes named "tid"."""
    path = tmp_path / "tall.qualcode"
    with qc.create_project(path, coder="ane") as p:
        assert p.add_source("2", "første tekst her").id == 1
        assert p.add_source("andre", "andre tekst her").id == 2
        p.add_source("003-intervju", "tredje tekst her")
        barrier = p.add_code("Barrierer", codable=False)
        p.add_code("tid", barrier)
        enabler = p.add_code("Føringer", codable=False)
        p.add_code("tid", enabler)
        p.add_code("ledelse", enabler)
    return path


def test_a_name_that_is_a_number_is_a_name_and_an_int_is_an_id(numbered):
    with qc.open_project(numbered) as p:
        assert p.source("2").name == "2"          # the name, not id 2
        assert p.source(2).name == "andre"        # an int is an id
        assert p.source("#2").name == "andre"     # "#2" asks for the id explicitly
        assert p.source(p.source("andre")).id == 2
        with pytest.raises(NotFound, match=r"no source '3'.*#3"):
            p.source("3")


def test_cli_codes_the_source_named_2_not_source_id_2(numbered):
    out = run("code", "2", "ledelse", "--span", "0:6", "-p", numbered, "--coder", "ane",
              cwd=numbered.parent).stdout
    assert "coded 2 [0:6] as Føringer/ledelse" in out
    with qc.open_project(numbered) as p:
        assert p.codings()["source"].tolist() == ["2"]


def test_cli_003_is_not_source_3_and_ids_are_asked_for_with_hash_or_id(numbered):
    result = run("code", "003", "ledelse", "--match", "tekst", "-p", numbered,
                 cwd=numbered.parent, ok=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "qualcode: error: no source '003'; closest: '003-intervju' "
        "(a source id is written #3, or with --id)"]
    with qc.open_project(numbered) as p:
        assert p.info()["codings"] == 0
    run("code", "#3", "ledelse", "--match", "tekst", "-p", numbered, cwd=numbered.parent)
    run("code", "2", "#5", "--match", "tekst", "--id", "-p", numbered, cwd=numbered.parent)
    with qc.open_project(numbered) as p:
        got = sorted(zip(p.codings()["source"], p.codings()["code_path"], strict=True))
    assert got == [("003-intervju", "Føringer/ledelse"), ("andre", "Føringer/ledelse")]


def test_a_code_name_unique_in_the_tree_is_enough_and_an_ambiguous_one_lists_the_paths(
        numbered):
    with qc.open_project(numbered) as p:
        assert p.code("ledelse").path == "Føringer/ledelse"
        assert p.code(" Føringer / tid ").path == "Føringer/tid"
        with pytest.raises(Ambiguous, match="'Barrierer/tid', 'Føringer/tid'"):
            p.code("tid")
        with pytest.raises(Ambiguous):
            p.codings(codes=["tid"])
        with pytest.raises(NotFound, match="closest: 'Føringer/ledelse'"):
            p.code("ledelsen")
    result = run("code", "andre", "tid", "--span", "0:3", "-p", numbered,
                 cwd=numbered.parent, ok=False)
    assert result.stderr.strip().splitlines() == [
        "qualcode: error: code 'tid' is ambiguous: it matches 'Barrierer/tid', "
        "'Føringer/tid'; give the full name or path"]


def test_filters_resolve_the_same_way(numbered):
    with qc.open_project(numbered, coder="ane") as p:
        p.code_span("2", 0, 6, "Barrierer/tid")
        p.code_span(2, 0, 5, "ledelse")
        assert p.codings(sources=["2"])["source"].tolist() == ["2"]
        assert p.codings(sources=[2])["source"].tolist() == ["andre"]
        assert p.codings(codes=["#2"])["code_path"].tolist() == ["Barrierer/tid"]
        assert p.matrix("source", codes=["ledelse"]).index.tolist() == ["andre"]
        with pytest.raises(NotFound, match="no coder 'bjørn'; there are: 'ane'"):
            p.codings(coders=["bjørn"])
        with pytest.raises(NotFound, match="no coder 'bjørn'"):
            p.cooccurrence(coders=["bjørn"])
    out = run("query", "codings", "--code=#2", "--format", "csv", "-p", numbered,
              cwd=numbered.parent).stdout
    assert "Barrierer/tid" in out and "ledelse" not in out


def test_names_that_read_as_ids_are_refused_and_codings_are_given_by_id(numbered):
    with qc.open_project(numbered) as p:
        with pytest.raises(InvalidOperation, match="refers to an id"):
            p.add_source("#7", "x")
        with pytest.raises(InvalidOperation, match="refers to an id"):
            p.add_code("#7")
        coding = p.code_span("andre", 0, 5, "ledelse")
        with pytest.raises(NotFound, match="given by its id"):
            p.coding(str(coding.id))
        assert p.coding(f"#{coding.id}").id == coding.id
    run("uncode", str(coding.id), "-p", numbered, cwd=numbered.parent)
    with qc.open_project(numbered) as p:
        assert p.info()["codings"] == 0


def test_an_object_stands_for_its_own_kind_only(numbered):
    """An object's id is taken only for its own kind: a code passed where a source is asked
    for is an error, not whichever source shares the code's number."""
    with qc.open_project(numbered) as p:
        code = p.code("Føringer/ledelse")
        source = p.source("andre")
        entry = next(e for e in p.source_list() if e.name == "andre")
        assert p.source(entry) == source  # a listed source stands for its source
        assert p.codings_of(entry) == []
        with pytest.raises(InvalidOperation,
                           match=r"a Code \(id \d+\) was given for a source: give the source's "
                                 r"name, its id \(#\d+\) or the source itself"):
            p.source(code)
        with pytest.raises(InvalidOperation, match="a SourceEntry .* was given for a code"):
            p.code(entry)
        with pytest.raises(InvalidOperation, match="a Source .* was given for a case"):
            p.case(source)
        with pytest.raises(InvalidOperation, match="a Code .* was given for a source"):
            p.codings(sources=[code])
        with pytest.raises(InvalidOperation, match="a Source .* was given for a coder"):
            p.known_coder(source)
        group = p.add_group("alle tid", ["Barrierer/tid", "Føringer/tid"])
        assert p.group(group) == group
        assert list(p.matrix("source", codes=[group]).columns) == ["Barrierer/tid",
                                                                   "Føringer/tid"]
        with pytest.raises(InvalidOperation, match="a Code .* was given for a code group"):
            p.group(code)
