"""Starter workspaces shipped as package data: `dossier init DIR --starter NAME`.

`device-gmp-2025/` is a complete quality system for the device GMP 2025 (国家药监局公告2025年第107号):
`dossier.yaml` (settings, the Art. 130 not-applicable list), `external.yaml` (the external-document
register), `people.yaml` (the example staff and their roles) and `content/` (quality manual,
procedures, work instructions, record forms, validation protocols). The repository's example
workspace (`content/`) is this starter for 示例医疗科技有限公司.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def starters_root() -> Path:
    """The directory holding one folder per starter."""
    return Path(str(resources.files("dossier.starters")))


def available_starters() -> list[str]:
    """Names of the starters (folders with a dossier.yaml)."""
    return sorted(p.name for p in starters_root().iterdir() if p.is_dir() and (p / "dossier.yaml").is_file())
