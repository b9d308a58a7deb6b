"""Annex 3: 消毒产品卫生安全评价报告, with the answers ticked ☑/☐."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.shared import Pt

from dossier.disinfectant import docbuild as d
from dossier.disinfectant.documents.common import NONE, cn_date, or_none
from dossier.disinfectant.evaluation import Evaluation
from dossier.disinfectant.forms import (
    ANNEX3_BASIC,
    ANNEX3_COVER,
    ANNEX3_PART1,
    ANNEX3_PART2,
    ANNEX3_PLEDGE,
    ANNEX3_REMARKS,
    ANNEX3_REMARKS_TITLE,
    ANNEX3_TITLE,
    CLASS_CHOICES,
    MATERIALS,
    NO,
    QUESTIONS,
    YES,
)
from dossier.disinfectant.model import Product


def _cover(document: DocxDocument, product: Product) -> None:
    for _ in range(6):
        d.para(document)
    d.title(document, ANNEX3_TITLE, size=26)
    for _ in range(6):
        d.para(document)
    values = (product.name, product.form_model, product.responsible.name, cn_date(product.evaluation_date))
    for label, value in zip(ANNEX3_COVER, values):
        paragraph = d.para(document)
        paragraph.paragraph_format.left_indent = Pt(60)
        d.add_run(paragraph, label, size=Pt(14))
        d.add_run(paragraph, value, size=Pt(14))
    d.page_break(document)


def _basic(document: DocxDocument, product: Product) -> None:
    r, m = product.responsible, product.manufacturer
    customs = product.import_info.customs_declaration if product.import_info else NONE
    values = (
        (r.name, r.address),
        (r.legal_representative, f"{r.phone} / {r.postcode}"),
        (m.name, m.address),
        (or_none(m.hygiene_licence), m.legal_representative),
        (customs, None),
    )
    table = d.grid(document, len(ANNEX3_BASIC), [30, 50, 30, 50])
    for row, (labels, texts) in zip(table.rows, zip(ANNEX3_BASIC, values)):
        cells = row.cells
        d.fill(cells[0], labels[0], bold=True, size=9)
        if labels[1] is None:
            merged = cells[1].merge(cells[3])
            d.fill(merged, texts[0], size=9)
        else:
            d.fill(cells[1], texts[0], size=9)
            d.fill(cells[2], labels[1], bold=True, size=9)
            d.fill(cells[3], texts[1], size=9)


def _questions(document: DocxDocument, evaluation: Evaluation) -> None:
    table = d.grid(document, len(QUESTIONS), [10, 112, 38])
    for row, question in zip(table.rows, QUESTIONS):
        d.fill(row.cells[0], str(question.number), center=True)
        d.fill(row.cells[1], question.label)
        answer = row.cells[2].paragraphs[0]
        value = evaluation.answers[question.number]
        if question.number == 1:
            d.choice(answer, CLASS_CHOICES, CLASS_CHOICES[evaluation.plan.klass - 1])
        else:
            d.choice(answer, (YES, NO), None if value is None else (YES if value else NO))
            if value is None:
                d.add_run(answer, "（不适用）")
        if question.number == 4 and evaluation.missing:
            d.add_run(row.cells[1].add_paragraph(), "缺少：" + "、".join(evaluation.missing), size=Pt(9))
        if question.number == 5 and not evaluation.answers[5]:
            problems = list(evaluation.nonconforming)
            if not evaluation.one_batch:
                problems.append("检验项目未使用同一个批次产品完成：" + "、".join(sorted(evaluation.batches)))
            d.add_run(row.cells[1].add_paragraph(), "；".join(problems), size=Pt(9))


def annex3(evaluation: Evaluation) -> DocxDocument:
    """The evaluation report of the product (cover, 一、基本情况, 二、评价资料, 备注)."""
    product = evaluation.product
    document = d.new_document()
    _cover(document, product)
    d.title(document, ANNEX3_TITLE)
    d.para(document, ANNEX3_PART1, bold=True, heading=True)
    _basic(document, product)
    d.para(document)
    _questions(document, evaluation)
    d.para(document)
    d.para(document, ANNEX3_PLEDGE)
    d.para(document)
    d.para(document, ANNEX3_PART2, bold=True, heading=True)
    for section in MATERIALS:
        suffix = "" if product.applies(section.scope) else "（本产品不适用）"
        d.para(document, f"{section.number}{section.title}{suffix}")
    d.para(document)
    d.para(document, ANNEX3_REMARKS_TITLE, bold=True)
    for remark in ANNEX3_REMARKS:
        d.para(document, remark, size=9)
    return document
