"""Issued copies of a document: what the ledger records, what the YAML plans, what must come back.

Device GMP 2025 Art. 43(1) distribution, replacement and destruction records; 43(3) only the
right text in use. Issues, returns and destructions are ledger entries (`dossier issue`,
`recall`, `destroy`; see `dossier.control.ledger.copies`). A document's YAML `distribution:`
list is its planned distribution (分发范围): copy number, holder and department, used when
`dossier issue` is not told the holder. Entries of that list carrying `issued:` (and
`withdrawn:`) dates are records written before issues went into the ledger: they are read as
issues of the revision released by their issue date and stay managed in the YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.ledger.copies import Issue, copy_book
from dossier.control.lifecycle import recorded_date
from dossier.workspace.model import Document


@dataclass(frozen=True)
class Planned:
    """One planned copy of the YAML `distribution:` list (its line, for messages)."""

    copy: int
    holder: str
    department: str
    line: int


def planned(doc: Document) -> dict[int, Planned]:
    """The planned distribution of `doc` by copy number (the last entry of a number wins)."""
    return {e["copy"]: Planned(e["copy"], e["holder"], e["department"], e["line"]) for e in doc.distribution}


def _legacy_revision(releases: list[LedgerEntry], issued: date, fallback: str, zone: tzinfo) -> str:
    """The revision a copy issued on `issued` was: the last one released by then, days in `zone` (else the first)."""
    before = [r for r in releases if recorded_date(r, zone) <= issued]
    if before:
        return before[-1].revision
    return releases[0].revision if releases else fallback


def legacy_issues(doc: Document, entries: list[LedgerEntry], zone: tzinfo) -> list[Issue]:
    """Copies recorded with `issued:` dates in the YAML (see module docstring), in YAML order;
    `zone` is the workspace's time zone (the days of the YAML's dates)."""
    releases = ledger_queries.releases(entries, doc.id)
    found = []
    for entry in doc.distribution:
        if entry.get("issued") is None:
            continue
        issue = Issue(doc.id, entry["copy"], _legacy_revision(releases, entry["issued"], doc.revision, zone), entry["holder"],
                      entry["department"] or None, entry["issued"], None, legacy=True)
        issue.returned_on = entry.get("withdrawn")
        found.append(issue)
    return found


def document_issues(doc: Document, entries: list[LedgerEntry], zone: tzinfo) -> list[Issue]:
    """Every issue of `doc`: those written in the YAML first (they are older), then the ledger's
    (`zone`: the workspace's time zone)."""
    return [*legacy_issues(doc, entries, zone), *copy_book(entries, doc.id).issues]


def copy_out(issues: list[Issue], copy: int) -> Issue | None:
    """The issue of `copy` still with its holder, if any."""
    return next((i for i in reversed(issues) if i.copy == copy and i.out), None)


def due_back(issues: list[Issue], latest: str | None, withdrawn: bool) -> list[Issue]:
    """Copies out that must come back: all of a withdrawn document, else those of an older revision.

    `latest` is the revision last released: once a new revision is approved its holders' copies
    of the old one are exchanged (returned, and the copy number issued again under the new one).
    """
    out = [i for i in issues if i.out]
    if withdrawn:
        return out
    return [i for i in out if latest is not None and i.revision != latest]


def issue_row(issue: Issue) -> dict[str, Any]:
    """One issue as JSON-ready data (dates as YYYY-MM-DD; None when not recorded)."""
    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "copy": issue.copy, "revision": issue.revision, "holder": issue.holder, "department": issue.department,
        "issued": day(issue.issued_on), "issued_by": issue.issued_by, "returned": day(issue.returned_on),
        "returned_by": issue.returned_by, "destroyed": day(issue.destroyed_on), "destroyed_by": issue.destroyed_by,
        "witness": issue.witness, "destroy_reason": issue.destroy_reason, "recorded_in": "yaml" if issue.legacy else "ledger",
    }
