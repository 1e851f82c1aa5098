"""The code tree as every layer reads it: paths, tree order, depth, children, descendants.

Read once from the `codes` table (id, parent_id, name, position); the Project API, the
analyses, the exports and the TUI all take paths and order from here, so a path is spelt
and a tree is ordered one way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PATH_SEP = "/"


def join_path(prefix: str, name: str) -> str:
    return f"{prefix}{PATH_SEP}{name}" if prefix else name


def clean_path(path: str) -> str:
    """A path as typed ("a / b ") in its stored spelling ("a/b")."""
    return PATH_SEP.join(part.strip() for part in path.split(PATH_SEP))


def short_labels(paths: dict[int, str]) -> dict[int, str]:
    """Each code's name (the last part of its path), or its full path where two of the codes
    share a name: how tables label codes where whole paths are too wide."""
    names = {c: path.rsplit(PATH_SEP, 1)[-1] for c, path in paths.items()}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    return {c: paths[c] if counts[names[c]] > 1 else names[c] for c in paths}


@dataclass(frozen=True)
class CodeTree:
    """`order`: code ids depth first, siblings by position then name. `path`, `parent` and
    `children` (None: the top level) by code id."""

    order: tuple[int, ...]
    path: dict[int, str]
    parent: dict[int, int | None]
    children: dict[int | None, tuple[int, ...]]

    @classmethod
    def read(cls, conn) -> CodeTree:
        return cls.from_rows(conn.execute("SELECT id, parent_id, name, position FROM codes"))

    @classmethod
    def from_rows(cls, rows: Iterable) -> CodeTree:
        """From (id, parent_id, name, position) rows."""
        kids: dict[int | None, list[tuple]] = {}
        for code_id, parent_id, name, position in rows:
            kids.setdefault(parent_id, []).append((position, name, code_id))
        children = {node: tuple(c for _, _, c in sorted(below)) for node, below in kids.items()}
        names = {c: name for below in kids.values() for _, name, c in below}
        order: list[int] = []
        path: dict[int, str] = {}
        parent: dict[int, int | None] = {}
        todo: list[tuple[int, int | None]] = [(c, None) for c in reversed(children.get(None, ()))]
        while todo:  # iterative depth-first walk: a deep tree cannot hit the recursion limit
            code_id, up = todo.pop()
            order.append(code_id)
            parent[code_id] = up
            path[code_id] = join_path(path[up] if up is not None else "", names[code_id])
            todo.extend((c, code_id) for c in reversed(children.get(code_id, ())))
        return cls(tuple(order), path, parent, children)

    def __contains__(self, code_id: int) -> bool:
        return code_id in self.path

    def __len__(self) -> int:
        return len(self.order)

    def depth(self, code_id: int) -> int:
        return self.path[code_id].count(PATH_SEP)

    def rank(self) -> dict[int, int]:
        """code id -> its place in tree order."""
        return {code_id: n for n, code_id in enumerate(self.order)}

    def short_labels(self, code_ids: Iterable[int]) -> dict[int, str]:
        """Each code's name, or its full path where two of the codes share a name."""
        return short_labels({c: self.path[c] for c in code_ids})

    def descendants(self, code_ids: Iterable[int]) -> list[int]:
        """The given codes and every code below them, in tree order, each once."""
        wanted: set[int] = set()
        todo = [c for c in code_ids if c in self.path]
        while todo:
            code_id = todo.pop()
            if code_id not in wanted:
                wanted.add(code_id)
                todo.extend(self.children.get(code_id, ()))
        return [c for c in self.order if c in wanted]

    def ancestors(self, code_id: int) -> list[int]:
        """The code's parent, grandparent ... up to the top level."""
        out = []
        node = self.parent.get(code_id)
        while node is not None:
            out.append(node)
            node = self.parent.get(node)
        return out

    def matching(self, text: str) -> list[int]:
        """Codes whose path is `text`, else whose path ends with it ("ledelse",
        "organisering/ledelse"): a name or partial path is fine when it is unique."""
        wanted = clean_path(text)
        exact = [c for c in self.order if self.path[c] == wanted]
        if exact:
            return exact
        tail = PATH_SEP + wanted
        return [c for c in self.order if self.path[c].endswith(tail)]
