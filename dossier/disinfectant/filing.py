"""The bound filing PDF: Annex 3, then the evaluation materials （一）-（七） in order, sealed page by page.

A renewal's sampling-inspection evidence (第十四条) follows the test reports in （二）.
"""

from __future__ import annotations

from dossier.disinfectant.model import Product
from dossier.pdf.bundle import Section, bundle
from dossier.pdf.stamp import Placement, stamp_cross_page_seal, stamp_seal


def filing_pdf(product: Product, annex3_pdf: bytes, formula_pdf: bytes | None) -> bytes:
    """Bind the filing: A4, continuous page numbers, a bookmark per section, the seal on every page
    and, when asked for, the cross-page seal. The result is not yet normalised (dates, /ID)."""
    form = product.rules.forms.annex3
    sections = [Section(form.title, (annex3_pdf,))]
    for material in form.materials:
        if not product.applies(material.scope):
            continue
        parts: list = list(product.materials.get(material.key, ()))
        if material.generated and formula_pdf is not None:
            parts.insert(0, formula_pdf)
        if material.key == "test_reports" and product.renewal is not None:  # 第十四条 exemption evidence
            parts.extend(path for e in product.renewal.exemptions for path in e.evidence)
        sections.append(Section(material.heading, tuple(parts)))
    data = bundle(sections)
    seal = product.seal
    data = stamp_seal(data, seal.image, Placement(seal.x_mm, seal.y_mm, seal.width_mm))
    if seal.cross_page:
        data = stamp_cross_page_seal(data, seal.image, seal.cross_width_mm, seal.cross_y_mm)
    return data
