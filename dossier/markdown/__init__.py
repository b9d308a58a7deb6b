"""Markdown bodies: the one parser every step uses, and the queries on it (citations, images).

The renderer (`dossier.word.body`), `check` and the build cache all read a body through
`parser()`, so they agree on what is a citation or an image: syntax inside code spans and code
blocks is text. The common cases take a plain regex scan first (a no-op build digests every
body), and fall back to the parser where the text could hold code or unusual forms.

Grammar added to CommonMark + GFM tables, strikethrough and footnotes: `[[DOC-ID]]` cites a
document of the workspace, `[[GB/T 42061-2022]]` an entry of the external-document register
(a `citation` token whose content is the id or key); a fenced block with the info string
`{coverage}` is a directive the render step replaces by a generated table. Emphasis beside
Chinese punctuation works as Chinese writers expect (`**注意：**操作`, see `cjk`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin

from dossier.markdown.cjk import CjkParserInline, cjk

# a document id (QP-04) or an external document's key (GB/T 42061-2022, 公告2025年第107号)
CITATION = re.compile(r"\[\[[ \t]*([^\s\[\]](?:[^\[\]\n]*[^\s\[\]])?)[ \t]*\]\]")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_MAY_HOLD_CODE = re.compile(r"`|~~~|^(?: {4}|\t)", re.M)
# an image in its plain form: no brackets in the alt text, no title, no escapes, entities or parentheses in the name
_PLAIN_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\(\s*(?:<([^<>\n\\&]+)>|([^()\s<>\\&]+))\s*\)")


def normalised(md: str) -> str:
    """The Markdown without a leading byte order mark, with newlines normalised to LF."""
    return re.sub(r"\r\n?", "\n", md.removeprefix("\ufeff"))


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: `[[DOC-ID]]` becomes a `citation` token."""
    match = CITATION.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    if not silent:
        state.push("citation", "", 0).content = match.group(1)
    state.pos = match.end()
    return True


@functools.cache
def parser() -> MarkdownIt:
    """CommonMark + GFM tables, strikethrough and footnotes; HTML and character references are plain text."""
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable("entity")
    md.inline.__class__ = CjkParserInline  # emphasis beside CJK punctuation (dossier.markdown.cjk)
    md.use(footnote_plugin, inline=False)
    md.inline.ruler.before("link", "citation", _citation_rule)
    return md


@functools.cache
def _literal_parser() -> MarkdownIt:
    """`parser()` keeping backslash escapes as their own `text_special` tokens (for the lint queries)."""
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable(["entity", "text_join"])
    md.inline.__class__ = CjkParserInline
    md.use(footnote_plugin, inline=False)
    md.inline.ruler.before("link", "citation", _citation_rule)
    return md


@functools.lru_cache(maxsize=4)
def tokens(md: str) -> tuple[Token, ...]:
    """The token stream of a body (normalised first), parsed once for the queries that read it.

    `check` asks several questions of each body (citations, headings, captions, emphasis); the
    last few bodies' tokens are kept so that it parses each body once. The tokens are shared:
    read them, never change them (the renderer parses its own, see `syntax_tree`).
    """
    return tuple(parser().parse(normalised(md)))


def syntax_tree(md: str) -> SyntaxTreeNode:
    """The syntax tree of an already normalised body."""
    return SyntaxTreeNode(parser().parse(md))


def _inline_targets(md: str, pick: Callable[[Token], str | None], md_parser: MarkdownIt | None = None) -> list[tuple[int, str]]:
    """(0-based line, value) of every inline token `pick` returns a value for, in line order."""
    found: list[tuple[int, str]] = []
    for token in (md_parser.parse(normalised(md)) if md_parser else tokens(md)):
        if token.type == "inline" and token.map is not None:
            _walk_inline(token.children or [], token.map[0], pick, found)
    return sorted(found, key=lambda pair: pair[0])


def _walk_inline(tokens: list[Token], line: int, pick: Callable[[Token], str | None], found: list[tuple[int, str]]) -> int:
    """Add what `pick` finds among inline tokens starting at `line`; the line after them is returned."""
    for token in tokens:
        value = pick(token)
        if value is not None:
            found.append((line, value))
        if token.type in ("softbreak", "hardbreak"):
            line += 1
        elif token.children:
            line = _walk_inline(token.children, line, pick, found)
    return line


def citations(md: str) -> list[tuple[int, str]]:
    """(0-based line, cited id) of every `[[ID]]` the renderer resolves, in line order (none in code).

    Text without anything that could be code takes a plain scan (the common case, ~50x faster).
    """
    if "[[" not in md:
        return []
    if _MAY_HOLD_CODE.search(md):
        return _inline_targets(md, lambda token: token.content if token.type == "citation" else None)
    return [(number, match.group(1)) for number, line in enumerate(md.splitlines()) for match in CITATION.finditer(line)]


def fenced_blocks(md: str, info: str) -> list[tuple[int, str]]:
    """(0-based line of the opening fence, content) of every fenced block whose info string is `info`."""
    if info not in md:
        return []
    return [(token.map[0], token.content) for token in tokens(md)
            if token.type == "fence" and token.info.strip() == info and token.map is not None]


def prose_lines(md: str) -> list[tuple[int, str]]:
    """(0-based line, text) of the prose a reader sees: no code spans or blocks, no citations, no link targets.

    Text without anything that could be code takes a plain scan (citations removed).
    """
    if not _MAY_HOLD_CODE.search(md):
        return [(number, CITATION.sub(" ", line)) for number, line in enumerate(normalised(md).splitlines())]
    return _inline_targets(md, lambda token: token.content if token.type == "text" else None)


def images(md: str) -> list[tuple[int, str]]:
    """(0-based line, file name as the renderer resolves it) of every image, in line order (none in code)."""
    if "![" not in md:
        return []
    return _inline_targets(md, lambda token: unquote(str(token.attrs.get("src", ""))) if token.type == "image" else None)


def image_names(md: str) -> list[str]:
    """The image files a body embeds, as the renderer resolves them.

    When every `![` opens an image in its plain form, a regex reads them (fast: no-op builds
    digest every document); otherwise the parser decides.
    """
    if "![" not in md:
        return []
    plain = _PLAIN_IMAGE.findall(md)
    if len(plain) == md.count("!["):
        return [unquote(bracketed or bare) for bracketed, bare in plain]
    return [name for _, name in images(md)]


def is_relative_name(name: str) -> bool:
    """True for an image name the renderer embeds: a path relative to the document, not a URL."""
    return bool(name) and not SCHEME.match(name) and not Path(name).is_absolute()


wide = cjk  # True for characters set full-width (Chinese, Japanese, full-width punctuation)


def display_width(text: str) -> int:
    """Width in half-width character cells (a CJK character counts 2)."""
    return sum(2 if wide(char) else 1 for char in text)


def footnote_number(node: SyntaxTreeNode) -> str:
    """The number a footnote reference shows: its note's place in the list of notes."""
    return str(node.meta["id"] + 1)


def plain(nodes: list[SyntaxTreeNode]) -> str:
    """The text of inline nodes, without markup and without image alt texts."""
    return "".join(node.content if node.type in ("text", "code_inline", "citation") else
                   footnote_number(node) if node.type == "footnote_ref" else
                   "" if node.type == "image" else plain(node.children) for node in nodes)
