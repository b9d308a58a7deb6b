"""Markdown body -> Word content: python-docx paragraphs, tables and pictures in a document or subdoc.

Headings take the template's "Heading N" styles with section numbers (1, 1.1, 1.1.1) written into
the text; lists get real Word numbering (a numbering definition per list, so every list restarts);
GFM tables become bordered full-width tables whose rows stay on one page and whose header row
repeats on every page; images are scaled to the text width with a caption below; `[[DOC-ID]]`
cites another document; footnotes (`[^1]` / `[^1]: note`) become superscript numbers with the
notes as a numbered list at the end.
Raw HTML and character references stay literal text. Runs never name an East Asian font, so
Chinese text follows the styles (inline code only sets a Latin monospace face).
"""

from __future__ import annotations

import copy
import functools
import re
from html import escape
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.shared import Cm, Emu, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin

from dossier.errors import Problems
from dossier.workspace.yamlsrc import illegal_xml_chars

CITATION = re.compile(r"\[\[[ \t]*([A-Za-z0-9][A-Za-z0-9_.\-/]*)[ \t]*\]\]")
INDENT = 420  # twips per list/quote level: two Chinese characters at 10.5 pt
CODE_FONT = "Courier New"  # drawn with Liberation Mono (metric-compatible) when converting
CELL_MARGINS = 2 * 108  # twips, Word's default left + right cell margin
CHAR_TWIPS = 140  # a half-width character (Latin capitals included) of text up to 12 pt, for sizing table columns
A4_TEXT_WIDTH = Cm(16)  # used only when the template's section has no page size
BULLETS = ("●", "○", "■")  # in every CJK font; drawn smaller than the text (BULLET_SIZE)
BULLET_SIZE = 12  # half-points
ORDERED = (("decimal", "%{n}."), ("decimal", "%{n})"), ("lowerLetter", "%{n})"))
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # as dossier.workspace.yamlsrc reports them
# docxtpl turns "{_{", "}_}", "{_%", "%_}" into Jinja delimiters after rendering: never let a run hold one
_DOCXTPL_ESCAPES = re.compile(r"(?<=[{}%]_)(?=[{}%])")
_HEADING_STYLE = re.compile(r"Heading ([1-9])")
_RUN_CONTROLS = re.compile(r"([\t\r\n])")  # python-docx writes each as its own element
_HEADING_NUMBER = re.compile(r"(\d+(?:\.\d+)*) ")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                   "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                   "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                   "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                   "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def render_markdown(md: str, target, *, resolve_citation: Callable[[str], str], image_dir: Path, source: str,
                    problems: Problems, heading_offset: int = 0, number_headings: bool = True,
                    line_offset: int = 0) -> None:
    """Append the Markdown body as Word paragraphs/tables/images to `target`.

    `target` is a python-docx Document or a docxtpl Subdoc (styles, numbering and images go to the
    template it belongs to). Heading levels are shifted by `heading_offset`; section numbers
    continue after numbered headings already in `target`. Problems (unknown citation, missing
    image, characters XML cannot hold) are recorded against `source` at line
    `line_offset` + the Markdown line, so pass the number of source lines before the body.
    """
    text = _checked_text(md, source, problems, line_offset)
    tree = SyntaxTreeNode(_parser().parse(text))
    renderer = _Renderer(target, resolve_citation=resolve_citation, image_dir=image_dir, source=source,
                         problems=problems, heading_offset=heading_offset, number_headings=number_headings,
                         line_offset=line_offset, top_level=_top_heading_level(tree))
    renderer.blocks(tree.children, _Context())


def citations(md: str) -> list[tuple[int, str]]:
    """(0-based line, cited id) of every `[[ID]]` the renderer would resolve, in line order.

    Parses like `render_markdown`, so citations in code spans and code blocks are not counted.
    """
    return _inline_targets(md, lambda token: token.content if token.type == "citation" else None)


