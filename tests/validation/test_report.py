"""A report judged against its protocol: results from YAML and CSV, located input problems,
deviations demanded for failures, and the conclusion the evaluation allows."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.errors import Problems
from dossier.validation.report import evaluate_report
from dossier.workspace.fields import FieldReader
from tests.validation.support import PROTOCOL, criteria, yaml_map

CRITERIA = criteria(PROTOCOL)[0]

REPORT = """\
report:
  protocol: VP-99
  protocol_revision: A
  results_csv: [VR-99-data.csv]
  results:
    "1": {judged: 符合, note: 证书有效}
    AC-02: {unit: CFU/支, values: [42, 57, 38, 61, 49]}
    AC-04:
      values: {B1: 无菌生长, B2: 无菌生长, B3: 无菌生长}
    AC-05: {unit: N/15 mm, values: [2.31, 2.18, 2.45, 2.27]}
    AC-06: {values: [合格, 合格, 合格]}
"""
CSV = "criterion,sample,value,unit,time\nAC-03,H01,44.6,℃,10:00\nAC-03,H02,45.3,℃,10:00\nAC-03,H03,43.9,℃,10:00\nAC-03,H03,44.2,℃,10:30\n"


def judge(tmp_path: Path, report: str = REPORT, csv: str = CSV):
    (tmp_path / "VR-99-data.csv").write_text(csv, encoding="utf-8")
    problems = Problems()
    block = FieldReader(yaml_map(report, "content/VR-99.yaml")["report"], problems, "report.")
    result = evaluate_report(block, CRITERIA, tmp_path, "content", "VP-99", "A")
    return result, [f"{p.path}:{p.line}: {p.field}: {p.message}" for p in problems.items]


def edit(old: str, new: str, text: str = REPORT) -> str:
    assert old in text
    return text.replace(old, new)


def test_complete_report_passes(tmp_path: Path) -> None:
    result, problems = judge(tmp_path)
    assert problems == []
    assert [e.criterion.id for e in result.evaluations] == ["1", "AC-02", "AC-03", "AC-04", "AC-05", "AC-06"]
    assert all(e.passed for e in result.evaluations)
    assert result.conclusion == "pass" and result.conclusion_label == "合格"
    series = next(e for e in result.evaluations if e.criterion.id == "AC-03")
    assert [r.sample for r in series.readings] == ["H01", "H02", "H03", "H03"]
    assert series.readings[0].where.path == "content/VR-99-data.csv" and series.readings[0].where.line == 2


def test_a_failure_without_deviation_is_an_error_at_the_value(tmp_path: Path) -> None:
    result, problems = judge(tmp_path, csv=CSV.replace("H02,45.3", "H02,51.3"))
    assert result.conclusion == "fail"
    assert problems == ["content/VR-99-data.csv:3: value: AC-03 不符合（H02：51.3 ℃（应在 40 ℃～50 ℃））: record a deviation naming AC-03 "
                        "in report.deviations, with its impact assessment (impact) and disposition"]


DEVIATION = """\
  deviations:
    - id: DEV-1
      criteria: [AC-03]
      description: H02 记录仪放在加热盘管旁
      impact: 重新布点复测合格，不影响结论
      disposition: 接受
