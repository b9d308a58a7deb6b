"""The evaluation of one product: test reports against the required items, and the Annex 3 answers.

Data decides question 1 (class), 4 (检验项目是否齐全: every required item, and every test the
table notes name, is covered by a report), 5 (检验结果是否符合要求: every reported item
conforms and all items were tested on one batch, 第十条) and 13 (the conclusion: 是 only when
every applicable answer allows it). The evaluator answers the others in the product YAML.
"""

from __future__ import annotations

from dataclasses import dataclass

from dossier.disinfectant.forms import QUESTIONS
from dossier.disinfectant.model import Product, ReportItem, TestReport
from dossier.disinfectant.requirements import ItemRequirement, Plan, plan_tests
from dossier.errors import Problems


@dataclass(frozen=True)
class Coverage:
    """How one item of the table is covered by the reports."""

    requirement: ItemRequirement
    entries: tuple[tuple[TestReport, ReportItem], ...]
    missing_tests: tuple[str, ...]

    @property
    def covered(self) -> bool:
        """True when some report tests the item and names every test the notes require."""
        return bool(self.entries) and not self.missing_tests


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
        """评价结论 (question 13)."""
        return bool(self.answers[13])

    def findings(self) -> list[str]:
        """What keeps the conclusion from 是, one line each (empty when it is 是)."""
        lines = [f"检验项目不齐全，缺少：{item}" for item in self.missing]
        lines += [f"检验结果不符合要求：{entry}" for entry in self.nonconforming]
        if not self.one_batch:
            detail = "；".join(f"批次{b}：{'、'.join(numbers)}" for b, numbers in sorted(self.batches.items()))
            lines.append(f"检验项目未使用同一个批次产品完成（第十条）：{detail}")
        for question in QUESTIONS:
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


def evaluate(product: Product) -> Evaluation:
    """Evaluate `product` (whose YAML already loaded without problems)."""
    plan = plan_tests(product.rules, product.selection)
    coverage = []
    for requirement in plan.items:
        entries = tuple((r, e) for r in product.reports for e in r.items if e.item == requirement.item)
        named = {t for _, e in entries for t in e.tests}
        missing_tests = tuple(t for t in requirement.tests if t not in named)
        coverage.append(Coverage(requirement, entries, missing_tests))
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
    )


def _answers(product: Product, complete: bool, results_ok: bool) -> dict[int, bool | None]:
    """Answer of every question; None where it does not apply to the product."""
    derived = {1: True, 4: complete, 5: results_ok}
    answers: dict[int, bool | None] = {}
    for question in QUESTIONS:
        if not product.applies(question.scope):
            answers[question.number] = None
        elif question.key:
            answers[question.number] = product.answers[question.key]
        else:
            answers[question.number] = derived.get(question.number)
    answers[13] = all(
        answers[q.number] is None or answers[q.number] == q.acceptable for q in QUESTIONS if q.number not in (1, 13)
    )
    return answers