def images(md: str) -> list[tuple[int, str]]:
    """(0-based line, file name as the renderer resolves it) of every image, in line order.

    Parses like `render_markdown`, so image syntax in code spans and code blocks is not counted.
    """
    return _inline_targets(md, lambda token: unquote(str(token.attrs.get("src", ""))) if token.type == "image" else None)


def is_relative_name(name: str) -> bool:
    """True for an image name the renderer embeds: a path relative to the document, not a URL."""
    return bool(name) and not _SCHEME.match(name) and not Path(name).is_absolute()


def _inline_targets(md: str, pick: Callable[[Token], str | None]) -> list[tuple[int, str]]:
    """(0-based line, value) of every inline token `pick` returns a value for, in line order."""
    found: list[tuple[int, str]] = []
    for token in _parser().parse(_normalised(md)):
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


def _normalised(md: str) -> str:
    """The Markdown without a leading byte order mark, with newlines normalised to LF."""
    return re.sub(r"\r\n?", "\n", md.removeprefix("\ufeff"))


def _checked_text(md: str, source: str, problems: Problems, line_offset: int) -> str:
    """The normalised Markdown; characters XML cannot hold are reported and removed."""
    text = _normalised(md)
    for line, char in illegal_xml_chars(text):
        problems.add(source, line_offset + line, "body",
                     f"character {char} cannot appear in a document (XML forbids it)")
    return _XML_ILLEGAL.sub("", text)


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
def _parser() -> MarkdownIt:
    """CommonMark + GFM tables, strikethrough and footnotes; HTML and character references are plain text."""
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable("entity")
    md.use(footnote_plugin, inline=False)
    md.inline.ruler.before("link", "citation", _citation_rule)
    return md


def _top_heading_level(tree: SyntaxTreeNode) -> int:
    levels = [int(node.tag[1:]) for node in tree.walk() if node.type == "heading"]
    return min(levels, default=1)


def _wide(char: str) -> bool:
    """True for characters set full-width (Chinese, Japanese, full-width punctuation)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _display_width(text: str) -> int:
    return sum(2 if _wide(char) else 1 for char in text)


def _plain(nodes: list[SyntaxTreeNode]) -> str:
    """The text of inline nodes, without markup and without image alt texts."""
    return "".join(node.content if node.type in ("text", "code_inline", "citation") else
                   _footnote_number(node) if node.type == "footnote_ref" else
                   "" if node.type == "image" else _plain(node.children) for node in nodes)


def _footnote_number(node: SyntaxTreeNode) -> str:
    """The number a footnote reference shows: its note's place in the list of notes."""
    return str(node.meta["id"] + 1)


def _shown_address(link: SyntaxTreeNode) -> str:
    """" (address)" after a link's text when the address is absolute and not the text itself."""
    href = str(link.attrs.get("href", ""))
    address = href.removeprefix("mailto:")
    if link.markup == "autolink" or not _SCHEME.match(href) or address == _plain(link.children):
        return ""
    return f" ({address})"


@dataclass(frozen=True)
class _Context:
    """Where a block sits: how deep in lists and block quotes."""

    list_depth: int = 0
    quote: int = 0

    @property
    def indent(self) -> int:
        return INDENT * (self.list_depth + self.quote)


@dataclass(frozen=True)
class _Format:
    """Character formatting in force for the text being written."""

    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    superscript: bool = False


@dataclass
class _InlineState:
    """Progress through one paragraph's inline content."""

    line: int  # 0-based Markdown line of the content being written
    max_width: int  # EMU available to a picture
    pending_space: bool = False  # a soft line break waits for the next text
    last: str = ""  # last character written
    pictures: int = 0
    captions: list[tuple[SyntaxTreeNode, int]] = field(default_factory=list)


