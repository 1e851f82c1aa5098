"""Plain objects the Project API returns. They are snapshots: re-read after a change."""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.store.code_tree import PATH_SEP

SOURCE_KINDS = ("transcript", "fieldnote", "form_field", "document")


@dataclass(frozen=True)
class Coder:
    id: int
    name: str
    guid: str | None = None


@dataclass(frozen=True)
class Case:
    id: int
    guid: str
    name: str
    kind: str
    parent_id: int | None


@dataclass(frozen=True)
class Turn:
    n: int
    speaker: str | None
    start: int
    end: int


@dataclass(frozen=True)
class SourceEntry:
    """A source as a list shows it: everything but its text (`Project.source_list`)."""
    id: int
    guid: str
    name: str
    kind: str
    sha256: str
    case_id: int | None
    imported_at: str
    origin: str | None
    encoding: str | None
    form_id: int | None
    field: str | None


@dataclass(frozen=True)
class Source(SourceEntry):
    """A source with its text (`Project.source`, `Project.sources`)."""
    text: str = field(repr=False)


@dataclass(frozen=True)
class Code:
    id: int
    guid: str
    parent_id: int | None
    name: str
    path: str
    en: str | None = None
    description: str | None = None
    include: str | None = None
    exclude: str | None = None
    example: str | None = None
    color: str | None = None
    codable: bool = True
    position: int = 0
    codebook: str | None = None
    patterns: tuple[str, ...] = ()

    @property
    def depth(self) -> int:
        return self.path.count(PATH_SEP)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.en})" if self.en and self.en != self.name else self.name


@dataclass(frozen=True)
class CodeGroup:
    id: int
    guid: str
    name: str
    en: str | None
    exclusive: bool
    code_ids: tuple[int, ...]


@dataclass(frozen=True)
class Coding:
    id: int
    guid: str
    source_id: int
    start: int
    end: int
    code_id: int
    coder_id: int
    memo: str | None
    origin: str
    created_at: str


@dataclass(frozen=True)
class NewCoding:
    """A coding to add with `Project.add_codings` (ids, not references: importers resolve)."""

    source_id: int
    start: int
    end: int
    code_id: int
    coder_id: int
    memo: str | None = None
    guid: str | None = None  # kept when given (an imported coding keeps its GUID)
    created_at: str | None = None


@dataclass(frozen=True)
class CodingsAdded:
    """What `Project.add_codings` did: the new ids, and the items refused with the reason."""

    ids: list[int]
    refused: list[tuple[NewCoding, str]] = field(default_factory=list)
    with_memo: int = 0  # how many of the added codings have a memo


@dataclass(frozen=True)
class Memo:
    id: int
    guid: str
    target_kind: str
    target_id: int | None
    title: str | None
    text: str
    coder_id: int | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Bookmark:
    """A place in a source's text: `offset` (the character it is at) on `line` (1-based)."""

    id: int
    guid: str
    source_id: int
    source: str  # the source's name
    offset: int
    line: int
    label: str | None
    coder: str  # who set it
    created_at: str
    words: str = ""  # the text from the bookmark on (up to 60 characters), to recognise it by


@dataclass(frozen=True)
class Event:
    id: int
    at: str
    coder: str | None
    action: str
    summary: str | None
    state: str


@dataclass(frozen=True)
class Location:
    """Where a place in a source is, as a reader would say it (qualcode.core.locations)."""

    line: int
    """1-based, as the reader's "Line N"."""
    turn: int | None = None
    """The speaker turn's number (1-based, in the text's order); None outside turns."""
    speaker: str | None = None
    timestamp: str | None = None
    """The last time stamp in the turn before the place (from its label on), without brackets."""

    def __str__(self) -> str:
        """"turn 12 · IP · 00:12:34", or "line 40" where there is no turn."""
        if self.turn is None:
            return f"line {self.line}"
        return " · ".join([f"turn {self.turn}", *filter(None, [self.speaker, self.timestamp])])


@dataclass(frozen=True)
class Hit:
    """A place a search found: `text` is text[start:end] of the source as stored; `before` and
    `after` are a line of context (whitespace made single spaces, "…" where the text goes on)."""

    source_id: int
    source: str
    start: int
    end: int
    text: str
    before: str
    after: str
    where: Location
    """The hit's speaker turn or line: str() gives "turn 12 · IP · 00:12:34" or "line 40"."""

    @property
    def context(self) -> str:
        """The keyword-in-context line: before, the hit in [brackets], after."""
        return f"{self.before}[{' '.join(self.text.split())}]{self.after}"


@dataclass(frozen=True)
class Suggestion:
    """A coding a codebook pattern suggests: `code` (its path) on text[start:end] of `source`,
    a span of `unit` around the matched `words` (text[word_start:word_end]; several matches in
    one span are joined with " … "). `state` is open, accepted (then `coding_id`) or rejected."""

    id: int
    source_id: int
    source: str
    start: int
    end: int
    code_id: int
    code: str
    unit: str
    words: str
    word_start: int
    word_end: int
    state: str
    coding_id: int | None
