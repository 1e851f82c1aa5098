"""Write a whole project as a REFI-QDA project (.qdpx): a zip of `project.qde` and the plain text
of every source as `sources/<guid>.txt`.

What goes where (Project.xsd orders the elements): coders are <Users>; the code tree is the
<CodeBook> (categories are codes with isCodable="false", definitions and rules in <Description>,
as in our .qdc); attributes are <Variables> (typed) with <VariableValue>s on cases and sources;
cases list their own sources (<SourceRef>), and their kind and parent case go in <Description>
("Kind: office", "Part of: kontor02") because REFI-QDA has no case hierarchy; each source is a
<TextSource> whose <Description> gives its kind; every coded span is a <PlainTextSelection> with
one <Coding> per code and coder; memos are <Notes> referenced from the project, source, code or
coding they belong to (a case cannot hold a NoteRef, so a case memo is a <Link> from the note to
the case); code groups are <Sets>. A form comment carries its form's key, date, office and
version as variables.

Positions are Unicode code point offsets (Python string indices, as REFI-QDA counts them) into
exactly the text written to `sources/`: UTF-8 without BOM, `\\n` line ends, which is how every
source is stored. GUIDs are written in lower case and are the project's own, so they are the same
in every export; things without a GUID of their own (a selection, a variable, the note of a
coding's memo) get one derived from what they are. No container element is written empty.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import uuid
import zipfile
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

import qualcode
from qualcode.core.codebook_tree import GroupSpec, describe_group
from qualcode.core.model import Source
from qualcode.core.util import counted
from qualcode.errors import QualcodeError
from qualcode.export.atomic import atomic_path
from qualcode.export.qdc import add_codes

NS = "urn:QDA-XML:project:1.0"
SCHEMA_PATH = Path(__file__).with_name("schemas") / "Project.xsd"
GUID_NAMESPACE = uuid.UUID("0d6c3a52-51b4-4c1e-9e0a-2f4d7c8e9b13")  # for derived GUIDs
_NAMESPACE_BYTES = GUID_NAMESPACE.bytes
FORM_VARIABLES = ("form_key", "form_date", "form_office", "form_version")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_schema: etree.XMLSchema | None = None


def project_schema() -> etree.XMLSchema:
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    return _schema


@dataclass
class QdpxExport:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return f"wrote {self.path}: " + ", ".join(counted(n, what)
                                                  for what, n in self.counts.items())


def export_qdpx(project, path: str | Path, *, validate: bool = True) -> QdpxExport:
    """Write `project` as a .qdpx at `path` (replaced only when the whole file is written).

    With `validate`, project.qde is checked against Project.xsd before the file is kept.
    """
    path = Path(path)
    writer = _Writer(project)
    with atomic_path(path) as temp:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for source in writer.sources:
                archive.writestr(f"sources/{_g(source.guid)}.txt", source.text.encode("utf-8"))
            with archive.open("project.qde", "w", force_zip64=True) as stream:
                writer.write(stream)
        if validate:
            _validate(temp)
    return QdpxExport(path, writer.counts)


def _validate(archive_path: Path) -> None:
    """Check project.qde against Project.xsd as it is parsed, letting each selection go once
    checked, so a big project is never held as a whole tree."""
    schema = project_schema()
    with zipfile.ZipFile(archive_path) as archive, archive.open("project.qde") as stream:
        try:
            for _, element in etree.iterparse(stream, events=("end",), schema=schema,
                                              tag=f"{{{NS}}}PlainTextSelection", huge_tree=True):
                element.clear()
        except etree.XMLSyntaxError as exc:  # a bug in this writer, never the user's data
            raise QualcodeError(f"the project.qde written is not valid: {exc}") from None


def _g(guid: str) -> str:
    return guid.strip("{}").lower()


def derived_guid(*parts: str) -> str:
    """uuid5 of the parts joined by "/" (as uuid.uuid5 makes it, without its overhead: there is
    one per coded span)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + "/".join(parts).encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _xml(text: str) -> str:
    """Text as XML allows it (control characters other than tab and newlines cannot be
    written in XML 1.0 at all)."""
    return _XML_UNSAFE.sub("\ufffd", text)


