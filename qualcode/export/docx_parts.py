"""Building blocks of the Word reports: an A4 document with a title page, headings, quotes and
tables in Word's own styles (Title, Heading 1-4, Quote, a table style), so that the reader's
template and the navigation pane work as they should, in Word and in LibreOffice.

python-docx makes the document, its styles and tables, but paragraphs are written here as lxml
elements appended to the body in order: its `add_paragraph` looks for the end of the body before
every insert and checks each paragraph's style against the default style, and its element API
finds each child's place by a schema walk, so a report of 100,000 quotes took minutes (growing
with the square of its length). Here each paragraph is put before the closing section properties
in one step, with style ids looked up once; the XML is exactly what python-docx writes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml.etree import SubElement

from qualcode.core.textrules import xml_safe
from qualcode.export.atomic import atomic_path
from qualcode.export.masking import mask_identity_numbers

TABLE_STYLE = "Light Grid Accent 1"
PARAGRAPH_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Quote",
                    "Normal", "Caption")
RUN_BREAKS = re.compile(r"([\t\r\n])")  # what python-docx writes as w:tab and w:br in a run
P, PPR, PSTYLE, R, RPR, T, TAB, BR, ITALIC, VAL = (qn(f"w:{tag}") for tag in (
    "p", "pPr", "pStyle", "r", "rPr", "t", "tab", "br", "i", "val"))
XML_SPACE = qn("xml:space")


def set_properties(props, title: str, subject: str) -> None:
    """The document's own metadata: title and subject as on the title page, qualcode as its
    author, today as its dates (python-docx's template says python-docx, 2013)."""
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props.title, props.subject = mask_identity_numbers(title), subject
    props.author = props.last_modified_by = "qualcode"
    props.comments = props.keywords = props.category = ""
    props.created = props.modified = stamp
    props.revision = 1


class Report:
    """A Word document being written, with its styles looked up once (python-docx looks a style
    up by name on every use, which costs more than the paragraph itself in a long report)."""

    def __init__(self, title: str, subtitle: str, facts: Sequence[tuple[str, str]]):
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Mm(25))
        self.styles = {name: self.doc.styles[name] for name in PARAGRAPH_STYLES}
        # python-docx's own rule (styles.get_style_id): the default paragraph style is written
        # as no style id
        default = self.doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.style_ids = {name: None if style == default else style.style_id
                          for name, style in self.styles.items()}
        quote = self.styles["Quote"].paragraph_format  # set apart from the running text
        quote.left_indent, quote.right_indent = Mm(10), Mm(5)
        set_properties(self.doc.core_properties, title, subtitle)
        self._body = body = self.doc.element.body
        end = body.sectPr  # the body's last element: paragraphs go just before it, in order
        self._append = end.addprevious if end is not None else body.append
        self._title_page(title, subtitle, facts)

    def _paragraph(self, style: str | None = None, text: str = "") -> Paragraph:
        """A new paragraph at the end of the body, in the named style (None: no style set, as
        python-docx's add_paragraph() without one), with `text` in one run if given."""
        p = self._p(style)
        if text:
            self._text_run(p, text)
        return Paragraph(p, self.doc._body)

    def _p(self, style: str | None):
        p = self._body.makeelement(P)
        self._append(p)
        if style is not None:
            ppr = SubElement(p, PPR)
            style_id = self.style_ids[style]
            if style_id is not None:
                SubElement(ppr, PSTYLE, {VAL: style_id})
        return p

    @staticmethod
    def _text_run(p, text: str, *, upright: bool = False):
        """A run with `text` (tabs and line breaks as elements, as python-docx's run.text
        writes them) at the end of paragraph element `p`; `upright`: italic turned off."""
        text = xml_safe(text)  # a project from before imports refused control characters
        r = SubElement(p, R)
        if upright:
            SubElement(SubElement(r, RPR), ITALIC, {VAL: "0"})
        for part in RUN_BREAKS.split(text) if ("\t" in text or "\r" in text or "\n" in text) \
                else (text,):
            if part == "\t":
                SubElement(r, TAB)
            elif part in ("\r", "\n"):
                SubElement(r, BR)
            elif part:
                t = SubElement(r, T)
                t.text = part
                if len(part.strip()) < len(part):
                    t.set(XML_SPACE, "preserve")
        return r

    def _run(self, paragraph: Paragraph, text: str) -> Run:
        return Run(self._text_run(paragraph._p, text), paragraph)

    def _title_page(self, title: str, subtitle: str, facts: Sequence[tuple[str, str]]) -> None:
        self._paragraph("Title", mask_identity_numbers(title))
        self._paragraph("Subtitle", subtitle)
        for label, value in [*facts, ("Date", dt.date.today().isoformat())]:
            p = self._paragraph("Normal")
            self._run(p, f"{label}: ").bold = True
            self._run(p, mask_identity_numbers(value))
        self.page_break()

    def page_break(self) -> None:
        SubElement(SubElement(self._p(None), R), BR, {qn("w:type"): "page"})

    def heading(self, text: str, level: int) -> None:
        level = max(1, min(level, 4))
        p = self._p(f"Heading {level}")
        if text:
            self._text_run(p, mask_identity_numbers(text))

    def paragraph(self, text: str, *, italic: bool = False) -> None:
        p = self._paragraph("Normal")
        self._run(p, mask_identity_numbers(text)).italic = italic or None

    def note(self, text: str) -> None:
        """A smaller grey paragraph, e.g. a code's definition (quotes are the italic text)."""
        run = self._run(self._paragraph("Normal"), mask_identity_numbers(text))
        run.font.size, run.font.color.rgb = Pt(9), RGBColor(0x59, 0x59, 0x59)

    def caption(self, text: str) -> None:
        self._paragraph("Caption", mask_identity_numbers(text))

    def quote(self, text: str, attribution: str) -> None:
        """«text» (attribution) in the Quote style; line breaks in the excerpt are kept."""
        p = self._p("Quote")
        lines = text.split("\n")
        for i, line in enumerate(lines):
            r = self._text_run(p, line)
            if i < len(lines) - 1:
                SubElement(r, BR)
        if attribution:
            self._text_run(p, f" ({attribution})", upright=True)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], *,
              widths: Sequence[float] | None = None, font_size: float | None = None) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles[TABLE_STYLE]
        table.autofit = not widths
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = mask_identity_numbers(xml_safe(str(text)))
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = mask_identity_numbers(xml_safe(str(text)))
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
        self._paragraph()  # room between a table and what follows

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
