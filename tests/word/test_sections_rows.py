"""Issue 13: the body area of a section, landscape sections with widened headers, rows kept whole
only where they fit, and page breaks next to section breaks (dossier.word.sections, .rows)."""

from __future__ import annotations

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dossier.markdown import display_width
from dossier.word.rows import FIT_SHARE, release_tall_rows, row_fits, text_height
from dossier.word.sections import page_of, section_break, tidy_breaks
from dossier.word.templates import PACKAGE_TEMPLATES


def test_body_area_leaves_out_a_header_taller_than_the_top_margin() -> None:
    template = docx.Document(str(PACKAGE_TEMPLATES / "procedure.docx"))
    page = page_of(template)
    assert (page.width, page.height) == (pytest.approx(Cm(21), abs=1000), pytest.approx(Cm(29.7), abs=1000))
    assert page.header > page.top  # the header band reaches below the 2.2 cm top margin
    assert page.body_height == page.height - page.header - max(page.bottom, page.footer)
    assert Cm(21) < page.body_height < Cm(25.5)
    assert page.body_width == pytest.approx(Cm(21 - 2.5 - 2.0), abs=1000)
    turned = page.turned(True)
    assert turned.landscape and turned.body_width == pytest.approx(Cm(29.7 - 4.5), abs=1000)


def test_a_landscape_section_gets_a_header_band_as_wide_as_its_body() -> None:
    template = docx.Document(str(PACKAGE_TEMPLATES / "procedure.docx"))
    section_break(template, landscape=False)
    template.add_paragraph("宽内容")
    section_break(template, landscape=True)
    section_break(template, landscape=True)  # a second landscape section reuses the widened header
    sections = template.sections
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.LANDSCAPE,
                                                 WD_ORIENT.PORTRAIT]
    portrait, landscape = sections[0].header.tables[0], sections[1].header.tables[0]
    widths = [sum(int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.findall(qn("w:gridCol"))) for t in (portrait, landscape)]
    assert widths == [round(Cm(16.5).twips), round(Cm(25.2).twips)] or abs(widths[1] - Cm(25.2).twips) < 10
    assert sections[1].header.part is sections[2].header.part is not sections[0].header.part
    assert "{{ doc.title }}" in "".join(c.text for c in landscape.rows[1].cells)


def test_row_height_estimate_errs_high() -> None:
    width = Cm(8)
    text = "第001句。" * 300
    lines = display_width(text) / (width / (Pt(11) / 2))
    assert text_height([(text, 11.0)], width) >= lines * Pt(11) * 1.3
    assert row_fits([([("短", 11.0)], width, 0)], Cm(23))
    assert not row_fits([([(text, 11.0)], width, 0)], Cm(23))
    assert not row_fits([([("图", 11.0)], width, int(Cm(23) * FIT_SHARE))], Cm(23))  # a picture counts


def test_release_tall_rows_keeps_only_rows_known_to_fit() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(1, 1).text = "第001句。" * 600
    table.cell(2, 1).text = "短"
    for row in table.rows:
        row._tr.get_or_add_trPr().append(docx.oxml.OxmlElement("w:cantSplit"))
    assert release_tall_rows(document) == 1
    assert [row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows] == [True, False, True]


def test_no_page_break_is_left_next_to_a_section_break() -> None:
    document = docx.Document()
    document.add_paragraph("甲")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # before an empty section-break paragraph
    section_break(document, landscape=True)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # first in a new section
    document.add_paragraph("乙")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # between text: stays
    document.add_paragraph("丙")
    tidy_breaks(document.element.body)
    kinds = ["break" if p._p.xpath(".//w:br[@w:type='page']") else "section" if p._p.xpath("./w:pPr/w:sectPr") else p.text
             for p in document.paragraphs]
    assert kinds == ["甲", "section", "乙", "break", "丙"]
