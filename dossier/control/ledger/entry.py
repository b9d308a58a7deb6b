"""One ledger entry: its fields, the checks on them, its canonical JSON and its hash.

An entry is one issue or withdrawal record (device GMP Art. 43(1)); its SHA-256 over the
canonical JSON of every other field, together with the hash of the entry before it, is what
keeps changes to the electronic record traceable (Art. 46(2)).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from dossier.control.archive import sha256_bytes
from dossier.util.dates import parse_date


class Action(StrEnum):
    """What an entry records: the release (issue or replacement) or withdrawal of a revision.

    Device GMP Art. 43(1). Members compare and hash equal to the text stored in the file
    (`Action.RELEASE == "release"`), so entries read back keep plain strings.
    """

    RELEASE = "release"
    OBSOLETE = "obsolete"


ACTIONS = tuple(action.value for action in Action)
ZERO_HASH = "0" * 64

ACTION_WORDS = {Action.RELEASE: "release of", Action.OBSOLETE: "withdrawal of"}
_HEX64 = re.compile(r"[0-9a-f]{64}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_OPTIONAL_TEXT = ("prepared_by", "reviewed_by", "approved_by", "reason", "change_summary")
_REQUIRED = {Action.RELEASE: ("inputs_sha256", "outputs", "approved_by"), Action.OBSOLETE: ("reason",)}


@dataclass(frozen=True)
class LedgerEntry:
    """One release or withdrawal as recorded; `line` is its 1-based line in the file.

    `action` is one of ACTIONS (see `Action`); `outputs` maps archive-relative paths to
    SHA-256 hex digests; `timestamp` is UTC ISO 8601 (`format_timestamp`); `prev` is the
    hash of the entry before (ZERO_HASH for entry 1) and `hash` that of this entry (device
    GMP Art. 43(1) issue/withdrawal record, Art. 46(2) traceable electronic record).
    """

    seq: int
    action: str
    document: str
    revision: str
    inputs_sha256: str | None
    outputs: dict[str, str]
    prepared_by: str | None
    reviewed_by: str | None
    approved_by: str | None
    reason: str | None
    change_summary: str | None
    effective_date: str | None
    timestamp: str
    prev: str
    hash: str
    line: int = field(default=0, compare=False)

    def record(self) -> dict[str, Any]:
        """The entry as stored in the file (every field except `line`)."""
        data = asdict(self)
        del data["line"]
        return data

    def computed_hash(self) -> str:
        """SHA-256 of the canonical JSON of the entry without `hash`."""
        data = self.record()
        del data["hash"]
        return sha256_bytes(canonical_json(data))

    def describe(self) -> str:
        """`entry 3 (release of QP-04 revision A)`."""
        return f"entry {self.seq} ({ACTION_WORDS[self.action]} {self.document} revision {self.revision})"


def format_timestamp(moment: datetime) -> str:
    """A timezone-aware datetime as the ledger writes timestamps: `2026-12-01T08:30:00Z`.

    ValueError for a naive datetime. The UTC time of each record keeps the electronic record
    traceable (device GMP Art. 46(2)).
    """
    if moment.tzinfo is None:
        raise ValueError("ledger timestamps need a timezone-aware datetime")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_json(data: dict[str, Any]) -> bytes:
    """UTF-8 JSON with sorted keys, no spaces and non-ASCII kept: one line of the file.

    These bytes are what entry hashes are computed over, so they must never change
    (device GMP Art. 46(2)).
    """
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def field_problems(data: dict[str, Any]) -> list[str]:
    """What is wrong with the fields of one entry (names, types, formats); empty when nothing.

    `data` is one decoded line (or the fields of an entry about to be appended); the
    messages name the field and the rule it breaks. The content of a record under device GMP
    Art. 43(1).
    """
    problems = []
    expected = {f for f in LedgerEntry.__dataclass_fields__ if f != "line"}
    missing = sorted(expected - data.keys())
    extra = sorted(data.keys() - expected)
    if missing:
        problems.append(f"missing field(s) {', '.join(missing)}")
    if extra:
        problems.append(f"unknown field(s) {', '.join(extra)}")
    seq = data.get("seq")
    if "seq" in data and (type(seq) is not int or seq < 1):
        problems.append("seq must be a whole number from 1")
    if "action" in data and data["action"] not in ACTIONS:
        problems.append(f"action must be one of {', '.join(ACTIONS)}")
    for name in ("document", "revision"):
        if name in data and not (isinstance(data[name], str) and data[name].strip()):
            problems.append(f"{name} must be non-empty text")
    for name in _OPTIONAL_TEXT:
        if data.get(name) is not None and not isinstance(data[name], str):
            problems.append(f"{name} must be text")
    if data.get("inputs_sha256") is not None and not _is_hex64(data["inputs_sha256"]):
        problems.append("inputs_sha256 must be 64 lowercase hex digits")
    outputs = data.get("outputs")
    if "outputs" in data and not (
        isinstance(outputs, dict)
        and all(isinstance(k, str) and k and _is_hex64(v) for k, v in outputs.items())
    ):
        problems.append("outputs must map relative paths to 64-hex-digit SHA-256 values")
    if data.get("effective_date") is not None and not _is_date(data["effective_date"]):
        problems.append(f"effective_date {data['effective_date']!r} is not a date (YYYY-MM-DD)")
    if "timestamp" in data and not _is_timestamp(data["timestamp"]):
        problems.append(f"timestamp {data['timestamp']!r} is not UTC ISO 8601 (YYYY-MM-DDTHH:MM:SSZ)")
    for name in ("prev", "hash"):
        if name in data and not _is_hex64(data[name]):
            problems.append(f"{name} must be 64 lowercase hex digits")
    return problems


def required_problems(fields: dict[str, Any]) -> list[str]:
    """Fields an entry of this action cannot do without, one message each.

    A release needs `inputs_sha256`, `outputs` and `approved_by`; a withdrawal needs a
    `reason` (device GMP Art. 43(1)). `fields` must have an `action` key.
    """
    action = fields["action"]
    return [f"{name} is required for a {'withdrawal' if action == Action.OBSOLETE else action}"
            for name in _REQUIRED.get(action, ())
            if not fields[name] or (isinstance(fields[name], str) and not fields[name].strip())]


def _is_hex64(value: Any) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def _is_date(value: Any) -> bool:
    return parse_date(value) is not None


def _is_timestamp(value: Any) -> bool:
    if not isinstance(value, str) or _TIMESTAMP.fullmatch(value) is None:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
