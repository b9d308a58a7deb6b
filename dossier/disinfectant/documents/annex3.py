"""Annex 3: 消毒产品卫生安全评价报告 — the form of the rule set, its answers marked 是(√)否( ).

Only the form's text and the product's answers are printed: a question that does not apply to
the product is left unmarked, and findings go to `dossier disinfectant check`.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.shared import Pt

from dossier.disinfectant import docbuild as d
from dossier.disinfectant.evaluation import Evaluation
from dossier.disinfectant.fields import field_text, field_values
from dossier.disinfectant.formdata import Annex3Form, Forms, Question


def _cover(document: DocxDocument, form: Annex3Form, values: dict[str, str], forms: Forms) -> None:
    for _ in range(6):
        d.para(document)
    d.title(document, form.title, size=26)
    for _ in range(6):
        d.para(document)
    for field in form.cover:
        paragraph = d.para(document)
        paragraph.paragraph_format.left_indent = Pt(60)
        d.add_run(paragraph, field.label, size=Pt(14))
        d.add_run(paragraph, field_text(field, values, forms), size=Pt(14))
    d.page_break(document)


def _basic(document: DocxDocument, form: Annex3Form, values: dict[str, str], forms: Forms) -> None:
    """The 基本情况 table: label and value cells in pairs; a shorter row spans its last value."""
    widths = list(form.basic_columns_mm)
    table = d.grid(document, len(form.basic), widths)
    for row, fields in zip(table.rows, form.basic):
        cells = row.cells
        for index, field in enumerate(fields):
            d.fill(cells[2 * index], field.label, bold=True, size=9)
            value = cells[2 * index + 1]
            if index == len(fields) - 1 and 2 * index + 1 < len(widths) - 1:
                value = value.merge(cells[len(widths) - 1])
            d.fill(value, field_text(field, values, forms), size=9)


def answer_of(question: Question, evaluation: Evaluation) -> str | None:
    """The option the evaluation marks for `question`; None where it does not apply."""
    value = evaluation.answers[question.number]
    if question.decided_by == "class":
        return question.choices[evaluation.plan.klass - 1]
    if value is None:
        return None
    return question.choices[0] if value else question.choices[1]


def _questions(document: DocxDocument, evaluation: Evaluation, forms: Forms) -> None:
    questions = forms.annex3.questions
    table = d.grid(document, len(questions), [12, 104, 44])
    for row, question in zip(table.rows, questions):
        d.fill(row.cells[0], f"{question.number}.", center=True)
        d.fill(row.cells[1], question.label)
        d.fill(row.cells[2], forms.ticked(question.choices, answer_of(question, evaluation)))


def annex3(evaluation: Evaluation) -> DocxDocument:
    """The evaluation report of the product (cover, 一、基本情况, 二、评价资料, 备注)."""
    product = evaluation.product
    forms = product.rules.forms
    form = forms.annex3
    values = field_values(product, evaluation.plan.klass)
    document = d.new_document()
    _cover(document, form, values, forms)
    d.title(document, form.title)
    d.para(document, form.part1, bold=True, heading=True)
    _basic(document, form, values, forms)
    d.para(document)
    _questions(document, evaluation, forms)
    d.para(document)
    d.para(document, form.pledge)
    d.para(document)
    d.para(document, form.part2, bold=True, heading=True)
    for section in form.materials:
        d.para(document, f"{section.number}{section.title}")
    d.para(document)
    d.para(document, form.remarks_title, bold=True)
    for remark in form.remarks:
        d.para(document, remark, size=9)
    return document
