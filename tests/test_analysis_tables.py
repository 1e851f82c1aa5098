"""Matrices (attribute values × codes) and group tables, checked against hand counts."""

from __future__ import annotations

import pandas as pd
import pytest

import qualcode as qc

T1 = ("I: Hvordan var opplæringen?\n"
      "IP: For mye på en gang. Jeg følte meg som en nybegynner igjen.\n"
      "I: Og lederen?\n"
      "IP: Hun ga oss tid, det hjalp.\n")
T2 = ("IP: Nå kombinerer jeg verktøyene uten å tenke på reglene.\n"
      "IP: Men tiden strekker ikke til.\n")


@pytest.fixture
def study(project):
    """Two offices, three sources; themes with a valence group and Dreyfus stages."""
    p = project
    for office, arm in ((2, "tiltak"), (5, "tiltak")):
        case = p.add_case(f"kontor{office:02d}", "office")
        p.set_attributes({"office": office, "arm": arm}, case=case)
    a = p.add_case("kontor02-A", "person", parent="kontor02")
    p.set_attribute("role", "KVP-veileder", case=a)
    b = p.add_case("kontor05-B", "person", parent="kontor05")
    p.set_attribute("role", "HPMT-veileder", case=b)
    s1 = p.add_source("a_T1", T1, case=a)
    p.set_attribute("time", "T1", source=s1)
    s2 = p.add_source("a_T2", T2, case=a)
    p.set_attribute("time", "T2", source=s2)
    s3 = p.add_source("b_T2", T1, case=b)
    p.set_attribute("time", "T2", source=s3)
    themes = p.add_code("Tema", codable=False)
    training = p.add_code("opplæring", themes)
    too_much = p.add_code("for mye", training)
    lead = p.add_code("ledelse", themes)
    time = p.add_code("tid", themes)
    valence = p.add_code("valens", codable=False)
    promotes, hinders = p.add_code("fremmer", valence), p.add_code("hemmer", valence)
    p.add_group("valens", [promotes, hinders])
    stages = p.add_code("Dreyfus", codable=False)
    novice, competent = p.add_code("nybegynner", stages), p.add_code("kompetent", stages)
    p.add_group("dreyfus-stadium", [novice, competent])

    def code(src, phrase, *codes):
        start = src.text.index(phrase)
        for c in codes:
            p.code_span(src, start, start + len(phrase), c)

    code(s1, "For mye på en gang.", too_much, hinders)
    code(s1, "Jeg følte meg som en nybegynner igjen.", novice)
    code(s1, "Hun ga oss tid, det hjalp.", lead, promotes)
    code(s2, "Nå kombinerer jeg verktøyene uten å tenke på reglene.", competent)
    code(s2, "Men tiden strekker ikke til.", time, hinders)
    code(s3, "For mye på en gang.", training, hinders)
    code(s3, "Jeg følte meg som en nybegynner igjen.", novice)
    return p


def test_matrix_of_roles_by_codes(study):
    counts = study.matrix("role")
    assert list(counts.index) == ["HPMT-veileder", "KVP-veileder"]
    assert counts.loc["KVP-veileder", "valens/hemmer"] == 2
    assert counts.loc["HPMT-veileder", "Tema/opplæring"] == 1
    assert counts.loc["HPMT-veileder", "Tema/opplæring/for mye"] == 0
    rolled = study.matrix("office", codes=["Tema/opplæring", "valens/hemmer"], roll_up=True)
    assert rolled.loc["2"].tolist() == [1, 2] and rolled.loc["5"].tolist() == [1, 1]
    sources = study.matrix(["role", "time"], value="sources", codes=["valens/hemmer"])
    assert sources.loc[("KVP-veileder", "T1"), "valens/hemmer"] == 1
    assert sources.loc[("KVP-veileder", "T2"), "valens/hemmer"] == 1
    by_case = study.matrix("case", codes=["Dreyfus/nybegynner"])
    assert by_case["Dreyfus/nybegynner"].to_dict() == {"kontor02-A": 1, "kontor05-B": 1}


def test_framework_matrix_holds_the_excerpts(study):
    frame = study.matrix("role", value="excerpts", codes=["valens/hemmer"])
    assert frame.loc["KVP-veileder", "valens/hemmer"] == [
        "For mye på en gang.", "Men tiden strekker ikke til."]
    assert frame.loc["HPMT-veileder", "valens/hemmer"] == ["For mye på en gang."]
    with pytest.raises(qc.InvalidOperation, match="no source has the attribute 'kommune'"):
        study.matrix("kommune")


def test_theme_by_valence_table(study):
    table = study.group_table("Tema", "valens")
    assert list(table.columns) == ["fremmer", "hemmer"]
    assert table.loc["opplæring"].tolist() == [0, 2]  # "for mye" counts under opplæring
    assert table.loc["ledelse"].tolist() == [1, 0]
    assert table.loc["tid"].tolist() == [0, 1]


def test_dreyfus_stage_by_role_and_time(study):
    table = study.group_table("dreyfus-stadium", by=["role", "time"])
    assert table.loc["nybegynner", ("KVP-veileder", "T1")] == 1
    assert table.loc["nybegynner", ("HPMT-veileder", "T2")] == 1
    assert table.loc["kompetent", ("KVP-veileder", "T2")] == 1
    assert table.loc["kompetent", ("KVP-veileder", "T1")] == 0
    assert int(table.to_numpy().sum()) == 3
    # a group's name stands for its members wherever codes are asked for
    by_role = study.matrix("role", codes=["dreyfus-stadium"])
    assert list(by_role.columns) == ["Dreyfus/nybegynner", "Dreyfus/kompetent"]
    assert by_role.loc["KVP-veileder"].tolist() == [1, 1]
    with pytest.raises(qc.NotFound, match="no code or code group 'stadier'"):
        study.matrix("role", codes=["stadier"])
    with pytest.raises(qc.InvalidOperation, match="either columns"):
        study.group_table("Tema")


def test_matrix_by_an_attribute_only_uncoded_sources_hold(study):
    """The matrix reads the attributes of the coded sources only; a name that only an
    uncoded source holds is still an attribute (every coded source is "(not set)"), not
    the error a misspelt name gets."""
    uncoded = study.add_source("c_T3", "IP: Ingen koding her.\n")
    study.set_attribute("kommune", "Bergen", source=uncoded)
    counts = study.matrix("kommune", codes=["valens/hemmer"])
    assert counts.to_dict() == {"valens/hemmer": {"(not set)": 3}}
    by_source = study.matrix("source", codes=["valens/hemmer"])
    assert by_source["valens/hemmer"].to_dict() == {"a_T1": 1, "a_T2": 1, "b_T2": 1}


def test_source_attributes_of_some_sources_keep_every_column(study):
    from qualcode.analysis.frames import source_attributes

    uncoded = study.add_source("c_T3", "IP: Ingen koding her.\n")
    study.set_attribute("kommune", "Bergen", source=uncoded)
    every = source_attributes(study.db)
    first = int(every.index[0])
    some = source_attributes(study.db, [first])
    assert list(some.columns) == list(every.columns)  # "kommune" too
    assert list(some.index) == [first]
    # the same values (a column of one row may take a narrower type: 2 where all have 2.0)
    pd.testing.assert_series_equal(some.loc[first], every.loc[first], check_dtype=False)
