"""`dossier disinfectant tests`: classes and required items checked against the regulation's own tables.

The expected cells are parsed from the regulation text in docs/regulations (not from the
package's rule data), then the effect of each table note is stated here independently.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest
from click.testing import CliRunner

from dossier.cli import cli
from dossier.disinfectant.requirements import make_selection, plan_tests
from dossier.disinfectant.ruleset import load_rule_set
from dossier.errors import UsageError
from tests.conftest import REPO

REGULATION = REPO / "docs" / "regulations" / "disinfectant-hygiene-safety-evaluation-2014.md"
MARKS = re.compile("[①②③④⑤⑥⑦⑧⑨]")
WORDS = {"+": "required", "±": "optional", "-": "not_required"}
RANK = {"not_required": 0, "optional": 1, "required": 2}
USAGE_OF_HEADER = {
    "医疗器械和用品：灭菌与高水平消毒": "医疗器械灭菌与高水平消毒",
    "医疗器械和用品：中水平消毒": "医疗器械中水平消毒",
    "医疗器械和用品：低水平消毒": "医疗器械低水平消毒",
}
TYPES_OF_HEADER = {
    "灭菌化学指示物": ["灭菌效果化学指示物", "灭菌过程化学指示物"],
    "纸质": ["灭菌包装物-纸质"],
    "非纸质：透气材料": ["灭菌包装物-非纸质透气"],
    "非纸质：不透气材料": ["灭菌包装物-非纸质不透气"],
}


def _regulation_tables() -> dict[str, tuple[list[str], dict[str, list[str]]]]:
    """{表N: (column headers, {item without marks: cells})} from the Markdown of Annex 2."""
    tables: dict[str, tuple[list[str], dict[str, list[str]]]] = {}
    current = None
    for line in REGULATION.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"### (表\d)", line)
        if heading or line.startswith("## "):
            current = heading.group(1) if heading else None
            continue
        if current and line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if cells[0] == "检验项目":
                tables[current] = ([MARKS.sub("", c) for c in cells[1:]], {})
            else:
                tables[current][1][MARKS.sub("", cells[0])] = cells[1:]
    return tables


TABLES = _regulation_tables()
RULES = load_rule_set()


def _columns(table: str) -> list[tuple[str, list[str]]]:
    """(header, usages or types it selects) for each column of a regulation table."""
    headers = TABLES[table][0]
    if table in ("表1", "表2"):
        return [(h, [USAGE_OF_HEADER.get(h, h)]) for h in headers]
    return [(h, TYPES_OF_HEADER.get(h, [h])) for h in headers]


def _plan(product_type: str, usages=(), facts=()) -> dict[str, dict]:
    plan = plan_tests(RULES, make_selection(RULES, product_type, list(usages), list(facts)))
    return {i["item"]: i for i in plan.as_json()["items"]}


def _combined(table: str, indexes: list[int]) -> dict[str, str]:
    """The multi-usage rule applied to regulation cells: + if any +, else ± if any ±, else -."""
    result = {}
    for item, cells in TABLES[table][1].items():
        result[item] = max((WORDS[cells[i]] for i in indexes), key=RANK.__getitem__)
    return result


def test_regulation_tables_parsed() -> None:
    assert [len(TABLES[t][1]) for t in ("表1", "表2", "表3", "表4", "表5")] == [11, 7, 10, 9, 16]
    assert len(TABLES["表1"][0]) == 14 and len(TABLES["表2"][0]) == 14


@pytest.mark.parametrize("table, product_type", [("表1", "消毒剂"), ("表2", "消毒器械")])
def test_item_names_are_the_table_rows(table: str, product_type: str) -> None:
    assert list(_plan(product_type, ["其他"])) == list(TABLES[table][1])


@pytest.mark.parametrize("index", range(14))
def test_table1_every_usage_without_facts_matches_the_table(index: int) -> None:
    header, (usage,) = _columns("表1")[index]
    plan = _plan("消毒剂", [usage])
    assert {k: v["requirement"] for k, v in plan.items()} == _combined("表1", [index]), header


@pytest.mark.parametrize("pair", list(itertools.combinations(range(14), 2)))
def test_table1_usage_pairs_combine(pair: tuple[int, int]) -> None:
    usages = [_columns("表1")[i][1][0] for i in pair]
    plan = _plan("消毒剂", usages)
    assert {k: v["requirement"] for k, v in plan.items()} == _combined("表1", list(pair))


def test_table1_all_usages_combine() -> None:
    plan = _plan("消毒剂", RULES.usages)
    assert {k: v["requirement"] for k, v in plan.items()} == _combined("表1", list(range(14)))


CHEMICAL_DEVICE = ["产生化学杀微生物因子", "生成化学消毒液"]


@pytest.mark.parametrize("index", range(14))
def test_table2_chemical_device_matches_the_table_with_note3(index: int) -> None:
    header, (usage,) = _columns("表2")[index]
    expected = _combined("表2", [index])
    item = "金属腐蚀性试验（限产生化学杀微生物因子的器械）"
    if expected[item] == "optional":  # 注③: not labelled "not for metal" -> must be tested
        expected[item] = "required"
    plan = _plan("消毒器械", [usage], CHEMICAL_DEVICE)
    assert {k: v["requirement"] for k, v in plan.items()} == expected, header


@pytest.mark.parametrize("index", range(14))
def test_table2_physical_device_drops_chemical_items_and_unnamed_toxicology(index: int) -> None:
    header, (usage,) = _columns("表2")[index]
    expected = _combined("表2", [index])
    expected["铅、砷、汞的测定（限产生化学杀微生物因子的器械）"] = "not_required"
    expected["金属腐蚀性试验（限产生化学杀微生物因子的器械）"] = "not_required"
    if usage not in ("皮肤", "手", "粘膜"):  # 注⑥ names no toxicology test for this product
        expected["毒理学安全性检测"] = "not_required"
    plan = _plan("消毒器械", [usage])
    assert {k: v["requirement"] for k, v in plan.items()} == expected, header


def test_table2_labelled_not_for_metal_keeps_the_optional_cell() -> None:
    plan = _plan("消毒器械", ["一般物体表面和织物"], ["产生化学杀微生物因子", "不得用于金属物品消毒"])
    assert plan["金属腐蚀性试验（限产生化学杀微生物因子的器械）"]["requirement"] == "optional"


@pytest.mark.parametrize("table", ["表3", "表4", "表5"])
def test_tables_3_to_5_every_type_matches_the_table(table: str) -> None:
    facts_for = {"抗菌制剂": ["用于皮肤"], "抑菌制剂": ["用于皮肤"]}  # 注⑤ names a test
    for index, (_, types) in enumerate(_columns(table)):
        for product_type in types:
            plan = _plan(product_type, (), facts_for.get(product_type, ()))
            assert list(plan) == list(TABLES[table][1])
            assert {k: v["requirement"] for k, v in plan.items()} == _combined(table, [index]), product_type


def test_every_type_and_usage_is_answered() -> None:
    for name, info in RULES.types.items():
        for usages in [[u] for u in RULES.usages] if info.has_usages else [[]]:
            plan = plan_tests(RULES, make_selection(RULES, name, usages, []))
            assert plan.klass in (1, 2) and plan.class_reason.startswith("第二条")
            assert all(i.requirement in RANK for i in plan.items)


# --- notes -----------------------------------------------------------------------------------


def test_note2_restricts_lead_arsenic_only_when_every_usage_is_restricted() -> None:
    item = "铅、砷、汞的测定"
    assert _plan("消毒剂", ["餐饮具", "瓜果蔬菜"])[item]["notes"] == ["仅做铅、砷（表1注②）"]
    assert _plan("消毒剂", ["餐饮具", "皮肤"])[item]["notes"] == []
    device = _plan("消毒器械", ["生活饮用水"], CHEMICAL_DEVICE)["铅、砷、汞的测定（限产生化学杀微生物因子的器械）"]
    assert device["notes"] == ["仅做铅、砷（表2注②）"]


@pytest.mark.parametrize(
    "usage, test",
    [
        ("一般物体表面和织物", "金黄色葡萄球菌定量杀菌试验"),
        ("生活饮用水", "大肠杆菌定量杀菌试验"),
        ("医院污水", "大肠杆菌定量杀菌试验"),
        ("餐饮具", "脊髓灰质炎病毒灭活试验"),
        ("手", "白色念珠菌定量杀菌试验"),
        ("粘膜", "白色念珠菌定量杀菌试验"),
        ("医疗器械灭菌与高水平消毒", "细菌芽孢定性杀菌试验"),
        ("医疗器械中水平消毒", "龟分枝杆菌定量杀菌试验"),
        ("空气", "白色葡萄球菌定量杀菌实验"),
    ],
)
def test_note4_names_the_indicator_organism(usage: str, test: str) -> None:
    for family in ("乙醇", "戊二醛", "次氯酸钠", "漂白粉漂粉精"):
        notes = _plan("消毒剂", [usage], [family])["实验室对微生物杀灭效果测定"]["notes"]
        assert f"应做{test}（表1注④）" in notes


def test_note4_label_claims_and_other_families() -> None:
    notes = _plan("消毒剂", ["一般物体表面和织物"], ["次氯酸钠", "洁具表面", "体液污染物品和排泄物"])
    micro = notes["实验室对微生物杀灭效果测定"]["notes"]
    assert "应做白色念珠菌定量杀菌试验（表1注④）" in micro
    assert "应做细菌芽孢定量杀菌试验（表1注④）" in micro
    assert "杀菌试验用有机干扰物质浓度为0.3%（表1注⑤）" in micro
    other = _plan("消毒剂", ["皮肤"])["实验室对微生物杀灭效果测定"]["notes"]
    assert other == ["根据标签、说明书标注的杀灭微生物类别和使用范围进行相应的指示微生物试验（表1注③）"]


def test_note1_glutaraldehyde_and_solid_ph() -> None:
    notes = _plan("消毒剂", ["医疗器械灭菌与高水平消毒"], ["戊二醛", "固体"])["pH值测定"]["notes"]
    assert notes == ["应做加pH调节剂前、后的pH值测定（表1注①）", "应做最高使用浓度溶液的pH值测定（表1注①）"]


def test_note7_toxicology() -> None:
    tox = "毒理学安全性检测"
    assert _plan("消毒剂", ["一般物体表面和织物"], ["乙醇"])[tox]["requirement"] == "not_required"
    assert _plan("消毒剂", ["皮肤"], ["乙醇"])[tox]["notes"] == ["应做多次皮肤刺激性试验（表1注⑦）"]
    other = _plan("消毒剂", ["皮肤"], ["破损皮肤", "阴道粘膜"])[tox]["notes"]
    assert other == [
        "应做急性经口毒性或急性吸入毒性试验（表1注⑦）",
        "应做一项致突变试验（表1注⑦）",
        "应做多次皮肤刺激性试验（表1注⑦）",
        "应做眼刺激性试验（表1注⑦）",
        "应做阴道粘膜刺激性试验（表1注⑦）",
    ]
    # 空气 is ± in the table: still optional when the note names tests
    assert _plan("消毒剂", ["空气"])[tox]["requirement"] == "optional"


def test_table2_device_notes() -> None:
    factor = "主要杀菌因子强度测定（含变化曲线）"
    micro = "实验室对微生物杀灭效果测定"
    for fact in ("环氧乙烷消毒灭菌柜", "等离子体低温灭菌装置", "低温蒸汽甲醛灭菌柜"):
        item = _plan("消毒器械", ["医疗器械灭菌与高水平消毒"], [fact])[factor]
        # 注①: 可不测定 — may be omitted: the table value and the note's effect shown apart, signed off
        assert item["requirement"] == "optional" and item["table_value"] == "+"
        assert item["shown"] == "+（按表2注①可不测定）" and item["sign_off"]
    uv = _plan("消毒器械", ["空气"], ["紫外线杀菌灯"])[micro]
    assert uv["requirement"] == "not_required" and uv["shown"] == "+（按表2注④不做杀菌试验）" and uv["sign_off"]
    assert "应做大肠杆菌杀灭效果测定（表2注④）" in _plan("消毒器械", ["餐饮具"], ["一星级食具消毒柜"])[micro]["notes"]
    assert (
        "应做脊髓灰质炎病毒杀灭效果测定（表2注④）"
        in _plan("消毒器械", ["餐饮具"], ["二星级食具消毒柜"])[micro]["notes"]
    )
    sterilizer = _plan("消毒器械", ["医疗器械灭菌与高水平消毒"], ["压力蒸汽灭菌器"])[micro]["notes"]
    assert "应做嗜热脂肪杆菌芽孢杀灭效果测定（表2注④）" in sterilizer
    hypochlorite = _plan("消毒器械", ["手"], ["生成化学消毒液", "次氯酸钠"])["毒理学安全性检测"]["notes"]
    assert hypochlorite == ["应做多次皮肤刺激性试验（表2注⑥）"]


def test_table3_indicator_organism() -> None:
    item = "测定相应消毒灭菌因子条件下指示微生物存活情况"
    assert _plan("灭菌效果化学指示物", (), ["湿热灭菌"])[item]["notes"] == ["指示微生物选择嗜热脂肪杆菌芽孢（表3注②）"]
    assert _plan("灭菌过程化学指示物")[item]["notes"] == ["指示微生物选择枯草杆菌黑色变种芽孢（表3注②）"]
    colour = _plan("灭菌过程化学指示物")["测定相应消毒灭菌因子条件下的化学指示物颜色变化情况"]["notes"]
    assert colour == ["应做成功试验（表3注①）", "应做一项失败试验（表3注①）"]


def test_table5_notes() -> None:
    fungi = _plan("抗菌制剂", (), ["用于皮肤", "真菌"])
    assert fungi["杀灭微生物指标：白色念珠菌杀灭试验"]["requirement"] == "required"
    assert (
        _plan("抑菌制剂", (), ["用于皮肤", "外阴部"])["杀灭微生物指标：白色念珠菌杀灭试验"]["requirement"]
        == "not_required"
    )
    assert (
        _plan("抑菌制剂", (), ["用于皮肤", "外阴部"])["抑制微生物指标：白色念珠菌抑菌试验"]["requirement"] == "required"
    )
    assert (
        _plan("抑菌制剂", (), ["用于皮肤", "特定微生物"])["抑制微生物指标：其他微生物抑制试验"]["requirement"]
        == "required"
    )
    cream = _plan("抗菌制剂", (), ["用于皮肤", "膏霜剂", "非化学有效成分"])
    assert cream["pH值测定"]["requirement"] == "not_required"
    assert cream["有效成分含量测定"]["requirement"] == "not_required"
    rinse = _plan("抗菌制剂", (), ["用于皮肤", "使用后及时清洗", "阴道粘膜"])["毒理学指标检测"]["notes"]
    assert rinse == ["应做暴露时间2小时的急性皮肤刺激试验（表5注⑤）", "应做阴道粘膜刺激性试验（表5注⑤）"]


# --- classification --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "product_type, usages, facts, klass",
    [
        ("消毒剂", ["皮肤"], [], 1),
        ("消毒剂", ["粘膜"], [], 1),
        ("消毒剂", ["医疗器械灭菌与高水平消毒"], [], 1),
        ("消毒剂", ["医疗器械中水平消毒"], [], 2),
        ("消毒剂", ["一般物体表面和织物"], [], 2),
        ("消毒器械", ["医疗器械灭菌与高水平消毒"], [], 1),
        ("消毒器械", ["一般物体表面和织物"], ["压力蒸汽灭菌器"], 1),
        ("消毒器械", ["空气"], [], 2),
        ("生物指示物", [], [], 1),
        ("灭菌效果化学指示物", [], [], 1),
        ("灭菌过程化学指示物", [], [], 2),
        ("紫外线灯辐射强度指示卡", [], [], 2),
        ("灭菌包装物-纸质", [], [], 2),
        ("抑菌制剂", [], [], 2),
    ],
)
def test_classification(product_type: str, usages: list[str], facts: list[str], klass: int) -> None:
    assert plan_tests(RULES, make_selection(RULES, product_type, usages, facts)).klass == klass


def test_higher_class_wins_and_says_so() -> None:
    plan = plan_tests(RULES, make_selection(RULES, "消毒剂", ["一般物体表面和织物", "皮肤"], []))
    assert plan.klass == 1
    assert "皮肤黏膜消毒剂属于第一类（使用范围：皮肤）" in plan.class_reason
    assert "应当以较高风险类别进行管理（一般物体表面和织物属第二类）" in plan.class_reason


@pytest.mark.parametrize(
    "args, message",
    [
        (("消毒液", [], []), "unknown product type '消毒液'"),
        (("消毒剂", ["桌面"], []), "unknown usage '桌面'"),
        (("消毒剂", [], []), "needs at least one usage scope"),
        (("生物指示物", ["皮肤"], []), "takes no usage scopes"),
        (("消毒剂", ["皮肤"], ["蓝色"]), "unknown fact '蓝色'"),
        (("消毒剂", ["皮肤"], ["紫外线杀菌灯"]), "fact 紫外线杀菌灯 does not apply to 消毒剂"),
        (("消毒剂", ["皮肤"], ["乙醇", "戊二醛"]), "facts 乙醇, 戊二醛 exclude each other"),
    ],
)
def test_bad_selection(args: tuple, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        make_selection(RULES, *args)


# --- CLI --------------------------------------------------------------------------------------


def test_cli_json_shape_and_content() -> None:
    result = CliRunner().invoke(
        cli,
        ["disinfectant", "tests", "--type", "消毒剂", "--usage", "皮肤", "--usage", "手", "--fact", "乙醇", "--json",
         "--date", "2018-05-20"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"rule_set", "class", "class_reason", "items", "sign_off", "warnings"}
    assert data["class"] == 1 and data["rule_set"] == "ws2014" and data["warnings"] == [] and data["sign_off"] == []
    keys = {"table", "item", "table_value", "requirement", "shown", "basis", "sign_off", "notes"}
    assert all(set(i) == keys for i in data["items"])
    items = {i["item"]: i for i in data["items"]}
    assert items["pH值测定"] == {
        "table": "表1", "item": "pH值测定", "table_value": "+", "requirement": "required", "shown": "+",
        "basis": None, "sign_off": False, "notes": [],
    }
    assert items["毒理学安全性检测"]["notes"] == ["应做多次皮肤刺激性试验（表1注⑦）"]
    assert items["总体性能试验"]["requirement"] == "not_required"


def test_cli_table_output() -> None:
    result = CliRunner().invoke(cli, ["disinfectant", "tests", "--type", "生物指示物", "--date", "2016-01-04"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "rule set ws2014; class 1: 第二条：生物指示物、灭菌效果化学指示物属于第一类"
    assert any(line.startswith("表3  D值") and line.endswith("+  required") for line in lines)
    assert "warning" not in result.output  # 2016: the 2014 rules were in force


@pytest.mark.parametrize(
    "args",
    [
        ["--type", "消毒水"],
        ["--type", "消毒剂", "--usage", "桌面"],
        ["--type", "消毒剂", "--usage", "皮肤", "--fact", "蓝色"],
    ],
)
def test_cli_unknown_vocabulary_is_one_line_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["disinfectant", "tests", *args, "--json"])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "unknown" in result.output


def test_cli_help_lists_the_facts() -> None:
    result = CliRunner().invoke(cli, ["disinfectant", "tests", "--help"])
    assert result.exit_code == 0
    for fact in RULES.facts:
        assert fact in result.output
    assert "紫外线灯辐射强度指示卡" in result.output and "医疗器械中水平消毒" in result.output


def test_implied_fact_generating_liquid_means_chemical_factor() -> None:
    plan = _plan("消毒器械", ["餐饮具"], ["生成化学消毒液"])
    assert plan["铅、砷、汞的测定（限产生化学杀微生物因子的器械）"]["requirement"] == "required"
    assert plan["金属腐蚀性试验（限产生化学杀微生物因子的器械）"]["requirement"] == "required"
