"""Classification (第二条) and the required test items of Annex 2 for one product.

Each selected table cell (item x usage column, or item x type column) starts from its table
symbol; the notes attached to the item then set the requirement, name tests, give guidance or
restrict the item. Several usages combine per item: required if any usage requires it, else
optional if any usage makes it optional, else not required.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from dossier.disinfectant.ruleset import REQUIREMENTS, SYMBOLS, RuleSet, Table
from dossier.errors import UsageError

_RANK = {name: rank for rank, name in enumerate(REQUIREMENTS)}


@dataclass(frozen=True)
class NoteLine:
    """One consequence of a note (or article) for an item."""

    kind: str  # reason | test | guidance | restrict
    text: str
    source: str  # e.g. 表1注⑦, 第十四条
    effect: str = ""  # reasons: the short effect shown beside the table value, e.g. 可不测定

    def render(self) -> str:
        """The line as shown to the user, naming its note."""
        prefix = "应做" if self.kind == "test" else ""
        return f"{prefix}{self.text}（{self.source}）"


@dataclass(frozen=True)
class ItemRequirement:
    """The requirement for one test item of the product's table.

    `table_value` is the table's own symbol (+ ± -, combined over the selected columns);
    `basis` is the note or article that set a different requirement, shown beside it:
    +（按表2注⑥无适用项目）. `sign_off`: a table note relaxed the table (a decision the
    regulatory person must confirm).
    """

    table: str
    item: str
    requirement: str  # required | optional | not_required
    lines: tuple[NoteLine, ...]
    table_value: str = "+"
    basis: NoteLine | None = None
    sign_off: bool = False

    @property
    def notes(self) -> list[str]:
        """The note lines as text."""
        return [line.render() for line in self.lines]

    @property
    def tests(self) -> list[str]:
        """Tests the notes name for this item (the reports must list them)."""
        return [line.text for line in self.lines if line.kind == "test"]

    @property
    def shown(self) -> str:
        """The table value, and the effect of the note that changed it: +（按表2注⑥无适用项目）."""
        if self.basis is None:
            return self.table_value
        return f"{self.table_value}（按{self.basis.source}{self.basis.effect}）"

    def as_json(self) -> dict:
        """The JSON shape of one item in `disinfectant tests --json`."""
        basis = None
        if self.basis is not None:
            basis = {"source": self.basis.source, "effect": self.basis.effect, "text": self.basis.text}
        return {
            "table": self.table,
            "item": self.item,
            "table_value": self.table_value,
            "requirement": self.requirement,
            "shown": self.shown,
            "basis": basis,
            "sign_off": self.sign_off,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Selection:
    """What the rules need to know about a product: its type, usages and facts."""

    product_type: str
    usages: tuple[str, ...] = ()
    facts: frozenset[str] = field(default_factory=frozenset)
    renewal: bool = False  # 第十四条: only the key items


@dataclass(frozen=True)
class Plan:
    """Class, the rule that decided it, and every test item with its requirement."""

    klass: int
    class_reason: str
    items: tuple[ItemRequirement, ...]

    def as_json(self) -> dict:
        """The JSON shape of `dossier disinfectant tests --json`."""
        return {
            "class": self.klass,
            "class_reason": self.class_reason,
            "items": [i.as_json() for i in self.items],
        }


def type_errors(rules: RuleSet, product_type: str) -> list[str]:
    """Why `product_type` is not in the rule set's vocabulary (empty when it is)."""
    if product_type in rules.types:
        return []
    return [f"unknown product type {product_type!r} (expected one of: {', '.join(rules.types)})"]


def usage_errors(rules: RuleSet, product_type: str, usages: list[str]) -> list[str]:
    """Problems with the usage scopes of a product of a known type."""
    errors = [
        f"unknown usage {u!r} (expected one of: {', '.join(rules.usages)})" for u in usages if u not in rules.usages
    ]
    if usages and not rules.types[product_type].has_usages:
        errors.append(f"product type {product_type} takes no usage scopes")
    if rules.types[product_type].has_usages and not usages:
        errors.append(f"product type {product_type} needs at least one usage scope")
    return errors


