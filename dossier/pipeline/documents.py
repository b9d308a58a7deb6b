"""Controlled documents as pipeline jobs, and `produce`: render, convert, normalise a set of them, writing nothing."""

from __future__ import annotations

from dossier.control.controls import Controls
from dossier.convert import configured_converters
from dossier.errors import Problems
from dossier.pipeline.overlap import Job, Rendering, run_jobs
from dossier.pipeline.render import document_timestamp, render_document
from dossier.util.scratch import scratch_dir
from dossier.workspace.model import Document, Workspace


def document_job(ws: Workspace, doc: Document, controls: Controls) -> Job:
    """The job that renders `doc` with `controls` (its name is the document id)."""
    def render(toc_pages: list[int] | None) -> Rendering:
        problems = Problems()
        rendered = render_document(ws, doc, problems, controls, toc_pages)
        return Rendering(rendered.data, rendered.headings, problems)

    return Job(doc.id, doc.title, document_timestamp(controls.effective), render)


def converter_urls(ws: Workspace, converters: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Conversion servers: --converter, else DOSSIER_CONVERTER, else `converter:` in dossier.yaml (empty: local)."""
    return list(converters) or configured_converters() or list(ws.config.converters)


def converter_timeout(ws: Workspace, timeout: float | None = None) -> float | None:
    """Seconds a conversion may take per document: --timeout, else `converter.timeout` (None: the default, 30 s)."""
    return timeout or ws.config.converter_timeout


def produce(ws: Workspace, docs: list[Document], controls: dict[str, Controls], fmt: str = "all",
            converters: tuple[str, ...] | list[str] = (), progress: bool = False) -> dict[str, dict[str, bytes]]:
    """Render, convert and normalise: {document id: {"docx"|"pdf": bytes}} as `fmt` asks; writes nothing."""
    jobs = [document_job(ws, doc, controls[doc.id]) for doc in docs]
    pdf = fmt in ("pdf", "all")
    with scratch_dir("dossier-build-") as tmp:
        produced = run_jobs(jobs, tmp, converter_urls(ws, converters), pdf=pdf, progress=progress,
                            timeout=converter_timeout(ws))
    outputs: dict[str, dict[str, bytes]] = {}
    for doc in docs:
        item = produced[doc.id]
        outputs[doc.id] = {}
        if pdf:
            outputs[doc.id]["pdf"] = item.pdf
        if fmt in ("docx", "all"):
            outputs[doc.id]["docx"] = item.docx
    return outputs
