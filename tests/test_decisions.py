"""Screening decisions: import, agreement (Cohen's kappa from the k×k table) and the funnel."""

from __future__ import annotations

import pytest
from testkit import run_qualcode, table_dump

import qualcode as qc

# 10 measures judged by kari and ola in screening: both include 4, both exclude 3,
# kari include / ola exclude 2, kari exclude / ola include 1.
PAIRS = ([("include", "include")] * 4 + [("exclude", "exclude")] * 3
         + [("include", "exclude")] * 2 + [("exclude", "include")])


@pytest.fixture
def screening(project):
    for i in range(1, 11):
        project.add_source(f"tiltak{i:02d}", f"Rapportskjema for tiltak {i}.", kind="document")
    project.coder("kari")
    project.coder("ola")
    return project


def write_csv(path, rows, header="source;coder;phase;decision;reason"):
    path.write_text(header + "\n" + "\n".join(";".join(r) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def screening_rows():
    rows = []
    for i, (k, o) in enumerate(PAIRS, 1):
        rows.append((f"tiltak{i:02d}", "kari", "screening", k,
                     "nesten tomt skjema" if k == "exclude" else ""))
        rows.append((f"tiltak{i:02d}", "ola", "screening", o,
                     "ingen dokumentasjon" if o == "exclude" else ""))
    return rows


def test_kappa_of_a_2x2_table_by_hand(screening, tmp_path):
    from qualcode.ingest.decisions import import_decisions

    done = import_decisions(screening, write_csv(tmp_path / "d.csv", screening_rows()))
    assert (done.rows, done.changed) == (20, 20)
    frame = screening.agreement(decisions=True, phase="screening", coders="kari,ola")
    r = frame.iloc[0]
    # p_o = 7/10; kari includes 6, ola 5: p_e = (6*5 + 4*5) / 100 = 0.5; kappa = 0.2 / 0.5
    assert (r.documents, r.observed, r.expected) == (10, pytest.approx(0.7), pytest.approx(0.5))
    assert r.kappa == pytest.approx(0.4)
    table = frame.attrs["tables"]["screening"]
    assert table.loc["include", "include"] == 4 and table.loc["include", "exclude"] == 2
    assert table.loc["exclude", "include"] == 1 and table.loc["exclude", "exclude"] == 3


def test_identical_decisions_give_kappa_one(screening):
    for i, (k, _) in enumerate(PAIRS, 1):
        for coder in ("kari", "ola"):
            screening.decide(f"tiltak{i:02d}", k, phase="screening", coder=coder)
    assert screening.agreement(decisions=True).iloc[0].kappa == 1.0


def test_bad_rows_name_row_and_column_and_change_nothing(screening, tmp_path):
    from qualcode.ingest.decisions import import_decisions

    before = table_dump(screening)
    cases = [
        (("tiltak99", "kari", "screening", "include", ""), "row 3, column 'source'",
         "no source 'tiltak99'"),
        (("tiltak02", "per", "screening", "include", ""), "row 3, column 'coder'",
         "no coder 'per'"),
        (("tiltak02", "kari", "screening", "kanskje", ""), "row 3, column 'decision'",
         "no decision 'kanskje' (decisions: include, exclude)"),
        (("tiltak01", "kari", "screening", "exclude", ""), "row 3, column 'decision'",
         "the same document, coder and phase as row 2"),
    ]
    for bad, where, what in cases:
        path = write_csv(tmp_path / "bad.csv",
                         [("tiltak01", "kari", "screening", "include", ""), bad])
        with pytest.raises(qc.InputError) as caught:
            import_decisions(screening, path)
        assert where in str(caught.value) and what in str(caught.value)
        assert table_dump(screening) == before


def test_funnel_per_coder_and_agreed_with_reasons_and_kappa(screening, tmp_path):
    from qualcode.ingest.decisions import import_decisions

    rows = screening_rows()
    # in-depth: the 4 both included go on; kari and ola agree on 3, one is left undecided
    for i, (k, o) in enumerate([("include", "include"), ("include", "include"),
                                ("exclude", "exclude"), ("include", "exclude")], 1):
        rows.append((f"tiltak{i:02d}", "kari", "in-depth", k, "ikke overførbart" if
                     k == "exclude" else ""))
        rows.append((f"tiltak{i:02d}", "ola", "in-depth", o, "ikke overførbart" if
                     o == "exclude" else ""))
    import_decisions(screening, write_csv(tmp_path / "d.csv", rows))
    funnel = screening.funnel().set_index(["phase", "who"])
    agreed = funnel.loc[("screening", "agreed")]
    assert (agreed.entered, agreed.continued, agreed.left, agreed.undecided) == (10, 4, 3, 3)
    assert agreed.kappa == pytest.approx(0.4)
    assert agreed.reasons == "nesten tomt skjema; ingen dokumentasjon (3)"
    kari = funnel.loc[("screening", "kari")]
    assert (kari.entered, kari.continued, kari.left) == (10, 6, 4)
    assert kari.reasons == "nesten tomt skjema (4)"
    deep = funnel.loc[("in-depth", "agreed")]
    assert (deep.entered, deep.continued, deep.left, deep.undecided) == (4, 2, 1, 1)
    # a consensus coder settles the undecided document
    screening.decide("tiltak04", "include", phase="in-depth", coder="konsensus")
    settled = screening.funnel(agreed_by="konsensus").set_index(["phase", "who"])
    assert settled.loc[("in-depth", "agreed")].continued == 3
    assert settled.loc[("in-depth", "agreed")].kappa == pytest.approx(deep.kappa)


def test_decide_replaces_and_undoes(screening):
    screening.decide("tiltak01", "include", phase="screening", coder="kari")
    screening.decide("tiltak01", "Exclude", phase="screening", coder="kari", reason="tomt")
    assert screening.decision_of("tiltak01", phase="screening", coder="kari") == (
        "exclude", "tomt")
    screening.undo()  # the change of the person at the keyboard (ane), one step
    assert screening.decision_of("tiltak01", phase="screening", coder="kari") == (
        "include", None)
    with pytest.raises(qc.InvalidOperation, match="no decision 'maybe'"):
        screening.decide("tiltak01", "maybe", phase="screening")
    screening.add_decision_option("unclear", en="unclear")
    screening.decide("tiltak02", "unclear", phase="screening")


def test_cli_import_agreement_and_funnel(screening, tmp_path):
    path = screening.path
    screening.close()
    csv = write_csv(tmp_path / "d.csv", screening_rows())
    out = run_qualcode("import", "decisions", csv, "-p", path, cwd=tmp_path).stdout
    assert out.strip() == "read 20 decisions: 20 new or changed"
    table = run_qualcode("agreement", "--decisions", "--phase", "screening", "--coders",
                         "kari,ola", "-p", path, cwd=tmp_path).stdout
    assert "0.4" in table and "kari \\ ola" in table
    csv_out = run_qualcode("funnel", "--format", "csv", "-p", path, cwd=tmp_path).stdout
    assert csv_out.splitlines()[0] == "phase,who,entered,continued,left,undecided,kappa,reasons"
    bad = write_csv(tmp_path / "bad.csv", [("tiltak01", "per", "screening", "include", "")])
    result = run_qualcode("import", "decisions", bad, "-p", path, cwd=tmp_path, ok=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"qualcode: error: {bad}, row 2, column 'coder': no coder "
                                     "'per' in the project (add coders with --add-coders)")


def test_word_report_has_the_funnel_and_agreement_tables(screening, tmp_path):
    from docx import Document

    from qualcode.export.report_docx import excerpts_docx
    from qualcode.ingest.decisions import import_decisions

    import_decisions(screening, write_csv(tmp_path / "d.csv", screening_rows()))
    excerpts_docx(screening, tmp_path / "r.docx")
    doc = Document(str(tmp_path / "r.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert "Screening decisions" in texts
    assert any("observed agreement 0.70, expected 0.50, Cohen's kappa 0.40" in t for t in texts)
    funnel, kappa = doc.tables[-2], doc.tables[-1]
    assert [c.text for c in funnel.rows[0].cells][:3] == ["phase", "who", "entered"]
    agreed = [[c.text for c in r.cells] for r in funnel.rows if r.cells[1].text == "agreed"]
    assert agreed[0][:7] == ["screening", "agreed", "10", "4", "3", "3", "0.40"]
    assert [[c.text for c in r.cells] for r in kappa.rows] == [
        ["first coder \\ second coder", "include", "exclude"], ["include", "4", "2"],
        ["exclude", "1", "3"]]
