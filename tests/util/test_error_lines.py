"""Every error line has the `error:` prefix, whatever raised it (issue 14 #11)."""

from __future__ import annotations

from pathlib import Path

from dossier.errors import CheckFailed, InputErrors, InputProblem, ToolError, UsageError
from tests.conftest import run_cli
from tests.hostile_support import new_workspace


def test_every_error_kind_prints_error_lines() -> None:
    assert UsageError("QP-04 revision A is already archived").lines() == ["error: QP-04 revision A is already archived"]
    assert ToolError("LibreOffice not found: install it\nerror: QP-04.docx: timed out").lines() == [
        "error: LibreOffice not found: install it", "error: QP-04.docx: timed out"]
    assert CheckFailed(["cannot record release of QP-04 revision B: ledger.jsonl fails verification:",
                        "ledger.jsonl line 2: entry 2 was edited"]).lines() == [
        "error: cannot record release of QP-04 revision B: ledger.jsonl fails verification:",
        "error: ledger.jsonl line 2: entry 2 was edited"]
    assert InputErrors([InputProblem("a.yaml", 3, "title", "is required")]).lines() == ["error: a.yaml:3: title: is required"]
    assert UsageError("error: already prefixed").lines() == ["error: already prefixed"]


def test_libreoffice_not_found_is_an_error_line(tmp_path: Path, monkeypatch) -> None:
    root = new_workspace(tmp_path / "ws")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("DOSSIER_CONVERTER", raising=False)
    result = run_cli("build", str(root))
    assert result.exit_code == 3
    assert result.output.splitlines() == [
        "error: LibreOffice not found: install it (apt-get install libreoffice-writer-nogui fonts-noto-cjk)"]
    assert not (root / "build").exists()
