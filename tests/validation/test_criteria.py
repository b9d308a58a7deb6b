"""Acceptance criteria as data: the grammar, the generated wording, located problems."""

from __future__ import annotations

from tests.validation.support import PROTOCOL, criteria


def test_free_text_and_rules_are_read() -> None:
    found, problems = criteria(PROTOCOL)
    assert problems == []
    assert [c.id for c in found] == ["1", "AC-02", "AC-03", "AC-04", "AC-05", "AC-06"]
    free, mean, each, equals, capability, count = found
    assert free.judged_by_reviewer and free.text == "所用仪表均在校准有效期内"
    assert mean.statistics[0][0] == "mean" and mean.statistics[0][1].high == 100 and mean.sample_count == 5
    assert each.sample_names == ("H01", "H02", "H03") and each.each.low == 40 and each.each.high == 50
    assert equals.equals.text == "无菌生长" and equals.sample_names == ("B1", "B2", "B3")
    assert capability.capability[0][0] == "ppk" and capability.capability[0][1].lsl == 1.5
    assert count.count.of.verdict is False and count.count.limits.high == 0


def test_generated_text_says_the_rule() -> None:
    found, _ = criteria(PROTOCOL)
    by_id = {c.id: c for c in found}
    assert by_id["AC-02"].text == "平均值不大于 100 CFU/支"
    assert by_id["AC-03"].text == "温度在 40 ℃～50 ℃"  # as written
    assert by_id["AC-03"].rule_text() == "每个结果在 40 ℃～50 ℃"
    assert by_id["AC-04"].text == "每个结果均为“无菌生长”"
    assert by_id["AC-05"].text == "每个结果不小于 1.5 N/15 mm；Ppk（LSL 1.5）不小于 1.33"
    assert by_id["AC-06"].text == "结果为“fail”的数目不大于 0"


def test_sample_ranges_keep_their_width() -> None:
    found, problems = criteria("""\
        validation:
          acceptance_criteria:
            - {id: T, quantity: 温度, unit: ℃, samples: "T08～T11", each: {max: 5}}
        """)
    assert problems == []
    assert found[0].sample_names == ("T08", "T09", "T10", "T11")


def test_problems_name_line_and_field() -> None:
    _, problems = criteria("""\
        validation:
          acceptance_criteria:
            - id: 1st
              quantity: 温度
              samples: 3
              each: {min: 50, max: 40}
            - id: AC-2
              quantity: 温度
              unit: ℃
              samples: "T1..x"
              mean: {maximum: 3}
            - id: AC-3
              quantity: 运行
              samples: 0
              cpk: {min: 1.33}
              count: {max: 0}
            - id: AC-3
              text: 重复编号
            - id: AC-5
            - 42
        """)
    expected = [
        "3: validation.acceptance_criteria[1].id: '1st': a criterion id starts with a letter (letters, digits, . _ -), e.g. AC-01",
        "6: validation.acceptance_criteria[1].each.min: 50 is above max 40",
        "10: validation.acceptance_criteria[2].samples: expected a number, a list of names or a range such as T01..T30, got 'T1..x'",
        "11: validation.acceptance_criteria[2].mean.maximum: unknown field (expected one of: max, min)",
        "11: validation.acceptance_criteria[2].mean.min: expected min and/or max (the limits, inclusive)",
        "14: validation.acceptance_criteria[3].samples: expected 1 to 10000 samples, got 0",
        "15: validation.acceptance_criteria[3].cpk.lsl: expected lsl and/or usl (the specification limits the index is computed against)",
        "16: validation.acceptance_criteria[3].count.of: is required (the result to count, e.g. 阳性 or fail)",
        "17: validation.acceptance_criteria[4].id: AC-3 is already the id of the criterion on line 12",
        "19: validation.acceptance_criteria[5].text: is required for a criterion without a rule (it is judged by the reviewer)",
        "20: validation.acceptance_criteria[6]: expected a criterion: text, or a mapping with id, quantity, unit, samples and a rule",
    ]
    for line in expected:
        assert line in problems, (line, problems)
    assert any(p.startswith("3: validation.acceptance_criteria[1].unit: is required") for p in problems), problems
