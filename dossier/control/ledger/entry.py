"""One ledger entry: the registry of actions and fields, the checks on them, canonical JSON, hashing.

An entry is one issue, replacement or withdrawal record (device GMP Art. 43(1)); its SHA-256 over
the canonical JSON of its fields, together with the hash of the entry before it, keeps changes to
the electronic record traceable (Art. 46(2)).

The registry (data, not code):

- `FIELDS`: every field an entry may carry besides the core ones (`CORE`: seq, action, document,
  revision, timestamp, prev, hash), with the rule its value must meet. Optional fields may be
  absent or null.
- `ACTION_SPECS`: every action, how messages name it, and which fields it requires and which it
  may carry. `PROVENANCE` fields (who and what wrote the entry, its signature) may be on any
  entry. A new action is one row here (plus its rules in `chain.rule_problem`, if any); a new
  field is one row of `FIELDS`.

Entries written by earlier versions have no `actor`, `tool`, `signer` or `signature`: they are
optional, so those entries still verify (their hash is over exactly the fields they carry).
`signature` (a detached CMS signature over the entry's `hash`) is the one field not covered by
the hash; `signer` (the SHA-256 fingerprint of the signing certificate) is covered, so stripping
a signature from an entry that names its signer is detected.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from dossier.control.archive import sha256_bytes
from dossier.util.dates import parse_date

ZERO_HASH = "0" * 64
CORE = ("seq", "action", "document", "revision", "timestamp", "prev", "hash")
UNHASHED = ("hash", "signature")  # the hash is over every other field; the signature is over the hash
_HEX64 = re.compile(r"[0-9a-f]{64}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")


def _is_hex64(value: Any) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


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


def _is_hash_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and k and _is_hex64(v) for k, v in value.items())


def _is_base64(value: Any) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


@dataclass(frozen=True)
class FieldRule:
    """What the value of one field must be: `check(value)` holds, else `expected` is the message."""

    check: Callable[[Any], bool]
    expected: str
    meaning: str


_TEXT = ("must be text",)
FIELDS: dict[str, FieldRule] = {
    "inputs_sha256": FieldRule(_is_hex64, "must be 64 lowercase hex digits", "SHA-256 over everything the revision is rendered from"),
    "inputs": FieldRule(_is_hash_map, "must map input names to 64-hex-digit SHA-256 values",
                        "SHA-256 of each input (document fields, body, images, template, company)"),
    "outputs": FieldRule(_is_hash_map, "must map relative paths to 64-hex-digit SHA-256 values", "archived file → SHA-256"),
    "prepared_by": FieldRule(_is_text, *_TEXT, "编制: who prepared the revision"),
    "reviewed_by": FieldRule(_is_text, *_TEXT, "审核: who reviewed it"),
    "approved_by": FieldRule(_is_text, *_TEXT, "批准: who approved the release or the withdrawal"),
    "approved_on": FieldRule(_is_date, "is not a date (YYYY-MM-DD)",
                             "批准日期: the day the release was approved (approved_by.date of the YAML); absent in "
                             "entries of earlier versions, whose approval day is the day of their timestamp"),
    "reason": FieldRule(_is_text, *_TEXT, "修订原因 / reason for the withdrawal"),
    "change_summary": FieldRule(_is_text, *_TEXT, "修订内容: what the revision changes"),
    "effective_date": FieldRule(_is_date, "is not a date (YYYY-MM-DD)", "the day the entry takes effect"),
    "actor": FieldRule(_is_text, *_TEXT, "who ran the command (DOSSIER_ACTOR, the CI's user, or the OS/git user)"),
    "tool": FieldRule(_is_text, *_TEXT, "the program and version that wrote the entry (`dossier 0.1.0`)"),
    "signer": FieldRule(_is_hex64, "must be 64 lowercase hex digits (the certificate's SHA-256 fingerprint)",
                        "SHA-256 fingerprint of the certificate that signs the entry"),
    "signature": FieldRule(_is_base64, "must be base64 text (a DER CMS SignedData)",
                           "detached CMS signature over the entry's hash (not itself hashed)"),
}
PROVENANCE = ("actor", "tool", "signer", "signature")


@dataclass(frozen=True)
class ActionSpec:
    """One kind of entry: how messages name it and which fields it requires or may carry.

    `words` reads before a document (`release of QP-04 revision A`); `noun` names the record
    (`a withdrawal`); `required` fields must be present (and non-empty when appended);
    `optional` fields may be absent or null; `signed` says whether `require_signed_releases`
    demands a signature on it.
    """

    words: str
    noun: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    signed: bool = True

    @property
    def allowed(self) -> tuple[str, ...]:
        """Every field besides CORE an entry of this action may carry."""
        return (*self.required, *self.optional, *PROVENANCE)


# Device GMP Art. 43(1): release (issue or replacement) and withdrawal records.
ACTION_SPECS: dict[str, ActionSpec] = {
    "release": ActionSpec(
        words="release of", noun="release",
        required=("inputs_sha256", "outputs", "approved_by", "effective_date"),
        optional=("inputs", "prepared_by", "reviewed_by", "reason", "change_summary", "approved_on")),
    "obsolete": ActionSpec(
        words="withdrawal of", noun="withdrawal",
        required=("reason", "effective_date"),
        optional=("inputs_sha256", "outputs", "prepared_by", "reviewed_by", "approved_by", "change_summary")),
}
# Issued copies and periodic review (device GMP Art. 43(1) distribution, replacement and destruction
# records, 43(3) the right text in use; periodic review): rules in `copies`, the model in dossier/control/copies.py.
REVIEW_RESULTS = ("continue", "revise", "withdraw")  # 继续有效, 需修订, 应作废
FIELDS.update({
    "copy": FieldRule(lambda v: type(v) is int and v >= 1, "must be a whole number from 1",
                      "发放号: the number of an issued copy, kept by its holder across revisions"),
    "holder": FieldRule(_is_text, *_TEXT, "领用人: who holds the issued copy"),
    "department": FieldRule(_is_text, *_TEXT, "部门: the holder's department"),
    "performed_by": FieldRule(_is_text, *_TEXT, "who issued, collected, destroyed or reviewed (发放人, 回收人, 销毁人, 评审人)"),
    "witness": FieldRule(_is_text, *_TEXT, "监销人: who witnessed the destruction"),
    "result": FieldRule(lambda v: v in REVIEW_RESULTS, f"must be one of {', '.join(REVIEW_RESULTS)}",
                        "评审结论 of a periodic review: continue (继续有效), revise (需修订), withdraw (应作废)"),
    "note": FieldRule(_is_text, *_TEXT, "remarks recorded with a periodic review"),
})
ACTION_SPECS.update({
    "issue": ActionSpec(words="issue of a copy of", noun="copy issue", signed=False,
                        required=("copy", "holder", "performed_by", "effective_date"), optional=("department",)),
    "recall": ActionSpec(words="return of a copy of", noun="copy return", signed=False,
                         required=("copy", "performed_by", "effective_date"), optional=("reason",)),
    "destroy": ActionSpec(words="destruction of a copy of", noun="copy destruction", signed=False,
                          required=("copy", "performed_by", "effective_date"), optional=("witness", "reason")),
    "review": ActionSpec(words="periodic review of", noun="periodic review", signed=False,
                         required=("result", "performed_by", "effective_date"), optional=("note",)),
})
# the fields every entry written by version 0.1 carried, null when unused: release and withdrawal keep them
V1_FIELDS = ("inputs_sha256", "outputs", "prepared_by", "reviewed_by", "approved_by", "reason", "change_summary",
             "effective_date")

# Members compare and hash equal to the text stored in the file (`Action.RELEASE == "release"`).
Action = StrEnum("Action", {name.upper(): name for name in ACTION_SPECS})
Action.__doc__ = "What an entry records: one member per row of ACTION_SPECS (device GMP Art. 43(1))."
ACTIONS = tuple(ACTION_SPECS)  # the actions of this version as shipped (the registry may grow)


def action_words(action: str) -> str:
    """How messages name an entry of `action` before its document: `release of`, `withdrawal of`."""
    spec = ACTION_SPECS.get(action)
    return spec.words if spec else f"{action} of"


class LedgerEntry:
    """One entry as recorded; `line` is its 1-based line in the file (0 when not read from one).

    The CORE fields are attributes; every other field (see FIELDS) is read as an attribute too
    (`entry.approved_by`), None when the entry does not carry it (`outputs`: an empty mapping).
    `timestamp` is UTC ISO 8601 (`format_timestamp`); `prev` is the hash of the entry before
    (ZERO_HASH for entry 1) and `hash` that of this entry. Immutable and comparable by content.
    """

    __slots__ = (*CORE, "fields", "line")

    def __init__(self, *, seq: int, action: str, document: str, revision: str, timestamp: str, prev: str,
                 hash: str, line: int = 0, **fields: Any) -> None:  # noqa: A002 (the stored field's name)
        for name, value in (("seq", seq), ("action", action), ("document", document), ("revision", revision),
                            ("timestamp", timestamp), ("prev", prev), ("hash", hash), ("line", line)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "fields", dict(fields))

    @classmethod
    def from_record(cls, data: Mapping[str, Any], line: int = 0) -> LedgerEntry:
        """The entry of one decoded line (`record()` of it gives `data` back)."""
        return cls(**data, line=line)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"ledger entries cannot be changed ({name})")

    def __getattr__(self, name: str) -> Any:
        if name in FIELDS:
            value = self.fields.get(name)
            return {} if name == "outputs" and value is None else value
        raise AttributeError(name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LedgerEntry) and self.record() == other.record()

    def __hash__(self) -> int:
        return hash((self.seq, self.hash))

    def __repr__(self) -> str:
        return f"LedgerEntry({self.record()!r}, line={self.line})"

    def get(self, name: str, default: Any = None) -> Any:
        """The value of any field, `default` when the entry does not carry it."""
        if name in CORE:
            return getattr(self, name)
        return self.fields.get(name, default)

    @property
    def spec(self) -> ActionSpec | None:
        """The registry row of this entry's action (None for an action this version does not know)."""
        return ACTION_SPECS.get(self.action)

    def record(self) -> dict[str, Any]:
        """The entry as stored in the file (every field; `line` is not stored)."""
        return {**{name: getattr(self, name) for name in CORE}, **self.fields}

    def hashed_record(self) -> dict[str, Any]:
        """What the entry's hash is computed over: the record without `hash` and `signature`."""
        return {k: v for k, v in self.record().items() if k not in UNHASHED}

    def computed_hash(self) -> str:
        """SHA-256 of the canonical JSON of the entry without `hash` (and `signature`)."""
        return sha256_bytes(canonical_json(self.hashed_record()))

    def describe(self) -> str:
        """`entry 3 (release of QP-04 revision A)`."""
        return f"entry {self.seq} ({action_words(self.action)} {self.document} revision {self.revision})"


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

    `data` is one decoded line (or the fields of an entry about to be appended); the messages
    name the field and the rule it breaks: CORE fields and the action's required fields must be
    present, no field outside the action's row of ACTION_SPECS may appear, and every value must
    meet its FIELDS rule (optional ones may be null). Device GMP Art. 43(1) record content.
    """
    problems = []
    action = data.get("action")
    spec = ACTION_SPECS.get(action) if isinstance(action, str) else None
    expected = {*CORE, *(spec.required if spec else ())}
    allowed = {*CORE, *(spec.allowed if spec else FIELDS)}
    missing = sorted(expected - data.keys())
    extra = sorted(data.keys() - allowed)
    if missing:
        problems.append(f"missing field(s) {', '.join(missing)}")
    if extra:
        problems.append(f"unknown field(s) {', '.join(extra)}")
    seq = data.get("seq")
    if "seq" in data and (type(seq) is not int or seq < 1):
        problems.append("seq must be a whole number from 1")
    if "action" in data and spec is None:
        problems.append(f"action must be one of {', '.join(ACTION_SPECS)}")
    for name in ("document", "revision"):
        if name in data and not (isinstance(data[name], str) and data[name].strip()):
            problems.append(f"{name} must be non-empty text")
    for name, rule in FIELDS.items():
        value = data.get(name)
        if value is None or rule.check(value):
            continue
        if rule.check is _is_date:
            problems.append(f"{name} {value!r} {rule.expected}")
        else:
            problems.append(f"{name} {rule.expected}")
    if "timestamp" in data and not _is_timestamp(data["timestamp"]):
        problems.append(f"timestamp {data['timestamp']!r} is not UTC ISO 8601 (YYYY-MM-DDTHH:MM:SSZ)")
    for name in ("prev", "hash"):
        if name in data and not _is_hex64(data[name]):
            problems.append(f"{name} must be 64 lowercase hex digits")
    return problems


def required_problems(fields: dict[str, Any]) -> list[str]:
    """Required fields of the entry's action that are missing or empty, one message each.

    A release needs `inputs_sha256`, `outputs`, `approved_by` and `effective_date`; a withdrawal
    a `reason` and `effective_date` (device GMP Art. 43(1)); see ACTION_SPECS. `fields` must have
    an `action` key.
    """
    spec = ACTION_SPECS.get(fields["action"])
    if spec is None:
        return []
    return [f"{name} is required for a {spec.noun}" for name in spec.required
            if not fields.get(name) or (isinstance(fields[name], str) and not fields[name].strip())]
