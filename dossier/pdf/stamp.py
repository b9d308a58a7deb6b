"""Stamp images onto PDF pages: a company seal on every page, and a cross-page seal (骑缝章).

The seal is a user-supplied PNG (transparency kept as a soft mask). Every image is read upright
(`dossier.images`: the EXIF orientation applied). The cross-page seal is the
same image cut into as many vertical slices as there are pages; page i shows slice i at its
right edge, so the stacked, fanned pages show the whole seal.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from dossier.errors import UsageError
from dossier.images import ImageProblem, upright

POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Placement:
    """Where an image goes: lower-left corner and width in millimetres (height keeps the aspect)."""

    x_mm: float
    y_mm: float
    width_mm: float


def _image_stream(image: Image.Image, colour_space: str, data: bytes, filter_name: str) -> StreamObject:
    """An image XObject whose `data` is already encoded with `filter_name`."""
    stream = StreamObject()
    stream.set_data(data)
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(image.width),
            NameObject("/Height"): NumberObject(image.height),
            NameObject("/ColorSpace"): NameObject(colour_space),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject(filter_name),
        }
    )
    return stream


def image_xobject(writer: PdfWriter, path: Path) -> tuple[IndirectObject, int, int]:
    """Add the image at `path` (PNG or JPEG) to `writer` upright; returns (reference, width px, height px).

    JPEG data is embedded as is (encoded again when its EXIF tag turned it); other images are
    stored losslessly (Flate), an alpha channel as a soft mask.
    """
    try:
        picture = upright(path)
        image = Image.open(io.BytesIO(picture.data))
        image.load()
    except (ImageProblem, OSError, SyntaxError) as exc:
        raise UsageError(f"{path}: cannot read image ({exc})") from exc
    if image.format == "JPEG" and image.mode in ("RGB", "L"):
        colour = "/DeviceRGB" if image.mode == "RGB" else "/DeviceGray"
        stream = _image_stream(image, colour, picture.data, "/DCTDecode")
        return writer._add_object(stream), image.width, image.height
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    base = image.convert("RGBA" if has_alpha else "RGB")
    stream = _image_stream(base, "/DeviceRGB", zlib.compress(base.convert("RGB").tobytes(), 9), "/FlateDecode")
    if has_alpha:
        alpha = base.getchannel("A")
        mask = _image_stream(alpha, "/DeviceGray", zlib.compress(alpha.tobytes(), 9), "/FlateDecode")
        stream[NameObject("/SMask")] = writer._add_object(mask)
    return writer._add_object(stream), image.width, image.height  # streams must be indirect objects


def image_overlay(width: float, height: float, xobject: IndirectObject, operations: str) -> PageObject:
    """A blank page of the given size whose content draws /Img with `operations`."""
    page = PageObject.create_blank_page(None, width, height)
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/XObject"): DictionaryObject({NameObject("/Img"): xobject}),
        }
    )
    content = DecodedStreamObject()
    content.set_data(operations.encode("ascii"))
    page[NameObject("/Contents")] = content
    return page


def write_compressed(writer: PdfWriter) -> bytes:
    """Serialise a writer with compressed page content and shared identical objects."""
    # Compress each page's content first: after compress_identical_objects() pages may share a
    # content stream, and compressing it page by page would drop content.
    for page in writer.pages:
        page.compress_content_streams()
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stamp_seal(data: bytes, seal: Path, placement: Placement) -> bytes:
    """Put the seal image on every page of the PDF `data` at `placement`."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    xobject, px_w, px_h = image_xobject(writer, seal)
    width = placement.width_mm * POINTS_PER_MM
    height = width * px_h / px_w
    x, y = placement.x_mm * POINTS_PER_MM, placement.y_mm * POINTS_PER_MM
    for page in writer.pages:
        box = page.mediabox
        overlay = image_overlay(
            float(box.width), float(box.height), xobject, f"q {width:.3f} 0 0 {height:.3f} {x:.3f} {y:.3f} cm /Img Do Q"
        )
        page.merge_transformed_page(overlay, Transformation().translate(float(box.left), float(box.bottom)))
    return write_compressed(writer)


def stamp_cross_page_seal(data: bytes, seal: Path, width_mm: float, y_mm: float) -> bytes:
    """Slice the seal across the right edge of all pages (骑缝章); `y_mm` is its lower edge."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    xobject, px_w, px_h = image_xobject(writer, seal)
    count = len(writer.pages)
    width = width_mm * POINTS_PER_MM
    height = width * px_h / px_w
    strip = width / count
    y = y_mm * POINTS_PER_MM
    for index, page in enumerate(writer.pages):
        box = page.mediabox
        page_w, page_h = float(box.width), float(box.height)
        left = page_w - strip
        origin = left - index * strip
        operations = (
            f"q {left:.3f} {y:.3f} {strip:.3f} {height:.3f} re W n "
            f"{width:.3f} 0 0 {height:.3f} {origin:.3f} {y:.3f} cm /Img Do Q"
        )
        overlay = image_overlay(page_w, page_h, xobject, operations)
        page.merge_transformed_page(overlay, Transformation().translate(float(box.left), float(box.bottom)))
    return write_compressed(writer)
