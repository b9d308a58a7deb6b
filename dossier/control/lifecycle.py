"""Document lifecycle computed from ledger entries: pure functions, no I/O.

States (device GMP Art. 43): a revision not yet released is a `draft`; a released revision
whose effective date is still ahead is `approved`; the latest released revision whose
effective date has come is `effective`; revisions released before it are `superseded`; a
withdrawal (`obsolete` ledger entry, effective on its date) makes every revision released
before it `obsolete`. Ledger order decides which release is later, not the revision letters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from enum import StrEnum
from typing import Any

from dossier.control.ledger import Action, LedgerEntry
from dossier.workspace.kinds import DEFAULT_RETENTION_YEARS, DEFAULT_REVIEW_MONTHS
from dossier.workspace.retention import RetentionRule, add_months


class State(StrEnum):
    """Where one revision of a document stands."""

    DRAFT = "draft"
    APPROVED = "approved"
    EFFECTIVE = "effective"
    SUPERSEDED = "superseded"
    OBSOLETE = "obsolete"


@dataclass(frozen=True)
class Policy:
    """Periodic review interval (months) and retention rule per kind, as in dossier.yaml.

    Both mappings are keyed by document kind, with an optional `default` key
    (`review_interval_months: {default: 24, work_instruction: 12}`); a retention value is a
    `RetentionRule` or a plain number of years from supersession or withdrawal.
    """

    review_interval_months: Mapping[str, int] = field(default_factory=dict)
    retention_years: Mapping[str, int | RetentionRule] = field(default_factory=dict)

    def review_months(self, kind: str) -> int:
        """Months between periodic reviews of a document of `kind`."""
        table = self.review_interval_months
        return table.get(kind, table.get("default", DEFAULT_REVIEW_MONTHS))

    def retention(self, kind: str) -> RetentionRule:
        """How long a superseded or withdrawn revision of `kind` is kept (Art. 43(4), 45(4))."""
        table = self.retention_years
        value = table.get(kind, table.get("default", DEFAULT_RETENTION_YEARS))
        return value if isinstance(value, RetentionRule) else RetentionRule(value)


def recorded_date(entry: LedgerEntry, zone: tzinfo) -> date:
    """The day an entry was recorded (for a release: the day it was approved) in `zone`, the
    workspace's time zone: its timestamp is UTC, whose day ends at 08:00 in China."""
    return datetime.fromisoformat(entry.timestamp.replace("Z", "+00:00")).astimezone(zone).date()


def approval_date(entry: LedgerEntry, zone: tzinfo | None = None) -> date:
    """The day a release was approved: its `approved_on` (the YAML's approved_by.date), else, for
    entries written before that field, the day it was recorded in `zone` (device GMP Art. 43(2))."""
    return date.fromisoformat(entry.approved_on) if entry.approved_on else recorded_date(entry, zone)


def entry_date(entry: LedgerEntry) -> date:
    """The date an entry takes effect: its effective date, else the day of its timestamp."""
    return date.fromisoformat(entry.effective_date or entry.timestamp[:10])


@dataclass(frozen=True)
class _Timeline:
    releases: list[LedgerEntry]
    withdrawn: set[str]
    withdrawal: LedgerEntry | None


def _timeline(entries: Sequence[LedgerEntry], doc_id: str, today: date) -> _Timeline:
    """Releases of one document, the revisions withdrawn by `today`, and its last withdrawal."""
    releases: list[LedgerEntry] = []
    withdrawn: set[str] = set()
    withdrawal: LedgerEntry | None = None
    for entry in entries:
        if entry.document != doc_id:
            continue
        if entry.action == Action.RELEASE:
            releases.append(entry)
            withdrawal = None
        elif entry.action == Action.OBSOLETE:
            withdrawal = entry
            if entry_date(entry) <= today:
                withdrawn.update(r.revision for r in releases)
    return _Timeline(releases, withdrawn, withdrawal)


def _states(timeline: _Timeline, today: date) -> dict[str, State]:
    live = [r for r in timeline.releases if r.revision not in timeline.withdrawn]
    started = [i for i, r in enumerate(live) if entry_date(r) <= today]
    in_force = started[-1] if started else -1
    states: dict[str, State] = {}
    for release in timeline.releases:
        states[release.revision] = State.OBSOLETE
    for i, release in enumerate(live):
        if i < in_force:
            states[release.revision] = State.SUPERSEDED
        elif i == in_force:
            states[release.revision] = State.EFFECTIVE
        else:
            states[release.revision] = State.APPROVED
    return states


def revision_states(entries: Sequence[LedgerEntry], doc_id: str, today: date) -> dict[str, State]:
    """State on `today` of every released revision of `doc_id`, in release order."""
    return _states(_timeline(entries, doc_id, today), today)


def stopped_dates(entries: Sequence[LedgerEntry], doc_id: str, today: date) -> dict[str, date]:
    """The day each released revision of `doc_id` stopped being in force by `today`, in release order.

    A revision stops when a later one takes effect (supersession) or the document is withdrawn,
    whichever comes first; its retention period runs from that day (device GMP Art. 43(4)).
    Revisions still in force, or approved and not yet effective, are absent.
    """
    released: list[str] = []
    stopped: dict[str, date] = {}
    for entry in entries:
        if entry.document != doc_id or entry.action not in (Action.RELEASE, Action.OBSOLETE):
            continue
        day = entry_date(entry)
        if day <= today:
            for revision in released:
                stopped[revision] = min(stopped.get(revision, day), day)
        if entry.action == Action.RELEASE:
            released.append(entry.revision)
    return {rev: stopped[rev] for rev in released if rev in stopped}


