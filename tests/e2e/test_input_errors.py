"""Bad input: one located line per problem, all problems at once, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from tests.conftest import REPO, run_cli


def _workspace(tmp_path: Path) -> Path:
    assert run_cli("init", str(tmp_path)).exit_code == 0
    return tmp_path


def _errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def test_all_problems_reported_together_with_file_line_field(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    procedure = root / "content" / "QP-01.yaml"
    text = procedure.read_text(encoding="utf-8")
    text = text.replace("kind: procedure", "kind: procedur").replace('effective_date: "', 'effective_date: "20x')
    procedure.write_text(text, encoding="utf-8")
    form = root / "content" / "QR-01-01.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("title: 文件发放回收记录\n", ""), encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    errors = _errors(result)
    assert any(e.startswith("error: content/QP-01.yaml:2: kind: unknown document kind 'procedur'") for e in errors), errors
    assert any("content/QP-01.yaml:5: effective_date: expected a date YYYY-MM-DD" in e for e in errors), errors
    assert any("content/QR-01-01.yaml" in e and "title: is required" in e for e in errors), errors
    assert "Traceback" not in result.output


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (root / "content" / "QP-01.yaml").write_text("id: QP-01\ntitle: [unclosed\nkind: procedure\n", encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert any(e.startswith("error: content/QP-01.yaml:3: invalid YAML") for e in _errors(result)), result.output


def test_unknown_citation_names_markdown_line(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n见 [[QP-99]]。\n", encoding="utf-8")
    line = body.read_text(encoding="utf-8").splitlines().index("见 [[QP-99]]。") + 1
    result = run_cli("build", str(root), "--format", "docx")
    assert result.exit_code == 2
    assert f"error: content/QP-01.md:{line}: body: cites unknown document QP-99" in _errors(result)
    assert not (root / "build").exists()


def test_control_character_is_an_input_error(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    procedure = root / "content" / "QP-01.yaml"
    procedure.write_text(procedure.read_text(encoding="utf-8").replace("title: 文件控制程序", "title: 文件\x0b控制程序"), encoding="utf-8")
    result = run_cli("build", str(root))
    assert result.exit_code == 2
    assert "error: content/QP-01.yaml:3: character '\\x0b' cannot appear in a document (XML forbids it)" in _errors(result)
    assert not (root / "build").exists()


def test_validation_protocol_missing_art76_element_fails_check(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (root / "content" / "VP-01-01.yaml").write_text(
        "id: VP-01-01\nkind: validation_protocol\ntitle: 清洗验证方案\nrevision: A\n"
        "prepared_by: {name: 张敏, date: '2026-11-01'}\n"
        "validation:\n  object: 清洗工艺\n  responsibilities:\n    - {department: 质量部, duties: 审核}\n"
        "  environment: 洁净区\n  method: 擦拭法\n  acceptance_criteria: [残留不超过10 µg/cm²]\n"
        "body: |\n  # 偏差处理\n\n  记录并评估。\n",
        encoding="utf-8",
    )
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert any("content/VP-01-01.yaml:6: validation.sampling: missing 取样要求" in e for e in _errors(result)), result.output


def test_template_syntax_and_markup_in_values_come_out_literally(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    procedure = root / "content" / "QP-01.yaml"
    procedure.write_text(procedure.read_text(encoding="utf-8").replace("title: 文件控制程序", "title: \"A&B <控制> {{ x }} {% if 1 %}\""), encoding="utf-8")
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n字面值 {{ company }} 与 {% for %} & <b>粗</b>\n", encoding="utf-8")
    result = run_cli("build", str(root), "--format", "docx")
    assert result.exit_code == 0, result.output
    document = Document(str(root / "build" / "QP-01.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "A&B <控制> {{ x }} {% if 1 %}" in text
    assert "字面值 {{ company }} 与 {% for %} & <b>粗</b>" in text
    header = " ".join(c.text for t in document.sections[0].header.tables for r in t.rows for c in r.cells)
    assert "A&B <控制> {{ x }} {% if 1 %}" in header


def test_only_unknown_document_is_a_usage_error(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    result = run_cli("build", str(root), "--only", "QP-77")
    assert result.exit_code == 2
    assert "QP-77" in result.output


def test_not_a_workspace(tmp_path: Path) -> None:
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert "not a dossier workspace" in result.output


def test_escaped_control_character_in_a_value_names_the_field(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    procedure = root / "content" / "QP-01.yaml"
    procedure.write_text(procedure.read_text(encoding="utf-8").replace("department: 质量部", 'department: "质\\x01量部"'), encoding="utf-8")
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("address: \"\"", 'address: "\\uFFFE"'), encoding="utf-8")
    result = run_cli("build", str(root))
    assert result.exit_code == 2
    errors = _errors(result)
    assert any(e.startswith("error: content/QP-01.yaml:6: department: character '\\x01'") for e in errors), errors
    assert any(e.startswith("error: dossier.yaml:3: company.address: character") for e in errors), errors
    assert not (root / "build").exists()


def test_bad_numbering_pattern_template_and_image_are_input_errors(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('procedure: "QP-\\\\d{2}"', 'procedure: "QP-("'), encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "record_form.docx").write_text("garbage", encoding="utf-8")
    (root / "content" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n![图](broken.png)\n![图](missing.png)\n", encoding="utf-8")
    (root / "content" / "QP-09.yaml").write_text("# nothing yet\n", encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2, result.output
    errors = "\n".join(_errors(result))
    assert "dossier.yaml:7: numbering.procedure: not a valid regular expression" in errors
    assert "templates/record_form.docx: template: not a readable .docx template" in errors
    assert "body: image broken.png: not a readable" in errors and "body: image missing.png: file not found" in errors
    assert "content/QP-09.yaml:1: the file is empty" in errors
    assert "Traceback" not in result.output


def test_unusable_build_directory_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (root / "build").write_text("a file where the build folder should be", encoding="utf-8")
    result = run_cli("build", str(root), "--format", "docx")
    assert result.exit_code == 3
    assert result.output.strip().startswith("error: ") and "Traceback" not in result.output


def test_a_broken_document_is_not_reported_again_as_unknown_where_cited(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n见 [[QR-01-01]]。\n", encoding="utf-8")
    (root / "content" / "QR-01-01.yaml").write_text("id: QR-01-01\ntitle: [unclosed\n", encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    errors = _errors(result)
    assert any(e.startswith("error: content/QR-01-01.yaml") and "invalid YAML" in e for e in errors), errors
    assert not any("unknown document QR-01-01" in e for e in errors), errors


def test_image_syntax_in_code_is_text_and_escaped_names_resolve(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (root / "content" / "流程 图.png").write_bytes((REPO / "tests" / "data" / "org-chart.png").read_bytes())
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n写法示例：`![图](不存在.png)`\n\n"
                    "    ![图](也不存在.png)\n\n![流程](<流程 图.png>)\n\n![缺失](缺失.png)\n\n![绝对](/tmp/x.png)\n", encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    errors = _errors(result)
    lines = body.read_text(encoding="utf-8").splitlines()
    assert errors == [f"error: content/QP-01.md:{lines.index('![缺失](缺失.png)') + 1}: body: image 缺失.png: file not found",
                      f"error: content/QP-01.md:{lines.index('![绝对](/tmp/x.png)') + 1}: body: image /tmp/x.png: only files "
                      "next to the document can be embedded (a relative path, not a URL or an absolute path)"]
