"""Spots a starter document leaves to the company: 【请根据本企业实际填写：…】 and 【请确认：…】.

A spot is found where a reader sees it. In a Markdown body that is the text the renderer prints
(`body_spots`): the body is read by the one parser (`dossier.markdown.tokens`), so a spot lies
inside one paragraph, heading, table cell, quotation or footnote, may wrap over its lines and
hold 【…】 of its own, and is never one inside code (fenced, indented or a code span). In a YAML
file (`yaml_spots`) a spot lies in one value: it may wrap over the lines of a value but not run
into the next key or list item, and comments print nowhere, so spots there are not counted.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from markdown_it.token import Token

from dossier.markdown import normalised, tokens, wide

_START = re.compile(r"【请(?:根据本企业实际填写|确认)[：:]")
_BRACKET = re.compile(r"[【】]")
_SPOT_HINT = "【请"

# YAML: a line that starts another key, list item or document, or a comment line
_YAML_NEW_ENTRY = re.compile(r"[ \t]*(?:$|#|-(?:[ \t]|$)|---|\.\.\.|[^\s:#'\"][^:#]*:(?:[ \t]|$)|['\"][^'\"]*['\"]:(?:[ \t]|$))")
_BLOCK_START = re.compile(r"(?:^|:|-)[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$")  # a value written as a block scalar


class _Flat:
    """The printed text of one inline block: its characters, where its lines start, what is code."""

    def __init__(self, first_line: int):
        self.parts: list[str] = []
        self.length = 0
        self.breaks: list[int] = []  # offsets of the "\n" of each line break
        self.code: list[tuple[int, int]] = []  # [start, end) of code spans
        self.first_line = first_line

    def add(self, text: str, code: bool = False) -> None:
        if code:
            self.code.append((self.length, self.length + len(text)))
        self.parts.append(text)
        self.length += len(text)

    def line_break(self) -> None:
        self.breaks.append(self.length)
        self.add("\n")

    def printed(self, offset: int) -> bool:
        """True when the character at `offset` is text, not code."""
        at = bisect.bisect_right(self.code, (offset, self.length + 1)) - 1
        return not (at >= 0 and self.code[at][0] <= offset < self.code[at][1])

    def line(self, offset: int) -> int:
        return self.first_line + bisect.bisect_left(self.breaks, offset)


def _flatten(children: list[Token], flat: _Flat) -> None:
    for token in children:
        if token.type in ("text", "text_special"):
            flat.add(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            flat.line_break()
        elif token.type == "code_inline":
            flat.add(token.content, code=True)
        elif token.type == "image":  # the alt text prints as the caption
            _flatten(token.children or [], flat)
        elif token.type == "citation":
            flat.add(f"[[{token.content}]]", code=True)  # shown as written: the printed number comes from the workspace
        elif token.children:
            _flatten(token.children, flat)


def _joined(text: str) -> str:
    """`text` with each line break as the renderer prints it: nothing between two CJK characters, else a space."""
    if "\n" not in text:
        return text
    pieces = text.split("\n")
    out = pieces[0].rstrip(" \t")
    for piece in pieces[1:]:
        piece = piece.lstrip(" \t")
        if out and piece and not (wide(out[-1]) and wide(piece[0])):
            out += " "
        out += piece
    return out


def _matched(text: str, usable) -> Iterator[tuple[int, int]]:
    """(start, end) of each outermost spot of `text` whose brackets `usable(offset)` lets count: one stack."""
    starts = {match.start() for match in _START.finditer(text) if usable(match.start())}
    if not starts:
        return
    stack: list[tuple[int, bool]] = []
    spans: list[tuple[int, int]] = []
    for bracket in _BRACKET.finditer(text):
        offset = bracket.start()
        if not usable(offset):
            continue
        if bracket.group() == "【":
            stack.append((offset, offset in starts))
        elif stack:
            opened, is_spot = stack.pop()
            if is_spot:
                spans.append((opened, offset))
    end = -1
    for start, close in sorted(spans):
        if start > end:  # not inside a spot already found
            end = close
            yield start, close


def body_spots(md: str) -> list[tuple[int, str]]:
    """(0-based line of the body where it starts, its words as printed, without the outer 【】) of every
    spot a Markdown body prints, in line order. Linear in the length of the body."""
    if _SPOT_HINT not in md:
        return []
    found: list[tuple[int, str]] = []
    for token in tokens(md):
        if token.type != "inline" or token.map is None or _SPOT_HINT not in token.content:
            continue
        flat = _Flat(token.map[0])
        _flatten(token.children or [], flat)
        text = "".join(flat.parts)
        found.extend((flat.line(start), _joined(text[start + 1:close])) for start, close in _matched(text, flat.printed))
    return sorted(found, key=lambda spot: spot[0])


def yaml_spots(text: str, skip_key: str | None = None) -> list[tuple[int, str]]:
    """(1-based line, words without the outer 【】) of every spot in a YAML file's values, in line order.

    Comments are left out (text in a block scalar `|`/`>` is text, `#` included); the value of the
    top-level key `skip_key` (a Markdown body held in the file, read with `body_spots`) is skipped.
    """
    if _SPOT_HINT not in text:
        return []
    lines = normalised(text).split("\n")
    found: list[tuple[int, str]] = []
    entry: list[tuple[int, str]] = []  # (1-based line, text) of the lines of one entry
    block: int | None = None  # inside a block scalar whose key is indented this much
    skipping = False

    def flush() -> None:
        if entry:
            joined = "\n".join(line for _, line in entry)
            found.extend((entry[0][0] + joined.count("\n", 0, start), _joined(joined[start + 1:close]))
                         for start, close in _matched(joined, lambda offset: True))
            entry.clear()

    for number, line in enumerate(lines, 1):
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and (not line.strip() or indent > block):
            if not skipping:
                entry.append((number, line))
            continue
        if skipping and block is None and (not line.strip() or indent > 0):
            continue  # the rest of a skipped value (wrapped or quoted over lines)
        block, skipping = None, False
        if _YAML_NEW_ENTRY.match(line):
            flush()
        if line.lstrip().startswith("#"):
            continue
        if skip_key is not None and indent == 0 and line.startswith(f"{skip_key}:"):
            skipping = True
            block = 0 if _BLOCK_START.search(line) else None
            continue
        if _BLOCK_START.search(line):
            block = indent
        entry.append((number, _without_comment(line)))
    flush()
    return found


def _without_comment(line: str) -> str:
    """A YAML line without its trailing comment (a `#` after a space, outside quotes)."""
    if "#" not in line:
        return line
    quote, escaped = "", False
    for at, char in enumerate(line):
        if escaped:  # the character after \ in "…", or the second ' of '' in '…'
            escaped = False
        elif quote:
            if quote == '"' and char == "\\" or quote == "'" and char == "'" and line[at + 1:at + 2] == "'":
                escaped = True
            elif char == quote:
                quote = ""
        elif char == '"' or (char == "'" and (at == 0 or line[at - 1] in " \t[{,:-")):
            quote = char
        elif char == "#" and at > 0 and line[at - 1] in " \t":
            return line[:at]
    return line
