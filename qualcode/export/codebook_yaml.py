"""Write a codebook tree as YAML in the format of docs/codebook-format.md (reads back the same)."""

from __future__ import annotations

from pathlib import Path

import yaml

from qualcode.core.codebook_tree import CodebookTree, CodeNode
from qualcode.export import atomic

CODE_KEYS = ("en", "definition", "include", "exclude", "example", "color")


def _code(node: CodeNode) -> dict:
    out: dict = {"name": node.name}
    if node.en:
        out["en"] = node.en
    if not node.codable:
        out["codable"] = False
    for key in CODE_KEYS[1:]:
        if getattr(node, key):
            out[key] = getattr(node, key)
    if node.patterns:
        out["patterns"] = list(node.patterns)
    if node.children:
        out["children"] = [_code(child) for child in node.children]
    return out


def codebook_yaml(tree: CodebookTree) -> str:
    data: dict = {"codebook": tree.name}
    for key in ("title", "en", "description", "source"):
        if getattr(tree, key):
            data[key] = getattr(tree, key)
    data["codes"] = [_code(node) for node in tree.codes]
    if tree.groups:
        data["groups"] = [{"name": g.name, **({"en": g.en} if g.en else {}),
                           "exclusive": g.exclusive, "codes": list(g.codes)}
                          for g in tree.groups]
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=88,
                     default_flow_style=False)


def write_codebook_yaml(tree: CodebookTree, path: str | Path) -> Path:
    return atomic.write_text(path, codebook_yaml(tree))


class _Dumper(yaml.SafeDumper):
    """Lists of plain words (patterns) on one line; long texts folded, not quoted; list items
    indented under their key, as in the shipped files."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = ">" if len(value) > 80 and "\n" not in value and value == value.strip() else None
    if "\n" in value:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list):
    flow = bool(value) and all(isinstance(v, str) and len(v) < 40 for v in value) and \
        not any("/" in v for v in value)  # group member paths stay one per line
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)
