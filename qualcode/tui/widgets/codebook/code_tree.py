"""The code tree with counts, shared by the codebook and retrieval screens."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.core import Code
from qualcode.tui.colors import CodeStyles


class CodeTree(Tree[int]):
    """Codes in tree order. Each label: colour, name, English label, codings (own / total)."""

    def __init__(self, *, id: str | None = None, english: bool = True):
        super().__init__("Codes", id=id)
        self.english = english  # show English labels (left out where the tree is narrow)
        self.show_root = False
        self.guide_depth = 2
        self.nodes_by_code: dict[int, TreeNode[int]] = {}
        self.filled = False

    def fill(self, codes: Sequence[Code], counts: pd.DataFrame, styles: CodeStyles) -> None:
        """Rebuild, keeping which codes were open and where the cursor was."""
        keep = self.cursor_code_id()
        opened = {cid for cid, node in self.nodes_by_code.items() if node.is_expanded}
        self.clear()
        self.nodes_by_code = {}
        for code in codes:
            parent = self.nodes_by_code.get(code.parent_id, self.root) \
                if code.parent_id is not None else self.root
            label = self.label_for(code, counts, styles, english=self.english)
            node = parent.add(label, data=code.id,
                              expand=code.id in opened or (not self.filled and code.depth == 0))
            self.nodes_by_code[code.id] = node
        for node in self.nodes_by_code.values():
            if not node.children:
                node.allow_expand = False
        self.root.expand()
        self.filled = True
        if keep is not None and keep in self.nodes_by_code:
            self.show_code(keep)
        elif codes:
            self.move_cursor(self.nodes_by_code[codes[0].id], animate=False)

    @staticmethod
    def label_for(code: Code, counts: pd.DataFrame, styles: CodeStyles, *,
                  english: bool = True) -> Text:
        label = Text(no_wrap=True, overflow="ellipsis")
        label.append_text(styles.swatch(code.id))
        label.append(f" {code.name}", style="" if code.codable else "bold")
        if english and code.en and code.en != code.name:
            label.append(f"  {code.en}", style="dim italic")
        if code.id in counts.index:
            own, total = counts.at[code.id, "codings"], counts.at[code.id, "codings_total"]
            if total:
                label.append(f"  {own}" if own == total else f"  {own}/{total}", style="cyan")
        return label

    def cursor_code_id(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None and node is not self.root else None

    def show_code(self, code_id: int) -> None:
        node = self.nodes_by_code.get(code_id)
        if node is None:
            return
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.call_after_refresh(self.move_cursor, node, animate=False)
        self.move_cursor(node, animate=False)
