"""What a check found: its verdict, a one-line summary and the evidence behind it.

Evidence is plain text lines: the commands run with their exit codes and the lines of output
that matter, hashes of the files compared. The report prints them; `evidence/<CHECK>.txt`
keeps them whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PASSED, FAILED, NOT_RUN = "passed", "failed", "not_run"
LABELS = {PASSED: "符合", FAILED: "不符合", NOT_RUN: "未执行"}


class CheckFailure(Exception):
    """Raised inside a check: the check fails with this message as its summary."""


@dataclass
class Evidence:
    """The evidence one check collects, line by line."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        """One line of evidence."""
        self.lines.append(line)

    def require(self, condition: bool, failure: str, ok: str = "") -> None:
        """Record `ok` when `condition` holds, else fail the check with `failure`."""
        if not condition:
            self.add(f"FAILED: {failure}")
            raise CheckFailure(failure)
        if ok:
            self.add(f"ok: {ok}")


@dataclass
class CheckResult:
    """The result of one check (see `dossier.qualify.catalogue.Check`)."""

    id: str
    status: str
    summary: str
    evidence: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def label(self) -> str:
        """符合 / 不符合 / 未执行."""
        return LABELS[self.status]

    @property
    def passed(self) -> bool:
        """True when the check passed."""
        return self.status == PASSED
