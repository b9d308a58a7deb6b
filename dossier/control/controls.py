"""What document control puts on a rendered document: mark, watermark, sign-offs, history.

Computed from the release ledger (dossier/ledger.py) and the document's YAML, so the revision
history is never typed twice and a released revision always renders the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dossier.control.archive import release_dir
from dossier.control.ledger import Ledger, LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.lifecycle import (
    DraftChange,
    HistoryRow,
    Policy,
    State,
    approval_date,
    document_status,
    entry_date,
    history_rows,
)
from dossier.errors import Problems
from dossier.markdown.queries import cited_ids
from dossier.workspace.model import Document, Signoff, Workspace
from dossier.workspace.yamlsrc import load_yaml

MARKS = {
    State.DRAFT: ("草稿", "草稿"),
    State.APPROVED: ("受控（待生效）", ""),
    State.EFFECTIVE: ("受控", ""),
    State.SUPERSEDED: ("作废", "作废"),
    State.OBSOLETE: ("作废", "作废"),
}


@dataclass(frozen=True)
class PendingRelease:
    """A release being made now (not yet in the ledger)."""

    approved_by: str
    approved_on: date
    effective: date
    reason: str
    change: str  # what the revision changes, as the history row and ledger will read


@dataclass(frozen=True)
class Controls:
    """Control data of one rendering of a document (citations: cited id -> how it reads)."""

    state: State
    mark: str
    watermark: str
    prepared: Signoff | None
    reviewed: Signoff | None
    approved: Signoff | None
    effective: date | None
    history: list[HistoryRow]
    citations: dict[str, str]


def ledger_of(ws: Workspace) -> Ledger:
    """The workspace's release ledger."""
    return Ledger(ws.root / ws.config.ledger_file, ws.config.ledger_file)


def policy_of(ws: Workspace) -> Policy:
    """Review intervals and retention periods from dossier.yaml."""
    return Policy(ws.config.review_interval_months, ws.config.retention_years)


def _draft(doc: Document, effective: date | None) -> DraftChange:
    return DraftChange(
        revision=doc.revision,
        change=doc.change or None,
        effective_date=effective.isoformat() if effective else None,
        prepared_by=doc.prepared_by.name if doc.prepared_by else None,
        approved_by=doc.approved_by.name if doc.approved_by else None,
    )


def archived_title(ws: Workspace, doc_id: str, revision: str) -> str | None:
    """The title a released revision had, from its archived YAML."""
    path = release_dir(ws.root, doc_id, revision, ws.config.releases_dir) / f"{doc_id}.yaml"
    data = load_yaml(path, Problems()) if path.is_file() else None  # the one loader: no aliases, no surprises
    title = data.get("title") if isinstance(data, dict) else None
    return str(title) if title else None


def citation_texts(ws: Workspace, doc: Document, entries: list[LedgerEntry], controlled: bool = False) -> dict[str, str]:
    """How each [[ID]] in `doc` reads: 《title》ID revision版 of the cited revision in force; an
    external document's key reads as its number and title (ExternalDocument.citation).

    "In force" is judged from `entries` (for a released revision: the ledger up to its own
    release), so a rebuilt release cites exactly what it cited when released. A cited document
    never released is cited at its working revision in a draft, and without a revision in a
    `controlled` rendering (a document released once, in any revision), which must not present
    a draft as a controlled revision; a new draft revision reads as its release did.
    """
    texts = {}
    for cited in sorted(cited_ids(doc)):
        target = ws.documents.get(cited)
        if target is None:
            external = ws.externals.get(cited)
            if external is not None:  # an external document reads as its number and title
                texts[cited] = external.citation
            continue
        releases = ledger_queries.releases(entries, cited)
        if releases:
            revision = releases[-1].revision
            title = archived_title(ws, cited, revision) or target.title
            texts[cited] = f"《{title}》{target.number} {revision}版"
        elif controlled:
            texts[cited] = f"《{target.title}》{target.number}"
        else:
            texts[cited] = f"《{target.title}》{target.number} {target.revision}版"
    return texts


def document_controls(
    ws: Workspace, doc: Document, entries: list[LedgerEntry], today: date, pending: PendingRelease | None = None
) -> Controls:
    """Controls for rendering the working revision of `doc` on `today` (or as it is being released)."""
    released = ledger_queries.release_of(entries, doc.id, doc.revision)
    if pending is not None:
        state = State.EFFECTIVE if pending.effective <= today else State.APPROVED
        rows = history_rows(entries, doc.id) + history_rows([], doc.id, DraftChange(
            doc.revision, pending.change or None, pending.effective.isoformat(),
            doc.prepared_by.name if doc.prepared_by else None, pending.approved_by))
        rows[-1] = HistoryRow(**{**rows[-1].__dict__, "reason": pending.reason, "released": True})
        approved = Signoff(pending.approved_by, pending.approved_on)
        effective = pending.effective
    elif released is not None:
        status = document_status(entries, doc.id, doc.revision, doc.kind, today, policy_of(ws))
        state = status.state
        rows = [r for r in history_rows(entries, doc.id)]
        rows = rows[: next(i for i, r in enumerate(rows) if r.revision == doc.revision) + 1]
        approved = Signoff(released.approved_by or "", approval_date(released, ws.config.zone))
        effective = entry_date(released)
        entries = [e for e in entries if e.seq <= released.seq]
    else:
        state = State.DRAFT
        rows = history_rows(entries, doc.id, _draft(doc, doc.effective_date))
        approved = None  # a draft is not approved: the block stays blank until release
        effective = doc.effective_date
    mark, watermark = MARKS[state]
    return Controls(state, mark, watermark, doc.prepared_by, doc.reviewed_by, approved, effective, rows,
                    citation_texts(ws, doc, entries, controlled=state is not State.DRAFT or bool(ledger_queries.releases(entries, doc.id))))
