"""Issue 12 (speed): the layout checks' answers are kept in build/.cache/lint.json by `build`,
so a no-op build and `check` do not parse unchanged bodies again; the warnings are the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import dossier.markdown.lint
from dossier.cli import FORMATS as CLI_FORMATS
from dossier.errors import Warnings
from dossier.pipeline.build import build
from dossier.pipeline.cache import CACHE_FILE
from dossier.pipeline.load import load_checked, workspace_warnings
from dossier.pipeline.record import FORMATS
from dossier.validate.memo import MEMO_FILE, code_fingerprint
from tests.conftest import REPO, run_cli
from tests.validate.test_layout_warnings import _workspace


def _warnings(root: Path) -> list[str]:
    warnings = Warnings()
    ws = load_checked(root, warnings=warnings)
    workspace_warnings(ws, warnings)
    return [str(item) for item in warnings.sorted()]


def _built(tmp_path: Path) -> tuple[Path, list[str], Path, dict]:
    """A workspace with layout faults, its warnings, built once: (root, warnings, memo file, memo as read)."""
    root = _workspace(tmp_path / "ws")
    expected = _warnings(root)
    build(root, fmt="docx", warnings=Warnings())
    path = root / "build" / MEMO_FILE
    return root, expected, path, json.loads(path.read_text(encoding="utf-8"))


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(md: str) -> list:
        raise AssertionError("parsed a body the memo holds")

    for name in ("leftover_emphasis", "headings", "typed_captions"):
        monkeypatch.setattr(dossier.markdown.lint, name, refuse)


def test_build_keeps_the_layout_findings_and_check_reuses_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _workspace(tmp_path / "ws")
    expected = _warnings(root)
    assert any("printed as an asterisk" in line for line in expected)
    assert any("starts with a section number (1.1)" in line for line in expected)
    assert not (root / "build" / MEMO_FILE).exists()  # check writes nothing

    build(root, fmt="docx", warnings=Warnings())
    memo = json.loads((root / "build" / MEMO_FILE).read_text(encoding="utf-8"))
    assert memo["code"] == code_fingerprint()
    assert any(entry.get("headings") == [[0, 1, "总则"], [4, 2, "1.1 条款1"]] for entry in memo["texts"].values())

    _no_parsing(monkeypatch)
    assert _warnings(root) == expected  # answered from the memo: same lines, nothing parsed
    result = build(root, fmt="docx", warnings=Warnings())
    assert result.up_to_date and not (set(result.outputs) - set(result.up_to_date))


def test_a_changed_body_is_parsed_again_and_the_memo_keeps_only_current_texts(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws")
    build(root, fmt="docx", warnings=Warnings())
    before = json.loads((root / "build" / MEMO_FILE).read_text(encoding="utf-8"))["texts"]
    (root / "content" / "QP-30.md").write_text("# 总则\n\n## 第一章 范围\n", encoding="utf-8")
    warnings = Warnings()
    build(root, fmt="docx", warnings=warnings)
    lines = [str(item) for item in warnings.sorted()]
    assert not any("asterisk" in line for line in lines)
    assert any("heading “第一章 范围” starts with a section number (第一章)" in line for line in lines)
    after = json.loads((root / "build" / MEMO_FILE).read_text(encoding="utf-8"))["texts"]
    assert len(after) == len(before) and after != before  # the old body's entry is gone, the new one is there


def test_a_memo_written_by_other_code_or_broken_is_ignored(tmp_path: Path) -> None:
    root, expected, path, memo = _built(tmp_path)
    forged = {key: {"leftovers": [], "headings": [], "captions": []} for key in memo["texts"]}
    path.write_text(json.dumps({"code": "other code", "texts": forged}), encoding="utf-8")
    assert _warnings(root) == expected
    path.write_text("{not json", encoding="utf-8")
    assert _warnings(root) == expected


def test_the_command_line_offers_the_formats_the_build_knows() -> None:
    assert CLI_FORMATS == FORMATS


BAD_ANSWERS = [None, 5, "x", [[1]], [["x", "y"]], [{"a": 1, "b": 2}], [[0, 1, 5]], [[-100, "snippet"]], [[True, "x"]]]


@pytest.mark.parametrize("answer", BAD_ANSWERS, ids=[json.dumps(a) for a in BAD_ANSWERS])
def test_answers_of_the_wrong_shape_are_asked_again(tmp_path: Path, answer) -> None:
    """A memo with the right code but answers no lint function gives is input like any other: dropped, not trusted."""
    root, expected, path, memo = _built(tmp_path)
    for entry in memo["texts"].values():
        entry.update({"leftovers": answer, "headings": answer, "captions": answer})
    path.write_text(json.dumps(memo), encoding="utf-8")
    assert _warnings(root) == expected
    result = run_cli("check", str(root))
    assert result.exit_code == 0, result.output
    build(root, fmt="docx", warnings=Warnings())  # and the next build writes good answers again
    assert json.loads(path.read_text(encoding="utf-8")) != memo


@pytest.mark.parametrize("name", [MEMO_FILE, CACHE_FILE])
@pytest.mark.parametrize("kind", ["deep", "fifo", "forged-entries"])
def test_a_cache_file_that_is_not_what_build_wrote_is_no_cache(tmp_path: Path, name: Path, kind: str) -> None:
    """Nested past the JSON parser's depth, a named pipe (a read would block), or entries of the wrong shape:
    check and build go on as without the file (no traceback, no hang), and build replaces it."""
    root = _workspace(tmp_path / "ws")
    expected = _warnings(root)
    build(root, fmt="docx", warnings=Warnings())
    path = root / "build" / name
    path.unlink()
    if kind == "deep":
        path.write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_text(json.dumps({"format": 3, "code": "x", "documents": {"QP-30": {"key": 1, "outputs": [1]}},
                                    "texts": {"k": {"leftovers": 1}}}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "dossier", "check", str(root)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert _warnings(root) == expected
    result = build(root, fmt="docx", warnings=Warnings())
    assert "QP-30" in result.outputs and path.is_file()


@pytest.mark.parametrize("name", ["QP-30.docx", "../../victim.txt", "disinfectant/../QP-30.docx"])
def test_a_forged_filing_entry_in_the_build_cache_removes_nothing(tmp_path: Path, name: str) -> None:
    """User test: a `<disinfectant>` entry naming a document's output (or a path outside build/) made the
    next build delete that file, or fail with an internal error."""
    root = _workspace(tmp_path / "ws")
    (tmp_path / "victim.txt").write_text("x", encoding="utf-8")
    build(root, fmt="docx", warnings=Warnings())
    state = root / "build" / CACHE_FILE
    data = json.loads(state.read_text(encoding="utf-8"))
    data["documents"]["<disinfectant>"] = {"key": "x", "outputs": {name: "ab"}, "unsigned": {}}
    state.write_text(json.dumps(data), encoding="utf-8")
    before = (root / "build" / "QP-30.docx").read_bytes()
    build(root, fmt="docx", warnings=Warnings())
    assert (root / "build" / "QP-30.docx").read_bytes() == before
    assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "x"


def test_a_kept_answer_naming_a_line_the_body_does_not_have_is_asked_again(tmp_path: Path) -> None:
    root, expected, path, memo = _built(tmp_path)
    for entry in memo["texts"].values():
        entry["leftovers"] = [[1000000000, "**FORGED"]]
    path.write_text(json.dumps(memo), encoding="utf-8")
    assert _warnings(root) == expected
