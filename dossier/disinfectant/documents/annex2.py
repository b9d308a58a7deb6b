"""Annex 2 for one product: every item of its table with requirement, covering report and result."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from dossier.disinfectant import docbuild as d
from dossier.disinfectant.documents.common import NONE
from dossier.disinfectant.evaluation import Coverage, Evaluation
from dossier.disinfectant.forms import ANNEX2_LEGEND, ANNEX2_TITLE, CLASS_CHOICES

REQUIREMENT_LABELS = {"required": "+ 必须做", "optional": "± 选做", "not_required": "- 不做"}
_WIDTHS = [9, 36, 17, 40, 22, 26, 14]
_HEADERS = ("序号", "检验项目", "要求", "说明", "检验报告编号", "检验结果", "结论")


def _verdict(entry: Coverage) -> str:
    if entry.requirement.requirement == "required" and not entry.entries:
        return "缺项"
    if entry.missing_tests and entry.requirement.requirement == "required":
        return "缺：" + "、".join(entry.missing_tests)
    if not entry.entries:
        return NONE
    return "、".join(dict.fromkeys(e.conclusion for _, e in entry.entries))


def annex2(evaluation: Evaluation) -> DocxDocument:
    """The test-item matrix of the product."""
    product, plan = evaluation.product, evaluation.plan
    table_rule = product.rules.table_for(product.product_type)
    document = d.new_document()
    d.title(document, ANNEX2_TITLE)
    d.para(document, f"{table_rule.id} {table_rule.title}", heading=True, center=True)
    d.para(document, f"产品名称：{product.name}")
    scope = "、".join(product.usages) if product.usages else product.product_type
    d.para(document, f"产品类别：{CLASS_CHOICES[plan.klass - 1]}（{plan.class_reason}）")
    d.para(document, f"产品类型：{product.product_type}；使用范围：{scope}")
    if product.facts:
        d.para(document, f"适用注释的产品情况：{'、'.join(product.facts)}")
    d.para(document, ANNEX2_LEGEND)
    table = d.grid(document, len(evaluation.coverage) + 1, _WIDTHS, header_rows=1)
    for cell, header in zip(table.rows[0].cells, _HEADERS):
        d.fill(cell, header, bold=True, center=True, size=9)
    for index, (row, entry) in enumerate(zip(table.rows[1:], evaluation.coverage), start=1):
        values = (
            str(index),
            entry.requirement.item,
            REQUIREMENT_LABELS[entry.requirement.requirement],
            "；".join(entry.requirement.notes) or NONE,
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
