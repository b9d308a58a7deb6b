"""Annex 2 for one product: every item of its table — the table's value and the effect of a note
that changed it, covering report and result — and the decisions that need sign-off.

This is the product's working matrix, not a form of the regulation: it shows findings.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument

from dossier.disinfectant import docbuild as d
from dossier.disinfectant.documents.common import NONE
from dossier.disinfectant.evaluation import Coverage, Evaluation

_WIDTHS = [9, 36, 24, 36, 22, 22, 11]
_HEADERS = ("序号", "检验项目", "要求", "说明", "检验报告编号", "检验结果", "结论")


def _verdict(entry: Coverage) -> str:
    if entry.exemption is not None:
        return "免检"
    if entry.requirement.requirement == "required" and not entry.entries:
        return "缺项"
    if entry.missing_tests and entry.requirement.requirement == "required":
        return "缺：" + "、".join(entry.missing_tests)
    if not entry.entries:
        return NONE
    return "、".join(dict.fromkeys(e.conclusion for _, e in entry.entries))


def _explanation(entry: Coverage, evaluation: Evaluation) -> str:
    lines = list(entry.requirement.notes)
    if entry.requirement.sign_off:
        decision = next((x for x in evaluation.decisions if x.item.item == entry.requirement.item), None)
        assumptions = decision.assumptions_cn() if decision else ""
        lines.append(f"本判定需法规负责人确认{'（' + assumptions + '）' if assumptions else ''}")
    if entry.exemption is not None:
        e = entry.exemption
        lines.append(f"{e.inspection}合格（{e.report}，{e.date}），第十四条两年内国家监督抽检合格的检验项目可不再做")
    return "；".join(lines) or NONE


def annex2(evaluation: Evaluation) -> DocxDocument:
    """The test-item matrix of the product."""
    product, plan = evaluation.product, evaluation.plan
    forms = product.rules.forms
    table_rule = product.rules.table_for(product.product_type)
    document = d.new_document()
    d.title(document, forms.annex2_title)
    d.para(document, f"{table_rule.id} {table_rule.title}", heading=True, center=True)
    d.para(document, f"产品名称：{product.name}")
    scope = "、".join(product.usages) if product.usages else product.product_type
    klass = forms.annex3.questions[0].choices[plan.klass - 1]
    d.para(document, f"产品类别：{klass}（{plan.class_reason}）")
    d.para(document, f"产品类型：{product.product_type}；使用范围：{scope}")
    if product.facts:
        d.para(document, f"适用注释的产品情况：{'、'.join(product.facts)}")
    if product.renewal is not None:
        d.para(document, f"重新评价（{product.rules.renewal.article}）：{product.rules.renewal.other_items}")
    d.para(document, forms.annex2_legend)
    table = d.grid(document, len(evaluation.coverage) + 1, _WIDTHS, header_rows=1)
    for cell, header in zip(table.rows[0].cells, _HEADERS):
        d.fill(cell, header, bold=True, center=True, size=9)
    for index, (row, entry) in enumerate(zip(table.rows[1:], evaluation.coverage), start=1):
        values = (
            str(index),
            entry.requirement.item,
            entry.requirement.shown,
            _explanation(entry, evaluation),
            "、".join(dict.fromkeys(r.number for r, _ in entry.entries)) or NONE,
            "；".join(e.result for _, e in entry.entries) or NONE,
            _verdict(entry),
        )
        for cell, value in zip(row.cells, values):
            d.fill(cell, value, size=9)
    d.para(document)
    complete = "是" if evaluation.complete else "否（缺少：" + "、".join(evaluation.missing) + "）"
    d.para(document, f"检验项目是否齐全：{complete}")
    batches = "、".join(sorted(evaluation.batches))
    d.para(document, f"检验样品批次：{batches}（{'同一批次' if evaluation.one_batch else '批次不一致'}）")
    return document