def fact_errors(rules: RuleSet, product_type: str, facts: list[str]) -> list[str]:
    """Problems with the facts declared for a product of a known type."""
    errors = []
    for fact in facts:
        known = rules.facts.get(fact)
        if known is None:
            errors.append(f"unknown fact {fact!r} (see 'dossier disinfectant tests --help' for the list)")
        elif product_type not in known.types:
            errors.append(f"fact {fact} does not apply to {product_type} (only to {', '.join(known.types)})")
    for group in rules.exclusive:
        chosen = [f for f in group if f in facts]
        if len(chosen) > 1:
            errors.append(f"facts {', '.join(chosen)} exclude each other (choose one)")
    return errors


def selection_errors(rules: RuleSet, product_type: str, usages: list[str], facts: list[str]) -> list[str]:
    """Why a type/usage/fact selection cannot be evaluated (empty when it can)."""
    return type_errors(rules, product_type) or (
        usage_errors(rules, product_type, usages) + fact_errors(rules, product_type, facts)
    )


def expand_facts(rules: RuleSet, facts: Sequence[str] | frozenset[str]) -> frozenset[str]:
    """The declared facts plus every fact they imply."""
    result = set(facts)
    pending = list(facts)
    while pending:
        fact = rules.facts.get(pending.pop())
        for implied in fact.implies if fact else ():
            if implied not in result:
                result.add(implied)
                pending.append(implied)
    return frozenset(result)


def make_selection(
    rules: RuleSet, product_type: str, usages: list[str], facts: list[str], renewal: bool = False
) -> Selection:
    """A checked Selection; UsageError (one line) when the type, a usage or a fact is wrong."""
    errors = selection_errors(rules, product_type, usages, facts)
    if errors:
        raise UsageError("; ".join(errors))
    return selection_for(rules, product_type, usages, facts, renewal)


def selection_for(
    rules: RuleSet,
    product_type: str,
    usages: Sequence[str],
    facts: Sequence[str] | frozenset[str],
    renewal: bool = False,
) -> Selection:
    """The Selection of an already checked type, usages (put in rule-set order) and facts (expanded)."""
    ordered = tuple(u for u in rules.usages if u in usages)
    return Selection(product_type, ordered, expand_facts(rules, facts), renewal)


def classify(rules: RuleSet, selection: Selection) -> tuple[int, str]:
    """The product's class and the rule(s) that decided it (higher class, i.e. 1, wins).

    Products with usage scopes are classified per usage; when usages fall in different
    classes the reason says so and names the usages of the lower class.
    """
    scopes: list[str | None] = list(selection.usages) or [None]
    decided: list[tuple[str | None, int, list[str]]] = []
    for usage in scopes:
        matches = [
            r
            for r in rules.classification
            if selection.product_type in r.types
            and (r.usages is None or usage in r.usages)
            and (r.facts is None or r.facts & selection.facts)
        ]
        if not matches:
            raise UsageError(f"rule set {rules.name}: no class rule matches {selection.product_type}")
        best = min(r.klass for r in matches)
        decided.append((usage, best, [r.reason for r in matches if r.klass == best]))
    klass = min(k for _, k, _ in decided)
    parts: list[str] = []
    for reason in dict.fromkeys(r for _, k, rs in decided if k == klass for r in rs):
        by_usage = any(r.reason == reason and r.usages is not None for r in rules.classification)
        usages = [u for u, k, rs in decided if k == klass and reason in rs and u]
        parts.append(f"{reason}（使用范围：{'、'.join(usages)}）" if by_usage and usages else reason)
    lower = [(u, k) for u, k, _ in decided if k != klass]
    text = "；".join(parts)
    if lower:
        detail = "，".join(f"{u}属第{'一二三'[k - 1]}类" for u, k in lower)
        text += f"；{rules.higher_class_rule}（{detail}）"
    return klass, text


def plan_tests(rules: RuleSet, selection: Selection) -> Plan:
    """Class and the requirement of every item of the product's Annex 2 table (第十四条 key items
    only for a renewal)."""
    klass, reason = classify(rules, selection)
    table = rules.table_for(selection.product_type)
    columns = _selected_columns(table, selection)
    items = tuple(_item(table, row_index, columns, selection) for row_index in range(len(table.rows)))
    if selection.renewal:
        items = _renewal_items(rules, selection, items)
    return Plan(klass, reason, items)


