"""When a validation report may be signed off: after its work, and approved after its protocol.

A report's sign-offs (编制, 审核, 批准) are not dated before the end of execution nor before the
approval of any deviation it records (`dossier.validation.milestones`); its approval is not
dated before the approval of the protocol revision it executes, when the ledger (the protocol's
release) or the protocol's YAML (its working revision's approved_by.date) knows that day
(device GMP 2025 Art. 76: a report on an approved protocol, after the work it reports).
"""

from __future__ import annotations

from datetime import date

from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.lifecycle import approval_date
from dossier.validation.milestones import Milestone, work_milestones
from dossier.validation.report import protocol_reference
from dossier.workspace.model import Document, Workspace

REPORT_KIND = "validation_report"


def protocol_approval(ws: Workspace, protocol: str, revision: str, entries: list[LedgerEntry]) -> Milestone | None:
    """The approval day of `protocol` `revision`: from its release entry, else from its YAML; None when unknown."""
    release = ledger_queries.release_of(entries, protocol, revision) if protocol and revision else None
    what = f"the approval of protocol {protocol} revision {revision}"
    rule = "a validation report is approved after the protocol it executes"
    if release is not None:
        day = approval_date(release, ws.config.zone)
        return Milestone(day, f"{what} on {day}", f"ledger entry {release.seq}", ("approved_by",), rule)
    target = ws.documents.get(protocol)
    if target is None or target.revision != revision or target.approved_by is None or target.approved_by.date is None:
        return None
    day = target.approved_by.date
    return Milestone(day, f"{what} on {day}", f"{target.source_display}:{target.raw.line_of('approved_by')}",
                     ("approved_by",), rule)


def report_milestones(ws: Workspace, doc: Document, entries: list[LedgerEntry]) -> list[Milestone]:
    """Every day `doc`'s sign-offs must not precede (empty for a document that is not a report)."""
    if doc.kind != REPORT_KIND:
        return []
    block = doc.raw.get("report")
    found = work_milestones(block)
    approved = protocol_approval(ws, *protocol_reference(block), entries)
    return found + [approved] if approved is not None else found


def binding_milestone(milestones: list[Milestone], key: str, day: date) -> Milestone | None:
    """The latest of `milestones` binding sign-off `key` that `day` precedes, None when `day` may stand."""
    broken = [m for m in milestones if key in m.binds and day < m.day]
    return max(broken, key=lambda m: m.day) if broken else None
