"""Decode imported files: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252.

Guessing wrong silently corrupts every quote, so the reader says which encoding it used and
refuses text that was already mis-decoded once ("Ã¸" where "ø" was meant).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import InputError

# Bytes 0x80-0xBF as Windows-1252 shows them: the second byte of a UTF-8 letter like "ø"
# (C3 B8) read as Windows-1252 gives "Ã¸". Norwegian text has no reason to contain these pairs.
_CONTINUATION = "".join(bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xC0))
_CONTINUATION += "".join(chr(b) for b in range(0x80, 0xC0))  # the same bytes read as Latin-1
MOJIBAKE = re.compile("[ÃÂ][" + re.escape(_CONTINUATION) + "]|â€")
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))
_UNDEFINED_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16",
                  "cp1252": "Windows-1252", "docx": "Word .docx", "xlsx": "Excel .xlsx"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-sig" (UTF-8 with BOM), "utf-16", "cp1252"


def decode(data: bytes, path: str | Path, *, check_mojibake: bool = True) -> Decoded:
    """Decode file content, trying a BOM, then strict UTF-8, then Windows-1252.

    The text is NFC-normalised (a Mac may write "å" as "a" plus a ring) and, unless the caller
    checks it cell by cell itself, checked for mojibake; newlines are left as they are.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], "utf-16-le" if bom == codecs.BOM_UTF16_LE
                           else "utf-16-be" if bom == codecs.BOM_UTF16_BE else "utf-8", path)
            return _checked(text, encoding, path, check_mojibake)
    if b"\x00" in data[:4096]:
        raise InputError(path, "binary data, not a text file (NUL bytes); save it as text or "
                               ".docx", line=_line_of(data, data.index(b"\x00")))
    try:
        return _checked(data.decode("utf-8"), "utf-8", path, check_mojibake)
    except UnicodeDecodeError as exc:
        if _utf8_elsewhere(data):  # UTF-8 letters all through, and one bad byte: blame it
            line_start = data.rfind(b"\n", 0, exc.start) + 1
            column = len(data[line_start:exc.start].decode("utf-8", errors="replace")) + 1
            raise InputError(path, f"not valid UTF-8: byte 0x{data[exc.start]:02x} at column "
                                   f"{column} cannot be read (the rest of the file is UTF-8); "
                                   "correct or remove it", line=_line_of(data, exc.start)
                             ) from None
    bad = next((i for i, b in enumerate(data) if b in _UNDEFINED_CP1252), None)
    if bad is not None:
        raise InputError(path, f"neither UTF-8 nor Windows-1252 (byte 0x{data[bad]:02x}); "
                               "save the file as UTF-8", line=_line_of(data, bad))
    return _checked(data.decode("cp1252"), "cp1252", path, check_mojibake)


def read_bytes(path: str | Path) -> bytes:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    return data


def read_text(path: str | Path) -> Decoded:
    return decode(read_bytes(path), path)


def _strict(data: bytes, codec: str, path) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid {codec.upper()} despite its byte-order mark "
                               f"(byte {exc.start})", line=_line_of(data, exc.start)) from exc


def _checked(text: str, encoding: str, path, check_mojibake: bool) -> Decoded:
    text = unicodedata.normalize("NFC", text)
    found = MOJIBAKE.search(text) if check_mojibake else None
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise InputError(path, mojibake_message(text, found.start()), line=line, column=column)
    return Decoded(text, encoding)


def mojibake_message(text: str, start: int) -> str:
    found = MOJIBAKE.match(text, start)
    return (f"the text was mis-encoded before it got here: {found.group()!r}"
            f"{_meant(text, start)}; open the original and save it again as UTF-8")


def _meant(text: str, start: int) -> str:
    """What the mojibake most likely stood for, as a hint (" (probably 'ø')")."""
    for width in (2, 3):
        try:
            fixed = text[start:start + width].encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        return f" (probably {fixed!r})"
    return ""


def _utf8_elsewhere(data: bytes) -> bool:
    """Whether the file has UTF-8 letters such as "å" (C3 A5): read as Windows-1252 it would be
    mojibake, so it is a UTF-8 file with a broken byte, not a Windows-1252 file."""
    return MOJIBAKE.search(data.decode("cp1252", errors="replace")) is not None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
