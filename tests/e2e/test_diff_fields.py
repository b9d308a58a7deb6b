"""YAML field changes, their Chinese labels and the inline paragraph diff of the change summary."""

from __future__ import annotations

from dossier.errors import Problems
from dossier.redline.fields import FieldChange, field_changes, field_label
from dossier.redline.summary import inline_diff
from dossier.workspace.yamlsrc import load_yaml_text

OLD = """\
title: 纯化水系统再确认方案
effective_date: "2026-12-01"
validation:
  responsibilities:
    - {department: 质量部, person: 李强, duties: 审核}
  acceptance_criteria: [电导率合格, 总有机碳合格, 微生物限度合格]
"""


def _yaml(text: str):
    problems = Problems()
    data = load_yaml_text(text, "test.yaml", problems)
    assert not problems
    return data


def test_changed_added_and_removed_fields_have_paths() -> None:
    new = OLD.replace("2026-12-01", "2026-12-20").replace("person: 李强", "person: 张敏")
    new = new.replace("[电导率合格, 总有机碳合格, 微生物限度合格]", "[电导率合格, 硝酸盐合格, 总有机碳合格]")
    new += "  sampling: 各使用点。\n"
    assert field_changes(_yaml(OLD), _yaml(new)) == [
        FieldChange("effective_date", "changed", "2026-12-01", "2026-12-20"),
        FieldChange("validation.responsibilities[0].person", "changed", "李强", "张敏"),
        FieldChange("validation.acceptance_criteria[1]", "added", None, "硝酸盐合格"),
        FieldChange("validation.acceptance_criteria[2]", "removed", "微生物限度合格", None),
        FieldChange("validation.sampling", "added", None, "各使用点。"),
    ]
    assert field_changes(_yaml(OLD), _yaml(OLD)) == []


def test_field_labels_name_the_element_and_item() -> None:
    assert field_label("validation.acceptance_criteria[2]") == "接收准则第3条"
    assert field_label("validation.responsibilities[0].person") == "部门和人员职责第1条"
    assert field_label("form.columns[0]") == "表单栏目第1条"
    assert field_label("effective_date") == "生效日期"
    assert field_label("custom.note") == "custom.note"


def test_inline_diff_keeps_a_little_context_and_whole_numbers() -> None:
    old = "灭菌温度为 45 ℃，作用时间不少于 6 h，换气 4 次，解析 7 d。"
    new = "灭菌温度为 50 ℃，作用时间不少于 6 h，换气 4 次，解析 10 d。"
    assert inline_diff(old, new) == "灭菌温度为 [-45-]{+50+} ℃，作用时间不… 4 次，解析 [-7-]{+10+} d。"
