"""The hash chain: reading the ledger file line by line and finding every way it was tampered with.

Each entry chains to the one before by its `prev` hash, so editing, deleting, inserting or
reordering entries is detected (device GMP Art. 46(2): changes to electronic records stay
traceable); the release rules (no revision released twice, no withdrawal of a document not
in force) keep the issue and withdrawal records consistent (Art. 43(1)).
"""

from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.control.ledger.copies import COPY_ACTIONS, copy_rule_problem
from dossier.control.ledger.entry import ACTION_SPECS, ZERO_HASH, Action, LedgerEntry, action_words, field_problems
from dossier.control.ledger.queries import document_entries, release_of, releases


def rule_problem(history: list[LedgerEntry], entry: LedgerEntry) -> str | None:
    """Why `entry` cannot follow `history` (same-revision re-release, bad withdrawal), if so.

    `history` is the entries before it, in seq order. A revision is released once; only a
    document that was released and is not already obsolete can be withdrawn (device GMP
    Art. 43(1)); issued copies and reviews keep the rules of `copies`. None when the entry may follow.
    """
    mine = [e for e in document_entries(history, entry.document) if e.action in (Action.RELEASE, Action.OBSOLETE)]
    if entry.action == Action.RELEASE:
        earlier = release_of(mine, entry.document, entry.revision)
        if earlier is not None:
            return (
                f"{entry.document} revision {entry.revision} was already released "
                f"(ledger entry {earlier.seq})"
            )
        return None
    if entry.action in (*COPY_ACTIONS, Action.REVIEW):
        return copy_rule_problem(history, entry)
    if entry.action != Action.OBSOLETE:
        return None  # other actions bring their own rules
    if not releases(mine):
        return f"{entry.document} cannot be withdrawn: it was never released"
    if mine[-1].action == Action.OBSOLETE:
        return f"{entry.document} is already obsolete (ledger entry {mine[-1].seq})"
    return None


@dataclass
class Line:
    """One line of the file: the entry, or why it could not be read.

    `number` is 1-based; `entry` is None when the line is unreadable, and `error` then says
    why; `raw` is the decoded JSON object when there was one; `unterminated` marks a last line
    without its newline (a cut-short write).
    """

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


def _parse_line(number: int, raw: bytes) -> Line:
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        return Line(number, None, "not UTF-8 text", None)
    except json.JSONDecodeError as exc:
        return Line(number, None, f"not valid JSON: {exc.msg} (column {exc.colno})", None)
    except _DuplicateKey as exc:
        return Line(number, None, f"field {exc} appears twice", None)
    if not isinstance(data, dict):
        return Line(number, None, "not a JSON object", None)
    problems = field_problems(data)
    if problems:
        return Line(number, None, "; ".join(problems), data)
    return Line(number, LedgerEntry.from_record(data, line=number), None, data)


def read_lines(path: Path) -> list[Line]:
    """Every line of the ledger file at `path`, parsed, in file order; a missing file has none.

    Never raises for bad content: an unreadable line is a `Line` with an `error` (OSError
    other than a missing file passes through). What `verify` and `append` start from.
    """
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
    lines = [_parse_line(i, chunk) if chunk.strip() else Line(i, None, "empty line", None)
             for i, chunk in enumerate(chunks, start=1)]
    if not terminated:
        lines[-1].unterminated = True
    return lines


def loose_describe(line: Line) -> str:
    """Describe a line that could not be read, with whatever identification it still has."""
    raw = line.raw or {}
    parts = [action_words(raw["action"])] if raw.get("action") in ACTION_SPECS else []
    if isinstance(raw.get("document"), str):
        parts.append(raw["document"])
    if isinstance(raw.get("revision"), str):
        parts.append(f"revision {raw['revision']}")
    seq = raw.get("seq")
    label = f"entry {seq}" if type(seq) is int else "entry"
    return f"{label} ({' '.join(parts)})" if parts else label


def _longest_increasing(lines: list[Line]) -> set[int]:
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

    def __init__(self, lines: list[Line]):
        self.found: list[tuple[int, str]] = []
        self.opaque: list[int] = []
        self.by_seq: dict[int, Line] = {}
        self.unique: list[Line] = []
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

    def _add(self, line: Line, message: str) -> None:
        self.found.append((line.number, f"{line.entry.describe()} {message}" if line.entry else message))

    def _unreadable(self, lines: list[Line]) -> None:
        for line in lines:
            if line.entry is None:
                cut = " (cut short: no newline at the end of the file)" if line.unterminated else ""
                self._add(line, f"malformed {loose_describe(line)}{cut}: {line.error}")
                self.opaque.append(line.number)
            elif not line.intact:
                self._add(line, "was edited: its content no longer matches its hash")
                self.opaque.append(line.number)
            elif line.unterminated:
                self._add(line, "has no newline at the end of the file (cut-short write?)")

    def _twins(self, good: list[Line]) -> None:
        chained_to = {line.entry.prev for line in good}
        groups: dict[int, list[Line]] = {}
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
        previous: Line | None = None
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
    def _chains(line: Line, pred: Line | None) -> bool:
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
            problem = rule_problem(history, line.entry)
            if problem:
                kind = "copy" if line.entry.action in COPY_ACTIONS else "review" if line.entry.action == Action.REVIEW else "release"
                self._add(line, f"breaks a {kind} rule: {problem}")
            history.append(line.entry)


def analyse(lines: list[Line]) -> list[tuple[int, str]]:
    """(line number, problem) for every way the ledger departs from an intact chain.

    In file order, one problem per tampering: unreadable or edited lines, inserted,
    reordered or deleted entries, broken links and broken release rules (device GMP
    Art. 46(2) traceability, Art. 43(1) records). Empty for an intact ledger.
    """
    return _ChainCheck(lines).problems()
