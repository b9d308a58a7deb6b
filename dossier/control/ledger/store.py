"""The ledger file: reading its entries and appending one under an exclusive lock, fsynced.

The file is append-only JSON Lines; each append checks the whole chain first and writes one
canonical line with O_APPEND, so the issue and withdrawal records (device GMP Art. 43(1))
stay a traceable electronic record (Art. 46(2)).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

from dossier.control.archive import fsync_dir, sha256_bytes
from dossier.control.ledger.chain import analyse, loose_describe, read_lines, rule_problem
from dossier.control.ledger.entry import (
    ACTION_WORDS,
    ZERO_HASH,
    Action,
    LedgerEntry,
    canonical_json,
    field_problems,
    required_problems,
)
from dossier.control.ledger.queries import document_entries, release_of
from dossier.errors import CheckFailed, UsageError

DEFAULT_NAME = "ledger.jsonl"


class Ledger:
    """The ledger file at `path`; `display` is how messages name it (default: the file name).

    Device GMP Art. 43(1) issue, replacement and withdrawal records, kept as a hash-chained
    electronic record whose changes stay traceable (Art. 46(2)).
    """

    def __init__(self, path: Path, display: str | None = None):
        self.path = Path(path)
        self.display = display or self.path.name

    def entries(self) -> list[LedgerEntry]:
        """Every entry in file order; CheckFailed when a line cannot be read at all.

        Entries are returned as written: whether the chain holds is `verify`'s question.
        """
        lines = read_lines(self.path)
        broken = [ln for ln in lines if ln.entry is None]
        if broken:
            raise CheckFailed([
                f"{self.display} line {ln.number}: malformed {loose_describe(ln)}: {ln.error} "
                "(run `dossier verify` for the whole chain)"
                for ln in broken
            ])
        return [ln.entry for ln in lines]

    def for_document(self, doc_id: str) -> list[LedgerEntry]:
        """The entries of one document, in ledger order; CheckFailed as `entries`."""
        return document_entries(self.entries(), doc_id)

    def released(self, doc_id: str, rev: str) -> LedgerEntry | None:
        """The release entry of `doc_id` revision `rev`, or None when it was not released.

        CheckFailed as `entries`. See `release_of`.
        """
        return release_of(self.entries(), doc_id, rev)

    def verify(self) -> list[str]:
        """One line per problem in the chain, naming line, entry, document and revision.

        Empty when the chain is intact (device GMP Art. 46(2)); never raises for bad content.
        """
        return [f"{self.display} line {n}: {message}" for n, message in analyse(read_lines(self.path))]

    def append(
        self,
        *,
        action: Action | str,
        document: str,
        revision: str,
        timestamp: str,
        effective_date: str,
        inputs_sha256: str | None = None,
        outputs: dict[str, str] | None = None,
        prepared_by: str | None = None,
        reviewed_by: str | None = None,
        approved_by: str | None = None,
        reason: str | None = None,
        change_summary: str | None = None,
    ) -> LedgerEntry:
        """Record one release or withdrawal at the end of the file and return it.

        A release needs `inputs_sha256`, `outputs` and `approved_by`; a withdrawal (`obsolete`)
        needs a `reason`. Refuses (UsageError) to release a revision twice, to withdraw a
        document that is not in force, and (CheckFailed) to extend a ledger that fails `verify`.
        The line is written with O_APPEND under an exclusive lock and fsynced (device GMP
        Art. 43(1) records, Art. 46(2) traceability).
        """
        if isinstance(action, Action):
            action = action.value
        fields: dict[str, Any] = {
            "action": action, "document": document, "revision": revision,
            "inputs_sha256": inputs_sha256, "outputs": dict(sorted((outputs or {}).items())),
            "prepared_by": prepared_by, "reviewed_by": reviewed_by, "approved_by": approved_by,
            "reason": reason, "change_summary": change_summary,
            "effective_date": effective_date, "timestamp": timestamp,
        }
        what = f"cannot record {ACTION_WORDS.get(action, action)} {document} revision {revision}"
        problems = (field_problems({**fields, "seq": 1, "prev": ZERO_HASH, "hash": ZERO_HASH})
                    + required_problems(fields))
        if problems:
            raise UsageError(f"{what}: {'; '.join(problems)}")
        created = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            lines = read_lines(self.path)
            broken = [f"{self.display} line {n}: {m}" for n, m in analyse(lines)]
            if broken:
                raise CheckFailed([f"{what}: {self.display} fails verification:", *broken])
            history = [ln.entry for ln in lines]
            last = history[-1] if history else None
            unsigned = {**fields, "seq": last.seq + 1 if last else 1, "prev": last.hash if last else ZERO_HASH}
            problem = rule_problem(history, LedgerEntry(**unsigned, hash=ZERO_HASH))
            if problem:
                raise UsageError(problem)
            entry = LedgerEntry(**unsigned, hash=sha256_bytes(canonical_json(unsigned)), line=len(lines) + 1)
            _write_all(fd, canonical_json(entry.record()) + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            fsync_dir(self.path.parent)
        return entry


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
