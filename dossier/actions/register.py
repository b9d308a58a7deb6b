"""`dossier register`: the master list of controlled documents (受控文件清单), the
distribution and withdrawal record (文件发放回收记录) and, when the workspace keeps one, the
list of external documents (外来文件清单, Art. 44) with the documents citing each, as .docx, .pdf and .csv.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dossier.actions.listing import Listing, write_listings
from dossier.control.status import workspace_status
from dossier.markdown.queries import cited_externals
from dossier.workspace.external import STATUS_LABELS as EXTERNAL_STATUS
from dossier.workspace.model import Workspace

STATE_LABELS = {"draft": "草稿", "approved": "已批准待生效", "effective": "现行有效", "superseded": "已替代", "obsolete": "已作废"}
MASTER_COLUMNS = ["序号", "文件编号", "文件名称", "文件类别", "现行版本", "状态", "生效日期", "归口部门", "下次评审日期"]
# column widths in cm: landscape A4 text width is 29.7 - 2.5 - 2.0 = 25.2 cm; 文件名称 takes the rest
MASTER_WIDTHS = [1.2, 2.6, 7.3, 2.4, 1.9, 2.6, 2.4, 2.2, 2.6]
DISTRIBUTION_COLUMNS = ["序号", "文件编号", "文件名称", "版本", "发放号", "领用人", "部门", "发放日期", "回收日期"]
DISTRIBUTION_WIDTHS = [1.2, 2.6, 7.8, 1.6, 1.6, 2.2, 2.6, 2.8, 2.8]
EXTERNAL_COLUMNS = ["序号", "文件编号", "文件名称", "类别", "发布部门", "年份/版本", "实施日期", "状态", "引用文件"]
EXTERNAL_WIDTHS = [1.2, 3.6, 6.0, 1.8, 3.0, 1.6, 2.2, 2.6, 3.2]


def master_rows(ws: Workspace, today: date) -> list[list[str]]:
    """One row per controlled document: its current revision and state."""
    rows = []
    for index, row in enumerate(workspace_status(ws, today), start=1):
        doc = ws.documents[row["id"]]
        rows.append([str(index), doc.number, doc.title, doc.kind_label, row["in_force"] or row["revision"],
                     STATE_LABELS[row["state"]] if not row["in_force"] else STATE_LABELS["effective"],
                     row["effective_date"] or "—", doc.department or "—", row["next_review"] or "—"])
    return rows


def distribution_rows(ws: Workspace) -> list[list[str]]:
    """One row per controlled copy issued, from the documents' `distribution` entries."""
    rows = []
    for doc in ws.documents.values():
        for entry in sorted(doc.distribution, key=lambda e: e["copy"]):
            rows.append([doc.number, doc.title, doc.revision, f"{entry['copy']:02d}", entry["holder"], entry["department"] or "—",
                         entry["issued"].isoformat() if entry["issued"] else "—",
                         entry["withdrawn"].isoformat() if entry["withdrawn"] else ""])
    return [[str(i), *r] for i, r in enumerate(rows, start=1)]


def external_rows(ws: Workspace) -> list[list[str]]:
    """One row per external document of the register (外来文件清单, Art. 44) and the documents citing it."""
    citing: dict[str, list[str]] = {}
    for doc in ws.documents.values():
        for key in cited_externals(ws, doc):
            citing.setdefault(key, []).append(doc.id)
    rows = []
    for index, entry in enumerate(ws.externals.values(), start=1):
        status = EXTERNAL_STATUS[entry.status] + (f"（由 {entry.replaced_by} 替代）" if entry.replaced_by else "")
        rows.append([str(index), entry.number, entry.title, entry.type, entry.issuer or "—", entry.year or "—",
                     entry.effective.isoformat() if entry.effective else "—", status, "、".join(citing.get(entry.key, [])) or "—"])
    return rows


def write_register(ws: Workspace, today: date, out_dir: Path) -> list[Path]:
    """Write master-list, distribution (and, with a register of external documents, external) .docx/.pdf/.csv into `out_dir`."""
    tables = {
        "master-list": Listing("受控文件清单", MASTER_COLUMNS, master_rows(ws, today), MASTER_WIDTHS),
        "distribution": Listing("文件发放回收记录", DISTRIBUTION_COLUMNS, distribution_rows(ws), DISTRIBUTION_WIDTHS),
    }
    if ws.externals:
        tables["external"] = Listing("外来文件清单", EXTERNAL_COLUMNS, external_rows(ws), EXTERNAL_WIDTHS, left={2, 8})
    return write_listings(ws, tables, today, out_dir)
