"""`covers:` and the Art. 130 list: every mistake is an input error naming file, line and field (exit 2)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import copy_workspace, run_cli


def scaffold(root: Path, covers: str = "", form_covers: str = "", coverage: str = "") -> Path:
    """`dossier init` (QP-01 文件控制程序, QR-01-01 文件发放回收记录) with `covers:` lines and a `coverage:` block."""
    assert run_cli("init", str(root)).exit_code == 0
    for name, line in (("QP-01", covers), ("QR-01-01", form_covers)):
        if line:
            path = root / "content" / f"{name}.yaml"
            path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    if coverage:
        config = root / "dossier.yaml"
        config.write_text(config.read_text(encoding="utf-8") + coverage, encoding="utf-8")
    return root


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def test_a_reasonless_not_applicable_article_is_exit_2_naming_the_line(tmp_path: Path) -> None:
    root = scaffold(tmp_path / "ws", "covers: [43]", coverage="coverage:\n  not_applicable:\n    - {article: 58}\n")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    line = line_of(root / "dossier.yaml", "{article: 58}")
    assert (f"error: dossier.yaml:{line}: coverage.not_applicable[1].reason: is required: Art. 130 allows an article "
            "to be declared not applicable only with the reason") in errors(result)
    assert run_cli("coverage", str(root), "--no-files").exit_code == 2


def test_an_unknown_article_in_covers_names_the_document_line(tmp_path: Path) -> None:
    root = scaffold(tmp_path / "ws", "covers: [43, 133, {article: 45, section: '4.2'}]")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    line = line_of(root / "content" / "QP-01.yaml", "covers:")
    assert f"error: content/QP-01.yaml:{line}: covers[2]: unknown article 133 of device-gmp-2025 (articles: 1–132)" in errors(result)
    assert len(errors(result)) == 1


def test_claiming_an_article_declared_not_applicable_is_a_contradiction(tmp_path: Path) -> None:
    root = scaffold(tmp_path / "ws", "covers: [43, 120]",
                    coverage="coverage:\n  not_applicable:\n    - {article: 120, reason: 产品无需安装}\n")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    config_line = line_of(root / "dossier.yaml", "article: 120")
    assert any(e.startswith("error: content/QP-01.yaml:") and f"QP-01 claims to meet article 120, which dossier.yaml:{config_line} "
               "declares not applicable; keep one" in e for e in errors(result)), result.output


def test_informative_duplicate_and_malformed_declarations(tmp_path: Path) -> None:
    coverage = ("coverage:\n  rules: device-gmp-2025\n  drafts_cover: yes please\n  not_applicable:\n"
                "    - {article: 1, reason: 总则}\n    - {article: 120, reason: 无需安装}\n    - {article: 120, reason: 重复}\n"
                "    - {article: 115, reason: 无外协, review: maybe}\n    - 116\n")
    root = scaffold(tmp_path / "ws", "covers: [43, 43, x]", coverage=coverage)
    found = errors(run_cli("check", str(root)))
    config = root / "dossier.yaml"
    expected = [
        f"dossier.yaml:{line_of(config, 'drafts_cover')}: coverage.drafts_cover: expected true or false, got 'yes please'",
        f"dossier.yaml:{line_of(config, 'article: 1,')}: coverage.not_applicable[1].article: article 1 (第一条) places no requirement",
        f"coverage.not_applicable[3].article: article 120 is already declared not applicable (line {line_of(config, '无需安装')})",
        "coverage.not_applicable[4].review: expected true or false, got 'maybe'",
        f"dossier.yaml:{line_of(config, '- 116')}: coverage.not_applicable[5]: expected {{article: N, reason: why it does not apply (Art. 130)}}",
        f"content/QP-01.yaml:{line_of(root / 'content/QP-01.yaml', 'covers:')}: covers[2]: article 43 is listed twice",
        f"content/QP-01.yaml:{line_of(root / 'content/QP-01.yaml', 'covers:')}: covers[3]: unknown article x of device-gmp-2025",
    ]
    for text in expected:
        assert any(text in line for line in found), (text, found)


def test_an_unknown_rule_set_and_a_mapping_for_another_rule_set(tmp_path: Path) -> None:
    root = scaffold(tmp_path / "ws", "covers: {iso-13485-2016: [7]}", coverage="coverage:\n  rules: [device-gmp-2025, drug-gmp-2010]\n")
    found = errors(run_cli("check", str(root)))
    assert any("coverage.rules: unknown rule set 'drug-gmp-2010' (available: device-gmp-2025)" in e for e in found), found
    assert any("covers.iso-13485-2016: rule set 'iso-13485-2016' is not checked by this workspace" in e for e in found), found


def test_covers_per_rule_set_as_a_mapping(tmp_path: Path) -> None:
    root = scaffold(tmp_path / "ws", "covers: {device-gmp-2025: [43, {article: 45, section: '4'}]}")
    assert run_cli("check", str(root)).exit_code == 0


def test_record_type_only_on_record_forms_and_only_known_types(tmp_path: Path) -> None:
    root = scaffold(tmp_path / "ws", "record_type: batch_production", "record_type: sales_ledger")
    found = errors(run_cli("check", str(root)))
    line = line_of(root / "content/QP-01.yaml", "record_type:")
    assert any(f"content/QP-01.yaml:{line}: record_type: only record forms (kind: record_form) have a record type" in e for e in found), found
    assert any("content/QR-01-01.yaml:" in e and "record_type: unknown record type 'sales_ledger' (known: batch_production, "
               "inspection, management_review, purchase_order, release, sales)" in e for e in found), found


def test_a_record_form_lacking_a_prescribed_field_names_the_article_and_the_field(tmp_path: Path) -> None:
    root = scaffold(tmp_path / "ws")
    form = root / "content" / "QR-01-01.yaml"
    text = form.read_text(encoding="utf-8").replace(
        "  columns: [序号, 文件编号, 文件名称, 版本, 发放号, 领用人, 发放日期, 回收日期, 备注]",
        "  columns: [序号, 医疗器械名称, 规格, 型号, 数量, 生产批号或者产品编号(序列号), 医疗器械唯一标识, 销售日期, 购货单位名称, 地址]")
    form.write_text(text.replace("title: 文件发放回收记录", "title: 销售记录\nrecord_type: sales"), encoding="utf-8")
    found = errors(run_cli("check", str(root)))
    line = line_of(form, "form:")
    assert found == [
        f"error: content/QR-01-01.yaml:{line}: form: 销售记录 (device-gmp-2025 Art. 117, 第一百一十七条) must show "
        "'使用期限(预期使用期限)或者失效日期': add it to form.header_fields, form.columns or form.footer_fields, written exactly so",
        f"error: content/QR-01-01.yaml:{line}: form: 销售记录 (device-gmp-2025 Art. 117, 第一百一十七条) must show "
        "'联系方式': add it to form.header_fields, form.columns or form.footer_fields, written exactly so",
    ]


def test_coverage_blocks_with_unknown_options_are_input_errors(tmp_path: Path) -> None:
    root = scaffold(tmp_path / "ws", "covers: [43]")
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n```{coverage}\nshow: everything\nlayout: wide\n```\n", encoding="utf-8")
    found = errors(run_cli("check", str(root)))
    assert f"error: content/QP-01.md:{line_of(body, 'show: everything')}: body: {{coverage}} block: show is one of articles, " \
           "not_applicable, got 'everything'" in found, found
    assert any(f"content/QP-01.md:{line_of(body, 'layout: wide')}: body: {{coverage}} block: expected" in e for e in found), found


def test_removing_a_prescribed_field_from_the_example_batch_record_names_art_81_and_the_field(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path / "ws")
    form = root / "content" / "QR-13-01.yaml"
    text = form.read_text(encoding="utf-8")
    assert "主要设备, " in text
    form.write_text(text.replace("主要设备, ", "", 1), encoding="utf-8")
    found = errors(run_cli("check", str(root)))
    assert found == [f"error: content/QR-13-01.yaml:{line_of(form, 'form:')}: form: 生产记录 (device-gmp-2025 Art. 81, 第八十一条) must show "
                     "'主要设备': add it to form.header_fields, form.columns or form.footer_fields, written exactly so"]