def _renewal_items(rules: RuleSet, selection: Selection, items: tuple[ItemRequirement, ...]):
    """第十四条: the key items are tested (one most resistant organism: no note-named tests);
    the others are not tested again."""
    renewal = rules.renewal
    key = {k.item: k for k in renewal.key_items.get(rules.types[selection.product_type].group, ())}
    result = []
    for item in items:
        if item.item in key:
            if item.requirement == "required":  # a key item a note relaxed stays as the note says
                item = replace(item, lines=(NoteLine("guidance", key[item.item].means, renewal.article),))
            result.append(item)
        else:
            line = NoteLine("reason", renewal.other_items, renewal.article, "只作关键项目")
            if item.table_value == "-":
                result.append(replace(item, lines=()))
            else:
                result.append(replace(item, requirement="not_required", lines=(line,), basis=line, sign_off=False))
    return tuple(result)


def _selected_columns(table: Table, selection: Selection) -> list[tuple[int, str | None]]:
    """(column index, usage or None) of every column that applies to the product."""
    if table.column_by == "usage":
        return [(i, u) for u in selection.usages for i, c in enumerate(table.columns) if u in c.values]
    return [(i, None) for i, c in enumerate(table.columns) if selection.product_type in c.values]


@dataclass(frozen=True)
class _Cell:
    """One selected table cell: its symbol, the requirement the notes give it, their lines."""

    symbol: str
    requirement: str
    lines: list[NoteLine]


def _cell(table: Table, row_index: int, column: int, usage: str | None, facts: frozenset[str]) -> _Cell:
    row = table.rows[row_index]
    symbol = row.cells[column]
    requirement = SYMBOLS[symbol]
    reasons: list[NoteLine] = []
    others: list[NoteLine] = []
    for note in table.notes_for(row.item):
        source = f"{table.id}注{note.mark}" if note.mark else f"{table.id}检验项目名称"
        for rule in note.rules:
            if not rule.applies(usage, facts, symbol):
                continue
            if rule.kind == "requirement":
                requirement = rule.value
                reasons.append(NoteLine("reason", rule.reason, source, rule.effect))
            else:
                others.append(NoteLine(rule.kind, rule.value, source))
    if requirement == "not_required":
        return _Cell(symbol, requirement, reasons)
    if row.tests_from_notes and not any(line.kind == "test" for line in others):
        source = f"{table.id}注{row.marks}"
        return _Cell(symbol, "not_required", [NoteLine("reason", "该注所列检测均不适用于本产品", source, "无适用项目")])
    return _Cell(symbol, requirement, reasons + others)


def _item(table: Table, row_index: int, columns: list[tuple[int, str | None]], selection: Selection) -> ItemRequirement:
    cells = [_cell(table, row_index, i, usage, selection.facts) for i, usage in columns]
    table_value = max((c.symbol for c in cells), key=lambda s: _RANK[SYMBOLS[s]], default="-")
    requirement = max((c.requirement for c in cells), key=_RANK.__getitem__, default="not_required")
    lines: list[NoteLine] = []
    if requirement == "not_required":
        for cell in cells:
            lines.extend(line for line in cell.lines if line.kind == "reason" and line not in lines)
    else:
        active = [c.lines for c in cells if c.requirement != "not_required"]
        for cell_lines in active:
            for line in cell_lines:
                keep = line.kind != "restrict" or all(line in other for other in active)
                if keep and line not in lines:
                    lines.append(line)
    basis, relaxed = None, _RANK[requirement] < _RANK[SYMBOLS[table_value]]
    if requirement != SYMBOLS[table_value]:
        # the note that moved the cells which decide: those of the table value when relaxed,
        # those of the resulting requirement when tightened
        deciding = [c for c in cells if (c.symbol == table_value if relaxed else c.requirement == requirement)]
        basis = next((line for c in deciding for line in c.lines if line.kind == "reason"), None)
    return ItemRequirement(
        table.id, table.rows[row_index].item, requirement, tuple(lines), table_value, basis, relaxed and basis is not None
    )
