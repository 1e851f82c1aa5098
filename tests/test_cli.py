"""The command line on a real project file: in-process (run_qualcode), and a few smoke tests in a
real process, as a user runs it (run_qualcode_process)."""

from __future__ import annotations

import json

import pytest
from testkit import run_qualcode as run
from testkit import run_qualcode_process

import qualcode as qc


@pytest.fixture
def folder(tmp_path):
    run("init", "studie.qualcode", cwd=tmp_path)
    with qc.open_project(tmp_path / "studie.qualcode") as p:
        p.add_source("intervju", "IP: Vi får ikke tid, og lederen støtter oss.")
    return tmp_path


def test_init_info_and_the_only_project_in_the_folder_is_found(folder):
    out = run("info", cwd=folder).stdout
    assert "sources  1" in out
    data = json.loads(run("info", "--format", "json", cwd=folder).stdout)
    assert data[0]["sources"] == 1 and data[0]["codings"] == 0


def test_code_by_match_then_list_codes_and_undo(folder):
    run("codes", "add", "Barrierer/tid", "--en", "time", cwd=folder)
    out = run("code", "intervju", "Barrierer/tid", "--match", "ikke tid", "--coder", "ane",
              cwd=folder).stdout
    assert "[11:19]" in out
    rows = json.loads(run("codes", "--format", "json", cwd=folder).stdout)
    tid = next(r for r in rows if r["path"] == "Barrierer/tid")
    assert (tid["codings"], tid["en"]) == (1, "time")
    csv = run("codes", "--format", "csv", cwd=folder).stdout
    assert csv.splitlines()[0].startswith("code_id,path,en")
    assert "nothing to undo" in run("undo", "--coder", "bjørn", cwd=folder).stdout
    assert "undid: code" in run("undo", "--coder", "ane", cwd=folder).stdout
    with qc.open_project(folder / "studie.qualcode") as p:
        assert p.info()["codings"] == 0


def test_code_and_uncode_by_span(folder):
    run("codes", "add", "Føringer/ledelse", cwd=folder)
    run("code", "intervju", "Føringer/ledelse", "--span", "24:44", cwd=folder,
        env={"QUALCODE_CODER": "bjørn"})
    with qc.open_project(folder / "studie.qualcode") as p:
        row = p.codings().iloc[0]
        assert (row.text, row.coder) == ("lederen støtter oss.", "bjørn")
    run("uncode", "intervju", "Føringer/ledelse", "--span", "24:44", "--coder", "bjørn",
        cwd=folder)
    with qc.open_project(folder / "studie.qualcode") as p:
        assert p.info()["codings"] == 0


@pytest.mark.parametrize("args, message", [
    (["code", "intervju", "Finnes/ikke", "--span", "0:3"], "no code 'Finnes/ikke'"),
    (["code", "intervju", "tid", "--span", "tre"], "write START:END"),
    (["code", "nei", "tid", "--span", "0:3"], "no source 'nei'"),
    (["code", "intervju", "tid", "--span", "0:999"], "outside"),
])
def test_bad_input_exits_non_zero_with_one_line(folder, args, message):
    run("codes", "add", "tid", cwd=folder)
    result = run(*args, cwd=folder, ok=False)
    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_deleting_a_code_with_codings_is_refused_with_the_option_that_allows_it(folder):
    run("codes", "add", "Barrierer/tid", cwd=folder)
    run("code", "intervju", "Barrierer/tid", "--match", "ikke tid", cwd=folder)
    result = run("codes", "delete", "Barrierer", cwd=folder, ok=False)
    assert result.returncode != 0
    assert "--codings delete" in result.stderr
    with qc.open_project(folder / "studie.qualcode") as p:
        assert p.info()["codings"] == 1


def test_project_is_found_by_option_env_or_refused(tmp_path):
    run("init", "a.qualcode", cwd=tmp_path)
    run("init", "b", cwd=tmp_path)
    assert (tmp_path / "b.qualcode").exists()
    refused = run("info", cwd=tmp_path, ok=False)
    assert "2 *.qualcode files here" in refused.stderr
    assert "name     a" in run("info", "-p", "a.qualcode", cwd=tmp_path).stdout
    assert "name     b" in run("info", cwd=tmp_path,
                               env={"QUALCODE_PROJECT": "b.qualcode"}).stdout


def test_every_verb_has_help(tmp_path):
    top = run("--help", cwd=tmp_path).stdout
    for verb in ("init", "info", "codes", "code", "uncode", "undo", "redo", "history"):
        assert verb in top
        assert "Usage:" in run(verb, "--help", cwd=tmp_path).stdout


def test_a_real_process_runs_verbs_and_reports_errors_in_one_line(tmp_path):
    """What only a process shows: the entry point, exit codes, stderr, no standard input."""
    assert "Usage: qualcode" in run_qualcode_process("--help", cwd=tmp_path).stdout
    run_qualcode_process("init", "studie.qualcode", cwd=tmp_path)
    assert "sources" in run_qualcode_process("info", cwd=tmp_path).stdout
    refused = run_qualcode_process("code", "nothing", "tid", "--span", "0:4", cwd=tmp_path,
                                   ok=False)
    assert refused.returncode == 1
    assert refused.stderr.startswith("qualcode: error: ")
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr


def test_a_table_printed_to_a_pipe_keeps_its_headers_whole(capsys):
    import pandas as pd

    from qualcode.cli.common import print_frame

    names = ["forms", "tools planned", "tools used", "principles", "mean gjennomfort_som_tenkt",
             "mean mal_oppnadd", "kommentar1 filled", "kommentar1 filled %",
             "kommentar2 filled", "kommentar2 filled %"]  # the fidelity summary's columns
    print_frame(pd.DataFrame([list(range(len(names)))] * 3, columns=names), "table")
    header = capsys.readouterr().out.splitlines()[0]
    assert all(name in header for name in names)  # one line each, not folded
