"""How long a title the page header of a template shows on its designed lines.

The house header prints the title (`{{ doc.title }}`) in a table cell two lines high. A longer
title is not cut off (the row grows), but the header then takes more of every page, so `check`
warns with the limit: characters per line (from the cell's width, its margins and the font
size) times the lines the row was designed for (its stated height). A title counts CJK
characters as one and Latin ones as half.
"""

from __future__ import annotations

import functools
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TITLE_FIELD = "doc.title"
CELL_MARGINS_TWIPS = 2 * 108
DEFAULT_PT = 10.5
LINE_FACTOR = 1.25  # a line of CJK text is about 1.25 × the font size high


@dataclass(frozen=True)
class HeaderRoom:
    """The title room of a page header: characters per line and designed lines."""

    per_line: int
    lines: int

    @property
    def characters(self) -> int:
        """Title characters the header shows without growing."""
        return self.per_line * self.lines


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _cell_room(tc, grid: list[int], column: int, row) -> HeaderRoom | None:
    span = tc.find(f"{_w('tcPr')}/{_w('gridSpan')}")
    width = sum(grid[column:column + (int(span.get(_w("val"))) if span is not None else 1)])
    sizes = [int(sz.get(_w("val"))) / 2 for sz in tc.iter(_w("sz")) if (sz.get(_w("val")) or "").isdigit()]
    size = max(sizes, default=DEFAULT_PT)
    per_line = int((width - CELL_MARGINS_TWIPS) / (size * 20))
    height = row.find(f"{_w('trPr')}/{_w('trHeight')}")
    stated = int(height.get(_w("val"))) if height is not None and (height.get(_w("val")) or "").isdigit() else 0
    lines = max(1, int(stated / (size * 20 * LINE_FACTOR)))
    return HeaderRoom(per_line, lines) if per_line > 0 else None


@functools.lru_cache(maxsize=32)
def _header_room(path: str, _stamp: tuple[int, int]) -> HeaderRoom | None:
    try:
        with zipfile.ZipFile(path) as package:
            headers = [name for name in package.namelist() if name.startswith("word/header") and name.endswith(".xml")]
            roots = [etree.fromstring(package.read(name)) for name in sorted(headers)]
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    for root in roots:
        for tbl in root.iter(_w("tbl")):
            grid = [int(col.get(_w("w"), "0")) for col in tbl.iterfind(f"{_w('tblGrid')}/{_w('gridCol')}")]
            for row in tbl.iter(_w("tr")):
                column = 0
                for tc in row.iter(_w("tc")):
                    if TITLE_FIELD in "".join(tc.itertext()):
                        return _cell_room(tc, grid, column, row)
                    span = tc.find(f"{_w('tcPr')}/{_w('gridSpan')}")
                    column += int(span.get(_w("val"))) if span is not None else 1
    return None


def header_room(template: Path) -> HeaderRoom | None:
    """The title room of the template's page header; None when its header has no title cell."""
    try:
        stat = template.stat()
    except OSError:
        return None
    return _header_room(str(template), (stat.st_size, stat.st_mtime_ns))
