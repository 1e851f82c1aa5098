"""Fidelity forms (e.g. HPMT's FE form): numbers, ticked items, and free text as sources."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from qualcode.core.util import normalise_newlines
from qualcode.errors import InvalidOperation

ITEM_KINDS = ("tool", "principle")


class FormsMixin:
    def add_forms(self, forms: Iterable[Mapping[str, Any]], *, origin: str | None = None,
                  action: str = "import forms") -> list[int]:
        """Add forms as one change (one transaction, one undo step). Returns the form ids.

        Each form is a mapping with `key` (unique), and optional `date` (date or ISO text),
        `version`, `office`, `case` (a case ref), `form_type` (default "FE"), `values`
        ({name: number}, e.g. ratings), `items` (dicts with kind "tool"/"principle", item,
        on_form (default True), planned, used, mastery) and `texts` ({field: free text}).
        Each non-empty text becomes a source of kind `form_field` named "<key> <field>".
        """
        forms = list(forms)
        keys = [str(f["key"]) for f in forms]
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                raise InvalidOperation(f"form key {key!r} occurs twice")
            seen.add(key)
        existing = self._existing_form_keys(keys)
        if existing:
            raise InvalidOperation(f"form key {existing[0]!r} is already in the project "
                                   f"({len(existing)} of these keys are)")
        # Form ids count from 1 here and are moved past the table's counter inside the change.
        next_form = 1
        case_ids: dict[Any, int] = {}
        form_rows, value_rows, item_rows, texts = [], [], [], []
        for form_id, (form, key) in enumerate(zip(forms, keys, strict=True), next_form):
            case = form.get("case")
            if case is not None and case not in case_ids:
                case_ids[case] = self.case(case).id
            date = form.get("date")
            form_rows.append({
                "id": form_id, "key": key, "form_type": form.get("form_type") or "FE",
                "date": date.isoformat() if isinstance(date, dt.date) else date,
                "version": form.get("version"), "office": _text(form.get("office")),
                "case_id": case_ids.get(case), "origin": origin})
            for name, value in (form.get("values") or {}).items():
                value_rows.append({"form_id": form_id, "name": name, "value": value})
            for item in form.get("items") or ():
                if item["kind"] not in ITEM_KINDS:
                    raise InvalidOperation(f"form {key}: item kind {item['kind']!r} is not "
                                           f"one of {', '.join(ITEM_KINDS)}")
                item_rows.append({
                    "form_id": form_id, "kind": item["kind"], "item": item["item"],
                    "on_form": int(item.get("on_form", True)),
                    "planned": _flag(item.get("planned")), "used": _flag(item.get("used")),
                    "mastery": item.get("mastery")})
            for field, text in (form.get("texts") or {}).items():
                text = normalise_newlines(text or "").strip()
                if not text:
                    continue
                texts.append({"name": f"{key} {field}", "kind": "form_field", "text": text,
                              "case": case, "origin": origin,
                              "form_id": form_id, "field": field})
        source_rows, turns_of = self._new_source_rows(texts)
        with self.change(action, f"{len(form_rows)} forms" + (f" from {origin}" if origin else "")
                         ) as rec:
            form_base = rec.next_id("forms") - 1
            for row in form_rows:
                row["id"] += form_base
            for row in (*value_rows, *item_rows, *source_rows):
                row["form_id"] += form_base
            rec.insert_many("forms", form_rows)
            rec.insert_many("form_values", value_rows, key="form_id")
            rec.insert_many("form_items", item_rows, key="form_id")
            self._insert_sources(rec, source_rows, turns_of)
        return [r["id"] for r in form_rows]

    def form_details(self) -> dict[int, dict[str, Any]]:
        """key, date, version and office of every form, by form id (for exports that describe
        a form comment by its form)."""
        return {r["id"]: {"key": r["key"], "date": r["date"], "version": r["version"],
                          "office": r["office"]}
                for r in self.conn.execute("SELECT id, key, date, version, office FROM forms")}

    def form_overview(self, form_ids: Iterable[int] | None = None, *,
                      items: bool = True) -> list[dict[str, Any]]:
        """Every form with what a reader of its comments wants beside them, ordered by date
        then key: id, key, date, version, office, case, `values` ({name: number}, e.g. the
        ratings), `planned` and `used` (names of the tools ticked), `principles` (names of
        the principles ticked planned or used) and `comments` ([(source id, field, text)]).
        `form_ids` limits it to those forms. `items=False` leaves out the three lists of
        names (`form_items` reads them, `form_tool_counts` counts them): at 10x the sample
        they are 182,000 rows."""
        ids = None if form_ids is None else _json_list(form_ids)
        only = "" if ids is None else "AND form_id IN (SELECT value FROM json_each(:ids))"
        plain = self.conn.cursor()  # tuples: 16,720 forms at 10x the sample
        plain.row_factory = None
        rows: dict[int, dict[str, Any]] = {}
        for form_id, key, date, version, office, case in plain.execute(
                "SELECT f.id, f.key, f.date, f.version, f.office, c.name FROM forms f "
                "LEFT JOIN cases c ON c.id = f.case_id WHERE TRUE "
                f"{only.replace('form_id', 'f.id')} ORDER BY f.date IS NULL, f.date, f.key",
                {"ids": ids}):
            rows[form_id] = {"id": form_id, "key": key, "date": date, "version": version,
                             "office": office, "case": case, "values": {}, "comments": []}
        for form_id, name, value in plain.execute(  # by name within a form, as the key reads
                "SELECT form_id, name, value FROM form_values WHERE TRUE "
                f"{only} ORDER BY form_id, name", {"ids": ids}):
            rows[form_id]["values"][name] = value
        if items:
            names = self.form_items(form_ids)
            for form_id, row in rows.items():
                row.update(names.get(form_id) or {"planned": [], "used": [], "principles": []})
        for source_id, form_id, field, text in plain.execute(
                "SELECT id, form_id, field, text FROM sources WHERE form_id IS NOT NULL "
                f"{only} ORDER BY form_id, field", {"ids": ids}):
            rows[form_id]["comments"].append((source_id, field, text))
        return list(rows.values())

    def form_tool_counts(self, form_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """How many tools each of these forms has ticked planned and used, by form id (a form
        with none ticked is left out)."""
        return {form_id: (planned, used) for form_id, planned, used in self.conn.execute(
            "SELECT form_id, COUNT(CASE WHEN planned THEN 1 END), "
            "COUNT(CASE WHEN used THEN 1 END) FROM form_items WHERE kind = 'tool' "
            "AND (planned OR used) AND form_id IN (SELECT value FROM json_each(?)) "
            "GROUP BY form_id", [_json_list(form_ids)])}

    def form_items(self, form_ids: Iterable[int] | None = None) -> dict[int, dict[str, list[str]]]:
        """The names ticked on each form with any ticked, by form id: `planned` and `used`
        (tools) and `principles` (planned or used), each sorted. `form_ids` limits it."""
        ids = None if form_ids is None else _json_list(form_ids)
        only = "" if ids is None else "AND form_id IN (SELECT value FROM json_each(:ids))"
        out: dict[int, dict[str, list[str]]] = {}
        plain = self.conn.cursor()  # tuples: 10x the sample has 470,000 item rows
        plain.row_factory = None
        for form_id, kind, item, planned, used in plain.execute(  # only the ticked are kept
                "SELECT form_id, kind, item, planned, used FROM form_items "
                f"WHERE (planned OR used) {only} ORDER BY form_id, kind, item", {"ids": ids}):
            row = out.get(form_id)
            if row is None:
                row = out[form_id] = {"planned": [], "used": [], "principles": []}
            if kind == "tool":
                if planned:
                    row["planned"].append(item)
                if used:
                    row["used"].append(item)
            else:
                row["principles"].append(item)
        return out

    def _existing_form_keys(self, keys: list[str]) -> list[str]:
        found = []
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            found += [r[0] for r in self.conn.execute(
                f"SELECT key FROM forms WHERE key IN ({', '.join('?' * len(chunk))})", chunk)]
        return found

    def delete_forms(self, keys: Iterable[str]) -> int:
        """Delete forms by key, with their items, values and comment sources (and their
        codings). One undoable change. Returns how many forms were deleted."""
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM forms WHERE key IN (SELECT value FROM json_each(?))",
            [_json_list(keys)])]
        if not ids:
            return 0
        marks = f"(SELECT value FROM json_each('{_json_list(ids)}'))"
        with self.change("delete forms", f"{len(ids)} forms") as rec:
            rec.delete("codings", f"source_id IN (SELECT id FROM sources WHERE form_id IN {marks})")
            rec.delete("sources", f"form_id IN {marks}")
            rec.delete("form_items", f"form_id IN {marks}")
            rec.delete("form_values", f"form_id IN {marks}")
            rec.delete("forms", f"id IN {marks}")
        return len(ids)


def _json_list(values: Iterable[Any]) -> str:
    return json.dumps(list(values))


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _flag(value: Any) -> int | None:
    return None if value is None else int(bool(value))
