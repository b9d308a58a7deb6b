"""`dossier coverage` on the example workspace (the device-gmp-2025 starter): statuses, exit status, the QM's table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from docx import Document

from dossier.coverage.catalogue import load_rules
from tests.conftest import REPO, copy_workspace, run_cli


def coverage_json(root: Path, *options: str):
    result = run_cli("coverage", str(root), "--json", "--no-files", *options)
    return result, json.loads(result.stdout)


def drop_article(path: Path, article: int) -> None:
    """Remove `article` from the `covers:` list of one document."""
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("covers:"))
    numbers = [n.strip() for n in line.removeprefix("covers:").strip(" []").split(",") if n.strip() != str(article)]
    path.write_text(text.replace(line, f"covers: [{', '.join(numbers)}]"), encoding="utf-8")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_workspace(tmp_path / "ws")


def test_the_example_meets_every_article_that_requires_a_document() -> None:
    result, data = coverage_json(REPO)
    assert result.exit_code == 0, result.output
    rules = load_rules()
    declared = {e["article"] for e in yaml.safe_load((REPO / "dossier.yaml").read_text(encoding="utf-8"))["coverage"]["not_applicable"]}
    assert [a["article"] for a in data["articles"]] == list(range(1, 133))
    for row in data["articles"]:
        article = rules.article(row["article"])
        expected = "informative" if article.informative else "not_applicable" if row["article"] in declared else "covered"
        assert row["status"] == expected, row
        if expected == "covered":
            assert row["documents"] and all(d["state"] == "draft" and d["revision"] == "A" for d in row["documents"])
    summary = data["summary"]
    assert (summary["covered"], summary["not_applicable"], summary["gap"], summary["informative"]) == (112, 11, 0, 9)
    assert summary["requiring_documents"] == summary["requiring_documents_met"] == 70 and summary["failing"] == []


def test_article_43_without_its_procedure_fails_and_is_named(example: Path) -> None:
    drop_article(example / "content" / "QP-04.yaml", 43)
    result, data = coverage_json(example)
    assert result.exit_code == 1
    assert ("gap: device-gmp-2025 Art. 43 (第四十三条): requires 文件控制程序 (程序), which only a procedure / quality_manual / "
            "work_instruction can be; covered only by QR-04-02（记录表单）、QR-04-03（记录表单）、QR-04-04（记录表单）、QR-04-05（记录表单）"
            ) in result.stderr
    assert data["summary"]["failing"] == [43]
    for form in ("QR-04-02", "QR-04-03", "QR-04-04", "QR-04-05"):
        drop_article(example / "content" / f"{form}.yaml", 43)
    result = run_cli("coverage", str(example), "--no-files")
    assert result.exit_code == 1
    assert result.stderr.strip() == ("gap: device-gmp-2025 Art. 43 (第四十三条): no document covers it "
                                     "(requires 文件控制程序、文件分发、替换或者撤销、销毁记录)")
    assert re.search(r"^\s*43 gap\s+-$", result.stdout, re.M)


def test_once_the_setup_phase_ends_drafts_no_longer_cover(example: Path) -> None:
    config = example / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  drafts_cover: true\n", ""), encoding="utf-8")
    result, data = coverage_json(example)
    assert result.exit_code == 1
    rules = load_rules()
    declared = {row["article"] for row in data["articles"] if row["status"] == "not_applicable"}
    assert data["summary"]["failing"] == [a.number for a in rules.articles.values() if a.requires and a.number not in declared]
    assert "gap: device-gmp-2025 Art. 10 (第十条): covered only by drafts QP-06, QR-06-01 (release them" in result.stderr


def test_an_unknown_rule_set_option_is_a_usage_error() -> None:
    result = run_cli("coverage", str(REPO), "--rules", "iso-13485-2016", "--no-files")
    assert result.exit_code == 2
    assert "unknown rule set 'iso-13485-2016' (available: device-gmp-2025)" in result.output


def test_text_output_lists_each_article_and_the_summary() -> None:
    result = run_cli("coverage", str(REPO), "--no-files")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"\s+43 covered\s+QP-04, QR-04-02, QR-04-03, QR-04-04, QR-04-05", lines[42])
    assert re.fullmatch(r"\s+120 not_applicable\s+一次性使用无菌注射器和注射针无需安装", lines[119])
    assert "device-gmp-2025: 132 articles: 112 已覆盖 (covered), 11 不适用 (not_applicable), 0 缺口 (gap), 9 原则性条款 (informative); " \
           "70 of 70 articles requiring a document met" in result.stdout
    assert "note: 11 articles are declared not applicable with `review: true`" in result.stdout


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    return "\n".join([p.text for p in document.paragraphs] +
                     ["|".join(c.text for c in row.cells) for t in document.tables for row in t.rows])


def test_the_quality_manual_table_is_generated_and_follows_the_covers(example: Path) -> None:
    result = run_cli("build", str(example), "--only", "QM-01", "--format", "docx")
    assert result.exit_code == 0, result.output
    text = _docx_text(example / "build" / "QM-01.docx")
    assert "第一百零七条|委托生产与外协加工|本公司不委托生产，也不接受委托生产" in text  # the Art. 130 table
    assert "第四十三条|文件控制程序；文件分发、替换或者撤销、销毁记录|QP-04 文件控制程序；QR-04-02 文件发放回收记录；" in text
    assert "第九十四条|停产后重新生产规程|QP-33 停产后重新生产管理规程" in text
    assert "{coverage}" not in text
    qp33 = example / "content" / "QP-33.yaml"
    drop_article(qp33, 94)
    qp = example / "content" / "QP-07.yaml"
    qp.write_text(qp.read_text(encoding="utf-8").replace("covers: [25,", "covers: [94, 25,"), encoding="utf-8")
    result = run_cli("build", str(example), "--only", "QM-01", "--format", "docx")
    assert "built QM-01" in result.output  # the manual's key holds the generated table
    text = _docx_text(example / "build" / "QM-01.docx")
    assert "第九十四条|停产后重新生产规程|QP-07 基础设施与工作环境控制程序" in text
    assert "QP-33 停产后重新生产管理规程" not in text


def test_covers_are_not_part_of_a_released_documents_content(example: Path) -> None:
    from dossier.control.digest import inputs_digest
    from dossier.errors import Problems
    from dossier.workspace.load import load_workspace

    before = inputs_digest(ws := load_workspace(example, Problems()), ws.documents["QP-33"])
    drop_article(example / "content" / "QP-33.yaml", 94)
    after = load_workspace(example, Problems())
    assert inputs_digest(after, after.documents["QP-33"]) == before


def test_deleting_the_only_document_covering_article_43_makes_it_a_gap(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "coverage:\n  drafts_cover: true\n", encoding="utf-8")
    (root / "content" / "QP-02.yaml").write_text(
        "id: QP-02\nkind: procedure\ntitle: 文件和记录控制程序\nrevision: A\nprepared_by: {name: 张敏, date: \"2026-11-02\"}\n"
        "covers: [43, 45]\nbody: |\n  # 目的\n\n  控制文件和记录。\n", encoding="utf-8")
    before, data = coverage_json(root)
    assert before.exit_code == 1 and 43 not in data["summary"]["failing"] and 45 not in data["summary"]["failing"]
    (root / "content" / "QP-02.yaml").unlink()
    after, data = coverage_json(root)
    assert after.exit_code == 1 and {43, 45} <= set(data["summary"]["failing"])
    assert "gap: device-gmp-2025 Art. 43 (第四十三条): no document covers it" in after.stderr
