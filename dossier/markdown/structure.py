"""What a body's structure asks of Word: table widths, rows that say more than their header, list depth.

Read with the one parser (`dossier.markdown.parser`), so the answers hold for what the renderer
writes. GFM drops the cells of a row beyond its header's: `table_rows` counts them on the row's
own source line, split the way markdown-it splits it (unescaped `|`, outer pipes optional).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.rules_block.table import escapedSplit

from dossier.markdown import normalised
from dossier.markdown import tokens as markdown_tokens


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


# a list nested deeper than a few levels needs this much indentation (two columns per level at least)
_DEEP_INDENT = re.compile(r"^[ \t>]{8,}", re.M)


@dataclass
class Structure:
    """What `structure` finds: tables (0-based line, columns), their body rows, lists (line, depth) deeper than before."""

    tables: list[tuple[int, int]] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    lists: list[tuple[int, int]] = field(default_factory=list)


def _delimiter(line: str) -> bool:
    """True for a line that can be a table's delimiter row (`|---|:--:|`)."""
    text = line.strip().lstrip(">").strip()
    return "|" in text and "-" in text and not text.strip("|:- \t")


def _table_trouble(md: str, wide: int) -> bool:
    """A quick look, line by line: could a table have more than `wide` columns, or a row more cells than its header?

    Only then is the body parsed (most bodies have neither, and a parse costs ~10 ms per document).
    """
    lines = md.split("\n")
    for index, line in enumerate(lines):
        if index == 0 or not _delimiter(line):
            continue
        header = _cells(lines[index - 1])
        if header > wide:
            return True
        for row in lines[index + 1:]:
            if not row.strip() or "|" not in row:
                break
            if _cells(row) > header:
                return True
    return False


def structure(md: str, wide: int = 63) -> Structure:
    """Tables, table rows and list depths of a body, from one parse; none when a quick look finds no table
    wider than `wide` columns, no row with more cells than its header and no deeply indented list."""
    found = Structure()
    want_tables, want_lists = "|" in md and _table_trouble(md, wide), bool(_DEEP_INDENT.search(md))
    if not want_tables and not want_lists:
        return found
    text = normalised(md)
    tokens = list(markdown_tokens(md))
    if want_tables:
        for line, header, rows in _tables(text, tokens):
            found.tables.append((line, header))
            found.rows.extend(rows)
    if want_lists:
        found.lists = _list_depths(tokens)
    return found


def tables(md: str) -> list[tuple[int, int]]:
    """(0-based line, number of columns) of every table of a body."""
    return structure(md, wide=0).tables


def table_rows(md: str) -> list[TableRow]:
    """Every body row of every table, with its cell count and its header's."""
    return structure(md, wide=0).rows


def _tables(text: str, tokens) -> list[tuple[int, int, list[TableRow]]]:
    lines = text.split("\n")
    found = []
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
    """(0-based line, depth) of every list nested deeper than any before it (1 = a top-level list), from
    the fourth level on (shallower lists are what every body has)."""
    return structure(md).lists


def _list_depths(tokens) -> list[tuple[int, int]]:
    depth, deepest, found = 0, 0, []
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            if depth > deepest and token.map is not None:
                deepest = depth
                found.append((token.map[0], depth))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
    return found
