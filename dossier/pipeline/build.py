"""The build pipeline: load -> validate -> render -> convert -> post-process -> record (manifest).

Nothing reaches the build directory unless the whole run succeeded: every output is produced
in a private staging directory first, then each file is renamed into place.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path

from dossier.util.atomic import write_bytes, write_text
from dossier.pipeline.cache import BuildCache, build_key, products_key
from dossier.control.controls import Controls, document_controls, ledger_of
from dossier.control.digest import inputs_digest
from dossier.control.ledger import LedgerEntry
from dossier.workspace.revisions import scheme
from dossier.convert import configured_converters, convert_batch
from dossier.util.progress import Progress
from dossier.disinfectant.build import build_disinfectant_products
from dossier.disinfectant.workspace import load_products, product_files
from dossier.errors import InputErrors, Problems, ToolError, UsageError
from dossier.control.archive import sha256_bytes, sha256_file
from dossier.pipeline.sign import sign_pdfs
from dossier.workspace.load import load_workspace
from dossier.workspace.model import Document, Workspace
from dossier.util.parallel import parallel_map
from dossier.pdf.normalise import normalise_pdf
from dossier.pipeline.render import Rendered, document_timestamp, render_document
from dossier.word.toc import heading_pages
from dossier.validate import validate_workspace

FORMATS = ("docx", "pdf", "all")
DISINFECTANT_DIR = "disinfectant"
MANIFEST = "manifest.json"


@dataclass
class BuildResult:
    """What a build wrote: {document id: {format: path}}, what was up to date, the manifest path."""

    outputs: dict[str, dict[str, Path]] = field(default_factory=dict)
    manifest: Path | None = None
    up_to_date: list[str] = field(default_factory=list)
    products: list[Path] = field(default_factory=list)


def load_checked(root: Path) -> Workspace:
    """Load and validate a workspace, including that no released revision was edited.

    Raises InputErrors listing every problem.
    """
    problems = Problems()
    ws = load_workspace(root, problems)
    validate_workspace(ws, problems)
    check_settings(ws, problems)
    if not problems:
        check_released_unchanged(ws, ledger_of(ws).entries(), problems)
    problems.raise_if_any()
    return ws


def check_settings(ws: Workspace, problems: Problems) -> None:
    """Problems of the signing profiles and of the disinfectant products, reported with the rest."""
    from dossier.signing.profiles import load_profiles

    load_profiles(ws.config.raw, problems, ws.root)
    try:
        load_products(ws.root)
    except InputErrors as exc:
        problems.items.extend(exc.problems)


def check_released_unchanged(ws: Workspace, entries: list[LedgerEntry], problems: Problems) -> None:
    """A released revision never changes: edits after release need a new revision."""
    revisions = scheme(ws.config.revision_scheme)
    for doc in ws.documents.values():
        release = next((e for e in entries if e.action == "release" and e.document == doc.id and e.revision == doc.revision), None)
        if release is not None and release.inputs_sha256 != inputs_digest(ws, doc):
            problems.add(doc.source_display, doc.raw.line_of("revision"), "revision",
                         f"{doc.id} changed since release {doc.revision}; start revision "
                         f"{revisions.next(doc.revision)} (dossier revise {doc.id})")


def select(ws: Workspace, only: tuple[str, ...] | list[str]) -> list[Document]:
    """The documents to build: all, or those named with --only (unknown ids are a usage error)."""
    unknown = [doc_id for doc_id in only if doc_id not in ws.documents]
    if unknown:
        raise UsageError("\n".join(f"error: --only {doc_id}: no such document in {ws.config.content_dir}/" for doc_id in unknown))
    return [ws.documents[d] for d in sorted(set(only))] if only else list(ws.documents.values())


def render_all(ws: Workspace, docs: list[Document], controls: dict[str, Controls],
               toc_pages: dict[str, list[int]] | None = None) -> dict[str, Rendered]:
    """Render step for several documents, on every core; all Markdown problems are reported together."""
    def render_one(doc: Document) -> tuple[Rendered, Problems]:
        found = Problems()
        return render_document(ws, doc, found, controls[doc.id], (toc_pages or {}).get(doc.id)), found

    problems = Problems()
    rendered = {}
    for doc, (result, found) in zip(docs, parallel_map(render_one, docs)):
        rendered[doc.id] = result
        problems.extend(found)
    problems.raise_if_any()
    return rendered


def convert_rendered(ws: Workspace, docs: list[Document], rendered: dict[str, Rendered], controls: dict[str, Controls],
                     staging: Path, converters: list[str], bar: Progress) -> dict[str, bytes]:
    """Convert step, with the second pass that fills table-of-contents page numbers."""
    docx_dir, pdf_dir = staging / "docx", staging / "pdf"
    files = {}
    for doc in docs:
        files[doc.id] = docx_dir / f"{doc.id}.docx"
        write_bytes(files[doc.id], rendered[doc.id].data)
    pdfs = convert_batch(list(files.values()), pdf_dir, converters=converters, on_done=bar.advance)
    with_toc = [doc for doc in docs if rendered[doc.id].headings]
    if with_toc:
        pages = {}
        for doc in with_toc:
            try:
                pages[doc.id] = heading_pages(pdfs[files[doc.id]].read_bytes(), rendered[doc.id].headings)
            except ValueError as exc:
                raise ToolError(f"error: {doc.id}: table of contents: {exc}") from exc
        bar.grow(len(with_toc))
        rendered.update(render_all(ws, with_toc, controls, pages))
        for doc in with_toc:
            write_bytes(files[doc.id], rendered[doc.id].data)
        pdfs.update(convert_batch([files[d.id] for d in with_toc], pdf_dir, converters=converters, on_done=bar.advance))
    return {doc.id: pdfs[files[doc.id]].read_bytes() for doc in docs}


def write_manifest(ws: Workspace, cache: BuildCache) -> Path:
    """build/manifest.json: every output in the build directory with its SHA-256.

    A signed PDF also lists `unsigned_sha256`, the hash a rebuild reproduces.
    """
    build = ws.config.build_path
    entries = []
    for doc in ws.documents.values():
        outputs = []
        for suffix in ("docx", "pdf"):
            path = build / f"{doc.id}.{suffix}"
            if path.is_file():
                item = {"path": path.relative_to(ws.root).as_posix(), "sha256": sha256_file(path)}
                unsigned = cache.unsigned(doc.id, suffix)
                if unsigned and unsigned != item["sha256"]:
                    item["unsigned_sha256"] = unsigned
                outputs.append(item)
        if outputs:
            entries.append({"id": doc.id, "title": doc.title, "revision": doc.revision, "outputs": outputs})
    products = sorted((build / DISINFECTANT_DIR).rglob("*")) if (build / DISINFECTANT_DIR).is_dir() else []
    filings = [{"path": p.relative_to(ws.root).as_posix(), "sha256": sha256_file(p)} for p in products if p.is_file()]
    path = build / MANIFEST
    data = {"documents": entries, "disinfectant": filings}
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return path


def converter_urls(ws: Workspace, converters: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Conversion servers: --converter, else DOSSIER_CONVERTER, else `converter:` in dossier.yaml (empty: local)."""
    return list(converters) or configured_converters() or list(ws.config.converters)


