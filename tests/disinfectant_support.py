"""Helpers shared by the disinfectant tests: private copies of the example products."""

from __future__ import annotations

import shutil
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "content" / "disinfectant"


def copy_example(tmp_path: Path, name: str = "skin-ethanol") -> Path:
    """A private copy of an example product (with the shared seal); returns its product.yaml."""
    shutil.copy(EXAMPLES / "seal.png", tmp_path / "seal.png")
    shutil.copytree(EXAMPLES / name, tmp_path / name)
    return tmp_path / name / "product.yaml"


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file by `new` (which must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
