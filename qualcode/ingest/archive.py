"""Reading a REFI-QDA project archive (.qdpx) without trusting it.

A .qdpx comes from another tool or another person, so before anything is read: it must be a zip,
no member may point outside the archive ("..", absolute paths), no member may unpack to more than
the cap (1 GB unless told otherwise; checked on the sizes the zip declares and again while
reading, since a declared size can lie) nor all members read to more than twice the cap, and project.qde must be XML without a DTD or entity
declarations (no entity expansion, no network). Each refusal is one line naming the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from lxml import etree

from qualcode.errors import InputError

MAX_MEMBER_BYTES = 1 << 30  # 1 GiB uncompressed, per member
TOTAL_MEMBERS = 2  # all members read together may unpack to this many times that
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def safe_parser() -> etree.XMLParser:
    """No DTD loading, no entity resolution, no network; big documents allowed (sizes are
    capped before parsing)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=True)


def refuse_declarations(data: bytes, where: str) -> None:
    if _DECLARATION.search(data):
        raise InputError(where, "has a DTD or entity declaration, which a REFI-QDA file never "
                                "needs; refused for safety")


def parse_xml(data: bytes, where: str) -> etree._Element:
    """The root of an XML document from an untrusted file; refuses DTDs and entities."""
    refuse_declarations(data, where)
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(where, f"not well-formed XML: {exc.msg}", line=exc.lineno) from None


class SafeArchive:
    """A .qdpx opened for reading: its members checked, its members read within the cap."""

    def __init__(self, path: str | Path, *, max_member_bytes: int = MAX_MEMBER_BYTES):
        self.path = Path(path)
        self.cap = max_member_bytes
        self.left = TOTAL_MEMBERS * max_member_bytes  # what may still be read, in all
        try:
            self.zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise InputError(self.path, "no such file") from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(self.path, f"not a .qdpx (zip) file ({exc})") from None
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in self.zip.infolist():
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
                self.close()
                raise InputError(self.path, f"member {name!r} points outside the archive; "
                                            "refused for safety")
            if info.file_size > self.cap:
                self.close()
                raise InputError(self.path, f"member {name!r} unpacks to {info.file_size:,} "
                                            f"bytes, over the limit of {self.cap:,}")
            if not info.is_dir():
                self.members[name.replace("\\", "/").lower()] = info

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """A member by path, matched case-insensitively (tools write Sources/ or sources/)."""
        return self.members.get(name.replace("\\", "/").lstrip("/").lower())

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, refusing it if it unpacks to more than the cap whatever its header
        says."""
        try:
            with self.zip.open(info) as stream:
                data = stream.read(self.cap + 1)
        except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as exc:
            raise InputError(self.path, f"member {info.filename!r} cannot be read ({exc})"
                             ) from None
        if len(data) > self.cap:
            raise InputError(self.path, f"member {info.filename!r} unpacks to more than "
                                        f"{self.cap:,} bytes; refused")
        self.left -= len(data)
        if self.left < 0:  # many members each under the cap: a zip bomb all the same
            raise InputError(self.path, f"its members unpack to more than "
                                        f"{TOTAL_MEMBERS * self.cap:,} bytes in all; refused")
        return data

    def _project_member(self) -> zipfile.ZipInfo:
        """project.qde at the top of the archive (any case)."""
        info = self.find("project.qde")
        if info is None:
            tops = [i for n, i in self.members.items() if n.endswith(".qde") and "/" not in n]
            info = tops[0] if len(tops) == 1 else None
        if info is None:
            raise InputError(self.path, "no project.qde inside this .qdpx")
        return info

    def project_root(self) -> etree._Element:
        """The parsed project.qde."""
        info = self._project_member()
        return parse_xml(self.read(info), f"{self.path}: {info.filename}")

    def iter_project(self, tag: str) -> Iterator[etree._Element]:
        """project.qde parsed as it is read: yields each element `tag` (any namespace) once it
        is complete, and empties it when the caller asks for the next, so a project with
        hundreds of thousands of selections never stands in memory as a whole tree. Then
        `self.root` is the document (with those elements emptied)."""
        info = self._project_member()
        where = f"{self.path}: {info.filename}"
        data = self.read(info)
        refuse_declarations(data, where)
        events = etree.iterparse(io.BytesIO(data), events=("end",), tag=f"{{*}}{tag}",
                                 resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=True)
        try:
            for _, element in events:
                yield element
                element.clear()
        except etree.XMLSyntaxError as exc:
            raise InputError(where, f"not well-formed XML: {exc.msg}", line=exc.lineno) from None
        self.root = events.root
