"""Hygiene licences (number and validity) and laboratories' qualifications (第十一条) in `check`."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import cli
from dossier.disinfectant.report import check_product
from dossier.disinfectant.workspace import load_checked
from dossier.errors import InputErrors
from tests.disinfectant_support import EXAMPLES, LICENCES, copy_example, edit


def report(path: Path, today: date):
    (product,) = load_checked([path])
    return check_product(product, today)


@pytest.fixture()
def skin(tmp_path: Path) -> Path:
    """The skin-ethanol example with the workspace's labs.yaml beside it."""
    shutil.copy(EXAMPLES / "labs.yaml", tmp_path / "labs.yaml")
    return copy_example(tmp_path)


def test_the_examples_pass_with_renewed_licences_and_qualified_labs() -> None:
    products = load_checked(sorted(EXAMPLES.glob("*/product.yaml")))
    for product in products:
        result = check_product(product, date(2026, 11, 30))
        assert result.ok, result.findings
        assert not [w for w in result.warnings if "licence" in w or "labs" in w]
    assert {p.licence.number for p in products if p.licence} == {"苏卫消证字（2021）第3205-0088号", "苏卫消证字（2025）第3205-0088号"}


def test_an_expired_licence_is_reported(skin: Path) -> None:
    edit(skin, LICENCES, "  hygiene_licence: {number: 苏卫消证字（2021）第3205-0088号, valid_from: 2021-03-15, valid_until: 2025-03-14}\n")
    assert report(skin, date(2025, 3, 14)).ok
    late = report(skin, date(2025, 3, 15))
    assert late.findings == ("卫生许可证苏卫消证字（2021）第3205-0088号已于2025-03-14到期（今天2025-03-15）：记录换发的卫生许可证"
                             "（manufacturer.hygiene_licence）",)
    soon = report(skin, date(2025, 1, 2))
    assert "hygiene licence 苏卫消证字（2021）第3205-0088号 expires on 2025-03-14; record the renewed licence" in soon.warnings
    result = CliRunner().invoke(cli, ["disinfectant", "check", str(skin), "--today", "2026-01-01"])
    assert result.exit_code == 1 and "已于2025-03-14到期" in result.output


def test_a_licence_not_valid_on_the_evaluation_date_is_reported(skin: Path) -> None:
    edit(skin, "valid_from: 2021-03-15, valid_until: 2025-03-14", "valid_from: 2024-06-01, valid_until: 2025-03-14")
    (finding,) = report(skin, date(2025, 1, 1)).findings
    assert finding.startswith("卫生许可证：评价日期2024-05-20无有效的卫生许可证（苏卫消证字（2021）第3205-0088号（2024-06-01至2025-03-14）")


def test_a_licence_number_alone_is_accepted_with_a_warning(skin: Path) -> None:
    edit(skin, LICENCES, "  hygiene_licence: 苏卫消证字（2021）第3205-0088号\n")
    result = report(skin, date(2030, 1, 1))
    assert result.ok and any("validity not recorded" in w for w in result.warnings)


def test_licence_input_errors_are_located(skin: Path) -> None:
    edit(skin, "valid_until: 2029-03-09", "valid_until: 2029-13-09")
    edit(skin, LICENCES.splitlines()[1], "    - {number: 苏卫消证字（2021）第3205-0088号, valid_from: 2021-03-15}")
    with pytest.raises(InputErrors) as caught:
        load_checked([skin])
    messages = sorted(str(p) for p in caught.value.problems)
    assert any("manufacturer.hygiene_licence[1].valid_until: is required" in m for m in messages)
    assert any("manufacturer.hygiene_licence[2].valid_until: expected a date YYYY-MM-DD, got '2029-13-09'" in m for m in messages)


def test_an_expired_lab_qualification_is_reported(skin: Path) -> None:
    labs = skin.parent.parent / "labs.yaml"
    edit(labs, "valid_from: 2020-06-01\n        valid_until: 2026-05-31", "valid_from: 2018-06-01\n        valid_until: 2024-04-30")
    # the reports of 2024-04-22 and 2024-04-26 were covered; the one of 2024-05-08 was not
    assert report(skin, date(2025, 1, 1)).findings == (
        "检验机构华东示例消毒产品检验中心（报告HDJC-2024-DL0414，2024-05-08）：资质认定证书201012340567已于2024-04-30到期（第十一条）",
    )
    result = CliRunner().invoke(cli, ["disinfectant", "check", str(skin), "--today", "2025-01-01"])
    assert result.exit_code == 1


def test_a_report_outside_the_labs_scope_is_reported(skin: Path) -> None:
    labs = skin.parent.parent / "labs.yaml"
    edit(labs, "scope: [外观, 有效成分含量测定, pH值测定,", "scope: [外观, 有效成分含量测定,")
    (finding,) = report(skin, date(2025, 1, 1)).findings
    assert finding == ("检验机构华东示例消毒产品检验中心（报告HDJC-2024-LH0412，2024-04-22）：资质认定证书201012340567的"
                       "检验能力范围不含“pH值测定”（第十一条）")


def test_an_unlisted_lab_is_reported_and_no_labs_file_is_a_warning(skin: Path, tmp_path: Path) -> None:
    edit(skin, "  - lab: 华东示例消毒产品检验中心\n    number: HDJC-2024-DL0414", "  - lab: 某检测公司\n    number: HDJC-2024-DL0414")
    (finding,) = report(skin, date(2025, 1, 1)).findings
    assert finding.startswith("检验机构某检测公司（报告HDJC-2024-DL0414，2024-05-08）：")
    assert finding.endswith(f"{tmp_path / 'labs.yaml'}未记录其资质认定（第十一条）")
    (tmp_path / "labs.yaml").unlink()
    result = report(skin, date(2025, 1, 1))
    assert result.ok and "no labs.yaml beside the product folders: the laboratories' qualifications (第十一条) are not checked" in result.warnings


def test_labs_file_errors_are_located(skin: Path) -> None:
    labs = skin.parent.parent / "labs.yaml"
    edit(labs, "      - certificate: \"261012340567\"\n", "      - certifcate: \"261012340567\"\n")
    with pytest.raises(InputErrors) as caught:
        load_checked([skin], skin.parent.parent)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("labs.yaml:") and "labs[1].qualifications[2].certifcate: unknown field" in m for m in messages)
