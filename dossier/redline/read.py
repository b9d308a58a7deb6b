"""Reading a rendering: its paragraphs as atoms (the units of comparison) and block keys."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from lxml import etree

from dossier.redline.tags import PPR, TBL, TC, TCPR, TR, P, R, T
from dossier.word.body.footnotes import notes_of
from dossier.word.body.headings import HEADING_STYLE, NUMBERED_STYLES, HeadingCounters

OBJECT = "\ufffc"  # starts the comparison key of a non-text run element (picture, field code)
PICTURE = f"{OBJECT}picture:"  # + the SHA-256 of the image
FOOTNOTE = f"{OBJECT}footnote:"  # + the note's words (an edited note pairs as a changed paragraph)
_SKIPPED = {qn("w:rPr"), qn("w:lastRenderedPageBreak")}


@dataclass(frozen=True, eq=False)
class Atom:
    """The unit of comparison: one character of a w:t, or one other run element."""

    key: str
    node: Any  # the w:t holding the character, or the element itself
    run: Any  # the w:r it belongs to, None for paragraph-level elements (bookmarks)
    char: str | None = None


class Side:
    """One rendering: its document, styles and the atoms of each paragraph (cached)."""

    def __init__(self, data: bytes):
        self.document: DocxDocument = open_docx(io.BytesIO(data))
        self.part = self.document.part
        self.style_names = {s.style_id: s.name or "" for s in self.document.styles}
        self._atoms: dict[Any, list[Atom]] = {}
        self._keys: dict[Any, str] = {}
        self.notes = notes_of(self.part)  # {id: w:footnote}
        self._numbers: dict[Any, dict[str, str]] | None = None

    def numbers(self, p: Any) -> dict[str, str]:
        """The section number each numbering style gives heading `p` at its place in this rendering:
        {"auto": "2.1 ", "chapter": "第一节\u3000"}; {} for a paragraph that is not a heading.

        Counted as the renderer counts (dossier.word.body.headings): every top-level paragraph of a
        "Heading N" style with text, template headings included.
        """
        if self._numbers is None:
            self._numbers = {}
            counters = {style: HeadingCounters(style, []) for style in NUMBERED_STYLES}
            for para in self.document.element.body:
                found = HEADING_STYLE.fullmatch(self.style(para)) if para.tag == P else None
                if found and self.text(para).strip():
                    self._numbers[para] = {style: c.next(int(found.group(1))) for style, c in counters.items()}
        return self._numbers.get(p, {})

    def style(self, p: Any) -> str:
        """Name of a paragraph's style ("" when it has none)."""
        ref = p.find(f"{PPR}/{qn('w:pStyle')}")
        return self.style_names.get(ref.get(qn("w:val")), "") if ref is not None else ""

    def atoms(self, p: Any) -> list[Atom]:
        """The atoms of a paragraph in reading order."""
        if p not in self._atoms:
            found: list[Atom] = []
            for child in p:
                if child.tag == PPR:
                    continue
                if child.tag != R:
                    found.append(Atom(f"{OBJECT}{etree.QName(child).localname}", child, None))
                    continue
                for part in child:
                    if part.tag in _SKIPPED:
                        continue
                    if part.tag == T:
                        found.extend(Atom(c, part, child, c) for c in part.text or "")
                    else:
                        found.append(Atom(self._object_key(part), part, child))
            self._atoms[p] = found
        return self._atoms[p]

    def _object_key(self, node: Any) -> str:
        name = etree.QName(node).localname
        if name == "tab":
            return "\t"
        if name in ("br", "cr") and node.get(qn("w:type")) in (None, "textWrapping"):
            return "\n"
        if name == "footnoteReference":  # a note compares by its text: an edited note is a changed reference
            return f"{FOOTNOTE}{self.note_text(node)}"
        if name == "drawing":
            blobs = [self.part.related_parts[rid].blob for rid in node.xpath(".//@r:embed")]
            return f"{PICTURE}{hashlib.sha256(b''.join(blobs)).hexdigest()}"
        detail = node.get(qn("w:type")) or node.get(qn("w:fldCharType")) or node.text or ""
        return f"{OBJECT}{name}:{detail}"

    def note_text(self, reference: Any) -> str:
        """The words of the footnote a w:footnoteReference points to ("" when there is none)."""
        note = self.notes.get(reference.get(qn("w:id")))
        return "".join(t.text or "" for t in note.iter(T)).strip() if note is not None else ""

    def text(self, block: Any) -> str:
        """Readable text of a paragraph (pictures and field codes left out)."""
        return "".join(a.key for a in self.atoms(block) if not a.key.startswith(OBJECT))

    def shown(self, block: Any) -> str:
        """A paragraph as a change summary shows it: its text, each picture as [图片], each footnote
        reference as [脚注：its words] (field codes left out)."""
        parts = []
        for atom in self.atoms(block):
            if not atom.key.startswith(OBJECT):
                parts.append(atom.key)
            elif atom.key.startswith(PICTURE):
                parts.append("[图片]")
            elif atom.key.startswith(FOOTNOTE):
                parts.append(f"[脚注：{self.note_text(atom.node)}]")
        return "".join(parts)

    def key(self, block: Any) -> str:
        """What block alignment compares: type and full content."""
        if block not in self._keys:
            if block.tag == P:
                self._keys[block] = "p\x1d" + "".join(a.key for a in self.atoms(block))
            elif block.tag == TBL:
                self._keys[block] = "t\x1d" + "\x1e".join(self.row_key(r) for r in block.iter(TR))
            else:
                self._keys[block] = "x\x1d" + etree.tostring(block, encoding="unicode")
        return self._keys[block]

    def align_key(self, block: Any) -> str:
        """What block alignment pairs by: `key`, except that a heading leaves out the section number it has
        at its place (so an added section does not make every later heading unlike its old self)."""
        numbers = self.numbers(block) if block.tag == P else {}
        text = self.text(block) if numbers else ""
        prefix = next((number for number in numbers.values() if number and text.startswith(number)), "")
        if not prefix:
            return self.key(block)
        skip, atoms = len(prefix), []
        for atom in self.atoms(block):
            if skip and not atom.key.startswith(OBJECT):
                skip -= 1
                continue
            atoms.append(atom.key)
        return "h\x1d" + "".join(atoms)

    def row_key(self, tr: Any) -> str:
        """A row's content: its cells' block keys."""
        return "\x1e".join("\x1f".join(self.key(b) for b in tc if b.tag != TCPR) for tc in tr.findall(TC))

    def cells(self, tr: Any) -> tuple[str, ...]:
        """Each cell of a row as a change summary shows it (`shown`, its paragraphs joined by line breaks)."""
        return tuple("\n".join(self.shown(p) for p in tc.iter(P)) for tc in tr.findall(TC))
