"""The YAML codebook format: every shipped codebook is valid; every problem is reported with
file, line and its path in the tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.export.codebook_yaml import codebook_yaml
from qualcode.ingest.codebook_yaml import CodebookProblems, check_codebook, read_codebook
from qualcode.ingest.shipped import bundled_path, shipped_codebooks

SHIPPED = sorted(shipped_codebooks().items())

BAD = """\
codebook: barrierer
codes:
  - name: barrierer
    codable: false
    children:
      - name: organisering
        codable: false
        children:
          - name: ledelse
            color: "#12"
          - name: tid
            defintion: for lite tid
          - name: tid
          - name: AI/5D
          - name: 2011
            codable: nei
groups:
  - name: valens
    codes: [barrierer/organisering/ledelse, barrierer/organisering/ledelsen]
  - name: nivå
    codes: [barrierer/organisering]
"""


def write(tmp_path: Path, text: str, name: str = "bok.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_all_seven_shipped_codebooks_are_found():
    assert {"dreyfus", "fidelity_carroll", "hpmt_fidelity", "barrierer_foringer", "cfir2022",
            "holf", "lovende_metoder"} <= set(shipped_codebooks())
    assert bundled_path("codebooks") == Path(__file__).resolve().parents[1] / "codebooks"


@pytest.mark.parametrize(("name", "path"), SHIPPED, ids=[n for n, _ in SHIPPED])
def test_shipped_codebook_passes_the_strict_check(name, path):
    assert [str(p) for p in check_codebook(path, strict=True)] == []
    tree = read_codebook(path)
    assert tree.name == name  # the machine name is the file's name
    assert len(tree.codes) == 1 and not tree.codes[0].codable
    leaves = [(p, n) for p, n in tree.walk() if n.codable]
    assert leaves and all(n.definition and n.include and n.exclude and n.example
                          for _, n in leaves)


def test_every_problem_is_reported_with_line_and_path(tmp_path):
    path = write(tmp_path, BAD)
    lines = [str(p) for p in check_codebook(path)]
    assert f'{path}, line 10: barrierer/organisering/ledelse: color "#12" is not a colour ' \
           '(write "#rrggbb" or "#rgb")' in lines
    assert f"{path}, line 12: barrierer/organisering/tid: unknown key 'defintion' " \
           "(did you mean 'definition'?); allowed here: name, en, definition, include, " \
           "exclude, example, color, codable, patterns, children" in lines
    assert f'{path}, line 13: barrierer/organisering/tid: two codes named "tid" under ' \
           'barrierer/organisering' in lines
    assert any(line.startswith(f"{path}, line 14: barrierer/organisering/AI/5D: name ")
               and 'contains "/"' in line for line in lines)
    assert any(line.startswith(f"{path}, line 15: barrierer/organisering/<code 5>: name must "
                               "be text") for line in lines)
    assert f"{path}, line 16: barrierer/organisering/<code 5>: codable must be true or false, " \
           "not str 'nei'" in lines
    assert any(line.startswith(f'{path}, line 19: groups/valens: code "barrierer/organisering/'
                               'ledelsen" is not in this codebook') for line in lines)
    assert len(lines) == 7
    category = f'{path}, line 21: groups/nivå: code "barrierer/organisering" is a category'
    assert not any(line.startswith(category) for line in lines)
    assert any(line.startswith(category) for line in map(str, check_codebook(path, strict=True)))


def test_reading_a_bad_file_raises_with_the_first_problem_and_the_count(tmp_path):
    path = write(tmp_path, BAD)
    with pytest.raises(CodebookProblems) as info:
        read_codebook(path)
    assert len(info.value.problems) == 7
    assert str(info.value).startswith(f'{path}, line 10: barrierer/organisering/ledelse: color')
    assert "(and 6 more" in str(info.value)


def test_strict_rules_for_shipped_codebooks(tmp_path):
    path = write(tmp_path, "codebook: x\ncodes:\n  - name: a\n    patterns: [Tid]\n"
                           "  - name: b\n    definition: d\n")
    assert check_codebook(path) == []
    lines = [str(p) for p in check_codebook(path, strict=True)]
    assert f"{path}, line 3: a codable code in a shipped codebook needs definition, include, " \
           "exclude, example" not in lines  # that one is per code, with its path:
    assert f"{path}, line 3: a: a codable code in a shipped codebook needs definition, " \
           "include, exclude, example" in lines
    assert f"{path}, line 5: b: a codable code in a shipped codebook needs include, exclude, " \
           "example" in lines
    assert f'{path}, line 4: a: pattern "Tid" is not lowercase' in lines
    assert any("exactly one top-level code" in line for line in lines)


@pytest.mark.parametrize(("text", "expected"), [
    ("codes: [1, 2", "not valid YAML"),
    ("- a\n- b\n", "a codebook is a mapping"),
    ("codebook: x\n", "missing 'codes'"),
    ("codebook: x\ncodes: []\n", "codes is empty"),
    ("codebook: x\ncodebook: y\ncodes:\n  - name: a\n", "key 'codebook' appears twice"),
])
def test_malformed_files_name_the_problem(tmp_path, text, expected):
    problems = check_codebook(write(tmp_path, text))
    assert problems and expected in str(problems[0])
    assert problems[0].line is not None


def test_a_missing_file_is_one_problem(tmp_path):
    problems = check_codebook(tmp_path / "nei.yaml")
    assert [str(p) for p in problems] == [f"{tmp_path / 'nei.yaml'}: no such file"]


@pytest.mark.parametrize(("name", "path"), SHIPPED, ids=[n for n, _ in SHIPPED])
def test_yaml_writer_round_trips_the_tree(tmp_path, name, path):
    tree = read_codebook(path)
    again = read_codebook(write(tmp_path, codebook_yaml(tree), f"{name}.yaml"))
    assert again == tree


def test_project_with_awkward_names_exports_yaml_that_checks_and_reads_back(project, tmp_path):
    top = project.add_code("Temaer", codable=False)
    for name in ["2011", "ja", "null", "- strek", "#emneknagg", "a: b", "«sitat»"]:
        project.add_code(name, top, en="yes", description="Linje 1\nLinje 2")
    project.add_group("gruppe", ["Temaer/ja", "Temaer/2011"], exclusive=False)
    tree = project.codebook_tree()
    path = write(tmp_path, codebook_yaml(tree))
    assert check_codebook(path) == []
    back = read_codebook(path)
    assert [(p, n.name, n.en, n.definition) for p, n in back.walk()] == \
           [(p, n.name, n.en, n.definition) for p, n in tree.walk()]
    assert [(g.name, g.exclusive, g.codes) for g in back.groups] == \
           [("gruppe", False, ["Temaer/ja", "Temaer/2011"])]


def test_every_object_in_the_codebook_schema_refuses_unknown_keys():
    from qualcode.ingest.codebook_yaml import SCHEMA

    objects = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                objects.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(SCHEMA)
    assert len(objects) == 3  # the file, a code, a group
    assert all(o.get("additionalProperties") is False for o in objects)


def test_misspelt_keys_at_every_level_name_the_key_its_place_and_the_keys_allowed(tmp_path):
    path = write(tmp_path, """\
codebook: bok
titel: Bok
codes:
  - name: a
    children:
      - name: b
        exlude: ikke c
groups:
  - name: g
    exclusiv: true
    codes: [a/b]
""")
    assert [str(p) for p in check_codebook(path)] == [
        f"{path}, line 2: unknown key 'titel' (did you mean 'title'?); allowed here: codebook, "
        "title, en, description, source, codes, groups",
        f"{path}, line 7: a/b: unknown key 'exlude' (did you mean 'exclude'?); allowed here: "
        "name, en, definition, include, exclude, example, color, codable, patterns, children",
        f"{path}, line 10: groups/g: unknown key 'exclusiv' (did you mean 'exclusive'?); "
        "allowed here: name, en, exclusive, codes",
    ]
