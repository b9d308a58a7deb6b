"""Standard output that cannot be written: `| head` ends the run quietly with 141, a full disk is one
`error:` line with status 3; never a traceback (dossier.cli.report)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

CONFIG = """\
company: {name: 示例医疗科技有限公司}
numbering: {procedure: "QP-\\\\d{3}"}
"""
DOCUMENT = """\
id: {}
kind: procedure
title: 文件控制程序
revision: A
effective_date: "2026-01-15"
prepared_by: {{name: 张敏, date: "2026-01-02"}}
reviewed_by: {{name: 李强, date: "2026-01-06"}}
approved_by: {{name: 王建国, date: "2026-01-09"}}
change: 首次发布
"""
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


@pytest.fixture(scope="module")
def many_documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace of 40 procedures: a `status` table of a few kilobytes."""
    root = tmp_path_factory.mktemp("output") / "ws"
    (root / "content").mkdir(parents=True)
    (root / "dossier.yaml").write_text(CONFIG, encoding="utf-8")
    for number in range(1, 41):
        doc_id = f"QP-{number:03d}"
        (root / "content" / f"{doc_id}.yaml").write_text(DOCUMENT.format(doc_id), encoding="utf-8")
        (root / "content" / f"{doc_id}.md").write_text("# 目的\n\n规定文件的控制。\n", encoding="utf-8")
    return root


def _piped_into_closed_reader(*args: str) -> subprocess.CompletedProcess:
    """Run dossier with its standard output into a pipe whose reader has already gone."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "dossier", *args], stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=300, env=ENV)
    finally:
        os.close(write)


def test_a_reader_that_went_away_ends_the_run_quietly(many_documents: Path) -> None:
    ran = _piped_into_closed_reader("status", "-w", str(many_documents), "--today", "2026-11-30")
    assert (ran.returncode, ran.stderr) == (141, "")
    small = _piped_into_closed_reader("--version")  # a few bytes, written when Python ends: click's own quiet exit
    assert "Traceback" not in small.stderr and small.returncode in (1, 141)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--help"], ["status", "--help"], ["status", "-w", "WS", "--today", "2026-11-30"]])
def test_a_full_disk_is_one_error_line(args: list[str], many_documents: Path) -> None:
    args = [str(many_documents) if a == "WS" else a for a in args]
    with open("/dev/full", "w") as full:
        ran = subprocess.run([sys.executable, "-m", "dossier", *args], stdout=full, stderr=subprocess.PIPE,
                             text=True, timeout=300, env=ENV)
    assert ran.returncode == 3
    assert ran.stderr.splitlines() == ["error: standard output: No space left on device"] or (
        len(ran.stderr.splitlines()) == 1 and ran.stderr.startswith("error: ") and "No space left" in ran.stderr)
