"""Citations kept current (device GMP 2025 Art. 43(3)): a release never presents a draft it cites as a
controlled revision, `check` warns while an effective document cites a draft or a withdrawn document,
and `obsolete` names the effective documents that still cite the one withdrawn."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import run_cli


def _cli(root: Path, *args: str):
    result = run_cli(*args, "-w", str(root))
    assert result.exit_code == 0, (args, result.output)
    return result


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> dict:
    """init (QP-01 and QR-01-01 cite each other) → release QP-01 → release QR-01-01 → obsolete QR-01-01."""
    root = tmp_path_factory.mktemp("citations") / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    evidence: dict = {"root": root}
    released = _cli(root, "release", "QP-01", "--approved-by", "王建国", "--reason", "首次发布")
    evidence["release_qp"], evidence["release_qp_stdout"] = released.output, released.stdout
    evidence["check_draft"] = run_cli("check", str(root))
    _cli(root, "release", "QR-01-01", "--approved-by", "王建国", "--reason", "首次发布")
    evidence["check_clean"] = run_cli("check", str(root))
    withdrawn = _cli(root, "obsolete", "QR-01-01", "--reason", "并入QP-01附录", "--approved-by", "王建国")
    evidence["obsolete"], evidence["obsolete_stdout"] = withdrawn.output, withdrawn.stdout
    evidence["check_withdrawn"] = run_cli("check", str(root))
    return evidence


def test_a_release_cites_a_draft_without_a_revision_and_says_so(walked: dict) -> None:
    assert ("warning: content/QP-01.md:18: body: QP-01 cites QR-01-01, which is not released: it is cited without a revision"
            in walked["release_qp"].splitlines())
    text = "".join(p.text for p in Document(str(walked["root"] / "releases/QP-01/A/QP-01.docx")).paragraphs)
    assert "《文件发放回收记录》QR-01-01" in text and not re.search(r"QR-01-01 A版", text)


def test_check_warns_while_an_effective_document_cites_a_draft(walked: dict) -> None:
    result = walked["check_draft"]
    assert result.exit_code == 0  # a warning, not an input error
    assert result.stderr.splitlines() == ["warning: content/QP-01.md:18: body: QP-01 revision A (effective) cites QR-01-01, "
                                          "which is a draft (never released): release QR-01-01 or revise QP-01"]
    assert "warning" not in walked["check_clean"].output


def test_withdrawing_a_cited_document_names_who_still_cites_it_and_check_keeps_warning(walked: dict) -> None:
    assert ("warning: content/QP-01.md:18: body: QP-01 revision A (effective) still cites QR-01-01: "
            "revise QP-01 to remove or replace the citation") in walked["obsolete"].splitlines()
    result = walked["check_withdrawn"]
    assert result.exit_code == 0
    assert re.fullmatch(r"warning: content/QP-01\.md:18: body: QP-01 revision A \(effective\) cites QR-01-01, which was "
                        r"withdrawn \(作废\) on \d{4}-\d{2}-\d{2}: revise QP-01 to remove or replace the citation\n", result.stderr)


def test_release_and_obsolete_print_their_warnings_on_stderr_as_check_and_build_do(walked: dict) -> None:
    assert any(line.startswith("warning:") for line in walked["release_qp"].splitlines())
    assert any(line.startswith("warning:") for line in walked["obsolete"].splitlines())
    assert "warning:" not in walked["release_qp_stdout"] and "warning:" not in walked["obsolete_stdout"]
    assert walked["release_qp_stdout"].startswith("released QP-01 revision A")
