"""What a release checks about its sign-offs before anything is written (device GMP 2025 Art. 43(2)).

- `require_signoffs`: preparation and review (name and date) are recorded.
- `approver_of_record`: one approver, `--approved-by` or the YAML's, within `approval_authority`.
- `approval_day`: the day the release records as the approval: the YAML's `approved_by.date`
  when it has one (today or earlier; `check` has compared it with the other sign-offs), else
  today, which must not precede the preparation, the review or — for a validation report — the
  end of its work and its protocol's approval (Art. 76). Never a date the YAML does not say.
- `check_effective`: the effective date is not before the release nor before the revision it
  replaces takes effect.

Every problem names the file, the line of the field it concerns (the document's first line when
the field is missing) and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.lifecycle import entry_date
from dossier.control.report_signoffs import binding_milestone, report_milestones
from dossier.control.signoffs import authority_problem
from dossier.errors import UsageError
from dossier.validation.milestones import Milestone
from dossier.workspace.model import Document, Workspace


@dataclass(frozen=True)
class Approval:
    """The approval a release records: its day and where that day comes from (for the release's output)."""

    day: date
    source: str  # `as approved_by.date in content/QP-04.yaml states` or `(today), written to approved_by.date in …`


def where(doc: Document, key: str) -> str:
    """`content/QP-04.yaml:9`: the line of `key`, or of the document's top when it has no such field."""
    return f"{doc.source_display}:{doc.raw.line_of(key)}"


def require_signoffs(doc: Document) -> None:
    """Preparation and review (name and date) are recorded before a revision is released (Art. 43(2))."""
    missing = []
    for key in ("prepared_by", "reviewed_by"):
        who = getattr(doc, key)
        if who is None or not who.name:
            missing.append(f"error: {where(doc, key)}: {key}: required before release (name and date)")
        elif who.date is None:
            missing.append(f"error: {where(doc, key)}: {key}.date: required before release "
                           f"(when {who.name} signed off this revision)")
    if missing:
        raise UsageError("\n".join(missing))


def approver_of_record(ws: Workspace, doc: Document, approved_by: str) -> str:
    """The one approver of this release: `--approved-by`, which must agree with the YAML's when both name one."""
    given = approved_by.strip()
    written = doc.approved_by.name.strip() if doc.approved_by and doc.approved_by.name else ""
    if given and written and given != written:
        raise UsageError(f"error: {where(doc, 'approved_by')}: approved_by.name: the YAML names {written} as approver but "
                         f"--approved-by names {given}; the approver of record must be one person (correct one of them)")
    approver = given or written
    if not approver:
        raise UsageError(f"error: {where(doc, 'approved_by')}: approved_by.name: no approver: name them here or "
                         "with --approved-by NAME")
    problem = authority_problem(ws, doc.kind, "approve", approver)
    if problem:
        raise UsageError(f"error: --approved-by: {problem}")
    return approver


def approval_day(ws: Workspace, doc: Document, entries: list[LedgerEntry], today: date) -> Approval:
    """The approval day the release records (see module docstring); UsageError when it cannot be recorded."""
    written = doc.approved_by.date if doc.approved_by else None
    if written is not None:
        if written > today:
            raise UsageError(f"error: {where(doc, 'approved_by')}: approved_by.date: {written} is after today ({today}): "
                             f"release records an approval already given; release on or after {written}, or correct "
                             "the date")
        return Approval(written, f"as approved_by.date in {doc.source_display} states")
    floors = [Milestone(signoff.date, f"{key} date {signoff.date}", f"line {doc.raw.line_of(key)}", ("approved_by",),
                        "a revision is approved after it is prepared and reviewed")
              for key in ("prepared_by", "reviewed_by")
              if (signoff := getattr(doc, key)) is not None and signoff.date is not None]
    broken = binding_milestone(floors + report_milestones(ws, doc, entries), "approved_by", today)
    if broken is not None:
        raise UsageError(f"error: {where(doc, 'approved_by')}: approved_by: releasing today records approval on {today}, "
                         f"before {broken}: {broken.rule}; release on or after {broken.day}")
    return Approval(today, f"(today), written to approved_by.date in {doc.source_display}")


def check_effective(doc: Document, given: date | None, effective_on: date, today: date, entries: list[LedgerEntry]) -> None:
    """The effective date is not before the release (today), nor before the revision it replaces takes effect."""
    source = "--effective" if given else f"{where(doc, 'effective_date')}: effective_date:"
    if effective_on < today:
        raise UsageError(f"error: {source} {effective_on} is before today ({today}), the day of this release: "
                         "a revision takes effect on or after its release")
    earlier = ledger_queries.releases(entries, doc.id)
    if earlier and effective_on < entry_date(earlier[-1]):
        last = earlier[-1]
        raise UsageError(f"error: {source} {effective_on} is before revision {last.revision} takes effect "
                         f"({entry_date(last)}): a revision cannot take effect before the one it replaces")
