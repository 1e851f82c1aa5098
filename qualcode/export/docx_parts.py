"""Building blocks of the Word reports: an A4 document with a title page, headings, quotes and
tables in Word's own styles (Title, Heading 1-4, Quote, a table style), so that the reader's
template and the navigation pane work as they should, in Word and in LibreOffice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.shared import Mm, Pt, RGBColor

from qualcode.export.atomic import atomic_path
from qualcode.export.masking import mask_identity_numbers

TABLE_STYLE = "Light Grid Accent 1"


class Report:
    """A Word document being written, with its styles looked up once (python-docx looks a style
    up by name on every use, which costs more than the paragraph itself in a long report)."""

    def __init__(self, title: str, subtitle: str, facts: Sequence[tuple[str, str]]):
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Mm(25))
        self.styles = {name: self.doc.styles[name] for name in (
            "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Quote",
            "Normal", "Caption")}
        quote = self.styles["Quote"].paragraph_format  # set apart from the running text
        quote.left_indent, quote.right_indent = Mm(10), Mm(5)
        self.doc.core_properties.title = title
        self.doc.core_properties.subject = subtitle
        self._title_page(title, subtitle, facts)

    def _title_page(self, title: str, subtitle: str, facts: Sequence[tuple[str, str]]) -> None:
        self.doc.add_paragraph(mask_identity_numbers(title), self.styles["Title"])
        self.doc.add_paragraph(subtitle, self.styles["Subtitle"])
        for label, value in [*facts, ("Date", dt.date.today().isoformat())]:
            p = self.doc.add_paragraph(style=self.styles["Normal"])
            p.add_run(f"{label}: ").bold = True
            p.add_run(mask_identity_numbers(value))
        self.page_break()

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def heading(self, text: str, level: int) -> None:
        level = max(1, min(level, 4))
        self.doc.add_paragraph(mask_identity_numbers(text), self.styles[f"Heading {level}"])

    def paragraph(self, text: str, *, italic: bool = False) -> None:
        p = self.doc.add_paragraph(style=self.styles["Normal"])
        p.add_run(mask_identity_numbers(text)).italic = italic or None

    def note(self, text: str) -> None:
        """A smaller grey paragraph, e.g. a code's definition (quotes are the italic text)."""
        run = self.doc.add_paragraph(style=self.styles["Normal"]).add_run(
            mask_identity_numbers(text))
        run.font.size, run.font.color.rgb = Pt(9), RGBColor(0x59, 0x59, 0x59)

    def caption(self, text: str) -> None:
        self.doc.add_paragraph(mask_identity_numbers(text), self.styles["Caption"])

    def quote(self, text: str, attribution: str) -> None:
        """«text» (attribution) in the Quote style; line breaks in the excerpt are kept."""
        p = self.doc.add_paragraph(style=self.styles["Quote"])
        lines = text.split("\n")
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
        if attribution:
            p.add_run(f" ({attribution})").italic = False

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], *,
              widths: Sequence[float] | None = None, font_size: float | None = None) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles[TABLE_STYLE]
        table.autofit = not widths
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = mask_identity_numbers(str(text))
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = mask_identity_numbers(str(text))
        if widths:  # LibreOffice reads the grid, Word the cells: set both
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Mm(width)
                for cell in column.cells:
                    cell.width = Mm(width)
        if font_size:
            for row in table.rows:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        for run in p.runs:
                            run.font.size = Pt(font_size)
        self.doc.add_paragraph()  # room between a table and what follows

    def landscape(self) -> float:
        """Turn the current (only) section to landscape; returns the text width in mm."""
        section = self.doc.sections[-1]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(15)
        return 297 - 30

    def save(self, path) -> None:
        with atomic_path(path) as temp:
            self.doc.save(str(temp))


def number(value, digits: int = 1) -> str:
    """A figure for a table: whole numbers plainly, others with `digits` decimals."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()
                                  and digits == 0):
        return f"{int(value)}"
    return f"{value:.{digits}f}"


def percent(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return f"{value:.0f}%"
