"""Annex 4: 消毒产品卫生安全评价报告备案登记表, laid out and worded as the rule set's form data says.

The 在华责任单位 group is filled for imports only (第四条); for domestic products it shows ／.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument

from dossier.disinfectant import docbuild as d
from dossier.disinfectant.evaluation import Evaluation
from dossier.disinfectant.fields import field_text, field_values


def annex4(evaluation: Evaluation) -> DocxDocument:
    """The filing registration form (product English name filled for imports)."""
    product = evaluation.product
    forms = product.rules.forms
    form = forms.annex4
    values = field_values(product, evaluation.plan.klass)
    document = d.new_document()
    d.title(document, form.title)
    rows = sum(len(group.lines) for group in form.groups)
    table = d.grid(document, rows, list(form.columns_mm))
    first = 0
    for group in form.groups:
        heading = table.rows[first].cells[0]
        if len(group.lines) > 1:
            heading = heading.merge(table.rows[first + len(group.lines) - 1].cells[0])
        d.fill(heading, group.heading, bold=True)
        for offset, line in enumerate(group.lines):
            cells = table.rows[first + offset].cells
            for index, field in enumerate(line):
                label, value = cells[1 + 2 * index], cells[2 + 2 * index]
                if field.label:
                    d.fill(label, field.label, bold=True)
                else:
                    value = label.merge(value)
                d.fill(value, field_text(field, values, forms))
        first += len(group.lines)
    d.para(document)
    d.para(document, form.guarantee)
    d.para(document)
    d.para(document, form.signature)
    d.para(document)
    paragraph = d.para(document)
    for index, field in enumerate(form.applicant):
        d.add_run(paragraph, ("　" if index else "") + field.label + field_text(field, values, forms))
    d.para(document)
    d.para(document, form.notes_title, size=9)
    for line in form.notes:
        d.para(document, line, size=9)
    return document
