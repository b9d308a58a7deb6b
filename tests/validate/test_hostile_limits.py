"""Output-format limits are known to check (issue 14 #6) and extra table cells are a warning (#10)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from dossier.pdf.normalise import normalise_pdf
from tests.conftest import run_cli
from tests.hostile_support import edit, errors, new_workspace


def _append(root: Path, text: str) -> int:
    """Append Markdown to QP-01's body; the line number of its first line."""
    body = root / "content" / "QP-01.md"
    before = body.read_text(encoding="utf-8")
    body.write_text(before + "\n" + text, encoding="utf-8")
    return len(before.splitlines()) + 2


def test_table_row_with_more_cells_than_its_header_warns_naming_the_line(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    first = _append(root, "| 项目 | 要求 |\n|---|---|\n| 温度 | 20 ℃ | 多出的一格 |\n| 湿度 | 45 % |\n")
    result = run_cli("check", str(root))
    assert result.exit_code == 0, result.output
    assert f"warning: content/QP-01.md:{first + 2}: body: this table row has 3 cells but its header 2; the cells beyond " \
           "the first 2 are dropped (add header cells or remove them)" in result.output.splitlines()
    assert "ok: 2 documents valid (1 warning)" in result.output


def test_more_than_63_columns_is_an_error(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    cells = " | ".join(f"c{i}" for i in range(64))
    first = _append(root, f"| {cells} |\n|{'---|' * 64}\n")
    form = root / "content" / "QR-01-01.yaml"
    text = form.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.strip().startswith("columns:"))
    edit(form, text.splitlines()[line - 1], "  columns: [" + ", ".join(f"列{i}" for i in range(64)) + "]")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: content/QP-01.md:{first}: body: a table of 64 columns; Word holds at most 63 (split the table)",
        f"error: content/QR-01-01.yaml:{line}: form.columns: 64 columns; Word holds at most 63 in a table"]


def test_lists_deeper_than_word_numbers_are_an_error(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    first = _append(root, "".join("  " * depth + f"- 第{depth + 1}层\n" for depth in range(10)))
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert errors(result) == [f"error: content/QP-01.md:{first + 9}: body: a list nested 10 levels deep; Word numbers at most 9 levels"]


def test_an_id_too_long_for_a_file_name_is_an_error(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    long_id = "QP-" + "文" * 70
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "numbering: {procedure: 'QP-.+'}\n", encoding="utf-8")
    (root / "content" / "QP-01.yaml").rename(root / "content" / f"{long_id}.yaml")
    (root / "content" / "QP-01.md").rename(root / "content" / f"{long_id}.md")
    edit(root / "content" / f"{long_id}.yaml", "id: QP-01", f"id: {long_id}")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert f"error: content/{long_id}.yaml:1: id: 213 bytes; a document id names its files and may have at most 200 bytes (UTF-8)" \
        in errors(result)


@pytest.mark.parametrize(("field", "value"), [("title", "标" * 256), ("title", "长" * 100_000), ("prepared_by.name", "张" * 300)])
def test_long_values_only_shorten_metadata(tmp_path: Path, field: str, value: str) -> None:
    root = new_workspace(tmp_path)
    path = root / "content" / "QP-01.yaml"
    if field == "title":
        edit(path, "title: 文件控制程序", f"title: {value}")
    else:
        edit(path, "prepared_by: {name: 编制人", "prepared_by: {name: " + value)
    result = run_cli("build", str(root), "--format", "docx", "--only", "QP-01")
    assert result.exit_code == 0, result.output[:500]
    from docx import Document

    core = Document(root / "build" / "QP-01.docx").core_properties
    assert len(core.title) <= 255 and len(core.author) <= 255


def test_pdf_title_metadata_is_shortened() -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    out = normalise_pdf(buffer.getvalue(), datetime(2026, 1, 1), title="题" * 1000)
    title = PdfReader(io.BytesIO(out)).metadata["/Title"]
    assert len(title) == 255 and title.endswith("…")
