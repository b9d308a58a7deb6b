"""Product YAML: formula checks (CAS, sums, composites, plants, extracts) and located input errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import cli
from dossier.disinfectant.documents.annex4 import annex4
from dossier.disinfectant.evaluation import evaluate
from dossier.disinfectant.formula import cas_problem
from dossier.disinfectant.reader import load_product
from dossier.disinfectant.workspace import load_checked
from dossier.errors import InputErrors, Problems
from tests.disinfectant_support import EXAMPLES, copy_example, edit, make_imported


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        load_checked([path])
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("cas", ["64-17-5", "7732-18-5", "56-81-5", "7681-52-9", "111-30-8", "50-00-0"])
def test_valid_cas_numbers(cas: str) -> None:
    assert cas_problem(cas) is None


@pytest.mark.parametrize(
    "cas, reason",
    [
        ("64-17-6", "check digit 6, expected 5"),
        ("7732-18-4", "check digit 4, expected 5"),
        ("64175", "is not of the form"),
        ("1-17-5", "is not of the form"),
        ("64-17-5a", "is not of the form"),
    ],
)
def test_invalid_cas_numbers(cas: str, reason: str) -> None:
    assert reason in cas_problem(cas)


def test_examples_load_cleanly() -> None:
    products = load_checked(
        [EXAMPLES / "skin-ethanol" / "product.yaml", EXAMPLES / "plasma-air-device" / "product.yaml"]
    )
    skin, device = products
    assert skin.formula is not None and skin.formula.total == pytest.approx(100.0)
    assert device.formula is None and device.is_device


def test_bad_cas_is_an_input_error_naming_the_line(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(path, "cas: 64-17-5", "cas: 64-17-6")
    line = line_of(path, "cas: 64-17-6")
    assert problems_of(path) == [
        f"{path}:{line}: formula.materials[1].cas: CAS number 64-17-6 has check digit 6, expected 5"
    ]


def test_formula_summing_to_97_is_an_input_error_naming_the_line(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(path, "percent: 20.1", "percent: 17.1")
    line = line_of(path, "  materials:")
    assert problems_of(path) == [
        f"{path}:{line}: formula.materials: raw-material percentages sum to 97%, expected 100% ± 0.5"
    ]


def test_tolerance_is_configurable(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(path, "percent: 20.1", "percent: 19.7")  # 99.6%
    load_checked([path])
    edit(path, "tolerance: 0.5", "tolerance: 0.2")
    assert "sum to 99.6%, expected 100% ± 0.2" in problems_of(path)[0]


def test_all_errors_of_a_file_are_reported_together(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(path, "cas: 56-81-5", "cas: 56-81-4")
    edit(path, "  type: 消毒剂\n", "  type: 消毒剂\n  colour: blue\n")
    edit(path, '    batch: "20240301"\n', "")
    edit(path, "materials/manual.png", "materials/missing.png")
    edit(path, "prohibited_materials_added: 否", "prohibited_materials_added: maybe")
    found = problems_of(path)
    assert len(found) == 5, found
    assert all(p.startswith(f"{path}:") for p in found)
    joined = "\n".join(found)
    assert "product.colour: unknown field" in joined
    assert "cas: CAS number 56-81-4" in joined
    assert "test_reports[1].batch: is required" in joined
    assert "materials.label_manual[2]: file not found: materials/missing.png" in joined
    assert "evaluation.answers.prohibited_materials_added: expected 是 or 否" in joined


def test_composite_plant_and_extract_materials(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(
        path,
        "    - name: 水\n",
        """    - kind: composite
      trade_name: 示例护肤复配液
      amount: 2.0 kg
      percent: 0.2
      components:
        - {name: 丙二醇, cas: 57-55-6, percent: 60}
        - {name: 泛醇, cas: 81-13-0, percent: 40}
    - kind: plant
      name: 薄荷
      latin_name: Mentha haplocalyx
      amount: 0.5 kg
      percent: 0.05
    - kind: extract
      trade_name: 芦荟提取液
      amount: 1.5 kg
      percent: 0.15
      extract:
        plant_latin_name: Aloe barbadensis
        plant_amount: 鲜叶 15 kg/批
        process: 鲜叶清洗、压榨、过滤、低温浓缩
        spec: 固形物≥1.0%
    - name: 水
