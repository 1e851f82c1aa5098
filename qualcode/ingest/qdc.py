"""Read the codebook of a REFI-QDA codebook (.qdc) or project (.qdpx, its project.qde) as a tree.

Files come from many tools, so reading is lenient: elements are matched by local name in either
REFI-QDA namespace, names are made usable as paths ("/" becomes "-", twin siblings are numbered),
and every such adjustment is listed in the tree's notes. Descriptions written in our layout give
back definition, rules, example, English label and patterns; others become the definition.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from qualcode.core.codebook import machine_name
from qualcode.core.codebook_tree import (
    CodebookTree,
    CodeNode,
    GroupSpec,
    parse_description,
    parse_group_description,
)
from qualcode.core.model import PATH_SEP
from qualcode.errors import InputError
from qualcode.ingest.archive import SafeArchive

MAX_DEPTH = 100  # levels of codes within codes
COLOR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?$")


def read_qdc(path: str | Path, *, name: str | None = None) -> CodebookTree:
    """The codebook in a .qdc or .qdpx file. `name`: the codebook's machine name (default:
    from the file name)."""
    path = Path(path)
    return codebook_of(_root(path), path, name=machine_name(name or path.stem))


def codebook_of(root, path: Path, *, name: str, required: bool = True) -> CodebookTree:
    """The codebook (with its code sets as groups) of a parsed <CodeBook> or <Project>. A
    project without codes gives an empty tree unless `required`."""
    codebook = _child(root, "CodeBook") if _local(root) == "Project" else root
    if not required and (codebook is None or _child(codebook, "Codes") is None):
        return CodebookTree(name=name)
    if codebook is None or _local(codebook) != "CodeBook":
        raise InputError(path, "no <CodeBook> in this file")
    codes = _child(codebook, "Codes")
    if codes is None or _child(codes, "Code") is None:
        raise InputError(path, "the codebook has no codes")
    _check_depth(codes, path)
    tree = CodebookTree(name=name)
    by_guid: dict[str, str] = {}  # guid -> path, to resolve set members
    tree.codes = _codes(codes, "", tree, by_guid)
    sets = _child(codebook, "Sets") if _local(root) == "CodeBook" else _child(root, "Sets")
    for element in _children(sets, "Set") if sets is not None else []:
        refs = [(m.get("guid") or m.get("targetGUID") or "").strip("{}").lower()  # .qdc: guid,
                for m in _children(element, "MemberCode")]  # .qdpx: targetGUID
        members = [by_guid[r] for r in refs if r in by_guid]
        if not members:
            continue  # a set of sources only, or of codes not in this codebook
        desc = parse_group_description(_description(element))
        tree.groups.append(GroupSpec(name=(element.get("name") or "set").strip(),
                                     codes=list(dict.fromkeys(members)), en=desc.get("en"),
                                     exclusive=desc["exclusive"],
                                     guid=_valid_guid(element.get("guid"))))
    return tree


def _check_depth(codes, path: Path) -> None:
    """Refuse codes nested deeper than MAX_DEPTH (the reading is recursive; a hostile file
    1,500 levels deep would end in Python's recursion limit)."""
    stack = [(codes, 0)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(path, f"codes nested more than {MAX_DEPTH} levels deep; no "
                                   "codebook needs that many", line=element.sourceline)
        stack += [(child, depth + 1) for child in _children(element, "Code")]


def _root(path: Path) -> etree._Element:
    if path.suffix.lower() == ".qdpx":  # the project's codebook, read as safely as an import
        with SafeArchive(path) as archive:
            return archive.project_root()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.parse(str(path), parser).getroot()
    except OSError:
        raise InputError(path, "cannot be read" if path.exists() else "no such file") from None
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"not valid XML: {exc.msg}", line=exc.lineno) from None


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element, local: str) -> list:
    return [c for c in element if _local(c) == local]


def _child(element, local: str):
    found = _children(element, local)
    return found[0] if found else None


def _description(element) -> str | None:
    desc = _child(element, "Description")
    return desc.text if desc is not None else None


def _valid_guid(value: str | None) -> str | None:
    return value.strip("{}").lower() if value and GUID.match(value.strip()) else None


def _codes(parent, prefix: str, tree: CodebookTree, by_guid: dict[str, str]) -> list[CodeNode]:
    nodes: list[CodeNode] = []
    taken: set[str] = set()
    for element in _children(parent, "Code"):
        raw = (element.get("name") or "").strip()
        name = raw.replace(PATH_SEP, "-") or "unnamed"
        base, n = name, 2
        while name in taken:
            name, n = f"{base} ({n})", n + 1
        taken.add(name)
        path = f"{prefix}{PATH_SEP}{name}" if prefix else name
        if name != raw:
            tree.notes.append(f"{path}: named {raw!r} in the file" if raw else
                              f"{path}: a code without a name in the file")
        guid = _valid_guid(element.get("guid"))
        if guid in by_guid:
            tree.notes.append(f"{path}: its GUID is also used by {by_guid[guid]}; given a new one")
            guid = None
        if guid:
            by_guid[guid] = path
        color = (element.get("color") or "").strip()
        if color and not COLOR.match(color):
            tree.notes.append(f"{path}: colour {color!r} ignored")
            color = ""
        fields = parse_description(_description(element))
        nodes.append(CodeNode(
            name=name, guid=guid, color=color or None,
            codable=(element.get("isCodable") or "true").strip().lower() not in ("false", "0"),
            en=fields.get("en"), definition=fields.get("definition"),
            include=fields.get("include"), exclude=fields.get("exclude"),
            example=fields.get("example"), patterns=fields.get("patterns", []),
            children=_codes(element, path, tree, by_guid)))
    return nodes
