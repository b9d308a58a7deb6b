"""Load a rule set (tables 1-5 with their notes, classes, re-tests) from its YAML data files.

A rule set lives in `dossier/disinfectant/rules/<name>/`: `ruleset.yaml` names the product
types, usage scopes, facts, classification rules, validity and re-tests, and lists the
table files. Nothing about the regulation's content is written in Python.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from dossier.disinfectant.formdata import Forms, load_forms
from dossier.disinfectant.ruleparts import InForce, KeyItem, Renewal
from dossier.errors import Problems, UsageError
from dossier.workspace.yamlsrc import SourceList, SourceMap, load_yaml

DEFAULT_RULE_SET = "ws2014"
SYMBOLS = {"+": "required", "±": "optional", "-": "not_required"}
REQUIREMENTS = ("not_required", "optional", "required")  # ascending


@dataclass(frozen=True)
class Condition:
    """When a note rule applies to one cell; None means 'no constraint'."""

    usages: frozenset[str] | None = None
    facts: frozenset[str] | None = None
    all_facts: frozenset[str] = frozenset()
    no_facts: frozenset[str] = frozenset()
    cells: frozenset[str] | None = None

    def holds(self, usage: str | None, facts: frozenset[str], cell: str) -> bool:
        """True when the cell (its usage column and table symbol) and the facts match."""
        if self.usages is not None and usage not in self.usages:
            return False
        if self.facts is not None and not (self.facts & facts):
            return False
        if not self.all_facts <= facts or self.no_facts & facts:
            return False
        return self.cells is None or cell in self.cells


@dataclass(frozen=True)
class NoteRule:
    """One effect of a note: set the requirement, name a test, give guidance or restrict."""

    conditions: tuple[Condition, ...]
    kind: str  # requirement | test | guidance | restrict
    value: str  # requirement name, or the text of the test/guidance/restriction
    reason: str = ""  # for requirement rules: why
    effect: str = ""  # for requirement rules: the short effect shown beside the table value

    def applies(self, usage: str | None, facts: frozenset[str], cell: str) -> bool:
        """True when any of the rule's conditions holds for this cell."""
        return any(c.holds(usage, facts, cell) for c in self.conditions)


@dataclass(frozen=True)
class Note:
    """A table note (①②…) with the rows it is attached to and its rules."""

    mark: str
    text: str
    items: tuple[str, ...]
    rules: tuple[NoteRule, ...]


@dataclass(frozen=True)
class Row:
    """One test item of a table: its name (marks removed), marks and cells in column order."""

    item: str
    marks: str
    cells: tuple[str, ...]
    tests_from_notes: bool


