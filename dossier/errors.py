"""Error types shared by every pipeline step, and the exit codes they map to.

Exit codes: 0 success, 1 a check or verification found problems, 2 bad input or usage
(every input error of a run reported together), 3 an external tool failed (LibreOffice, signing).

Warnings are input problems that do not stop a run (a leftover `**`, a heading that types its
own number, a title longer than the page header shows). Rules record them with
`Problems.warn(FILE, LINE, FIELD, message)` next to their errors; `check` and `build` print each
once as `warning: FILE:LINE: FIELD: message` on stderr (and list them under `warnings` with
`--json`); they never change the exit status. Pass a `Warnings` collector to the loader
(`dossier.pipeline.load.load_checked(..., warnings=)`) to receive them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INPUT = 2
EXIT_TOOL = 3


@dataclass(frozen=True)
class InputProblem:
    """One problem in one input file: where it is and what was expected."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class DossierError(Exception):
    """Base of all errors the CLI reports as one line per problem, without a traceback."""

    exit_code = EXIT_FAILED

    def lines(self) -> list[str]:
        """The message lines to print on stderr."""
        return [str(self)]


class InputErrors(DossierError):
    """One or more problems in the user's input files."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: list[InputProblem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # rebuilt from its problems when it crosses a process boundary
        return (type(self), (self.problems,))

    def lines(self) -> list[str]:
        """One `error: FILE:LINE: FIELD: message` line per problem."""
        return [f"error: {p}" for p in self.problems]


class UsageError(DossierError):
    """A command was asked for something that cannot be done (unknown document, bad option)."""

    exit_code = EXIT_INPUT


class ToolError(DossierError):
    """An external tool (LibreOffice, a signer) failed; the message names the document."""

    exit_code = EXIT_TOOL


class CheckFailed(DossierError):
    """A verification or state check found problems (one line each)."""

    exit_code = EXIT_FAILED

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))

    def __reduce__(self):  # rebuilt from its problems when it crosses a process boundary
        return (type(self), (self.problems,))

    def lines(self) -> list[str]:
        """The problems, one line each."""
        return list(self.problems)


class Warnings:
    """Collects warnings (input problems that do not stop a run), each reported once, in file order."""

    def __init__(self) -> None:
        self.items: list[InputProblem] = []

    def add(self, path: str | Path, line: int | None, field: str, message: str) -> None:
        """Record one warning (a repeat of one already recorded is ignored)."""
        item = InputProblem(str(path), line, field, message)
        if item not in self.items:
            self.items.append(item)

    def __bool__(self) -> bool:
        return bool(self.items)

    def sorted(self) -> list[InputProblem]:
        """The warnings by file, line and field."""
        return sorted(self.items, key=lambda p: (p.path, p.line or 0, p.field))

    def lines(self) -> list[str]:
        """One `warning: FILE:LINE: FIELD: message` line per warning, in file order."""
        return [f"warning: {p}" for p in self.sorted()]


class Problems:
    """Collects input problems across a whole run, so all of them are reported at once.

    `warn` records a warning instead (see `Warnings`); warnings never make `raise_if_any` raise.
    """

    def __init__(self, warnings: Warnings | None = None) -> None:
        self.items: list[InputProblem] = []
        self.warnings = warnings if warnings is not None else Warnings()

    def add(self, path: str | Path, line: int | None, field: str, message: str) -> None:
        """Record one problem."""
        self.items.append(InputProblem(str(path), line, field, message))

    def warn(self, path: str | Path, line: int | None, field: str, message: str) -> None:
        """Record one warning: reported, but the run goes on and the exit status is unchanged."""
        self.warnings.add(path, line, field, message)

    def extend(self, other: "Problems") -> None:
        """Take over every problem and warning of another collector."""
        self.items.extend(other.items)
        for item in other.warnings.items:
            self.warnings.add(item.path, item.line, item.field, item.message)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        """Raise InputErrors when anything was recorded."""
        if self.items:
            raise InputErrors(self.items)
