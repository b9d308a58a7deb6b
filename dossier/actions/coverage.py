"""`dossier coverage`: the matrix of a rule set for a workspace, and its .docx/.pdf/.csv (GMP条款对照表).

The lists are laid out like the registers (company, title, date, 第 X 页 共 Y 页); the .docx and
PDF add an empty 审核记录 column, so the matrix serves as the internal-audit checklist of device GMP
2025 Art. 128. Files go to `build/coverage/<rule set>.{docx,pdf,csv}`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dossier.actions.listing import Listing, write_listings
from dossier.coverage.matrix import Matrix, Row
from dossier.pipeline.coverage import coverage_of  # noqa: F401 (the matrix the commands and the site show)
from dossier.workspace.model import Workspace

STATUS_LABELS = {"covered": "已覆盖", "not_applicable": "不适用", "gap": "缺口", "informative": "原则性条款"}
STATE_LABELS = {"draft": "草稿", "approved": "已批准", "effective": "现行", "obsolete": "已作废"}
COLUMNS = ["条款", "条款内容", "要求的文件", "状态", "体系文件（版本、状态）", "审核记录"]
WIDTHS = [3.0, 8.8, 3.0, 1.6, 4.6, 4.2]  # landscape A4 text width 25.2 cm
CSV_COLUMNS = ["article", "条款", "章", "状态", "status", "要求的文件", "体系文件", "不适用的理由", "说明"]


def _documents(row: Row) -> str:
    return "；".join(f"{c.document.id} {c.document.title}（{c.document.revision}版，{STATE_LABELS.get(c.document.state, c.document.state)}）"
                    + (f" {c.section}" if c.section else "") for c in row.documents)


def _requires(row: Row) -> str:
    """The documents the article requires; "—" when it requires an activity only, or nothing (informative)."""
    return "；".join(dict.fromkeys(r.subject for r in row.article.requires)) or "—"


def write_coverage(ws: Workspace, matrix: Matrix, today: date, out_dir: Path) -> list[Path]:
    """Write `<rule set>.docx/.pdf/.csv` of the matrix into `out_dir`; returns the paths."""
    rows, csv_rows = [], []
    for row in matrix.rows:
        documents = _documents(row)
        shown = f"不适用：{row.exclusion.reason}" if row.exclusion else documents or "—"
        rows.append([row.article.label, row.article.text, _requires(row), STATUS_LABELS[row.status], shown, ""])
        csv_rows.append([str(row.article.number), row.article.label, row.chapter, STATUS_LABELS[row.status], row.status,
                         _requires(row), documents, row.exclusion.reason if row.exclusion else "", row.problem])
    summary = matrix.summary()
    subtitle = (f"依据：{matrix.rules.title}　　条款 {summary['articles']} 条：已覆盖 {summary['covered']}，"
                f"不适用 {summary['not_applicable']}，缺口 {summary['gap']}，原则性条款 {summary['informative']}")
    listing = Listing(f"GMP条款对照表（{matrix.rules.short}）", COLUMNS, rows, WIDTHS, CSV_COLUMNS, csv_rows, subtitle, left={1, 4})
    return write_listings(ws, {matrix.rules.id: listing}, today, out_dir)


def failing_lines(matrix: Matrix) -> list[str]:
    """One line per article that fails the check: which article, what it requires, why it is not met."""
    return [f"gap: {matrix.rules.id} Art. {row.article.number} ({row.article.label}): {row.problem}" for row in matrix.failing]
