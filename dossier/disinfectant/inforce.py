"""The rule set in force on an evaluation date, and the warning when none of ours is.

WS 628—2018 replaced the technical content of the 2014 rules (Art. 5, 6, 8, 9, 10, 12, 13 and
Annexes 1–3) from 2019-03-01; its text is not available to this project. Until a `ws628` rule
set exists as data, an evaluation dated on or after that day is evaluated with `ws2014` and
every command that uses the rules says so (`warning: …`), naming what replaced it.
"""

from __future__ import annotations

from datetime import date

from dossier.disinfectant.ruleset import DEFAULT_RULE_SET, RuleSet, available_rule_sets, load_rule_set


def rule_set_for(when: date) -> str:
    """The name of the rule set whose technical content applies to an evaluation dated `when`.

    When none covers the date, the newest rule set that started before it (the caller warns);
    before every rule set, the default one.
    """
    rule_sets = [load_rule_set(name) for name in available_rule_sets()]
    covering = [r for r in rule_sets if r.in_force.covers(when)]
    if covering:
        return max(covering, key=lambda r: r.in_force.start).name
    started = [r for r in rule_sets if r.in_force.start <= when]
    return max(started, key=lambda r: r.in_force.start).name if started else DEFAULT_RULE_SET


def rule_set_warnings(rules: RuleSet, when: date) -> list[str]:
    """Why `rules` may not be the rules in force on `when` (empty when they are)."""
    period = rules.in_force
    if when < period.start:
        return [f"rule set {rules.name} ({rules.title}) applies from {period.start}; the evaluation is dated {when}"]
    if period.until is None or when < period.until:
        return []
    standard = period.replaced_by.split("《")[0]
    return [
        f"rule set {rules.name}: {period.replaced_by} replaced its {period.replaced} on {period.until}; "
        f"this evaluation ({when}) uses the {rules.name} tables and report format — check it against {standard} "
        "by hand (README: Disinfection products)"
    ]
