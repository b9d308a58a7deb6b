"""The bound filing PDF: Annex 3, then the evaluation materials （一）-（七） in order, sealed page by page."""

from __future__ import annotations

from dossier.disinfectant.forms import ANNEX3_TITLE, MATERIALS
from dossier.disinfectant.model import Product
from dossier.pdf.bundle import Section, bundle
from dossier.pdf.stamp import Placement, stamp_cross_page_seal, stamp_seal


def filing_pdf(product: Product, annex3_pdf: bytes, formula_pdf: bytes | None) -> bytes:
    """Bind the filing: A4, continuous page numbers, a bookmark per section, the seal on every page
    and, when asked for, the cross-page seal. The result is not yet normalised (dates, /ID)."""
    sections = [Section(ANNEX3_TITLE, (annex3_pdf,))]
    for material in MATERIALS:
        if not product.applies(material.scope):
            continue
        parts: list = list(product.materials.get(material.key, ()))
        if material.key == "formula" and formula_pdf is not None:
            parts.insert(0, formula_pdf)
        sections.append(Section(material.heading, tuple(parts)))
    data = bundle(sections)
    seal = product.seal
    data = stamp_seal(data, seal.image, Placement(seal.x_mm, seal.y_mm, seal.width_mm))
    if seal.cross_page:
        data = stamp_cross_page_seal(data, seal.image, seal.cross_width_mm, seal.cross_y_mm)
    return data
