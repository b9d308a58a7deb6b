"""Sections: the page a block lands on, and landscape sections for content too wide for portrait.

`page_of` measures a section's body area — the part of the page between the page header and the
page footer that text and pictures may use. Word and LibreOffice push the body down when a
header is taller than the top margin (the house header band is), so the header's height is
estimated from its tables (row heights, lines of text) and paragraphs.

`section_break` ends the current section at the end of a document or subdoc, with a copy of the
document's own section properties (margins, header, footer), turned to landscape when asked. A
landscape section's header and footer are copies of the portrait ones whose tables are widened
to the landscape body, so the header band is as wide as the text below it (made once per
document and reused by every landscape section). `tidy_breaks` drops a page break that would
leave an empty page next to a section break (each section already starts on a new page).
"""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.parts.hdrftr import FooterPart, HeaderPart
from docx.shared import Cm, Pt, Twips
from docx.text.paragraph import Paragraph

A4 = (Cm(21), Cm(29.7))
DEFAULT_MARGIN = Cm(2.54)
LINE = Pt(11 * 1.3 + 4)  # a line of house Normal text: 11 pt at 1.3 spacing, 4 pt after
CELL_LINE = Pt(14)  # a line of text in a table cell (up to 12 pt, single spacing)
# keyed by the document part: {(reference type, original part name): rId of the widened copy}
_WIDENED: "weakref.WeakKeyDictionary[object, dict[tuple[str, str], str]]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Page:
    """A section's page in EMU: size, margins, and how far its header and footer reach in."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    header: int = 0  # from the top edge to the end of the header
    footer: int = 0  # from the bottom edge to the top of the footer

    @property
    def landscape(self) -> bool:
        """True when the page is wider than high."""
        return self.width > self.height

    @property
    def body_width(self) -> int:
        """Width between the side margins."""
        return self.width - self.left - self.right

    @property
    def body_height(self) -> int:
        """Height between the header (or top margin) and the footer (or bottom margin)."""
        return self.height - max(self.top, self.header) - max(self.bottom, self.footer)

    def turned(self, landscape: bool) -> "Page":
        """The same page set portrait or landscape (margins stay on their sides)."""
        if self.landscape == landscape:
            return self
        return Page(self.height, self.width, self.left, self.right, self.top, self.bottom, self.header, self.footer)


def _twips(element, tag: str, attr: str, default: int) -> int:
    node = element.find(qn(tag)) if element is not None else None
    value = node.get(qn(attr)) if node is not None else None
    return Twips(int(value)) if value is not None and value.lstrip("-").isdigit() else default


def _row_height(tr) -> int:
    """A table row's height: its stated height, or its tallest cell's lines."""
    stated = _twips(tr.find(qn("w:trPr")), "w:trHeight", "w:val", 0)
    lines = max((len(tc.findall(qn("w:p"))) for tc in tr.findall(qn("w:tc"))), default=1)
    return max(stated, lines * CELL_LINE + Pt(4))


def _paragraph_height(p) -> int:
    """A paragraph's height: its exact line height when it states one, else house lines."""
    spacing = p.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None and spacing.get(qn("w:lineRule")) == "exact" and (spacing.get(qn("w:line")) or "").isdigit():
        return Twips(int(spacing.get(qn("w:line"))))
    return LINE * (1 + len(p.findall(f".//{qn('w:br')}")))


def story_height(element) -> int:
    """Estimated height (EMU) of a header or footer: its tables' rows and its paragraphs' lines."""
    height = 0
    for child in element:
        if child.tag == qn("w:tbl"):
            height += sum(_row_height(tr) for tr in child.iter(qn("w:tr")))
        elif child.tag == qn("w:p"):
            height += _paragraph_height(child)
    return height


def _story(document_part, sect_pr, kind: str):
    """The default header or footer part a section refers to, or None."""
    for reference in sect_pr.findall(qn(f"w:{kind}Reference")):
        if reference.get(qn("w:type"), "default") == "default":
            rid = reference.get(qn("r:id"))
            return document_part.related_parts.get(rid) if rid else None
    return None


def page_of(document, sect_pr=None) -> Page:
    """The page of `sect_pr` (default: the document's last section) with its header and footer reach."""
    sect_pr = sect_pr if sect_pr is not None else document.element.body.sectPr
    if sect_pr is None:
        return Page(*A4, *(DEFAULT_MARGIN,) * 4)
    page = Page(_twips(sect_pr, "w:pgSz", "w:w", A4[0]), _twips(sect_pr, "w:pgSz", "w:h", A4[1]),
                *(_twips(sect_pr, "w:pgMar", f"w:{side}", DEFAULT_MARGIN) for side in ("left", "right", "top", "bottom")))
    part = document.part
    header, footer = _story(part, sect_pr, "header"), _story(part, sect_pr, "footer")
    header_reach = _twips(sect_pr, "w:pgMar", "w:header", 0) + story_height(header.element) if header is not None else 0
    footer_reach = _twips(sect_pr, "w:pgMar", "w:footer", 0) + story_height(footer.element) if footer is not None else 0
    return Page(page.width, page.height, page.left, page.right, page.top, page.bottom, header_reach, footer_reach)


