"""`dossier build`: the publish sequence.

    load → validate → plan (controls, cache keys: what is stale) → render → convert → normalise
    (overlapped: dossier.pipeline.overlap) → bind the disinfectant filings → sign → record
    (outputs, cache, manifest)

Released revisions in force (or approved, pending) are not rendered: their archived outputs are
delivered, checked against the ledger (`control.delivery`), so a new template or company setting
changes drafts only and applies to a released document at its next revision. Signing profiles
are checked against the people each document names before anything is rendered.

Controlled documents and disinfectant filings go through the same stages: one render pool, one
LibreOffice batch, the same signing, cache and manifest. Nothing reaches the build directory
unless the whole run succeeded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from dossier.control.archive import sha256_bytes
from dossier.control.controls import Controls, document_controls, ledger_of
from dossier.control.delivery import DELIVERED_STATES, archived_outputs
from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.signoffs import named_people
from dossier.disinfectant.model import Product
from dossier.disinfectant.workspace import load_products
from dossier.errors import Warnings
from dossier.pipeline.cache import CACHE_FILE, BuildCache, build_key, products_key
from dossier.pipeline.load import load_checked, select, workspace_warnings
from dossier.pipeline.record import DISINFECTANT_DIR, FORMATS, MANIFEST, BuildResult, clean_leftovers, stage_manifest
from dossier.pipeline.sign import check_signers, load_signers, sign_with
from dossier.util.scratch import scratch_dir
from dossier.util.staging import Staging
from dossier.validate.memo import MEMO_FILE, memo_for
from dossier.workspace.model import Document, Workspace

__all__ = ["FORMATS", "BuildResult", "build"]


@dataclass
class Plan:
    """What a build makes: stale documents with their controls and cache keys, products if stale."""

    documents: list[Document]
    stale: list[Document]
    controls: dict[str, Controls]
    keys: dict[str, str]
    suffixes: list[str]
    products: list[Product]
    products_key: str | None
    archived: dict[str, LedgerEntry]  # documents delivered from the release archive: their release entries
    entries: list[LedgerEntry]
    drop_products: bool = False  # the workspace has no products any more: remove the filings last built


def plan(ws: Workspace, docs: list[Document], fmt: str, force: bool, sign: tuple[str, ...], with_products: bool) -> Plan:
    """Controls and cache keys of the selected documents; which are stale; whether the filings are."""
    entries, today = ledger_of(ws).entries(), ws.config.today()
    controls = {doc.id: document_controls(ws, doc, entries, today) for doc in docs}
    archived = {}
    for doc in docs:
        release = ledger_queries.release_of(entries, doc.id, doc.revision)
        if release is not None and controls[doc.id].state in DELIVERED_STATES:
            archived[doc.id] = release
    suffixes = ["docx", "pdf"] if fmt == "all" else [fmt]
    cache = BuildCache(ws.config.build_path)
    keys = {doc.id: archive_key(archived[doc.id], sign) if doc.id in archived else build_key(ws, doc, controls[doc.id], sign)
            for doc in docs}
    stale = [doc for doc in docs if force or not cache.fresh(doc.id, keys[doc.id], suffixes)]
    products: list[Product] = load_products(ws.root) if with_products else []
    key = products_key(ws, sign) if products else None
    if products and not force and cache.products_fresh(key):
        products = []
    drop = with_products and key is None and bool(cache.product_outputs())
    return Plan(docs, stale, controls, keys, suffixes, products, key, archived, entries, drop)


def archive_key(release: LedgerEntry, sign: tuple[str, ...]) -> str:
    """The cache key of a document delivered from the archive: its recorded outputs and the signing profiles."""
    material = {"archive": release.outputs, "entry": release.hash, "sign": list(sign)}
    return sha256_bytes(json.dumps(material, sort_keys=True).encode())


def _sign(signers: list, outputs: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every PDF among `outputs` signed by the signers in turn; the SHA-256 each had before."""
    pdfs = {name: data for name, data in outputs.items() if name.endswith(".pdf")}
    if not signers or not pdfs:
        return outputs, {}
    signed = sign_with(signers, pdfs)
    return {**outputs, **signed}, {name: sha256_bytes(data) for name, data in pdfs.items()}


