"""Helpers of the document-control tests that need no LibreOffice: a released revision made by hand.

`fake_release` archives a document's sources and a stand-in PDF and appends the ledger entry a
real release would (same inputs digest and per-input hashes), so `check`, `revise`, `obsolete`
and `verify` see a released revision without rendering anything.
"""

from __future__ import annotations

import io
from pathlib import Path

from dossier.control.archive import archive_outputs
from dossier.control.controls import citation_texts, ledger_of
from dossier.control.digest import input_hashes, inputs_digest
from dossier.errors import Problems
from dossier.workspace.load import load_workspace

PEOPLE = ("编制人", "审核人", "王建国", "陆志远", "陈静")


def blank_pdf() -> bytes:
    """A one-page, unsigned PDF (stands in for a rendered document)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def fake_release(root: Path, doc_id: str, *, effective: str, approved_by: str = "王建国",
                 timestamp: str = "2026-11-20T02:00:00Z", **extra) -> object:
    """Archive `doc_id`'s working revision (YAML + a stand-in PDF) and record its release."""
    ws = load_workspace(root, Problems())
    doc = ws.documents[doc_id]
    ledger = ledger_of(ws)
    entries = ledger.entries()
    files = {f"{doc_id}.yaml": doc.source.read_bytes(), f"{doc_id}.pdf": blank_pdf()}
    outputs = archive_outputs(ws.root, doc_id, doc.revision, files, ws.config.releases_dir)
    fields = dict(action="release", document=doc_id, revision=doc.revision, timestamp=timestamp,
                  effective_date=effective, inputs_sha256=inputs_digest(ws, doc),
                  inputs=input_hashes(ws, doc, citation_texts(ws, doc, entries)), outputs=outputs,
                  prepared_by=doc.prepared_by.name, reviewed_by=doc.reviewed_by.name, approved_by=approved_by,
                  reason="首次发布", change_summary=doc.change or None)
    fields.update(extra)
    return ledger.append(**fields)


def append_config(root: Path, text: str) -> None:
    """Add settings to the workspace's dossier.yaml."""
    path = root / "dossier.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
