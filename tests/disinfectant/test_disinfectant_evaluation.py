"""Evaluation: completeness, results, one batch, Annex 3 answers; validity and re-tests."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from dossier.cli import cli
from dossier.disinfectant.evaluation import evaluate
from dossier.disinfectant.validity import expiry_date, validity_warnings
from dossier.disinfectant.workspace import load_checked, workspace_validity_warnings
from tests.disinfectant_support import EXAMPLES, copy_example, edit


def load(path: Path):
    (product,) = load_checked([path])
    return product


PH_ITEM = """      - item: pH值测定
        result: pH 6.9（25 ℃）
        conclusion: 合格
"""


def test_examples_are_complete_and_conform() -> None:
    for name in ("skin-ethanol", "plasma-air-device"):
        evaluation = evaluate(load(EXAMPLES / name / "product.yaml"))
        assert evaluation.complete and evaluation.one_batch and not evaluation.nonconforming
        assert evaluation.conclusion and evaluation.findings() == []
    skin = evaluate(load(EXAMPLES / "skin-ethanol" / "product.yaml"))
    assert skin.answers[10] is None and skin.answers[8] is False
    device = evaluate(load(EXAMPLES / "plasma-air-device" / "product.yaml"))
    assert device.answers[8] is None and device.answers[9] is None and device.answers[10] is True


def test_removing_a_required_test_turns_completeness_and_conclusion_to_no(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(path, PH_ITEM, "")
    evaluation = evaluate(load(path))
    assert evaluation.missing == ("pH值测定",)
    assert evaluation.answers[4] is False and evaluation.answers[13] is False
    assert evaluation.findings() == ["检验项目不齐全，缺少：pH值测定"]


def test_a_test_named_by_a_note_must_be_reported(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(
        path,
        "tests: [金黄色葡萄球菌定量杀菌试验, 大肠杆菌定量杀菌试验, 白色念珠菌定量杀菌试验]",
        "tests: [金黄色葡萄球菌定量杀菌试验, 大肠杆菌定量杀菌试验]",
    )
    evaluation = evaluate(load(path))
    assert evaluation.missing == ("实验室对微生物杀灭效果测定（白色念珠菌定量杀菌试验）",)
    assert not evaluation.conclusion


def test_nonconforming_result_and_second_batch(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(
        path,
        "        result: pH 6.9（25 ℃）\n        conclusion: 合格",
        "        result: pH 3.1（25 ℃）\n        conclusion: 不合格",
    )
    edit(
        path,
        'batch: "20240301"\n    items:\n      - item: 毒理学安全性检测',
        'batch: "20240302"\n    items:\n      - item: 毒理学安全性检测',
    )
    evaluation = evaluate(load(path))
    assert evaluation.complete
    assert evaluation.answers[5] is False and not evaluation.conclusion
    findings = evaluation.findings()
    assert "检验结果不符合要求：pH值测定（报告HDJC-2024-LH0412：pH 3.1（25 ℃），不合格）" in findings
    assert (
        "检验项目未使用同一个批次产品完成（第十条）：批次20240301：HDJC-2024-LH0412、HDJC-2024-WS0413；"
        "批次20240302：HDJC-2024-DL0414"
    ) in findings


def test_evaluator_answers_decide_their_questions(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(path, "prohibited_materials_added: 否", "prohibited_materials_added: 是")
    evaluation = evaluate(load(path))
    assert evaluation.answers[8] is True and not evaluation.conclusion
    assert evaluation.findings() == ["第8项“产品配方是否添加了禁止使用的原材料”评价为是"]


def test_cli_check_exit_codes(tmp_path: Path) -> None:
    good = CliRunner().invoke(
        cli, ["disinfectant", "check", str(EXAMPLES / "skin-ethanol" / "product.yaml"), "--today", "2024-06-01"]
    )
    assert good.exit_code == 0, good.output
    assert "评价结论: 是" in good.output and "valid until 2028-05-20" in good.output
    path = copy_example(tmp_path)
    edit(path, PH_ITEM, "")
    bad = CliRunner().invoke(cli, ["disinfectant", "check", str(path), "--today", "2024-06-01"])
    assert bad.exit_code == 1
    assert "检验项目是否齐全: 否" in bad.output and "缺少：pH值测定" in bad.output


def test_first_class_expires_after_four_years_with_warning_ahead() -> None:
    product = load(EXAMPLES / "skin-ethanol" / "product.yaml")  # evaluated 2024-05-20, class 1
    assert expiry_date(product) == date(2028, 5, 20)
    assert validity_warnings(product, date(2027, 11, 21)) == []  # 181 days ahead
    ahead = validity_warnings(product, date(2027, 11, 22))
    assert len(ahead) == 1 and "expires on 2028-05-20, in 180 days" in ahead[0]
    assert "有效成分含量、pH值、一项抗力最强的微生物杀灭试验" in ahead[0]
    expired = validity_warnings(product, date(2028, 5, 20))
    assert len(expired) == 1 and "expired on 2028-05-20" in expired[0]


def test_second_class_is_long_term() -> None:
    product = load(EXAMPLES / "plasma-air-device" / "product.yaml")
    assert expiry_date(product) is None
    assert validity_warnings(product, date(2099, 1, 1)) == []


def test_declared_changes_list_the_retests(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(
        path,
        "  answers:\n",
        """  changes:
    - {change: 生产地址变更, date: 2024-03-01}
    - {change: 生产地址变更, date: 2025-01-10}
    - {change: 延长有效期, date: 2025-02-01, original_sample: true}
    - {change: 增加使用范围, date: 2025-03-01, usages: [一般物体表面和织物]}
    - {change: 配方或结构变更, date: 2025-04-01}
  answers:
""",
    )
    warnings = validity_warnings(load(path), date(2025, 5, 1))
    assert len(warnings) == 4  # the change before the evaluation is already covered
    assert "re-test 有效成分含量测定、原液稳定性试验、pH值测定 (第十二条（一）)" in warnings[0]
    assert "re-test 稳定性试验 (第十二条（二）)" in warnings[1]
    assert "实验室对微生物杀灭效果测定（金黄色葡萄球菌定量杀菌试验）" in warnings[2]
    assert "毒理学安全性检测" not in warnings[2]  # ethanol on surfaces: note ⑦ names no test
    assert "no re-test named (第十四条)" in warnings[3]


def test_device_site_move_retests(tmp_path: Path) -> None:
    path = copy_example(tmp_path, "plasma-air-device")
    edit(path, "  answers:\n", "  changes:\n    - {change: 生产地址变更, date: 2025-01-10}\n  answers:\n")
    (warning,) = validity_warnings(load(path), date(2025, 5, 1))
    assert "re-test 主要杀菌因子强度测定（不具备杀菌因子测定条件的应当进行模拟现场试验）" in warning


def test_workspace_validity_warnings(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    (workspace / "content").mkdir(parents=True)
    shutil.copytree(EXAMPLES, workspace / "content" / "disinfectant")
    warnings = workspace_validity_warnings(workspace, date(2028, 1, 1))
    assert len(warnings) == 1
    assert warnings[0].startswith("content/disinfectant/skin-ethanol/product.yaml: 示例牌75%乙醇皮肤消毒液: ")
