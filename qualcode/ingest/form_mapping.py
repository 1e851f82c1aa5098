"""The YAML mapping that says which columns of a forms file mean what (docs/form-mapping.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from qualcode.core.model import PATH_SEP
from qualcode.errors import InputError
from qualcode.ingest.shipped import DEFAULT_MAPPING, MAPPINGS_DIR  # noqa: F401 (re-exported)
from qualcode.ingest.yaml_keys import LineMap, load_with_lines, unknown_key

ITEM_KINDS = ("tool", "principle")
ITEM_COLUMNS = ("planned", "used", "mastery")
# The keys allowed at each level, in the order of docs/form-mapping.md; any other is an error.
TOP_KEYS = ("mapping", "title", "form_type", "key", "date", "version", "versions", "office",
            "case", "values", "items", "texts")
CASE_KEYS = ("column", "name", "kind", "attribute")
VALUE_KEYS = ("column", "min", "max")
GROUP_KEYS = ("kind", "columns", "mastery", "list")
RANGE_KEYS = ("min", "max")
ITEM_KEYS = ("item", "slug", "en", *ITEM_COLUMNS, "since", "versions")


@dataclass(frozen=True)
class ValueSpec:
    name: str
    column: str
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class ItemSpec:
    kind: str
    item: str
    planned: str | None
    used: str | None
    mastery: str | None
    versions: frozenset[str] | None  # the form versions that have the item; None: all
    mastery_min: float | None = None
    mastery_max: float | None = None

    @property
    def columns(self) -> list[str]:
        return [c for c in (self.planned, self.used, self.mastery) if c]


@dataclass(frozen=True)
class CaseSpec:
    column: str
    name: str  # a str.format template over {value}, e.g. "kontor{value:0>2}"
    kind: str = "case"
    attribute: str | None = None  # give a new case this attribute, set to the cell's value

    def case_name(self, value: str) -> str | None:
        """The case name for a cell value, or None if the template does not fit it."""
        for given in (value, _as_number(value)):
            if given is None:
                continue
            try:
                return self.name.format(value=given)
            except (ValueError, KeyError, IndexError, TypeError):
                continue
        return None


@dataclass(frozen=True)
class FormMapping:
    path: Path
    name: str
    form_type: str
    key: str
    date: str | None
    version: str | None
    versions: tuple[str, ...]
    office: str | None
    case: CaseSpec | None
    values: tuple[ValueSpec, ...]
    items: tuple[ItemSpec, ...]
    texts: tuple[tuple[str, str], ...]  # (field name, column)

    def columns(self) -> list[str]:
        """Every column the mapping reads, in the order of the mapping."""
        names = [self.key, self.date, self.version, self.office,
                 self.case.column if self.case else None]
        names += [v.column for v in self.values]
        for item in self.items:
            names += item.columns
        names += [column for _, column in self.texts]
        return list(dict.fromkeys(n for n in names if n))


def _as_number(value: str) -> int | float | None:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _place(where: str) -> tuple:
    """"items[0].list[4].since" -> ("items", 0, "list", 4, "since")."""
    at: list = []
    for part in where.split("."):
        name, *indexes = part.replace("]", "").split("[")
        at += [name, *(int(i) for i in indexes if i.isdigit())]
    return tuple(at)


def load_mapping(path: str | Path | None = None) -> FormMapping:
    """Read and check a mapping file (default: the shipped HPMT FE mapping)."""
    path = Path(path) if path is not None else DEFAULT_MAPPING
    try:
        data, lines = load_with_lines(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, f"cannot read the mapping ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(path, f"not valid YAML ({getattr(exc, 'problem', exc)})",
                         line=mark.line + 1 if mark else None) from exc
    return _Checker(path, lines).mapping(data)


class _Checker:
    """Builds a FormMapping, naming the place in the YAML of anything wrong."""

    def __init__(self, path: Path, lines: LineMap | None):
        self.path, self.lines = path, lines

    def fail(self, where: str, message: str, at: tuple | None = None):
        """`where`: the place for people (items[0].list[4].since), which also gives the line
        unless `at` (the path in the data) is given."""
        at = _place(where) if at is None else at
        line = self.lines.line(at) if self.lines else None
        raise InputError(self.path, f"{where}: {message}", line=line)

    def keys(self, data: dict, allowed: tuple[str, ...], where: str, at: tuple) -> None:
        for key in data:
            if key not in allowed:
                self.fail(f"{where}.{key}" if where else str(key), unknown_key(key, allowed),
                          (*at, "key:", key))

    def text(self, value: Any, where: str, *, required: bool = False) -> str | None:
        if value is None or value == "":
            if required:
                self.fail(where, "is required")
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(where, f"should be a column name, not {value!r}")
        return str(value)

    def number(self, value: Any, where: str) -> float | None:
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            self.fail(where, f"should be a number, not {value!r}")
        return float(value)

    def mapping(self, data: Any) -> FormMapping:
        if not isinstance(data, dict):
            self.fail("top level", "the mapping should be a YAML mapping of keys to values")
        self.keys(data, TOP_KEYS, "", ())
        versions = tuple(str(v) for v in data.get("versions") or ())
        if len(set(versions)) != len(versions):
            self.fail("versions", "a version is listed twice")
        if versions and not data.get("version"):
            self.fail("version", "name the version column when `versions` are listed")
        items = []
        for g, group in enumerate(data.get("items") or ()):
            items += self.item_group(group, f"items[{g}]", ("items", g), versions)
        seen = set()
        for item in items:
            if (item.kind, item.item) in seen:
                self.fail("items", f"{item.kind} {item.item!r} is listed twice")
            seen.add((item.kind, item.item))
        mapping = FormMapping(
            path=self.path, name=str(data.get("mapping") or self.path.stem),
            form_type=str(data.get("form_type") or "FE"),
            key=self.text(data.get("key"), "key", required=True),
            date=self.text(data.get("date"), "date"),
            version=self.text(data.get("version"), "version"), versions=versions,
            office=self.text(data.get("office"), "office"), case=self.case(data.get("case")),
            values=self.values(data.get("values") or {}), items=tuple(items),
            texts=self.texts(data.get("texts") or ()))
        # The office column may also name the case; any other column has one meaning only.
        seen_columns: set[str] = set()
        for column in ([v.column for v in mapping.values] + [c for i in items for c in i.columns]
                       + [c for _, c in mapping.texts]):
            if column in seen_columns:
                self.fail("items", f"the column {column!r} is mapped twice")
            seen_columns.add(column)
        return mapping

    def case(self, data: Any) -> CaseSpec | None:
        if data is None:
            return None
        if isinstance(data, str):
            return CaseSpec(data, "{value}")
        if not isinstance(data, dict) or "column" not in data:
            self.fail("case", "should be a column name or {column:, name:, kind:, attribute:}",
                      ("case",))
        self.keys(data, CASE_KEYS, "case", ("case",))
        return CaseSpec(self.text(data["column"], "case.column", required=True),
                        str(data.get("name") or "{value}"), str(data.get("kind") or "case"),
                        self.text(data.get("attribute"), "case.attribute"))

    def values(self, data: Any) -> tuple[ValueSpec, ...]:
        if isinstance(data, list):
            data = {name: {} for name in data}
        if not isinstance(data, dict):
            self.fail("values", "should map value names to {column:, min:, max:}")
        specs = []
        for name, spec in data.items():
            spec = spec or {}
            if not isinstance(spec, dict):
                self.fail(f"values.{name}", "should be {column:, min:, max:} (all optional)",
                          ("values", name))
            self.keys(spec, VALUE_KEYS, f"values.{name}", ("values", name))
            specs.append(ValueSpec(str(name), self.text(spec.get("column"), f"values.{name}.column")
                                   or str(name), self.number(spec.get("min"), f"values.{name}.min"),
                                   self.number(spec.get("max"), f"values.{name}.max")))
        return tuple(specs)

    def texts(self, data: Any) -> tuple[tuple[str, str], ...]:
        if isinstance(data, dict):
            return tuple((str(f), self.text(c, f"texts.{f}", required=True))
                         for f, c in data.items())
        if not isinstance(data, list | tuple):
            self.fail("texts", "should be a list of column names or a {field: column} mapping")
        return tuple((str(c), str(c)) for c in data)

    def item_group(self, group: Any, where: str, at: tuple, versions: tuple[str, ...]
                   ) -> list[ItemSpec]:
        if not isinstance(group, dict):
            self.fail(where, "should be {kind:, columns:, mastery:, list:}", at)
        self.keys(group, GROUP_KEYS, where, at)
        kind = group.get("kind")
        if kind not in ITEM_KINDS:
            self.fail(f"{where}.kind", f"should be one of {', '.join(ITEM_KINDS)}, not {kind!r}",
                      (*at, "kind"))
        templates = group.get("columns") or {}
        if not isinstance(templates, dict):
            self.fail(f"{where}.columns", f"should map some of {', '.join(ITEM_COLUMNS)} to "
                                          "column templates with {slug}", (*at, "columns"))
        self.keys(templates, ITEM_COLUMNS, f"{where}.columns", (*at, "columns"))
        scale = group.get("mastery") or {}
        if not isinstance(scale, dict):
            self.fail(f"{where}.mastery", "should be {min:, max:}", (*at, "mastery"))
        self.keys(scale, RANGE_KEYS, f"{where}.mastery", (*at, "mastery"))
        low = self.number(scale.get("min"), f"{where}.mastery.min")
        high = self.number(scale.get("max"), f"{where}.mastery.max")
        specs = []
        for i, entry in enumerate(group.get("list") or ()):
            place = (*at, "list", i)
            at_text = f"{where}.list[{i}]"
            if not isinstance(entry, dict) or not entry.get("item"):
                self.fail(at_text, "each item needs at least `item` (its name)", place)
            self.keys(entry, ITEM_KEYS, at_text, place)
            if PATH_SEP in str(entry["item"]):  # the item joins codes by name, as a code name
                self.fail(f"{at_text}.item", f"name {str(entry['item'])!r} contains "
                                             f"{PATH_SEP!r}, which separates code paths "
                                             "(write e.g. 'AI-5D')", (*place, "item"))
            slug = str(entry.get("slug", entry["item"]))
            columns = {}
            for role in ITEM_COLUMNS:
                given = entry.get(role)
                template = templates.get(role)
                columns[role] = (self.text(given, f"{at_text}.{role}") if given is not None else
                                 template.replace("{slug}", slug) if template else None)
            if not any(columns.values()):
                self.fail(at_text, "no columns: give `columns` templates for the group or "
                              "planned/used/mastery for the item")
            specs.append(ItemSpec(kind, str(entry["item"]), columns["planned"], columns["used"],
                                  columns["mastery"], self.item_versions(entry, at_text, versions),
                                  low, high))
        return specs

    def item_versions(self, entry: dict, at: str, versions: tuple[str, ...]
                      ) -> frozenset[str] | None:
        if "since" in entry and "versions" in entry:
            self.fail(at, "give `since` or `versions`, not both")
        if "since" in entry:
            since = str(entry["since"])
            if since not in versions:
                self.fail(f"{at}.since", f"{since!r} is not one of the listed `versions`")
            return frozenset(versions[versions.index(since):])
        if "versions" in entry:
            listed = [str(v) for v in entry["versions"] or ()]
            unknown = [v for v in listed if versions and v not in versions]
            if unknown:
                self.fail(f"{at}.versions", f"{unknown[0]!r} is not one of the listed `versions`")
            return frozenset(listed)
        return None
