"""How protocols, reports and plans read: Markdown sections generated from the data.

The renderer turns them into numbered Word headings and bordered tables like any body, so a
report's 结果评价 table, raw data, deviations and conclusion come before the author's own
Markdown (discussion, comparison, next revalidation), and its numbering runs on into it.
"""

from __future__ import annotations

import re

from dossier.validation.criteria import Criterion
from dossier.validation.evaluate import Evaluation, Reading
from dossier.validation.plan import PlanObject
from dossier.validation.report import PASS, ReportEvaluation
from dossier.validation.values import fmt, wording

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
MAX_FINDINGS_SHOWN = 8


def cell(text: object) -> str:
    """Text for one Markdown table cell or inline run: one line, Markdown punctuation escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split())) or "—"


def _samples(criterion: Criterion) -> str:
    names = criterion.sample_names
    if not names:
        return f"{criterion.sample_count} 个样品" if criterion.sample_count else ""
    if len(names) <= 4:
        return "、".join(names)
    return f"{names[0]}～{names[-1]}，共 {len(names)} 个"


def _measured(criterion: Criterion) -> str:
    """What is measured and where: 初始污染菌（CFU/支）；10 个样品."""
    if not criterion.quantity:
        return "—"
    quantity = f"{criterion.quantity}（{criterion.unit}）" if criterion.unit else criterion.quantity
    samples = _samples(criterion)
    return f"{quantity}；{samples}" if samples else quantity


def criteria_markdown(criteria: list[Criterion], heading: str) -> str:
    """The protocol's 接收准则 section: every criterion, what is measured where, and how it is judged."""
    reviewer = wording()["judged_by_reviewer"]
    rows = ["| 编号 | 接收准则 | 测量项目和样品 | 判定方式 |", "|---|---|---|---|"]
    for c in criteria:
        rule = reviewer if c.judged_by_reviewer else f"按数据判定：{c.rule_text()}"
        rows.append(f"| {cell(c.id)} | {cell(c.text)} | {cell(_measured(c))} | {cell(rule)} |")
    return f"# {heading}\n\n" + "\n".join(rows) + "\n\n"


def _figures(evaluation: Evaluation) -> str:
    if evaluation.criterion.judged_by_reviewer:
        return f"{wording()['judged']}：{evaluation.note}" if evaluation.note else wording()["judged"]
    return "；".join(f"{label} {value}" for label, value in evaluation.figures)


def _findings(evaluation: Evaluation) -> str:
    texts = [f.text for f in evaluation.findings]
    if not texts:
        return "—"
    shown = "；".join(texts[:MAX_FINDINGS_SHOWN])
    return shown + (f"；等共 {len(texts)} 项" if len(texts) > MAX_FINDINGS_SHOWN else "")


def _per_sample(evaluation: Evaluation) -> list[str]:
    """Raw data of one criterion: one row per sample (its value, or a summary of its readings)."""
    criterion = evaluation.criterion
    unit = criterion.unit
    failing = {(f.where.path, f.where.line, f.where.field) for f in evaluation.findings if f.where is not None}
    by_sample: dict[str, list[Reading]] = {}
    for reading in evaluation.readings:
        by_sample.setdefault(reading.sample, []).append(reading)
    series = any(len(readings) > 1 for readings in by_sample.values())
    shown = f"（{unit}）" if unit else ""
    if series:
        rows = [f"| 样品 | 读数 | 最小值{shown} | 最大值{shown} | 平均值{shown} | 判定 |", "|---|---|---|---|---|---|"]
    else:
        rows = [f"| 样品 | 结果{shown} | 判定 |", "|---|---|---|"]
    verdicts = wording()["verdicts"]
    for sample, readings in by_sample.items():
        bad = any((r.where.path, r.where.line, r.where.field) in failing for r in readings)
        verdict = verdicts["fail"] if bad else verdicts["pass"] if criterion.each or criterion.equals else "—"
        numbers = [r.value.number for r in readings if r.value.number is not None]
        if series and len(numbers) == len(readings):
            places = max(len(r.value.text.split(".")[1]) if "." in r.value.text else 0 for r in readings)
            rows.append(f"| {cell(sample)} | {len(readings)} | {fmt(min(numbers), places)} | {fmt(max(numbers), places)} | "
                        f"{fmt(sum(numbers) / len(numbers), min(places + 1, 4))} | {verdict} |")
        elif series:
            rows.append(f"| {cell(sample)} | {len(readings)} | {cell(readings[0].value.text)} | {cell(readings[-1].value.text)} | — | {verdict} |")
        else:
            rows.append(f"| {cell(sample)} | {cell(readings[0].value.text)} | {verdict} |")
    return rows


