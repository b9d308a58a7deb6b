"""Real Word footnotes: `word/footnotes.xml` with its separators, `w:footnoteReference` in the text.

Markdown footnotes (`…的规定[^1]` with `[^1]: 国家药品监督管理局公告…`) become notes Word and
LibreOffice print at the foot of the page where they are referenced, numbered 1, 2, … through
the document. The part is made when the template has none (with the separator and continuation
separator notes Word expects, referenced from settings.xml); a template's own part (Word makes
one) is extended. python-docx reads footnotes.xml as a plain part, so the part's bytes are
written again by `save()`.

A note's content is Markdown like any other (paragraphs, lists, citations): the renderer writes
it at the end of the body, and `add` moves those elements into the note, its first paragraph
starting with the note's number mark. The notes a renderer wrote are remembered on the part
(`written_notes`): they are content, so the template step renders Jinja fields only in the
template's own notes (`dossier.word.templating`).
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

R_PREFIX = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NOTE_TEXT_STYLE = "footnote text"  # Word's built-in names; their ids are FootnoteText / FootnoteReference
NOTE_REFERENCE_STYLE = "footnote reference"
_SEPARATORS = (
    f'<w:footnote {nsdecls("w")} w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
    f'<w:footnote {nsdecls("w")} w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
)
# w:settings children after w:footnotePr, in schema order
_SETTINGS_AFTER = ("w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
                   "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
                   "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
                   "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def notes_of(document_part) -> dict[str, object]:
    """{id: w:footnote element} of a document's ordinary notes (none when it has no footnotes part)."""
    try:
        part = document_part.part_related_by(RT.FOOTNOTES)
    except KeyError:
        return {}
    root = parse_xml(part.blob)
    return {note.get(qn("w:id")): note for note in root.findall(qn("w:footnote")) if note.get(qn("w:type")) in (None, "normal")}


def written_notes(part) -> set[str]:
    """Ids (as strings) of the notes the Markdown renderer wrote into a footnotes part."""
    return getattr(part, "dossier_notes", set())


class Footnotes:
    """The footnotes part of the document `document_part` belongs to, opened for adding notes."""

    def __init__(self, document_part) -> None:
        self.document_part = document_part
        try:
            self.part = document_part.part_related_by(RT.FOOTNOTES)
            self.root = parse_xml(self.part.blob)
        except KeyError:
            self.root = parse_xml(f"<w:footnotes {nsdecls('w', 'r')}>{''.join(_SEPARATORS)}</w:footnotes>")
            self.part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, b"", document_part.package)
            document_part.relate_to(self.part, RT.FOOTNOTES)
            self._reference_separators()
        ids = [int(value) for value in self.root.xpath("./w:footnote/@w:id", namespaces=self.root.nsmap)
               if value.lstrip("-").isdigit()]
        self.first_id = max(ids, default=0) + 1
        self.before = sum(1 for note in self.root.findall(qn("w:footnote")) if note.get(qn("w:type")) in (None, "normal"))
        self.part.dossier_notes = written_notes(self.part)

    def _reference_separators(self) -> None:
        """settings.xml names the separator notes (as Word writes it)."""
        settings = self.document_part.settings.element
        if settings.find(qn("w:footnotePr")) is None:
            properties = parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>')
            settings.insert_element_before(properties, *_SETTINGS_AFTER)

    def note_id(self, index: int) -> int:
        """Word id of the renderer's note `index` (0-based, in order of first reference)."""
        return self.first_id + index

    def number(self, index: int) -> str:
        """The number Word prints for the renderer's note `index`."""
        return str(self.before + index + 1)

    def add(self, index: int, blocks: list, text_style: str | None, mark_style: str | None) -> None:
        """Make note `index` from body elements (moved, not copied); the first paragraph gets the mark."""
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(self.note_id(index)))
        paragraphs = [block for block in blocks if block.tag == qn("w:p")]
        if not paragraphs or blocks[0].tag != qn("w:p"):
            blocks.insert(0, OxmlElement("w:p"))
            paragraphs.insert(0, blocks[0])
        for p in paragraphs:
            if text_style is not None and p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is None:
                p.get_or_add_pPr().style = text_style
        first = paragraphs[0]
        mark = parse_xml(f'<w:r {nsdecls("w")}><w:rPr>{_rstyle(mark_style)}</w:rPr><w:footnoteRef/></w:r>')
        space = parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> </w:t></w:r>')
        ppr = first.find(qn("w:pPr"))
        position = 1 if ppr is not None else 0
        first.insert(position, space)
        first.insert(position, mark)
        for block in blocks:
            self._relate(block)
            note.append(block)
        self.root.append(note)
        self.part.dossier_notes.add(note.get(qn("w:id")))

    def copy_note(self, note, source_part) -> str:
        """Add a copy of another document's note (its pictures related anew); the copy's id."""
        copied = etree.fromstring(etree.tostring(note))
        new_id = str(max((int(v) for v in self.root.xpath("./w:footnote/@w:id", namespaces={"w": copied.nsmap.get("w")})
                          if v.lstrip("-").isdigit()), default=0) + 1)
        copied.set(qn("w:id"), new_id)
        for node in copied.iter():
            for name, value in list(node.attrib.items()):
                if name.startswith(R_PREFIX):
                    rel = source_part.rels[value]
                    node.set(name, self.part.relate_to(rel.target_ref if rel.is_external else rel.target_part,
                                                       rel.reltype, is_external=rel.is_external))
        self.root.append(copied)
        return new_id

    def _relate(self, block) -> None:
        """Point pictures in a note at relationships of the footnotes part (they were the body's)."""
        for node in block.iter():
            for name, value in list(node.attrib.items()):
                if name.startswith(R_PREFIX):
                    rel = self.document_part.rels[value]
                    node.set(name, self.part.relate_to(rel.target_ref if rel.is_external else rel.target_part,
                                                       rel.reltype, is_external=rel.is_external))

    def save(self) -> None:
        """Write the notes into the part's bytes."""
        self.part._blob = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


def reference_run(note_id: int, mark_style: str | None):
    """A run holding the reference to note `note_id`."""
    return parse_xml(f'<w:r {nsdecls("w")}><w:rPr>{_rstyle(mark_style)}</w:rPr>'
                     f'<w:footnoteReference w:id="{note_id}"/></w:r>')


def _rstyle(style_id: str | None) -> str:
    return f'<w:rStyle w:val="{style_id}"/>' if style_id else '<w:vertAlign w:val="superscript"/>'


_NOTE_STYLES = (
    ("paragraph", NOTE_TEXT_STYLE, "FootnoteText",
     '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/></w:pPr>'
     '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'),
    ("character", NOTE_REFERENCE_STYLE, "FootnoteReference", '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'),
)


def note_styles(document) -> tuple[str, str]:
    """Ids of the note text (paragraph) and note reference (character) styles, added when missing.

    A template's own styles of these names are used as they are; the added ones set notes in
    9 pt, single-spaced, and the reference mark as a superscript.
    """
    styles = document.styles.element
    ids = []
    for kind, name, style_id, properties in _NOTE_STYLES:
        found = next((s for s in styles.findall(qn("w:style")) if s.get(qn("w:type")) == kind
                      and (s.find(qn("w:name")) is not None and s.find(qn("w:name")).get(qn("w:val"), "").lower() == name)), None)
        if found is None:
            found = parse_xml(f'<w:style {nsdecls("w")} w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>'
                              f'<w:uiPriority w:val="99"/><w:unhideWhenUsed/>{properties}</w:style>')
            styles.append(found)
        ids.append(found.get(qn("w:styleId")))
    return ids[0], ids[1]
