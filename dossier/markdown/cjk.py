"""Emphasis next to Chinese punctuation: `**注意：**操作`, `为**“受控”**的`, `*（试行）*版本`.

CommonMark decides whether `*`/`**` opens or closes emphasis from the characters beside it (its
"flanking" rules), and treats full-width punctuation (：，“”（）) like ASCII punctuation: a closing
`**` after `：` must be followed by a space or punctuation, which Chinese text never has, so the
asterisks stayed on the page. Here a delimiter run next to a CJK character (Chinese, Japanese,
full-width punctuation) counts as flanking on that side, as Chinese writers expect (the rule the
"CJK-friendly" CommonMark amendment proposes). Text without CJK characters parses exactly as
CommonMark says; `_` keeps its stricter intraword rule.
"""

from __future__ import annotations

import unicodedata

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Scanned


def cjk(char: str) -> bool:
    """True for a character set full-width: Chinese, Japanese, Korean, full-width punctuation."""
    return unicodedata.east_asian_width(char) in ("W", "F")


class CjkStateInline(StateInline):
    """Inline parser state whose emphasis delimiters may sit between CJK punctuation and CJK text."""

    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:  # noqa: N802 - markdown-it's name
        """CommonMark's delimiter-run scan with the CJK amendment (see the module docstring)."""
        pos, maximum, marker = start, self.posMax, self.src[start]
        last = self.src[start - 1] if start > 0 else " "  # the start of the line counts as a space
        while pos < maximum and self.src[pos] == marker:
            pos += 1
        following = self.src[pos] if pos < maximum else " "
        last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
        next_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
        last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
        left = not (next_space or (next_punct and not (last_space or last_punct or cjk(last))))
        right = not (last_space or (last_punct and not (next_space or next_punct or cjk(following))))
        can_open = left and (canSplitWord or not right or last_punct)
        can_close = right and (canSplitWord or not left or next_punct)
        return Scanned(can_open, can_close, pos - start)


class CjkParserInline(ParserInline):
    """markdown-it's inline parser, run with `CjkStateInline`."""

    def parse(self, src, md, env, tokens):
        """Process an inline string into `tokens` (as ParserInline.parse does)."""
        state = CjkStateInline(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens
