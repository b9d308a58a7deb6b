"""List numbering: a numbering definition per Markdown list, so every list restarts at its start number."""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.parts.numbering import NumberingPart

INDENT = 420  # twips per list/quote level: two Chinese characters at 10.5 pt
BULLETS = ("●", "○", "■")  # in every CJK font; drawn smaller than the text (BULLET_SIZE)
BULLET_SIZE = 12  # half-points
ORDERED = (("decimal", "%{n}."), ("decimal", "%{n})"), ("lowerLetter", "%{n})"))


class Numbering:
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
