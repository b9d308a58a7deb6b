"""The Markdown syntax tree walked into python-docx content (blocks, lists, tables, inline runs, pictures)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from markdown_it.tree import SyntaxTreeNode

from dossier.errors import Problems
from dossier.markdown import SCHEME, footnote_number, is_relative_name, normalised, plain, syntax_tree, wide
from dossier.word.body.numbering import INDENT, Numbering
from dossier.word.body.runs import Format, add_runs, paragraph_property, set_indent, set_numbering, set_style
from dossier.word.body.tables import CELL_MARGINS, column_widths, table_xml

PLAIN = Format()
A4_TEXT_WIDTH = Cm(16)  # used only when the template's section has no page size
_HEADING_STYLE = re.compile(r"Heading ([1-9])")
_HEADING_NUMBER = re.compile(r"(\d+(?:\.\d+)*) ")


def _shown_address(link: SyntaxTreeNode) -> str:
    """" (address)" after a link's text when the address is absolute and not the text itself."""
    href = str(link.attrs.get("href", ""))
    address = href.removeprefix("mailto:")
    if link.markup == "autolink" or not SCHEME.match(href) or address == plain(link.children):
        return ""
    return f" ({address})"


@dataclass(frozen=True)
class Context:
    """Where a block sits: how deep in lists and block quotes."""

    list_depth: int = 0
    quote: int = 0

    @property
    def indent(self) -> int:
        """Left indent in twips for this depth of lists and quotes."""
        return INDENT * (self.list_depth + self.quote)


@dataclass
class _InlineState:
    """Progress through one paragraph's inline content."""

    line: int  # 0-based Markdown line of the content being written
    max_width: int  # EMU available to a picture
    pending_space: bool = False  # a soft line break waits for the next text
    last: str = ""  # last character written
    pictures: int = 0
    captions: list[tuple[SyntaxTreeNode, int]] = field(default_factory=list)


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


