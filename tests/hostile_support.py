"""Helpers for the hostile-input cases (issue 14): a fresh workspace and what a run printed."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO, run_cli

EXAMPLE_PRODUCTS = REPO / "content" / "disinfectant"


def new_workspace(root: Path) -> Path:
    """`dossier init` into `root` (QP-01 with a body file, QR-01-01 a record form)."""
    result = run_cli("init", str(root))
    assert result.exit_code == 0, result.output
    return root


def with_product(root: Path, name: str = "skin-ethanol") -> Path:
    """Copy an example disinfectant product (and the shared seal) into the workspace; its product.yaml."""
    target = root / "content" / "disinfectant"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE_PRODUCTS / "seal.png", target / "seal.png")
    shutil.copytree(EXAMPLE_PRODUCTS / name, target / name)
    return target / name / "product.yaml"


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file by `new` (which must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(result) -> list[str]:
    """The `error:` lines a run printed."""
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def alias_bomb(levels: int = 9) -> str:
    """YAML of under 1 KB whose aliases expand to 9**levels nodes."""
    lines = ['a0: &a0 ["x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"
