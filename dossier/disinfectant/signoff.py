"""Decisions the regulatory person must sign off: where a table note relaxes the table.

When the table says + (or ±) and a note makes the item not required or optional — no test the
note names applies (表1注⑦, 表2注⑥), the note says 可不测定, an item name restricts the item —
the tool's decision rests on the facts declared and on those not declared. For each such item
this module names both: the declared facts whose withdrawal would change the decision, and the
facts that, declared with `--fact`, would change it (found by planning again with each).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from dossier.disinfectant.requirements import ItemRequirement, Plan, Selection, expand_facts, fact_errors, plan_tests
from dossier.disinfectant.ruleset import Fact, RuleSet


@dataclass(frozen=True)
class Decision:
    """An item whose table value a note relaxed, and the facts the decision rests on."""

    item: ItemRequirement
    rests_on: tuple[Fact, ...]  # declared facts: withdrawn, the decision changes
    changed_by: tuple[Fact, ...]  # undeclared facts: declared, the decision changes

    def lines(self) -> list[str]:
        """The decision and its assumptions, for the command line."""
        i = self.item
        why = i.basis.text if i.basis else ""
        lines = [f"{i.table} {i.item}: {i.shown} — decided {i.requirement.replace('_', ' ')} ({why})"]
        for fact in self.rests_on:
            lines.append(f"rests on the declared fact {fact.name} ({fact.means}); without it the decision changes")
        for fact in self.changed_by:
            lines.append(f"assumes not: {fact.means} — --fact {fact.name} changes this decision")
        return lines

    def assumptions_cn(self) -> str:
        """The assumptions in Chinese, for the product's test-item matrix (Annex 2)."""
        parts = [f"依据已声明的“{f.means}”" for f in self.rests_on]
        parts += [f"假定“{f.means}”不成立" for f in self.changed_by]
        return "；".join(parts)

    def as_json(self) -> dict:
        """The JSON shape of one decision (`tests --json`, `check --json`)."""
        return {
            **self.item.as_json(),
            "rests_on": [f.name for f in self.rests_on],
            "changed_by": [{"fact": f.name, "means": f.means, "option": f"--fact {f.name}"} for f in self.changed_by],
        }


def sign_off_decisions(rules: RuleSet, selection: Selection, declared: Sequence[str], plan: Plan | None = None) -> list[Decision]:
    """The items of the plan of `selection` that need sign-off, each with its assumptions."""
    plan = plan or plan_tests(rules, selection)
    items = [i for i in plan.items if i.sign_off]
    if not items:
        return []

    def requirements(facts: set[str]) -> dict[str, str]:
        changed = plan_tests(rules, replace(selection, facts=expand_facts(rules, sorted(facts))))
        return {i.item: i.requirement for i in changed.items}

    base = set(declared)
    withdrawn = {name: requirements(base - {name}) for name in declared}
    added = {}
    for fact in rules.facts.values():
        if fact.name in selection.facts or fact_errors(rules, selection.product_type, sorted(base | {fact.name})):
            continue
        added[fact.name] = requirements(base | {fact.name})
    decisions = []
    for item in items:
        rests = tuple(rules.facts[n] for n, result in withdrawn.items() if result[item.item] != item.requirement)
        changes = tuple(rules.facts[n] for n, result in added.items() if result[item.item] != item.requirement)
        decisions.append(Decision(item, rests, changes))
    return decisions
