"""The ledger file: reading its entries and appending one under an exclusive lock, fsynced.

The file is append-only JSON Lines; each append checks the whole chain first and writes one
canonical line with O_APPEND, so the issue and withdrawal records (device GMP Art. 43(1))
stay a traceable electronic record (Art. 46(2)).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dossier.control.archive import fsync_dir, sha256_bytes
from dossier.control.ledger.chain import analyse, loose_describe, read_lines, rule_problem
from dossier.control.ledger.entry import (
    V1_FIELDS,
    ZERO_HASH,
    Action,
    LedgerEntry,
    action_words,
    canonical_json,
    field_problems,
    required_problems,
)
from dossier.control.ledger.head import write_head
from dossier.control.ledger.queries import document_entries, release_of
from dossier.errors import CheckFailed, UsageError
from dossier.util.actor import TOOL, current_actor

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

    @property
    def head_path(self) -> Path:
        """The head file beside the ledger (`ledger.head`): the last entry's seq and hash, to commit."""
        return self.path.with_suffix(".head")

    def append(
        self,
        *,
        action: Action | str,
        document: str,
        revision: str,
        timestamp: str,
        sign: Callable[[str], str] | None = None,
        **values: Any,
    ) -> LedgerEntry:
        """Record one entry at the end of the file and return it.

        `values` are the action's fields (see ACTION_SPECS: a release needs `inputs_sha256`,
        `outputs`, `approved_by` and `effective_date`; a withdrawal (`obsolete`) a `reason` and
        `effective_date`); `actor` and `tool` default to who runs the command and this version.
        `sign`, when given, turns the entry's hash into its `signature` (base64 detached CMS;
        pass the certificate's fingerprint as `signer`). Refuses (UsageError) bad or missing
        fields, a revision released twice, a withdrawal of a document not in force, and
        (CheckFailed) to extend a ledger that fails `verify`. The line is written with O_APPEND
        under an exclusive lock and fsynced, then the head file is updated (device GMP
        Art. 43(1) records, Art. 46(2) traceability).
        """
        if isinstance(action, Action):
            action = action.value
        fields: dict[str, Any] = {"action": action, "document": document, "revision": revision}
        if action in (Action.RELEASE, Action.OBSOLETE):
            fields.update({name: None for name in V1_FIELDS})  # release and withdrawal keep every field of version 0.1
            fields["outputs"] = {}
        fields.update(values)
        if isinstance(fields.get("outputs"), dict):
            fields["outputs"] = dict(sorted(fields["outputs"].items()))
        fields.setdefault("actor", current_actor(self.path.parent))
        fields.setdefault("tool", TOOL)
        fields = {k: v for k, v in fields.items() if v is not None or k in V1_FIELDS}
        fields["timestamp"] = timestamp
        what = f"cannot record {action_words(action)} {document} revision {revision}"
        problems = (field_problems({**fields, "seq": 1, "prev": ZERO_HASH, "hash": ZERO_HASH})
                    + required_problems(fields))
        if sign is not None and not fields.get("signer"):
            problems.append("signer (the certificate's fingerprint) is required for a signed entry")
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
            digest = sha256_bytes(canonical_json(unsigned))
            signature = {"signature": sign(digest)} if sign is not None else {}
            entry = LedgerEntry(**unsigned, **signature, hash=digest, line=len(lines) + 1)
            _write_all(fd, canonical_json(entry.record()) + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            fsync_dir(self.path.parent)
        write_head(self.head_path, entry)
        return entry


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
