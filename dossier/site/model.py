"""What the site shows, computed once from the workspace: one view per document, on one day.

Every fact comes from where `dossier status` takes it: the status rows
(`dossier.control.status.workspace_status`), the ledger (revision history, withdrawals) and the
release archive (the PDF of each released revision). Drafts are never current: the only current
file of a document is the archived PDF of its revision in force (device GMP 2025 Art. 43(三)),
and revisions no longer in force are offered only as 作废-marked copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dossier.control.archive import release_dir, revision_dirname, sha256_bytes
from dossier.control.controls import ledger_of
from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.ledger.entry import Action
from dossier.control.lifecycle import Review, approval_date, entry_date
from dossier.control.status import where_used, workspace_status
from dossier.errors import CheckFailed
from dossier.markdown.queries import cited_ids
from dossier.workspace.model import Document, Workspace

# the state of a document as a whole, for the master list
DOCUMENT_STATES = {"effective": "现行", "approved": "待生效", "draft": "草稿", "obsolete": "已作废"}
# the state of one revision
REVISION_STATES = {"effective": "现行", "approved": "待生效", "draft": "草稿", "superseded": "作废", "obsolete": "作废"}


@dataclass(frozen=True)
class SiteFile:
    """A file the site publishes: where it goes in the site and where its bytes come from.

    `stamp` names the mark put on it when published (`void`: 作废 on every page); `sha256` is
    what the ledger recorded for the archived file.
    """

    path: str  # in the site, '/'-separated
    source: Path
    sha256: str | None
    stamp: str = ""
    note: str = ""  # text of the stamp's second line


@dataclass(frozen=True)
class Revision:
    """One released revision of a document, as its history lists it."""

    revision: str
    state: str
    effective_date: str | None
    approved_on: str
    approved_by: str | None
    prepared_by: str | None
    change: str | None
    reason: str | None
    file: SiteFile | None  # the current PDF, or a 作废-marked copy; None for a pending revision

    @property
    def state_label(self) -> str:
        """The revision's state in Chinese."""
        return REVISION_STATES[self.state]


# what a periodic review concluded (`dossier review --result`)
REVIEW_RESULTS = {"continue": "继续有效", "revise": "需修订", "withdraw": "应作废"}


@dataclass(frozen=True)
class IssuedCopy:
    """One issue of a copy as the ledger records it (`dossier issue`, `recall`, `destroy`; dates
    YYYY-MM-DD or None), or as a YAML record of an earlier version, and whether it must come back."""

    copy: int
    revision: str
    holder: str
    department: str | None
    issued: str | None
    returned: str | None
    destroyed: str | None
    to_recall: bool

    @property
    def state(self) -> str:
        """recall (must come back), destroyed, returned or out."""
        if self.to_recall:
            return "recall"
        return "destroyed" if self.destroyed else "returned" if self.returned else "out"

    @property
    def state_label(self) -> str:
        """待回收, 已销毁, 已回收 or 在用."""
        return {"recall": "待回收", "destroyed": "已销毁", "returned": "已回收", "out": "在用"}[self.state]


@dataclass(frozen=True)
class ReviewRecord:
    """One periodic review of a revision (`dossier review`), as the ledger records it."""

    revision: str
    review: Review

    @property
    def result_label(self) -> str:
        """继续有效, 需修订 or 应作废."""
        return REVIEW_RESULTS.get(self.review.result, self.review.result)


@dataclass(frozen=True)
class DocumentView:
    """Everything the site shows of one document (`row` is its `dossier status --json` row)."""

    doc: Document
    row: dict[str, Any]
    state: str
    effective_date: str | None
    current: SiteFile | None
    history: tuple[Revision, ...]
    cites: tuple[str, ...]
    cited_by: tuple[str, ...]
    copies: tuple[IssuedCopy, ...]
    reviews: tuple[ReviewRecord, ...] = ()

    @property
    def last_review(self) -> ReviewRecord | None:
        """The latest periodic review of the revision in force, if any."""
        found = [r for r in self.reviews if r.revision == self.row["in_force"]]
        return found[-1] if found else None

    @property
    def planned(self) -> tuple[dict[str, Any], ...]:
        """The planned distribution (`distribution:`): copy, holder, department, by copy number."""
        return tuple(sorted(self.doc.distribution, key=lambda c: (c["copy"], c["line"])))

    @property
    def id(self) -> str:
        """The document number."""
        return self.doc.id

    @property
    def page(self) -> str:
        """The document's page in the site."""
        return f"documents/{self.doc.id}.html"

    @property
    def state_label(self) -> str:
        """The document's state in Chinese."""
        return DOCUMENT_STATES[self.state]

    @property
    def pending(self) -> Revision | None:
        """A released revision approved but not yet in effect."""
        return next((r for r in self.history if r.state == "approved"), None)


@dataclass
class SiteData:
    """The workspace, the day the site describes, and one view per document (sorted by id)."""

    ws: Workspace
    as_of: date
    entries: list[LedgerEntry]
    documents: dict[str, DocumentView]
    extra: dict[str, Any] = field(default_factory=dict)  # data a page builder computed, shared with others

    @property
    def files(self) -> list[SiteFile]:
        """Every PDF the document pages link to, sorted by site path."""
        found = {}
        for view in self.documents.values():
            for revision in view.history:
                if revision.file is not None:
                    found[revision.file.path] = revision.file
        return [found[path] for path in sorted(found)]


