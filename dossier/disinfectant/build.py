"""Build products' filings: Annex 1-5 as .docx and PDF, and the bound, sealed filing PDF.

All documents of all products go through LibreOffice in one batch. Outputs are
byte-reproducible: fixed docx zip dates, PDFs dated with the evaluation date and /ID hashed.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from docx.document import Document as DocxDocument

from dossier.util.atomic import write_bytes
from dossier.convert import convert_batch
from dossier.disinfectant.documents.annex1 import annex1
from dossier.disinfectant.documents.annex2 import annex2
from dossier.disinfectant.documents.annex3 import annex3
from dossier.disinfectant.documents.annex4 import annex4
from dossier.disinfectant.documents.annex5 import annex5
from dossier.disinfectant.evaluation import Evaluation, evaluate
from dossier.disinfectant.filing import filing_pdf
from dossier.disinfectant.forms import ANNEX1_TITLE, ANNEX2_TITLE, ANNEX3_TITLE, ANNEX4_TITLE, ANNEX5_TITLE
from dossier.disinfectant.model import Product
from dossier.disinfectant.workspace import load_products, product_files
from dossier.word.document import save_deterministic
from dossier.word.package import CoreProperties
from dossier.pdf.normalise import normalise_pdf


@dataclass(frozen=True)
class _Doc:
    suffix: str
    title: str
    make: Callable[[Evaluation], DocxDocument]
    formula_only: bool = False


DOCUMENTS = (
    _Doc("annex1-formula", ANNEX1_TITLE, lambda e: annex1(e.product), formula_only=True),
    _Doc("annex2-test-items", ANNEX2_TITLE, annex2),
    _Doc("annex3-evaluation-report", ANNEX3_TITLE, annex3),
    _Doc("annex4-filing-form", ANNEX4_TITLE, annex4),
    _Doc("annex5-certificate-draft", ANNEX5_TITLE, annex5),
)
FILING_SUFFIX = "filing"


def _when(product: Product) -> datetime:
    return datetime(product.evaluation_date.year, product.evaluation_date.month, product.evaluation_date.day)


def build_products(products: list[Product], out_dir: Path) -> list[Path]:
    """Write every product's documents under `out_dir/<product dir name>/`; returns the files written."""
    written: list[Path] = []
    docx_jobs: list[tuple[Product, _Doc, Path]] = []
    evaluations = {p.source: evaluate(p) for p in products}
    for product in products:
        target = out_dir / product.slug
        for doc in DOCUMENTS:
            if doc.formula_only and product.formula is None:
                continue
            path = target / f"{product.slug}-{doc.suffix}.docx"
            props = CoreProperties(title=f"{product.name} {doc.title}", creator=product.responsible.name, when=_when(product))
            save_deterministic(doc.make(evaluations[product.source]), path, props)
            written.append(path)
            docx_jobs.append((product, doc, path))
    with tempfile.TemporaryDirectory(prefix="dossier-disinfectant-") as tmp:
        converted = convert_batch([path for _, _, path in docx_jobs], Path(tmp))
        pdfs: dict[tuple[Path, str], bytes] = {}
        for product, doc, path in docx_jobs:
            data = normalise_pdf(converted[path].read_bytes(), _when(product), title=f"{product.name} {doc.title}")
            pdf_path = path.with_suffix(".pdf")
            write_bytes(pdf_path, data)
            written.append(pdf_path)
            pdfs[(product.source, doc.suffix)] = data
    for product in products:
        bound = filing_pdf(
            product,
            pdfs[(product.source, "annex3-evaluation-report")],
            pdfs.get((product.source, "annex1-formula")),
        )
        path = out_dir / product.slug / f"{product.slug}-{FILING_SUFFIX}.pdf"
        write_bytes(path, normalise_pdf(bound, _when(product), title=f"{product.name} {ANNEX3_TITLE}"))
        written.append(path)
    return written


def build_disinfectant_products(workspace_root: Path, out_dir: Path) -> list[Path]:
    """Build every product under `workspace_root/content/disinfectant/` into `out_dir`.

    Input problems of all products are reported together (InputErrors) before anything is built.
    """
    if not product_files(workspace_root):
        return []
    return build_products(load_products(workspace_root), out_dir)
