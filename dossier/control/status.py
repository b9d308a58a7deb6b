"""`dossier status`: which revision of each document is in force, review dates, where-used, open spots,
citations of superseded or withdrawn external documents (Art. 44)."""

from __future__ import annotations

from datetime import date
from typing import Any

from dossier.control.controls import ledger_of, policy_of
from dossier.control.digest import inputs_digest
from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.lifecycle import document_status, recorded_date
from dossier.markdown.queries import cited_ids, open_spots, outdated_references
from dossier.workspace.model import Document, Workspace


def where_used(ws: Workspace, doc_id: str) -> list[str]:
    """Ids of the documents that cite `doc_id`, sorted."""
    return sorted(d.id for d in ws.documents.values() if doc_id in cited_ids(d) and d.id != doc_id)


def copies_to_recall(doc: Document, releases: list[LedgerEntry], withdrawn: bool, in_force: str | None) -> list[dict[str, Any]]:
    """Issued copies still out that must come back (Art. 43: records of replacement and withdrawal).

    Of a withdrawn document: every copy without a `withdrawn` date. Otherwise, once a later
    revision is in force: the copies issued before that revision was approved (its release day),
    which can only be copies of an earlier revision. Copies of a new revision handed out ahead of
    its effective date, for training, are not flagged.
    """
    out = [entry for entry in doc.distribution if entry["withdrawn"] is None]
    if not withdrawn:
        approvals = [recorded_date(e) for e in releases if e.revision == in_force]
        if not approvals or releases[0].revision == in_force:
            return []
        out = [entry for entry in out if entry["issued"] and entry["issued"] < approvals[-1]]
    return [{"copy": e["copy"], "holder": e["holder"], "department": e["department"],
             "issued": e["issued"].isoformat() if e["issued"] else None} for e in out]


def document_row(ws: Workspace, doc: Document, entries: list[LedgerEntry], today: date) -> dict[str, Any]:
    """Status of one document as a JSON-ready dict."""
    status = document_status(entries, doc.id, doc.revision, doc.kind, today, policy_of(ws))
    releases = ledger_queries.releases(entries, doc.id)
    last = releases[-1] if releases else None
    row = status.as_dict()
    row.update({
        "id": doc.id,
        "number": doc.number,
        "title": doc.title,
        "kind": doc.kind,
        "department": doc.department,
        "effective_date": (last.effective_date if last and last.revision == doc.revision else
                           (doc.effective_date.isoformat() if doc.effective_date else None)),
        "changed_since_release": bool(last and last.inputs_sha256 != inputs_digest(ws, doc)),
        "last_released": last.revision if last else None,
        "copies_to_recall": copies_to_recall(doc, releases, status.withdrawn_on is not None, status.in_force),
        "open": [{"file": spot.path, "line": spot.line, "text": spot.text} for spot in open_spots(doc)],
        "outdated_references": outdated_references(ws, doc),
    })
    return row


def workspace_status(ws: Workspace, today: date) -> list[dict[str, Any]]:
    """Status rows of every document, sorted by id."""
    entries = ledger_of(ws).entries()
    return [document_row(ws, doc, entries, today) for doc in ws.documents.values()]


def status_lines(rows: list[dict[str, Any]]) -> list[str]:
    """A readable table of status rows."""
    header = f"{'document':<10} {'rev':<5} {'state':<10} {'in force':<8} {'effective':<10} {'next review':<11} flags  title"
    lines = [header]
    for r in rows:
        flags = []
        if r["review_overdue"]:
            flags.append("REVIEW-OVERDUE")
        if r["changed_since_release"]:
            flags.append("CHANGED")
        if r["copies_to_recall"]:
            flags.append(f"RECALL-{len(r['copies_to_recall'])}")
        if r["outdated_references"]:
            flags.append("OUTDATED-REF")
        if r["open"]:
            flags.append(f"OPEN-{len(r['open'])}")
        if r["retention_until"]:
            flags.append(f"retain-until {r['retention_until']}")
        lines.append(
            f"{r['id']:<10} {r['revision']:<5} {r['state']:<10} {r['in_force'] or '-':<8} {r['effective_date'] or '-':<10} "
            f"{r['next_review'] or '-':<11} {' '.join(flags) or '-':<6} {r['title']}"
        )
    return lines


def open_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The spots each document leaves to fill in or confirm, one line each under a line per document."""
    lines = []
    for r in rows:
        if r["open"]:
            lines.append(f"{r['id']}: {len(r['open'])} open ({r['title']})")
            lines.extend(f"  {spot['file']}:{spot['line']}: {spot['text']}" for spot in r["open"])
    total = sum(len(r["open"]) for r in rows)
    lines.append(f"{total} open spot{'s' if total != 1 else ''} in {sum(1 for r in rows if r['open'])} documents")
    return lines
