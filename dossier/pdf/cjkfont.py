"""Chinese text drawn into an existing PDF: a subset of Noto Sans CJK SC embedded as a CID font.

Stamps added after conversion (the 受控 issued-copy mark) need glyphs the document's own
subset fonts may lack, so the glyphs they use are embedded once more: the Simplified Chinese
face of the installed Noto Sans CJK collection (found with fontconfig), subset with fontTools
to the characters drawn, as a Type 0 font over a CID-keyed CFF program (`/CIDFontType0C`) with
a ToUnicode map, so the text can be searched and extracted. The subset tag is derived from the
characters, so the same text always gives the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from dossier.errors import UsageError

FAMILY = "Noto Sans CJK SC"
UNUSED_TABLES = ("GPOS", "GSUB", "GDEF", "BASE", "VORG", "vhea", "vmtx")  # layout and vertical metrics
FALLBACK_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@functools.cache
def face_location() -> tuple[Path, int]:
    """(font file, face index) of Noto Sans CJK SC Regular; UsageError when it is not installed.

    Asks fontconfig first (`fc-match`), then looks for the Debian fonts-noto-cjk collection.
    """
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}|%{family}", f"{FAMILY}:style=Regular"],
                             capture_output=True, text=True, check=False).stdout
        parts = out.split("|")
        if len(parts) == 3 and FAMILY in parts[2] and Path(parts[0]).is_file():
            return Path(parts[0]), int(parts[1] or 0)
    if FALLBACK_FILE.is_file():
        fonts = TTCollection(str(FALLBACK_FILE), lazy=True).fonts
        for index, font in enumerate(fonts):
            if (font["name"].getDebugName(1) or "") == FAMILY:
                return FALLBACK_FILE, index
    raise UsageError(f"error: no {FAMILY} font to draw the copy stamp with: install fonts-noto-cjk (scripts/setup.sh does)")


@dataclass(frozen=True)
class EmbeddedFont:
    """A font added to a PDF: its reference, and how to encode and measure text in it.

    `codes` maps each character to its 2-byte CID (Identity-H); `widths` to its advance in
    thousandths of the font size.
    """

    ref: IndirectObject
    codes: dict[str, int]
    widths: dict[str, int]

    def encode(self, text: str) -> str:
        """`text` as a PDF hex string of CIDs (`<2f3a…>`), for the Tj operator."""
        return "<" + "".join(f"{self.codes[c]:04x}" for c in text) + ">"

    def width(self, text: str, size: float) -> float:
        """Advance of `text` at `size` points, in points."""
        return sum(self.widths[c] for c in text) * size / 1000


def embed_text_font(writer: PdfWriter, text: str) -> EmbeddedFont:
    """Embed the subset of Noto Sans CJK SC that draws every character of `text` into `writer`.

    UsageError when the font is missing or lacks a character (the message names it).
    """
    path, index = face_location()
    font = TTFont(str(path), fontNumber=index)
    cmap = font.getBestCmap()
    chars = sorted(set(text))
    missing = [c for c in chars if ord(c) not in cmap]
    if missing:
        raise UsageError(f"error: the copy stamp cannot draw {''.join(missing)!r}: {FAMILY} has no glyph for it")
    names = {c: cmap[ord(c)] for c in chars}
    postscript = font["name"].getDebugName(6) or "NotoSansCJKsc-Regular"
    advance = {c: font["hmtx"][names[c]][0] for c in chars}
    units = font["head"].unitsPerEm
    for tag in UNUSED_TABLES:  # removed before subsetting, which would otherwise read them (a second)
        if tag in font:
            del font[tag]
    options = subset.Options(layout_closure=False, notdef_outline=True, name_IDs=[])
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=sorted(set(names.values())))
    subsetter.subset(font)
    cff = font["CFF "].cff
    top = cff[0]
    registry, ordering, supplement = top.ROS
    codes = {c: int(name[3:]) for c, name in names.items()}  # CID-keyed CFF: glyph cidNNNNN is CID NNNNN
    widths = {c: round(advance[c] * 1000 / units) for c in chars}
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(text.encode()).digest()[:6])
    name = f"{tag}+{postscript}"
    program = DecodedStreamObject()
    program.set_data(font["CFF "].compile(font))
    program[NameObject("/Subtype")] = NameObject("/CIDFontType0C")
    program = program.flate_encode()
    bbox = [round(v * 1000 / units) for v in top.FontBBox]
    descriptor = DictionaryObject({
        NameObject("/Type"): NameObject("/FontDescriptor"),
        NameObject("/FontName"): NameObject(f"/{name}"),
        NameObject("/Flags"): NumberObject(4),
        NameObject("/FontBBox"): ArrayObject(NumberObject(v) for v in bbox),
        NameObject("/ItalicAngle"): NumberObject(0),
        NameObject("/Ascent"): NumberObject(bbox[3]),
        NameObject("/Descent"): NumberObject(bbox[1]),
        NameObject("/CapHeight"): NumberObject(bbox[3]),
        NameObject("/StemV"): NumberObject(80),
        NameObject("/FontFile3"): writer._add_object(program),
    })
    by_cid = sorted((codes[c], widths[c]) for c in chars)
    cid_font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/CIDFontType0"),
        NameObject("/BaseFont"): NameObject(f"/{name}"),
        NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject(registry),
            NameObject("/Ordering"): TextStringObject(ordering),
            NameObject("/Supplement"): NumberObject(supplement),
        }),
        NameObject("/FontDescriptor"): writer._add_object(descriptor),
        NameObject("/DW"): NumberObject(1000),
        NameObject("/W"): ArrayObject(item for cid, w in by_cid
                                      for item in (NumberObject(cid), ArrayObject([FloatObject(w)]))),
    })
    type0 = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject(f"/{name}"),
        NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid_font)]),
        NameObject("/ToUnicode"): writer._add_object(_to_unicode(codes)),
    })
    return EmbeddedFont(writer._add_object(type0), codes, widths)


def _to_unicode(codes: dict[str, int]) -> DecodedStreamObject:
    """A ToUnicode CMap mapping each CID back to its character (text extraction, search)."""
    pairs = sorted((cid, char) for char, cid in codes.items())
    chunks = [pairs[i:i + 100] for i in range(0, len(pairs), 100)]  # at most 100 entries per block
    body = "".join(
        f"{len(chunk)} beginbfchar\n"
        + "".join(f"<{cid:04x}> <{char.encode('utf-16-be').hex()}>\n" for cid, char in chunk)
        + "endbfchar\n"
        for chunk in chunks
    )
    text = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
        f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    stream = DecodedStreamObject()
    stream.set_data(text.encode("ascii"))
    return stream.flate_encode()
