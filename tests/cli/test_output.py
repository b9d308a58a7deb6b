"""Standard output that cannot be written: `| head` ends the run quietly with 141, a full disk is one
`error:` line with status 3; never a traceback (dossier.cli.report)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

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


FULL = "error: standard output: No space left on device (the printout is incomplete; files are written whole or not at all)"


def _dossier(*args: str, stdout) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dossier", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=300, env=ENV)


def _piped_into_closed_reader(*args: str) -> subprocess.CompletedProcess:
    """Run dossier with its standard output into a pipe whose reader has already gone."""
    read, write = os.pipe()
    os.close(read)
    try:
        return _dossier(*args, stdout=write)
    finally:
        os.close(write)


@pytest.mark.parametrize("args", [["status", "-w", "WS", "--today", "2026-11-30"], ["check", "WS"], ["--version"],
                                  ["--help"], ["status", "--help"]])
def test_a_reader_that_went_away_ends_the_run_quietly_with_141(args: list[str], many_documents: Path) -> None:
    ran = _piped_into_closed_reader(*[str(many_documents) if a == "WS" else a for a in args])
    assert (ran.returncode, ran.stderr) == (141, "")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["status", "--help"], ["status", "-w", "WS", "--today", "2026-11-30"],
                                  ["check", "WS"], ["status", "-w", "WS", "--open", "--json"]])
def test_a_full_disk_is_one_error_line_about_standard_output(args: list[str], many_documents: Path) -> None:
    with open("/dev/full", "w") as full:
        ran = _dossier(*[str(many_documents) if a == "WS" else a for a in args], stdout=full)
    assert (ran.returncode, ran.stderr) == (3, FULL + "\n")


def test_a_release_printed_into_a_full_disk_is_still_whole(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    with open("/dev/full", "w") as full:
        ran = _dossier("release", "QP-01", "--reason", "首次发布", "--approved-by", "王建国", "-w", str(root), stdout=full)
    assert (ran.returncode, ran.stderr.splitlines()[-1]) == (3, FULL)
    assert run_cli("verify", str(root)).exit_code == 0
    assert json.loads((root / "ledger.jsonl").read_text(encoding="utf-8").splitlines()[0])["revision"] == "A"


def test_a_closed_standard_output_prints_nothing_and_no_traceback(many_documents: Path) -> None:
    for args in (["status", "-w", str(many_documents), "--today", "2026-11-30"], ["--version"]):
        ran = subprocess.run([sys.executable, "-m", "dossier", *args], stdout=None, stderr=subprocess.PIPE, text=True,
                             timeout=300, env=ENV, close_fds=True, preexec_fn=lambda: os.close(1))
        assert (ran.returncode, ran.stderr) == (0, "")


def _stderr_into(where: str, *args: str) -> subprocess.CompletedProcess:
    """Run dossier with its standard error into /dev/full ("full") or closed ("closed")."""
    if where == "full":
        with open("/dev/full", "w") as full:
            return subprocess.run([sys.executable, "-m", "dossier", *args], stdout=subprocess.PIPE, stderr=full,
                                  text=True, timeout=300, env=ENV)
    return subprocess.run([sys.executable, "-m", "dossier", *args], stdout=subprocess.PIPE, stderr=None, text=True,
                          timeout=300, env=ENV, close_fds=True, preexec_fn=lambda: os.close(2))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("where", ["full", "closed"])
def test_standard_error_that_cannot_be_written_loses_the_message_not_the_run(where: str, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n见 QP-77。\n", encoding="utf-8")  # a warning, printed first
    checked = _stderr_into(where, "check", str(root))
    assert (checked.returncode, checked.stdout) == (0, f"ok: {len(list((root / 'content').glob('*.yaml')))} documents valid (1 warning)\n")
    assert _stderr_into(where, "check", str(tmp_path / "nowhere")).returncode == 2
    assert _stderr_into(where, "--bogus").returncode == 2
    with open("/dev/full", "w") as full:
        both = subprocess.run([sys.executable, "-m", "dossier", "status", "-w", str(root)], stdout=full, stderr=full,
                              timeout=300, env=ENV)
    assert both.returncode == 3