class _Numbering:
    """Adds list definitions to the numbering part of the document that owns the target."""

    def __init__(self, document_part) -> None:
        try:
            part = document_part.part_related_by(RT.NUMBERING)
        except KeyError:
            part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
                                 parse_xml(f"<w:numbering {nsdecls('w')}/>"), document_part.package)
            document_part.relate_to(part, RT.NUMBERING)
        self.root = part.element

    def _next(self, xpath: str) -> int:
        return max((int(value) for value in self.root.xpath(xpath)), default=0) + 1

    def new_list(self, ordered: bool, level: int, start: int) -> int:
        """numId of a new list whose items at `level` count from `start`."""
        abstract_id = self._next("./w:abstractNum/@w:abstractNumId")
        num_id = self._next("./w:num/@w:numId")
        levels = []
        for ilvl in range(9):
            if ordered:
                fmt, text = ORDERED[ilvl % len(ORDERED)]
                text = text.format(n=ilvl + 1)
            else:
                fmt, text = "bullet", BULLETS[ilvl % len(BULLETS)]
            size = "" if ordered else f'<w:rPr><w:sz w:val="{BULLET_SIZE}"/><w:szCs w:val="{BULLET_SIZE}"/></w:rPr>'
            levels.append(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start if ilvl == level else 1}"/>'
                f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{INDENT * (ilvl + 1)}" w:hanging="{INDENT}"/></w:pPr>{size}</w:lvl>'
            )
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:nsid w:val="{0x0D055000 + abstract_id:08X}"/><w:multiLevelType w:val="hybridMultilevel"/>'
            f'{"".join(levels)}</w:abstractNum>'
        )
        num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
        self.root.insert_element_before(abstract, "w:num", "w:numIdMacAtCleanup")
        self.root.insert_element_before(num, "w:numIdMacAtCleanup")
        return num_id


def _text_width(document) -> int:
    """Width between the margins of the document's last section, in EMU."""
    section = document.sections[-1]
    sizes = (section.page_width, section.left_margin, section.right_margin)
    if None in sizes:
        return A4_TEXT_WIDTH
    width, left, right = sizes
    return width - left - right


def _heading_counters(target) -> list[int]:
    """Section numbers of the last numbered heading already in `target` (empty if none)."""
    for paragraph in reversed(target.paragraphs):
        style = paragraph.style
        if style is None or not _HEADING_STYLE.fullmatch(style.name or "") or not paragraph.runs:
            continue
        match = _HEADING_NUMBER.fullmatch(paragraph.runs[0].text)
        if match:
            return [int(part) for part in match.group(1).split(".")]
    return []


def _indent(paragraph: Paragraph, left: int, hanging: int = 0) -> None:
    fmt = paragraph.paragraph_format
    fmt.left_indent = Twips(left)
    fmt.first_line_indent = Twips(-hanging)


