"""Screening decisions: per document, coder and phase a decision (include, exclude, or one of the
project's own) with a reason; optionally a verdict per criterion. The funnel of a screening
study and the agreement on its decisions (Cohen's kappa) are computed from them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qualcode.core.util import counted, new_guid
from qualcode.errors import InvalidOperation, NotFound
from qualcode.store import now

if TYPE_CHECKING:
    import pandas as pd

AGREED = "agreed"


@dataclass(frozen=True)
class DecisionOption:
    name: str
    en: str | None
    continues: bool  # the document goes on to the next phase


@dataclass(frozen=True)
class NewDecision:
    """A decision to record with `Project.set_decisions` (ids: importers resolve)."""

    source_id: int
    coder_id: int
    phase: str
    decision: str
    reason: str | None = None
    criterion: str = ""


class DecisionsMixin:
    # -- the project's lists ------------------------------------------------------------------
    def decision_options(self) -> list[DecisionOption]:
        return [DecisionOption(r[0], r[1], bool(r[2])) for r in self.conn.execute(
            "SELECT name, en, continues FROM decision_options ORDER BY position, id")]

    def add_decision_option(self, name: str, *, en: str | None = None,
                            continues: bool = True) -> DecisionOption:
        """A decision coders may make, e.g. "unclear" (continues=True: the document goes on)."""
        name = (name or "").strip()
        if not name:
            raise InvalidOperation("a decision needs a name")
        if name in {o.name for o in self.decision_options()}:
            raise InvalidOperation(f"the decision {name!r} is already defined")
        top = self.conn.execute("SELECT ifnull(max(position), 0) FROM decision_options"
                                ).fetchone()[0]
        with self.change("add decision option", name) as rec:
            rec.insert("decision_options", {"name": name, "en": en,
                                            "continues": int(continues), "position": top + 1})
        return DecisionOption(name, en, continues)

    def criteria(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM criteria ORDER BY position, id")]

    def add_criterion(self, name: str, *, en: str | None = None,
                      dimension: str | None = None) -> None:
        """A criterion documents can be judged on one by one (a verdict per criterion)."""
        name = (name or "").strip()
        if not name:
            raise InvalidOperation("a criterion needs a name")
        if name in self.criteria():
            raise InvalidOperation(f"the criterion {name!r} is already defined")
        top = self.conn.execute("SELECT ifnull(max(position), 0) FROM criteria").fetchone()[0]
        with self.change("add criterion", name) as rec:
            rec.insert("criteria", {"name": name, "en": en, "dimension": dimension,
                                    "position": top + 1})

    def check_decision(self, decision: str, criterion: str = "") -> str:
        """The decision's name as defined (case ignored); InvalidOperation naming the choices."""
        names = [o.name for o in self.decision_options()]
        wanted = str(decision or "").strip()
        found = [n for n in names if n.casefold() == wanted.casefold()]
        if not found:
            raise InvalidOperation(f"no decision {wanted!r} (decisions: {', '.join(names)})")
        criterion = (criterion or "").strip()
        if criterion and criterion not in self.criteria():
            known = ", ".join(self.criteria()) or "none defined"
            raise InvalidOperation(f"no criterion {criterion!r} (criteria: {known})")
        return found[0]

    # -- recording ----------------------------------------------------------------------------
    def decide(self, source, decision: str, *, phase: str, reason: str | None = None,
               criterion: str = "", coder: str | None = None) -> None:
        """Record (or replace) the current coder's decision on `source` in `phase`."""
        src = self.source(source)
        decision = self.check_decision(decision, criterion)
        with self.change("decide", f"{src.name}: {decision} ({phase})"):
            coder_id = self.coder(coder).id
            self.set_decisions([NewDecision(src.id, coder_id, phase, decision, reason,
                                            criterion)])

    def set_decisions(self, items: Iterable[NewDecision]) -> int:
        """Record many decisions as one change, each replacing that coder's earlier decision on
        the same document, phase and criterion. Returns how many changed."""
        items = list(items)
        options = {o.name for o in self.decision_options()}
        stamp, changed = now(), 0
        with self.change("set decisions", counted(len(items), "decision")) as rec:
            for item in items:
                phase = (item.phase or "").strip()
                if not phase:
                    raise InvalidOperation("a decision needs a phase")
                if item.decision not in options:
                    raise InvalidOperation(f"no decision {item.decision!r}")
                reason = (item.reason or "").strip() or None
                row = self.conn.execute(
                    "SELECT id, decision, reason FROM decisions WHERE source_id = ? AND "
                    "coder_id = ? AND phase = ? AND criterion = ?",
                    [item.source_id, item.coder_id, phase, item.criterion]).fetchone()
                if row is None:
                    rec.insert("decisions", {
                        "guid": new_guid(), "source_id": item.source_id,
                        "coder_id": item.coder_id, "phase": phase,
                        "criterion": item.criterion, "decision": item.decision,
                        "reason": reason, "created_at": stamp})
                    changed += 1
                elif (row["decision"], row["reason"]) != (item.decision, reason):
                    rec.update("decisions", row["id"], decision=item.decision, reason=reason)
                    changed += 1
        return changed

    def clear_decision(self, source, *, phase: str, criterion: str = "",
                       coder: str | None = None) -> None:
        src = self.source(source)
        coder_id = self.coder_id(coder or self.coder_name)
        with self.change("clear decision", f"{src.name} ({phase})") as rec:
            rec.delete("decisions", "source_id = ? AND coder_id = ? AND phase = ? AND "
                       "criterion = ?", [src.id, coder_id, phase, criterion])

    # -- reading ------------------------------------------------------------------------------
    def phases(self) -> list[str]:
        """The phases in the order they were first used (e.g. screening, in-depth)."""
        return [r[0] for r in self.conn.execute(
            "SELECT phase FROM decisions GROUP BY phase ORDER BY min(id)")]

    def decision_of(self, source, *, phase: str, coder: str | None = None,
                    criterion: str = "") -> tuple[str, str | None] | None:
        """(decision, reason) of a coder (default: the current one), or None."""
        row = self.conn.execute(
            "SELECT d.decision, d.reason FROM decisions d JOIN coders c ON c.id = d.coder_id "
            "WHERE d.source_id = ? AND c.name = ? AND d.phase = ? AND d.criterion = ?",
            [self.source(source).id, coder or self.coder_name, phase, criterion]).fetchone()
        return (row[0], row[1]) if row else None

    def decisions(self, *, phase: str | None = None, criterion: str | None = "",
                  coders: Iterable[str] | None = None) -> pd.DataFrame:
        """One row per decision: source, coder, phase, criterion, decision, reason, created_at.
        `criterion` "" (default): decisions on whole documents; None: all."""
        import pandas as pd

        sql = ("SELECT s.name AS source, c.name AS coder, d.phase, d.criterion, d.decision, "
               "d.reason, d.created_at, d.source_id FROM decisions d "
               "JOIN sources s ON s.id = d.source_id JOIN coders c ON c.id = d.coder_id")
        where, params = [], []
        if phase is not None:
            if phase not in self.phases():
                raise NotFound(f"no decisions in phase {phase!r} (phases: "
                               f"{', '.join(self.phases()) or 'none yet'})")
            where.append("d.phase = ?")
            params.append(phase)
        if criterion is not None:
            where.append("d.criterion = ?")
            params.append(criterion)
        if coders is not None:
            ids = [self.coder_id(c) for c in coders]
            where.append(f"d.coder_id IN ({', '.join('?' * len(ids))})")
            params += ids
        sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY d.id"
        return pd.read_sql_query(sql, self.conn, params=params)

    # -- agreement and the funnel ---------------------------------------------------------------
    def decision_agreement(self, *, phase: str | None = None,
                           coders: Iterable[str] | str | None = None,
                           criterion: str = "") -> pd.DataFrame:
        """Per phase: documents judged by two coders, observed and expected agreement, Cohen's
        kappa; `attrs["tables"]` holds each phase's k×k table (rows: the first coder's
        decision, columns: the second's). With `coders` (two names) rows are the first named;
        without, each document's two coders in name order. Documents with one judgement, or
        more than two, are left out and counted in `attrs["notes"]`."""
        import pandas as pd

        from qualcode.analysis.agreement import decision_kappa

        names = None
        if coders is not None:
            names = [c.strip() for c in coders.split(",")] if isinstance(coders, str) \
                else list(coders)
            names = [self._coder_names([self.coder_id(n)])[0] for n in names]
            if len(set(names)) != 2:
                raise InvalidOperation("Cohen's kappa on decisions compares two coders; give two")
        frame = self.decisions(phase=phase, criterion=criterion, coders=names)
        values = [o.name for o in self.decision_options()]
        rows, tables, notes = [], {}, []
        for ph in ([phase] if phase else self.phases()):
            part = frame[frame["phase"] == ph]
            first, second, coders_seen, odd = [], [], set(), Counter()
            for _, group in part.groupby("source_id", sort=False):
                if len(group) != 2:
                    odd["one coder" if len(group) == 1 else "more than two coders"] += 1
                    continue
                group = group.set_index("coder")
                order = names or sorted(group.index)
                first.append(group.at[order[0], "decision"])
                second.append(group.at[order[1], "decision"])
                coders_seen.update(order)
            for why, n in odd.items():
                notes.append(f"{ph}: {counted(n, 'document')} judged by {why} left out"
                             + (" (give two coders)" if why.startswith("more") else ""))
            if not first:
                continue
            table, observed, expected, kappa = decision_kappa(first, second, values)
            if names:
                table.index.name, table.columns.name = names[0], names[1]
            tables[ph] = table
            rows.append({"phase": ph, "coder_a": names[0] if names else "(first)",
                         "coder_b": names[1] if names else "(second)",
                         "documents": len(first), "observed": observed,
                         "expected": expected, "kappa": kappa})
        if not rows:
            raise InvalidOperation("no document has been judged by two coders"
                                   + (f" in phase {phase!r}" if phase else ""))
        out = pd.DataFrame(rows)
        out.attrs["tables"] = tables
        out.attrs["notes"] = notes
        return out

    def funnel(self, *, agreed_by: str | None = None) -> pd.DataFrame:
        """How many documents entered each phase, went on and left it (and why), per coder and
        agreed. The agreed decision on a document is `agreed_by`'s (e.g. "konsensus") where that
        coder decided, else the decision every coder made if they concur (undecided if not).
        `kappa` (agreed rows) is the phase's Cohen's kappa between the two coders of each
        document; `reasons` counts the reasons of the documents that left."""
        import pandas as pd

        if agreed_by is not None:
            agreed_by = self._coder_names([self.coder_id(agreed_by)])[0]
        frame = self.decisions()
        continues = {o.name: o.continues for o in self.decision_options()}
        kappas = {}
        try:
            judged = frame if agreed_by is None else frame[frame["coder"] != agreed_by]
            coders = sorted(set(judged["coder"]))
            if len(coders) >= 2:
                ka = self.decision_agreement(coders=None if len(coders) > 2 else coders)
                kappas = dict(zip(ka["phase"], ka["kappa"], strict=True))
        except InvalidOperation:
            pass
        rows = []
        for phase in self.phases():
            part = frame[frame["phase"] == phase]
            for coder in sorted(set(part["coder"])):
                mine = part[part["coder"] == coder]
                rows.append(_funnel_row(phase, coder, mine["decision"], mine["reason"],
                                        continues, len(mine)))
            agreed, reasons = [], []
            for _, group in part.groupby("source_id", sort=False):
                chosen = group[group["coder"] == agreed_by] if agreed_by else group.iloc[:0]
                judges = chosen if len(chosen) else group[group["coder"] != agreed_by]
                if judges["decision"].nunique() == 1:
                    agreed.append(judges["decision"].iloc[0])
                    reasons.append("; ".join(dict.fromkeys(r for r in judges["reason"]
                                                           if isinstance(r, str) and r)))
                else:
                    agreed.append(None)
                    reasons.append("")
            row = _funnel_row(phase, AGREED, pd.Series(agreed, dtype=object),
                              pd.Series(reasons, dtype=object), continues, len(agreed))
            row["kappa"] = kappas.get(phase, float("nan"))
            rows.append(row)
        columns = ["phase", "who", "entered", "continued", "left", "undecided", "kappa",
                   "reasons"]
        return pd.DataFrame(rows, columns=columns)


def _funnel_row(phase, who, decisions, reasons, continues, entered) -> dict:
    went_on = sum(1 for d in decisions if d is not None and continues.get(d, True))
    left_mask = [d is not None and not continues.get(d, True) for d in decisions]
    why = Counter((r if isinstance(r, str) and r else "(no reason)")
                  for r, gone in zip(reasons, left_mask, strict=True) if gone)
    return {"phase": phase, "who": who, "entered": entered, "continued": went_on,
            "left": sum(left_mask), "undecided": entered - went_on - sum(left_mask),
            "kappa": float("nan"),
            "reasons": "; ".join(f"{r} ({n})" for r, n in why.most_common())}
