"""Questions asked of a list of ledger entries: which releases and withdrawals a document has.

Every helper takes entries in ledger order (as `Ledger.entries()` returns them), keeps that
order and does not check the chain (that is `Ledger.verify`). They read the issue,
replacement and withdrawal records of device GMP Art. 43(1).
"""

from __future__ import annotations

from collections.abc import Iterable

from dossier.control.ledger.entry import Action, LedgerEntry


def document_entries(entries: Iterable[LedgerEntry], doc_id: str) -> list[LedgerEntry]:
    """Every entry (releases and withdrawals) of document `doc_id`, in ledger order."""
    return [e for e in entries if e.document == doc_id]


def releases(entries: Iterable[LedgerEntry], doc_id: str | None = None) -> list[LedgerEntry]:
    """The release entries, in ledger order: of document `doc_id`, or of every document when None.

    Releases are the issue and replacement records of device GMP Art. 43(1); an empty list
    when the document was never released.
    """
    return [e for e in entries if e.action == Action.RELEASE and (doc_id is None or e.document == doc_id)]


def release_of(entries: Iterable[LedgerEntry], doc_id: str, revision: str) -> LedgerEntry | None:
    """The release entry of `doc_id` revision `revision`, or None when it was not released.

    Should the list hold more than one (a ledger that fails `verify`), the first is returned.
    Device GMP Art. 43(1): the issue record of one revision.
    """
    return next(
        (e for e in entries if e.action == Action.RELEASE and e.document == doc_id and e.revision == revision),
        None,
    )


def withdrawals(entries: Iterable[LedgerEntry], doc_id: str | None = None) -> list[LedgerEntry]:
    """The withdrawal (`obsolete`) entries, in ledger order: of `doc_id`, or of all when None.

    Device GMP Art. 43(1): the withdrawal records of obsolete documents.
    """
    return [e for e in entries if e.action == Action.OBSOLETE and (doc_id is None or e.document == doc_id)]


def last_release(entries: Iterable[LedgerEntry], doc_id: str) -> LedgerEntry | None:
    """The latest release entry of `doc_id`, or None when it was never released.

    This is the revision last issued, whether or not the document was withdrawn since (ask
    `withdrawals` for that). Device GMP Art. 43(1).
    """
    found = releases(entries, doc_id)
    return found[-1] if found else None
