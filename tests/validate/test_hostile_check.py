"""`dossier check` on hostile or broken input (issue 14 #1, #7, #9, #10): one located error per cause, exit 2, fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import run_cli, workspace_today
from tests.hostile_support import alias_bomb, edit, errors, new_workspace, with_product


def _check(root: Path):
    started = time.perf_counter()
    result = run_cli("check", str(root))
    return result, time.perf_counter() - started


@pytest.mark.parametrize("target", ["content/QP-01.yaml", "dossier.yaml", "content/disinfectant/skin-ethanol/product.yaml"])
def test_alias_bomb_in_any_yaml_is_exit_2_within_a_second(tmp_path: Path, target: str) -> None:
    root = new_workspace(tmp_path)
    with_product(root)
    path = root / target
    lines = path.read_text(encoding="utf-8").count("\n")
    path.write_text(path.read_text(encoding="utf-8") + alias_bomb(), encoding="utf-8")
    result, seconds = _check(root)
    assert result.exit_code == 2, result.output
    assert seconds < 1.0
    assert errors(result) == [f"error: {target}:{lines + 1}: invalid YAML: anchors and aliases (&a0) are not supported: write the value out"]


def test_merge_key_in_a_document_is_refused(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    path = root / "content" / "QP-01.yaml"
    today = workspace_today(root)  # the day `init` dated the starter documents
    edit(path, f"prepared_by: {{name: 编制人, date: \"{today}\"}}", f"prepared_by:\n  <<: {{name: 编制人}}\n  date: \"{today}\"")
    result, _ = _check(root)
    assert result.exit_code == 2
    assert errors(result) == ["error: content/QP-01.yaml:8: invalid YAML: merge keys (<<) are not supported: write the keys out"]


@pytest.mark.parametrize("value", ["20261201", "2026W491", "2026-W49-1"])
def test_compact_and_week_dates_are_not_dates(tmp_path: Path, value: str) -> None:
    root = new_workspace(tmp_path)
    edit(root / "content" / "QP-01.yaml", f'effective_date: "{workspace_today(root)}"', f"effective_date: {value}")
    result, _ = _check(root)
    assert result.exit_code == 2
    assert errors(result) == [f"error: content/QP-01.yaml:5: effective_date: expected a date YYYY-MM-DD, got {value!r}"
                              .replace("got '20261201'", "got 20261201")]


def test_release_effective_option_takes_only_yyyy_mm_dd(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    result = run_cli("release", "QP-01", "--approved-by", "批准人", "--reason", "首次发布", "--effective", "2026W491", "-w", str(root))
    assert result.exit_code == 2
    assert "expected a date YYYY-MM-DD, got '2026W491'" in result.output
    assert not (root / "ledger.jsonl").exists()


def test_disinfectant_today_option_takes_only_yyyy_mm_dd(tmp_path: Path, monkeypatch) -> None:
    root = new_workspace(tmp_path)
    with_product(root)
    monkeypatch.chdir(root)
    result = run_cli("disinfectant", "check", "--today", "2026-1-1")
    assert result.exit_code == 2 and "expected a date YYYY-MM-DD, got '2026-1-1'" in result.output


@pytest.mark.parametrize("content", ["", "\n\n", "# 只有注释\n"])
def test_empty_product_yaml_is_an_error(tmp_path: Path, content: str) -> None:
    root = new_workspace(tmp_path)
    product = root / "content" / "disinfectant" / "empty" / "product.yaml"
    product.parent.mkdir(parents=True)
    product.write_text(content, encoding="utf-8")
    result, _ = _check(root)
    assert result.exit_code == 2
    assert errors(result) == ["error: content/disinfectant/empty/product.yaml:1: the file is empty "
                              "(expected rule_set, product, responsible_unit, …)"]


def test_gbk_body_gives_one_error_with_its_line(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    body = root / "content" / "QP-01.md"
    text = body.read_text(encoding="utf-8")
    body.write_bytes(text.encode("gbk"))
    first = next(i for i, line in enumerate(text.splitlines(), start=1) if not line.isascii())
    result, _ = _check(root)
    assert result.exit_code == 2
    found = errors(result)
    assert len(found) == 1, found
    assert found[0].startswith(f"error: content/QP-01.md:{first}: body: not UTF-8 text"), found


def test_gbk_document_yaml_gives_one_error_with_its_line(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    path = root / "content" / "QP-01.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    result, _ = _check(root)
    assert errors(result) == ["error: content/QP-01.yaml:3: not UTF-8 text (byte 33 cannot start or continue a character; "
                              "save the file as UTF-8, not GBK/GB 18030)"]


@pytest.mark.parametrize("with_template", [False, True])
def test_unknown_kind_gives_only_the_kind_error(tmp_path: Path, with_template: bool) -> None:
    root = new_workspace(tmp_path)
    if with_template:  # a workspace template of the document's former kind
        from dossier.word.templates import PACKAGE_TEMPLATES

        (root / "templates").mkdir()
        (root / "templates" / "procedure.docx").write_bytes((PACKAGE_TEMPLATES / "procedure.docx").read_bytes())
    edit(root / "content" / "QP-01.yaml", "kind: procedure", "kind: memo")
    for command in ("check", "build", "status", "register"):
        result = run_cli(command, str(root)) if command in ("check", "build", "register") else run_cli(command, "-w", str(root))
        assert result.exit_code == 2, (command, result.output)
        assert errors(result) == ["error: content/QP-01.yaml:2: kind: unknown document kind 'memo' (expected one of: "
                                  "quality_manual, procedure, work_instruction, record_form, validation_protocol, validation_plan, validation_report)"], command
    assert not (root / "build").exists()