def _produce(ws: Workspace, work: Plan, rendered: list[Document], pdf: bool, converters: tuple[str, ...],
             timeout: float | None, progress: bool) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Render, convert and normalise `rendered` and the stale filings: ({file name: bytes} of documents, of filings).

    The rendering, conversion and PDF libraries load here, only when something is to be made
    (a no-op build starts in a fraction of the time).
    """
    from dossier.pipeline.documents import converter_timeout, converter_urls, document_job
    from dossier.pipeline.filings import filing_jobs, filing_outputs
    from dossier.pipeline.overlap import run_jobs

    urls, seconds = converter_urls(ws, converters), converter_timeout(ws, timeout)
    documents_jobs = [document_job(ws, doc, work.controls[doc.id]) for doc in rendered]
    with scratch_dir("dossier-build-") as tmp:
        if pdf:  # one batch: the filings convert with the documents
            produced = run_jobs(documents_jobs + filing_jobs(work.products), tmp, urls, progress=progress, timeout=seconds)
        else:  # filings are always made as .docx and PDF
            produced = run_jobs(documents_jobs, tmp / "docs", urls, pdf=False)
            produced.update(run_jobs(filing_jobs(work.products), tmp / "filings", urls, progress=progress, timeout=seconds))
    documents = {f"{doc.id}.{suffix}": getattr(produced[doc.id], suffix) for doc in rendered for suffix in work.suffixes}
    return documents, filing_outputs(work.products, produced)


def build(root: Path, fmt: str = "all", only: tuple[str, ...] = (), force: bool = False,
          sign: tuple[str, ...] = (), converters: tuple[str, ...] = (), progress: bool = False,
          warnings: Warnings | None = None, timeout: float | None = None) -> BuildResult:
    """Build the workspace at `root` (see module docstring); unchanged outputs are reused unless `force`.

    `sign` names signing profiles applied, in order, to every PDF built; refused (exit 2) before
    rendering when a profile's key is not the person a document names for its role, or a 批准
    profile would sign an unreleased revision. The disinfectant filings are built with the whole
    workspace (not with `--only`), always as .docx and PDF. Warnings go to `warnings` (see
    `dossier.errors.Warnings`): the loader's and the workspace's (`pipeline.load.workspace_warnings`),
    the same `check` shows. `timeout` is the converter's time per document in
    seconds (default: `converter.timeout` of dossier.yaml, else 30).
    """
    ws = load_checked(root, warnings=warnings)
    if warnings is not None:
        workspace_warnings(ws, warnings)  # what check shows: citations of drafts, reports on unreleased protocols
    for note in clean_leftovers(ws):  # what killed runs left: finish their update of build/, remove their temporary files
        if warnings is not None:
            warnings.add(ws.config.build_path.name, None, "", note)
    work = plan(ws, select(ws, only), fmt, force, sign, with_products=not only)
    pdf = fmt in ("pdf", "all")
    signers = load_signers(ws, sign) if pdf else []  # a wrong key stops the build before anything renders
    check_signers(ws, signers, {f"{doc.id}.pdf": named_people(doc, work.entries) for doc in work.stale})
    rendered = [doc for doc in work.stale if doc.id not in work.archived]
    documents, filings = _produce(ws, work, rendered, pdf, converters, timeout, progress) if rendered or work.products else ({}, {})
    for doc in work.stale:
        if doc.id in work.archived:
            for suffix, data in archived_outputs(ws, work.archived[doc.id], work.suffixes).items():
                documents[f"{doc.id}.{suffix}"] = data
    documents, unsigned = _sign(signers, documents)
    filings, filings_unsigned = _sign(signers, filings)
    return _record(ws, work, documents, unsigned, filings, filings_unsigned)


def _record(ws: Workspace, work: Plan, documents: dict[str, bytes], unsigned: dict[str, str],
            filings: dict[str, bytes], filings_unsigned: dict[str, str]) -> BuildResult:
    """Stage the outputs, the cache and the manifest, then move them into build/ as one step; what was written."""
    build_dir = ws.config.build_path
    cache = BuildCache(build_dir)
    result = BuildResult()
    with Staging(build_dir) as stage:
        for name, data in sorted(documents.items()):
            stage.put(name, data)
        for doc in work.stale:
            files = {suffix: documents[f"{doc.id}.{suffix}"] for suffix in work.suffixes}
            for suffix in {"docx", "pdf"} - set(files):  # an output of the other format would be stale now
                stage.remove(f"{doc.id}.{suffix}")
            before = {"pdf": unsigned[f"{doc.id}.pdf"]} if f"{doc.id}.pdf" in unsigned else {}
            cache.record(doc.id, work.keys[doc.id], files, before)
            result.outputs[doc.id] = {suffix: build_dir / f"{doc.id}.{suffix}" for suffix in files}
        if filings or work.drop_products:
            for name in sorted(cache.product_outputs() - set(filings)):  # files of an earlier set of products
                stage.remove(name)
            for name, data in sorted(filings.items()):
                stage.put(name, data)
            result.products = [build_dir / name for name in sorted(filings)]
            if filings:
                cache.record_products(work.products_key, filings, filings_unsigned)
            else:
                cache.forget_products()
        result.manifest = stage_manifest(ws, cache, stage)
        findings = memo_for(ws).dumps()
        if findings is not None:  # what the layout checks found in each body, for the next run (validate.memo)
            stage.put(MEMO_FILE.as_posix(), findings)
        stage.commit(last=(CACHE_FILE.as_posix(), MANIFEST))
    rebuilt = {doc.id for doc in work.stale}
    result.up_to_date = [doc.id for doc in work.documents if doc.id not in rebuilt]
    for doc_id in result.up_to_date:
        result.outputs[doc_id] = {suffix: build_dir / f"{doc_id}.{suffix}" for suffix in work.suffixes}
    return result


def disinfectant_dir(ws: Workspace) -> Path:
    """Where the filings are written: build/disinfectant."""
    return ws.config.build_path / DISINFECTANT_DIR
