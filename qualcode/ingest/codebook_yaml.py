"""Read and check a YAML codebook (format: docs/codebook-format.md).

`check_codebook` reports every problem, each with the file, the line and the path of the code in
the tree (`Barrierer og føringer/organisering/ledelse: color "#12" is not a colour`). The shape is
checked with a JSON Schema; names, paths and groups by the rules after it. `read_codebook`
returns the tree (core.codebook_tree) when there are no problems.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml

from qualcode.core.codebook_tree import CodebookTree, CodeNode, GroupSpec
from qualcode.core.model import PATH_SEP
from qualcode.errors import QualcodeError
from qualcode.ingest.yaml_keys import load_with_lines, unknown_key

COLOR_PATTERN = "^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$"
NAME_PATTERN = "^[a-z0-9][a-z0-9_-]*$"
TEXT = {"type": "string"}
CODE_TEXTS = ("en", "definition", "include", "exclude", "example")

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "qualcode codebook",
    "type": "object",
    "required": ["codebook", "codes"],
    "additionalProperties": False,
    "properties": {
        "codebook": {"type": "string", "pattern": NAME_PATTERN},
        "title": TEXT, "en": TEXT, "description": TEXT, "source": TEXT,
        "codes": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/code"}},
        "groups": {"type": "array", "items": {"$ref": "#/$defs/group"}},
    },
    "$defs": {
        "code": {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string"},
                **{key: TEXT for key in CODE_TEXTS},
                "color": {"type": "string", "pattern": COLOR_PATTERN},
                "codable": {"type": "boolean"},
                "patterns": {"type": "array", "items": {"type": "string", "minLength": 1}},
                "children": {"type": "array", "items": {"$ref": "#/$defs/code"}},
            },
        },
        "group": {
            "type": "object",
            "required": ["name", "codes"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "en": TEXT,
                "exclusive": {"type": "boolean"},
                "codes": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            },
        },
    },
}
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
TYPE_WORDS = {"string": "text", "boolean": "true or false", "array": "a list",
              "object": "a mapping (key: value)"}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    where: str  # path of the code in the tree, "groups/<name>", or "" for the whole file
    message: str

    def __str__(self) -> str:
        at = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{at}: {self.where}: {self.message}" if self.where else f"{at}: {self.message}"


class CodebookProblems(QualcodeError):
    """A codebook file with problems; `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more; see `qualcode codebook check`)" \
            if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


def read_codebook(path: str | Path, *, strict: bool = False) -> CodebookTree:
    """The codebook in a YAML file, or CodebookProblems naming every problem."""
    problems, data = _check(Path(path), strict)
    if problems:
        raise CodebookProblems(problems)
    return _tree(data)


def check_codebook(path: str | Path, *, strict: bool = False) -> list[Problem]:
    """Every problem in a YAML codebook. `strict`: also the rules for shipped codebooks (one
    top-level category; definition, include, exclude and example on every codable code;
    lowercase patterns)."""
    return _check(Path(path), strict)[0]


# -- checking ---------------------------------------------------------------------------------
def _check(path: Path, strict: bool) -> tuple[list[Problem], object]:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return [Problem(file, None, "", "no such file")], None
    except UnicodeDecodeError as exc:
        return [Problem(file, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")], \
            None
    try:
        data, lines = load_with_lines(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return [Problem(file, mark.line + 1 if mark else None, "",
                        f"not valid YAML: {exc.problem or exc.context}")], None
    if not isinstance(data, dict):
        return [Problem(file, 1, "", "a codebook is a mapping with 'codebook:' and 'codes:'")], \
            data
    problems = [Problem(file, line, _where(data, p), msg) for p, line, msg in lines.duplicates]
    for error in VALIDATOR.iter_errors(data):
        at = tuple(error.absolute_path)
        for key_path, message in _explain(error):
            problems.append(Problem(file, lines.line(key_path or at), _where(data, at), message))
    problems += [Problem(file, lines.line(at), _where(data, at), msg)
                 for at, msg in _rules(data, strict)]
    problems.sort(key=lambda p: (p.line or 0, p.where, p.message))
    return list(dict.fromkeys(problems)), data


def _where(data, at: tuple) -> str:
    """The tree path of the code (or group) that a data path points into."""
    if not at or at[0] not in ("codes", "groups") or len(at) < 2:
        return ""
    if at[0] == "groups":
        group = data["groups"][at[1]] if isinstance(data.get("groups"), list) else None
        name = group.get("name") if isinstance(group, dict) else None
        return f"groups/{name if isinstance(name, str) else f'<group {at[1] + 1}>'}"
    names, nodes, i = [], data.get("codes"), 1
    while i < len(at) and isinstance(at[i], int) and isinstance(nodes, list) \
            and at[i] < len(nodes):
        node = nodes[at[i]]
        name = node.get("name") if isinstance(node, dict) else None
        names.append(name.strip() if isinstance(name, str) else f"<code {at[i] + 1}>")
        if i + 2 < len(at) and at[i + 1] == "children" and isinstance(node, dict):
            nodes, i = node.get("children"), i + 2
        else:
            break
    return PATH_SEP.join(names)


def _explain(error: jsonschema.ValidationError) -> list[tuple[tuple | None, str]]:
    """Messages in our words; each with the data path of the key to point at, if not the
    error's own place."""
    at, value = tuple(error.absolute_path), error.instance
    key = at[-1] if at else None
    if error.validator == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        return [((*at, "key:", extra), unknown_key(extra, known))
                for extra in sorted(set(value) - set(known), key=str)]
    if error.validator == "required":
        return [(None, f"missing {name!r}") for name in error.validator_value
                if name not in value]
    if error.validator == "pattern" and key == "color":
        return [(None, f'color "{value}" is not a colour (write "#rrggbb" or "#rgb")')]
    if error.validator == "pattern" and key == "codebook":
        return [(None, f'codebook name "{value}" must be lowercase letters, digits, "_" or "-" '
                       "(it is the machine name)")]
    if error.validator == "type":
        wanted = TYPE_WORDS.get(error.validator_value, error.validator_value)
        label = f"{key}" if isinstance(key, str) else "each item"
        hint = " (put it in quotes)" if wanted == "text" and value is not None else ""
        return [(None, f"{label} must be {wanted}, not {_yaml_repr(value)}{hint}")]
    if error.validator == "minItems":
        return [(None, f"{key} is empty")]
    if error.validator == "minLength":
        return [(None, "an empty entry")]
    return [(None, error.message)]


def _yaml_repr(value) -> str:
    if value is None:
        return "empty"
    return f"{type(value).__name__} {value!r}" if not isinstance(value, dict | list) else \
        TYPE_WORDS["object" if isinstance(value, dict) else "array"]


def _rules(data: dict, strict: bool) -> list[tuple[tuple, str]]:
    """What the schema cannot say: names, unique siblings, groups that resolve; strict rules."""
    out: list[tuple[tuple, str]] = []
    paths: dict[str, dict] = {}

    def visit(nodes, at: tuple, prefix: str) -> None:
        if not isinstance(nodes, list):
            return
        first_line_of: dict[str, tuple] = {}
        for i, node in enumerate(nodes):
            if not isinstance(node, dict):
                continue
            here = (*at, i)
            name = node.get("name")
            if isinstance(name, str):
                name = name.strip()
                if not name:
                    out.append(((*here, "name"), "name is empty"))
                    continue
                if PATH_SEP in name:
                    out.append(((*here, "name"), f'name "{name}" contains "/", which separates '
                                                 'paths (write e.g. "AI-5D")'))
                if name in first_line_of:
                    out.append(((*here, "name"), f'two codes named "{name}" under '
                                                 f'{prefix or "the top level"}'))
                first_line_of[name] = here
                path = f"{prefix}{PATH_SEP}{name}" if prefix else name
                paths.setdefault(path, node)
            else:
                path = None
            if strict:
                out.extend(_strict_code_rules(node, here))
            if path is not None:
                visit(node.get("children"), (*here, "children"), path)

    visit(data.get("codes"), ("codes",), "")
    if strict and isinstance(data.get("codes"), list):
        tops = data["codes"]
        if len(tops) != 1 or not isinstance(tops[0], dict) or tops[0].get("codable", True):
            out.append((("codes",), "a shipped codebook has exactly one top-level code, a "
                                    "category (codable: false) named after the framework"))
    groups = data.get("groups")
    if isinstance(groups, list):
        seen_groups: set[str] = set()
        for i, group in enumerate(groups):
            if not isinstance(group, dict):
                continue
            name = group.get("name")
            if isinstance(name, str):
                if name.strip() in seen_groups:
                    out.append((("groups", i, "name"), f'two groups named "{name.strip()}"'))
                seen_groups.add(name.strip())
            members = group.get("codes")
            if not isinstance(members, list):
                continue
            seen: set[str] = set()
            for j, member in enumerate(members):
                if not isinstance(member, str):
                    continue
                member = _clean_path(member)
                if member in seen:
                    out.append((("groups", i, "codes", j), f'code "{member}" is listed twice'))
                seen.add(member)
                if member not in paths:
                    near = difflib.get_close_matches(member, list(paths), n=1)
                    did = f' (did you mean "{near[0]}"?)' if near else ""
                    out.append((("groups", i, "codes", j),
                                f'code "{member}" is not in this codebook{did}'))
                elif strict and paths[member].get("codable", True) is False:
                    out.append((("groups", i, "codes", j),
                                f'code "{member}" is a category (codable: false); a group '
                                "holds codes that can be coded"))
    return out


def _strict_code_rules(node: dict, at: tuple) -> list[tuple[tuple, str]]:
    out = []
    if node.get("codable", True) is not False:
        missing = [k for k in ("definition", "include", "exclude", "example")
                   if not (isinstance(node.get(k), str) and node[k].strip())]
        if missing:
            out.append((at, f"a codable code in a shipped codebook needs {', '.join(missing)}"))
    patterns = node.get("patterns")
    if isinstance(patterns, list):
        for j, pattern in enumerate(patterns):
            if isinstance(pattern, str) and pattern != pattern.lower():
                out.append(((*at, "patterns", j), f'pattern "{pattern}" is not lowercase'))
    return out


def _clean_path(path: str) -> str:
    return PATH_SEP.join(part.strip() for part in path.split(PATH_SEP))


# -- building the tree ------------------------------------------------------------------------
def _text(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _node(data: dict) -> CodeNode:
    return CodeNode(
        name=data["name"].strip(),
        **{key: _text(data.get(key)) for key in CODE_TEXTS},
        color=data.get("color"),
        codable=data.get("codable", True),
        patterns=[p.strip() for p in data.get("patterns") or []],
        children=[_node(child) for child in data.get("children") or []],
    )


def _tree(data: dict) -> CodebookTree:
    return CodebookTree(
        name=data["codebook"],
        title=_text(data.get("title")), en=_text(data.get("en")),
        description=_text(data.get("description")), source=_text(data.get("source")),
        codes=[_node(code) for code in data["codes"]],
        groups=[GroupSpec(name=g["name"].strip(), codes=[_clean_path(p) for p in g["codes"]],
                          en=_text(g.get("en")), exclusive=g.get("exclusive", True))
                for g in data.get("groups") or []],
    )
