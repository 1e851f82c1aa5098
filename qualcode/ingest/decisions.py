"""Screening decisions from a table (CSV or XLSX): one row per document, coder and phase.

Columns: `source`, `coder`, `phase`, `decision`, and optionally `reason` and `criterion`
(header names in any case). Every row is checked before anything is written; the first problem
is reported with its row and column and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualcode.core.decisions import NewDecision
from qualcode.errors import InputError, QualcodeError
from qualcode.ingest.tables import read_table

REQUIRED = ("source", "coder", "phase", "decision")
OPTIONAL = ("reason", "criterion")


@dataclass(frozen=True)
class DecisionsImported:
    rows: int
    changed: int
    coders_added: list[str]

    def lines(self) -> list[str]:
        added = f"; new coders: {', '.join(self.coders_added)}" if self.coders_added else ""
        return [f"read {self.rows} decisions: {self.changed} new or changed{added}"]


def import_decisions(project, path: str | Path, *, add_coders: bool = False
                     ) -> DecisionsImported:
    """Record the decisions in `path` as one change. Unknown documents, decisions and criteria
    are errors; so are unknown coders unless `add_coders`."""
    path = Path(path)
    table = read_table(path, expected=REQUIRED)
    columns = {h.strip().casefold(): i for i, h in enumerate(table.header)}
    for name in REQUIRED:
        if name not in columns:
            raise InputError(path, f"no column {name!r} (columns: {', '.join(table.header)})",
                             row=1)
    unknown = [h for h in table.header if h.strip().casefold() not in REQUIRED + OPTIONAL]
    if unknown:
        raise InputError(path, f"unknown column (expected {', '.join(REQUIRED + OPTIONAL)})",
                         row=1, column=unknown[0])
    header = {name: table.header[i] for name, i in columns.items()}
    sources = {s.name: s.id for s in project.source_list()}
    coders = {c.name: c.id for c in project.coders()}
    new_coders: dict[str, int] = {}
    items, seen = [], {}

    def cell(cells, name) -> str:
        i = columns.get(name)
        value = cells[i] if i is not None and i < len(cells) else None
        return "" if value is None else str(value).strip()

    for number, cells in table.rows:
        values = {name: cell(cells, name) for name in REQUIRED + OPTIONAL}
        if not any(values.values()):
            continue
        for name in REQUIRED:
            if not values[name]:
                raise InputError(path, f"{name} is empty", row=number, column=header[name])
        if values["source"] not in sources:
            raise InputError(path, f"no source {values['source']!r} in the project",
                             row=number, column=header["source"])
        coder = values["coder"]
        if coder not in coders and coder not in new_coders:
            if not add_coders:
                raise InputError(path, f"no coder {coder!r} in the project (add coders with "
                                 "--add-coders)", row=number, column=header["coder"])
            new_coders[coder] = -1
        try:
            decision = project.check_decision(values["decision"], values["criterion"])
        except QualcodeError as exc:
            column = "criterion" if str(exc).startswith("no criterion") else "decision"
            raise InputError(path, str(exc), row=number, column=header[column]) from None
        key = (values["source"], coder, values["phase"], values["criterion"])
        if key in seen:
            raise InputError(path, f"the same document, coder and phase as row {seen[key]}",
                             row=number, column=header["decision"])
        seen[key] = number
        items.append((values, coder, decision))
    with project.change("import decisions", path.name):
        for name in new_coders:
            new_coders[name] = project.coder(name).id
        ids = {**coders, **new_coders}
        changed = project.set_decisions(
            NewDecision(sources[v["source"]], ids[coder], v["phase"], decision, v["reason"],
                        v["criterion"]) for v, coder, decision in items)
    return DecisionsImported(len(items), changed, list(new_coders))