""",
    )
    edit(path, "percent: 20.1", "percent: 19.7")
    problems = Problems()
    product = load_product(path, problems)
    assert not problems, problems.items
    kinds = [m.kind for m in product.formula.materials]
    assert kinds == ["chemical", "chemical", "composite", "plant", "extract", "chemical"]
    assert product.formula.materials[2].components[1].cas == "81-13-0"
    assert product.formula.materials[4].extract.process == "鲜叶清洗、压榨、过滤、低温浓缩"


@pytest.mark.parametrize(
    "material, message",
    [
        (
            "    - {kind: composite, trade_name: 复配液, amount: 1 kg, percent: 0.1, components: []}\n",
            "formula.materials[3].components: a composite raw material must list its components",
        ),
        (
            "    - kind: composite\n      trade_name: 复配液\n      amount: 1 kg\n      percent: 0.1\n      components:\n"
            "        - {name: 丙二醇, cas: 57-55-6, percent: 50}\n",
            "formula.materials[3].components: component percentages sum to 50%",
        ),
        (
            "    - kind: composite\n      trade_name: 复配液\n      amount: 1 kg\n      percent: 0.1\n      components:\n"
            "        - {name: 丙二醇, percent: 100}\n",
            "formula.materials[3].components[1].cas: is required",
        ),
        (
            "    - {kind: plant, name: 薄荷, amount: 1 kg, percent: 0.1}\n",
            "formula.materials[3].latin_name: is required",
        ),
        ("    - {kind: plant, name: 薄荷, latin_name: bohe, amount: 1 kg, percent: 0.1}\n", "is not a Latin binomial"),
        (
            "    - {kind: extract, trade_name: 芦荟提取液, amount: 1 kg, percent: 0.1, extract: {plant_latin_name: Aloe vera}}\n",
            "formula.materials[3].extract.plant_amount: is required",
        ),
        (
            "    - {name: 氯己定, trade_name: 醋酸氯己定, purity: 99%, grade: 药用级, amount: 1 kg, percent: 0.1}\n",
            "formula.materials[3].cas: is required",
        ),
    ],
)
def test_formula_material_rules(tmp_path: Path, material: str, message: str) -> None:
    path = copy_example(tmp_path)
    edit(path, "    - name: 水\n", material + "    - name: 水\n")
    edit(path, "percent: 20.1", "percent: 20.0")
    found = problems_of(path)
    assert any(message in p for p in found), found


def test_import_needs_english_names_and_papers(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(path, "imported: false", "imported: true")
    found = "\n".join(problems_of(path))
    assert "product.name_en: is required" in found
    assert "manufacturer.name_en: is required" in found
    assert "import: is required for imported products" in found
    assert "required material （五）进口产品生产国（地区）允许生产销售的证明文件及报关单 is missing" in found
    assert "materials.hygiene_licence: material （四）国产产品生产企业卫生许可证 does not apply" in found
    assert "evaluation.answers.licence_category_matches: question 7 does not apply" in found


def test_missing_required_material_is_named(tmp_path: Path) -> None:
    path = copy_example(tmp_path, "plasma-air-device")
    edit(path, "  device_structure: [materials/structure.png]\n", "")
    found = problems_of(path)
    assert len(found) == 1
    assert "materials.device_structure: required material （七）消毒器械元器件、结构图 is missing" in found[0]


def test_unknown_report_item_names_the_line(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(path, "- item: 外观", "- item: 外观检查")
    line = line_of(path, "- item: 外观检查")
    found = problems_of(path)
    assert len(found) == 1 and found[0].startswith(f"{path}:{line}:")
    assert "test_reports[1].items[1].item: '外观检查' is not a test item of 表1" in found[0]


def test_device_type_errors_are_located(tmp_path: Path) -> None:
    path = copy_example(tmp_path, "plasma-air-device")
    edit(path, "usages: [空气, 一般物体表面和织物]", "usages: [空气, 桌面]")
    edit(path, "facts: []", "facts: [乙醇]")
    found = problems_of(path)
    assert f"{path}:{line_of(path, 'usages: [空气, 桌面]')}: product.usages: unknown usage '桌面'" in found[0]
    assert "product.facts: fact 乙醇 does not apply to 消毒器械" in found[1]


def test_cli_check_reports_input_errors_with_exit_2(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(path, "cas: 64-17-5", "cas: 64-17-6")
    result = CliRunner().invoke(cli, ["disinfectant", "check", str(path)])
    assert result.exit_code == 2
    assert f"error: {path}:{line_of(path, 'cas: 64-17-6')}: formula.materials[1].cas:" in result.output
    assert "Traceback" not in result.output


def test_imported_product_fills_english_names_in_annex4(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    make_imported(path)
    (product,) = load_checked([path])
    cells = [cell.text for row in annex4(evaluate(product)).tables[0].rows for cell in row.cells]
    assert "Example 75% Ethanol Skin Disinfectant" in cells
    assert "Example Hygiene GmbH" in cells and "德国" in cells
    # 第四条: an import's responsible unit is its 在华责任单位
    assert "示例医疗科技有限公司" in cells and "215000" in cells


def test_domestic_product_leaves_the_unit_in_china_empty() -> None:
    (product,) = load_checked([EXAMPLES / "skin-ethanol" / "product.yaml"])
    rows = annex4(evaluate(product)).tables[0].rows
    unit = [[c.text for c in row.cells] for row in rows if row.cells[0].text == "在华责任单位"]
    assert [r[2] for r in unit] == ["／"] * 3 and [r[4] for r in unit] == ["／"] * 3
