"""Renewals (第十四条): key items only, exemptions for items that passed national sampling
inspection within two years, recorded with their evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import cli
from dossier.disinfectant.evaluation import evaluate
from dossier.disinfectant.report import check_product
from dossier.disinfectant.workspace import load_checked
from dossier.errors import InputErrors
from tests.disinfectant_support import EXAMPLES, copy_example, edit

RENEWAL = "iodophor-renewal"


def load(path: Path):
    (product,) = load_checked([path])
    return product


def test_the_renewal_example_passes_check() -> None:
    product = load(EXAMPLES / RENEWAL / "product.yaml")
    report = check_product(product, product.evaluation_date)
    assert report.ok and report.evaluation.conclusion, report.findings
    plan = {i.item: i for i in report.evaluation.plan.items}
    assert [i for i, r in plan.items() if r.requirement == "required"] == ["有效成分含量测定", "pH值测定", "实验室对微生物杀灭效果测定"]
    assert plan["外观"].shown == "+（按第十四条只作关键项目）" and not plan["外观"].sign_off
    assert plan["实验室对微生物杀灭效果测定"].notes == ["一项抗力最强的微生物杀灭试验（第十四条）"]
    (ph,) = [c for c in report.evaluation.coverage if c.requirement.item == "pH值测定"]
    assert ph.exemption is not None and ph.exemption.report == "GJCJ-2024-0456" and not ph.entries
    assert ph.exemption.evidence[0].name == "sampling-2024.png"
    result = CliRunner().invoke(cli, ["disinfectant", "check", str(EXAMPLES / RENEWAL / "product.yaml"), "--today", "2025-05-01"])
    assert result.exit_code == 0, result.output
    assert "renewal (第十四条) of the evaluation of 2021-06-10, evaluated 2025-04-28, valid until 2029-04-28" in result.stdout


def test_without_the_exemption_ph_is_missing(tmp_path: Path) -> None:
    path = copy_example(tmp_path, RENEWAL)
    edit(path, "      - item: pH值测定\n", "      - item: 有效成分含量测定\n")
    evaluation = evaluate(load(path))
    assert evaluation.missing == ("pH值测定",) and not evaluation.conclusion


@pytest.mark.parametrize("old, new, why", [
    ("        date: 2024-08-20\n", "        date: 2023-04-27\n",
     "pH值测定（2024年国家消毒产品监督抽检 2023-04-27 不在评价日期前2年内）"),
    ("        conclusion: 合格\n        evidence", "        conclusion: 不合格\n        evidence",
     "pH值测定（2024年国家消毒产品监督抽检结论为不合格）"),
])
def test_an_exemption_that_does_not_hold_is_a_finding(tmp_path: Path, old: str, new: str, why: str) -> None:
    path = copy_example(tmp_path, RENEWAL)
    edit(path, old, new)
    evaluation = evaluate(load(path))
    assert evaluation.void_exemptions == (why,) and evaluation.missing == ("pH值测定",)
    assert f"抽检免做不成立（第十四条）：{why}" in evaluation.findings()


def test_an_exemption_names_a_key_item_and_its_evidence(tmp_path: Path) -> None:
    path = copy_example(tmp_path, RENEWAL)
    edit(path, "      - item: pH值测定\n", "      - item: 外观\n")
    edit(path, "evidence: [materials/sampling-2024.png]", "evidence: [materials/missing.png]")
    with pytest.raises(InputErrors) as caught:
        load_checked([path])
    messages = [str(p) for p in caught.value.problems]
    assert any("evaluation.renewal.sampling_exemptions[1].item: '外观' is not a key item of a renewal" in m for m in messages)
    assert any("sampling_exemptions[1].evidence[1]: file not found: materials/missing.png" in m for m in messages)


def test_a_second_class_product_is_not_renewed(tmp_path: Path) -> None:
    path = copy_example(tmp_path, "plasma-air-device")
    edit(path, "  date: 2024-06-18\n", "  date: 2024-06-18\n  renewal: {previous_date: 2020-06-18}\n")
    with pytest.raises(InputErrors, match="a renewal .第十四条. applies to class 1 products; this product is class 2"):
        load_checked([path])
    result = CliRunner().invoke(cli, ["disinfectant", "tests", "--type", "消毒器械", "--usage", "空气", "--renewal"])
    assert result.exit_code == 2 and "第十四条 renews class 1 products" in result.output


def test_a_late_renewal_is_a_warning(tmp_path: Path) -> None:
    path = copy_example(tmp_path, RENEWAL)
    edit(path, "previous_date: 2021-06-10", "previous_date: 2021-04-10")
    product = load(path)
    report = check_product(product, product.evaluation_date)
    assert any(w.startswith("renewal evaluated 2025-04-28, after the previous report expired on 2025-04-10") for w in report.warnings)


def test_tests_renewal_lists_the_key_items() -> None:
    result = CliRunner().invoke(
        cli, ["disinfectant", "tests", "--type", "消毒器械", "--usage", "医疗器械灭菌与高水平消毒", "--renewal",
              "--fact", "压力蒸汽灭菌器", "--date", "2018-01-02"])
    assert result.exit_code == 0, result.output
    required = [line.split()[1] for line in result.stdout.splitlines() if line.endswith("  required")]
    assert required == ["主要杀菌因子强度测定（含变化曲线）", "实验室对微生物杀灭效果测定"]
