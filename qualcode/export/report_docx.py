"""Coded excerpts as a Word report, grouped by the code tree and, if asked, by a case attribute
such as office, with each group's fidelity counts and measures in front of its excerpts.

Layouts:
- no grouping: code headings (Heading 1-3 following the tree), the quotes under each code;
- ``group-code``: a Heading 1 per group (e.g. office 2) opening with a table of its fidelity
  counts and measures, then the codes and quotes of that group;
- ``code-group``: the code tree first, and under each code a heading per group. An overview
  table of every group's numbers opens the report.

Each quote is «excerpt» (attribution), the attribution filled in from the source's attributes by
a template (default "{role}, {time}"). With `anonymous`, the grouping attribute is never printed
beside a quote. Identity numbers are masked everywhere; `[navn]` stays as it was masked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from qualcode.analysis.filters import natural_key
from qualcode.core.util import counted
from qualcode.errors import InvalidOperation
from qualcode.export.decisions_docx import has_decisions, write_decisions
from qualcode.export.docx_parts import Report, number, percent
from qualcode.export.masking import mask_identity_numbers
from qualcode.export.quotes import DEFAULT_ATTRIBUTION, attribution, fields_of, quote_text, show
from qualcode.store.attribute_values import value_text

LAYOUTS = ("group-code", "code-group")
NOT_SET = "(not set)"


@dataclass
class ReportOptions:
    codes: Sequence | None = None          # code refs; None: every code
    descendants: bool = True               # with the given codes' sub-codes
    coders: Sequence[str] | None = None
    attributes: Mapping[str, Any] | None = None  # {name: value or [values]}
    attribution: str = DEFAULT_ATTRIBUTION
    group_by: str | None = None            # a source attribute, e.g. "office"
    layout: str = "group-code"
    anonymous: bool = False                # never print `group_by` beside a quote
    numbers: bool = True                   # fidelity counts and measures per group
    definitions: bool = True               # each code's definition under its heading
    title: str | None = None               # default: the project's name
    extra_facts: list[tuple[str, str]] = field(default_factory=list)
    decisions: bool = True                 # the screening funnel and agreement, if any


@dataclass(frozen=True)
class ReportResult:
    path: Path
    excerpts: int
    codes: int
    groups: int
    by_source_name: int = 0  # quotes whose source has none of the attribution's fields
    unattributed: int = 0    # such quotes left bare, since --anonymous keeps source names out
    unknown_fields: tuple[str, ...] = ()  # attribution fields no quoted source has (misspelt?)


def excerpts_docx(project, path: str | Path, options: ReportOptions | None = None,
                  **overrides: Any) -> ReportResult:
    """Write the report to `path`. Options as a ReportOptions and/or keyword arguments."""
    options = options or ReportOptions()
    for key, value in overrides.items():
        if not hasattr(options, key):
            raise InvalidOperation(f"unknown report option {key!r}")
        setattr(options, key, value)
    if options.layout not in LAYOUTS:
        raise InvalidOperation(f"layout {options.layout!r} is not one of {', '.join(LAYOUTS)}")
    codes = None if options.codes is None else project.code_ids(options.codes)
    frame = project.codings(codes=codes, descendants=options.descendants,
                            coders=options.coders, attributes=options.attributes)
    frame = frame.drop_duplicates(["code_id", "source_id", "start", "end"])
    group = options.group_by
    if group is not None:
        if group not in frame.columns and len(frame):
            raise InvalidOperation(f"no coded source has the attribute {group!r}")
        frame = frame.assign(_group=frame[group].map(show).fillna(NOT_SET)
                             if group in frame.columns else NOT_SET)
    hide = [group] if options.anonymous and group else []
    shown = _pseudonyms(project, set(frame["_group"])) if hide else {}
    used = [c for c in dict.fromkeys([*fields_of(options.attribution), "source_kind",
                                      "form_date"]) if c in frame.columns]
    # the attribution's fields are the source's (its attributes, kind and form): once a source
    first = frame.drop_duplicates("source_id")
    by_source = {source_id: _attribution(options.attribution, row, hide) for source_id, row in
                 zip(first["source_id"], first[used].to_dict("records"), strict=True)}
    frame = frame.assign(_quote=[quote_text(t) for t in frame["text"]],
                         _by=frame["source_id"].map(by_source).astype(object))
    # A quote must not lose its source: without the template's fields, the source's name stands
    # in (not with --anonymous: a name such as kontor02_leder_T2 tells what is hidden).
    bare = frame["_by"] == ""
    if not hide:
        frame.loc[bare, "_by"] = frame.loc[bare, "source"].map(mask_identity_numbers)
    missing = (int(bare.sum()), 0) if not hide else (0, int(bare.sum()))
    tree = _CodeTree(project, set(frame["code_id"]))
    # Anonymous: neither the project's name (often a place or a person) nor, without --title,
    # any title that could carry one on the title page or in the document's metadata.
    title = options.title or ("Coded excerpts" if options.anonymous else project.name)
    report = Report(title, "Anonymous report" if options.anonymous else "Coded excerpts",
                    _facts(project, options, len(frame), *missing))
    groups = _sorted_groups(frame["_group"], shown) if group else []
    numbers = _GroupNumbers(project, group, shown) if group and options.numbers else None
    if group is None:
        tree.write(report, frame, 1, options.definitions)
    elif options.layout == "group-code":
        for n, value in enumerate(groups):
            if n:
                report.page_break()
            report.heading(_group_heading(group, shown.get(value, value)), 1)
            if numbers:
                numbers.write_group(report, value)
            tree.write(report, frame[frame["_group"] == value], 2, options.definitions)
    else:
        if numbers:
            numbers.write_overview(report, groups)
        tree.write(report, frame, 1, options.definitions, group=group, groups=groups,
                   shown=shown)
    if options.decisions and has_decisions(project):
        write_decisions(report, project)
    report.save(path)
    unknown = tuple(f for f in fields_of(options.attribution) if f not in frame.columns) \
        if len(frame) else ()
    return ReportResult(Path(path), len(frame), len(tree.with_excerpts), len(groups),
                        *missing, unknown)


def _attribution(template: str, row: dict, hide: list[str]) -> str:
    text = attribution(template, row, hide)
    if text or row.get("source_kind") != "form_field":
        return text
    return attribution("skjema {form_date}", {"form_date": str(row.get("form_date") or "")[:7]})


def _facts(project, options: ReportOptions, n: int, by_source_name: int = 0,
           unattributed: int = 0) -> list[tuple[str, str]]:
    facts = [] if options.anonymous else [("Project", project.name)]
    facts.append(("Excerpts", f"{n}"))
    filters = []
    if options.codes:
        filters.append("codes " + ", ".join(project.code(c).path
                                             for c in project.code_ids(options.codes))
                       + (" (with sub-codes)" if options.descendants else ""))
    if options.coders:
        filters.append("coders " + ", ".join(options.coders))
    for name, value in (options.attributes or {}).items():
        values = value if isinstance(value, list | tuple | set) else [value]
        if options.anonymous and name == options.group_by:
            filters.append(f"{name}: {counted(len(values), 'value')} (not named: anonymous)")
            continue
        filters.append(f"{name} = " + " or ".join(value_text(v) for v in values))
    facts.append(("Filters", "; ".join(filters) if filters else "none (all coded excerpts)"))
    if project.blind:
        facts.append(("Blind mode", f"on: only {project.coder_name}'s codings"))
    if options.group_by:
        facts.append(("Grouped by", f"{options.group_by} ({options.layout.replace('-', ' → ')})"))
    shown = [f for f in fields_of(options.attribution)
             if not (options.anonymous and f == options.group_by)]
    attributed = ", ".join(shown) if shown else "nothing"
    if by_source_name:
        attributed += (f"; by the source's name where the source has none of these "
                       f"({counted(by_source_name, 'quote')})")
    if unattributed:
        attributed += (f"; no attribution where the source has none of these "
                       f"({counted(unattributed, 'quote')}: anonymous, so no source names)")
    facts.append(("Quotes attributed by", attributed))
    if options.anonymous and options.group_by:
        facts.append(("Anonymity", f"{options.group_by} is never printed beside a quote; the "
                      f"groups are named {options.group_by} A, B, … in an order unrelated to "
                      "their names"))
    return facts + list(options.extra_facts)


def _group_heading(group: str, value: str) -> str:
    return f"{group[:1].upper()}{group[1:]} {value}" if value != NOT_SET else \
        f"{group[:1].upper()}{group[1:]} {NOT_SET}"


def _sorted_groups(values: pd.Series, shown: Mapping[str, str]) -> list[str]:
    if shown:  # anonymous: in the order of their pseudonyms, which tells nothing
        return sorted(set(values), key=lambda v: (v == NOT_SET, len(shown[v]), shown[v]))
    return sorted(set(values), key=natural_key)


def _pseudonyms(project, values: set[str]) -> dict[str, str]:
    """Group value -> "A", "B", … for anonymous reports. The order comes from a hash of the
    value and the project's creation time: the same in every report of the project (so Office B
    is the same office throughout), unrelated to the names' alphabetical order."""
    created = project.created_at
    order = sorted((v for v in values if v != NOT_SET),
                   key=lambda v: hashlib.sha256(f"{created}\0{v}".encode()).hexdigest())
    shown = {value: _letters(n) for n, value in enumerate(order)}
    if NOT_SET in values:
        shown[NOT_SET] = NOT_SET
    return shown