def _widen_tables(element, ratio: float, portrait_body: int) -> None:
    """Scale the fixed-width tables of a header/footer that span the portrait body to the landscape one."""
    for tbl in element.iter(qn("w:tbl")):
        grid = tbl.find(qn("w:tblGrid"))
        columns = grid.findall(qn("w:gridCol")) if grid is not None else []
        total = sum(int(col.get(qn("w:w"), "0")) for col in columns)
        if not columns or Twips(total) < portrait_body * 0.9:
            continue
        for col in columns:
            col.set(qn("w:w"), str(round(int(col.get(qn("w:w"), "0")) * ratio)))
        for width in (*tbl.iter(qn("w:tblW")), *tbl.iter(qn("w:tcW"))):
            if width.get(qn("w:type")) == "dxa":
                width.set(qn("w:w"), str(round(int(width.get(qn("w:w"), "0")) * ratio)))


def _widened(document_part, reference, ratio: float, portrait_body: int) -> str | None:
    """rId of a widened copy of the header/footer `reference` points at (made once per document)."""
    rid = reference.get(qn("r:id"))
    original = document_part.related_parts.get(rid) if rid else None
    if original is None:
        return None
    kind = reference.tag.split("}")[1].removesuffix("Reference")
    made = _WIDENED.setdefault(document_part, {})
    key = (reference.get(qn("w:type"), "default"), str(original.partname))
    if key not in made:
        part_class, reltype = (HeaderPart, RT.HEADER) if kind == "header" else (FooterPart, RT.FOOTER)
        part = part_class.new(document_part.package)
        part._element = copy.deepcopy(original.element)
        for old_rid, rel in original.rels.items():
            if rel.is_external:
                part.rels.add_relationship(rel.reltype, rel.target_ref, old_rid, is_external=True)
            else:
                part.rels.add_relationship(rel.reltype, rel.target_part, old_rid)
        _widen_tables(part.element, ratio, portrait_body)
        made[key] = document_part.relate_to(part, reltype)
    return made[key]


def section_properties(document, landscape: bool):
    """A copy of the document's last section properties, portrait or landscape (widened header/footer)."""
    sect_pr = copy.deepcopy(document.element.body.sectPr)
    size = sect_pr.find(qn("w:pgSz"))
    width, height = sorted((int(size.get(qn("w:w"))), int(size.get(qn("w:h")))))
    if landscape:
        width, height = height, width
        size.set(qn("w:orient"), "landscape")
    elif size.get(qn("w:orient")) is not None:
        del size.attrib[qn("w:orient")]
    size.set(qn("w:w"), str(width))
    size.set(qn("w:h"), str(height))
    if landscape:
        portrait = page_of(document).turned(False)
        ratio = portrait.turned(True).body_width / portrait.body_width
        for reference in (*sect_pr.findall(qn("w:headerReference")), *sect_pr.findall(qn("w:footerReference"))):
            rid = _widened(document.part, reference, ratio, portrait.body_width)
            if rid is not None:
                reference.set(qn("r:id"), rid)
    return sect_pr


def section_break(target, landscape: bool) -> Paragraph:
    """End the section here (at the end of `target`, a document or subdoc), portrait or landscape.

    The next section starts on a new page; the closing paragraph takes no space after.
    """
    sect_pr = section_properties(target.part.document, landscape)
    paragraph = target.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph._p.get_or_add_pPr().append(sect_pr)
    return paragraph


def _only_page_break(p) -> bool:
    runs = p.findall(qn("w:r"))
    breaks = [br for br in p.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    return bool(breaks) and not "".join(p.itertext()).strip() and len(runs) == len(breaks)


def _ends_section(p) -> bool:
    return p.tag == qn("w:p") and p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None


def tidy_breaks(body) -> None:
    """Remove each paragraph holding only a page break right before or after a section break."""
    children = list(body)
    for index, child in enumerate(children):
        if child.tag != qn("w:p") or not _only_page_break(child):
            continue
        before = children[index - 1] if index else None
        after = children[index + 1] if index + 1 < len(children) else None
        if (before is not None and _ends_section(before)) or (after is not None and _ends_section(after)
                                                               and not "".join(after.itertext()).strip()):
            body.remove(child)
