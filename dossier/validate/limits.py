"""The limits of the output formats, checked before anything is rendered.

- A document id names its files (`ID.docx`, `ID.signed.pdf`, `releases/ID/…`): at most
  MAX_ID_BYTES bytes of UTF-8, so every name stays within the 255 bytes file systems allow.
- Word holds at most 63 columns in a table (Markdown tables, record-form grids) and 9 list
  levels (w:ilvl 0–8); LibreOffice and WPS follow Word.
- Metadata only (core properties, the PDF's /Title) is shortened instead: `dossier.word.package`
  and `dossier.pdf.normalise` cut it at 255 characters.

A Markdown table row with more cells than its header loses the extra cells (GFM): that is a
warning naming the row's line, not an error, since the table still renders.
"""

from __future__ import annotations

from dossier.errors import Problems
from dossier.markdown.structure import structure
from dossier.workspace.model import Document
from dossier.workspace.yamlsrc import SourceMap

MAX_ID_BYTES = 200
MAX_WORD_COLUMNS = 63
MAX_LIST_LEVELS = 9


def _texts(doc: Document) -> list[tuple[str, str, int, str]]:
    """(Markdown, file shown, line offset, field) of the body and of every text field of a protocol."""
    texts = [(doc.body, doc.body_source, doc.body_line_offset, "body")]
    if isinstance(doc.validation, SourceMap):
        for key, value in doc.validation.items():
            if isinstance(value, str):
                texts.append((value, doc.source_display, doc.validation.line_of(key), f"validation.{key}"))
    return texts


def check_limits(doc: Document, problems: Problems) -> None:
    """Errors for what Word or the file system cannot hold; a warning for table cells GFM drops."""
    if doc.id and len(doc.id.encode("utf-8")) > MAX_ID_BYTES:
        line = doc.raw.line_of("id") if isinstance(doc.raw, SourceMap) else None
        problems.add(doc.source_display, line, "id", f"{len(doc.id.encode('utf-8'))} bytes; a document id names "
                     f"its files and may have at most {MAX_ID_BYTES} bytes (UTF-8)")
    for md, source, offset, field in _texts(doc):
        found = structure(md, MAX_WORD_COLUMNS)
        for line, columns in found.tables:
            if columns > MAX_WORD_COLUMNS:
                problems.add(source, offset + line + 1, field, f"a table of {columns} columns; Word holds at most "
                             f"{MAX_WORD_COLUMNS} (split the table)")
        for row in found.rows:
            if row.cells > row.header:
                problems.warn(source, offset + row.line + 1, field, f"this table row has {row.cells} cells but its header "
                              f"{row.header}; the cells beyond the first {row.header} are dropped (add header cells or remove them)")
        for line, depth in found.lists:
            if depth > MAX_LIST_LEVELS:
                problems.add(source, offset + line + 1, field, f"a list nested {depth} levels deep; Word numbers at most "
                             f"{MAX_LIST_LEVELS} levels")
                break
    form = doc.form if isinstance(doc.form, SourceMap) else None
    columns = form.get("columns") if form is not None else None
    if isinstance(columns, list) and len(columns) > MAX_WORD_COLUMNS:
        problems.add(doc.source_display, form.line_of("columns"), "form.columns",
                     f"{len(columns)} columns; Word holds at most {MAX_WORD_COLUMNS} in a table")