@lru_cache(maxsize=4096)
def _stamp(value: str | None) -> str | None:
    """An xsd:dateTime, or None for a value that is not a date and time."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.isoformat() if parsed.tzinfo else parsed.isoformat() + "Z"


class _Writer:
    """Collects what the project holds, then streams project.qde element by element."""

    def __init__(self, project):
        self.p = project
        self.sources: list[Source] = project.sources()
        self.coders = {c.id: _g(c.guid) for c in project.coders()}
        self.coder_names = {c.id: c.name for c in project.coders()}
        self.codes = {c.id: _g(c.guid) for c in project.codes()}
        self.tree = project.codebook_tree() if self.codes else None
        self.cases = project.cases()
        self.case_names = {c.id: c.name for c in self.cases}
        self.attributes = project.attribute_values()
        self.forms = project.form_details()
        self.memos = project.memos()
        self.codings: dict[int, list] = defaultdict(list)
        for coding in project.all_codings():  # in text order, source by source
            self.codings[coding.source_id].append(coding)
        self.counts: dict[str, int] = {}
        self.coding_notes: list = []  # (note GUID, coding), filled while sources are written
        self.variables = self._variables()
        self.notes: dict[tuple[str, int | None], list[str]] = defaultdict(list)
        for memo in self.memos:
            self.notes[memo.target_kind, memo.target_id].append(_g(memo.guid))

    # -- variables ----------------------------------------------------------------------------
    def _values(self, kind: str, entity_id: int, source: Source | None = None) -> dict:
        values = dict(self.attributes.get((kind, entity_id), {}))
        if source is not None and source.form_id in self.forms:
            form = self.forms[source.form_id]
            for name in FORM_VARIABLES:
                value = form[name.removeprefix("form_")]
                if value not in (None, "") and name not in values:
                    values[name] = _date_or_text(value) if name == "form_date" else str(value)
        return values

    def _variables(self) -> dict[str, tuple[str, str]]:
        """{name: (GUID, typeOfVariable)} for every attribute name in use."""
        seen: dict[str, set[str]] = defaultdict(set)
        for values in self.attributes.values():
            for name, value in values.items():
                seen[name].add(_type_of(value))
        for source in self.sources:
            if source.form_id in self.forms:
                for name, value in self._values("source", source.id, source).items():
                    seen[name].add(_type_of(value))
        out = {}
        for name in sorted(seen):
            types = seen[name]
            kind = types.pop() if len(types) == 1 else \
                "Float" if types <= {"Integer", "Float"} else "Text"
            out[name] = (derived_guid("variable", name), kind)
        return out

    def _variable_values(self, xf, values: dict) -> None:
        """<VariableValue>s written to the stream `xf` (any object with `write(element)`)."""
        for name in sorted(values):
            guid, kind = self.variables[name]
            value = values[name]
            if isinstance(value, float) and not math.isfinite(value):
                continue  # xsd:decimal has no NaN or infinity
            element = etree.Element("VariableValue")
            etree.SubElement(element, "VariableRef", targetGUID=guid)
            element.append(_value_element(kind, value))
            xf.write(element)

    # -- the document -------------------------------------------------------------------------
    def write(self, stream) -> None:
        xf = _Out(stream)
        xf.raw('<?xml version="1.0" encoding="utf-8"?>\n')
        with xf.element("Project", {"xmlns": NS, "name": _xml(self.p.name),
                                    "origin": f"qualcode {qualcode.__version__}"}):
            self._users(xf)
            self._codebook(xf)
            self._variables_element(xf)
            self._cases(xf)
            self._sources(xf)
            self._notes(xf)
            self._links(xf)
            self._sets(xf)
            for note in self.notes.get(("project", None), ()):
                xf.write(etree.Element("NoteRef", targetGUID=note))
        xf.flush()

    def _users(self, xf) -> None:
        if not self.coders:
            return
        with xf.element("Users"):
            for coder_id, guid in self.coders.items():
                xf.write(etree.Element("User", guid=guid,
                                       name=_xml(self.coder_names[coder_id])))
        self.counts["user"] = len(self.coders)

    def _codebook(self, xf) -> None:
        if self.tree is None:
            return
        notes = {self.codes[code_id]: refs for (kind, code_id), refs in self.notes.items()
                 if kind == "code"}
        book = etree.Element("CodeBook")
        add_codes(etree.SubElement(book, "Codes"), self.tree, "", notes=notes)
        xf.write(book)
        self.counts["code"] = len(self.codes)

    def _variables_element(self, xf) -> None:
        if not self.variables:
            return
        with xf.element("Variables"):
            for name, (guid, kind) in self.variables.items():
                xf.write(etree.Element("Variable", guid=guid, name=_xml(name),
                                       typeOfVariable=kind))
        self.counts["variable"] = len(self.variables)

    def _cases(self, xf) -> None:
        if not self.cases:
            return
        members = defaultdict(list)
        for source in self.sources:
            if source.case_id is not None:
                members[source.case_id].append(_g(source.guid))
        with xf.element("Cases"):
            for case in self.cases:
                element = etree.Element("Case", guid=_g(case.guid), name=_xml(case.name))
                lines = [f"Kind: {case.kind}"] if case.kind != "case" else []
                if case.parent_id is not None:
                    lines.append(f"Part of: {self.case_names[case.parent_id]}")
                if lines:
                    etree.SubElement(element, "Description").text = _xml("\n".join(lines))
                self._variable_values(_Appender(element), self._values("case", case.id))
                for source_guid in members.get(case.id, ()):
                    etree.SubElement(element, "SourceRef", targetGUID=source_guid)
                xf.write(element)
        self.counts["case"] = len(self.cases)

    def _sources(self, xf) -> None:
        if not self.sources:
            return
        with xf.element("Sources"):
            for source in self.sources:
                self._source(xf, source)
        self.counts["source"] = len(self.sources)

    def _source(self, xf, source: Source) -> None:
        guid = _g(source.guid)
        attrs = {"guid": guid, "name": _xml(source.name),
                 "plainTextPath": f"internal://{guid}.txt"}
        stamp = _stamp(source.imported_at)
        if stamp:
            attrs["creationDateTime"] = stamp
        with xf.element("TextSource", attrs):
            description = etree.Element("Description")
            description.text = f"Kind: {source.kind}"
            xf.write(description)
            spans: dict[tuple[int, int], list] = defaultdict(list)
            for coding in self.codings.get(source.id, ()):
                spans[coding.start, coding.end].append(coding)
            for (start, end), codings in spans.items():
                xf.raw(self._selection(guid, start, end, codings))
            self.counts["selection"] = self.counts.get("selection", 0) + len(spans)
            for note in self.notes.get(("source", source.id), ()):
                xf.write(etree.Element("NoteRef", targetGUID=note))
            self._variable_values(xf, self._values("source", source.id, source))

    def _selection(self, source_guid: str, start: int, end: int, codings) -> str:
        """One <PlainTextSelection> as text: the bulk of a big project, so written directly
        (every value is a GUID, a number or a timestamp, none needing escapes)."""
        first = codings[0] if len(codings) == 1 else \
            min(codings, key=lambda c: (c.created_at, c.id))
        stamp = _stamp(first.created_at)
        parts = [f'<PlainTextSelection guid="{derived_guid("selection", source_guid, str(start), str(end))}" '
                 f'startPosition="{start}" endPosition="{end}" '
                 f'creatingUser="{self.coders[first.coder_id]}"'
                 + (f' creationDateTime="{stamp}">' if stamp else ">")]
        for coding in codings:
            stamp = _stamp(coding.created_at)
            parts.append(f'<Coding guid="{_g(coding.guid)}" '
                         f'creatingUser="{self.coders[coding.coder_id]}"'
                         + (f' creationDateTime="{stamp}">' if stamp else ">")
                         + f'<CodeRef targetGUID="{self.codes[coding.code_id]}"/>'
                         + (f'<NoteRef targetGUID="{self._coding_note(coding)}"/>'
                            if coding.memo else "") + "</Coding>")
        parts.append("</PlainTextSelection>")
        self.counts["coding"] = self.counts.get("coding", 0) + len(codings)
        return "".join(parts)

    def _coding_note(self, coding) -> str:
        guid = derived_guid("coding memo", _g(coding.guid))
        self.coding_notes.append((guid, coding))
        return guid

    def _notes(self, xf) -> None:
        coding_notes = self.coding_notes
        if not self.memos and not coding_notes:
            return
        with xf.element("Notes"):
            for memo in self.memos:
                xf.write(_note(_g(memo.guid), memo.title, memo.text,
                               self.coders.get(memo.coder_id), memo.created_at, memo.updated_at))
            for guid, coding in coding_notes:
                xf.write(_note(guid, None, coding.memo, self.coders[coding.coder_id],
                               coding.created_at, None))
        self.counts["note"] = len(self.memos) + len(coding_notes)

    def _links(self, xf) -> None:
        case_memos = [m for m in self.memos if m.target_kind == "case"]
        if not case_memos:
            return
        guids = {c.id: _g(c.guid) for c in self.cases}
        with xf.element("Links"):
            for memo in case_memos:
                xf.write(etree.Element(
                    "Link", guid=derived_guid("memo link", _g(memo.guid)), name="memo",
                    direction="OneWay", originGUID=_g(memo.guid),
                    targetGUID=guids[memo.target_id]))

    def _sets(self, xf) -> None:
        groups = [g for g in self.p.groups() if g.code_ids]
        if not groups:
            return
        with xf.element("Sets"):
            for group in groups:
                element = etree.Element("Set", guid=_g(group.guid), name=_xml(group.name))
                etree.SubElement(element, "Description").text = _xml(describe_group(
                    GroupSpec(group.name, en=group.en, exclusive=group.exclusive)))
                for code_id in dict.fromkeys(group.code_ids):
                    etree.SubElement(element, "MemberCode", targetGUID=self.codes[code_id])
                xf.write(element)
        self.counts["set"] = len(groups)


class _Out:
    """Writes project.qde to the archive in large pieces: elements built with lxml (without a
    namespace, so they take the document's default one) and text made by the writer."""

    FLUSH_AT = 1 << 20

    def __init__(self, stream):
        self.stream = stream
        self.parts: list[str] = []
        self.size = 0

    def raw(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size > self.FLUSH_AT:
            self.flush()

    def write(self, element: etree._Element) -> None:
        self.raw(etree.tostring(element, encoding="unicode"))

    @contextmanager
    def element(self, tag: str, attrs: dict[str, str] | None = None):
        self.raw(f"<{tag}" + "".join(f" {k}={quoteattr(v)}" for k, v in (attrs or {}).items())
                 + ">")
        yield
        self.raw(f"</{tag}>")

    def flush(self) -> None:
        self.stream.write("".join(self.parts).encode("utf-8"))
        self.parts, self.size = [], 0


class _Appender:
    """Lets `_variable_values` append to an element being built, as it writes to a stream."""

    def __init__(self, target: etree._Element):
        self.write = target.append


def _note(guid: str, title: str | None, text: str, coder: str | None, created: str | None,
          modified: str | None) -> etree._Element:
    attrs = {"guid": guid}
    if title:
        attrs["name"] = _xml(title)
    if coder:
        attrs["creatingUser"] = coder
    for key, value in (("creationDateTime", created), ("modifiedDateTime", modified)):
        if _stamp(value):
            attrs[key] = _stamp(value)
    note = etree.Element("Note", attrs)
    etree.SubElement(note, "PlainTextContent").text = _xml(text)
    return note


def _type_of(value) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, dt.datetime):
        return "DateTime"
    if isinstance(value, dt.date):
        return "Date"
    return "Text"


def _date_or_text(value: str):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value


def _value_element(kind: str, value) -> etree._Element:
    if kind == "Boolean":
        tag, text = "BooleanValue", "true" if value else "false"
    elif kind == "Integer":
        tag, text = "IntegerValue", str(int(value))
    elif kind == "Float":
        tag, text = "FloatValue", _decimal(float(value))
    elif kind == "Date":
        tag, text = "DateValue", value.isoformat()
    elif kind == "DateTime":
        tag, text = "DateTimeValue", _stamp(value.isoformat()) or value.isoformat()
    else:
        tag, text = "TextValue", _xml(value.isoformat() if isinstance(value, dt.date) else
                                      str(value))
    element = etree.Element(tag)
    element.text = text
    return element


def _decimal(value: float) -> str:
    """xsd:decimal has no exponent: 1e-05 is written 0.00001."""
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(value, "f").rstrip("0").rstrip(".") or "0"
    return text