def _deviations(result: ReportEvaluation) -> list[str]:
    if not result.deviations:
        return ["本次验证未发生偏差。"]
    parts = []
    for deviation in result.deviations:
        concerned = "、".join(deviation.criteria) or "实施过程"
        approval = (f"{deviation.approved_by} {deviation.approved_on.isoformat()}" if deviation.approved
                    else "尚未批准")
        parts += [
            f"## {cell(deviation.id)}（涉及：{cell(concerned)}）",
            f"**偏差描述**：{cell(deviation.description)}",
            f"**影响评估**：{cell(deviation.impact)}",
            f"**处理措施**：{cell(deviation.disposition)}" + (f"（{cell(deviation.capa)}）" if deviation.capa else ""),
            f"**对验证结论的影响**：{'影响验证结论' if deviation.affects_conclusion else '不影响验证结论'}；**批准**：{cell(approval)}",
        ]
    return parts


def conclusion_text(result: ReportEvaluation) -> str:
    """The conclusion in words, from the evaluation: counts, failed criteria, deviations, verdict."""
    total = len(result.evaluations)
    failed = result.failed()
    text = f"{result.protocol} {result.revision}版规定的 {total} 项接收准则中，{total - len(failed)} 项符合"
    if failed:
        text += f"，{len(failed)} 项不符合（{'、'.join(e.criterion.id for e in failed)}）"
    text += "。"
    if failed and result.conclusion == PASS:
        covering = sorted({d.id for d in result.deviations for e in failed if e.criterion.id in d.criteria})
        text += f"不符合项已按偏差 {'、'.join(covering)} 评估，经批准不影响验证结论。"
    elif result.reasons:
        text += "；".join(result.reasons) + "。"
    return text + f"\n\n**验证结论：{result.conclusion_label}**"


def report_markdown(result: ReportEvaluation, title: str) -> str:
    """The generated sections of a report: basis, evaluation, raw data, deviations, conclusion."""
    basis = f"本报告依据验证方案《{cell(title)}》{result.protocol} {result.revision}版实施和评价。"
    if result.executed_from:
        until = f"至 {result.executed_to.isoformat()}" if result.executed_to else "起"
        basis += f"实施日期：{result.executed_from.isoformat()} {until}。"
    rows = ["| 编号 | 接收准则 | 计算结果 | 不符合项 | 判定 |", "|---|---|---|---|---|"]
    for e in result.evaluations:
        rows.append(f"| {cell(e.criterion.id)} | {cell(e.criterion.text)} | {cell(_figures(e))} | {cell(_findings(e))} | {e.verdict_label} |")
    failed = result.failed()
    summary = f"共 {len(result.evaluations)} 项接收准则：符合 {len(result.evaluations) - len(failed)} 项，不符合 {len(failed)} 项。"
    raw = []
    for e in result.evaluations:
        if e.criterion.judged_by_reviewer:
            continue
        raw += [f"## {cell(e.criterion.id)} {cell(e.criterion.quantity)}", "\n".join(_per_sample(e))]
    parts = [f"# 验证依据\n\n{basis}", "# 结果评价\n\n" + summary + "\n\n" + "\n".join(rows), "# 原始数据\n\n" + "\n\n".join(raw),
             "# 偏差\n\n" + "\n\n".join(_deviations(result)), f"# 结论\n\n{conclusion_text(result)}"]
    return "\n\n".join(parts) + "\n\n"


def _revalidation(obj: PlanObject) -> str:
    parts = []
    if obj.interval_months:
        parts.append(f"每 {obj.interval_months} 个月")
    if obj.triggers:
        parts.append("发生以下情况时：" + "；".join(obj.triggers))
    return "；".join(parts) or "—"


def plan_markdown(objects: list[PlanObject]) -> str:
    """The generated sections of a plan: the objects, their protocols and revalidation, and the
    documents whose change calls for an assessment."""
    rows = ["| 编号 | 验证或确认对象（阶段） | 类型 | 负责人 | 计划日期 |", "|---|---|---|---|---|"]
    for o in objects:
        name = f"{o.name}（{'、'.join(o.stages)}）" if o.stages else o.name
        rows.append(f"| {cell(o.id)} | {cell(name)} | {cell(o.type_label)} | {cell(o.owner)} | {o.planned.isoformat() if o.planned else '—'} |")
    again = ["| 编号 | 方案 | 上次验证 | 上次报告 | 再验证周期和条件 |", "|---|---|---|---|---|"]
    for o in objects:
        last = o.last_validated.isoformat() if o.last_validated else "—"
        again.append(f"| {cell(o.id)} | {cell(o.protocol)} | {last} | {cell(o.last_report)} | {cell(_revalidation(o))} |")
    parts = ["# 验证和确认对象\n\n" + "\n".join(rows), "# 方案和再验证\n\n" + "\n".join(again)]
    dependent = [o for o in objects if o.depends_on]
    if dependent:
        table = ["| 编号 | 验证或确认对象 | 相关文件 |", "|---|---|---|"]
        table += [f"| {cell(o.id)} | {cell(o.name)} | {cell('、'.join(o.depends_on))} |" for o in dependent]
        parts.append("# 变更后的再验证评估\n\n下列文件变更时，由对象负责人评估是否需要再验证或再确认（第七十四条），"
                     "评估结论记入本计划。\n\n" + "\n".join(table))
    return "\n\n".join(parts) + "\n\n"