"""


def test_deviation_pending_then_approved(tmp_path: Path) -> None:
    failing_csv = CSV.replace("H02,45.3", "H02,51.3")
    pending, problems = judge(tmp_path, REPORT + DEVIATION, failing_csv)
    assert problems == [] and pending.conclusion == "pending" and pending.conclusion_label == "待定"
    assert pending.reasons == ["AC-03 不符合，偏差 DEV-1 尚未批准"]
    approved, problems = judge(tmp_path, REPORT + DEVIATION + '      approved_by: {name: 王建国, date: "2027-01-18"}\n', failing_csv)
    assert problems == [] and approved.conclusion == "pass"
    assert approved.deviations[0].approved and approved.deviations[0].approved_by == "王建国"
    affecting, _ = judge(tmp_path, REPORT + DEVIATION + "      affects_conclusion: true\n", failing_csv)
    assert affecting.conclusion == "fail"


def test_stated_pass_needs_an_approved_deviation(tmp_path: Path) -> None:
    failing_csv = CSV.replace("H02,45.3", "H02,51.3")
    _, problems = judge(tmp_path, REPORT + DEVIATION + "  conclusion: 合格\n", failing_csv)
    assert len(problems) == 1 and problems[0].startswith(
        "content/VR-99.yaml:18: report.conclusion: states 合格, but the evaluation gives 待定: AC-03 不符合，偏差 DEV-1 尚未批准")
    result, problems = judge(tmp_path, REPORT + "  conclusion: 不合格\n")
    assert problems == [] and result.conclusion == "fail"  # a stricter conclusion is the reviewer's to state


def test_deviation_fields_are_required(tmp_path: Path) -> None:
    _, problems = judge(tmp_path, REPORT + "  deviations:\n    - {id: DEV-2, criteria: [AC-99]}\n")
    assert "content/VR-99.yaml:13: report.deviations[1].criteria: AC-99 is not a criterion of the protocol" in problems
    for name in ("description", "impact", "disposition"):
        assert f"content/VR-99.yaml:13: report.deviations[1].{name}: is required (expected text)" in problems


@pytest.mark.parametrize("old, new, expected", [
    ('    AC-06: {values: [合格, 合格, 合格]}\n', '    AC-06: {values: [合格, 合格, 合格]}\n    AC-09: {values: [1]}\n',
     "content/VR-99.yaml:12: report.results.AC-09: AC-09 is not a criterion of VP-99 A (its criteria: 1, AC-02, AC-03, AC-04, AC-05, AC-06)"),
    ("{B1: 无菌生长, B2: 无菌生长, B3: 无菌生长}", "{B1: 无菌生长, B3: 无菌生长}",
     "content/VR-99.yaml:8: report.results.AC-04: sample B2 missing: VP-99 A samples AC-04 at 3 points"),
    ("B3: 无菌生长}", "B3: 无菌生长, B9: 无菌生长}",
     "content/VR-99.yaml:9: report.results.AC-04.values.B9: sample B9 is not a sample of AC-04 in VP-99 A"),
    ("{unit: CFU/支, values: [42, 57, 38, 61, 49]}", "{unit: CFU/g, values: [42, 57, 38, 61, 49]}",
     "content/VR-99.yaml:7: report.results.AC-02.unit: CFU/g differs from the unit of AC-02 in VP-99 A (CFU/支)"),
    ("{unit: CFU/支, values: [42, 57, 38, 61, 49]}", "{values: [42, 57, 38, 61, 49]}",
     "content/VR-99.yaml:7: report.results.AC-02.unit: is required: VP-99 A measures AC-02 in CFU/支"),
    ("[42, 57, 38, 61, 49]", "[42, 57, 38, 61]",
     "content/VR-99.yaml:7: report.results.AC-02: 4 results, VP-99 A requires 5 samples for AC-02"),
    ("[42, 57, 38, 61, 49]", "[42, 57, 未检出, 61, 49]",
     "content/VR-99.yaml:7: report.results.AC-02.values[3]: expected a number: AC-02 is evaluated numerically, got '未检出'"),
    ('"1": {judged: 符合, note: 证书有效}', '"1": {judged: 还行}',
     "content/VR-99.yaml:6: report.results.1.judged: expected 符合 or 不符合, got '还行'"),
    ('AC-06: {values: [合格, 合格, 合格]}', 'AC-06: {judged: 符合}',
     "content/VR-99.yaml:11: report.results.AC-06.judged: AC-06 is evaluated from its results by the rule in VP-99 A; give values instead"),
])
def test_yaml_result_problems_name_file_line_field(tmp_path: Path, old: str, new: str, expected: str) -> None:
    _, problems = judge(tmp_path, edit(old, new))
    assert expected in problems, problems


@pytest.mark.parametrize("csv, expected", [
    (CSV.replace("H02,45.3,℃", "H02,45.3,°C"), "content/VR-99-data.csv:3: unit: °C differs from the unit of AC-03 in VP-99 A (℃)"),
    (CSV + "AC-77,H01,1,℃,\n", "content/VR-99-data.csv:6: criterion: AC-77 is not a criterion of VP-99 A (its criteria: 1, AC-02, AC-03, AC-04, AC-05, AC-06)"),
    (CSV.replace("AC-03,H02,45.3,℃,10:00\n", ""), "content/VR-99-data.csv:2: criterion: sample H02 missing: VP-99 A samples AC-03 at 3 points"),
    (CSV.replace("44.6", "n/a"), "content/VR-99-data.csv:2: value: expected a number: AC-03 is evaluated numerically, got 'n/a'"),
    ("criterion,sample,result\n", "content/VR-99-data.csv:1: value: column value missing (the header names criterion, sample, result)"),
    (CSV + "AC-02,#1,3,CFU/支,\n", "content/VR-99-data.csv:6: criterion: AC-02 has results in the report's YAML as well; keep one"),
])
def test_csv_problems_name_file_line_column(tmp_path: Path, csv: str, expected: str) -> None:
    _, problems = judge(tmp_path, csv=csv)
    assert expected in problems, problems


def test_missing_criterion_and_csv(tmp_path: Path) -> None:
    _, problems = judge(tmp_path, edit("    AC-02: {unit: CFU/支, values: [42, 57, 38, 61, 49]}\n", ""))
    assert any(p.startswith("content/VR-99.yaml:5: report.results: no results for AC-02") for p in problems), problems
    report = REPORT.replace("VR-99-data.csv]", "VR-99-data.csv, ../x.csv, gone.csv]")
    _, problems = judge(tmp_path, report)
    assert "content/VR-99.yaml:4: report.results_csv: '../x.csv': expected the name of a .csv file in the report's folder (no path)" in problems
    assert "content/VR-99.yaml:4: report.results_csv: file not found: content/gone.csv" in problems


def test_unreadable_csv_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "VR-99-data.csv").write_bytes(CSV.encode("gbk"))
    problems = Problems()
    block = FieldReader(yaml_map(REPORT, "content/VR-99.yaml")["report"], problems, "report.")
    evaluate_report(block, CRITERIA, tmp_path, "content", "VP-99", "A")
    assert [str(p) for p in problems.items] == [
        "content/VR-99-data.csv: not UTF-8 text (invalid start byte at byte 48); save it as UTF-8 CSV"]


def test_executed_dates(tmp_path: Path) -> None:
    report = REPORT + '  executed: {from: "2026-12-15", to: "2026-12-01"}\n'
    result, problems = judge(tmp_path, report)
    assert str(result.executed_from) == "2026-12-15"
    assert "content/VR-99.yaml:12: report.executed.to: 2026-12-01 is before 2026-12-15" in problems
