"""Issue 13: the layout faults found in real use, each built from its input and checked in the
produced .docx XML and in what LibreOffice drew (page sizes, word boxes, pixels).

One workspace holds every input (tests/layout_support.py) and is built once for the module.
"""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from tests.conftest import run_cli
from tests.layout_support import (
    COMPANY,
    POINTS_PER_CM,
    TITLE_60,
    WIDE_COLUMNS,
    Word,
    drawn_images,
    make_workspace,
    page_images,
    pdf_problems,
    words,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LEFT_MARGIN = 2.5 * POINTS_PER_CM


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fault inputs, built once (`dossier build`)."""
    root = make_workspace(tmp_path_factory.mktemp("faults") / "ws")
    result = run_cli("build", str(root))
    assert result.exit_code == 0, result.output
    return root


def _pdf(root: Path, doc_id: str) -> Path:
    return root / "build" / f"{doc_id}.pdf"


def _docx(root: Path, doc_id: str) -> Document:
    return Document(str(root / "build" / f"{doc_id}.docx"))


def _joined(found: list[Word], page: int | None = None) -> str:
    return "".join(w.text for w in found if page is None or w.page == page)


def _page_of(found: list[Word], text: str) -> int:
    return next(w.page for w in found if text in w.text)


def _footer_top(found: list[Word], page: int) -> float:
    """Top of the page footer ("第 N 页 共 M 页") on a page, in points from the top."""
    return min(w.y_min for w in found if w.page == page and w.text == "页" and w.y_min > 500) - 1


def _in_body(found: list[Word], word: Word) -> bool:
    """True for a word between the page header band and the page footer."""
    header = min(w.y_max for w in found if w.page == word.page and w.text == "生效日期")
    return header < word.y_min and word.y_max < _footer_top(found, word.page)


def _render(pdf: Path, page: int) -> Image.Image:
    data = subprocess.run(["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-png", str(pdf)],
                          check=True, capture_output=True).stdout
    return Image.open(io.BytesIO(data)).convert("RGB")


# -- 1. a tall picture fits its page, with its heading and caption -----------------------------------


def test_tall_picture_is_scaled_to_the_body_area_and_keeps_heading_and_caption_on_its_page(built: Path) -> None:
    document = _docx(built, "QP-21")
    shape = document.inline_shapes[0]
    section = document.sections[-1]
    assert shape.height < section.page_height - section.top_margin - section.bottom_margin
    assert shape.width / shape.height == pytest.approx(1080 / 2400, rel=0.01)
    found, pages = words(_pdf(built, "QP-21"))
    heading, caption = _page_of(found, "操作界面"), _page_of(found, "设备操作界面截图")
    assert heading == caption
    tall = [page for page, width, height in drawn_images(_pdf(built, "QP-21")) if height > 2 * width]
    assert tall == [caption]
    caption_box = next(w for w in found if "设备操作界面截图" in w.text)
    assert caption_box.y_max < _footer_top(found, caption)


# -- 2. photos are upright -------------------------------------------------------------------------


def _photo_part(root: Path) -> Image.Image:
    with zipfile.ZipFile(root / "build" / "QP-21.docx") as package:
        media = [name for name in package.namelist() if name.startswith("word/media/") and name.endswith((".jpg", ".jpeg"))]
        assert len(media) == 1
        return Image.open(io.BytesIO(package.read(media[0])))


def test_sideways_photo_is_turned_upright_with_its_extent_swapped(built: Path, tmp_path: Path) -> None:
    image = _photo_part(built)
    assert image.size == (200, 400)
    assert image.getexif().get(0x0112, 1) == 1
    red, grey = image.convert("RGB").getpixel((195, 200)), image.convert("RGB").getpixel((5, 200))
    assert red[0] > 180 and red[1] < 80  # the stored top row is the right edge, as the tag says
    assert grey[0] > 180 and grey[1] > 180
    shape = _docx(built, "QP-21").inline_shapes[1]
    assert (shape.width, shape.height) == (Cm(200 / 72 * 2.54), Cm(400 / 72 * 2.54)) or shape.height == 2 * shape.width
    pdf = _pdf(built, "QP-21")
    (page,) = [page for page, width, height in drawn_images(pdf) if (width, height) == (200, 400)]
    (drawn,) = page_images(pdf, page, tmp_path)
    assert drawn.getpixel((195, 200))[0] > 180 and drawn.getpixel((195, 200))[1] < 80


# -- 3. no text lost in rows taller than a page ------------------------------------------------------


def test_rows_taller_than_a_page_split_and_lose_nothing(built: Path) -> None:
    document = _docx(built, "QP-26")
    rows = list(document.element.body.iter(qn("w:tr")))
    long_rows = [tr for tr in rows if len("".join(tr.itertext())) > 1000]
    assert len(long_rows) == 4  # the 300, 450, 900 sentence rows and the revision history row
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None for tr in long_rows)
    short_rows = [tr for tr in rows if "".join(tr.itertext()).endswith("短")]
    assert short_rows and all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in short_rows)
    pdf = _pdf(built, "QP-26")
    found, _ = words(pdf)
    body = sorted((w for w in found if _in_body(found, w)), key=lambda w: (w.page, round(w.y_min), w.x_min))
    text = "".join(char for w in body if not w.text.startswith(("修订", "序号"))  # not the repeated header rows
                   for char in w.text if char in "甲第丙修0123456789句。")  # the rows' sentences
    for prefix, count in (("甲", 300), ("第", 450), ("丙", 900), ("修", 700)):
        position = 0
        for number in range(1, count + 1):
            sentence = f"{prefix}{number:03d}句。"
            position = text.find(sentence, position)
            assert position >= 0, f"{sentence} is missing from the PDF"
    for word in found:
        if "句" in word.text:
            assert word.y_max <= _footer_top(found, word.page), f"{word.text[:12]} on page {word.page} runs into the footer"


# -- 4. emphasis beside Chinese punctuation -----------------------------------------------------------


def test_bold_and_italic_beside_chinese_punctuation(built: Path) -> None:
    paragraphs = _docx(built, "QP-22").paragraphs
    runs = [(run.text, bool(run.bold), bool(run.italic)) for p in paragraphs for run in p.runs]
    assert ("注意：", True, False) in runs
    assert ("“受控”", True, False) in runs
    assert ("（试行）", False, True) in runs
    text = _joined(words(_pdf(built, "QP-22"))[0])
    assert "注意：操作前必须佩戴手套。" in text and "标识为“受控”的副本" in text and "*" not in text


# -- 5. footnotes at the page foot ------------------------------------------------------------------


def test_footnote_is_a_word_footnote_printed_at_the_page_foot(built: Path) -> None:
    with zipfile.ZipFile(built / "build" / "QP-22.docx") as package:
        notes = etree.fromstring(package.read("word/footnotes.xml"))
        body = etree.fromstring(package.read("word/document.xml"))
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert "relationships/footnotes" in rels
    types = [note.get(f"{{{W}}}type") for note in notes]
    assert types[:2] == ["separator", "continuationSeparator"]
    (note,) = [n for n in notes if n.get(f"{{{W}}}type") is None]
    assert "".join(note.itertext()).strip() == "国家药品监督管理局公告2025年第107号。"
    assert [r.get(f"{{{W}}}id") for r in body.iter(f"{{{W}}}footnoteReference")] == [note.get(f"{{{W}}}id")]
    assert "国家药品" not in "".join(body.itertext())  # not a list item after the bullets
    found, pages = words(_pdf(built, "QP-22"))
    reference = next(w for w in found if w.text.startswith("发放按国家规定执行"))
    note_words = [w for w in found if "国家药品监督管理局公告" in w.text]
    assert len(note_words) == 1 and note_words[0].page == reference.page
    note_line = [w for w in found if w.page == reference.page and abs(w.y_min - note_words[0].y_min) < 3]
    assert note_line[0].text == "1"  # the note's number, not "1." of a list
    assert note_words[0].y_min > pages[0][1] * 0.8 and note_words[0].y_max <= _footer_top(found, reference.page)


# -- 6. captions: body face, black, centred, numbered --------------------------------------------


def test_captions_are_numbered_black_and_centred(built: Path) -> None:
    document = _docx(built, "QP-21")
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in captions] == ["图1 设备操作界面截图", "图2 灭菌柜现场照片", "表1 灭菌参数"]
    style = document.styles["Caption"]
    assert not style.font.bold and str(style.font.color.rgb) == "000000" and style.paragraph_format.alignment == 1
    table_caption = captions[2]._p
    assert table_caption.getnext().tag == qn("w:tbl")  # above its table
    instructions = [t.text.strip() for t in document.element.body.iter(qn("w:instrText"))]
    assert instructions == ["SEQ 图 \\* ARABIC", "SEQ 图 \\* ARABIC", "SEQ 表 \\* ARABIC"]
    pdf = _pdf(built, "QP-21")
    found, pages = words(pdf)
    text = _joined(found)
    assert "图1设备操作界面截图" in text and "图2灭菌柜现场照片" in text and "表1灭菌参数" in text
    for title in ("设备操作界面截图", "灭菌柜现场照片", "灭菌参数"):
        box = next(w for w in found if w.text == title)
        label = next(w for w in found if w.page == box.page and abs(w.y_min - box.y_min) < 2 and w.text in ("图", "表"))
        middle = (label.x_min + box.x_max) / 2
        assert middle == pytest.approx(LEFT_MARGIN + 16.5 * POINTS_PER_CM / 2, abs=6), title  # centred on the text
        data = _render(pdf, box.page).crop((int(box.x_min), int(box.y_min), int(box.x_max), int(box.y_max))).tobytes()
        assert all(max(data[i:i + 3]) - min(data[i:i + 3]) < 40 for i in range(0, len(data), 3)), f"{title} is in colour"


# -- 7. typed heading numbers: warned; automatic numbering can be switched off or set to 第一章 ----


def test_typed_heading_numbers_are_warned_and_numbering_styles_apply(built: Path) -> None:
    result = run_cli("check", str(built))
    assert result.exit_code == 0
    assert ("warning: content/QP-23.md:3: body: heading “1.1 条款1” starts with a section number (1.1)"
            in result.output)
    assert "QP-24" not in result.output  # numbering_style: none, the typed numbers are wanted
    headings = lambda doc_id: [p.text for p in _docx(built, doc_id).paragraphs if p.style.name.startswith("Heading")]  # noqa: E731
    assert headings("QP-23") == ["1 总则", "1.1 1.1 条款1"]
    assert headings("QP-24") == ["总则", "1.1 条款1"]
    assert headings("QP-25") == ["第一章\u3000总则", "第一节\u3000适用范围", "一、细则", "第二章\u3000附则"]
    text = _joined(words(_pdf(built, "QP-25"))[0])
    assert "第一章总则" in text and "第一节适用范围" in text and "一、细则" in text and "第二章附则" in text
    assert "1.1条款1" in _joined(words(_pdf(built, "QP-24"))[0]) and "1总则" not in _joined(words(_pdf(built, "QP-24"))[0])


# -- 8. wide tables and forms --------------------------------------------------------------------


def _landscape_pages(pdf: Path) -> list[bool]:
    return [float(p.mediabox.width) > float(p.mediabox.height) for p in PdfReader(pdf).pages]


def test_wide_form_is_landscape_from_title_to_note_with_a_header_band_as_wide(built: Path) -> None:
    pdf = _pdf(built, "QR-21-01")
    assert _landscape_pages(pdf) == [True, True, False]  # two landscape pages, then the approval page
    found, pages = words(pdf)
    assert _page_of(found, "洁净区清洁消毒记录") == 1 and _page_of(found, "区域/房间") == 1
    assert _page_of(found, "空行划一斜线") == 2 and _page_of(found, "表单审批") == 3
    for page in (1, 2):
        company = next(w for w in found if w.page == page and w.text == COMPANY)
        assert (company.x_min + company.x_max) / 2 == pytest.approx(pages[page - 1][0] / 2 + 0.25 * POINTS_PER_CM, abs=8)
        label = next(w for w in found if w.page == page and w.text == "生效日期")
        assert label.x_min > 0.6 * pages[page - 1][0]  # the band spans the landscape body
    document = _docx(built, "QR-21-01")
    assert [s.orientation for s in document.sections] == [WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    header = document.sections[0].header.tables[0]
    grid = sum(int(c.get(qn("w:w"))) for c in header._tbl.tblGrid.findall(qn("w:gridCol")))
    assert grid == pytest.approx(Cm(29.7 - 4.5).twips, abs=20)
    grid_table = max(document.tables, key=lambda t: len(t.rows))
    assert [c.text for c in grid_table.rows[0].cells] == WIDE_COLUMNS and len(grid_table.rows) == 21
    fields = next(t for t in document.tables if t.cell(0, 0).text == "区域/房间")
    widths = [int(c.get(qn("w:w"))) for c in fields._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert all(width >= Cm(4).twips - 2 for width in widths[1::2])  # room to write each value


def test_wide_markdown_table_gets_a_landscape_section_aligned_with_the_margins(built: Path) -> None:
    document = _docx(built, "QP-27")
    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    table = document.tables[-1]
    assert table._tbl.tblPr.find(qn("w:jc")).get(qn("w:val")) == "center"
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) == pytest.approx(Cm(29.7 - 4.5).twips, abs=20) and len(grid) == 12
    pdf = _pdf(built, "QP-27")
    found, pages = words(pdf)
    page = _page_of(found, "112")  # the cell of row 1, column 12
    assert _landscape_pages(pdf)[page - 1] and not _landscape_pages(pdf)[_page_of(found, "正文在表前") - 1]
    assert not _landscape_pages(pdf)[_page_of(found, "正文在表后") - 1]
    cells = [w for w in found if w.page == page and w.text == "内容"]
    columns = sorted({round(w.x_min) for w in cells})
    assert len(columns) == 12
    assert LEFT_MARGIN + 2 < columns[0] < LEFT_MARGIN + 10  # inside the first cell, not left of the margin
    assert max(w.x_max for w in found if w.page == page and w.text == "112") < pages[page - 1][0] - 2.0 * POINTS_PER_CM
    lines = [w for w in found if w.page == page and w.text.startswith("较长")]
    assert all(len(w.text) >= 4 for w in lines)  # four characters a line, not one


def test_portrait_tables_align_with_the_text_margin(built: Path) -> None:
    found, _ = words(_pdf(built, "QP-21"))
    cell = next(w for w in found if w.text == "项目")
    assert LEFT_MARGIN + 2 < cell.x_min < LEFT_MARGIN + 10


# -- 9. a long title ------------------------------------------------------------------------------


def test_long_title_is_shown_whole_in_the_header_and_check_gives_the_limit(built: Path) -> None:
    assert len(TITLE_60) == 60
    result = run_cli("check", str(built))
    assert "warning: content/QP-28.yaml:2: title: 60 characters; the page header shows at most 44" in result.output
    found, _ = words(_pdf(built, "QP-28"))
    for page in (1, 2):
        header = "".join(w.text for w in found if w.page == page and w.y_max < 120 and set(w.text) <= set(TITLE_60))
        assert header == TITLE_60


# -- 11. every PDF is sound -------------------------------------------------------------------------


def test_every_pdf_of_the_fault_build_is_sound(built: Path) -> None:
    pdfs = sorted((built / "build").rglob("*.pdf"))
    assert len(pdfs) >= 11
    assert {pdf.name: pdf_problems(pdf) for pdf in pdfs} == {pdf.name: [] for pdf in pdfs}


def test_every_docx_of_the_fault_build_is_valid_office_open_xml(built: Path) -> None:
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator()
    for path in sorted((built / "build").glob("*.docx")):
        result = validator.validate(str(path))
        assert result.is_valid, (path.name, [str(e) for e in result.errors][:5])


def test_build_reports_the_warnings_too(built: Path) -> None:
    result = run_cli("build", str(built), "--json")  # everything is up to date: no conversion
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert any(w.startswith("content/QP-28.yaml:2: title: 60 characters") for w in summary["warnings"])
    assert any(line.startswith("warning: content/QP-23.md:3: body: heading") for line in result.stderr.splitlines())
