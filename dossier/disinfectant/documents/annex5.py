"""Annex 5: 消毒产品卫生安全评价报告备案凭证, pre-filled as a draft for the provincial authority."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from dossier.disinfectant import docbuild as d
from dossier.disinfectant.documents.common import NONE, or_none
from dossier.disinfectant.evaluation import Evaluation
from dossier.disinfectant.forms import (
    ANNEX5_DISCLAIMER,
    ANNEX5_FIELDS,
    ANNEX5_RECEIVED,
    ANNEX5_SEAL,
    ANNEX5_TITLE,
    CLASS_CHOICES,
)

DRAFT_NOTE = "（预填草稿：由产品责任单位按备案资料预先填写，备案凭证由省级卫生计生行政部门出具）"


def annex5(evaluation: Evaluation) -> DocxDocument:
    """The filing certificate, every field filled from the product data, marked as a draft."""
    product = evaluation.product
    m, r = product.manufacturer, product.responsible
    imported = product.import_info
    document = d.new_document()
    d.title(document, ANNEX5_TITLE)
    d.para(document, DRAFT_NOTE, size=9, center=True)
    d.para(document)
    d.para(document, f"{r.name}：")
    d.para(document, f"{ANNEX5_RECEIVED[0]}{product.name}{ANNEX5_RECEIVED[1]}")
    values = (
        product.form_model,
        None,  # 产品类别: checkboxes
        product.enterprise_standard,
        m.name,
        m.address,
        m.country or "中国",
        r.name,
        f"{r.address}　{r.phone}",
        r.legal_representative,
        NONE if product.imported else or_none(m.hygiene_licence),
        imported.business_licence if imported else NONE,
        imported.customs_declaration if imported else NONE,
    )
    for label, value in zip(ANNEX5_FIELDS, values):
        paragraph = d.para(document, label)
        if value is None:
            d.choice(paragraph, CLASS_CHOICES, CLASS_CHOICES[evaluation.plan.klass - 1])
        else:
            d.add_run(paragraph, value)
    d.para(document)
    d.para(document, ANNEX5_DISCLAIMER)
    d.para(document)
    d.para(document, ANNEX5_SEAL).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document
