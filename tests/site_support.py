"""A released example workspace for the site tests: revised, withdrawn, pending, overdue documents.

Every release and withdrawal is made with a fixed clock, so the ledger and the site describe the
same history on every run. On 2027-01-15 (AS_OF):

- QP-12 A effective since 2024-01-15: its periodic review (24 months) is overdue;
- QP-04 A (effective 2026-12-01) superseded by B (effective 2027-01-10): copies issued under A are to recall;
- WI-12-01 A released, then withdrawn on 2027-01-08 (作废);
- QP-05 A approved, effective only from 2027-02-01;
- QM-01, QR-12-01, VP-12-01: drafts, never released.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from dossier.actions.release import obsolete, release, revise
from tests.conftest import copy_workspace

AS_OF = date(2027, 1, 15)


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T02:00:00").replace(tzinfo=timezone.utc)


def released_workspace(target: Path) -> Path:
    """Copy the example into `target` and give it the history above (six LibreOffice renders)."""
    root = copy_workspace(target)
    qp12 = root / "content" / "QP-12.yaml"  # written and approved in 2023, in force since 2024
    qp12.write_text(qp12.read_text(encoding="utf-8").replace('"2026-11-', '"2023-12-').replace('"2026-12-01"', '"2024-01-15"'),
                    encoding="utf-8")
    release(root, "QP-12", "王建国", "首次发布", now=_at("2024-01-10"))
    release(root, "QP-04", "王建国", "首次发布", now=_at("2026-11-20"))
    release(root, "WI-12-01", "王建国", "首次发布", now=_at("2026-11-25"))
    revise(root, "QP-04", change="第4.3条增加电子文件控制要求")
    body = root / "content" / "QP-04.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n# 电子文件\n\n电子文件的控制按本程序执行。\n", encoding="utf-8")
    release(root, "QP-04", "王建国", "GMP 2025 第四十六条", effective=date(2027, 1, 10), now=_at("2027-01-05"))
    obsolete(root, "WI-12-01", "工艺变更，合并入QP-12", "王建国", now=_at("2027-01-08"))
    release(root, "QP-05", "王建国", "首次发布", effective=date(2027, 2, 1), now=_at("2027-01-12"))
    return root
