"""`dossier register`: the document-control registers as .docx, .pdf and .csv in `build/register/`.

The master list of controlled documents (受控文件清单), the distribution and withdrawal record
(文件发放回收记录), the destruction record (文件销毁记录) and, when asked, the list of drafts
(未发布文件清单), and, when the workspace keeps an external-document register, the list of
external documents (外来文件清单, Art. 44) with the documents citing each; rows from
`dossier.control.registers`, wording from `control/forms.yaml`.
Each register carries its own form number and ends with a blank approval line (device GMP 2025
Art. 43(1) records).
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date, datetime
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from dossier.control.forms import approval_line, heading_line
from dossier.control.registers import Register, build_registers
from dossier.convert import convert_batch
from dossier.pdf.normalise import normalise_pdf
from dossier.util.atomic import write_bytes
from dossier.word.blocks import base_document, grid_table
from dossier.word.document import docx_bytes
from dossier.word.package import CoreProperties
from dossier.workspace.model import Workspace


def _csv(register: Register) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(register.form.headers)
    writer.writerows(register.rows)
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel opens Chinese CSV correctly


def _docx(ws: Workspace, register: Register, today: date) -> bytes:
    doc = base_document(landscape=True)
    company = doc.add_paragraph(ws.config.company_name, style="Title")
    company.runs[0].font.size = doc.styles["Heading 1"].font.size
    doc.add_paragraph(register.form.title, style="Title")
    stamp = doc.add_paragraph(heading_line(register.number, today.isoformat(), len(register.rows)))
    stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    grid_table(doc, register.form.headers, register.rows, register.form.widths)
    doc.add_paragraph()
    doc.add_paragraph(approval_line())
    props = CoreProperties(title=register.form.title, creator=ws.config.company_name,
                           when=datetime(today.year, today.month, today.day))
    return docx_bytes(doc, props)


def write_register(ws: Workspace, today: date, out_dir: Path, drafts: bool = False) -> list[Path]:
    """Write every register's .docx/.pdf/.csv into `out_dir`; returns the paths written.

    `drafts` adds the list of documents not released (drafts.*). ToolError when LibreOffice fails.
    """
    registers = build_registers(ws, today, drafts)
    outputs: dict[str, bytes] = {}
    titles = {r.name: r.form.title for r in registers}
    with tempfile.TemporaryDirectory(prefix="dossier-register-") as tmp:
        staged = []
        for register in registers:
            outputs[f"{register.name}.docx"] = _docx(ws, register, today)
            outputs[f"{register.name}.csv"] = _csv(register)
            path = Path(tmp) / f"{register.name}.docx"
            path.write_bytes(outputs[f"{register.name}.docx"])
            staged.append(path)
        for docx, pdf in convert_batch(staged, Path(tmp) / "pdf").items():
            outputs[f"{docx.stem}.pdf"] = normalise_pdf(pdf.read_bytes(), datetime(today.year, today.month, today.day),
                                                        titles[docx.stem])
    if not drafts:  # a drafts list of an earlier run would no longer be current
        for suffix in ("docx", "pdf", "csv"):
            (out_dir / f"drafts.{suffix}").unlink(missing_ok=True)
    written = []
    for name, data in sorted(outputs.items()):
        write_bytes(out_dir / name, data)
        written.append(out_dir / name)
    return written