def produce(ws: Workspace, docs: list[Document], controls: dict[str, Controls], fmt: str = "all",
            converters: tuple[str, ...] | list[str] = (), progress: bool = False) -> dict[str, dict[str, bytes]]:
    """Render, convert and normalise: {document id: {"docx"|"pdf": bytes}}; writes nothing."""
    rendered = render_all(ws, docs, controls)
    outputs: dict[str, dict[str, bytes]] = {doc.id: {} for doc in docs}
    if fmt in ("pdf", "all"):
        with tempfile.TemporaryDirectory(prefix="dossier-build-") as tmp, \
                Progress(len(docs), "Converting", enabled=progress) as bar:
            pdfs = convert_rendered(ws, docs, rendered, controls, Path(tmp), converter_urls(ws, converters), bar)
        normalised = parallel_map(
            lambda doc: normalise_pdf(pdfs[doc.id], document_timestamp(controls[doc.id].effective), doc.title), docs)
        for doc, pdf in zip(docs, normalised):
            outputs[doc.id]["pdf"] = pdf
    if fmt in ("docx", "all"):
        for doc in docs:
            outputs[doc.id]["docx"] = rendered[doc.id].data
    return outputs


def write_outputs(ws: Workspace, outputs: dict[str, dict[str, bytes]]) -> BuildResult:
    """Rename every output into the build directory."""
    result = BuildResult()
    build_dir = ws.config.build_path
    for doc_id, files in outputs.items():
        result.outputs[doc_id] = {}
        for suffix, data in sorted(files.items()):
            path = build_dir / f"{doc_id}.{suffix}"
            write_bytes(path, data)
            result.outputs[doc_id][suffix] = path
    return result


