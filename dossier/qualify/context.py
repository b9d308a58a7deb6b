"""What the checks of one qualification run share: where to write, the workspace, the scratch
folder, the environment the report describes, and the evidence of the check running now."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier.qualify.record import Evidence


@dataclass
class Context:
    """One run of `dossier qualify` (see dossier.qualify.run)."""

    out: Path  # the folder the report and the evidence go to
    scratch: Path  # a temporary folder for the OQ workspace
    workspace: Path | None = None  # the company's workspace, when given
    company: str = ""
    faces: list[str] = field(default_factory=list)  # the fonts the workspace uses
    converters: list[str] = field(default_factory=list)  # converter servers (empty: local LibreOffice)
    environment: list[tuple[str, str]] = field(default_factory=list)  # (item, value) rows of the report
    evidence: Evidence = field(default_factory=Evidence)  # of the check running now
    files: dict[str, str] = field(default_factory=dict)  # extra evidence files: name -> text
    state: dict[str, Any] = field(default_factory=dict)  # what one OQ check leaves for the next

    def describe(self, item: str, value: str) -> None:
        """One row of the report's 确认环境 table."""
        self.environment.append((item, value))
