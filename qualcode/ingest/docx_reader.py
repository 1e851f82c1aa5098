"""Plain text of a Word .docx file: paragraphs in order, tables flattened row by row.

The only ingest module that imports python-docx (an import-linter contract says so).
Paragraphs are separated by a blank line, like the .txt transcripts, so that speaker turns are
found the same way in both. A table row becomes one paragraph with its cells joined by " | ".
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import OpcError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from qualcode.core.textrules import DEFAULT_MAX_CHARS
from qualcode.errors import InputError

CELL_SEPARATOR = " | "


def read_docx(path: str | Path, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The text; a document whose XML unpacks to more than could hold `max_chars` characters
    (with Word's markup, 10 bytes a character) is refused before it is unpacked."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        hint = " (an old .doc? save it as .docx)" if _looks_like_ole(path) else ""
        raise InputError(path, f"not a Word .docx file: it is not a zip archive{hint}")
    _check_size(path, max_chars)
    try:
        document = docx.Document(str(path))
    except (OpcError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(path, f"not a Word .docx file ({exc})") from exc
    except etree.XMLSyntaxError as exc:  # e.g. a paragraph over libxml2's 10 MB text limit
        raise InputError(path, f"the Word document cannot be read ({exc.msg}); a single "
                               "paragraph of more than 10 MB is more than qualcode reads",
                         line=exc.lineno) from None
    paragraphs: list[str] = []
    _collect(document.iter_inner_content(), paragraphs)
    return "\n\n".join(paragraphs)


def _collect(blocks, out: list[str]) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if text:
                out.append(text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = []
                for cell in _unique_cells(row.cells):
                    inner: list[str] = []
                    _collect(cell.iter_inner_content(), inner)
                    cells.append(" ".join(inner))
                if any(cells):
                    out.append(CELL_SEPARATOR.join(cells))


def _unique_cells(cells):
    """A merged cell is reported once per grid column it spans; keep it once."""
    seen = set()
    for cell in cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            yield cell


def _check_size(path: Path, max_chars: int) -> None:
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(i.file_size for i in archive.infolist()
                       if i.filename.startswith("word/") and i.filename.endswith(".xml"))
    if unpacked > 10 * max_chars:
        raise InputError(path, f"the Word document unpacks to {unpacked:,} bytes of XML, more "
                               f"than a text of the limit of {max_chars:,} characters needs "
                               "(raise it with --max-chars if it is meant to be this long)")


def _looks_like_ole(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
