"""The last step of every .docx dossier writes: a valid, lean, reproducible Office Open XML package.

`finish_docx` takes the bytes python-docx (or docxtpl) saved and returns the package Word, WPS and
LibreOffice open without repair:

- `docProps/core.xml` written here, once, in the core-properties namespaces (python-docx appends
  a second copy of some elements in the wrong namespace once docxcompose is imported, which
  Word reports as unreadable content), with fixed dates; `docProps/app.xml` likewise;
- no stock parts: Word 2010's stylesWithEffects, the template thumbnail, customXml, and every
  part no relationship reaches any more;
- fonts: the styles name the workspace's faces (`fonts.FontSet`), `fontTable.xml` lists each
  face the document names with its alternate name, panose and charset, the theme's East Asian
  fonts are those faces and `themeFontLang`/`w:lang` say zh-CN;
- a zip with sorted entries and fixed timestamps: same content, same bytes.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from lxml import etree

from dossier.fonts import FontSet, catalogue, word_name

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = {"w": W, "a": A, "r": REL, "ct": CT}
# relationships whose targets change nothing on paper
SURPLUS_RELATIONSHIPS = {
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
}
CONTENT_TYPES = "[Content_Types].xml"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
METADATA_LIMIT = 255  # characters Word keeps in a core property
HEADING_STYLE_PREFIXES = ("heading", "title", "subtitle", "toc heading", "block label")
FONT_ATTRS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass(frozen=True)
class CoreProperties:
    """What docProps/core.xml says: title, subject, author, keywords; `when` dates both timestamps."""

    title: str = ""
    subject: str = ""
    creator: str = ""
    keywords: str = ""
    when: datetime = datetime(2000, 1, 1)


@dataclass(frozen=True)
class Fonts:
    """The faces to name and which roles the workspace chose explicitly (those override a template)."""

    faces: FontSet
    override: frozenset[str] = frozenset()


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= METADATA_LIMIT else text[: METADATA_LIMIT - 1] + "…"


def core_xml(props: CoreProperties) -> bytes:
    """docProps/core.xml with each element once (empty ones left out)."""
    stamp = props.when.strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ]
    for tag, value in (("dc:title", props.title), ("dc:subject", props.subject), ("dc:creator", props.creator),
                       ("cp:keywords", props.keywords)):
        if value:
            parts.append(f"<{tag}>{escape(_short(value))}</{tag}>")
    parts += ["<cp:lastModifiedBy>dossier</cp:lastModifiedBy>", "<cp:revision>1</cp:revision>",
              f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>',
              f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>',
              "</cp:coreProperties>"]
    return "".join(parts).encode("utf-8")


APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>dossier</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    b"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    b"</Properties>"
)


class _Package:
    """The parts of a zip package, with the relationship graph needed to prune it."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            self.parts = {name: source.read(name) for name in source.namelist()}

    @staticmethod
    def rels_name(part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", f"{name}.rels")

    def drop_relationships(self, types: set[str]) -> None:
        """Remove relationships of these types from every .rels part."""
        for name in [n for n in self.parts if n.endswith(".rels")]:
            root = etree.fromstring(self.parts[name])
            gone = [rel for rel in root if rel.get("Type") in types]
            for rel in gone:
                root.remove(rel)
            if gone:
                self.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def prune(self) -> None:
        """Drop every part no relationship reaches from the package root (and its content type)."""
        reached, todo = set(), [""]
        while todo:
            part = todo.pop()
            rels = "_rels/.rels" if part == "" else self.rels_name(part)
            if rels not in self.parts:
                continue
            reached.add(rels)
            base = posixpath.dirname(part)
            for rel in etree.fromstring(self.parts[rels]):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
                if path in self.parts and path not in reached:
                    reached.add(path)
                    todo.append(path)
        for name in [n for n in self.parts if n not in reached and n != CONTENT_TYPES]:
            del self.parts[name]
        types = etree.fromstring(self.parts[CONTENT_TYPES])
        for override in types.findall("ct:Override", NS):
            if override.get("PartName", "").lstrip("/") not in self.parts:
                types.remove(override)
        self.parts[CONTENT_TYPES] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)

    def xml(self, name: str):
        return etree.fromstring(self.parts[name]) if name in self.parts else None

    def store(self, name: str, root) -> None:
        self.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def zip(self) -> bytes:
        out = io.BytesIO()
        names = sorted(self.parts, key=lambda n: (n != CONTENT_TYPES, n))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                target.writestr(info, self.parts[name])
        return out.getvalue()


def _style_name(style) -> str:
    name = style.find(_w("name"))
    return (name.get(_w("val")) if name is not None else "").lower()


def _set_faces(rpr, east_asian: str | None, latin: str | None) -> None:
    fonts = rpr.find(_w("rFonts"))
    if fonts is None:
        fonts = etree.Element(_w("rFonts"))
        rpr.insert(0, fonts)
    if latin:
        for attr in ("ascii", "hAnsi", "cs"):
            fonts.set(_w(attr), latin)
        for attr in ("asciiTheme", "hAnsiTheme", "cstheme"):
            fonts.attrib.pop(_w(attr), None)
    if east_asian:
        fonts.set(_w("eastAsia"), east_asian)
        fonts.attrib.pop(_w("eastAsiaTheme"), None)


def _face(rpr, attr: str) -> str | None:
    fonts = rpr.find(_w("rFonts")) if rpr is not None else None
    return fonts.get(_w(attr)) if fonts is not None else None


def _set_lang(rpr) -> None:
    lang = rpr.find(_w("lang"))
    if lang is None:
        lang = etree.SubElement(rpr, _w("lang"))
    lang.set(_w("eastAsia"), "zh-CN")


