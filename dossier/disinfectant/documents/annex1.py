"""Annex 1: the product formula in the format 附件1 prescribes, with composite and extract details."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from dossier.disinfectant import docbuild as d
from dossier.disinfectant.documents.common import NONE, cn_date, or_none, percent
from dossier.disinfectant.forms import ANNEX1_HEADERS, ANNEX1_TITLE
from dossier.disinfectant.formula import Formula, RawMaterial
from dossier.disinfectant.model import Product

_WIDTHS = [30, 22, 28, 16, 16, 22, 26]


def _name(material: RawMaterial) -> str:
    if material.kind == "plant":
        return f"{material.name}（{material.latin_name}）"
    if material.kind in ("composite", "extract"):
        return NONE  # 只填写商品名 (附件1 注2、注3)
    return material.name


def _main_table(document: DocxDocument, formula: Formula) -> None:
    table = d.grid(document, len(formula.materials) + 2, _WIDTHS, header_rows=1)
    for cell, header in zip(table.rows[0].cells, ANNEX1_HEADERS):
        d.fill(cell, header, bold=True, center=True, size=9)
    for row, m in zip(table.rows[1:], formula.materials):
        values = (
            _name(m),
            or_none(m.cas),
            or_none(m.trade_name),
            or_none(m.purity),
            or_none(m.grade),
            m.amount,
            percent(m.percent),
        )
        for cell, value in zip(row.cells, values):
            d.fill(cell, value, size=9)
    total = table.rows[-1].cells
    d.fill(total[0], "合计", bold=True, size=9)
    d.fill(total[6], percent(formula.total), bold=True, size=9)


def _composite(document: DocxDocument, material: RawMaterial) -> None:
    d.para(document, f"复合原材料组分构成：{material.trade_name}", bold=True)
    table = d.grid(document, len(material.components) + 1, [70, 40, 50], header_rows=1)
    headers = ("原材料化学名称（或植物拉丁文名称）", "CAS号", "原材料投加百分比（%）")
    for cell, header in zip(table.rows[0].cells, headers):
        d.fill(cell, header, bold=True, center=True, size=9)
    for row, c in zip(table.rows[1:], material.components):
        name = c.name if not c.latin_name else (f"{c.name}（{c.latin_name}）" if c.name else c.latin_name)
        for cell, value in zip(row.cells, (name, or_none(c.cas), percent(c.percent))):
            d.fill(cell, value, size=9)


def _extract(document: DocxDocument, material: RawMaterial) -> None:
    extract = material.extract
    assert extract is not None
    d.para(document, f"植物提取物：{material.trade_name}", bold=True)
    table = d.grid(document, 2, [45, 35, 50, 30], header_rows=1)
    headers = ("植物拉丁文名称", "用量", "提取工艺", "提取液的质量规格")
    values = (extract.plant_latin_name, extract.plant_amount, extract.process, extract.spec)
    for cell, header in zip(table.rows[0].cells, headers):
        d.fill(cell, header, bold=True, center=True, size=9)
    for cell, value in zip(table.rows[1].cells, values):
        d.fill(cell, value, size=9)


def annex1(product: Product) -> DocxDocument:
    """The formula document of a formula product."""
    formula = product.formula
    assert formula is not None
    document = d.new_document()
    d.title(document, ANNEX1_TITLE)
    d.para(document, f"产品名称：{product.name}")
    d.para(document, f"剂型/型号：{product.form_model}")
    _main_table(document, formula)
    for material in formula.materials:
        if material.kind == "composite":
            d.para(document)
            _composite(document, material)
        elif material.kind == "extract":
            d.para(document)
            _extract(document, material)
    d.para(document)
    d.para(document, f"原材料投加百分比合计允许偏差：±{percent(formula.tolerance)}%")
    d.para(document, f"产品责任单位（盖章）：{product.responsible.name}")
    d.para(document, f"日期：{cn_date(product.evaluation_date)}")
    return document