@dataclass(frozen=True)
class Column:
    """A table column and the usages (tables 1-2) or product types (tables 3-5) it stands for."""

    header: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One table of Annex 2."""

    id: str
    title: str
    types: tuple[str, ...]
    column_by: str  # usage | type
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[Note, ...]

    def notes_for(self, item: str) -> list[Note]:
        """The notes attached to `item`, in table order."""
        return [n for n in self.notes if item in n.items]


@dataclass(frozen=True)
class ProductType:
    """A product type of the vocabulary and what it needs."""

    name: str
    group: str
    has_usages: bool
    has_formula: bool


@dataclass(frozen=True)
class Fact:
    """A fact a table note depends on, and the product types it can describe."""

    name: str
    means: str
    types: tuple[str, ...]
    implies: tuple[str, ...]


@dataclass(frozen=True)
class ClassRule:
    """A 第二条 rule: products of these types (and usages/facts, when given) are of `klass`."""

    klass: int
    types: frozenset[str]
    usages: frozenset[str] | None
    facts: frozenset[str] | None
    reason: str


@dataclass(frozen=True)
class ChangeRule:
    """A declared change and the re-tests 第十二条 requires for it, by type group."""

    name: str
    means: str
    article: str
    tests: dict[str, tuple[str, ...]]
    original_sample_tests: tuple[str, ...]
    tests_from_tables: bool
    groups: tuple[str, ...] | None
    note: str


@dataclass(frozen=True)
class RuleSet:
    """Everything one regulation decides, loaded from its data files."""

    name: str
    title: str
    types: dict[str, ProductType]
    usages: tuple[str, ...]
    facts: dict[str, Fact]
    exclusive: tuple[tuple[str, ...], ...]
    classification: tuple[ClassRule, ...]
    higher_class_rule: str
    validity_years: dict[int, int | None]
    warn_days: dict[int, int]
    renewal: Renewal
    changes: dict[str, ChangeRule]
    tables: tuple[Table, ...]
    forms: Forms
    in_force: InForce

    def table_for(self, product_type: str) -> Table:
        """The Annex 2 table that lists the test items of `product_type`."""
        for table in self.tables:
            if product_type in table.types:
                return table
        raise UsageError(f"rule set {self.name}: no table for product type {product_type}")


def available_rule_sets() -> list[str]:
    """Names of the rule sets shipped with the package."""
    root = resources.files("dossier.disinfectant") / "rules"
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "ruleset.yaml").is_file())


@functools.lru_cache(maxsize=None)
def load_rule_set(name: str = DEFAULT_RULE_SET) -> RuleSet:
    """Load and check the rule set `name`; unknown names are a UsageError."""
    if name not in available_rule_sets():
        raise UsageError(f"unknown rule set {name!r} (available: {', '.join(available_rule_sets())})")
    folder = Path(str(resources.files("dossier.disinfectant") / "rules" / name))
    problems = Problems()
    data = load_yaml(folder / "ruleset.yaml", problems)
    problems.raise_if_any()
    reader = _DataReader(data, problems)
    rule_set = reader.rule_set(folder)
    problems.raise_if_any()
    return rule_set


def rules_root() -> Path:
    """The folder that holds the rule sets."""
    return Path(str(resources.files("dossier.disinfectant") / "rules"))


class _DataReader:
    """Builds a RuleSet from parsed data, recording every inconsistency with its line."""

    def __init__(self, data: SourceMap, problems: Problems):
        self.data = data
        self.problems = problems

    def fail(self, where: SourceMap | SourceList, key: Any, message: str) -> None:
        line = where.line_of(key) if isinstance(where, SourceMap) else where.line_of(key)
        self.problems.add(where.path, line, str(key), message)

    def rule_set(self, folder: Path) -> RuleSet:
        d = self.data
        types = {
            t["type"]: ProductType(t["type"], t["group"], bool(t["usages"]), bool(t["formula"])) for t in d["types"]
        }
        usages = tuple(d["usages"])
        facts = {
            f["fact"]: Fact(f["fact"], f["means"], tuple(f["types"]), tuple(f.get("implies") or ())) for f in d["facts"]
        }
        for fact in facts.values():
            for name in (*fact.types, *fact.implies):
                if name not in types and name not in facts:
                    self.fail(d, "facts", f"fact {fact.name}: {name} is neither a type nor a fact")
        known = set(types) | set(usages) | set(facts)
        classification = tuple(self._class_rule(r, known) for r in d["classification"])
        tables = tuple(self._table(folder / name, types, usages, facts) for name in d["tables"])
        covered = [t for table in tables for t in table.types]
        for name in types:
            if covered.count(name) != 1:
                self.fail(d, "tables", f"type {name} must be listed by exactly one table")
        validity = d["validity"]
        forms = load_forms(rules_root(), folder, d["forms"], self.problems)
        return RuleSet(
            name=d["rule_set"],
            title=d["title"],
            types=types,
            usages=usages,
            facts=facts,
            exclusive=tuple(tuple(group) for group in d["exclusive"]),
            classification=classification,
            higher_class_rule=d["higher_class_rule"],
            validity_years={int(k): v["years"] for k, v in validity.items()},
            warn_days={int(k): v.get("warn_days", 0) for k, v in validity.items()},
            renewal=self._renewal(d["renewal"], tables),
            changes={c["change"]: self._change(c) for c in d["changes"]},
            tables=tables,
            forms=forms,  # type: ignore[arg-type]  # None only with problems, raised by the caller
            in_force=self._in_force(d["in_force"]),
        )

    @staticmethod
    def _in_force(raw: SourceMap) -> InForce:
        until = raw.get("until")
        return InForce(
            start=date.fromisoformat(str(raw["from"])),
            until=date.fromisoformat(str(until)) if until else None,
            replaced_by=raw.get("replaced_by") or "",
            replaced=raw.get("replaced") or "",
            still_in_force=raw.get("still_in_force") or "",
        )

    def _renewal(self, raw: SourceMap, tables: tuple[Table, ...]) -> Renewal:
        items = {row.item for table in tables for row in table.rows}
        key_items = {}
        for group, entries in raw["key_items"].items():
            for entry in entries:
                if entry["item"] not in items:
                    self.fail(entry, "item", f"{entry['item']} is not an item of the tables")
            key_items[group] = tuple(KeyItem(e["item"], e["means"]) for e in entries)
        return Renewal(
            article=raw["article"],
            classes=tuple(int(c) for c in raw["classes"]),
            key_items=key_items,
            other_items=raw["other_items"],
            exemption_years=int(raw["exemption"]["years"]),
            exemption=raw["exemption"]["means"],
        )

    def _class_rule(self, raw: SourceMap, known: set[str]) -> ClassRule:
        for key in ("types", "usages", "facts"):
            for name in raw.get(key) or ():
                if name not in known:
                    self.fail(raw, key, f"{name} is not a known type, usage or fact")
        return ClassRule(
            klass=int(raw["class"]),
            types=frozenset(raw["types"]),
            usages=frozenset(raw["usages"]) if raw.get("usages") else None,
            facts=frozenset(raw["facts"]) if raw.get("facts") else None,
            reason=raw["reason"],
        )

    @staticmethod
    def _change(raw: SourceMap) -> ChangeRule:
        return ChangeRule(
            name=raw["change"],
            means=raw["means"],
            article=raw["article"],
            tests={k: tuple(v) for k, v in (raw.get("tests") or {}).items()},
            original_sample_tests=tuple(raw.get("original_sample_tests") or ()),
            tests_from_tables=bool(raw.get("tests_from_tables")),
            groups=tuple(raw["groups"]) if raw.get("groups") else None,
            note=raw.get("tests_note", ""),
        )

    def _table(self, path: Path, types: dict, usages: tuple[str, ...], facts: dict) -> Table:
        raw = load_yaml(path, self.problems)
        if raw is None:
            return Table(path.stem, "", (), "type", (), (), ())
        columns = tuple(
            Column(c["header"], tuple(c["value"]) if isinstance(c["value"], list) else (c["value"],))
            for c in raw["columns"]
        )
        allowed = set(usages) if raw["column_by"] == "usage" else set(types)
        for index, column in enumerate(columns):
            for value in column.values:
                if value not in allowed:
                    self.fail(raw["columns"], index, f"column value {value} is not a known {raw['column_by']}")
        rows = []
        for index, r in enumerate(raw["rows"]):
            cells = tuple(str(r["cells"]).split())
            if len(cells) != len(columns) or any(c not in SYMBOLS for c in cells):
                self.fail(raw["rows"], index, f"row {r['item']}: expected {len(columns)} cells of + ± -")
            rows.append(Row(r["item"], r.get("marks", ""), cells, bool(r.get("tests_from_notes"))))
        items = {r.item for r in rows}
        notes = []
        for n in raw["notes"] or ():
            for item in n["items"]:
                if item not in items:
                    self.fail(n, "items", f"note {n['mark']}: {item} is not a row of {raw['table']}")
            rules = tuple(self._note_rule(rule, set(usages), facts) for rule in n["rules"])
            notes.append(Note(n["mark"], n["text"], tuple(n["items"]), rules))
        return Table(
            raw["table"], raw["title"], tuple(raw["types"]), raw["column_by"], columns, tuple(rows), tuple(notes)
        )

    def _note_rule(self, raw: SourceMap, usages: set[str], facts: dict) -> NoteRule:
        whens = raw["when_any"] if "when_any" in raw else [raw["when"]]
        conditions = []
        for when in whens:
            for key in ("facts", "all_facts", "no_facts"):
                for name in when.get(key) or ():
                    if name not in facts:
                        self.fail(when, key, f"{name} is not a known fact")
            for name in when.get("usages") or ():
                if name not in usages:
                    self.fail(when, "usages", f"{name} is not a known usage")
            conditions.append(
                Condition(
                    usages=frozenset(when["usages"]) if "usages" in when else None,
                    facts=frozenset(when["facts"]) if "facts" in when else None,
                    all_facts=frozenset(when.get("all_facts") or ()),
                    no_facts=frozenset(when.get("no_facts") or ()),
                    cells=frozenset(when["cells"]) if "cells" in when else None,
                )
            )
        effects = [k for k in ("requirement", "test", "guidance", "restrict") if k in raw]
        if len(effects) != 1:
            self.fail(raw, "when", "a note rule needs exactly one of requirement/test/guidance/restrict")
            return NoteRule(tuple(conditions), "guidance", "")
        kind = effects[0]
        if kind == "requirement" and (raw[kind] not in REQUIREMENTS or not raw.get("effect")):
            self.fail(raw, kind, f"expected one of {', '.join(REQUIREMENTS)}, with `text` and `effect`")
        return NoteRule(tuple(conditions), kind, str(raw[kind]), raw.get("text", ""), raw.get("effect", ""))
