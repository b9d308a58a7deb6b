"""Issue 13, case 11: every PDF dossier writes is sound — `qpdf --check` without warnings, poppler
prints no errors on it, every font embedded — and bound filings number their pages in an
embedded font (the page numbers named Helvetica in an inline dictionary: poppler reported
`Internal Error: xref num … not found`)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

from dossier.pdf.bundle import Section, bundle
from dossier.pdf.stamp import image_xobject
from tests.layout_support import pdf_problems, png, sideways_jpeg


def test_every_pdf_of_the_example_build_is_sound(example_build: Path) -> None:
    pdfs = sorted((example_build / "build").rglob("*.pdf"))
    assert len(pdfs) >= 7 + 2  # the documents and the bound filings at least
    assert any(pdf.name.endswith("-filing.pdf") for pdf in pdfs)
    assert {pdf.relative_to(example_build).as_posix(): pdf_problems(pdf) for pdf in pdfs} == {
        pdf.relative_to(example_build).as_posix(): [] for pdf in pdfs}


def test_bound_pages_are_numbered_in_an_embedded_font(tmp_path: Path) -> None:
    scan = tmp_path / "scan.png"
    scan.write_bytes(png(300, 400))
    data = bundle([Section("一", (scan,)), Section("二", (scan, scan))])
    (tmp_path / "bound.pdf").write_bytes(data)
    assert pdf_problems(tmp_path / "bound.pdf") == []
    reader = PdfReader(io.BytesIO(data))
    assert [page.extract_text().strip() for page in reader.pages] == ["- 1 -", "- 2 -", "- 3 -"]
    font = reader.pages[0]["/Resources"]["/Font"]["/FNum"].get_object()
    assert font["/Subtype"] == "/TrueType" and "/FontFile2" in font["/FontDescriptor"]


def test_scanned_photos_and_seals_are_turned_upright(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(sideways_jpeg(400, 200, orientation=6))
    data = bundle([Section("材料", (photo,))])
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert float(page.mediabox.width) < float(page.mediabox.height)  # a portrait page for the upright photo
    (image,) = page.images
    assert image.image.size == (200, 400)
    assert image.image.convert("RGB").getpixel((195, 200))[0] > 180  # the stored top row is the right edge
    _, width, height = image_xobject(PdfWriter(), photo)  # the seal path reads images the same way
    assert (width, height) == (200, 400)
    assert Image.open(photo).size == (400, 200)  # the file itself is untouched
