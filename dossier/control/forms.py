"""Form wording of document control, read from `forms.yaml`: the issued-copy stamp and the registers.

The wording is data (see the grammar at the top of forms.yaml); this module only reads it. Device
GMP 2025 Art. 43(1) distribution, withdrawal and destruction records; 43(3) copies identified.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dossier.control.ledger.copies import Issue

FORMS = Path(__file__).with_name("forms.yaml")


@functools.cache
def _forms() -> dict[str, Any]:
    return yaml.safe_load(FORMS.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class RegisterForm:
    """One register: its title, default form number, columns (header, width in cm, row field)."""

    name: str
    title: str
    number: str
    columns: tuple[tuple[str, float, str], ...]

    @property
    def headers(self) -> list[str]:
        """The column headers."""
        return [c[0] for c in self.columns]

    @property
    def widths(self) -> list[float]:
        """The column widths in cm."""
        return [float(c[1]) for c in self.columns]

    def cells(self, index: int, row: dict[str, Any]) -> list[str]:
        """One table row: `index` in the `index` column, blank `sign` cells, `row[field]` (— when empty) elsewhere."""
        out = []
        for _header, _width, field in self.columns:
            if field == "index":
                out.append(str(index))
            elif field == "sign":
                out.append("")
            else:
                value = row.get(field)
                out.append("—" if value in (None, "") else str(value))
        return out


def register_form(name: str) -> RegisterForm:
    """The register `name` of forms.yaml (KeyError for an unknown name)."""
    data = _forms()["registers"][name]
    return RegisterForm(name, data["title"], data["number"], tuple((c[0], c[1], c[2]) for c in data["columns"]))


def register_names() -> tuple[str, ...]:
    """Every register forms.yaml defines, in its order."""
    return tuple(_forms()["registers"])


def approval_line() -> str:
    """The blank approval line printed under every register."""
    return _forms()["approval"]


def heading_line(number: str, today: str, count: int) -> str:
    """The line above a register's table: its number, the day it was made, how many rows."""
    return _forms()["heading"].format(number=number, today=today, count=count)


def stamp_lines(issue: Issue) -> list[str]:
    """The lines stamped on every page of the issued copy `issue` (发放号, holder, revision, date)."""
    forms = _forms()
    department = forms["department"].format(department=issue.department) if issue.department else ""
    values = {"copy": f"{issue.copy:02d}", "holder": issue.holder, "department": department,
              "revision": issue.revision, "issued": issue.issued_on.isoformat()}
    return [line.format(**values) for line in forms["stamp"]]
