"""The release ledger: an append-only, hash-chained JSON Lines file in the workspace.

One line per release or withdrawal (device GMP Art. 43(1): issue, replacement and withdrawal
records; Art. 46(2): changes to electronic records stay traceable). Each entry carries the
SHA-256 of the previous entry (`prev`) and its own (`hash`, over the canonical JSON of the
entry without `hash`), so editing, deleting, inserting or reordering entries is detected by
`Ledger.verify`. Removing entries from the end of the file leaves a valid shorter chain;
`verify_workspace` catches that when the release archive still holds their outputs, and the
committed history of the file does otherwise.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from bisect import bisect_left
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from dossier.control.archive import RELEASES_DIR, fsync_dir, sha256_bytes, sha256_file
from dossier.errors import CheckFailed, UsageError

DEFAULT_NAME = "ledger.jsonl"
ZERO_HASH = "0" * 64
ACTIONS = ("release", "obsolete")

_HEX64 = re.compile(r"[0-9a-f]{64}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_ACTION_WORDS = {"release": "release of", "obsolete": "withdrawal of"}
_OPTIONAL_TEXT = ("prepared_by", "reviewed_by", "approved_by", "reason", "change_summary")
_REQUIRED = {"release": ("inputs_sha256", "outputs", "approved_by"), "obsolete": ("reason",)}


@dataclass(frozen=True)
class LedgerEntry:
    """One release or withdrawal as recorded; `line` is its 1-based line in the file."""

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
        return sha256_bytes(_canonical(data))

    def describe(self) -> str:
        """`entry 3 (release of QP-04 revision A)`."""
        return f"entry {self.seq} ({_ACTION_WORDS[self.action]} {self.document} revision {self.revision})"


def format_timestamp(moment: datetime) -> str:
    """A timezone-aware datetime as the ledger writes timestamps: `2026-12-01T08:30:00Z`."""
    if moment.tzinfo is None:
        raise ValueError("ledger timestamps need a timezone-aware datetime")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _field_problems(data: dict[str, Any]) -> list[str]:
    """What is wrong with the fields of one entry (names, types, formats)."""
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


def _is_hex64(value: Any) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_timestamp(value: Any) -> bool:
    if not isinstance(value, str) or _TIMESTAMP.fullmatch(value) is None:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _rule_problem(history: list[LedgerEntry], entry: LedgerEntry) -> str | None:
    """Why `entry` cannot follow `history` (same-revision re-release, bad withdrawal), if so."""
    mine = [e for e in history if e.document == entry.document]
    if entry.action == "release":
        for earlier in mine:
            if earlier.action == "release" and earlier.revision == entry.revision:
                return (
                    f"{entry.document} revision {entry.revision} was already released "
                    f"(ledger entry {earlier.seq})"
                )
        return None
    if not any(e.action == "release" for e in mine):
        return f"{entry.document} cannot be withdrawn: it was never released"
    if mine[-1].action == "obsolete":
        return f"{entry.document} is already obsolete (ledger entry {mine[-1].seq})"
    return None


@dataclass
class _Line:
    """One line of the file: the entry, or why it could not be read."""

    number: int
    entry: LedgerEntry | None
    error: str | None
    raw: dict[str, Any] | None
    unterminated: bool = False

    @property
    def intact(self) -> bool:
        """Readable and its stored hash matches its content."""
        return self.entry is not None and self.entry.computed_hash() == self.entry.hash


class _DuplicateKey(ValueError):
    """A JSON object names one key twice (what it shows and what it hashes could differ)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKey(key)
        data[key] = value
    return data


def _parse_line(number: int, raw: bytes) -> _Line:
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        return _Line(number, None, "not UTF-8 text", None)
    except json.JSONDecodeError as exc:
        return _Line(number, None, f"not valid JSON: {exc.msg} (column {exc.colno})", None)
    except _DuplicateKey as exc:
        return _Line(number, None, f"field {exc} appears twice", None)
    if not isinstance(data, dict):
        return _Line(number, None, "not a JSON object", None)
    problems = _field_problems(data)
    if problems:
        return _Line(number, None, "; ".join(problems), data)
    return _Line(number, LedgerEntry(**data, line=number), None, data)


