"""The embedded font of the page numbers a bound filing carries ("- 12 -").

A PDF that names a font without embedding it (the page numbers used to name Helvetica in an
inline dictionary) depends on the reader's fonts, and poppler reported it as a broken cross
reference. The numbers are set in a subset of Liberation Sans (metric-compatible with Arial,
installed with LibreOffice's fonts; DejaVu Sans otherwise) holding only the characters they use,
embedded as a TrueType font object with its widths and a ToUnicode map, so every reader draws
and extracts the same text. The subset is made once per process and is the same bytes for the
same installed font (no timestamps).
"""

from __future__ import annotations

import functools
import hashlib
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from dossier.errors import ToolError

CHARACTERS = " -0123456789"
FACES = ("Liberation Sans", "Arimo", "DejaVu Sans")
KNOWN_FILES = (Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
               Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
               Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
FIRST, LAST = 32, 57  # character codes of the widths array: space … 9


@dataclass(frozen=True)
class NumberFont:
    """The subset font: its file bytes, PostScript name and metrics (1/1000 em)."""

    data: bytes
    name: str
    widths: dict[str, int]
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int

    def text_width(self, text: str, size: float) -> float:
        """Width of `text` in points at `size`."""
        return sum(self.widths[char] for char in text) * size / 1000


def _font_file() -> Path:
    """An installed sans-serif TrueType font (fontconfig's match, else a known path)."""
    if shutil.which("fc-match"):
        for face in FACES:
            found = subprocess.run(["fc-match", "--format=%{file}", face], capture_output=True, text=True, check=False).stdout
            if found.lower().endswith(".ttf") and face.split()[0].lower() in Path(found).name.lower() and Path(found).is_file():
                return Path(found)
    for path in KNOWN_FILES:
        if path.is_file():
            return path
    raise ToolError("no font for page numbers: install fonts-liberation2 (Liberation Sans) or fonts-dejavu-core")


@functools.cache
def number_font() -> NumberFont:
    """The page-number font subset (made once per process)."""
    source = _font_file()
    font = TTFont(str(source), recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables += ["FFTM", "GPOS", "GSUB", "GDEF", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=CHARACTERS)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    widths = {char: round(font["hmtx"][cmap[ord(char)]][0] * scale) for char in CHARACTERS}
    head, os2 = font["head"], font["OS/2"]
    tag = "".join(chr(ord("A") + b % 26) for b in hashlib.sha256(CHARACTERS.encode()).digest()[:6])
    base = font["name"].getDebugName(6) or "Sans"
    return NumberFont(buffer.getvalue(), f"{tag}+{base}", widths,
                      tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
                      round(os2.sTypoAscender * scale), round(os2.sTypoDescender * scale),
                      round(getattr(os2, "sCapHeight", os2.sTypoAscender) * scale))


_TO_UNICODE = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
               b"/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
               b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <20> <39> <0020> endbfrange "
               b"endcmap CMapName currentdict /CMap defineresource pop end end")


def add_number_font(writer: PdfWriter) -> IndirectObject:
    """Add the embedded page-number font to `writer`; a reference for a page's /Font resources."""
    font = number_font()
    file = StreamObject()
    file.set_data(font.data)
    file[NameObject("/Length1")] = NumberObject(len(font.data))
    file = file.flate_encode()
    descriptor = DictionaryObject({
        NameObject("/Type"): NameObject("/FontDescriptor"),
        NameObject("/FontName"): NameObject(f"/{font.name}"),
        NameObject("/Flags"): NumberObject(32),  # nonsymbolic
        NameObject("/FontBBox"): ArrayObject(NumberObject(v) for v in font.bbox),
        NameObject("/ItalicAngle"): NumberObject(0),
        NameObject("/Ascent"): NumberObject(font.ascent),
        NameObject("/Descent"): NumberObject(font.descent),
        NameObject("/CapHeight"): NumberObject(font.cap_height),
        NameObject("/StemV"): NumberObject(80),
        NameObject("/FontFile2"): writer._add_object(file),
    })
    to_unicode = StreamObject()
    to_unicode.set_data(_TO_UNICODE)
    widths = [font.widths.get(chr(code), 0) for code in range(FIRST, LAST + 1)]
    dictionary = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/TrueType"),
        NameObject("/BaseFont"): NameObject(f"/{font.name}"),
        NameObject("/FirstChar"): NumberObject(FIRST),
        NameObject("/LastChar"): NumberObject(LAST),
        NameObject("/Widths"): ArrayObject(FloatObject(w) if isinstance(w, float) else NumberObject(w) for w in widths),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        NameObject("/FontDescriptor"): writer._add_object(descriptor),
        NameObject("/ToUnicode"): writer._add_object(to_unicode.flate_encode()),
    })
    return writer._add_object(dictionary)
