"""Annex 5: 消毒产品卫生安全评价报告备案凭证, issued by the provincial authority; the build fills
the form's blanks and fields from the product data and prints nothing that is not on the form."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from dossier.disinfectant import docbuild as d
from dossier.disinfectant.evaluation import Evaluation
from dossier.disinfectant.fields import field_text, field_values
from dossier.disinfectant.formdata import BLANK


def annex5(evaluation: Evaluation) -> DocxDocument:
    """The filing certificate, every field filled from the product data."""
    product = evaluation.product
    forms = product.rules.forms
    form = forms.annex5
    values = field_values(product, evaluation.plan.klass)
    document = d.new_document()
    d.title(document, form.title)
    d.para(document)
    for line in form.lines:
        d.para(document, line.label.replace(BLANK, field_text(line, values, forms), 1))
    for field in form.fields:
        d.para(document, field.label + field_text(field, values, forms))
    d.para(document)
    d.para(document, form.disclaimer)
    d.para(document)
    d.para(document, form.seal).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document
