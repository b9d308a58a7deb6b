"""The ledger's head file (`ledger.head` beside `ledger.jsonl`): the seq and hash of its last entry.

Removing entries from the end of the ledger leaves a valid shorter chain. The head file, committed
with the ledger, names the last entry; `verify` fails when the ledger no longer holds it (device
GMP Art. 46(2): changes to electronic records stay traceable). A head given on the command line
(`verify --expect-head HASH`) or the head file of the last commit is checked the same way.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from dossier.control.ledger.entry import LedgerEntry
from dossier.util.atomic import write_bytes

_HEX = re.compile(r"[0-9a-f]{8,64}")


@dataclass(frozen=True)
class Head:
    """A claimed last entry: its seq (None when only the hash is known) and hash (or a prefix of 8+ hex digits)."""

    seq: int | None
    hash: str
    source: str  # how messages name where the claim comes from

    def found_in(self, entries: list[LedgerEntry]) -> str | None:
        """None when `entries` hold the entry this head names; else what is wrong, one sentence."""
        match = [e for e in entries if e.hash.startswith(self.hash) and (self.seq is None or e.seq == self.seq)]
        if match:
            return None
        last = entries[-1] if entries else None
        ends = f"ends at entry {last.seq}" if last else "is empty"
        named = f"entry {self.seq} " if self.seq is not None else "an entry "
        if self.seq is not None and last is not None and any(e.seq == self.seq for e in entries):
            return f"{self.source} names {named}with hash {self.hash[:12]}…, but the ledger's entry {self.seq} has another hash (entries replaced)"
        return f"{self.source} names {named}with hash {self.hash[:12]}…, but the ledger {ends} without it: entries were removed from its end"


def write_head(path: Path, entry: LedgerEntry) -> None:
    """Record `entry` as the last one in the head file at `path` (atomic)."""
    data = {"seq": entry.seq, "hash": entry.hash, "entry": entry.describe()}
    write_bytes(path, (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))


def parse_head(text: str, source: str) -> Head | str:
    """The Head in a head file's text, or why it cannot be read (a message)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return f"{source} is not a head file (expected JSON with seq and hash)"
    if not isinstance(data, dict) or type(data.get("seq")) is not int or not isinstance(data.get("hash"), str) \
            or not re.fullmatch(r"[0-9a-f]{64}", data["hash"]):
        return f"{source} is not a head file (expected JSON with seq and hash)"
    return Head(data["seq"], data["hash"], source)


def expected_head(value: str) -> Head | None:
    """A head given as `HASH` or `SEQ:HASH` (8 to 64 lowercase hex digits); None when malformed."""
    seq, _, digest = value.strip().rpartition(":")
    digest = digest.lower()
    if not _HEX.fullmatch(digest) or (seq and not seq.isdigit()):
        return None
    return Head(int(seq) if seq else None, digest, f"--expect-head {value.strip()}")


def committed_head(root: Path, head: Path) -> Head | str | None:
    """The head file as the last commit holds it (`git show HEAD:ledger.head`), when the workspace is a git work tree.

    None when there is no git, no repository, or the file is not committed; a message when the
    committed file cannot be read as a head.
    """
    try:
        relative = head.resolve().relative_to(root.resolve()).as_posix()
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"], capture_output=True, text=True, timeout=10)
        if top.returncode != 0:
            return None
        shown = subprocess.run(["git", "-C", str(root), "show", f"HEAD:{top.stdout.strip()}{relative}"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if shown.returncode != 0:
        return None
    return parse_head(shown.stdout, f"{relative} as committed (git HEAD)")


def head_problems(root: Path, head: Path, entries: list[LedgerEntry], expected: list[Head]) -> list[str]:
    """Every way the ledger's end disagrees with a head that names its last entry.

    Checked: the head file beside the ledger (missing is a problem once entries written by a
    version that keeps it exist), the head file of the last git commit, and heads given with
    `--expect-head`. Each names the entry the ledger must still hold.
    """
    problems = []
    shown = head.name
    heads: list[Head] = list(expected)
    try:
        text = head.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    if text is None:
        if any(entry.tool for entry in entries):
            problems.append(f"{shown} is missing: it names the ledger's last entry (written with every entry since "
                            "dossier 0.1.0); restore it from version control")
    else:
        parsed = parse_head(text, shown)
        if isinstance(parsed, str):
            problems.append(parsed)
        else:
            heads.append(parsed)
    committed = committed_head(root, head)
    if isinstance(committed, str):
        problems.append(committed)
    elif committed is not None:
        heads.append(committed)
    for claim in heads:
        problem = claim.found_in(entries)
        if problem:
            problems.append(problem)
    return problems
