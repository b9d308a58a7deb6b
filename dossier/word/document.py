"""Saving python-docx documents as finished packages, and trimming them to the styles they use."""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.opc.part import XmlPart
from docx.oxml.ns import nsmap, qn
from lxml import etree

from dossier.fonts import default_fonts
from dossier.util.atomic import write_bytes
from dossier.word.package import CoreProperties, Fonts, finish_docx
from dossier.word.rows import release_tall_rows

_REFERENCE_TAGS = ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink")
_STYLE_REFERENCE = re.compile(rb'<w:(?:%s) w:val="([^"]+)"' % "|".join(_REFERENCE_TAGS).encode())
_STYLE_REFERENCE_XPATH = etree.XPath(" | ".join(f"//w:{tag}/@w:val" for tag in _REFERENCE_TAGS), namespaces={"w": nsmap["w"]})
_STYLE_LINKS = ("w:basedOn", "w:link", "w:next")


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


def docx_bytes(document: DocxDocument, props: CoreProperties | None = None, fonts: Fonts | None = None,
               lean: bool = True) -> bytes:
    """Serialise a python-docx Document as a finished package (see `dossier.word.package`).

    `lean` drops the styles nothing uses (templates keep theirs for the documents made from them);
    `fonts` defaults to 宋体/黑体/Times New Roman where the document names no face itself. Table
    rows not known to fit on a page are allowed to split (`dossier.word.rows`).
    """
    release_tall_rows(document)
    if lean:
        drop_unused_styles(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return finish_docx(buffer.getvalue(), props or CoreProperties(), fonts or Fonts(default_fonts()))


def save_deterministic(document: DocxDocument, path: Path, props: CoreProperties | None = None) -> bytes:
    """Write a finished, byte-reproducible docx atomically; returns the bytes written."""
    data = docx_bytes(document, props)
    write_bytes(path, data)
    return data
