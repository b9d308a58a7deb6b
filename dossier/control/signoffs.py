"""Who signs for a document, and the rules its sign-offs must meet before release.

- `named_people`: the person a document names for each role: 编制 and 审核 from its YAML, 批准
  the approver of record (the ledger's release entry; nobody while the revision is unreleased).
- `check_signoffs`: for every unreleased working revision, a reviewer different from the
  author; review and approval not dated before the revision was started (the release of the
  revision it replaces; their order among themselves is `validate`'s); reviewer and approver
  within the workspace's `approval_authority`, when it has one; a validation report's
  sign-offs not dated before its work ended nor approved before its protocol
  (`control.report_signoffs`, Art. 76).

Device GMP 2025 Art. 43(2): documents are reviewed and approved by authorised persons before
issue; Art. 46: electronic records and signatures identify who signed.
"""

from __future__ import annotations

from datetime import date, tzinfo

from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.lifecycle import recorded_date
from dossier.control.report_signoffs import binding_milestone, report_milestones
from dossier.errors import Problems
from dossier.workspace.model import Document, Workspace
from dossier.workspace.roles import APPROVAL_ROLE, ROLE_FIELDS


def approver_of_record(entries: list[LedgerEntry], doc: Document) -> str | None:
    """Who approved the working revision of `doc` (its release entry), None when it is not released."""
    release = ledger_queries.release_of(entries, doc.id, doc.revision)
    return release.approved_by if release is not None else None


def named_people(doc: Document, entries: list[LedgerEntry], pending_approver: str | None = None) -> dict[str, str | None]:
    """{role: the person the document names for it} for 编制, 审核 and 批准.

    批准 is the approver of record: `pending_approver` while a release is being made, else the
    release entry of the working revision; None when the revision is not released.
    """
    people: dict[str, str | None] = {}
    for role, name in ROLE_FIELDS.items():
        signoff = getattr(doc, name)
        people[role] = signoff.name if signoff is not None and signoff.name else None
    people[APPROVAL_ROLE] = pending_approver or approver_of_record(entries, doc)
    return people


def authority_problem(ws: Workspace, kind: str, duty: str, name: str) -> str | None:
    """Why `name` may not carry out `duty` (review, approve) for `kind`, or None when they may."""
    allowed = ws.config.authorised(kind, duty)
    if allowed is None or name in allowed:
        return None
    return (f"{name} is not authorised to {duty} {kind} documents "
            f"(approval_authority in dossier.yaml: {', '.join(allowed)})")


def revision_started(entries: list[LedgerEntry], doc: Document, zone: tzinfo) -> date | None:
    """The day the working revision could start: when the revision before it was released (None for the first)."""
    earlier = [e for e in ledger_queries.releases(entries, doc.id) if e.revision != doc.revision]
    return recorded_date(earlier[-1], zone) if earlier else None


def check_signoffs(ws: Workspace, entries: list[LedgerEntry], problems: Problems) -> None:
    """Record every sign-off problem of the unreleased working revisions (see module docstring)."""
    for doc in ws.documents.values():
        if ledger_queries.release_of(entries, doc.id, doc.revision) is not None:
            continue  # a released revision was checked when it was released, and cannot change
        _check_document(ws, doc, revision_started(entries, doc, ws.config.zone), problems)
        _check_report_dates(ws, doc, entries, problems)


def _check_report_dates(ws: Workspace, doc: Document, entries: list[LedgerEntry], problems: Problems) -> None:
    """A report's sign-off dates written in its YAML: not before the work it reports, its approval
    not before its protocol's (see `control.report_signoffs`)."""
    milestones = report_milestones(ws, doc, entries)
    for key in ("prepared_by", "reviewed_by", "approved_by"):
        signoff = getattr(doc, key)
        if signoff is None or signoff.date is None:
            continue
        broken = binding_milestone(milestones, key, signoff.date)
        if broken is not None:
            problems.add(doc.source_display, doc.raw.line_of(key), f"{key}.date",
                         f"{signoff.date} is before {broken}: {broken.rule}; date it {broken.day} or later")


def _check_document(ws: Workspace, doc: Document, started: date | None, problems: Problems) -> None:
    where = doc.source_display
    prepared, reviewed, approved = doc.prepared_by, doc.reviewed_by, doc.approved_by

    def line(key: str) -> int | None:
        return doc.raw.line_of(key) if key in doc.raw else None

    if prepared and reviewed and prepared.name and prepared.name == reviewed.name:
        problems.add(where, line("reviewed_by"), "reviewed_by.name",
                     f"{reviewed.name} prepared this revision and cannot also review it (a second person reviews)")
    for key, signoff in (("reviewed_by", reviewed), ("approved_by", approved)):
        if signoff is None or signoff.date is None:
            continue
        if started is not None and signoff.date < started:
            problems.add(where, line(key), f"{key}.date",
                         f"{signoff.date} is before revision {doc.revision} was started "
                         f"({started}, when the revision it replaces was released)")
    for key, signoff, duty in (("reviewed_by", reviewed, "review"), ("approved_by", approved, "approve")):
        if signoff is not None and signoff.name:
            problem = authority_problem(ws, doc.kind, duty, signoff.name)
            if problem:
                problems.add(where, line(key), f"{key}.name", problem)
