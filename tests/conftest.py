"""Shared fixtures: the example workspace built once per test session (real LibreOffice)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import cli

REPO = Path(__file__).resolve().parent.parent
# tests that use these fixtures, and every end-to-end test, convert with LibreOffice
LIBREOFFICE_FIXTURES = {"example_build", "example_rebuild"}
LIBREOFFICE_FOLDERS = {"e2e"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need LibreOffice (`pytest -m "not libreoffice"` runs the rest in seconds)."""
    for item in items:
        if LIBREOFFICE_FIXTURES & set(getattr(item, "fixturenames", ())) or item.path.parent.name in LIBREOFFICE_FOLDERS:
            item.add_marker(pytest.mark.libreoffice)


def copy_workspace(target: Path) -> Path:
    """Copy the repository's example workspace (config, external-document register, content) to `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "dossier.yaml", target / "dossier.yaml")
    shutil.copy(REPO / "external.yaml", target / "external.yaml")
    shutil.copytree(REPO / "content", target / "content")
    return target


def run_cli(*args: str) -> "CliRunner.Result":
    """Invoke the dossier CLI in-process; returns click's Result."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """Text of a PDF (or a page range) through pdftotext, layout preserved."""
    command = ["pdftotext", "-layout"]
    if first:
        command += ["-f", str(first)]
    if last:
        command += ["-l", str(last)]
    return subprocess.run([*command, str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    """The example dossier built once with `dossier build`."""
    root = copy_workspace(tmp_path_factory.mktemp("example"))
    result = run_cli("build", str(root))
    assert result.exit_code == 0, result.output
    return root


# one document of each kind the example has (the whole example's bytes are checked by tests/pipeline/test_unchanged_outputs.py)
REBUILT = ["QM-01", "QP-04", "QP-05", "QP-12", "QR-12-01", "VMP-01", "VP-12-01", "VR-12-07", "WI-12-01"]


@pytest.fixture(scope="session")
def example_rebuild(tmp_path_factory) -> Path:
    """A second, independent build of the example's REBUILT documents, for reproducibility checks."""
    root = copy_workspace(tmp_path_factory.mktemp("example-again"))
    result = run_cli("build", str(root), *(option for doc_id in REBUILT for option in ("--only", doc_id)))
    assert result.exit_code == 0, result.output
    return root


def set_signoffs(yaml_path: Path, **people: tuple[str, str] | None) -> None:
    """Write sign-off lines (`prepared_by=("张敏", "2026-12-10")`, None removes) into a document's YAML.

    What a document controller does after `dossier revise`, which clears the dates of the new revision.
    """
    import re

    text = yaml_path.read_text(encoding="utf-8")
    for key, value in people.items():
        line = "" if value is None else f'{key}: {{name: {value[0]}, date: "{value[1]}"}}\n'
        pattern = re.compile(rf"^{key}:.*\n", re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(line, text, count=1)
        else:
            text = text.rstrip("\n") + "\n" + line
    yaml_path.write_text(text, encoding="utf-8")


def workspace_today(root: Path) -> str:
    """Today's date in the workspace time zone (what release writes as the approval date)."""
    from dossier.errors import Problems
    from dossier.workspace.load import load_config

    return load_config(root.resolve(), Problems()).today().isoformat()
