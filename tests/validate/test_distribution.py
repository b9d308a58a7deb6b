"""The YAML `distribution:` list: the planned distribution, and the issue records of earlier versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.actions.init import init_workspace
from dossier.errors import Problems
from dossier.validate import validate_workspace
from dossier.workspace.load import load_workspace


def _problems(tmp_path: Path, entries: list[str]) -> list[str]:
    init_workspace(tmp_path, "示例医疗科技有限公司", "2026-11-30")
    path = tmp_path / "content/QP-01.yaml"
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("distribution:")]
    path.write_text(head + "distribution:\n" + "".join(f"  - {e}\n" for e in entries), encoding="utf-8")
    problems = Problems()
    validate_workspace(load_workspace(tmp_path, problems), problems)
    return [str(p) for p in problems.items]


def test_a_plan_without_dates_and_the_records_of_earlier_versions_are_both_accepted(tmp_path: Path) -> None:
    assert _problems(tmp_path, [
        "{copy: 1, holder: 张敏, department: 质量部}",
        "{copy: 2, holder: 赵磊, department: 生产部, issued: '2026-01-05', withdrawn: '2026-06-02'}",
        "{copy: 2, holder: 赵磊, department: 生产部, issued: '2026-06-02'}",  # the same 发放号 again, after its return
    ]) == []


@pytest.mark.parametrize("entries, message", [
    (["{copy: 1, holder: 张敏}", "{copy: 1, holder: 赵磊}"], "content/QP-01.yaml:13: distribution.copy: copy 1 is already planned (line 12)"),
    (["{copy: 1, holder: 张敏, issued: '2026-01-05'}", "{copy: 1, holder: 张敏, issued: '2026-06-02'}"],
     "content/QP-01.yaml:13: distribution.copy: copy 1 is still out (line 12): give that entry its withdrawn: date first"),
    (["{copy: 1, holder: 张敏, withdrawn: '2026-06-02'}"],
     "content/QP-01.yaml:12: distribution.withdrawn: a copy that was not issued (no issued: date) cannot come back"),
    (["{copy: 0, holder: 张敏}"], "content/QP-01.yaml:12: distribution[1].copy: expected a number of at least 1, got 0"),
])
def test_what_the_list_cannot_say(tmp_path: Path, entries: list[str], message: str) -> None:
    assert message in _problems(tmp_path, entries)
