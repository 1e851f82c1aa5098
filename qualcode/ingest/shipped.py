"""Where the shipped data lives: the repository's top-level folders when running from a checkout,
`qualcode/_bundled/` inside an installed wheel (pyproject force-includes them there)."""

from __future__ import annotations

from pathlib import Path

import qualcode
from qualcode.errors import QualcodeError

PACKAGE_DIR = Path(qualcode.__file__).resolve().parent
# The shipped form mappings (inside the package); the HPMT FE form's is the default.
MAPPINGS_DIR = PACKAGE_DIR / "ingest" / "mappings"
DEFAULT_MAPPING = MAPPINGS_DIR / "hpmt_fe.yaml"


def bundled_path(folder: str) -> Path:
    """The shipped folder `folder` ("codebooks", "corpora")."""
    for candidate in (PACKAGE_DIR / "_bundled" / folder, PACKAGE_DIR.parent / folder):
        if candidate.is_dir():
            return candidate
    raise QualcodeError(f"the shipped folder {folder!r} is missing from this installation")


def shipped_codebooks() -> dict[str, Path]:
    """Machine name (the file's stem) -> path, for every shipped codebook."""
    return {p.stem: p for p in sorted(bundled_path("codebooks").glob("*.yaml"))}


def shipped_codebook(name: str) -> Path:
    books = shipped_codebooks()
    if name not in books:
        raise QualcodeError(f"no shipped codebook {name!r} (there are: {', '.join(books)})")
    return books[name]
