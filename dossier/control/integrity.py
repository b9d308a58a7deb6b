"""A released revision never changes: its sources must still give the inputs digest its release recorded."""

from __future__ import annotations

from dossier.control.digest import inputs_digest
from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.errors import Problems
from dossier.workspace.model import Workspace
from dossier.workspace.revisions import scheme


def check_released_unchanged(ws: Workspace, entries: list[LedgerEntry], problems: Problems) -> None:
    """Record a problem for every document whose released working revision was edited since its release
    (device GMP 2025 Art. 43: changes go through a new revision that is reviewed and approved)."""
    revisions = scheme(ws.config.revision_scheme)
    for doc in ws.documents.values():
        release = ledger_queries.release_of(entries, doc.id, doc.revision)
        if release is not None and release.inputs_sha256 != inputs_digest(ws, doc):
            problems.add(doc.source_display, doc.raw.line_of("revision"), "revision",
                         f"{doc.id} changed since release {doc.revision}; start revision "
                         f"{revisions.next(doc.revision)} (dossier revise {doc.id})")