def build_products(ws: Workspace, cache: BuildCache, force: bool) -> list[Path]:
    """Disinfectant filings (content/disinfectant/*/product.yaml), rebuilt only when their inputs changed."""
    files = product_files(ws.root)
    if not files:
        return []
    key = products_key(ws)
    out_dir = ws.config.build_path / DISINFECTANT_DIR
    if not force and cache.products_fresh(key, out_dir):
        return []
    written = build_disinfectant_products(ws.root, out_dir)
    cache.record_products(key, out_dir, written)
    return written


def build(root: Path, fmt: str = "all", only: tuple[str, ...] = (), force: bool = False,
          sign: tuple[str, ...] = (), converters: tuple[str, ...] = (), progress: bool = False) -> BuildResult:
    """Build the workspace at `root` (see module docstring); unchanged outputs are reused unless `force`.

    `sign` names signing profiles applied, in order, to every PDF built.
    """
    ws = load_checked(root)
    docs = select(ws, only)
    entries, today = ledger_of(ws).entries(), date.today()
    controls = {doc.id: document_controls(ws, doc, entries, today) for doc in docs}
    suffixes = ["docx", "pdf"] if fmt == "all" else [fmt]
    cache = BuildCache(ws.config.build_path)
    keys = {doc.id: build_key(ws, doc, controls[doc.id], sign) for doc in docs}
    stale = [doc for doc in docs if force or not cache.fresh(doc.id, keys[doc.id], suffixes)]
    outputs = produce(ws, stale, controls, fmt, converters, progress) if stale else {}
    unsigned = {doc_id: files["pdf"] for doc_id, files in outputs.items() if "pdf" in files}
    for doc_id, data in sign_pdfs(ws, sign, unsigned).items():
        outputs[doc_id]["pdf"] = data
    result = write_outputs(ws, outputs)
    for doc_id, files in outputs.items():
        for suffix in {"docx", "pdf"} - set(files):  # an output of the other format would be stale now
            (ws.config.build_path / f"{doc_id}.{suffix}").unlink(missing_ok=True)
        cache.record(doc_id, keys[doc_id], files, {"pdf": sha256_bytes(unsigned[doc_id])} if doc_id in unsigned else {})
    result.products = [] if only else build_products(ws, cache, force)
    cache.save()
    result.manifest = write_manifest(ws, cache)
    rebuilt = {doc.id for doc in stale}
    result.up_to_date = [doc.id for doc in docs if doc.id not in rebuilt]
    for doc_id in result.up_to_date:
        result.outputs[doc_id] = {suffix: ws.config.build_path / f"{doc_id}.{suffix}" for suffix in suffixes}
    return result
