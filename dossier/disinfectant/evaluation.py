"""The evaluation of one product: test reports against the required items, and the Annex 3 answers.

Data decides the questions the form marks `decided_by`: class, complete (检验项目是否齐全:
every required item, and every test the table notes name, is covered by a report — or, for a
renewal, by a national sampling inspection within two years, 第十四条), results (检验结果是否符合
要求: every reported item conforms and all items were tested on one batch, 第十条) and the
conclusion (是 only when every applicable answer allows it). The evaluator answers the others
in the product YAML.
"""

from __future__ import annotations

from dataclasses import dataclass

from dossier.disinfectant.model import Product, ReportItem, TestReport
from dossier.disinfectant.renewal import PASSED, Exemption
from dossier.disinfectant.requirements import ItemRequirement, Plan, plan_tests
from dossier.disinfectant.signoff import Decision, sign_off_decisions
from dossier.disinfectant.validity import add_years
from dossier.errors import Problems


@dataclass(frozen=True)
class Coverage:
    """How one item of the table is covered by the reports."""

    requirement: ItemRequirement
    entries: tuple[tuple[TestReport, ReportItem], ...]
    missing_tests: tuple[str, ...]
    exemption: Exemption | None = None  # renewal: passed a national sampling inspection instead

    @property
    def covered(self) -> bool:
        """True when some report tests the item and names every test the notes require, or an
        exemption (第十四条) holds for it."""
        return (bool(self.entries) and not self.missing_tests) or self.exemption is not None


@dataclass(frozen=True)
class Evaluation:
    """The outcome of evaluating a product."""

    product: Product
    plan: Plan
    coverage: tuple[Coverage, ...]
    missing: tuple[str, ...]  # required items (or named tests) no report covers
    nonconforming: tuple[str, ...]  # reported items whose conclusion is 不合格
    batches: dict[str, tuple[str, ...]]  # sample batch -> report numbers
    answers: dict[int, bool | None]  # question number -> answer, None where it does not apply
    void_exemptions: tuple[str, ...] = ()  # renewal exemptions that do not hold, and why
    decisions: tuple[Decision, ...] = ()  # table values relaxed by notes: sign-off needed

    @property
    def complete(self) -> bool:
        """检验项目是否齐全."""
        return not self.missing

    @property
    def one_batch(self) -> bool:
        """All reports tested the same sample batch (第十条)."""
        return len(self.batches) <= 1

    @property
    def conclusion(self) -> bool:
        """评价结论 (the question the form decides by `conclusion`, 13 in 2014)."""
        questions = self.product.rules.forms.annex3.questions
        return all(bool(self.answers[q.number]) for q in questions if q.decided_by == "conclusion")

    def findings(self) -> list[str]:
        """What keeps the conclusion from 是, one line each (empty when it is 是)."""
        lines = [f"检验项目不齐全，缺少：{item}" for item in self.missing]
        lines += [f"检验结果不符合要求：{entry}" for entry in self.nonconforming]
        lines += [f"抽检免做不成立（第十四条）：{entry}" for entry in self.void_exemptions]
        if not self.one_batch:
            detail = "；".join(f"批次{b}：{'、'.join(numbers)}" for b, numbers in sorted(self.batches.items()))
            lines.append(f"检验项目未使用同一个批次产品完成（第十条）：{detail}")
        for question in self.product.rules.forms.annex3.questions:
            if question.key and self.answers[question.number] is not None:
                if self.answers[question.number] != question.acceptable:
                    answer = "是" if self.answers[question.number] else "否"
                    lines.append(f"第{question.number}项“{question.label}”评价为{answer}")
        return lines


def check_report_items(product: Product, plan: Plan, problems: Problems) -> None:
    """Report items must name items of the product's table (typos are input errors)."""
    names = {i.item for i in plan.items}
    for report_no, report in enumerate(product.reports, start=1):
        for item_no, entry in enumerate(report.items, start=1):
            if entry.item and entry.item not in names:
                problems.add(
                    product.shown,
                    entry.line,
                    f"test_reports[{report_no}].items[{item_no}].item",
                    f"{entry.item!r} is not a test item of {plan.items[0].table} "
                    f"(expected one of: {'、'.join(i.item for i in plan.items)})",
                )


