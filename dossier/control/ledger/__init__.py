"""The release ledger: an append-only, hash-chained JSON Lines file in the workspace.

One line per release or withdrawal (device GMP Art. 43(1): issue, replacement and withdrawal
records; Art. 46(2): changes to electronic records stay traceable). Each entry carries the
SHA-256 of the previous entry (`prev`) and its own (`hash`, over the canonical JSON of the
entry without `hash`), so editing, deleting, inserting or reordering entries is detected by
`Ledger.verify`. Removing entries from the end of the file leaves a valid shorter chain;
`verify_workspace` catches that when the release archive still holds their outputs, and the
committed history of the file does otherwise.

Modules, each importing only those above it:

- `entry`: the registry of actions and fields (`ACTION_SPECS`, `FIELDS`), `LedgerEntry`, `Action`,
  the field checks, canonical JSON and hashing;
- `head`: the head file (`ledger.head`) and `--expect-head`: the last entry, to detect a removed tail;
- `copies`: issued copies (issue, return, destruction) and reviews replayed, and their rules;
- `queries`: releases and withdrawals of a list of entries;
- `chain`: reading the file line by line and the chain analysis behind `Ledger.verify`;
- `store`: the `Ledger` file, appending under a lock;
- `archive_check`: `verify_workspace`, the ledger against the release archive.
"""

from dossier.control.ledger.archive_check import verify_workspace
from dossier.control.ledger.entry import ACTION_SPECS, ACTIONS, FIELDS, ZERO_HASH, Action, ActionSpec, FieldRule, LedgerEntry, format_timestamp
from dossier.control.ledger.head import Head, expected_head, parse_head
from dossier.control.ledger.queries import document_entries, last_release, release_of, releases, withdrawals
from dossier.control.ledger.store import DEFAULT_NAME, Ledger

__all__ = [
    "ACTION_SPECS",
    "ACTIONS",
    "FIELDS",
    "ActionSpec",
    "FieldRule",
    "Head",
    "expected_head",
    "parse_head",
    "DEFAULT_NAME",
    "ZERO_HASH",
    "Action",
    "Ledger",
    "LedgerEntry",
    "document_entries",
    "format_timestamp",
    "last_release",
    "release_of",
    "releases",
    "verify_workspace",
    "withdrawals",
]
