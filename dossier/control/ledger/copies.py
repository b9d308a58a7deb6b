"""Issued copies as the ledger records them: each issue, its return and its destruction, and the rules.

Device GMP 2025 Art. 43(1): distribution, replacement and destruction records; 43(3): only the
right text is in use. A copy number (发放号) stays with its holder across revisions: copy 1 is
issued under A, returned when B takes its place, and issued again under B. The rules an entry
must keep, checked on append and by `verify`:

- `issue`: the revision is the document's latest release, the document is not withdrawn, and
  that copy number is not out (an earlier issue of it not yet returned);
- `recall`: that copy is out, under the entry's revision;
- `destroy`: that copy of the entry's revision was returned and not destroyed yet;
- `review`: the revision was released and the document is not withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dossier.control.ledger.entry import Action, LedgerEntry

COPY_ACTIONS = (Action.ISSUE, Action.RECALL, Action.DESTROY)


@dataclass
class Issue:
    """One issue of one copy and what became of it (dates are the entries' effective dates).

    `seq` is the issue entry's seq (0 for a copy read from a YAML `distribution:` entry of an
    earlier version, `legacy`); `returned_*` and `destroyed_*` are None until recorded.
    """

    document: str
    copy: int
    revision: str
    holder: str
    department: str | None
    issued_on: date
    issued_by: str | None
    seq: int = 0
    legacy: bool = False
    returned_on: date | None = None
    returned_by: str | None = None
    return_reason: str | None = None
    destroyed_on: date | None = None
    destroyed_by: str | None = None
    witness: str | None = None
    destroy_reason: str | None = None

    @property
    def out(self) -> bool:
        """Still with its holder: neither returned nor destroyed."""
        return self.returned_on is None and self.destroyed_on is None

    @property
    def awaiting_destruction(self) -> bool:
        """Returned and not destroyed yet."""
        return self.returned_on is not None and self.destroyed_on is None


def _day(entry: LedgerEntry) -> date:
    return date.fromisoformat(entry.effective_date or entry.timestamp[:10])


class CopyBook:
    """The issues of every copy of one document, replayed from its entries in ledger order.

    `apply(entry)` takes the next entry of the document; it returns why the entry breaks a rule
    of the module docstring (and then changes nothing), or None.
    """

    def __init__(self, document: str):
        self.document = document
        self.issues: list[Issue] = []
        self.latest: str | None = None  # the revision last released
        self.released: set[str] = set()
        self.withdrawn = False

    def out(self, copy: int) -> Issue | None:
        """The issue of `copy` still with its holder, if any."""
        return next((i for i in reversed(self.issues) if i.copy == copy and i.out), None)

    def returned(self, copy: int, revision: str) -> Issue | None:
        """The returned, not yet destroyed issue of `copy` under `revision`, if any."""
        return next((i for i in reversed(self.issues)
                     if i.copy == copy and i.revision == revision and i.awaiting_destruction), None)

    def apply(self, entry: LedgerEntry) -> str | None:
        """Take `entry` (of this document) into the book; the broken rule, or None."""
        action, copy, rev = entry.action, entry.copy, entry.revision
        name = f"{self.document} revision {rev}"
        if action == Action.RELEASE:
            self.latest, self.withdrawn = rev, False
            self.released.add(rev)
        elif action == Action.OBSOLETE:
            self.withdrawn = True
        elif action == Action.REVIEW:
            if rev not in self.released:
                return f"{name} cannot be reviewed: it was never released"
            if self.withdrawn:
                return f"{self.document} cannot be reviewed: it is withdrawn"
        elif action == Action.ISSUE:
            if rev != self.latest or self.withdrawn:
                why = "it is withdrawn" if self.withdrawn and rev == self.latest else \
                    "it was never released" if rev not in self.released else f"revision {self.latest} replaced it"
                return f"copy {copy} of {name} cannot be issued: {why}"
            current = self.out(copy)
            if current is not None:
                return (f"copy {copy} of {self.document} is out (revision {current.revision}, {current.holder}, "
                        f"issued {current.issued_on}): it must be returned first")
            self.issues.append(Issue(self.document, copy, rev, entry.holder, entry.department, _day(entry),
                                     entry.performed_by, entry.seq))
        elif action == Action.RECALL:
            current = self.out(copy)
            if current is None or current.revision != rev:
                return f"copy {copy} of {name} cannot be returned: it is not out"
            current.returned_on, current.returned_by, current.return_reason = _day(entry), entry.performed_by, entry.reason
        elif action == Action.DESTROY:
            current = self.returned(copy, rev)
            if current is None:
                out = self.out(copy)
                why = "it is still out: record its return first" if out is not None and out.revision == rev else \
                    "no returned copy of that revision awaits destruction"
                return f"copy {copy} of {name} cannot be destroyed: {why}"
            current.destroyed_on, current.destroyed_by = _day(entry), entry.performed_by
            current.witness, current.destroy_reason = entry.witness, entry.reason
        return None


def copy_rule_problem(history: Iterable[LedgerEntry], entry: LedgerEntry) -> str | None:
    """Why `entry` (an issue, return, destruction or review) cannot follow `history`, if so.

    `history` is the entries before it in seq order. See the module docstring (device GMP
    Art. 43(1), (3)).
    """
    book = CopyBook(entry.document)
    for earlier in history:
        if earlier.document == entry.document:
            book.apply(earlier)
    return book.apply(entry)


def copy_book(entries: Iterable[LedgerEntry], doc_id: str) -> CopyBook:
    """Every issue of `doc_id` recorded in `entries` (ledger order); entries breaking a rule are skipped."""
    book = CopyBook(doc_id)
    for entry in entries:
        if entry.document == doc_id:
            book.apply(entry)
    return book