def document_state(row: dict[str, Any]) -> str:
    """The state of the document as a whole: obsolete, effective, approved (waiting for its date) or draft."""
    if row["withdrawn_on"]:
        return "obsolete"
    if row["in_force"]:
        return "effective"
    if "approved" in row["revisions"].values():
        return "approved"
    return "draft"


def _archived_pdf(ws: Workspace, entry: LedgerEntry) -> tuple[Path, str | None] | None:
    """The archived PDF of a release (the signed one where it exists) and its recorded SHA-256."""
    folder = release_dir(ws.root, entry.document, entry.revision, ws.config.releases_dir)
    for name in (f"{entry.document}.signed.pdf", f"{entry.document}.pdf"):
        path = folder / name
        key = f"{folder.relative_to(ws.root).as_posix()}/{name}"
        if key in entry.outputs or path.is_file():
            return path, entry.outputs.get(key)
    return None


def _revisions(ws: Workspace, doc: Document, row: dict[str, Any], entries: list[LedgerEntry]) -> tuple[Revision, ...]:
    out = []
    for entry in ledger_queries.releases(entries, doc.id):
        state = row["revisions"].get(entry.revision, "obsolete")
        archived = _archived_pdf(ws, entry)
        file = None
        if archived is not None and state in ("effective", "superseded", "obsolete"):
            source, sha = archived
            folder = f"files/{doc.id}/{revision_dirname(entry.revision)}"
            if state == "effective":
                file = SiteFile(f"{folder}/{source.name}", source, sha)
            else:
                note = f"{doc.id} {entry.revision}版"
                file = SiteFile(f"{folder}/{doc.id}-{revision_dirname(entry.revision)}-void.pdf", source, sha, "void", note)
        out.append(Revision(entry.revision, state, entry.effective_date, approval_date(entry, ws.config.zone).isoformat(), entry.approved_by,
                            entry.prepared_by, entry.change_summary, entry.reason, file))
    return tuple(out)


def _copies(row: dict[str, Any]) -> tuple[IssuedCopy, ...]:
    """Every issue of the status row (`copies`), by copy number then issue day; those in
    `copies_to_recall` (of a replaced revision, or of a withdrawn document) marked."""
    recall = {(c["copy"], c["revision"], c["issued"]) for c in row["copies_to_recall"]}
    copies = (IssuedCopy(c["copy"], c["revision"], c["holder"], c["department"], c["issued"], c["returned"], c["destroyed"],
                         (c["copy"], c["revision"], c["issued"]) in recall and not c["returned"] and not c["destroyed"])
              for c in row["copies"])
    return tuple(sorted(copies, key=lambda c: (c.copy, c.issued or "", c.revision)))


def _reviews(entries: list[LedgerEntry], doc_id: str, as_of: date) -> tuple[ReviewRecord, ...]:
    """The periodic reviews of `doc_id` recorded by `as_of`, oldest first."""
    found = [e for e in entries if e.document == doc_id and e.action == Action.REVIEW and entry_date(e) <= as_of]
    return tuple(ReviewRecord(e.revision, Review(entry_date(e), e.performed_by, e.result, e.note))
                 for e in sorted(found, key=lambda e: (entry_date(e), e.seq)))


def document_view(ws: Workspace, doc: Document, row: dict[str, Any], entries: list[LedgerEntry], as_of: date) -> DocumentView:
    """The view of one document on `as_of` from its status row and the ledger."""
    state = document_state(row)
    history = _revisions(ws, doc, row, entries)
    current = next((r.file for r in history if r.state == "effective"), None) if state == "effective" else None
    if state == "effective":
        effective = row["in_force_since"]
    elif state == "approved":
        effective = next((r.effective_date for r in history if r.state == "approved"), None)
    else:
        effective = None
    return DocumentView(
        doc=doc, row=row, state=state, effective_date=effective, current=current, history=history,
        cites=tuple(sorted(i for i in cited_ids(doc) if i in ws.documents and i != doc.id)),
        cited_by=tuple(where_used(ws, doc.id)), copies=_copies(row), reviews=_reviews(entries, doc.id, as_of),
    )


def site_data(ws: Workspace, as_of: date) -> SiteData:
    """Views of every document of `ws` on `as_of`."""
    entries = ledger_of(ws).entries()
    rows = {row["id"]: row for row in workspace_status(ws, as_of)}
    views = {doc_id: document_view(ws, doc, rows[doc_id], entries, as_of) for doc_id, doc in ws.documents.items()}
    return SiteData(ws, as_of, entries, dict(sorted(views.items())))


def published_bytes(file: SiteFile) -> bytes:
    """The archived bytes of `file`, refused (CheckFailed) when they differ from what the ledger recorded."""
    try:
        data = file.source.read_bytes()
    except OSError as exc:
        raise CheckFailed([f"error: {file.source}: cannot read the archived file ({exc.strerror}); run `dossier verify`"]) from None
    if file.sha256 is not None and sha256_bytes(data) != file.sha256:
        raise CheckFailed([f"error: {file.source}: the archived file differs from the ledger; run `dossier verify`"])
    return data
