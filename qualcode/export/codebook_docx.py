"""A codebook as a Word document: a title page, then the tree as headings (Heading 1-3, deeper
levels as bold paragraphs) with each code's definition, rules, example and, given a project,
its numbers of codings and sources. Uses Word's own styles so the reader's template applies."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass, replace
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt, RGBColor

from qualcode.core.codebook_tree import CodebookTree, CodeNode
from qualcode.core.model import PATH_SEP
from qualcode.core.textrules import xml_safe
from qualcode.core.util import counted as _n
from qualcode.export.atomic import atomic_path
from qualcode.export.docx_parts import set_properties

HEADING_LEVELS = 3  # deeper codes become bold paragraphs


def _label(name: str, en: str | None) -> str:
    return f"{name} ({en})" if en and en != name else name


def _rgb(color: str) -> RGBColor:
    hex6 = color[1:] if len(color) == 7 else "".join(c * 2 for c in color[1:])
    return RGBColor.from_string(hex6.upper())


def _labelled(document, label: str, text: str, *, italic: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text).italic = italic


def _count_text(row) -> str:
    own = f"{_n(row.codings, 'coding')} in {_n(row.sources, 'source')}"
    total = f"{_n(row.codings_total, 'coding')} in {_n(row.sources_total, 'source')}"
    if not row.codable:
        return f"{total} with its sub-codes"
    if row.codings_total != row.codings:
        return f"{own}; {total} with its sub-codes"
    return own


def _xml_safe(item):
    """A copy of a codebook tree (or node, or group) with every text as XML can hold it."""
    changes = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if isinstance(value, str):
            changes[f.name] = xml_safe(value)
        elif isinstance(value, list):
            changes[f.name] = [xml_safe(v) if isinstance(v, str) else
                               _xml_safe(v) if is_dataclass(v) else v for v in value]
    return replace(item, **changes)


def codebook_docx(tree: CodebookTree, path: str | Path, *, project=None) -> Path:
    """Write the codebook to `path` (.docx). With `project`, each code shows its counts."""
    counts = None
    if project is not None:
        counts = {row.path: row for row in project.code_counts().itertuples()}
    tree = _xml_safe(tree)  # text stored before control characters were refused
    document = Document()
    set_properties(document.core_properties, tree.title or tree.name, "Codebook")
    _title_page(document, tree, project, n_codes=sum(1 for _ in tree.walk()))

    def write(node: CodeNode, prefix: str, depth: int) -> None:
        path = f"{prefix}{PATH_SEP}{node.name}" if prefix else node.name
        if depth < HEADING_LEVELS:
            heading = document.add_heading(level=depth + 1)
        else:
            heading = document.add_paragraph()
            heading.paragraph_format.keep_with_next = True
            heading.paragraph_format.space_before = Pt(12)
        if node.color:  # the code's colour as a small swatch, as in the coding screen
            swatch = heading.add_run("■ ")
            swatch.font.color.rgb = _rgb(node.color)
        title = heading.add_run(_label(node.name, node.en))
        if depth >= HEADING_LEVELS:
            title.bold = True
        if not node.codable:
            note = document.add_paragraph()
            note.add_run("Category: groups the codes below, not used for coding itself.") \
                .italic = True
        if node.definition:
            document.add_paragraph(node.definition)
        if node.include:
            _labelled(document, "Include", node.include)
        if node.exclude:
            _labelled(document, "Exclude", node.exclude)
        if node.example:
            _labelled(document, "Example", "«" + node.example.strip('«»"') + "»", italic=True)
        if node.patterns:
            _labelled(document, "Autocoding patterns", ", ".join(node.patterns))
        if counts is not None and path in counts:
            _labelled(document, "In this project", _count_text(counts[path]))
        for child in node.children:
            write(child, path, depth + 1)

    for node in tree.codes:
        write(node, "", 0)
    if tree.groups:
        document.add_heading("Groups", level=1)
        for group in tree.groups:
            document.add_heading(_label(group.name, group.en), level=2)
            document.add_paragraph(
                "Mutually exclusive: one of these codes per passage and coder."
                if group.exclusive else "A set of codes (not exclusive).")
            for member in group.codes:
                document.add_paragraph(member, style="List Bullet")
    path = Path(path)
    with atomic_path(path) as temp:
        document.save(str(temp))
    return path


def _title_page(document, tree: CodebookTree, project, *, n_codes: int) -> None:
    document.add_paragraph(tree.title or tree.name, style="Title")
    if tree.en:
        document.add_paragraph(tree.en, style="Subtitle")
    if tree.description:
        document.add_paragraph(tree.description)
    if tree.source:
        _labelled(document, "Source", tree.source)
    facts = [f"Codebook: {tree.name}", f"{n_codes} codes"]
    if tree.groups:
        facts.append(f"{len(tree.groups)} groups")
    if project is not None:
        facts.append(f"project: {project.name}")
    facts.append(f"written {dt.date.today().isoformat()}")
    info = document.add_paragraph()
    run = info.add_run(" · ".join(facts))
    run.font.size = Pt(9)
    info.add_run().add_break(WD_BREAK.PAGE)
