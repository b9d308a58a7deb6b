"""Annex 1: the product formula in the format 附件1 prescribes, with the separate listings its
notes 2 and 3 ask for (composite components, plant extracts) and the notes themselves."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from dossier.disinfectant import docbuild as d
from dossier.disinfectant.documents.common import NONE, or_none, percent
from dossier.disinfectant.fields import field_text, field_values
from dossier.disinfectant.formdata import Column
from dossier.disinfectant.formula import RawMaterial
from dossier.disinfectant.model import Product


def _material_value(material: RawMaterial, key: str) -> str:
    if key == "name":
        if material.kind == "plant":
            return f"{material.name}（{material.latin_name}）" if material.name else material.latin_name
        if material.kind in ("composite", "extract"):
            return NONE  # 只填写商品名 (附件1 注2、注3)
        return material.name
    if key == "percent":
        return percent(material.percent)
    return or_none(str(getattr(material, key)))


def _table(document: DocxDocument, columns: tuple[Column, ...], rows: list[list[str]]) -> None:
    table = d.grid(document, len(rows) + 1, [c.width_mm for c in columns], header_rows=1)
    for cell, column in zip(table.rows[0].cells, columns):
        d.fill(cell, column.header, bold=True, center=True, size=9)
    for row, values in zip(table.rows[1:], rows):
        for cell, value in zip(row.cells, values):
            d.fill(cell, value, size=9)


def annex1(product: Product, klass: int) -> DocxDocument:
    """The formula document of a formula product."""
    formula = product.formula
    assert formula is not None
    forms = product.rules.forms
    form = forms.annex1
    values = field_values(product, klass)
    document = d.new_document()
    d.title(document, form.title)
    for field in form.lines:
        d.para(document, field.label + field_text(field, values, forms))
    _table(document, form.columns, [[_material_value(m, c.value) for c in form.columns] for m in formula.materials])
    for material in formula.materials:
        if material.kind == "composite":
            d.para(document)
            d.para(document, f"{form.composite_caption}　{material.trade_name}", bold=True)
            rows = []
            for c in material.components:
                name = c.name if not c.latin_name else (f"{c.name}（{c.latin_name}）" if c.name else c.latin_name)
                rows.append([{"name": name, "cas": or_none(c.cas), "percent": percent(c.percent)}[col.value] for col in form.composite])
            _table(document, form.composite, rows)
        elif material.kind == "extract" and material.extract is not None:
            d.para(document)
            d.para(document, f"{form.extract_caption}　{material.trade_name}", bold=True)
            _table(document, form.extract, [[or_none(getattr(material.extract, col.value)) for col in form.extract]])
    d.para(document)
    d.para(document, form.notes_title, size=9)
    for note in form.notes:
        d.para(document, note, size=9)
    d.para(document)
    d.para(document, form.signature.label + field_text(form.signature, values, forms))
    return document
