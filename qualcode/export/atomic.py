"""Write a file all at once or not at all: into a temporary file beside the target, renamed
onto it on success, removed on failure. A failed or interrupted export never leaves a partial
file, and never spoils the file that was there before."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder (same file system, so the rename is
    atomic) to be written by path, e.g. by python-docx or pandas; it replaces `target` when
    the block ends without an exception."""
    target = Path(target)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                suffix=".part" + target.suffix)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb+") as written:  # on disk before the name points at it
            os.fsync(written.fileno())
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_bytes(target: str | Path, data: bytes) -> Path:
    with atomic_path(target) as temp:
        temp.write_bytes(data)
    return Path(target)


def write_text(target: str | Path, text: str, encoding: str = "utf-8") -> Path:
    return write_bytes(target, text.encode(encoding))


def _mode_for(target: Path) -> int:
    """The mode of the file replaced, or what a newly created file would get (mkstemp makes
    the temporary file private, which the report should not stay)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
