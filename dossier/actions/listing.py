"""Generated lists (registers, the coverage matrix) as .docx, PDF and .csv: one way to lay them out.

A list is a landscape A4 document with the company, the list's title, the date it was drawn up and
the number of entries above a bordered table whose header row repeats on every page, and 第 X 页
共 Y 页 in the footer; the same rows go to a UTF-8 CSV with a byte order mark (Excel opens it).
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from dossier.convert import convert_batch
from dossier.pdf.normalise import normalise_pdf
from dossier.util.atomic import write_bytes
from dossier.word.blocks import base_document, grid_table
from dossier.word.document import docx_bytes
from dossier.word.package import CoreProperties
from dossier.workspace.model import Workspace


@dataclass
class Listing:
    """One list: its title, columns (with widths in cm for the .docx), rows and optional notes."""

    title: str
    header: list[str]
    rows: list[list[str]]
    widths: list[float]
    csv_header: list[str] | None = None  # the CSV may carry more columns than the page
    csv_rows: list[list[str]] | None = None
    subtitle: str = ""
    left: set[int] = field(default_factory=set)  # columns of long text, aligned left
    notes: list[str] = field(default_factory=list)  # paragraphs below the table


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """The rows as CSV (CRLF, UTF-8 with BOM: Excel opens Chinese CSV correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def listing_docx(ws: Workspace, listing: Listing, today: date) -> bytes:
    """The list as a landscape .docx."""
    doc = base_document(landscape=True)
    company = doc.add_paragraph(ws.config.company_name, style="Title")
    company.runs[0].font.size = doc.styles["Heading 1"].font.size
    doc.add_paragraph(listing.title, style="Title")
    if listing.subtitle:
        doc.add_paragraph(listing.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    stamp = doc.add_paragraph(f"编制日期：{today.isoformat()}　　共 {len(listing.rows)} 项")
    stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = grid_table(doc, listing.header, listing.rows, listing.widths)
    for tr in table._tbl.tr_lst[1:]:  # straight from the rows' w:tc elements (row.cells rebuilds the grid)
        cells = tr.tc_lst
        for column in listing.left:
            for p in cells[column].p_lst:
                p.get_or_add_pPr().get_or_add_jc().val = WD_ALIGN_PARAGRAPH.LEFT
    for note in listing.notes:
        doc.add_paragraph(note)
    props = CoreProperties(title=listing.title, creator=ws.config.company_name, when=datetime(today.year, today.month, today.day))
    return docx_bytes(doc, props)


def write_listings(ws: Workspace, listings: dict[str, Listing], today: date, out_dir: Path) -> list[Path]:
    """Write NAME.docx, NAME.pdf and NAME.csv of every listing into `out_dir` (atomically, after all converted)."""
    outputs: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="dossier-list-") as tmp:
        staged = []
        for name, listing in listings.items():
            outputs[f"{name}.docx"] = listing_docx(ws, listing, today)
            outputs[f"{name}.csv"] = csv_bytes(listing.csv_header or listing.header,
                                               listing.csv_rows if listing.csv_rows is not None else listing.rows)
            path = Path(tmp) / f"{name}.docx"
            path.write_bytes(outputs[f"{name}.docx"])
            staged.append(path)
        for docx, pdf in convert_batch(staged, Path(tmp) / "pdf").items():
            title = listings[docx.stem].title
            outputs[f"{docx.stem}.pdf"] = normalise_pdf(pdf.read_bytes(), datetime(today.year, today.month, today.day), title)
    written = []
    for name, data in sorted(outputs.items()):
        write_bytes(out_dir / name, data)
        written.append(out_dir / name)
    return written
