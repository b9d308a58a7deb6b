"""Building the example filings: Annex 1-5 documents and the bound, sealed filing PDF.

One LibreOffice batch (session fixture `filings`, tests/pipeline/conftest.py) builds the
examples plus an incomplete and an imported variant.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from PIL import Image
from pypdf import PdfReader

from dossier.cli import cli
from dossier.disinfectant.workspace import load_products
from dossier.pdf.bundle import BAND
from dossier.pipeline.filings import build_filings
from tests import regulation_forms as reg
from tests.conftest import REPO
from tests.pipeline.conftest import IMPORTED, INCOMPLETE

pytestmark = pytest.mark.libreoffice

EXAMPLES = REPO / "content" / "disinfectant"
SKIN, DEVICE, RENEWAL = "skin-ethanol", "plasma-air-device", "iodophor-renewal"
MM = 72 / 25.4


def pdf_text(path: Path) -> str:
    """Text of a PDF in drawing order, all whitespace removed (labels wrap across lines in table cells)."""
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


PRODUCTS = (SKIN, DEVICE, RENEWAL, INCOMPLETE, IMPORTED)


def test_every_document_is_written(filings: dict[str, Path]) -> None:
    for slug in PRODUCTS:
        names = ["annex2-test-items", "annex3-evaluation-report", "annex4-filing-form", "annex5-certificate-draft"]
        if slug != DEVICE:
            names.append("annex1-formula")
        for name in names:
            for suffix in (".docx", ".pdf"):
                assert f"{slug}-{name}{suffix}" in filings
        assert f"{slug}-filing.pdf" in filings
    assert f"{DEVICE}-annex1-formula.docx" not in filings


def test_incomplete_reports_turn_question_4_and_conclusion_to_no_and_nothing_else(filings: dict[str, Path]) -> None:
    document = Document(str(filings[f"{INCOMPLETE}-annex3-evaluation-report.docx"]))
    rows = {row.cells[0].text: row.cells for row in document.tables[1].rows}
    assert rows["4."][2].text == "是( )否(√)" and rows["13."][2].text == "是( )否(√)"
    assert rows["4."][1].text == "检验项目是否齐全"  # the finding is not written into the form
    text = pdf_text(filings[f"{INCOMPLETE}-annex3-evaluation-report.pdf"])
    assert text.count("否(√)") == 3 and "缺少" not in text and "pH值测定" not in text
    matrix = pdf_text(filings[f"{INCOMPLETE}-annex2-test-items.pdf"])  # the working matrix shows it
    assert "检验项目是否齐全：否（缺少：pH值测定）" in matrix and "缺项" in matrix


def test_no_text_that_is_not_in_the_form(filings: dict[str, Path]) -> None:
    for slug in PRODUCTS:
        for name in ("annex1-formula", "annex3-evaluation-report", "annex4-filing-form", "annex5-certificate-draft"):
            if f"{slug}-{name}.pdf" in filings:
                text = pdf_text(filings[f"{slug}-{name}.pdf"])
                for added in ("不适用", "预填草稿", "缺少", "合计", "允许偏差", "☑", "☐"):
                    assert added not in text, (slug, name, added)


def test_the_plasma_device_matrix_shows_the_table_value_and_the_note(filings: dict[str, Path]) -> None:
    matrix = pdf_text(filings[f"{DEVICE}-annex2-test-items.pdf"])
    assert "毒理学安全性检测+（按表2注⑥无适用项目）" in matrix
    assert "本判定需法规负责人确认（假定“器械生成化学消毒液（亦即产生化学杀微生物因子）”不成立）" in matrix


def test_renewal_binds_the_sampling_evidence_after_the_reports(filings: dict[str, Path]) -> None:
    reader = PdfReader(filings[f"{RENEWAL}-filing.pdf"])
    outline = _outline(reader)
    reports, standard = outline[2][1], outline[3][1]
    assert outline[2][0].startswith("（二）") and standard - reports == 2  # report + evidence
    matrix = pdf_text(filings[f"{RENEWAL}-annex2-test-items.pdf"])
    assert "pH值测定+" in matrix and "免检" in matrix and "外观+（按第十四条只作关键项目）" in matrix


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


@pytest.mark.parametrize(
    "slug, sections",
    [
        (SKIN, ["（一）", "（二）", "（三）", "（四）", "（六）"]),
        (DEVICE, ["（一）", "（二）", "（三）", "（四）", "（七）"]),
        (IMPORTED, ["（一）", "（二）", "（三）", "（五）", "（六）"]),
    ],
)
def test_filing_bookmarks_in_order(filings: dict[str, Path], slug: str, sections: list[str]) -> None:
    reader = PdfReader(filings[f"{slug}-filing.pdf"])
    outline = _outline(reader)
    assert outline[0] == (reg.annex3().title, 0)
    assert [title[:3] for title, _ in outline[1:]] == sections
    pages = [page for _, page in outline]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)
    annex3_pages = len(PdfReader(filings[f"{slug}-annex3-evaluation-report.pdf"]).pages)
    assert pages[1] == annex3_pages


@pytest.mark.parametrize("slug", [SKIN, DEVICE])
def test_filing_pages_are_a4_and_numbered(filings: dict[str, Path], slug: str) -> None:
    reader = PdfReader(filings[f"{slug}-filing.pdf"])
    for number, page in enumerate(reader.pages, start=1):
        width, height = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1
        assert f"- {number} -" in page.extract_text()
    assert reader.page_labels == [str(n) for n in range(1, len(reader.pages) + 1)]


def _red_share(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    data = image.crop(box).convert("RGB").tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    red = sum(1 for r, g, b in pixels if r > 150 and g < 110 and b < 110)
    return red / len(pixels)


@pytest.mark.parametrize("slug, cross", [(SKIN, True), (DEVICE, False)])
def test_seal_on_every_page_and_cross_page_seal(filings: dict[str, Path], slug: str, cross: bool, tmp_path: Path) -> None:
    filing = filings[f"{slug}-filing.pdf"]
    subprocess.run(["pdftoppm", "-r", "36", "-png", str(filing), str(tmp_path / "p")], check=True)
    renders = sorted(tmp_path.glob("p-*.png"))
    assert len(renders) == len(PdfReader(filing).pages)
    scale = 36 / 72 * MM  # pixels per millimetre
    for render in renders:
        image = Image.open(render)
        h = image.height
        seal = (int(145 * scale), int(h - (18 + 38) * scale), int((145 + 38) * scale), int(h - 18 * scale))
        assert _red_share(image, seal) > 0.05, render.name
        edge = (image.width - 2, int(h - 170 * scale), image.width, int(h - 130 * scale))
        assert (_red_share(image, edge) > 0) == cross, render.name


def test_builds_are_byte_reproducible(filing_workspace: Path, filings: dict[str, Path], tmp_path: Path) -> None:
    # LibreOffice's PDF of a document depends on what the same process converted before it, so
    # the same workspace (same batch) is rebuilt, not a single product.
    again = build_filings(load_products(filing_workspace), tmp_path)
    assert len(again) == len(filings)
    for path in again:
        assert path.read_bytes() == filings[path.name].read_bytes(), path.name


def test_cli_build_one_product(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["disinfectant", "build", str(EXAMPLES / DEVICE / "product.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    listed = [Path(line) for line in result.stdout.splitlines()]
    assert out / DEVICE / f"{DEVICE}-filing.pdf" in listed
    assert all(path.is_file() for path in listed) and len(listed) == 9
    # evaluated 2024 with the 2014 rules: the build says WS 628—2018 replaced their technical content
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("warning: ") and f"{DEVICE}/product.yaml:32: evaluation.date: rule set ws2014: WS 628—2018" in warning


@pytest.mark.parametrize("slug", [SKIN, DEVICE, RENEWAL])
def test_page_numbers_sit_in_a_band_clear_of_attachment_content(filings: dict[str, Path], slug: str, tmp_path: Path) -> None:
    """Fault: the number of page 9 sat inside the frame of an A4 attachment (the standard)."""
    filing = filings[f"{slug}-filing.pdf"]
    subprocess.run(["pdftoppm", "-r", "72", "-gray", str(filing), str(tmp_path / "p")], check=True)
    band = round(BAND)  # points = pixels at 72 dpi
    for render in sorted(tmp_path.glob("p-*.pgm")):
        image = Image.open(render)
        width, height = image.size
        number = (width // 2 - 40, height - band, width // 2 + 40, height)  # "- n -", centred
        pixels = image.load()
        dark = [(x, y) for y in range(height - band, height) for x in range(width) if pixels[x, y] < 200]
        assert dark, f"{render.name}: no page number"
        outside = [(x, y) for x, y in dark if not (number[0] <= x < number[2])]
        assert not outside, f"{render.name}: content in the page-number band at {outside[:3]}"