def _read_lines(path: Path) -> list[_Line]:
    """Every line of the ledger file, parsed; a missing file has none."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    if not data:
        return []
    chunks = data.split(b"\n")
    terminated = chunks[-1] == b""
    if terminated:
        chunks.pop()
    lines = [_parse_line(i, chunk) if chunk.strip() else _Line(i, None, "empty line", None)
             for i, chunk in enumerate(chunks, start=1)]
    if not terminated:
        lines[-1].unterminated = True
    return lines


def _loose_describe(line: _Line) -> str:
    """Describe a line that could not be read, with whatever identification it still has."""
    raw = line.raw or {}
    parts = [_ACTION_WORDS[raw["action"]]] if raw.get("action") in ACTIONS else []
    if isinstance(raw.get("document"), str):
        parts.append(raw["document"])
    if isinstance(raw.get("revision"), str):
        parts.append(f"revision {raw['revision']}")
    seq = raw.get("seq")
    label = f"entry {seq}" if type(seq) is int else "entry"
    return f"{label} ({' '.join(parts)})" if parts else label


def _longest_increasing(lines: list[_Line]) -> set[int]:
    """Line numbers of a longest run of entries (in file order) with strictly rising seq."""
    tails: list[int] = []
    tail_index: list[int] = []
    parent: list[int] = []
    for i, line in enumerate(lines):
        seq = line.entry.seq
        pos = bisect_left(tails, seq)
        if pos == len(tails):
            tails.append(seq)
            tail_index.append(i)
        else:
            tails[pos] = seq
            tail_index[pos] = i
        parent.append(tail_index[pos - 1] if pos else -1)
    keep = set()
    i = tail_index[-1] if tail_index else -1
    while i >= 0:
        keep.add(lines[i].number)
        i = parent[i]
    return keep


class _ChainCheck:
    """Finds every way a ledger departs from an intact chain, one problem per tampering.

    Unreadable and edited lines are reported and then set aside; of two entries with one seq
    the one the next entry chains to is genuine; entries outside the longest run of rising
    seqs are out of order; seq gaps not filled by a set-aside line are deletions; the rest
    must chain to their predecessor and keep the release rules.
    """

    def __init__(self, lines: list[_Line]):
        self.found: list[tuple[int, str]] = []
        self.opaque: list[int] = []
        self.by_seq: dict[int, _Line] = {}
        self.unique: list[_Line] = []
        self.suspects: set[int] = set()
        self._unreadable(lines)
        self._twins([line for line in lines if line.intact])
        self._order()
        self._missing()
        self._links()
        self._rules()

    def problems(self) -> list[tuple[int, str]]:
        """(line number, problem) in file order."""
        return sorted(self.found)

    def _add(self, line: _Line, message: str) -> None:
        self.found.append((line.number, f"{line.entry.describe()} {message}" if line.entry else message))

    def _unreadable(self, lines: list[_Line]) -> None:
        for line in lines:
            if line.entry is None:
                cut = " (cut short: no newline at the end of the file)" if line.unterminated else ""
                self._add(line, f"malformed {_loose_describe(line)}{cut}: {line.error}")
                self.opaque.append(line.number)
            elif not line.intact:
                self._add(line, "was edited: its content no longer matches its hash")
                self.opaque.append(line.number)
            elif line.unterminated:
                self._add(line, "has no newline at the end of the file (cut-short write?)")

    def _twins(self, good: list[_Line]) -> None:
        chained_to = {line.entry.prev for line in good}
        groups: dict[int, list[_Line]] = {}
        for line in good:
            groups.setdefault(line.entry.seq, []).append(line)
        self.by_seq = {seq: max(group, key=lambda o: (o.entry.hash in chained_to, -o.number))
                       for seq, group in groups.items()}
        for line in good:
            genuine = self.by_seq[line.entry.seq]
            if line is genuine:
                self.unique.append(line)
            else:
                self._add(line, f"was inserted: entry {line.entry.seq} is already at line {genuine.number}")

    def _order(self) -> None:
        in_order = _longest_increasing(self.unique)
        previous: _Line | None = None
        for line in self.unique:
            if line.number not in in_order:
                pred = self.by_seq.get(line.entry.seq - 1)
                if self._chains(line, pred):
                    where = f"after line {pred.number} (entry {pred.entry.seq})" if pred else "first"
                    self._add(line, f"is out of order: it belongs {where}; entries were reordered")
                else:
                    self.suspects.add(line.number)
                    where = f"after line {previous.number} (entry {previous.entry.seq})" if previous else "first"
                    self._add(line, f"is out of order: it comes {where}; it was inserted or entries were reordered")
            previous = line

    @staticmethod
    def _chains(line: _Line, pred: _Line | None) -> bool:
        """Whether `line` links to `pred` (or starts the chain when it is entry 1)."""
        if line.entry.seq == 1:
            return line.entry.prev == ZERO_HASH
        return pred is not None and line.entry.prev == pred.entry.hash

    def _missing(self) -> None:
        trusted = [ln.entry.seq for ln in self.unique if ln.number not in self.suspects]
        if not trusted:
            return
        absent = sorted(set(range(1, max(trusted) + 1)) - set(self.by_seq))
        runs: list[list[int]] = []
        for seq in absent:
            if runs and runs[-1][-1] == seq - 1:
                runs[-1].append(seq)
            else:
                runs.append([seq])
        for run in runs:
            self._missing_run(run)

    def _missing_run(self, run: list[int]) -> None:
        """Report one run of absent seqs, less those an unreadable or edited line stands for."""
        before = self.by_seq.get(run[0] - 1)
        after = self.by_seq[run[-1] + 1]
        low, high = sorted((before.number if before else 0, after.number))
        standing = [n for n in self.opaque if low < n < high][: len(run)]
        for n in standing:
            self.opaque.remove(n)
        count = len(run) - len(standing)
        if not count:
            return
        if standing:
            what = f"{count} of entries {run[0]}–{run[-1]} are missing"
        elif len(run) == 1:
            what = f"entry {run[0]} is missing"
        else:
            what = f"entries {run[0]}–{run[-1]} are missing"
        where = f"between line {before.number} (entry {before.entry.seq}) and" if before else "before"
        self.found.append((after.number, f"{what} (deleted) {where} line {after.number}: {after.entry.describe()}"))

    def _links(self) -> None:
        for line in self.unique:
            if line.number in self.suspects:
                continue
            if line.entry.seq == 1:
                if not self._chains(line, None):
                    self._add(line, "is first but its prev is not 64 zeros")
                continue
            pred = self.by_seq.get(line.entry.seq - 1)
            if pred is not None and pred.number not in self.suspects and not self._chains(line, pred):
                self._add(line, f"does not chain to entry {pred.entry.seq} (line {pred.number}): "
                                "one of them was edited and re-hashed, or replaced")

    def _rules(self) -> None:
        history: list[LedgerEntry] = []
        trusted = [ln for ln in self.unique if ln.number not in self.suspects]
        for line in sorted(trusted, key=lambda ln: ln.entry.seq):
            problem = _rule_problem(history, line.entry)
            if problem:
                self._add(line, f"breaks a release rule: {problem}")
            history.append(line.entry)


def _analyse(lines: list[_Line]) -> list[tuple[int, str]]:
    """(line number, problem) for every way the ledger departs from an intact chain."""
    return _ChainCheck(lines).problems()


class Ledger:
    """The ledger file at `path`; `display` is how messages name it (default: the file name)."""

    def __init__(self, path: Path, display: str | None = None):
        self.path = Path(path)
        self.display = display or self.path.name

    def entries(self) -> list[LedgerEntry]:
        """Every entry in file order; CheckFailed when a line cannot be read at all.

        Entries are returned as written: whether the chain holds is `verify`'s question.
        """
        lines = _read_lines(self.path)
        broken = [ln for ln in lines if ln.entry is None]
        if broken:
            raise CheckFailed([
                f"{self.display} line {ln.number}: malformed {_loose_describe(ln)}: {ln.error} "
                "(run `dossier verify` for the whole chain)"
                for ln in broken
            ])
        return [ln.entry for ln in lines]

    def for_document(self, doc_id: str) -> list[LedgerEntry]:
        """The entries of one document, in ledger order."""
        return [e for e in self.entries() if e.document == doc_id]

    def released(self, doc_id: str, rev: str) -> LedgerEntry | None:
        """The release entry of `doc_id` revision `rev`, or None when it was not released."""
        for entry in self.entries():
            if entry.action == "release" and entry.document == doc_id and entry.revision == rev:
                return entry
        return None

    def verify(self) -> list[str]:
        """One line per problem in the chain, naming line, entry, document and revision."""
        return [f"{self.display} line {n}: {message}" for n, message in _analyse(_read_lines(self.path))]

    def append(
        self,
        *,
        action: str,
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
        The line is written with O_APPEND under an exclusive lock and fsynced.
        """
        fields: dict[str, Any] = {
            "action": action, "document": document, "revision": revision,
            "inputs_sha256": inputs_sha256, "outputs": dict(sorted((outputs or {}).items())),
            "prepared_by": prepared_by, "reviewed_by": reviewed_by, "approved_by": approved_by,
            "reason": reason, "change_summary": change_summary,
            "effective_date": effective_date, "timestamp": timestamp,
        }
        what = f"cannot record {_ACTION_WORDS.get(action, action)} {document} revision {revision}"
        problems = _field_problems({**fields, "seq": 1, "prev": ZERO_HASH, "hash": ZERO_HASH}) + _required(fields)
        if problems:
            raise UsageError(f"{what}: {'; '.join(problems)}")
        created = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            lines = _read_lines(self.path)
            broken = [f"{self.display} line {n}: {m}" for n, m in _analyse(lines)]
            if broken:
                raise CheckFailed([f"{what}: {self.display} fails verification:", *broken])
            history = [ln.entry for ln in lines]
            last = history[-1] if history else None
            unsigned = {**fields, "seq": last.seq + 1 if last else 1, "prev": last.hash if last else ZERO_HASH}
            problem = _rule_problem(history, LedgerEntry(**unsigned, hash=ZERO_HASH))
            if problem:
                raise UsageError(problem)
            entry = LedgerEntry(**unsigned, hash=sha256_bytes(_canonical(unsigned)), line=len(lines) + 1)
            _write_all(fd, _canonical(entry.record()) + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            fsync_dir(self.path.parent)
        return entry


def _required(fields: dict[str, Any]) -> list[str]:
    """Fields an entry of this action cannot do without."""
    action = fields["action"]
    return [f"{name} is required for a {'withdrawal' if action == 'obsolete' else action}"
            for name in _REQUIRED.get(action, ())
            if not fields[name] or (isinstance(fields[name], str) and not fields[name].strip())]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def verify_workspace(root: Path, ledger_name: str = DEFAULT_NAME, releases: str = RELEASES_DIR) -> list[str]:
    """Check a workspace: the ledger's chain, and every archived output against its entry.

    One line per problem: chain problems (see `Ledger.verify`), recorded outputs that are
    missing or whose SHA-256 changed, and archived files no ledger entry records (a sign
    that entries were removed from the end of the ledger). `ledger_name` and `releases` are
    relative to `root`.
    """
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"{root}: not a workspace folder")
    lines = _read_lines(root / ledger_name)
    found = [f"{ledger_name} line {n}: {m}" for n, m in _analyse(lines)]
    archive = PurePosixPath(releases)
    recorded: set[str] = set()
    for line in lines:
        entry = line.entry
        if entry is None or entry.action != "release":
            continue
        for rel, digest in entry.outputs.items():
            path = PurePosixPath(rel)
            if path.is_absolute() or ".." in path.parts or path.parts[:len(archive.parts)] != archive.parts:
                found.append(f"{ledger_name} line {line.number}: {entry.describe()} records an output "
                             f"outside {archive}/: {rel}")
                continue
            recorded.add(path.as_posix())
            target = root / path
            if not target.is_file():
                found.append(f"{rel}: missing (recorded in ledger entry {entry.seq})")
            elif sha256_file(target) != digest:
                found.append(f"{rel}: SHA-256 differs from ledger entry {entry.seq}")
    found.extend(_unrecorded(root / archive, root, recorded, ledger_name))
    return found


def _unrecorded(archive: Path, root: Path, recorded: set[str], ledger_name: str) -> list[str]:
    """Files under `archive` no entry records; a folder with no recorded file is named once."""
    if not archive.is_dir():
        return []
    stray: dict[str, list[str]] = {}
    for path in sorted(archive.rglob("*")):
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(archive).parts):
            continue
        rel = path.relative_to(root)
        stray.setdefault(rel.parent.as_posix(), []).append(rel.as_posix())
    found = []
    for folder, files in stray.items():
        if not any(r.startswith(folder + "/") for r in recorded):
            found.append(f"{folder}: archived, but no entry in {ledger_name} records it (entry removed?)")
            continue
        found.extend(f"{f}: archived, but not recorded in {ledger_name}" for f in files if f not in recorded)
    return found