class Renderer:
    """Walks the Markdown syntax tree and writes python-docx content to the target."""

    def __init__(self, target, *, resolve_citation: Callable[[str], str], image_dir: Path, source: str,
                 problems: Problems, heading_offset: int, number_headings: bool, line_offset: int,
                 top_level: int, directives: dict[str, Callable[[str], str]] | None = None) -> None:
        self.target = target
        self.document = target.part.document  # owner of styles, numbering and sections
        self.resolve_citation = resolve_citation
        self.image_dir = image_dir
        self.source = source
        self.problems = problems
        self.heading_offset = heading_offset
        self.number_headings = number_headings
        self.line_offset = line_offset
        self.directives = directives or {}
        self.counters = _heading_counters(target)
        self.levels = list(range(top_level, top_level + len(self.counters)))  # Markdown level of each counter
        self.text_width = _text_width(self.document)
        self.numbering: Numbering | None = None
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

    def _paragraph(self, ctx: Context, style: str | None = None) -> Paragraph:
        """A new body paragraph in paragraph style `style` (else Quote inside a quote), indented for its context."""
        if style is None and ctx.quote:
            style = "Quote"
        paragraph = self.target.add_paragraph()
        if style is not None:
            set_style(paragraph, self._style_id(style))
        if ctx.indent:
            set_indent(paragraph, ctx.indent)
        return paragraph

    # -- blocks ---------------------------------------------------------------------------------

    def blocks(self, nodes: list[SyntaxTreeNode], ctx: Context) -> None:
        """Render block-level nodes in order."""
        for node in nodes:
            self.block(node, ctx)

    def block(self, node: SyntaxTreeNode, ctx: Context) -> None:
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
            case "fence" if node.info.strip() in self.directives:
                generated = self.directives[node.info.strip()](node.content)
                self.blocks(syntax_tree(normalised(generated)).children, ctx)
            case "fence" | "code_block":
                paragraph = self._paragraph(ctx, style="Normal")
                paragraph_property(paragraph, f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="F2F2F2"/>')
                add_runs(paragraph, node.content.rstrip("\n"), Format(code=True))
            case "table":
                self.table(node)
            case "footnote_block":
                self.footnotes(node)
            case "hr":
                paragraph = self._paragraph(ctx)
                paragraph_property(paragraph, f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" '
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
        set_style(paragraph, style_id)
        if self.number_headings:
            paragraph.add_run(".".join(str(count) for count in self.counters) + " ")
        self.inline(node.children[0], paragraph, self.target.add_paragraph, self.text_width)

    def list(self, node: SyntaxTreeNode, ctx: Context) -> None:
        """A list with its own Word numbering; nested blocks indent to the item text."""
        ordered = node.type == "ordered_list"
        level = ctx.list_depth
        if self.numbering is None:
            self.numbering = Numbering(self.target.part)
        num_id = self.numbering.new_list(ordered, level, int(node.attrs.get("start", 1)))
        kind = "List Number" if ordered else "List Bullet"
        style_id = self._style_id(kind if level == 0 else f"{kind} {level + 1}")
        for item in node.children:
            self.item(item.children, style_id, num_id, ctx)

    def item(self, blocks: list[SyntaxTreeNode], style_id: str | None, num_id: int, ctx: Context) -> None:
        """One item at `ctx`'s list level in the list style `style_id`; its first paragraph carries the number."""
        level = ctx.list_depth
        inner = replace(ctx, list_depth=level + 1)
        children = list(blocks)
        paragraph = self.target.add_paragraph()
        set_style(paragraph, style_id)
        set_numbering(paragraph, num_id, level)
        set_indent(paragraph, inner.indent, INDENT)
        if children and children[0].type == "paragraph":
            self.inline(children.pop(0).children[0], paragraph, self.target.add_paragraph,
                        self.text_width - Twips(inner.indent))
        self.blocks(children, inner)

    def footnotes(self, node: SyntaxTreeNode) -> None:
        """The notes of the referenced footnotes, numbered like their references, in one list."""
        if self.numbering is None:
            self.numbering = Numbering(self.target.part)
        notes = node.children
        num_id = self.numbering.new_list(True, 0, notes[0].meta["id"] + 1)
        for note in notes:
            blocks = [child for child in note.children if child.type != "footnote_anchor"]
            self.item(blocks, self._style_id("List Number"), num_id, Context())

    def table(self, node: SyntaxTreeNode) -> None:
        """A full-width bordered table; no row splits across pages; the header row is bold and repeats."""
        rows = [(row, section.type == "thead") for section in node.children for row in section.children]
        columns = max(len(row.children) for row, _ in rows)
        blocks = [child for child in self.target.element.body if child.tag != qn("w:sectPr")]
        if blocks and blocks[-1].tag == qn("w:tbl"):
            self.target.add_paragraph()  # Word joins adjacent tables into one
        total = Emu(self.text_width).twips
        widths = column_widths([row for row, _ in rows], columns, total)
        alignments = [([cell.attrs.get("style", "") for cell in row.children], header) for row, header in rows]
        body = self.target._body
        tbl = parse_xml(table_xml(self._table_style_id, widths, alignments))
        body._element._insert_tbl(tbl)
        table = Table(tbl, body)
        for (row, header), tr in zip(rows, tbl.tr_lst):
            for column, (cell_node, tc) in enumerate(zip(row.children, tr.tc_lst)):
                if cell_node.children:
                    cell = _Cell(tc, table)
                    self.inline(cell_node.children[0], Paragraph(tc.p_lst[0], cell), cell.add_paragraph,
                                Twips(widths[column] - CELL_MARGINS), Format(bold=header))

    # -- inline content -------------------------------------------------------------------------

    def inline(self, node: SyntaxTreeNode, paragraph: Paragraph, add_paragraph: Callable[..., Paragraph],
               max_width: int, fmt: Format = PLAIN) -> None:
        """Fill `paragraph` with an inline node's runs; image captions follow as new paragraphs."""
        state = _InlineState(line=node.map[0], max_width=max_width)
        self.runs(node.children, paragraph, fmt, state)
        if state.pictures and not plain(node.children).strip():
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.first_line_indent = 0
            paragraph.paragraph_format.keep_with_next = bool(state.captions)
        for caption, line in state.captions:
            caption_style = self._style_id("Caption")
            caption_paragraph = add_paragraph()
            set_style(caption_paragraph, caption_style)
            caption_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption_paragraph.paragraph_format.first_line_indent = 0
            self.runs(caption.children, caption_paragraph, Format(), _InlineState(line=line, max_width=max_width))

    def runs(self, nodes: list[SyntaxTreeNode], paragraph: Paragraph, fmt: Format, state: _InlineState) -> None:
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
                    self.text(paragraph, footnote_number(node), replace(fmt, superscript=True), state)
                case "footnote_anchor":
                    pass  # the back-link from a note to its reference has no place on paper
                case _:
                    raise AssertionError(f"Markdown inline {node.type!r} has no Word rendering")

    def text(self, paragraph: Paragraph, text: str, fmt: Format, state: _InlineState) -> None:
        """Write text; a pending soft break becomes a space unless it joins two Chinese characters."""
        if not text:
            return
        if state.pending_space:
            if not (state.last and wide(state.last) and wide(text[0])):
                text = " " + text
            state.pending_space = False
        add_runs(paragraph, text, fmt)
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
        if plain(node.children).strip():
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
