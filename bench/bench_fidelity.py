"""Fidelity tables from the FE forms: what `qualcode query fidelity` and the TUI's Fidelity
screen (key 0) count.

- "fidelity summary per month": `p.fidelity("month")`: forms, tools planned and used and
  principles per form, mean ratings, comments filled. Floor: one raw sqlite3 query giving the
  forms, tools planned and used and principles ticked per month (the item rows summed per form,
  then per month), with the mean of one rating.
- "fidelity tools × month, long": `p.fidelity("month", items="tool", long=True)`, the table the
  TUI shows: per month and tool, the forms, those whose version had the tool, how many planned
  and used it, the shares and the mean mastery. Floor: one raw sqlite3 GROUP BY month and tool
  over the item rows returning the same counts (checked equal).
- "fidelity tools × month, shares": `p.fidelity("month", items="tool")` (the groups × tools
  table of shares). Same floor.

Target (issue 11's follow-up): each at most 0.3 s at 10× the sample study (16,720 forms,
about 470,000 item rows). Tier N: the seeded synthetic FE forms of N × the sample study,
imported with the shipped mapping.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import corpus, measure, new_project, result, scratch, timed
from corpora.generate import demo_scale
from qualcode.core import Project
from qualcode.ingest.forms import import_forms

TARGET = "≤ 0.3 s at 10× (16,720 forms, ~470,000 item rows)"
SUMMARY_FLOOR = """
SELECT substr(f.date, 1, 7) AS month, count(*), total(c.tools_planned), total(c.tools_used),
       total(c.principles), avg(v.value)
FROM forms f
LEFT JOIN (SELECT form_id, sum(kind = 'tool' AND planned = 1) AS tools_planned,
                  sum(kind = 'tool' AND used = 1) AS tools_used,
                  sum(kind = 'principle' AND (planned = 1 OR used = 1)) AS principles
           FROM form_items GROUP BY form_id) c ON c.form_id = f.id
LEFT JOIN form_values v ON v.form_id = f.id AND v.name = 'gjennomfort_som_tenkt'
GROUP BY month
"""
ITEMS_FLOOR = """
SELECT substr(f.date, 1, 7) AS month, i.item, count(*), total(i.planned), total(i.used),
       avg(i.mastery), count(i.mastery)
FROM form_items i JOIN forms f ON f.id = i.form_id
WHERE i.kind = 'tool' AND i.on_form = 1
GROUP BY month, i.item
"""


def raw_rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def build(path: Path, tier: int) -> int:
    with new_project(path) as project:
        import_forms(project, corpus(tier) / "fe_forms.csv")
        return project.conn.execute("SELECT count(*) FROM form_items").fetchone()[0]


def _same_item_counts(long, floor: list[tuple]) -> None:
    ours = {(m, i): (n, p, u, r) for m, i, n, p, u, r in zip(
        long["month"], long["item"], long["on_form"], long["planned"], long["used"],
        long["rated"], strict=True)}
    raw = {(m, i): (n, int(p), int(u), r) for m, i, n, p, u, _, r in floor}
    if ours != raw:
        raise AssertionError("p.fidelity's counts differ from the raw GROUP BY's")


def run(tier: int) -> list[dict]:
    work = scratch(f"fidelity-{tier}")
    path = work / "forms.qualcode"
    items = build(path, tier)
    forms = demo_scale(tier).forms
    size = f"{forms:,} forms, {items:,} item rows"
    out = []
    with Project.open(path) as p:
        summary = p.fidelity("month")
        seconds = measure(lambda: p.fidelity("month"), repeat=5)
        floor_rows: list[tuple] = []
        base = timed(lambda: floor_rows.__setitem__(slice(None), raw_rows(path, SUMMARY_FLOOR)),
                     repeat=5)
        if {r[0]: r[1] for r in floor_rows} != summary["forms"].to_dict():
            raise AssertionError("p.fidelity's forms per month differ from the raw query's")
        out.append(result(
            "fidelity summary per month", size, seconds, base, TARGET,
            baseline="one raw sqlite3 query: forms, tools planned and used and principles "
                     "per month (item rows summed per form, then per month), one mean rating",
            note=f"CPU {seconds.cpu_seconds:.3f} s"))
        long = p.fidelity("month", items="tool", long=True)
        base = timed(lambda: floor_rows.__setitem__(slice(None), raw_rows(path, ITEMS_FLOOR)),
                     repeat=5)
        _same_item_counts(long, floor_rows)
        seconds = measure(lambda: p.fidelity("month", items="tool", long=True), repeat=5)
        out.append(result(
            "fidelity tools × month, long", size, seconds, base, TARGET,
            baseline="one raw sqlite3 GROUP BY month and tool over the item rows, the same "
                     "counts (checked equal)",
            note=f"CPU {seconds.cpu_seconds:.3f} s; the table of the TUI's Fidelity screen"))
        seconds = measure(lambda: p.fidelity("month", items="tool"), repeat=5)
        out.append(result(
            "fidelity tools × month, shares", size, seconds, base, TARGET,
            baseline="the same raw GROUP BY month and tool",
            note=f"CPU {seconds.cpu_seconds:.3f} s"))
    return out


if __name__ == "__main__":
    for figure in run(10):
        print(f"{figure['name']}: {figure['seconds']:.3f} s (floor "
              f"{figure['baseline_seconds']:.3f} s, {figure['ratio']:.2f}×), peak "
              f"{(figure['peak_bytes'] or 0) / 2**20:.0f} MiB; target {figure['target']}")
