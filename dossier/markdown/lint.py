"""Queries for `check` warnings: emphasis markers left on the page, headings and captions that type their own number.

Both read a body as the renderer does (the one parser, code is text), so a warning names the
line whose text shows the fault.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from dossier.markdown import _inline_targets, _literal_parser, tokens

# a delimiter run touching text on at least one side: what was meant as emphasis
_LEFTOVER = re.compile(r"\*+(?=\S)|(?<=\S)\*+")
# a section number typed into a heading: 1 / 1.1 / 1.1. / 一、 / （一） / 第一章 / 第3节 / Ⅳ.
_TYPED_NUMBER = re.compile(
    r"^(?:\d+(?:\.\d+)+\.?(?!\d)|\d+[.．、](?!\d)|\d+(?=[\s\u3000])|[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]+[)）]"
    r"|第[一二三四五六七八九十百\d]+[章节条部篇]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+[.、\s])"
)

# a figure or table number typed into a caption: 图1 / 图 1 / 图1-2 / 表3 / Figure 2 / Table 1
_TYPED_CAPTION = re.compile(r"^(?:图|表|Figure|Fig\.|Table)[ \t\u3000]*\d+(?:[-.－]\d+)*")
_TABLE_CAPTION = re.compile(r"^(?:Table)?:[ \t]+")  # pandoc's table caption marker (as dossier.word.body.tables reads it)


def _leftover(token: Token) -> str | None:
    if token.type != "text" or "*" not in token.content:
        return None
    match = _LEFTOVER.search(token.content)
    if match is None:
        return None
    start = max(0, match.start() - 8)
    return token.content[start:match.end() + 8]


def leftover_emphasis(md: str) -> list[tuple[int, str]]:
    """(0-based line, text around it) of every `*`/`**` the renderer prints as an asterisk.

    An unmatched delimiter run beside text is what was meant as emphasis (`**注意**：` typo'd,
    a missing closing `**`). Escaped asterisks (`\\*`), asterisks in code, and a lone `*`
    between spaces (`3 * 4`) are text as written and not reported.
    """
    if "*" not in md or not _inline_targets(md, _leftover):  # the usual parse first: no candidate there, none at all
        return []
    return _inline_targets(md, _leftover, _literal_parser())


def typed_number(text: str) -> str | None:
    """The section number a heading's text starts with (`1.1`, `第一章`, `一、`), or None."""
    match = _TYPED_NUMBER.match(text.strip())
    return match.group(0).strip() if match else None


def headings(md: str) -> list[tuple[int, int, str]]:
    """(0-based line, level 1–6, text) of every heading of a body, in order."""
    found = []
    stream = tokens(md)
    for index, token in enumerate(stream):
        if token.type == "heading_open" and token.map is not None:
            inline = stream[index + 1]
            found.append((token.map[0], int(token.tag[1:]), inline.content))
    return found


def typed_captions(md: str) -> list[tuple[int, str, str]]:
    """(0-based line, caption text, typed number) of every image alt text or table caption
    (`Table: …`, `: …`) that starts with its own number (`图1 组织机构图`); the renderer numbers
    captions itself (图1、图2 …, 表1 …), so such a caption would show two numbers."""
    found: list[tuple[int, str, str]] = []
    if "![" in md:
        for line, alt in _inline_targets(md, lambda token: token.content if token.type == "image" else None):
            match = _TYPED_CAPTION.match(alt.strip())
            if match:
                found.append((line, alt.strip(), match.group(0)))
    if ":" in md:
        stream = tokens(md)
        for index, token in enumerate(stream):
            if token.type == "paragraph_open" and token.map is not None:
                text = stream[index + 1].content
                marker = _TABLE_CAPTION.match(text)
                caption = text[marker.end():].strip() if marker else ""
                match = _TYPED_CAPTION.match(caption)
                if match:
                    found.append((token.map[0], caption, match.group(0)))
    return sorted(found)