def apply_fonts(styles, fonts: Fonts) -> None:
    """Name the faces on the document defaults and on the styles (styles.xml root element).

    Body text takes `faces.body` from the defaults; heading-like styles (Heading n, Title, TOC
    Heading, Block Label) take `faces.heading`. A face a style already names is kept unless the
    workspace chose that role explicitly (`fonts.override`).
    """
    faces, override = fonts.faces, fonts.override
    body, heading, latin = word_name(faces.body), word_name(faces.heading), word_name(faces.latin)
    defaults = styles.find("w:docDefaults/w:rPrDefault", NS)
    if defaults is not None:
        rpr = defaults.find(_w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(defaults, _w("rPr"))
        _set_faces(rpr, body if "body" in override or not _face(rpr, "eastAsia") else None,
                   latin if "latin" in override or not _face(rpr, "ascii") else None)
        _set_lang(rpr)
    for style in styles.iterfind("w:style", NS):
        if style.get(_w("type"), "paragraph") not in ("paragraph", "character"):
            continue
        rpr = style.find(_w("rPr"))
        is_heading = _style_name(style).startswith(HEADING_STYLE_PREFIXES)
        role = "heading" if is_heading else "body"
        has_face = _face(rpr, "eastAsia") is not None
        east = None
        if role in override and (is_heading or has_face):
            east = heading if is_heading else body
        elif is_heading and not has_face:
            east = heading
        has_latin = _face(rpr, "ascii") is not None
        west = latin if has_latin and "latin" in override else None
        if is_heading and not has_latin:
            west = latin
        if east or west:
            if rpr is None:
                rpr = etree.SubElement(style, _w("rPr"))
            _set_faces(rpr, east, west)
        if rpr is not None and rpr.find(_w("lang")) is not None:
            _set_lang(rpr)


def _named_faces(package: _Package) -> list[str]:
    """Every face the document's parts name, in first-seen order (fontTable.xml lists these)."""
    seen: dict[str, None] = {}
    for name in sorted(package.parts):
        if name.startswith("word/") and name.endswith(".xml") and "fontTable" not in name and "theme" not in name:
            root = etree.fromstring(package.parts[name])
            for fonts in root.iter(_w("rFonts")):
                for attr in FONT_ATTRS:
                    value = fonts.get(_w(attr))
                    if value:
                        seen.setdefault(value, None)
    return list(seen)


def _font_table(package: _Package) -> None:
    old = package.xml("word/fontTable.xml")
    kept = {f.get(_w("name")): f for f in old.iterfind("w:font", NS)} if old is not None else {}
    root = etree.Element(_w("fonts"), nsmap={"w": W})
    for name in _named_faces(package):
        face = catalogue().get(name)
        if face is None:
            root.append(kept.get(name) if name in kept else etree.Element(_w("font"), {_w("name"): name}))
            continue
        font = etree.SubElement(root, _w("font"), {_w("name"): name})
        others = [n for n in (face.name, *face.alt) if n != name]
        if others:
            etree.SubElement(font, _w("altName"), {_w("val"): others[0]})
        etree.SubElement(font, _w("panose1"), {_w("val"): face.panose})
        etree.SubElement(font, _w("charset"), {_w("val"): face.charset})
        etree.SubElement(font, _w("family"), {_w("val"): face.family})
        etree.SubElement(font, _w("pitch"), {_w("val"): face.pitch})
        usb0, usb1, usb2, usb3, csb0, csb1 = face.sig
        etree.SubElement(font, _w("sig"), {_w("usb0"): usb0, _w("usb1"): usb1, _w("usb2"): usb2, _w("usb3"): usb3,
                                           _w("csb0"): csb0, _w("csb1"): csb1})
    package.store("word/fontTable.xml", root)


def _settings(package: _Package) -> None:
    root = package.xml("word/settings.xml")
    if root is None:
        return
    for preview in root.findall("w:savePreviewPicture", NS):
        root.remove(preview)
    lang = root.find("w:themeFontLang", NS)
    if lang is not None:
        lang.set(_w("val"), "en-US")
        lang.set(_w("eastAsia"), "zh-CN")
    package.store("word/settings.xml", root)


def _theme(package: _Package, faces: FontSet) -> None:
    name = next((n for n in package.parts if n.startswith("word/theme/") and n.endswith(".xml")), None)
    if name is None:
        return
    root = etree.fromstring(package.parts[name])
    for tag, east in (("majorFont", faces.heading), ("minorFont", faces.body)):
        scheme = root.find(f".//a:fontScheme/a:{tag}", NS)
        if scheme is None:
            continue
        scheme.find("a:latin", NS).set("typeface", word_name(faces.latin))
        scheme.find("a:ea", NS).set("typeface", word_name(east))
        for script in scheme.findall("a:font", NS):
            if script.get("script") == "Hans":
                script.set("typeface", word_name(east))
            elif script.get("script") in ("Jpan", "Hang", "Hant"):
                scheme.remove(script)
    package.store(name, root)


def finish_docx(data: bytes, props: CoreProperties, fonts: Fonts) -> bytes:
    """A saved .docx made valid, lean and reproducible (see the module docstring)."""
    package = _Package(data)
    package.drop_relationships(SURPLUS_RELATIONSHIPS)
    package.parts["docProps/core.xml"] = core_xml(props)
    package.parts["docProps/app.xml"] = APP_XML
    styles = package.xml("word/styles.xml")
    if styles is not None:
        apply_fonts(styles, fonts)
        package.store("word/styles.xml", styles)
    _settings(package)
    _theme(package, fonts.faces)
    package.prune()
    if "word/fontTable.xml" in package.parts:
        _font_table(package)
    return package.zip()
