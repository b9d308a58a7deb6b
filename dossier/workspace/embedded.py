"""Files an output embeds (body images, seals, filing materials): readable, of the declared type, not too large.

`check` opens each file a build would put into a .docx or a PDF, so a text file named `.png`, a
truncated scan or a decompression bomb (a 20000 × 20000 PNG of a few kilobytes) is an input
error with its file and line, before anything is rendered. The type is the one the name
declares (`.png` must hold a PNG). Images may have at most MAX_PIXELS pixels (an A4 page
scanned at 600 dpi has 35 million); larger ones would take gigabytes to decode.
"""

from __future__ import annotations

import warnings
from pathlib import Path

MAX_PIXELS = 50_000_000
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".bmp": "BMP", ".tif": "TIFF", ".tiff": "TIFF"}
MAX_PDF_PAGES = 2000


def embedded_problem(path: Path, suffixes: tuple[str, ...] = (*IMAGE_FORMATS, ".pdf")) -> str | None:
    """Why the file at `path` cannot be embedded as what its suffix declares (no file name), or None when it can.

    `suffixes` are the types this place takes (a Word body takes images only, a filing images and PDFs).
    """
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        return f"not a file type that can be embedded here (expected {'/'.join(suffixes)})"
    if suffix == ".pdf":
        return pdf_problem(path)
    return image_problem(path, IMAGE_FORMATS[suffix])


def image_problem(path: Path, declared: str) -> str | None:
    """Why `path` is not a readable image of format `declared` (PNG, JPEG …) within MAX_PIXELS, or None."""
    from PIL import Image, UnidentifiedImageError

    limit = Image.MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's own decompression-bomb check: the limit is ours, with the size
            Image.MAX_IMAGE_PIXELS = None  # only the header is read before our check below
            with Image.open(path) as image:
                Image.MAX_IMAGE_PIXELS = limit
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return _too_large(width, height)
                if image.format != declared:
                    return f"a {image.format or 'different'} file, not {declared} as its name says"
                if declared == "JPEG":
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # decode at 1/8: fast, still complete
                    image.load()
                else:
                    image.verify()
    except Image.DecompressionBombError:
        return _too_large(None, None)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return f"not a readable {declared} image (damaged, truncated or another kind of file)"
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    return None


def _too_large(width: int | None, height: int | None) -> str:
    size = f"{width} × {height} pixels" if width else "too many pixels"
    return f"{size}, more than the limit of {MAX_PIXELS // 1_000_000} million (scan at 300 dpi, or reduce it)"


def pdf_problem(path: Path) -> str | None:
    """Why `path` is not a readable, unencrypted PDF of 1 to MAX_PDF_PAGES pages, or None."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            return "an encrypted PDF (save it without a password)"
        pages = len(reader.pages)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return "not a readable PDF (damaged, truncated or another kind of file)"
    if pages == 0:
        return "a PDF without pages"
    if pages > MAX_PDF_PAGES:
        return f"{pages} pages, more than the limit of {MAX_PDF_PAGES}"
    return None
