"""Importing office-level measures keyed by a case or attribute value."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from testkit import table_dump

from qualcode.errors import InputError
from qualcode.ingest.measures import import_measures

MEASURES = Path(__file__).parents[1] / "corpora" / "hpmt_demo" / "measures.csv"


def test_the_office_measures_file(project):
    report = import_measures(project, MEASURES, "office")
    assert report.added == {"values of 3 measures for 18 office keys": 54}
    assert report.warnings == ["columns of words, not numbers, were not imported as measures: "
                               "'arm'"]
    table = project.measure_table("measures")
    assert table.index.name == "office" and len(table) == 18
    assert table.loc["2"].tolist() == [3.75, 4.0, 11.25]
    assert table.loc["3"].isna().all()
    long = project.measures()
    assert set(long.columns) == {"dataset", "key_name", "key", "name", "value"}
    project.undo()
    assert project.measures().empty


def test_reimport_is_a_no_op_and_other_figures_need_replace(project, tmp_path):
    import_measures(project, MEASURES, "office")
    before = table_dump(project)
    assert import_measures(project, MEASURES, "office").unchanged == ["measures 'measures'"]
    changed = tmp_path / "measures.csv"
    changed.write_text(MEASURES.read_text(encoding="utf-8").replace("3.75,4.00", "3.80,4.00"),
                       encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_measures(project, changed, "office")
    assert str(err.value) == (f"{changed}: the measures dataset 'measures' is already in the "
                              "project with other figures; replace it to update it (use "
                              "--replace)")
    assert table_dump(project) == before
    import_measures(project, changed, "office", replace=True)
    assert project.measure_table("measures").loc["2"].iloc[0] == 3.80


def test_xlsx_semicolon_csv_and_bad_tables(project, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["kontor", "veiledning"])
    book.active.append([2, 11.25])
    book.active.append([4.0, None])
    book.save(tmp_path / "m.xlsx")
    import_measures(project, tmp_path / "m.xlsx", "kontor", dataset="veiledning")
    assert project.measure_table("veiledning").index.tolist() == ["2", "4"]
    before = table_dump(project)
    bad = tmp_path / "bad.csv"
    bad.write_text("kontor;snitt\n2;3,5\n4;ukjent\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.csv, row 3, column 'snitt': 'ukjent' is not a "
                                         r"number, but other cells of this column are$"):
        import_measures(project, bad, "kontor")
    bad.write_text("kontor;snitt\n2;3,5\n2;4\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.csv, row 3, column 'kontor': key '2' occurs "
                                         r"twice \(rows 2 and 3\)$"):
        import_measures(project, bad, "kontor")
    with pytest.raises(InputError, match=r"bad.csv, row 1, column 'office': the column "
                                         r"'office' is missing"):
        import_measures(project, bad, "office")
    assert table_dump(project) == before
