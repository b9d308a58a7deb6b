"""Byte-reproducible .docx files with Chinese fonts that hold up in Word, WPS and LibreOffice."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from lxml import etree
from docx.styles import BabelFish

from dossier.atomic import write_bytes

BODY_FONT = "Noto Serif CJK SC"  # Song-style face
HEADING_FONT = "Noto Sans CJK SC"  # Hei-style face
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_FIRST = "[Content_Types].xml"
# parts that change nothing in the output: Word 2010's copy of the styles, python-docx's stock preview
_SURPLUS_PARTS = ("http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", RT.THUMBNAIL)
_REFERENCE_TAGS = ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink")
_STYLE_REFERENCE = re.compile(rb'<w:(?:%s) w:val="([^"]+)"' % "|".join(_REFERENCE_TAGS).encode())
_STYLE_REFERENCE_XPATH = etree.XPath(" | ".join(f"//w:{tag}/@w:val" for tag in _REFERENCE_TAGS), namespaces={"w": nsmap["w"]})
_STYLE_LINKS = ("w:basedOn", "w:link", "w:next")


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite a docx (zip) with fixed timestamps and sorted entries: same content, same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != _FIRST, n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def _referenced_style_ids(document: DocxDocument) -> set[str]:
    """Ids of the styles any part other than styles.xml refers to."""
    found: set[str] = set()
    for part in document.part.package.iter_parts():
        if part is document.part._styles_part:
            continue
        if isinstance(part, XmlPart):
            found.update(_STYLE_REFERENCE_XPATH(part.element))
        elif str(part.partname).endswith(".xml"):
            found.update(match.decode() for match in _STYLE_REFERENCE.findall(part.blob))
    return found


def drop_unused_styles(document: DocxDocument) -> None:
    """Remove the styles nothing uses (defaults and what used styles build on stay), and surplus parts.

    Templates carry hundreds of styles (python-docx's stock ones, Word's gallery); an output
    document needs only its own. LibreOffice imports every style, so this makes conversion faster
    without changing what a page looks like.
    """
    styles = document.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.iterchildren(qn("w:style"))}
    keep = _referenced_style_ids(document) | {sid for sid, style in by_id.items() if style.default}  # 1, true or on
    todo = list(keep)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:
            continue
        for tag in _STYLE_LINKS:
            link = style.find(qn(tag))
            linked = link.get(qn("w:val")) if link is not None else None
            if linked and linked not in keep:
                keep.add(linked)
                todo.append(linked)
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)
    drop_surplus_parts(document)


def drop_surplus_parts(document: DocxDocument) -> None:
    """Remove parts that change nothing on paper: Word 2010's stylesWithEffects, the stock thumbnail."""
    for owner in (document.part.package, document.part):
        for r_id in [r_id for r_id, rel in owner.rels.items() if rel.reltype in _SURPLUS_PARTS]:
            owner.rels.pop(r_id)


def docx_bytes(document: DocxDocument, when: datetime | None = None) -> bytes:
    """Serialise a python-docx Document reproducibly (core properties dated `when`)."""
    props = document.core_properties
    stamp = when or datetime(2000, 1, 1)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.last_modified_by = "dossier"
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue())


def save_deterministic(document: DocxDocument | bytes, path: Path, when: datetime | None = None) -> bytes:
    """Write a byte-reproducible docx atomically; returns the bytes written."""
    data = deterministic_zip(document) if isinstance(document, bytes) else docx_bytes(document, when)
    write_bytes(path, data)
    return data


def _set_fonts(rpr, latin: str, east_asian: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def apply_cjk_fonts(document: DocxDocument, body: str = BODY_FONT, heading: str = HEADING_FONT) -> None:
    """Name the East Asian fonts on the document defaults and every paragraph/character style.

    Body styles get the Song-style face, headings and titles the Hei-style face, so Chinese
    text never falls back to a Latin font.
    """
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                rpr_default.append(rpr)
            _set_fonts(rpr, body, body)
    # the w:style elements themselves: python-docx style objects parse an enum per style, which costs
    # more than the fonts (templates hold hundreds of styles)
    for style in styles.iterchildren(qn("w:style")):
        if style.get(qn("w:type"), "paragraph") not in ("paragraph", "character"):
            continue
        name = BabelFish.internal2ui(style.name_val or "")
        face = heading if name.startswith(("Heading", "Title", "Subtitle")) or name.startswith("TOC Heading") else None
        if face is None and style.rPr is None:
            continue
        _set_fonts(style.get_or_add_rPr(), face or body, face or body)
