"""The pypdf post-processing the filing uses: binding (dossier.pdf.bundle) and seals (dossier.pdf.stamp)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from dossier.errors import UsageError
from dossier.pdf.bundle import BAND, Section, bundle
from dossier.pdf.stamp import POINTS_PER_MM, Placement, stamp_cross_page_seal, stamp_seal

A4 = (595.28, 841.89)


def pdf_of_size(width: float, height: float, pages: int = 1, rotate: int = 0) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(width, height)
        if rotate:
            page.rotate(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture()
def seal(tmp_path: Path) -> Path:
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((5, 5, 195, 95), outline=(220, 0, 0, 255), width=6)
    path = tmp_path / "seal.png"
    image.save(path)
    return path


def _size(page) -> tuple[float, float]:
    return float(page.mediabox.width), float(page.mediabox.height)


def _close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 1 and abs(a[1] - b[1]) < 1


def test_bundle_makes_every_page_a4_with_bookmarks_and_numbers(tmp_path: Path) -> None:
    landscape = tmp_path / "scan.png"
    Image.new("L", (1200, 800), 255).save(landscape)
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (600, 900), (200, 220, 240)).save(photo, quality=80)
    data = bundle(
        [
            Section("甲", (pdf_of_size(612, 792, pages=2),)),  # US Letter
            Section("乙", (landscape, photo)),
            Section("丙", (pdf_of_size(*A4, rotate=90), pdf_of_size(*A4))),
        ]
    )
    reader = PdfReader(io.BytesIO(data))
    sizes = [_size(p) for p in reader.pages]
    assert len(sizes) == 6
    assert _close(sizes[0], A4) and _close(sizes[1], A4)
    assert _close(sizes[2], (A4[1], A4[0]))  # landscape image on landscape A4
    assert _close(sizes[3], A4) and _close(sizes[5], A4)
    assert _close(sizes[4], (A4[1], A4[0])) and reader.pages[4].rotation == 0  # rotation moved into content
    assert [(o.title, reader.get_destination_page_number(o)) for o in reader.outline] == [
        ("甲", 0),
        ("乙", 2),
        ("丙", 4),
    ]
    assert reader.page_labels == ["1", "2", "3", "4", "5", "6"]
    for number, page in enumerate(reader.pages, start=1):
        assert f"- {number} -" in page.extract_text()
    jpeg = reader.pages[3]["/Resources"]["/XObject"]
    assert any(x.get_object()["/Filter"] == "/DCTDecode" for x in jpeg.values())


def test_bundle_rejects_an_empty_section_and_a_broken_pdf(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="section 空: no pages"):
        bundle([Section("空", ())])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(UsageError, match="broken.pdf: not a readable PDF"):
        bundle([Section("坏", (broken,))])


def test_seal_on_every_page_at_the_position(seal: Path) -> None:
    data = stamp_seal(pdf_of_size(*A4, pages=3), seal, Placement(x_mm=150, y_mm=20, width_mm=40))
    reader = PdfReader(io.BytesIO(data))
    width = 40 * POINTS_PER_MM
    for page in reader.pages:
        images = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
        assert [(i["/Width"], i["/Height"]) for i in images] == [(200, 100)]
        assert "/SMask" in images[0]  # transparency kept
        content = " ".join(page.get_contents().get_data().decode().split())
        assert f"{width:.3f} 0 0 {width / 2:.3f} {150 * POINTS_PER_MM:.3f} {20 * POINTS_PER_MM:.3f} cm" in content


def test_cross_page_seal_is_sliced_across_the_right_edge(seal: Path) -> None:
    pages = 4
    data = stamp_cross_page_seal(pdf_of_size(*A4, pages=pages), seal, width_mm=40, y_mm=100)
    reader = PdfReader(io.BytesIO(data))
    width = 40 * POINTS_PER_MM
    strip = width / pages
    for index, page in enumerate(reader.pages):
        left = float(page.mediabox.width) - strip
        content = " ".join(page.get_contents().get_data().decode().split())
        assert f"{left:.3f} {100 * POINTS_PER_MM:.3f} {strip:.3f} {width / 2:.3f} re W n" in content
        assert f"{width:.3f} 0 0 {width / 2:.3f} {left - index * strip:.3f} {100 * POINTS_PER_MM:.3f} cm" in content


def test_stamping_is_reproducible(seal: Path) -> None:
    source = pdf_of_size(*A4, pages=2)
    first = stamp_cross_page_seal(stamp_seal(source, seal, Placement(10, 10, 30)), seal, 30, 120)
    second = stamp_cross_page_seal(stamp_seal(source, seal, Placement(10, 10, 30)), seal, 30, 120)
    assert first == second


def _filled_pdf(width: float, height: float) -> bytes:
    """One page painted black to its edges (an attachment whose frame reaches the border)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width, height)
    content = DecodedStreamObject()
    content.set_data(f"0 g 0 0 {width} {height} re f".encode())
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("size", [A4, (612, 792), (A4[1], A4[0])])
def test_page_numbers_have_a_band_no_attachment_content_enters(size: tuple[float, float], tmp_path: Path) -> None:
    """Fault: an A4 attachment was bound unscaled and its frame ran through the page number."""
    data = bundle([Section("标准", (_filled_pdf(*size),))])
    (tmp_path / "b.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "72", "-gray", str(tmp_path / "b.pdf"), str(tmp_path / "p")], check=True)
    (render,) = tmp_path.glob("p-*.pgm")
    image = Image.open(render)
    pixels, (width, height), band = image.load(), image.size, round(BAND)
    if size[0] < size[1] and abs(size[1] - A4[1]) < 1:  # A4: scaled only as far as the band needs
        assert max(pixels[x, height - band - 3] for x in range(width // 4, 3 * width // 4)) < 50
    assert pixels[width // 2, height // 2] < 50  # the attachment is there…
    # …and nothing but the number is drawn in the band
    stray = [(x, y) for y in range(height - band + 1, height) for x in range(width)
             if pixels[x, y] < 200 and not width // 2 - 40 <= x < width // 2 + 40]
    assert not stray
    assert any(pixels[x, y] < 200 for y in range(height - band + 1, height) for x in range(width // 2 - 40, width // 2 + 40))
