"""Code colours: the codebook's own colour, else the nearest parent's, else one from a palette.

Text on a coded span is black or white, whichever reads better on the code's colour. Where codes
overlap the span gets the mean of their colours and an underline, so overlaps stay visible.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.color import Color
from rich.style import Style
from rich.text import Text

from qualcode.core import Code

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
SWATCH = "■"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    triplet = Color.parse(hex_colour).get_truecolor()
    return triplet.red, triplet.green, triplet.blue


def _hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{round(v):02x}" for v in rgb)


def readable_on(hex_colour: str) -> str:
    red, green, blue = _rgb(hex_colour)
    luminance = (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255
    return "#000000" if luminance > 0.55 else "#ffffff"


class CodeStyles:
    """The colour of every code and the style of any combination of codes."""

    def __init__(self, codes: Sequence[Code]):
        by_id = {c.id: c for c in codes}
        self.colours: dict[int, str] = {}
        for code in codes:
            self.colours[code.id] = self._colour(code, by_id)
        self._cache: dict[tuple[int, ...], Style] = {}

    def _colour(self, code: Code, by_id: dict[int, Code]) -> str:
        node: Code | None = code
        while node is not None:
            if node.color:
                try:
                    _rgb(node.color)
                    return node.color
                except Exception:  # a malformed colour in an imported codebook: use the palette
                    break
            node = by_id.get(node.parent_id) if node.parent_id is not None else None
        return PALETTE[code.id % len(PALETTE)]

    def colour(self, code_id: int) -> str:
        return self.colours.get(code_id, PALETTE[code_id % len(PALETTE)])

    def for_codes(self, code_ids: tuple[int, ...]) -> Style:
        style = self._cache.get(code_ids)
        if style is None:
            rgbs = [_rgb(self.colour(c)) for c in code_ids]
            mean = _hex([sum(channel) / len(rgbs) for channel in zip(*rgbs, strict=True)])
            style = Style(bgcolor=mean, color=readable_on(mean), underline=len(code_ids) > 1)
            self._cache[code_ids] = style
        return style

    def swatch(self, code_id: int) -> Text:
        return Text(SWATCH, style=Style(color=self.colour(code_id)))
