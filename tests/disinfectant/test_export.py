"""`dossier disinfectant export PRODUCT --json`: every field of Annex 3 and 4 for the online platform."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import cli
from dossier.disinfectant.evaluation import evaluate
from dossier.disinfectant.export import export
from dossier.disinfectant.workspace import load_checked
from tests import regulation_forms as reg
from tests.conftest import REPO
from tests.disinfectant_support import EXAMPLES, copy_example, make_imported


def exported(path: Path) -> dict:
    (product,) = load_checked([path])
    return export(evaluate(product))


def test_every_annex3_and_annex4_field_is_exported_with_the_form_labels() -> None:
    data = exported(EXAMPLES / "skin-ethanol" / "product.yaml")
    a3, a4 = data["annex3"], data["annex4"]
    form3, form4 = reg.annex3(), reg.annex4()
    assert [f["label"] for f in a3["cover"]] == form3.cover
    assert [f["label"] for f in a3["basic"]] == [label for row in form3.basic for label in row]
    assert [q["label"] for q in a3["questions"]] == [i.label for i in form3.items]
    assert [m["number"] + m["title"] for m in a3["materials"]] == form3.materials
    sub_labels = [label for _, labels in form4.groups for label in labels]
    assert [f["label"] for f in a4["fields"]] == ["中文", "英文", "剂型/型号", *sub_labels[2:]]
    assert [f["label"] for f in a4["applicant"]] == form4.applicant
    basic = {(f["field"], f["label"]): f["value"] for f in a3["basic"]}
    assert basic["responsible.phone", "电话"] == "0512-6000 0088" and basic["responsible.postcode", "邮编"] == "215000"
    assert basic["manufacturer.hygiene_licence", "实际生产企业卫生许可证号"] == "苏卫消证字（2021）第3205-0088号"
    assert basic["import.customs_declaration", "进口产品报关单号"] == ""
    questions = {q["number"]: q for q in a3["questions"]}
    assert questions[1]["answer"] == "第一类" and questions[8]["answer"] == "否"
    assert questions[10] == {"number": 10, "label": "器械结构图是否与产品实际结构一致", "options": ["是", "否"],
                             "answer": None, "applies": False}
    china = [f for f in a4["fields"] if f["group"] == "在华责任单位"]
    assert [f["value"] for f in china] == [""] * 6  # 第四条: imports only
    assert {f["label"]: f["value"] for f in a4["fields"]}["产品类别"] == "第一类产品"
    materials = {m["number"]: m for m in a3["materials"]}
    assert materials["（四）"]["files"] == ["materials/licence.png"] and not materials["（七）"]["applies"]


def test_an_import_exports_its_unit_in_china(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    make_imported(path)
    fields = {(f["group"], f["label"]): f["value"] for f in exported(path)["annex4"]["fields"]}
    assert fields["在华责任单位", "名称"] == "示例医疗科技有限公司" and fields["在华责任单位", "邮编"] == "215000"
    assert fields["产品名称", "英文"] == "Example 75% Ethanol Skin Disinfectant"


@pytest.mark.parametrize("target", ["skin-ethanol", "content/disinfectant/skin-ethanol",
                                    "content/disinfectant/skin-ethanol/product.yaml"])
def test_cli_export_by_name_folder_or_file(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, ["disinfectant", "export", target, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["product"] == "content/disinfectant/skin-ethanol/product.yaml" and data["rule_set"] == "ws2014"
    assert result.stderr.startswith("warning: content/disinfectant/skin-ethanol/product.yaml:32: evaluation.date: "
                                    "rule set ws2014: WS 628—2018")


def test_cli_export_text_and_bad_product(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    text = CliRunner().invoke(cli, ["disinfectant", "export", "plasma-air-device"]).stdout.splitlines()
    assert "  电话：0512-6000 0088" in text and "  在华责任单位/名称：" in text and "  产品名称：：" not in text
    missing = CliRunner().invoke(cli, ["disinfectant", "export", "no-such-product", "--json"])
    assert missing.exit_code == 2 and "no-such-product" in missing.output
