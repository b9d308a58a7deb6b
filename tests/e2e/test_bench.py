"""The build benchmark: its synthetic workspace builds, and one tiny run reports every measurement."""

from __future__ import annotations

import json
import subprocess
import sys

import docx

from tests.conftest import REPO, run_cli

BENCH = REPO / "bench"
sys.path.insert(0, str(BENCH))
from workspace import write_workspace  # noqa: E402


def test_the_synthetic_workspace_is_valid_and_rich(tmp_path):
    bodies = write_workspace(tmp_path, 3)
    assert [b.name for b in bodies] == ["QP-001.md", "QP-002.md", "QP-003.md"]
    result = run_cli("build", str(tmp_path), "--format", "docx")
    assert result.exit_code == 0, result.output
    document = docx.Document(tmp_path / "build" / "QP-002.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "本程序引用：《设计开发程序1》QP-003 A版、《文件控制程序1》QP-001 A版。" in text
    assert len(document.tables) >= 6
    assert len(text) > 2400, "about five pages of Chinese text with the tables"
    assert write_workspace(tmp_path / "again", 3)[1].read_text() == bodies[1].read_text(), "deterministic"


def test_a_tiny_benchmark_run_reports_every_measurement():
    run = subprocess.run([sys.executable, str(BENCH / "build_bench.py"), "--sizes", "1", "--json"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    (row,) = report["results"]
    assert row["size"] == 1
    assert row["naive_s"] > 0 and row["cold_s"] > 0
    assert row["ratio"] == row["naive_s"] / row["cold_s"]
    assert row["noop_s"] < row["cold_s"], "a no-op rebuild converts nothing"
    assert row["peak_mb"] > 100, "LibreOffice's memory is counted"