def check_renewal(product: Product, plan: Plan, problems: Problems) -> None:
    """A renewal applies to the classes 第十四条 names (the reader checked the exemptions' items)."""
    renewal, rules = product.renewal, product.rules.renewal
    if renewal is None:
        return
    if plan.klass not in rules.classes:
        problems.add(
            product.shown, renewal.line, "evaluation.renewal",
            f"a renewal ({rules.article}) applies to class {'/'.join(map(str, rules.classes))} products; "
            f"this product is class {plan.klass} ({plan.class_reason})",
        )


def _exemption(product: Product, item: str) -> tuple[Exemption | None, str | None]:
    """The exemption that holds for `item`, or why the one given does not."""
    renewal = product.renewal
    for exemption in renewal.exemptions if renewal else ():
        if exemption.item != item:
            continue
        years = product.rules.renewal.exemption_years
        earliest = add_years(product.evaluation_date, -years)
        if exemption.conclusion not in PASSED:
            return None, f"{item}（{exemption.inspection}结论为{exemption.conclusion}）"
        if not earliest <= exemption.date <= product.evaluation_date:
            return None, f"{item}（{exemption.inspection} {exemption.date} 不在评价日期前{years}年内）"
        return exemption, None
    return None, None


def evaluate(product: Product) -> Evaluation:
    """Evaluate `product` (whose YAML already loaded without problems)."""
    plan = plan_tests(product.rules, product.selection)
    coverage, void = [], []
    for requirement in plan.items:
        entries = tuple((r, e) for r in product.reports for e in r.items if e.item == requirement.item)
        named = {t for _, e in entries for t in e.tests}
        missing_tests = tuple(t for t in requirement.tests if t not in named)
        exemption = None
        if not entries and requirement.requirement == "required":
            exemption, why = _exemption(product, requirement.item)
            void.extend([why] if why else [])
        coverage.append(Coverage(requirement, entries, missing_tests, exemption))
    missing = []
    for entry in coverage:
        if entry.requirement.requirement != "required" or entry.covered:
            continue
        if not entry.entries:
            missing.append(entry.requirement.item)
        else:
            missing.extend(f"{entry.requirement.item}（{t}）" for t in entry.missing_tests)
    nonconforming = tuple(
        f"{e.item}（报告{r.number}：{e.result}，{e.conclusion}）"
        for r in product.reports
        for e in r.items
        if not e.conforms
    )
    batches: dict[str, list[str]] = {}
    for report in product.reports:
        batches.setdefault(report.batch, []).append(report.number)
    results_ok = not nonconforming and len(batches) <= 1
    return Evaluation(
        product=product,
        plan=plan,
        coverage=tuple(coverage),
        missing=tuple(missing),
        nonconforming=nonconforming,
        batches={b: tuple(n) for b, n in batches.items()},
        answers=_answers(product, complete=not missing, results_ok=results_ok),
        void_exemptions=tuple(void),
        decisions=tuple(sign_off_decisions(product.rules, product.selection, product.facts, plan)),
    )


def _answers(product: Product, complete: bool, results_ok: bool) -> dict[int, bool | None]:
    """Answer of every question; None where it does not apply to the product."""
    derived = {"class": True, "complete": complete, "results": results_ok}
    questions = product.rules.forms.annex3.questions
    answers: dict[int, bool | None] = {}
    for question in questions:
        if not product.applies(question.scope):
            answers[question.number] = None
        elif question.key:
            answers[question.number] = product.answers[question.key]
        else:
            answers[question.number] = derived.get(question.decided_by or "")
    for question in questions:
        if question.decided_by == "conclusion":
            answers[question.number] = all(
                answers[q.number] is None or answers[q.number] == q.acceptable
                for q in questions
                if q.decided_by not in ("class", "conclusion")
            )
    return answers
