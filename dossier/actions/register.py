"""`dossier register`: the master list of controlled documents (受控文件清单) and the
distribution and withdrawal record (文件发放回收记录), as .docx, .pdf and .csv.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date, datetime
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from dossier.control.status import workspace_status
from dossier.convert import convert_batch
from dossier.pdf.normalise import normalise_pdf
from dossier.util.atomic import write_bytes
from dossier.word.blocks import base_document, grid_table
from dossier.word.document import docx_bytes
from dossier.word.package import CoreProperties
from dossier.workspace.model import Workspace

STATE_LABELS = {"draft": "草稿", "approved": "已批准待生效", "effective": "现行有效", "superseded": "已替代", "obsolete": "已作废"}
MASTER_COLUMNS = ["序号", "文件编号", "文件名称", "文件类别", "现行版本", "状态", "生效日期", "归口部门", "下次评审日期"]
# column widths in cm: landscape A4 text width is 29.7 - 2.5 - 2.0 = 25.2 cm; 文件名称 takes the rest
MASTER_WIDTHS = [1.2, 2.6, 7.3, 2.4, 1.9, 2.6, 2.4, 2.2, 2.6]
DISTRIBUTION_COLUMNS = ["序号", "文件编号", "文件名称", "版本", "发放号", "领用人", "部门", "发放日期", "回收日期"]
DISTRIBUTION_WIDTHS = [1.2, 2.6, 7.8, 1.6, 1.6, 2.2, 2.6, 2.8, 2.8]


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


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel opens Chinese CSV correctly


def _docx(ws: Workspace, title: str, header: list[str], rows: list[list[str]], widths: list[float], today: date) -> bytes:
    doc = base_document(landscape=True)
    company = doc.add_paragraph(ws.config.company_name, style="Title")
    company.runs[0].font.size = doc.styles["Heading 1"].font.size
    doc.add_paragraph(title, style="Title")
    stamp = doc.add_paragraph(f"编制日期：{today.isoformat()}　　共 {len(rows)} 项")
    stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    grid_table(doc, header, rows, widths)
    props = CoreProperties(title=title, creator=ws.config.company_name, when=datetime(today.year, today.month, today.day))
    return docx_bytes(doc, props)


def write_register(ws: Workspace, today: date, out_dir: Path) -> list[Path]:
    """Write master-list and distribution .docx/.pdf/.csv into `out_dir`; returns the paths."""
    tables = {
        "master-list": ("受控文件清单", MASTER_COLUMNS, master_rows(ws, today), MASTER_WIDTHS),
        "distribution": ("文件发放回收记录", DISTRIBUTION_COLUMNS, distribution_rows(ws), DISTRIBUTION_WIDTHS),
    }
    outputs: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="dossier-register-") as tmp:
        staged = []
        for name, (title, header, rows, widths) in tables.items():
            outputs[f"{name}.docx"] = _docx(ws, title, header, rows, widths, today)
            outputs[f"{name}.csv"] = _csv(header, rows)
            path = Path(tmp) / f"{name}.docx"
            path.write_bytes(outputs[f"{name}.docx"])
            staged.append(path)
        for docx, pdf in convert_batch(staged, Path(tmp) / "pdf").items():
            title = tables[docx.stem][0]
            outputs[f"{docx.stem}.pdf"] = normalise_pdf(pdf.read_bytes(), datetime(today.year, today.month, today.day), title)
    written = []
    for name, data in sorted(outputs.items()):
        write_bytes(out_dir / name, data)
        written.append(out_dir / name)
    return written
