"""Rule sets chosen by the evaluation date; ws2014 after 2019-03-01 is a warning naming WS 628—2018."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import cli
from dossier.disinfectant.inforce import rule_set_for, rule_set_warnings
from dossier.disinfectant.ruleset import load_rule_set
from dossier.disinfectant.workspace import load_checked
from tests.disinfectant_support import copy_example, edit

WS2014 = load_rule_set("ws2014")


@pytest.mark.parametrize("when, warned", [
    (date(2014, 6, 27), False), (date(2019, 2, 28), False), (date(2019, 3, 1), True), (date(2024, 5, 20), True),
])
def test_ws2014_applies_until_ws628(when: date, warned: bool) -> None:
    assert rule_set_for(when) == "ws2014"  # the only rule set we have
    warnings = rule_set_warnings(WS2014, when)
    assert bool(warnings) == warned
    if warned:
        (text,) = warnings
        assert "WS 628—2018《消毒产品卫生安全评价技术要求》（国卫通〔2018〕18号）" in text
        assert "第五条、第六条、第八条、第九条、第十条、第十二条、第十三条和附件1–3 on 2019-03-01" in text
        assert f"this evaluation ({when})" in text and "README: Disinfection products" in text


def test_before_the_rules_were_issued_is_a_warning_too() -> None:
    assert rule_set_warnings(WS2014, date(2014, 6, 26)) == [
        "rule set ws2014 (消毒产品卫生安全评价规定（国卫监督发〔2014〕36号）) applies from 2014-06-27; "
        "the evaluation is dated 2014-06-26"
    ]


def test_a_2024_evaluation_warns_in_check_and_tests(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    (product,) = load_checked([path])
    assert product.rules.name == "ws2014" and product.evaluation_date == date(2024, 5, 20)
    check = CliRunner().invoke(cli, ["disinfectant", "check", str(path), "--today", "2025-01-01"])
    assert check.exit_code == 0, check.output
    assert "  warning: rule set ws2014: WS 628—2018" in check.stdout
    as_json = json.loads(CliRunner().invoke(cli, ["disinfectant", "check", str(path), "--json", "--today", "2025-01-01"]).stdout)
    assert as_json["products"][0]["warnings"][0].startswith("rule set ws2014: WS 628—2018")
    tests = CliRunner().invoke(cli, ["disinfectant", "tests", "--type", "消毒剂", "--usage", "皮肤", "--date", "2024-05-20"])
    assert tests.exit_code == 0 and tests.stderr.startswith("warning: rule set ws2014: WS 628—2018")


def test_naming_the_rule_set_still_warns_and_unknown_ones_are_errors(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    edit(path, "product:\n", "rule_set: ws2014\nproduct:\n")
    check = CliRunner().invoke(cli, ["disinfectant", "check", str(path), "--today", "2025-01-01"])
    assert "warning: rule set ws2014: WS 628—2018" in check.stdout
    edit(path, "rule_set: ws2014", "rule_set: ws628")
    bad = CliRunner().invoke(cli, ["disinfectant", "check", str(path)])
    assert bad.exit_code == 2 and "rule_set: unknown rule set 'ws628' (available: ws2014)" in bad.output
