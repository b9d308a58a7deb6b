"""Validity of an evaluation report (第十四条) and the re-tests a declared change requires (第十二条)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dossier.disinfectant.model import Change, Product
from dossier.disinfectant.requirements import Selection, classify, plan_tests


def add_years(start: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def expiry_date(product: Product) -> date | None:
    """When the product's evaluation report expires; None when it is valid long-term."""
    klass, _ = classify(product.rules, product.selection)
    years = product.rules.validity_years.get(klass)
    return add_years(product.evaluation_date, years) if years else None


@dataclass(frozen=True)
class Retests:
    """What a declared change requires: the article, the tests and a remark."""

    article: str
    tests: tuple[str, ...]
    note: str


def retests_for(product: Product, change: Change) -> Retests:
    """The re-tests 第十二条 (or the update 第十四条) requires for `change`."""
    rule = product.rules.changes[change.change]
    group = product.type_info.group
    none_named = Retests(rule.article, (), f"{rule.means}：第十二条对{product.product_type}未规定重新检验")
    if rule.groups is not None and group not in rule.groups:
        return none_named
    if rule.tests_from_tables and change.usages:
        selection = Selection(product.product_type, change.usages, product.selection.facts)
        plan = plan_tests(product.rules, selection)
        tests = []
        for item in plan.items:
            if item.requirement == "required":
                named = f"（{'、'.join(item.tests)}）" if item.tests else ""
                tests.append(f"{item.item}{named}")
        return Retests(rule.article, tuple(tests), f"{rule.note}（新增使用范围：{'、'.join(change.usages)}）")
    if change.original_sample and rule.original_sample_tests:
        return Retests(rule.article, rule.original_sample_tests, "使用原送检样品的只需做稳定性试验")
    tests = rule.tests.get(group, ())
    if rule.tests and not tests:
        return none_named
    return Retests(rule.article, tests, rule.note)


def validity_warnings(product: Product, today: date) -> list[str]:
    """Warnings for `dossier status`: expiry (first class, 4 years, warned ahead) and pending re-tests."""
    label = f"{product.shown}: {product.name}"
    warnings = []
    expires = expiry_date(product)
    if expires is not None:
        klass, _ = classify(product.rules, product.selection)
        warn_from = expires - timedelta(days=product.rules.warn_days.get(klass, 0))
        rules = product.rules.renewal
        key_items = [k.means for k in rules.key_items.get(product.type_info.group, ())]
        key_tests = f"; renewal tests: {'、'.join(key_items)} ({rules.exemption})" if key_items else ""
        if today >= expires:
            warnings.append(
                f"{label}: evaluation report (class {klass}) expired on {expires}; re-evaluate and re-file "
                f"({product.rules.renewal.article}){key_tests}"
            )
        elif today >= warn_from:
            warnings.append(
                f"{label}: evaluation report (class {klass}) expires on {expires}, in {(expires - today).days} days; "
                f"re-evaluate and re-file before then ({product.rules.renewal.article}){key_tests}"
            )
    for change in product.changes:
        if change.date <= product.evaluation_date:
            continue
        retests = retests_for(product, change)
        tests = f"re-test {'、'.join(retests.tests)}" if retests.tests else "no re-test named"
        note = f" ({retests.note})" if retests.note else ""
        warnings.append(
            f"{label}: change {change.change} on {change.date} is after the evaluation of {product.evaluation_date}: "
            f"{tests} ({retests.article}){note}; update the evaluation report and re-file"
        )
    return warnings
