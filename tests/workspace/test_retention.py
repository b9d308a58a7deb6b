"""Retention rules in dossier.yaml: years, device lifetime + N, product expiry + N, the two-year minimum."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dossier.errors import Problems
from dossier.workspace.load import load_config
from dossier.workspace.retention import RetentionRule


def _config(tmp_path: Path, text: str) -> tuple[dict, list[str]]:
    (tmp_path / "dossier.yaml").write_text("company: {name: 示例医疗科技有限公司}\n" + text, encoding="utf-8")
    problems = Problems()
    config = load_config(tmp_path, problems)
    return config.retention_years, [str(p) for p in problems.items]


def test_the_three_forms_of_a_rule(tmp_path: Path) -> None:
    rules, problems = _config(tmp_path, "retention_years:\n  default: 10\n  record_form: device_lifetime + 2\n"
                                        "  procedure: product_expiry+1\ndevice_lifetime_years: 8\nproduct_expiry_months: 36\n")
    assert problems == []
    assert rules["default"] == RetentionRule(10)
    assert rules["record_form"].end(date(2027, 6, 1)) == date(2037, 6, 1)
    assert rules["procedure"].end(date(2027, 6, 1)) == date(2031, 6, 1)
    assert rules["record_form"].describe() == "device_lifetime + 2"


def test_no_rule_keeps_ten_years(tmp_path: Path) -> None:
    rules, problems = _config(tmp_path, "")
    assert problems == [] and rules == {"default": RetentionRule(10)}


@pytest.mark.parametrize("text, line, message", [
    ("retention_years:\n  default: 1\n", 3,
     "retention_years.default: 1 keeps a revision 1 year, less than the two years from release device GMP Art. 45(4) requires"),
    ("retention_years:\n  procedure: product_expiry + 0\nproduct_expiry_months: 18\n", 3,
     "retention_years.procedure: product_expiry + 0 keeps a revision 18 months, less than the two years"),
    ("retention_years:\n  record_form: device_lifetime + 2\n", 3,
     "retention_years.record_form: device_lifetime + 2 needs `device_lifetime_years:` in dossier.yaml"),
    ("retention_years:\n  default: ten years\n", 3,
     "retention_years.default: expected a number of years N (at least 2), `device_lifetime + N` or `product_expiry + N`, got 'ten years'"),
    ("retention_years:\n  handbook: 5\n", 3, "retention_years.handbook: unknown document kind"),
    ("retention_years: {default: 10}\ndevice_lifetime_years: 0\n", 3, "device_lifetime_years: expected a number of at least 1"),
])
def test_rules_that_cannot_be_kept_are_input_errors_at_their_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    _rules, problems = _config(tmp_path, text)
    assert len(problems) == 1 and problems[0].startswith(f"dossier.yaml:{line}: ") and message in problems[0], problems