def _set_numbering(paragraph: Paragraph, num_id: int, level: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def _set_style(paragraph: Paragraph, style_id: str | None) -> None:
    """Apply a paragraph style by id (None: the default style) as `paragraph.style = name` would."""
    paragraph._p.get_or_add_pPr().style = style_id


def _paragraph_property(paragraph: Paragraph, xml: str) -> None:
    """Add a pBdr or shd element to the paragraph properties, in schema order."""
    element = parse_xml(xml)
    start = _PPR_AFTER_PBDR.index("w:shd") + 1 if element.tag == qn("w:shd") else 0
    paragraph._p.get_or_add_pPr().insert_element_before(element, *_PPR_AFTER_PBDR[start:])


def _add_runs(paragraph: Paragraph, text: str, fmt: _Format) -> None:
    """Text as runs with `fmt`, written as python-docx's `add_run(text)` and font setters would.

    Tabs become w:tab and line breaks w:br; a w:t keeps its spaces (xml:space) when it starts or
    ends with one. The elements are made directly: python-docx's setters search the schema's
    successor lists for every property and were a quarter of the Markdown rendering time.
    """
    properties = _run_properties(fmt)
    p = paragraph._p
    for piece in _DOCXTPL_ESCAPES.split(text):
        run = OxmlElement("w:r")
        if properties is not None:
            run.append(copy.deepcopy(properties))
        for part in _RUN_CONTROLS.split(piece):
            if part == "\t":
                run.append(OxmlElement("w:tab"))
            elif part in ("\r", "\n"):
                run.append(OxmlElement("w:br"))
            elif part:
                element = OxmlElement("w:t")
                element.text = part
                if len(part.strip()) < len(part):
                    element.set(qn("xml:space"), "preserve")
                run.append(element)
        p.append(run)


@functools.cache
def _run_properties(fmt: _Format):
    """The w:rPr for `fmt` (properties in schema order), or None for plain text."""
    code = f'<w:rFonts w:ascii="{CODE_FONT}" w:hAnsi="{CODE_FONT}"/>' if fmt.code else ""
    flags = "".join(tag for on, tag in ((fmt.bold, "<w:b/>"), (fmt.italic, "<w:i/>"), (fmt.strike, "<w:strike/>"),
                                        (fmt.superscript, '<w:vertAlign w:val="superscript"/>')) if on)
    return parse_xml(f"<w:rPr {nsdecls('w')}>{code}{flags}</w:rPr>") if code or flags else None


def _column_widths(rows: list[SyntaxTreeNode], columns: int, total: int) -> list[int]:
    """Twips per column summing to `total`.

    Each column wants the width of its longest cell on one line. If all fit, the spare width is
    shared in proportion; otherwise columns that fit in an even share keep their width and the
    others split what is left in proportion to what they want.
    """
    wanted = [CELL_MARGINS + 2 * CHAR_TWIPS] * columns
    for row in rows:
        for index, cell in enumerate(row.children):
            text = _plain(cell.children[0].children) if cell.children else ""
            wanted[index] = max(wanted[index], CELL_MARGINS + CHAR_TWIPS * _display_width(text))
    shares = {index: float(want) for index, want in enumerate(wanted)}
    room = total
    if sum(wanted) > total:
        while shares:
            fitting = [index for index, want in shares.items() if want <= room / len(shares)]
            if not fitting:
                break
            for index in fitting:
                room -= wanted[index]
                del shares[index]
    widths = list(wanted)
    weight = sum(shares.values())
    for index, share in shares.items():
        widths[index] = int(room * share / weight)
    widths[-1] += total - sum(widths)
    return widths


_TABLE_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                         for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
_TABLE_LOOK = ('<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
               'w:noVBand="1" w:val="04A0"/>')
_JC = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}


def _table_xml(style_id: str | None, widths: list[int], rows: list[tuple[list[str], bool]]) -> str:
    """An empty bordered table, fixed layout, full width, one paragraph per cell.

    `rows` holds each row's cell alignments (a Markdown cell style) and whether it is a header
    row. Every row stays on one page (cantSplit); header rows repeat on every page (tblHeader).
    Written as one string because building it through python-docx cost half of a render.
    """
    style = f'<w:tblStyle w:val="{escape(style_id, quote=True)}"/>' if style_id is not None else ""
    parts = [f"<w:tbl {nsdecls('w')}><w:tblPr>{style}<w:tblW w:type=\"dxa\" w:w=\"{sum(widths)}\"/>",
             f'<w:tblBorders>{_TABLE_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>{_TABLE_LOOK}</w:tblPr>',
             "<w:tblGrid>", *(f'<w:gridCol w:w="{width}"/>' for width in widths), "</w:tblGrid>"]
    for alignments, header in rows:
        parts.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>")
        for width, alignment in zip(widths, alignments):
            jc = f'<w:jc w:val="{_JC[alignment]}"/>' if alignment in _JC else ""
            parts.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/><w:vAlign w:val="center"/></w:tcPr>'
                         f'<w:p><w:pPr><w:ind w:firstLine="0"/>{jc}</w:pPr></w:p></w:tc>')
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


