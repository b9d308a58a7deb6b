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
from dossier.control.lifecycle import recorded_date
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


@dataclass(frozen=True)
class IssuedCopy:
    """One issued copy (`distribution:`) and whether it must come back."""

    copy: int
    holder: str
    department: str
    issued: str | None
    withdrawn: str | None
    to_recall: bool

    @property
    def state_label(self) -> str:
        """在用, 待回收 or 已回收."""
        if self.withdrawn:
            return "已回收"
        return "待回收" if self.to_recall else "在用"


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
        out.append(Revision(entry.revision, state, entry.effective_date, recorded_date(entry).isoformat(), entry.approved_by,
                            entry.prepared_by, entry.change_summary, entry.reason, file))
    return tuple(out)


def _copies(doc: Document, row: dict[str, Any]) -> tuple[IssuedCopy, ...]:
    recall = {copy["copy"] for copy in row["copies_to_recall"]}
    return tuple(IssuedCopy(c["copy"], c["holder"], c["department"], c["issued"].isoformat() if c["issued"] else None,
                            c["withdrawn"].isoformat() if c["withdrawn"] else None, c["copy"] in recall and not c["withdrawn"])
                 for c in sorted(doc.distribution, key=lambda c: (c["copy"], c["line"])))


def document_view(ws: Workspace, doc: Document, row: dict[str, Any], entries: list[LedgerEntry]) -> DocumentView:
    """The view of one document from its status row and the ledger."""
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
        cited_by=tuple(where_used(ws, doc.id)), copies=_copies(doc, row),
    )


def site_data(ws: Workspace, as_of: date) -> SiteData:
    """Views of every document of `ws` on `as_of`."""
    entries = ledger_of(ws).entries()
    rows = {row["id"]: row for row in workspace_status(ws, as_of)}
    views = {doc_id: document_view(ws, doc, rows[doc_id], entries) for doc_id, doc in ws.documents.items()}
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
