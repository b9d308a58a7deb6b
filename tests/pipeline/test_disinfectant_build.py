"""Building the example filings: Annex 1-5 documents and the bound, sealed filing PDF.

One LibreOffice batch (session fixture) builds both examples plus an incomplete variant.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from PIL import Image
from pypdf import PdfReader

from dossier.cli import cli
from dossier.disinfectant import forms
from dossier.disinfectant.workspace import load_products
from dossier.pipeline.filings import build_filings
from tests.conftest import REPO

pytestmark = pytest.mark.libreoffice

EXAMPLES = REPO / "content" / "disinfectant"
SKIN, DEVICE, INCOMPLETE = "skin-ethanol", "plasma-air-device", "skin-ethanol-no-ph"
PH_ITEM = """      - item: pH值测定
        result: pH 6.9（25 ℃）
        conclusion: 合格
"""
MM = 72 / 25.4


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workspace")
    (root / "content").mkdir()
    shutil.copytree(EXAMPLES, root / "content" / "disinfectant")
    shutil.copytree(EXAMPLES / SKIN, root / "content" / "disinfectant" / INCOMPLETE)
    product = root / "content" / "disinfectant" / INCOMPLETE / "product.yaml"
    text = product.read_text(encoding="utf-8")
    assert PH_ITEM in text
    product.write_text(text.replace(PH_ITEM, ""), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def built(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    written = build_filings(load_products(workspace), out)
    return {p.name: p for p in written}


def pdf_text(path: Path) -> str:
    """Text of a PDF in drawing order, all whitespace removed (labels wrap across lines in table cells)."""
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_document_is_written(built: dict[str, Path]) -> None:
    for slug in (SKIN, DEVICE, INCOMPLETE):
        names = ["annex2-test-items", "annex3-evaluation-report", "annex4-filing-form", "annex5-certificate-draft"]
        if slug != DEVICE:
            names.append("annex1-formula")
        for name in names:
            for suffix in (".docx", ".pdf"):
                assert f"{slug}-{name}{suffix}" in built
        assert f"{slug}-filing.pdf" in built
    assert f"{DEVICE}-annex1-formula.docx" not in built


ANNEX3_LABELS = (
    forms.ANNEX3_TITLE,
    *forms.ANNEX3_COVER,
    forms.ANNEX3_PART1,
    forms.ANNEX3_PART2,
    *(label for pair in forms.ANNEX3_BASIC for label in pair if label),
    *(q.label for q in forms.QUESTIONS),
    *forms.CLASS_CHOICES,
    forms.ANNEX3_PLEDGE,
    forms.ANNEX3_REMARKS_TITLE,
    *forms.ANNEX3_REMARKS,
    *(m.number + m.title for m in forms.MATERIALS),
)
ANNEX4_LABELS = (
    forms.ANNEX4_TITLE,
    *forms.ANNEX4_LABELS,
    forms.ANNEX4_GUARANTEE,
    forms.ANNEX4_SIGN,
    *forms.ANNEX4_APPLICANT,
    *forms.ANNEX4_NOTES,
)
ANNEX5_LABELS = (
    forms.ANNEX5_TITLE,
    *forms.ANNEX5_RECEIVED,
    *forms.ANNEX5_FIELDS,
    forms.ANNEX5_DISCLAIMER,
    forms.ANNEX5_SEAL,
    *forms.CLASS_CHOICES,
)


@pytest.mark.parametrize("slug", [SKIN, DEVICE])
@pytest.mark.parametrize(
    "document, labels",
    [
        ("annex3-evaluation-report", ANNEX3_LABELS),
        ("annex4-filing-form", ANNEX4_LABELS),
        ("annex5-certificate-draft", ANNEX5_LABELS),
        ("filing", ANNEX3_LABELS),
    ],
)
def test_every_form_label_is_in_the_pdf_text(built: dict[str, Path], slug: str, document: str, labels: tuple) -> None:
    text = pdf_text(built[f"{slug}-{document}.pdf"])
    missing = [label for label in labels if squash(label) not in text]
    assert not missing


def test_regulation_wording_is_verbatim_in_forms() -> None:
    regulation = squash(
        (REPO / "docs" / "regulations" / "disinfectant-hygiene-safety-evaluation-2014.md")
        .read_text(encoding="utf-8")
    )
    for label in (*ANNEX3_LABELS, *ANNEX5_LABELS, forms.ANNEX4_GUARANTEE, forms.ANNEX4_SIGN, *forms.ANNEX4_NOTES):
        assert squash(label).lstrip("1234.") in regulation, label


def test_annex3_answers_and_filled_values(built: dict[str, Path]) -> None:
    skin = pdf_text(built[f"{SKIN}-annex3-evaluation-report.pdf"])
    assert "第一类☑第二类☐" in skin
    assert skin.count("否☑") == 1  # question 8: no prohibited raw material
    assert "示例牌75%乙醇皮肤消毒液" in skin and "苏卫消证字（2021）第3205-0088号" in skin
    assert "评价日期：2024年5月20日" in skin
    device = pdf_text(built[f"{DEVICE}-annex3-evaluation-report.pdf"])
    assert "第一类☐第二类☑" in device and "（七）消毒器械元器件、结构图。" in device
    assert device.count("（不适用）") == 3  # questions 8, 9, 12 have no formula to judge


def test_incomplete_reports_turn_question_4_and_conclusion_to_no(built: dict[str, Path]) -> None:
    document = Document(str(built[f"{INCOMPLETE}-annex3-evaluation-report.docx"]))
    rows = {row.cells[0].text: row.cells for row in document.tables[1].rows}
    assert rows["4"][2].text == "是☐　否☑"
    assert "缺少：pH值测定" in rows["4"][1].text
    assert rows["13"][2].text == "是☐　否☑"
    text = pdf_text(built[f"{INCOMPLETE}-annex3-evaluation-report.pdf"])
    assert text.count("否☑") == 3 and "缺少：pH值测定" in text
    matrix = pdf_text(built[f"{INCOMPLETE}-annex2-test-items.pdf"])
    assert "检验项目是否齐全：否（缺少：pH值测定）" in matrix and "缺项" in matrix


def test_annex4_and_annex5_values(built: dict[str, Path]) -> None:
    annex4 = pdf_text(built[f"{SKIN}-annex4-filing-form.pdf"])
    assert "第一类产品" in annex4 and "215000" in annex4
    annex5 = pdf_text(built[f"{DEVICE}-annex5-certificate-draft.pdf"])
    assert "示例医疗科技有限公司：" in annex5
    assert "收到你单位销售的示例牌等离子体空气消毒机《消毒产品卫生安全评价报告》。" in annex5
    assert "产品执行标准号（国产产品为备案企业标准号）：Q/320500SL002-2024" in annex5
    assert "产品类别：第一类☐第二类☑" in annex5


def test_annex1_formula(built: dict[str, Path]) -> None:
    text = pdf_text(built[f"{SKIN}-annex1-formula.pdf"])
    for header in forms.ANNEX1_HEADERS:
        assert squash(header) in text
    assert "64-17-5" in text and "7732-18-5" in text and "合计" in text


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


@pytest.mark.parametrize(
    "slug, sections",
    [
        (SKIN, ["（一）", "（二）", "（三）", "（四）", "（六）"]),
        (DEVICE, ["（一）", "（二）", "（三）", "（四）", "（七）"]),
    ],
)
def test_filing_bookmarks_in_order(built: dict[str, Path], slug: str, sections: list[str]) -> None:
    reader = PdfReader(built[f"{slug}-filing.pdf"])
    outline = _outline(reader)
    assert outline[0] == (forms.ANNEX3_TITLE, 0)
    assert [title[:3] for title, _ in outline[1:]] == sections
    pages = [page for _, page in outline]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)
    annex3_pages = len(PdfReader(built[f"{slug}-annex3-evaluation-report.pdf"]).pages)
    assert pages[1] == annex3_pages


@pytest.mark.parametrize("slug", [SKIN, DEVICE])
def test_filing_pages_are_a4_and_numbered(built: dict[str, Path], slug: str) -> None:
    reader = PdfReader(built[f"{slug}-filing.pdf"])
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
def test_seal_on_every_page_and_cross_page_seal(built: dict[str, Path], slug: str, cross: bool, tmp_path: Path) -> None:
    filing = built[f"{slug}-filing.pdf"]
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


def test_builds_are_byte_reproducible(workspace: Path, built: dict[str, Path], tmp_path: Path) -> None:
    # LibreOffice's PDF of a document depends on what the same process converted before it, so
    # the same workspace (same batch) is rebuilt, not a single product.
    again = build_filings(load_products(workspace), tmp_path)
    assert len(again) == len(built)
    for path in again:
        assert path.read_bytes() == built[path.name].read_bytes(), path.name


def test_cli_build_one_product(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["disinfectant", "build", str(EXAMPLES / DEVICE / "product.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    listed = [Path(line) for line in result.output.splitlines()]
    assert out / DEVICE / f"{DEVICE}-filing.pdf" in listed
    assert all(path.is_file() for path in listed) and len(listed) == 9
