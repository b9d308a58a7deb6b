"""Annex 4: 消毒产品卫生安全评价报告备案登记表."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from dossier.disinfectant import docbuild as d
from dossier.disinfectant.documents.common import or_none
from dossier.disinfectant.evaluation import Evaluation
from dossier.disinfectant.forms import (
    ANNEX4_APPLICANT,
    ANNEX4_CLASS,
    ANNEX4_GUARANTEE,
    ANNEX4_NOTES,
    ANNEX4_SIGN,
    ANNEX4_TITLE,
)

_WIDTHS = [26, 24, 40, 24, 46]


def annex4(evaluation: Evaluation) -> DocxDocument:
    """The filing registration form (product English name filled for imports)."""
    product = evaluation.product
    m, r = product.manufacturer, product.responsible
    document = d.new_document()
    d.title(document, ANNEX4_TITLE)
    table = d.grid(document, 8, _WIDTHS)
    rows = table.rows

    d.fill(rows[0].cells[0], "产品名称", bold=True)
    d.fill(rows[0].cells[1], "中文", bold=True)
    d.fill(rows[0].cells[2], product.name)
    d.fill(rows[0].cells[3], "英文", bold=True)
    d.fill(rows[0].cells[4], or_none(product.name_en))

    d.fill(rows[1].cells[0], "剂型/型号", bold=True)
    d.fill(rows[1].cells[1].merge(rows[1].cells[2]), product.form_model)
    d.fill(rows[1].cells[3], "产品类别", bold=True)
    d.fill(rows[1].cells[4], ANNEX4_CLASS[evaluation.plan.klass])

    groups = (
        (
            "生产企业",
            2,
            (
                ("中文名称", m.name, "英文名称", or_none(m.name_en)),
                ("地址", m.address, "生产国（地区）", m.country or "中国"),
                ("联系电话", m.phone, "联系人", or_none(m.contact)),
            ),
        ),
        (
            "在华责任单位",
            5,
            (
                ("名称", r.name, "地址", r.address),
                ("联系电话", r.phone, "联系人", or_none(r.contact)),
                ("传真", or_none(r.fax), "邮编", r.postcode),
            ),
        ),
    )
    for heading, first, lines in groups:
        merged = rows[first].cells[0].merge(rows[first + len(lines) - 1].cells[0])
        d.fill(merged, heading, bold=True)
        for offset, (label1, value1, label2, value2) in enumerate(lines):
            cells = rows[first + offset].cells
            d.fill(cells[1], label1, bold=True)
            d.fill(cells[2], value1)
            d.fill(cells[3], label2, bold=True)
            d.fill(cells[4], value2)

    d.para(document)
    d.para(document, ANNEX4_GUARANTEE)
    d.para(document)
    d.para(document, ANNEX4_SIGN)
    d.para(document)
    d.para(document, f"{ANNEX4_APPLICANT[0]}{or_none(r.contact)}　{ANNEX4_APPLICANT[1]}")
    d.para(document)
    for line in ANNEX4_NOTES:
        d.para(document, line, size=9)
    return document
