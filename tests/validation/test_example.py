"""The example's validation documents through `check` (no LibreOffice): a measurement past its
limit flips its criterion and makes `check` demand a deviation, naming file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import copy_workspace, run_cli


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_example_checks(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    result = run_cli("check", str(root))
    assert result.exit_code == 0, result.output
    assert "warning: content/VR-12-07.yaml:17: report.protocol: VR-12-07 is judged against VP-12-01 A, which is not released" in result.output


def test_measurement_past_its_limit_demands_a_deviation(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    report = root / "content" / "VR-12-07.yaml"
    _edit(report, "P4-3: 5.6,", "P4-3: 12.5,")
    line = next(n for n, text in enumerate(report.read_text(encoding="utf-8").splitlines(), start=1) if "P4-3: 12.5" in text)
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert (f"error: content/VR-12-07.yaml:{line}: report.results.AC-21.values.P4-3: AC-21 不符合（P4-3：12.5 μg/g（应不大于 10 μg/g））: "
            "record a deviation naming AC-21 in report.deviations, with its impact assessment (impact) and disposition") in result.output


def test_logger_reading_past_its_limit_names_the_csv_line(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    data = root / "content" / "VR-12-07-loggers.csv"
    lines = data.read_text(encoding="utf-8").splitlines()
    index = next(i for i, text in enumerate(lines) if text.startswith("AC-12,T07,"))
    lines[index] = lines[index].replace(lines[index].split(",")[2], "44.1", 1)
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert f"error: content/VR-12-07-loggers.csv:{index + 1}: value: AC-12 不符合（T07：44.1 ℃（应不小于 45 ℃））" in result.output


def test_stated_pass_with_a_failure_awaiting_approval(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    report = root / "content" / "VR-12-07.yaml"
    _edit(report, '      approved_by: {name: 王建国, date: "2027-01-18"}\n', "")
    report.write_text(report.read_text(encoding="utf-8") + "  conclusion: 合格\n", encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert "report.conclusion: states 合格, but the evaluation gives 待定: AC-06 不符合，偏差 DEV-2026-047 尚未批准" in result.output


def test_status_json_lists_the_plan(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    result = run_cli("status", "--json", "-w", str(root))
    assert result.exit_code == 0, result.output
    objects = {o["object"]: o for o in json.loads(result.output)["validation"]}
    assert objects["EO-01"]["state"] == "executed" and objects["EO-01"]["report"] == "VR-12-07"
    assert objects["EO-01"]["next_due"] == "2026-12-20" and objects["CL-01"]["next_due"] == "2028-06-18"
    text = run_cli("status", "-w", str(root)).output
    assert any(line.startswith("EO-01      VMP-01  executed") and "2026-12-20" in line for line in text.splitlines()), text


def test_plan_problems(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path)
    plan = root / "content" / "VMP-01.yaml"
    _edit(plan, "      type: utility\n", "      type: water\n")
    _edit(plan, "      protocol: VP-12-01\n", "      protocol: QP-12\n")
    _edit(plan, "      depends_on: [QP-04]\n", "      depends_on: [QP-99]\n")
    _edit(plan, "      revalidation:\n        triggers: [设备搬迁", "      revalidate:\n        triggers: [设备搬迁")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    text = plan.read_text(encoding="utf-8").splitlines()

    def line_of(fragment: str) -> int:
        return next(n for n, t in enumerate(text, start=1) if fragment in t)

    errors = result.output
    assert f"content/VMP-01.yaml:{line_of('type: water')}: plan.objects[2].type: unknown object type 'water'" in errors
    assert (f"content/VMP-01.yaml:{line_of('protocol: QP-12')}: plan.objects[3].protocol: QP-12 is a 程序文件, "
            "not a validation protocol (验证方案)") in errors
    assert f"content/VMP-01.yaml:{line_of('depends_on: [QP-99]')}: plan.objects[8].depends_on: QP-99 is no document of content/" in errors
    assert f"content/VMP-01.yaml:{line_of('- id: EQ-031')}: plan.objects[6].revalidation: is required (Art. 75)" in errors
