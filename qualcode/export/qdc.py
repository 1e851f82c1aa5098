"""Write a codebook as a REFI-QDA codebook (.qdc), valid against Codebook.xsd.

Categories are codes with isCodable="false"; the definition, rules, example, English label and
patterns go into <Description> in the layout of core.codebook_tree.describe; groups are <Sets>.
No empty elements are written: a code without texts has no <Description>, a codebook without
groups no <Sets>. GUIDs come from the tree (the project's guid column), so they are the same in
every export; codes without one get a GUID derived from codebook name and path.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from lxml import etree

import qualcode
from qualcode.core.codebook_tree import CodebookTree, CodeNode, describe, describe_group
from qualcode.core.model import PATH_SEP
from qualcode.core.textrules import xml_safe
from qualcode.errors import QualcodeError
from qualcode.export import atomic

NS = "urn:QDA-XML:codebook:1.0"
SCHEMA_PATH = Path(__file__).with_name("schemas") / "Codebook.xsd"
GUID_NAMESPACE = uuid.UUID("5b0f3d4e-2a7c-4f61-9a55-7f1c2c6de4a1")  # for codes without a GUID
_schema = None


def codebook_schema():
    """The Codebook.xsd validator (xmlschema, loaded on first use: the .qdpx writer shares
    this module's code writer and need not pay for it)."""
    import xmlschema

    global _schema
    if _schema is None:
        _schema = xmlschema.XMLSchema(str(SCHEMA_PATH))
    return _schema


def _guid(given: str | None, *parts: str) -> str:
    if given:
        return given.strip("{}")
    return str(uuid.uuid5(GUID_NAMESPACE, PATH_SEP.join(parts)))


def add_codes(codes: etree._Element, tree: CodebookTree, ns: str, *,
              notes: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Write the tree's codes into the <Codes> element `codes` of namespace `ns` (codebook or
    project): Description first, then NoteRefs (`notes`: code GUID -> note GUIDs), then the
    child codes, as the schemas order them. Returns {path: GUID}. With `ns` "", the elements
    have plain tags (for a stream that writes them inside an element declaring the namespace)."""
    guids: dict[str, str] = {}

    def tag(name: str) -> str:
        return f"{{{ns}}}{name}" if ns else name

    def add(parent: etree._Element, node: CodeNode, prefix: str) -> None:
        path = f"{prefix}{PATH_SEP}{node.name}" if prefix else node.name
        guid = guids[path] = _guid(node.guid, tree.name, path).lower()
        attrs = {"guid": guid, "name": xml_safe(node.name),
                 "isCodable": "true" if node.codable else "false"}
        if node.color:
            attrs["color"] = node.color
        element = etree.SubElement(parent, tag("Code"), attrs)
        text = describe(node)
        if text:
            etree.SubElement(element, tag("Description")).text = xml_safe(text)
        for note in (notes or {}).get(guid, ()):
            etree.SubElement(element, tag("NoteRef"), targetGUID=note)
        for child in node.children:
            add(element, child, path)

    for node in tree.codes:
        add(codes, node, "")
    return guids


def qdc_bytes(tree: CodebookTree) -> bytes:
    """The .qdc document for a codebook tree, checked against the schema."""
    if not tree.codes:
        raise QualcodeError(f"codebook {tree.name!r} has no codes: nothing to export")
    root = etree.Element(f"{{{NS}}}CodeBook", nsmap={None: NS},
                         origin=f"qualcode {qualcode.__version__}")
    guids = add_codes(etree.SubElement(root, f"{{{NS}}}Codes"), tree, NS)
    groups = [g for g in tree.groups if any(p in guids for p in g.codes)]
    if groups:
        sets = etree.SubElement(root, f"{{{NS}}}Sets")
        for group in groups:
            element = etree.SubElement(sets, f"{{{NS}}}Set", guid=_guid(
                group.guid, tree.name, "groups", group.name), name=group.name)
            etree.SubElement(element, f"{{{NS}}}Description").text = xml_safe(
                describe_group(group))
            for path in dict.fromkeys(group.codes):
                if path in guids:
                    etree.SubElement(element, f"{{{NS}}}MemberCode", guid=guids[path])
    data = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    errors = list(codebook_schema().iter_errors(data.decode("utf-8")))
    if errors:  # a bug in this writer, never the user's input; refuse to write a bad file
        raise QualcodeError(f"the .qdc written is not valid: {errors[0].reason}")
    return data


def write_qdc(tree: CodebookTree, path: str | Path) -> Path:
    return atomic.write_bytes(path, qdc_bytes(tree))
