"""A hung LibreOffice costs one time limit per document, is declared dead after a batch and one retry,
and the time per document is configurable (issue 14 #16). A fake `soffice` that never returns stands in."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dossier.convert import local
from tests.conftest import run_cli
from tests.hostile_support import errors, new_workspace

FAKE = """#!/bin/sh
echo "$$" >> "{log}"
exec sleep 600
"""


@pytest.fixture()
def hung_soffice(tmp_path: Path, monkeypatch) -> Path:
    """`soffice` on PATH that records each start and hangs; LibreOffice's start-up allowance cut to 1 s."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "starts.log"
    fake = bin_dir / "soffice"
    fake.write_text(FAKE.format(log=log))
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DOSSIER_CONVERTER", raising=False)
    monkeypatch.setattr(local, "STARTUP_SECONDS", 1.0)
    return log


def _many_documents(root: Path, count: int) -> None:
    source = (root / "content" / "QP-01.yaml").read_text(encoding="utf-8")
    body = (root / "content" / "QP-01.md").read_text(encoding="utf-8")
    for number in range(2, count + 1):
        doc_id = f"QP-{number:02d}"
        (root / "content" / f"{doc_id}.yaml").write_text(source.replace("id: QP-01", f"id: {doc_id}"), encoding="utf-8")
        (root / "content" / f"{doc_id}.md").write_text(body, encoding="utf-8")


@pytest.mark.parametrize("how", ["option", "config"])
def test_hung_converter_is_declared_dead_after_a_batch_and_one_retry(tmp_path: Path, hung_soffice: Path, how: str) -> None:
    root = new_workspace(tmp_path / "ws")
    _many_documents(root, 12)
    args = ["build", str(root), "--format", "pdf"]
    if how == "option":
        args += ["--timeout", "2"]
    else:
        config = root / "dossier.yaml"
        config.write_text(config.read_text(encoding="utf-8") + "converter: {timeout: 2}\n", encoding="utf-8")
    started = time.monotonic()
    result = run_cli(*args)
    seconds = time.monotonic() - started
    assert result.exit_code == 3, result.output
    found = errors(result)
    assert len(found) == 2, found  # one line per conversion group (one group per core)
    assert found[0].startswith("error: LibreOffice hangs: a batch and then QP-01.docx alone ran past the time limit "
                               "(2 s per document, 1 s to start; see --timeout); not converted: QP-01.docx, "), found
    assert found[1].startswith("error: LibreOffice hangs (see above); not converted either: "), found
    named = {name for line in found for name in line.split(": ")[-1].split(", ")}
    assert named == {f"QP-{n:02d}.docx" for n in range(1, 13)} | {"QR-01-01.docx"}
    starts = hung_soffice.read_text().split()
    assert len(starts) == 3, starts  # two batches (one per core) and one retry: not one retry per document
    assert seconds < 20, seconds  # 3 s for the batches, 3 s for the retry, plus rendering
    assert not (root / "build" / "QP-01.pdf").exists()


def test_timeout_setting_is_checked(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "converter: {timeout: 0, servers: 5, speed: 1}\n", encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    line = len(config.read_text(encoding="utf-8").splitlines())
    assert errors(result) == [
        f"error: dossier.yaml:{line}: converter: expected a server URL or a list of them (unoserver://HOST:PORT, "
        "gotenberg+http://HOST:PORT), or {servers: …, timeout: SECONDS}",
        f"error: dossier.yaml:{line}: converter.speed: unknown field (expected one of: servers, timeout)",
        f"error: dossier.yaml:{line}: converter.timeout: expected seconds per document, from 1 to 3600, got 0"]
    assert run_cli("build", str(root), "--timeout", "0").exit_code == 2
