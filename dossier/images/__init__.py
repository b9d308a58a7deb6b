"""Pictures as they are meant to be seen: the one way every output reads an image file.

Phones and scanners store a photo in the sensor's orientation and record the turn in the EXIF
Orientation tag; Word, LibreOffice and PDF ignore the tag, so the photo came out sideways. Every
image that enters an output — Markdown bodies, seals, signature images, scanned materials bound
into a filing, pictures in a workspace template — is read through `upright()`: turned as the
tag says (Pillow's `ImageOps.exif_transpose`) with its pixel size and resolution swapped
accordingly. An image whose tag is absent or says "upright" keeps its exact bytes; a turned one
is encoded again (PNG losslessly, JPEG at quality 95 with its ICC profile), always to the same
bytes for the same file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

ORIENTATION = 0x0112  # EXIF tag
DEFAULT_DPI = 72.0  # what Word assumes for an image that states no resolution
JPEG_QUALITY = 95
FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "BMP": "bmp", "TIFF": "tiff"}


class ImageProblem(ValueError):
    """The file is not an image dossier can place (unreadable, or a format Word cannot hold)."""


@dataclass(frozen=True)
class Picture:
    """An image turned upright: its bytes, format, pixel size and resolution (dots per inch)."""

    data: bytes
    format: str  # PNG, JPEG, GIF, BMP, TIFF
    width: int  # pixels, as shown
    height: int
    dpi: tuple[float, float] = (DEFAULT_DPI, DEFAULT_DPI)
    turned: bool = False  # the EXIF tag asked for a turn and the pixels were turned

    @property
    def extension(self) -> str:
        """File extension for the format (png, jpeg, …)."""
        return FORMATS[self.format]

    def natural_size_inches(self) -> tuple[float, float]:
        """(width, height) at the image's own resolution (72 dpi when it states none)."""
        return self.width / self.dpi[0], self.height / self.dpi[1]


def _dpi(image: Image.Image) -> tuple[float, float]:
    dpi = image.info.get("dpi")
    try:
        x, y = (float(dpi[0]), float(dpi[1])) if dpi else (0.0, 0.0)
    except (TypeError, ValueError, IndexError):
        x = y = 0.0
    return (x if x >= 1 else DEFAULT_DPI, y if y >= 1 else DEFAULT_DPI)


def orientation(image: Image.Image) -> int:
    """The EXIF Orientation of an opened image (1: upright, also when absent or invalid)."""
    try:
        value = image.getexif().get(ORIENTATION, 1)
    except Exception:  # noqa: BLE001 - a damaged EXIF block means no usable tag
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def upright_bytes(data: bytes, name: str = "image") -> Picture:
    """`data` (an image file's bytes) as a Picture shown upright; ImageProblem if it is no image.

    `name` is used in the error message only.
    """
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(f"{name}: not a readable PNG/JPEG/GIF/BMP/TIFF image ({exc.__class__.__name__})") from exc
    if image.format not in FORMATS:
        raise ImageProblem(f"{name}: {image.format} images cannot be placed (PNG, JPEG, GIF, BMP or TIFF)")
    dpi, turn = _dpi(image), orientation(image)
    if turn == 1:
        return Picture(data, image.format, image.width, image.height, dpi)
    turned = ImageOps.exif_transpose(image)
    if turn in (5, 6, 7, 8):  # a quarter turn: the resolution turns with the pixels
        dpi = (dpi[1], dpi[0])
    return Picture(_encode(turned, image, dpi), "JPEG" if image.format == "JPEG" else "PNG",
                   turned.width, turned.height, dpi, turned=True)


def _encode(turned: Image.Image, original: Image.Image, dpi: tuple[float, float]) -> bytes:
    """The turned pixels as a file without the Orientation tag: JPEG stays JPEG, others become PNG."""
    out = io.BytesIO()
    extra = {"icc_profile": original.info["icc_profile"]} if original.info.get("icc_profile") else {}
    if original.format == "JPEG" and turned.mode in ("RGB", "L", "CMYK"):
        turned.save(out, format="JPEG", quality=JPEG_QUALITY, dpi=dpi, **extra)
    else:
        if turned.mode not in ("RGB", "RGBA", "L", "LA", "P", "1", "I;16"):
            turned = turned.convert("RGBA" if "A" in turned.getbands() else "RGB")
        turned.save(out, format="PNG", dpi=dpi, **extra)
    return out.getvalue()


def upright(path: Path) -> Picture:
    """The image file at `path` shown upright (see module docstring); ImageProblem if unusable."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImageProblem(f"{Path(path).name}: cannot be read ({exc.strerror or exc})") from exc
    return upright_bytes(data, Path(path).name)