class _Renderer:
    """Walks the Markdown syntax tree and writes python-docx content to the target."""

    def __init__(self, target, *, resolve_citation: Callable[[str], str], image_dir: Path, source: str,
                 problems: Problems, heading_offset: int, number_headings: bool, line_offset: int,
                 top_level: int) -> None:
        self.target = target
        self.document = target.part.document  # owner of styles, numbering and sections
        self.resolve_citation = resolve_citation
        self.image_dir = image_dir
        self.source = source
        self.problems = problems
        self.heading_offset = heading_offset
        self.number_headings = number_headings
        self.line_offset = line_offset
        self.counters = _heading_counters(target)
        self.levels = list(range(top_level, top_level + len(self.counters)))  # Markdown level of each counter
        self.text_width = _text_width(self.document)
        self.numbering: _Numbering | None = None
        self.style_ids: dict[str, str | None] = {}  # paragraph style name -> id (None: the default style)

    # -- shared helpers -------------------------------------------------------------------------

    def _problem(self, line: int, message: str) -> None:
        self.problems.add(self.source, self.line_offset + line + 1, "body", message)

    def _style_id(self, name: str) -> str | None:
        """Id of paragraph style `name` (None for the default style), adding the style if the template lacks it.

        Looked up once per renderer: python-docx scans every style on each lookup by name.
        """
        if name in self.style_ids:
            return self.style_ids[name]
        styles = self.document.styles
        if name not in styles:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            if "Normal" in styles:
                style.base_style = styles["Normal"]
            heading = _HEADING_STYLE.fullmatch(name)
            if heading:
                style.font.bold = True
                style.paragraph_format.keep_with_next = True
                style.element.get_or_add_pPr().get_or_add_outlineLvl().val = int(heading.group(1)) - 1
        style_id = self.style_ids[name] = self.target.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        return style_id

    @functools.cached_property
    def _table_style_id(self) -> str | None:
        """Id of the template's "Table Grid" style; None if it lacks one or it is the default table style."""
        styles = self.document.styles
        if "Table Grid" not in styles:
            return None
        return self.target.part.get_style_id(styles["Table Grid"], WD_STYLE_TYPE.TABLE)

    def _paragraph(self, ctx: _Context, style: str | None = None) -> Paragraph:
        """A new body paragraph in paragraph style `style` (else Quote inside a quote), indented for its context."""
        if style is None and ctx.quote:
            style = "Quote"
        paragraph = self.target.add_paragraph()
        if style is not None:
            _set_style(paragraph, self._style_id(style))
        if ctx.indent:
            _indent(paragraph, ctx.indent)
        return paragraph

    # -- blocks ---------------------------------------------------------------------------------

    def blocks(self, nodes: list[SyntaxTreeNode], ctx: _Context) -> None:
        """Render block-level nodes in order."""
        for node in nodes:
            self.block(node, ctx)

    def block(self, node: SyntaxTreeNode, ctx: _Context) -> None:
        """Render one block-level node."""
        match node.type:
            case "heading":
                self.heading(node)
            case "paragraph":
                self.inline(node.children[0], self._paragraph(ctx), self.target.add_paragraph,
                            self.text_width - Twips(ctx.indent))
            case "bullet_list" | "ordered_list":
                self.list(node, ctx)
            case "blockquote":
                self.blocks(node.children, replace(ctx, quote=ctx.quote + 1))
            case "fence" | "code_block":
                paragraph = self._paragraph(ctx, style="Normal")
                _paragraph_property(paragraph, f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="F2F2F2"/>')
                _add_runs(paragraph, node.content.rstrip("\n"), _Format(code=True))
            case "table":
                self.table(node)
            case "footnote_block":
                self.footnotes(node)
            case "hr":
                paragraph = self._paragraph(ctx)
                _paragraph_property(paragraph, f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" '
                                               'w:space="1" w:color="auto"/></w:pBdr>')
            case _:
                raise AssertionError(f"Markdown block {node.type!r} has no Word rendering")

    def heading(self, node: SyntaxTreeNode) -> None:
        """A heading in the shifted "Heading N" style, its section number written first.

        The number goes one level below the nearest shallower heading, so a skipped level
        (`####` after `#`) is numbered as the next sub-level (1.1), never with a 0 part.
        """
        level = int(node.tag[1:])
        depth = sum(1 for outer in self.levels if outer < level)
        self.levels = self.levels[:depth] + [level]
        self.counters = (self.counters + [0])[: depth + 1]
        self.counters[depth] += 1
        style_id = self._style_id(f"Heading {min(max(level + self.heading_offset, 1), 9)}")
        paragraph = self.target.add_paragraph()
        _set_style(paragraph, style_id)
        if self.number_headings:
            paragraph.add_run(".".join(str(count) for count in self.counters) + " ")
        self.inline(node.children[0], paragraph, self.target.add_paragraph, self.text_width)

    def list(self, node: SyntaxTreeNode, ctx: _Context) -> None:
        """A list with its own Word numbering; nested blocks indent to the item text."""
        ordered = node.type == "ordered_list"
        level = ctx.list_depth
        if self.numbering is None:
            self.numbering = _Numbering(self.target.part)
        num_id = self.numbering.new_list(ordered, level, int(node.attrs.get("start", 1)))
        kind = "List Number" if ordered else "List Bullet"
        style_id = self._style_id(kind if level == 0 else f"{kind} {level + 1}")
        for item in node.children:
            self.item(item.children, style_id, num_id, ctx)

    def item(self, blocks: list[SyntaxTreeNode], style_id: str | None, num_id: int, ctx: _Context) -> None:
        """One item at `ctx`'s list level in the list style `style_id`; its first paragraph carries the number."""
        level = ctx.list_depth
        inner = replace(ctx, list_depth=level + 1)
        children = list(blocks)
        paragraph = self.target.add_paragraph()
        _set_style(paragraph, style_id)
        _set_numbering(paragraph, num_id, level)
        _indent(paragraph, inner.indent, INDENT)
        if children and children[0].type == "paragraph":
            self.inline(children.pop(0).children[0], paragraph, self.target.add_paragraph,
                        self.text_width - Twips(inner.indent))
        self.blocks(children, inner)

    def footnotes(self, node: SyntaxTreeNode) -> None:
        """The notes of the referenced footnotes, numbered like their references, in one list."""
        if self.numbering is None:
            self.numbering = _Numbering(self.target.part)
        notes = node.children
        num_id = self.numbering.new_list(True, 0, notes[0].meta["id"] + 1)
        for note in notes:
            blocks = [child for child in note.children if child.type != "footnote_anchor"]
            self.item(blocks, self._style_id("List Number"), num_id, _Context())

    def table(self, node: SyntaxTreeNode) -> None:
        """A full-width bordered table; no row splits across pages; the header row is bold and repeats."""
        rows = [(row, section.type == "thead") for section in node.children for row in section.children]
        columns = max(len(row.children) for row, _ in rows)
        blocks = [child for child in self.target.element.body if child.tag != qn("w:sectPr")]
        if blocks and blocks[-1].tag == qn("w:tbl"):
            self.target.add_paragraph()  # Word joins adjacent tables into one
        total = Emu(self.text_width).twips
        widths = _column_widths([row for row, _ in rows], columns, total)
        alignments = [([cell.attrs.get("style", "") for cell in row.children], header) for row, header in rows]
        body = self.target._body
        tbl = parse_xml(_table_xml(self._table_style_id, widths, alignments))
        body._element._insert_tbl(tbl)
        table = Table(tbl, body)
        for (row, header), tr in zip(rows, tbl.tr_lst):
            for column, (cell_node, tc) in enumerate(zip(row.children, tr.tc_lst)):
                if cell_node.children:
                    cell = _Cell(tc, table)
                    self.inline(cell_node.children[0], Paragraph(tc.p_lst[0], cell), cell.add_paragraph,
                                Twips(widths[column] - CELL_MARGINS), _Format(bold=header))

    # -- inline content -------------------------------------------------------------------------

    def inline(self, node: SyntaxTreeNode, paragraph: Paragraph, add_paragraph: Callable[..., Paragraph],
               max_width: int, fmt: _Format = _Format()) -> None:
        """Fill `paragraph` with an inline node's runs; image captions follow as new paragraphs."""
        state = _InlineState(line=node.map[0], max_width=max_width)
        self.runs(node.children, paragraph, fmt, state)
        if state.pictures and not _plain(node.children).strip():
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.first_line_indent = 0
            paragraph.paragraph_format.keep_with_next = bool(state.captions)
        for caption, line in state.captions:
            caption_style = self._style_id("Caption")
            caption_paragraph = add_paragraph()
            _set_style(caption_paragraph, caption_style)
            caption_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption_paragraph.paragraph_format.first_line_indent = 0
            self.runs(caption.children, caption_paragraph, _Format(), _InlineState(line=line, max_width=max_width))

    def runs(self, nodes: list[SyntaxTreeNode], paragraph: Paragraph, fmt: _Format, state: _InlineState) -> None:
        """Write inline nodes as runs of `paragraph`."""
        for node in nodes:
            match node.type:
                case "text":
                    self.text(paragraph, node.content, fmt, state)
                case "softbreak":
                    state.line += 1
                    state.pending_space = True
                case "hardbreak":
                    state.line += 1
                    state.pending_space = False
                    state.last = ""
                    paragraph.add_run().add_break()
                case "code_inline":
                    self.text(paragraph, node.content, replace(fmt, code=True), state)
                case "strong":
                    self.runs(node.children, paragraph, replace(fmt, bold=True), state)
                case "em":
                    self.runs(node.children, paragraph, replace(fmt, italic=True), state)
                case "s":
                    self.runs(node.children, paragraph, replace(fmt, strike=True), state)
                case "link":
                    self.runs(node.children, paragraph, fmt, state)
                    self.text(paragraph, _shown_address(node), fmt, state)
                case "image":
                    self.picture(node, paragraph, state)
                case "citation":
                    self.text(paragraph, self.cite(node.content, state.line), fmt, state)
                case "footnote_ref":
                    self.text(paragraph, _footnote_number(node), replace(fmt, superscript=True), state)
                case "footnote_anchor":
                    pass  # the back-link from a note to its reference has no place on paper
                case _:
                    raise AssertionError(f"Markdown inline {node.type!r} has no Word rendering")

    def text(self, paragraph: Paragraph, text: str, fmt: _Format, state: _InlineState) -> None:
        """Write text; a pending soft break becomes a space unless it joins two Chinese characters."""
        if not text:
            return
        if state.pending_space:
            if not (state.last and _wide(state.last) and _wide(text[0])):
                text = " " + text
            state.pending_space = False
        _add_runs(paragraph, text, fmt)
        state.last = text[-1]

    def cite(self, doc_id: str, line: int) -> str:
        """How a citation reads; an unknown document is a problem and stays as written."""
        try:
            return self.resolve_citation(doc_id)
        except KeyError:
            self._problem(line, f"cites unknown document {doc_id}")
            return f"[[{doc_id}]]"

    def picture(self, node: SyntaxTreeNode, paragraph: Paragraph, state: _InlineState) -> None:
        """An inline picture no wider than the space available; its alt text becomes a caption."""
        path = self.image_path(str(node.attrs.get("src", "")), state.line)
        if path is not None:
            try:
                natural = Image.from_file(str(path)).width
            except (UnrecognizedImageError, OSError, ValueError):
                self._problem(state.line, f"image {path.name} is not a PNG, JPEG, GIF, BMP or TIFF file")
            else:
                shape = paragraph.add_run().add_picture(str(path), width=Emu(min(natural, state.max_width)))
                for side in ("distT", "distB", "distL", "distR"):  # LibreOffice's default is 0.125 in
                    shape._inline.set(side, "0")
                state.pictures += 1
        if _plain(node.children).strip():
            state.captions.append((node, state.line))

    def image_path(self, src: str, line: int) -> Path | None:
        """The image file a Markdown image refers to, or None after recording why it cannot be used."""
        name = unquote(src)
        if not is_relative_name(name):
            self._problem(line, f"image {name or '(empty)'}: expected a path relative to {self.image_dir}")
            return None
        path = self.image_dir / name
        if not path.is_file():
            self._problem(line, f"image not found: {name} (looked in {self.image_dir})")
            return None
        return path