def _letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: spreadsheet column names."""
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


class _CodeTree:
    """The codes that have excerpts, with their ancestors, in tree order."""

    def __init__(self, project, code_ids: set[int]):
        self.codes = project.codes()
        self.tree = project.code_tree()
        keep = self._codes_with_excerpts_below(code_ids)
        self.shown = [c for c in self.codes if c.id in keep]
        self.depth = {c.id: c.path.count("/") for c in self.shown}
        self.with_excerpts = code_ids

    def write(self, report: Report, frame: pd.DataFrame, top: int, definitions: bool, *,
              group: str | None = None, groups: Sequence[str] = (),
              shown: Mapping[str, str] | None = None) -> None:
        """Headings from level `top` down; quotes under each code (by group, if given)."""
        by_code = {cid: rows for cid, rows in frame.groupby("code_id", sort=False)}
        below = self._codes_with_excerpts_below(set(by_code))
        for code in self.shown:
            if code.id not in below:
                continue
            level = min(top + self.depth[code.id], 3 if top == 1 else 4)
            report.heading(code.name, level)
            if definitions and code.description:
                report.note(code.description.strip())
            rows = by_code.get(code.id)
            if rows is None:
                continue
            if group is None:
                _quotes(report, rows)
                continue
            for value in groups:
                part = rows[rows["_group"] == value]
                if len(part):
                    report.heading(_group_heading(group, (shown or {}).get(value, value)),
                                   min(level + 1, 4))
                    _quotes(report, part)

    def _codes_with_excerpts_below(self, code_ids: set[int]) -> set[int]:
        """The codes and their ancestors: the headings a report needs above the excerpts."""
        return {a for cid in code_ids for a in (cid, *self.tree.ancestors(cid))}


def _quotes(report: Report, rows: pd.DataFrame) -> None:
    for text, by in zip(rows["_quote"], rows["_by"], strict=True):
        report.quote(text, by)


class _GroupNumbers:
    """Per group value: fidelity counts from the forms and the measures keyed by the grouping
    attribute (either may be absent)."""

    def __init__(self, project, group: str, shown: Mapping[str, str] | None = None):
        self.group = group
        self.shown = shown or {}  # anonymous: the pseudonym of each group value
        self.summary = self.tools = None
        if project.info()["forms"]:
            try:
                self.summary = project.fidelity(group)
                self.tools = project.fidelity(group, items="tool", long=True)
            except InvalidOperation:  # the forms do not carry this attribute
                self.summary = self.tools = None
        self.measures = project.measures_by(group)

    def _summary_rows(self, value: str) -> list[tuple[str, str]]:
        rows = []
        if self.summary is not None and value in self.summary.index:
            s = self.summary.loc[value]
            for name, v in s.items():
                if name == "forms":
                    rows.append(("Forms", number(int(v))))
                elif name.endswith(" filled"):
                    continue  # the count; the report shows the share beside the forms
                elif name.endswith(" filled %"):
                    rows.append((f"Forms with {name.removesuffix(' filled %')} filled", percent(v)))
                elif name.startswith("mean "):
                    rows.append((f"Mean {name.removeprefix('mean ')}", number(v)))
                else:
                    rows.append((f"{name[:1].upper()}{name[1:]} per form", number(v)))
        if value in self.measures.index:
            for name, v in self.measures.loc[value].items():
                rows.append((str(name), number(v, 2)))
        return rows

    def write_group(self, report: Report, value: str) -> None:
        rows = self._summary_rows(value)
        heading = _group_heading(self.group, self.shown.get(value, value))
        label = heading[:1].lower() + heading[1:]
        if rows:
            report.caption(f"Fidelity forms and measures, {label}")
            report.table(["Figure", "Value"], rows, widths=[110, 50])
        if self.tools is not None:
            tools = self.tools[self.tools[self.group] == value]
            tools = tools[tools["on_form"] > 0]
            if len(tools):
                report.caption(f"Tools on the forms, {label} (shares of the forms whose "
                               "version listed the tool)")
                report.table(["Tool", "Planned", "Used", "Mean mastery"],
                             [(item, percent(planned), percent(used), number(mastery))
                              for item, planned, used, mastery in zip(
                                  tools["item"], tools["planned %"], tools["used %"],
                                  tools["mastery"], strict=True)], widths=[70, 30, 30, 30])

    def write_overview(self, report: Report, groups: Sequence[str]) -> None:
        """One table, a column per group (groups are few, figures many)."""
        table = {g: dict(self._summary_rows(g)) for g in groups}
        names = list(dict.fromkeys(n for rows in table.values() for n in rows))
        if not names:
            return
        report.heading(f"Figures by {self.group}", 1)
        report.caption(f"Fidelity forms and measures by {self.group}")
        first = 60.0
        rest = (160 - first) / len(groups)
        report.table([self.group, *(self.shown.get(g, g) for g in groups)],
                     [[n, *(table[g].get(n, "–") for g in groups)] for n in names],
                     widths=[first, *[rest] * len(groups)], font_size=8)
        report.page_break()
