"""Disinfectant filings through the build stages: the annexes are jobs like any document, then bound.

`filing_jobs` renders each product's Annex 1–5 (named `<product>-<annex>`, so they convert in
the same LibreOffice batch as the controlled documents); `bind_filings` then binds each
product's Annex 3 (and Annex 1) with its materials into the sealed filing PDF and normalises
it. Outputs are keyed by their path under the build directory: `disinfectant/<product>/…`.
"""

from __future__ import annotations

from pathlib import Path

from dossier.convert import configured_converters
from dossier.disinfectant.evaluation import evaluate
from dossier.disinfectant.filing import filing_pdf
from dossier.disinfectant.model import Product
from dossier.disinfectant.outputs import ANNEX3, FILING_SUFFIX, FORMULA, AnnexDocument, annexes, evaluation_time, file_stem
from dossier.errors import Problems
from dossier.pdf.normalise import normalise_pdf
from dossier.pipeline.overlap import Job, Produced, Rendering, run_jobs
from dossier.pipeline.record import DISINFECTANT_DIR
from dossier.util.scratch import scratch_dir
from dossier.util.staging import Staging, recover
from dossier.word.document import docx_bytes
from dossier.word.package import CoreProperties


def _job(product: Product, annex: AnnexDocument, evaluation) -> Job:
    title = f"{product.name} {annex.title(product.rules.forms)}"
    when = evaluation_time(product)

    def render(_pages: list[int] | None) -> Rendering:
        props = CoreProperties(title=title, creator=product.responsible.name, when=when)
        return Rendering(docx_bytes(annex.make(evaluation), props), [], Problems())

    return Job(file_stem(product, annex.suffix), title, when, render)


def filing_jobs(products: list[Product]) -> list[Job]:
    """One job per annex document of every product."""
    jobs = []
    for product in products:
        evaluation = evaluate(product)
        jobs.extend(_job(product, annex, evaluation) for annex in annexes(product))
    return jobs


def filing_outputs(products: list[Product], produced: dict[str, Produced], pdf: bool = True) -> dict[str, bytes]:
    """{path under the build directory: bytes} of every product: annex .docx and PDF, the bound filing."""
    outputs: dict[str, bytes] = {}
    for product in products:
        folder = f"{DISINFECTANT_DIR}/{product.slug}"
        for annex in annexes(product):
            item = produced[file_stem(product, annex.suffix)]
            outputs[f"{folder}/{file_stem(product, annex.suffix)}.docx"] = item.docx
            if pdf:
                outputs[f"{folder}/{file_stem(product, annex.suffix)}.pdf"] = item.pdf
        if pdf:
            formula = produced.get(file_stem(product, FORMULA))
            bound = filing_pdf(product, produced[file_stem(product, ANNEX3)].pdf, formula.pdf if formula else None)
            outputs[f"{folder}/{file_stem(product, FILING_SUFFIX)}.pdf"] = normalise_pdf(
                bound, evaluation_time(product), title=f"{product.name} {product.rules.forms.annex3.title}")
    return outputs


def build_filings(products: list[Product], out_dir: Path, converters: list[str] | None = None) -> list[Path]:
    """Build the filings of `products` into `out_dir/<product>/` (for `dossier disinfectant build`); the paths written.

    Nothing is written unless every product built; then every file is moved into place as one step
    (`dossier.util.staging`).
    """
    recover(out_dir)
    with scratch_dir("dossier-filings-") as tmp:
        produced = run_jobs(filing_jobs(products), tmp, configured_converters() if converters is None else converters)
    outputs = filing_outputs(products, produced)
    names = {name.removeprefix(f"{DISINFECTANT_DIR}/"): data for name, data in outputs.items()}
    with Staging(out_dir) as stage:
        for name, data in sorted(names.items()):
            stage.put(name, data)
        stage.commit()
    return [out_dir / name for name in sorted(names)]
