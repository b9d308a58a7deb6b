"""Table values relaxed by notes: shown apart from the note's effect and listed for sign-off, with
the facts the decision rests on and the --fact that changes it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from dossier.cli import cli
from dossier.disinfectant.requirements import make_selection, plan_tests
from dossier.disinfectant.ruleset import load_rule_set
from dossier.disinfectant.signoff import sign_off_decisions

RULES = load_rule_set("ws2014")
TOX = "毒理学安全性检测"


def decisions(product_type: str, usages: list[str], facts: list[str] = ()):
    selection = make_selection(RULES, product_type, usages, list(facts))
    return {d.item.item: d for d in sign_off_decisions(RULES, selection, list(facts))}


def test_plasma_air_device_toxicology_rests_on_no_chemical_disinfectant() -> None:
    found = decisions("消毒器械", ["空气", "一般物体表面和织物"])
    tox = found[TOX]
    assert tox.item.shown == "+（按表2注⑥无适用项目）" and tox.item.requirement == "not_required"
    assert [f.name for f in tox.changed_by] == ["生成化学消毒液"] and tox.rests_on == ()
    metal = found["金属腐蚀性试验（限产生化学杀微生物因子的器械）"]
    assert metal.item.shown == "±（按表2检验项目名称限产生化学杀微生物因子的器械）"
    assert [f.name for f in metal.changed_by] == ["产生化学杀微生物因子", "生成化学消毒液"]
    # the - cell of lead/arsenic/mercury is the table's own value: nothing to sign off
    assert "铅、砷、汞的测定（限产生化学杀微生物因子的器械）" not in found


def test_ethanol_surface_disinfectant_toxicology_rests_on_the_declared_ethanol() -> None:
    for fact in ("乙醇", "戊二醛", "次氯酸钠", "漂白粉漂粉精"):
        tox = decisions("消毒剂", ["一般物体表面和织物"], [fact])[TOX]
        assert tox.item.shown == "+（按表1注⑦无适用项目）"
        assert [f.name for f in tox.rests_on] == [fact]
        assert [f.name for f in tox.changed_by] == ["破损皮肤", "阴道粘膜"]
    # on skin the note names a test: the item stays required, nothing to sign off
    assert TOX not in decisions("消毒剂", ["皮肤"], ["乙醇"])


def test_may_be_omitted_is_optional_and_signed_off() -> None:
    factor = decisions("消毒器械", ["医疗器械灭菌与高水平消毒"], ["环氧乙烷消毒灭菌柜"])["主要杀菌因子强度测定（含变化曲线）"]
    assert factor.item.requirement == "optional" and factor.item.shown == "+（按表2注①可不测定）"
    assert [f.name for f in factor.rests_on] == ["环氧乙烷消毒灭菌柜"]


def test_a_tightening_note_is_shown_but_needs_no_sign_off() -> None:
    plan = plan_tests(RULES, make_selection(RULES, "消毒器械", ["空气"], ["产生化学杀微生物因子"]))
    metal = {i.item: i for i in plan.items}["金属腐蚀性试验（限产生化学杀微生物因子的器械）"]
    assert metal.requirement == "required" and metal.shown == "±（按表2注③必须进行该项试验）" and not metal.sign_off


def test_tests_command_lists_the_decisions() -> None:
    result = CliRunner().invoke(
        cli, ["disinfectant", "tests", "--type", "消毒器械", "--usage", "空气", "--date", "2018-01-02"]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "毒理学安全性检测　　　　　　　　　　　　　　　　  +（按表2注⑥无适用项目）  not required" in out
    assert "sign-off needed (regulatory person):" in out
    assert "assumes not: 器械生成化学消毒液（亦即产生化学杀微生物因子） — --fact 生成化学消毒液 changes this decision" in out
    data = json.loads(CliRunner().invoke(
        cli, ["disinfectant", "tests", "--type", "消毒器械", "--usage", "空气", "--date", "2018-01-02", "--json"]
    ).stdout)
    (tox,) = [d for d in data["sign_off"] if d["item"] == TOX]
    assert tox["shown"] == "+（按表2注⑥无适用项目）" and tox["table_value"] == "+"
    assert tox["changed_by"] == [{"fact": "生成化学消毒液", "means": "器械生成化学消毒液（亦即产生化学杀微生物因子）",
                                  "option": "--fact 生成化学消毒液"}]
    assert tox["basis"] == {"source": "表2注⑥", "effect": "无适用项目", "text": "该注所列检测均不适用于本产品"}
