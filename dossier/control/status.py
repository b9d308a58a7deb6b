"""`dossier status`: which revision of each document is in force, reviews, copies out, retention, where-used,
open spots, citations of superseded or withdrawn external documents.

Device GMP 2025 Art. 43: the revision in force and the state of every revision (43(2)), the
issued copies to exchange or recall (43(1), (3)), the periodic review, and the retention of
revisions no longer in force (43(4)); Art. 44: documents citing outdated external documents.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dossier.control.citations import where_used
from dossier.control.controls import ledger_of, policy_of
from dossier.control.copies import document_issues, due_back, issue_row
from dossier.control.integrity import configuration_drift, drift
from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.lifecycle import document_status
from dossier.markdown.queries import open_spots, outdated_references
from dossier.workspace.model import Document, Workspace

__all__ = ["document_row", "due_rows", "predates_lines", "workspace_status", "where_used"]


def document_row(ws: Workspace, doc: Document, entries: list[LedgerEntry], today: date) -> dict[str, Any]:
    """Status of one document as a JSON-ready dict (see `DocumentStatus.as_dict`, plus copies).

    `copies` lists every issue (revision, holder, dates); `copies_to_recall` the copies out that
    must come back: all of a withdrawn document, else those of a revision older than the last
    one released (to exchange); `awaiting_destruction` the returned copies not yet destroyed.
    """
    status = document_status(entries, doc.id, doc.revision, doc.kind, today, policy_of(ws))
    releases = ledger_queries.releases(entries, doc.id)
    last = releases[-1] if releases else None
    issues = document_issues(doc, entries, ws.config.zone)
    withdrawn = status.withdrawn_on is not None
    row = status.as_dict()
    row.update({
        "id": doc.id,
        "number": doc.number,
        "title": doc.title,
        "kind": doc.kind,
        "kind_label": doc.kind_label,
        "department": doc.department,
        "effective_date": (last.effective_date if last and last.revision == doc.revision else
                           (doc.effective_date.isoformat() if doc.effective_date else None)),
        **_drift_fields(ws, doc, entries, status.in_force),
        "last_released": last.revision if last else None,
        "copies": [issue_row(i) for i in issues],
        "copies_to_recall": [issue_row(i) for i in due_back(issues, last.revision if last else None, withdrawn)],
        "recall_because": "withdrawn" if withdrawn else ("superseded" if last else None),
        "awaiting_destruction": [issue_row(i) for i in issues if i.awaiting_destruction],
        "open": [{"file": spot.path, "line": spot.line, "text": spot.text} for spot in open_spots(doc)],
        "outdated_references": outdated_references(ws, doc),
    })
    return row


def _drift_fields(ws: Workspace, doc: Document, entries: list[LedgerEntry], in_force: str | None) -> dict[str, Any]:
    """How the document differs from its releases (see `control.integrity`).

    `changed_since_release`: the released working revision's own sources changed (a new revision
    is needed; `changes` names what); `predates`: the workspace settings and template that changed
    since the revision in force (else the working revision) was released, which apply at the next
    revision (the released one is delivered from the archive meanwhile).
    """
    release = ledger_queries.release_of(entries, doc.id, doc.revision)
    found = drift(ws, doc, release, entries) if release is not None else None
    basis = ledger_queries.release_of(entries, doc.id, in_force) if in_force else release
    predates = configuration_drift(ws, doc, basis) if basis is not None else []
    if found is not None and found.unknown and basis is release:
        predates.append("template, configuration or an image (not recorded per input)")
    return {"changed_since_release": bool(found and found.own), "changes": found.own if found else [],
            "predates": predates, "predates_revision": basis.revision if basis is not None and predates else None}


def predates_lines(rows: list[dict[str, Any]]) -> list[str]:
    """One note per document whose released revision predates a template or configuration change."""
    return [f"note: {r['id']} revision {r['predates_revision']} predates a change of {', '.join(r['predates'])}: "
            "it applies at the next revision (the released revision is delivered from the archive)"
            for r in rows if r.get("predates")]


def workspace_status(ws: Workspace, today: date) -> list[dict[str, Any]]:
    """Status rows of every document, sorted by id."""
    entries = ledger_of(ws).entries()
    return [document_row(ws, doc, entries, today) for doc in ws.documents.values()]


def due_rows(rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """Revisions whose retention ended by `today`, and the returned copies of those revisions not
    destroyed yet: the candidates for destruction (device GMP Art. 43(1), (4)).

    One dict per candidate: `document`, `revision`, `retention_until`, and `copy` (None for the
    archived revision itself).
    """
    due = []
    for row in rows:
        for revision, until in row["retention"].items():
            if date.fromisoformat(until) > today:
                continue
            due.append({"document": row["id"], "revision": revision, "retention_until": until, "copy": None})
            due.extend({"document": row["id"], "revision": revision, "retention_until": until, "copy": c["copy"]}
                       for c in row["awaiting_destruction"] if c["revision"] == revision)
    return due
