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
from dossier.disinfectant.forms import ANNEX1_TITLE, ANNEX2_TITLE, ANNEX3_TITLE, ANNEX4_TITLE, ANNEX5_TITLE
from dossier.disinfectant.model import Product

FILING_SUFFIX = "filing"
ANNEX3 = "annex3-evaluation-report"
FORMULA = "annex1-formula"


@dataclass(frozen=True)
class AnnexDocument:
    """One annex of a product's filing: file name suffix, title, and how to make it from the evaluation."""

    suffix: str
    title: str
    make: Callable[[Evaluation], DocxDocument]
    formula_only: bool = False


DOCUMENTS = (
    AnnexDocument(FORMULA, ANNEX1_TITLE, lambda e: annex1(e.product), formula_only=True),
    AnnexDocument("annex2-test-items", ANNEX2_TITLE, annex2),
    AnnexDocument(ANNEX3, ANNEX3_TITLE, annex3),
    AnnexDocument("annex4-filing-form", ANNEX4_TITLE, annex4),
    AnnexDocument("annex5-certificate-draft", ANNEX5_TITLE, annex5),
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
