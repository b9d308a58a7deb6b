"""The Markdown syntax tree walked into python-docx content (blocks, lists, inline runs, pictures, notes).

Tables are written by `TableWriter` (tables.py), footnotes into the footnotes part
(footnotes.py), pictures and captions sized and numbered by pictures.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph
from markdown_it.tree import SyntaxTreeNode

from dossier.errors import Problems
from dossier.images import ImageProblem, upright
from dossier.markdown import SCHEME, is_relative_name, normalised, plain, syntax_tree, wide
from dossier.word.body.blocks import last_blocks
from dossier.word.body.footnotes import Footnotes, note_styles, reference_run
from dossier.word.body.headings import HEADING_STYLE, HeadingCounters, existing_heading_levels
from dossier.word.body.numbering import INDENT, Numbering
from dossier.word.body.pictures import (
    CAPTION_ROOM,
    FIGURE,
    HEADING_ROOM,
    caption_label,
    existing_captions,
    fitted_size,
    picture_paragraph,
    place_picture,
)
from dossier.word.body.runs import Format, add_runs, paragraph_property, set_indent, set_numbering, set_style
from dossier.word.body.tables import TABLE_CAPTION, TableWriter
from dossier.word.rows import FIT_SHARE
from dossier.word.sections import Page, page_of

PLAIN = Format()


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
    max_height: int  # EMU available to a picture
    pending_space: bool = False  # a soft line break waits for the next text
    last: str = ""  # last character written
    pictures: int = 0
    captions: list[tuple[SyntaxTreeNode, int]] = field(default_factory=list)


class Renderer(TableWriter):
    """Walks the Markdown syntax tree and writes python-docx content to the target."""

    def __init__(self, target, *, resolve_citation: Callable[[str], str], image_dir: Path, source: str,
                 problems: Problems, heading_offset: int, numbering: str, line_offset: int,
                 landscape: bool = False, directives: dict[str, Callable[[str], str]] | None = None) -> None:
        self.target = target
        self.document = target.part.document  # owner of styles, numbering and sections
        self.resolve_citation = resolve_citation
        self.image_dir = image_dir
        self.source = source
        self.problems = problems
        self.heading_offset = heading_offset
        self.line_offset = line_offset
        self.directives = directives or {}  # fenced-block info string -> the Markdown the build generates for it
        self.headings = HeadingCounters(numbering, existing_heading_levels(target, heading_offset)
                                        if numbering != "none" else [])
        self.page: Page = page_of(self.document).turned(landscape) if landscape else page_of(self.document)
        self.in_landscape = landscape  # the whole target sits in a landscape section already
        self.figures = existing_captions(target, FIGURE)
        self.tables = existing_captions(target, TABLE_CAPTION)
        self.numbering: Numbering | None = None
        self.notes: Footnotes | None = None
        self.in_note = False
        self.style_ids: dict[str, str | None] = {}  # paragraph style name -> id (None: the default style)

    @property
    def text_width(self) -> int:
        """Width of the body area of the section being written, in EMU."""
        return self.page.body_width

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
            heading = HEADING_STYLE.fullmatch(name)
            if heading:
                style.font.bold = True
                style.paragraph_format.keep_with_next = True
                style.element.get_or_add_pPr().get_or_add_outlineLvl().val = int(heading.group(1)) - 1
            if name == "Caption":
                style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style_id = self.style_ids[name] = self.target.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        return style_id

    @functools.cached_property
    def _table_style_id(self) -> str | None:
        """Id of the template's "Table Grid" style; None if it lacks one or it is the default table style."""
        styles = self.document.styles
        if "Table Grid" not in styles:
            return None
        return self.target.part.get_style_id(styles["Table Grid"], WD_STYLE_TYPE.TABLE)

    @functools.cached_property
    def _note_styles(self) -> tuple[str | None, str | None]:
        return note_styles(self.document)

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

    @property
    def picture_height(self) -> int:
        """The tallest a picture in the body may be: the body area less its caption's room, and
        less a heading's room right after a heading (which stays with what follows it).

        Asked when the picture's paragraph is the last block written.
        """
        last_two = last_blocks(self.target.element.body, 2)
        after_heading = len(last_two) == 2 and last_two[1].tag == qn("w:p") and self._is_heading(last_two[1])
        return self.page.body_height - CAPTION_ROOM - (HEADING_ROOM if after_heading else 0)

    def _is_heading(self, p) -> bool:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        heading_ids = {self.style_ids.get(f"Heading {level}") for level in range(1, 10)} - {None}
        return style is not None and style.get(qn("w:val")) in heading_ids

    def finish(self) -> None:
        """Write what is kept outside the body (the footnotes part)."""
        if self.notes is not None:
            self.notes.save()

    # -- blocks ---------------------------------------------------------------------------------

    def blocks(self, nodes: list[SyntaxTreeNode], ctx: Context) -> None:
        """Render block-level nodes in order; a table's caption paragraph goes with its table."""
        captions = self.table_captions(nodes)
        for node in nodes:
            if node in captions.values():
                continue
            if node.type == "table":
                self.table(node, captions.get(node))
            else:
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
                self.table(node, None)
            case "footnote_block":
                self.footnotes(node)
            case "hr":
                paragraph = self._paragraph(ctx)
                paragraph_property(paragraph, f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" '
                                               'w:space="1" w:color="auto"/></w:pBdr>')
            case _:
                raise AssertionError(f"Markdown block {node.type!r} has no Word rendering")

    def heading(self, node: SyntaxTreeNode) -> None:
        """A heading in the shifted "Heading N" style, its section number (numbering style) written first."""
        level = int(node.tag[1:])
        number = self.headings.next(level)
        style_id = self._style_id(f"Heading {min(max(level + self.heading_offset, 1), 9)}")
        paragraph = self.target.add_paragraph()
        set_style(paragraph, style_id)
        if number:
            paragraph.add_run(number)
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
        """Each referenced note, written as the body is and moved into the footnotes part."""
        if self.notes is None:
            return
        body = self.target.element.body
        text_style, _ = self._note_styles
        self.in_note = True
        for note in node.children:
            before = set(body)
            self.blocks([child for child in note.children if child.type != "footnote_anchor"], Context())
            written = [child for child in body if child not in before and child.tag != qn("w:sectPr")]
            for child in written:
                body.remove(child)
            self.notes.add(note.meta["id"], written, text_style, self._note_styles[1])
        self.in_note = False

    # -- inline content -------------------------------------------------------------------------

    def inline(self, node: SyntaxTreeNode, paragraph: Paragraph, add_paragraph: Callable[..., Paragraph],
               max_width: int, fmt: Format = PLAIN, max_height: int | None = None) -> None:
        """Fill `paragraph` with an inline node's runs; image captions (图N) follow as new paragraphs."""
        state = _InlineState(line=node.map[0], max_width=max_width,
                             max_height=self.picture_height if max_height is None else max_height)
        self.runs(node.children, paragraph, fmt, state)
        if state.pictures and not plain(node.children).strip():
            picture_paragraph(paragraph, captioned=bool(state.captions))
        caption_style = self._style_id("Caption") if state.captions else None
        for caption, line in state.captions:
            self.figures += 1
            caption_paragraph = add_paragraph()
            set_style(caption_paragraph, caption_style)
            caption_label(caption_paragraph, FIGURE, self.figures)
            self.runs(caption.children, caption_paragraph, Format(),
                      _InlineState(line=line, max_width=max_width, max_height=state.max_height))

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
                    self.footnote_reference(node, paragraph, fmt, state)
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

    def footnote_reference(self, node: SyntaxTreeNode, paragraph: Paragraph, fmt: Format, state: _InlineState) -> None:
        """A Word footnote reference; a note referenced again (or from inside a note) shows its number."""
        if self.notes is None:
            self.notes = Footnotes(self.target.part)
        index = node.meta["id"]
        if node.meta.get("subId", 0) or self.in_note:
            self.text(paragraph, self.notes.number(index), replace(fmt, superscript=True), state)
            return
        state.pending_space = False
        paragraph._p.append(reference_run(self.notes.note_id(index), self._note_styles[1]))
        state.last = self.notes.number(index)[-1]

    def cite(self, doc_id: str, line: int) -> str:
        """How a citation reads; an unknown document is a problem and stays as written."""
        try:
            return self.resolve_citation(doc_id)
        except KeyError:
            self._problem(line, f"cites unknown document {doc_id}")
            return f"[[{doc_id}]]"

    def picture(self, node: SyntaxTreeNode, paragraph: Paragraph, state: _InlineState) -> None:
        """An upright inline picture that fits the room it has; its alt text becomes a caption."""
        path = self.image_path(str(node.attrs.get("src", "")), state.line)
        if path is not None:
            try:
                picture = upright(path)
            except ImageProblem:
                self._problem(state.line, f"image {path.name} is not a PNG, JPEG, GIF, BMP or TIFF file")
            else:
                place_picture(paragraph, picture, *fitted_size(picture, state.max_width, state.max_height))
                state.pictures += 1
        if plain(node.children).strip():
            state.captions.append((node, state.line))

    def cell_picture_height(self) -> int:
        """The tallest a picture in a table cell may be: a row holding it still fits on a page."""
        return int(self.page.body_height * FIT_SHARE) - Pt(30)

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

