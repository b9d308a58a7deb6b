"""The requirements of dossier and the checks that verify them, read from requirements.yaml."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

REQUIREMENTS_FILE = Path(__file__).with_name("requirements.yaml")
STAGES = ("IQ", "OQ")


@dataclass(frozen=True)
class Requirement:
    """One requirement of dossier (DR-nn): what it must do and why."""

    id: str
    text: str
    basis: str


@dataclass(frozen=True)
class Check:
    """One IQ or OQ check: what it checks, how, and the requirements it verifies."""

    id: str
    stage: str
    title: str
    method: str
    verifies: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """Every requirement and check, in the order of requirements.yaml."""

    requirements: tuple[Requirement, ...]
    checks: tuple[Check, ...]

    def checks_of(self, requirement: str) -> list[Check]:
        """The checks that verify `requirement`."""
        return [c for c in self.checks if requirement in c.verifies]


@functools.cache
def catalogue(path: Path = REQUIREMENTS_FILE) -> Catalogue:
    """requirements.yaml as a Catalogue; ValueError naming what is inconsistent in the file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    requirements = tuple(Requirement(r["id"], r["text"], r["basis"]) for r in data["requirements"])
    checks = tuple(Check(c["id"], c["stage"], c["title"], c["method"], tuple(c["verifies"])) for c in data["checks"])
    known = {r.id for r in requirements}
    problems = [f"{c.id} verifies unknown {r}" for c in checks for r in c.verifies if r not in known]
    problems += [f"{c.id}: stage must be one of {', '.join(STAGES)}" for c in checks if c.stage not in STAGES]
    problems += [f"{r.id} is verified by no check" for r in requirements if not any(r.id in c.verifies for c in checks)]
    ids = [x.id for x in (*requirements, *checks)]
    problems += [f"{i} is listed twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise ValueError(f"{path.name}: " + "; ".join(problems))
    return Catalogue(requirements, checks)
