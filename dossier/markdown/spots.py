"""Spots a starter document leaves to the company: 【请根据本企业实际填写：…】 and 【请确认：…】.

A spot is found where a reader sees it: in a paragraph of the Markdown body (or a text of the
YAML file), wrapped over the lines of that paragraph, holding 【…】 of its own. It does not run
into the next block: a blank line, a list item, a table row, a heading, a quotation, a code
fence or a YAML key ends it, and a heading, table row or YAML comment ends at its line's end.
Spots inside fenced code or a code span are examples, not spots.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_START = re.compile(r"【请(?:根据本企业实际填写|确认)[：:]")
_FENCE = re.compile(r"[ \t]*(?:>[ \t]*)*(`{3,}|~{3,})")
# a line that is a block by itself: a heading (or YAML comment), a table row
_ONE_LINE = re.compile(r"[ \t]*(?:>[ \t]*)*(?:-[ \t]+)?[#|]")
# a line that starts a block of its own rather than going on with the paragraph above it
_NEW_BLOCK = re.compile(r"[ \t]*(?:$|[#|>]|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|`{3}|~{3}"
                        r"|[A-Za-z_][A-Za-z0-9_.-]*:(?:[ \t]|$))")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?(?<!`)\1(?!`)")
_BRACKET = re.compile(r"[【】]")


def find_spots(text: str) -> list[tuple[int, str]]:
    """(1-based line where it starts, its words without the outer 【】) of every open spot in `text`.

    `text` is a Markdown body or a YAML file, any line ends. A spot wrapped over lines is given
    joined, the line breaks and the indentation around them left out (CJK text wraps without
    spaces); a spot inside another is part of it. Linear in the length of `text`.
    """
    if "【请" not in text:
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [spot for first, block in _paragraphs(lines) if any("【请" in line for line in block)
            for spot in _spots_in(first, block)]


def _paragraphs(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(index of its first line, its lines) of each run of lines a spot may span, fenced code left out."""
    fence, block, first = "", [], 0
    for index, line in enumerate(lines):
        opener = _FENCE.match(line)
        if fence:
            if opener and opener.group(1).startswith(fence) and not line[opener.end():].strip():
                fence = ""
            continue
        if block and (opener or _NEW_BLOCK.match(line) or _ONE_LINE.match(block[-1])):
            yield first, block
            block = []
        if opener:
            fence = opener.group(1)
            continue
        if not block:
            first = index
        block.append(line)
    if block:
        yield first, block


def _spots_in(first: int, block: list[str]) -> list[tuple[int, str]]:
    """The spots of one run of lines: each opening matched to its closing bracket with one stack."""
    stack: list[tuple[int, int, bool]] = []
    spans: list[tuple[int, int, int, int]] = []
    for row, line in enumerate(block):
        starts = {match.start() for match in _START.finditer(line)}
        if starts and "`" in line:
            starts = {start for start in starts
                      if not any(span.start() < start < span.end() for span in _CODE_SPAN.finditer(line))}
        for bracket in _BRACKET.finditer(line):
            column = bracket.start()
            if bracket.group() == "【":
                stack.append((row, column, column in starts))
            elif stack:
                open_row, open_column, is_spot = stack.pop()
                if is_spot:
                    spans.append((open_row, open_column, row, column))
    found, end = [], (-1, -1)
    for open_row, open_column, close_row, close_column in sorted(spans):
        if (open_row, open_column) < end:
            continue  # inside a spot already found
        end = (close_row, close_column)
        found.append((first + open_row + 1, _words(block, open_row, open_column + 1, close_row, close_column)))
    return found


def _words(block: list[str], row: int, column: int, end_row: int, end_column: int) -> str:
    """The text from (row, column) to (end_row, end_column), lines joined without their wrapping."""
    if row == end_row:
        return block[row][column:end_column]
    pieces = [block[row][column:].rstrip(" \t")]
    pieces.extend(line.strip(" \t") for line in block[row + 1:end_row])
    pieces.append(block[end_row][:end_column].lstrip(" \t"))
    return "".join(pieces)
