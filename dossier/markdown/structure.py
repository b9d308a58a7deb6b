"""What a body's structure asks of Word: table widths, rows that say more than their header, list depth.

Read with the one parser (`dossier.markdown.parser`), so the answers hold for what the renderer
writes. GFM drops the cells of a row beyond its header's: `table_rows` counts them on the row's
own source line, split the way markdown-it splits it (unescaped `|`, outer pipes optional).
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.rules_block.table import escapedSplit

from dossier.markdown import normalised, parser


@dataclass(frozen=True)
class TableRow:
    """A table body row: its 0-based line, how many cells it writes, how many its header has."""

    line: int
    cells: int
    header: int


def _cells(text: str) -> int:
    """Cells of one table line as markdown-it counts them."""
    text = text.strip()
    while text.startswith(">"):  # a table in a block quote
        text = text[1:].strip()
    columns = escapedSplit(text)
    if columns and columns[0].strip() == "":
        columns.pop(0)
    if columns and columns[-1].strip() == "":
        columns.pop()
    return len(columns)


def tables(md: str) -> list[tuple[int, int]]:
    """(0-based line, number of columns) of every table of a body."""
    return [(line, header) for line, header, _ in _tables(md)]


def table_rows(md: str) -> list[TableRow]:
    """Every body row of every table, with its cell count and its header's."""
    return [row for _, _, rows in _tables(md) for row in rows]


def _tables(md: str) -> list[tuple[int, int, list[TableRow]]]:
    if "|" not in md:
        return []
    text = normalised(md)
    lines = text.split("\n")
    found = []
    tokens = parser().parse(text)
    for index, token in enumerate(tokens):
        if token.type != "table_open" or token.map is None:
            continue
        header = 0
        rows: list[TableRow] = []
        section = ""
        for inner in tokens[index + 1:]:
            if inner.type == "table_close":
                break
            if inner.type in ("thead_open", "tbody_open"):
                section = inner.type
            elif inner.type == "th_open":
                header += 1
            elif inner.type == "tr_open" and section == "tbody_open" and inner.map is not None:
                line = inner.map[0]
                rows.append(TableRow(line, _cells(lines[line]) if line < len(lines) else 0, 0))
        found.append((token.map[0], header, [TableRow(row.line, row.cells, header) for row in rows]))
    return found


def list_depths(md: str) -> list[tuple[int, int]]:
    """(0-based line, depth) of every list nested deeper than any before it (1 = a top-level list)."""
    if not any(marker in md for marker in ("- ", "* ", "+ ", ". ", ") ")):
        return []
    depth, deepest, found = 0, 0, []
    for token in parser().parse(normalised(md)):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            if depth > deepest and token.map is not None:
                deepest = depth
                found.append((token.map[0], depth))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
    return found
