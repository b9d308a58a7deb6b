"""What a product's filing consists of: the Annex 1–5 documents and the bound, sealed filing PDF.

This module says what to make; the build pipeline (`dossier.pipeline.filings`) renders the
annexes with the other documents, converts them in the same LibreOffice batch, normalises them,
binds the filing and signs, caches and writes everything with the rest of the build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from docx.document import Document as DocxDocument

from dossier.disinfectant.documents.annex1 import annex1
from dossier.disinfectant.documents.annex2 import annex2
from dossier.disinfectant.documents.annex3 import annex3
from dossier.disinfectant.documents.annex4 import annex4
from dossier.disinfectant.documents.annex5 import annex5
from dossier.disinfectant.evaluation import Evaluation
from dossier.disinfectant.formdata import Forms
from dossier.disinfectant.model import Product

FILING_SUFFIX = "filing"
ANNEX3 = "annex3-evaluation-report"
FORMULA = "annex1-formula"


@dataclass(frozen=True)
class AnnexDocument:
    """One annex of a product's filing: file name suffix, title, and how to make it from the evaluation."""

    suffix: str
    title: Callable[[Forms], str]
    make: Callable[[Evaluation], DocxDocument]
    formula_only: bool = False


DOCUMENTS = (
    AnnexDocument(FORMULA, lambda f: f.annex1.title, lambda e: annex1(e.product, e.plan.klass), formula_only=True),
    AnnexDocument("annex2-test-items", lambda f: f.annex2_title, annex2),
    AnnexDocument(ANNEX3, lambda f: f.annex3.title, annex3),
    AnnexDocument("annex4-filing-form", lambda f: f.annex4.title, annex4),
    AnnexDocument("annex5-certificate-draft", lambda f: f.annex5.title, annex5),
)


def annexes(product: Product) -> list[AnnexDocument]:
    """The annex documents of `product` (Annex 1 only for products with a formula)."""
    return [doc for doc in DOCUMENTS if not doc.formula_only or product.formula is not None]


def file_stem(product: Product, suffix: str) -> str:
    """`<product folder>-<suffix>`: the file name (without extension) of one of its outputs."""
    return f"{product.slug}-{suffix}"


def evaluation_time(product: Product) -> datetime:
    """The fixed timestamp of every output of the product: its evaluation date."""
    day = product.evaluation_date
    return datetime(day.year, day.month, day.day)
