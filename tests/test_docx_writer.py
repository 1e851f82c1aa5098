"""The Word writer appends paragraphs as lxml elements; the XML is exactly what python-docx's own
add_paragraph / add_run calls write for the same report (the reference below is the writer as it
was before), also for tabs, carriage returns, blank lines, edge spaces and identity numbers."""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from qualcode.export.docx_parts import Report
from qualcode.export.masking import mask_identity_numbers

TEXTS = [
    "«En vanlig setning.»",
    "«Første linje\nandre linje\n\ntredje etter en tom linje»",
    "«Med\ttabulator og\r\nvognretur\r»",
    "  mellomrom i begge ender  ",
    "\n",
    "",
    "fødselsnummer 15039010043 midt i",
    "«Æ, ø og å 😅»",
]


def reference(title, subtitle, facts, steps) -> Document:
    """python-docx's public API, as the report was written before."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(25))
    styles = doc.styles
    quote = styles["Quote"].paragraph_format
    quote.left_indent, quote.right_indent = Mm(10), Mm(5)
    doc.add_paragraph(mask_identity_numbers(title), styles["Title"])
    doc.add_paragraph(subtitle, styles["Subtitle"])
    for label, value in [*facts, ("Date", dt.date.today().isoformat())]:
        p = doc.add_paragraph(style=styles["Normal"])
        p.add_run(f"{label}: ").bold = True
        p.add_run(mask_identity_numbers(value))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for kind, *args in steps:
        if kind == "heading":
            text, level = args
            doc.add_paragraph(mask_identity_numbers(text), styles[f"Heading {level}"])
        elif kind == "quote":
            text, attribution = args
            p = doc.add_paragraph(style=styles["Quote"])
            lines = text.split("\n")
            for i, line in enumerate(lines):
                run = p.add_run(line)
                if i < len(lines) - 1:
                    run.add_break()
            if attribution:
                p.add_run(f" ({attribution})").italic = False
        elif kind == "note":
            run = doc.add_paragraph(style=styles["Normal"]).add_run(
                mask_identity_numbers(args[0]))
            run.font.size, run.font.color.rgb = Pt(9), RGBColor(0x59, 0x59, 0x59)
        elif kind == "caption":
            doc.add_paragraph(mask_identity_numbers(args[0]), styles["Caption"])
        elif kind == "paragraph":
            p = doc.add_paragraph(style=styles["Normal"])
            p.add_run(mask_identity_numbers(args[0])).italic = args[1] or None
        elif kind == "page_break":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return doc


def written(title, subtitle, facts, steps) -> Report:
    report = Report(title, subtitle, facts)
    for kind, *args in steps:
        if kind == "paragraph":
            report.paragraph(args[0], italic=args[1])
        else:
            getattr(report, kind)(*args)
    return report


def body_xml(doc) -> bytes:
    return etree.tostring(doc.element.body)


def test_every_kind_of_paragraph_is_written_as_python_docx_writes_it():
    steps = [("heading", "Barrierer", 1), ("note", "Det som hemmer\tog\nfremmer."),
             ("heading", "", 2), ("caption", "Tabell 1 15039010043")]
    for level, text in enumerate(TEXTS):
        steps += [("heading", text, level % 4 + 1), ("quote", text, "HPMT-veileder, T2"),
                  ("quote", text, ""), ("note", text), ("paragraph", text, level % 2 == 0)]
    steps += [("page_break",), ("heading", "Kontor 2", 1)]
    facts = [("Project", "Studie 15039010043"), ("Filters", " none ")]
    ours = written("Tittel\tmed tab", "Coded excerpts", facts, steps)
    theirs = reference("Tittel\tmed tab", "Coded excerpts", facts, steps)
    assert body_xml(ours.doc) == body_xml(theirs)
    assert etree.tostring(ours.doc.styles.element) == etree.tostring(theirs.styles.element)


def test_paragraphs_follow_tables_in_the_order_written(tmp_path):
    report = Report("T", "S", [])
    report.heading("Før", 1)
    report.table(["Figur", "Verdi"], [("Skjema", "12")], widths=[110, 50])
    report.quote("«Etter»", "")
    report.save(tmp_path / "r.docx")
    doc = Document(str(tmp_path / "r.docx"))
    body = [child.tag.split("}")[1] for child in doc.element.body]
    assert body[-5:] == ["p", "tbl", "p", "p", "sectPr"]
    assert [p.text for p in doc.paragraphs][-3:] == ["Før", "", "«Etter»"]
