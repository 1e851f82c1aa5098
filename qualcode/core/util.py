"""Small helpers shared by the core modules."""

from __future__ import annotations

import hashlib
import uuid


def new_guid() -> str:
    return str(uuid.uuid4())


def normalise_newlines(text: str) -> str:
    """Offsets index the stored text, so every source stores `\\n` newlines only."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ref_id(ref) -> int | None:
    """The id of an object passed by reference (a dataclass with .id), or of an int."""
    if hasattr(ref, "id"):
        return ref.id
    if isinstance(ref, int) and not isinstance(ref, bool):
        return ref
    return None


def counted(count: int, noun: str) -> str:
    """"1 coding", "2 codings": a count with its noun, for messages and documents."""
    return f"{count} {noun}" + ("" if count == 1 else "s")