@dataclass(frozen=True)
class Review:
    """A periodic review as recorded: its day, reviewer, conclusion (continue, revise, withdraw) and note."""

    on: date
    by: str | None
    result: str
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"date": self.on.isoformat(), "by": self.by, "result": self.result, "note": self.note}


def last_review(entries: Sequence[LedgerEntry], doc_id: str, revision: str | None, since: date | None,
                result: str | None = None) -> Review | None:
    """The latest review of `doc_id` `revision` on or after `since` (the day it took effect), if any;
    only those concluding `result` when it is given."""
    found = [e for e in entries if e.document == doc_id and e.action == Action.REVIEW and e.revision == revision
             and since is not None and entry_date(e) >= since and result in (None, e.result)]
    if not found:
        return None
    entry = max(found, key=lambda e: (entry_date(e), e.seq))
    return Review(entry_date(entry), entry.performed_by, entry.result, entry.note)


@dataclass(frozen=True)
class DocumentStatus:
    """Everything `dossier status` shows about one document on one day."""

    document: str
    revision: str
    state: State
    revisions: dict[str, State]
    in_force: str | None
    in_force_since: date | None
    next_review: date | None
    review_overdue: bool
    withdrawn_on: date | None
    withdrawal_reason: str | None
    retention_until: date | None
    retention: dict[str, date] = field(default_factory=dict)  # revision -> last day it must be kept
    last_review: Review | None = None  # the last periodic review of the revision in force

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as YYYY-MM-DD, states as their names)."""
        def plain(value: Any) -> Any:
            return value.isoformat() if isinstance(value, date) else value

        return {
            "document": self.document,
            "revision": self.revision,
            "state": str(self.state),
            "revisions": {rev: str(state) for rev, state in self.revisions.items()},
            "in_force": self.in_force,
            "in_force_since": plain(self.in_force_since),
            "next_review": plain(self.next_review),
            "review_overdue": self.review_overdue,
            "withdrawn_on": plain(self.withdrawn_on),
            "withdrawal_reason": self.withdrawal_reason,
            "retention_until": plain(self.retention_until),
            "retention": {rev: plain(day) for rev, day in self.retention.items()},
            "last_review": self.last_review.as_dict() if self.last_review else None,
        }


def document_status(
    entries: Sequence[LedgerEntry],
    doc_id: str,
    working_revision: str,
    kind: str,
    today: date,
    policy: Policy = Policy(),
) -> DocumentStatus:
    """Status of `doc_id` on `today`, given the revision its YAML currently carries.

    `state` is the state of the working revision (draft when it was never released); the
    next periodic review is due `policy.review_months(kind)` after the revision in force took
    effect, or after its last review that concluded it stays valid (`continue`); a review
    concluding `revise` or `withdraw` leaves the date where it was until that happens. Each
    revision no longer in force is kept by `policy.retention(kind)` from the day it stopped.
    """
    timeline = _timeline(entries, doc_id, today)
    states = _states(timeline, today)
    revisions = dict(states)
    revisions.setdefault(working_revision, State.DRAFT)
    in_force = next((rev for rev, s in states.items() if s is State.EFFECTIVE), None)
    since = entry_date(next(r for r in timeline.releases if r.revision == in_force)) if in_force else None
    reviewed = last_review(entries, doc_id, in_force, since)
    confirmed = last_review(entries, doc_id, in_force, since, "continue")
    restart = confirmed.on if confirmed else since
    review = add_months(restart, policy.review_months(kind)) if restart else None
    withdrawal = timeline.withdrawal
    withdrawn_on = entry_date(withdrawal) if withdrawal else None
    return DocumentStatus(
        document=doc_id,
        revision=working_revision,
        state=revisions[working_revision],
        revisions=revisions,
        in_force=in_force,
        in_force_since=since,
        next_review=review,
        review_overdue=review is not None and review < today,
        withdrawn_on=withdrawn_on,
        withdrawal_reason=withdrawal.reason if withdrawal else None,
        retention_until=policy.retention(kind).end(withdrawn_on) if withdrawn_on else None,
        retention={rev: policy.retention(kind).end(day) for rev, day in stopped_dates(entries, doc_id, today).items()},
        last_review=reviewed,
    )


@dataclass(frozen=True)
class DraftChange:
    """The working revision's change entry, taken from the document's YAML."""

    revision: str
    change: str | None
    effective_date: str | None
    prepared_by: str | None
    approved_by: str | None


@dataclass(frozen=True)
class HistoryRow:
    """One row of a document's revision history table (修订记录)."""

    revision: str
    effective_date: str | None
    change: str | None
    reason: str | None
    prepared_by: str | None
    approved_by: str | None
    released: bool


def history_rows(
    entries: Sequence[LedgerEntry], doc_id: str, draft: DraftChange | None = None
) -> list[HistoryRow]:
    """Revision history of `doc_id`: one row per release, then the unreleased working draft."""
    rows = [
        HistoryRow(
            revision=e.revision,
            effective_date=e.effective_date,
            change=e.change_summary,
            reason=e.reason,
            prepared_by=e.prepared_by,
            approved_by=e.approved_by,
            released=True,
        )
        for e in entries
        if e.document == doc_id and e.action == Action.RELEASE
    ]
    if draft is not None and all(row.revision != draft.revision for row in rows):
        rows.append(
            HistoryRow(
                revision=draft.revision,
                effective_date=draft.effective_date,
                change=draft.change,
                reason=None,
                prepared_by=draft.prepared_by,
                approved_by=draft.approved_by,
                released=False,
            )
        )
    return rows
