"""Section numbers of headings: the numbering styles a workspace or document chooses.

`auto` writes 1, 1.1, 1.1.1 …; `chapter` the style of Chinese regulations and manuals: 第一章,
第一节, then 一、（一）1.（1）; `none` writes no number (for bodies that type their own). The
number goes one level below the nearest shallower heading, so a skipped level (`####` after `#`)
is numbered as the next sub-level, never with a 0 part.
"""

from __future__ import annotations

import re

HEADING_STYLE = re.compile(r"Heading ([1-9])")
_DIGITS = "零一二三四五六七八九"
NUMBERED_STYLES = ("auto", "chapter")  # the numbering styles that write a number (`none` writes none)


def chinese_numeral(number: int) -> str:
    """一 … 九十九 … 九百九十九 as written in section numbers (十一, 二十, 一百零五)."""
    if number <= 0:
        return str(number)
    if number >= 1000:
        return str(number)
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    text = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    if ones:
        text += _DIGITS[ones]
    return text


def heading_number(style: str, counters: list[int]) -> str:
    """The number written before a heading's text, with its separator ("" for `none`)."""
    if style == "none" or not counters:
        return ""
    if style == "auto":
        return ".".join(str(count) for count in counters) + " "
    depth, count = len(counters), counters[-1]
    if depth == 1:
        return f"第{chinese_numeral(count)}章\u3000"
    if depth == 2:
        return f"第{chinese_numeral(count)}节\u3000"
    return (f"{chinese_numeral(count)}、", f"（{chinese_numeral(count)}）", f"{count}. ")[min(depth - 3, 2)] \
        if depth < 6 else f"（{count}）"


class HeadingCounters:
    """The running section numbers of one body; continues after headings already in the target."""

    def __init__(self, style: str, existing_levels: list[int]) -> None:
        self.style = style
        self.levels: list[int] = []  # heading level of each counter
        self.counters: list[int] = []
        for level in existing_levels:
            self.next(level)

    def next(self, level: int) -> str:
        """Count a heading of `level` (any consistent scale: Markdown or Word levels); its number text."""
        depth = sum(1 for outer in self.levels if outer < level)
        self.levels = self.levels[:depth] + [level]
        self.counters = (self.counters + [0])[: depth + 1]
        self.counters[depth] += 1
        return heading_number(self.style, self.counters)


def existing_heading_levels(target, offset: int) -> list[int]:
    """Markdown levels (Word level − `offset`) of the headings already in `target`, in order."""
    found = []
    for paragraph in target.paragraphs:
        style = paragraph.style
        match = HEADING_STYLE.fullmatch(style.name or "") if style is not None else None
        if match and paragraph.text.strip():
            found.append(int(match.group(1)) - offset)
    return found
