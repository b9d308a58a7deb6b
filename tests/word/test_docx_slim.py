"""Output .docx files carry only the styles they use and no surplus parts (faster LibreOffice import)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from dossier.word.document import docx_bytes, drop_unused_styles

DOCUMENTS = ["QM-01", "QP-04", "QR-12-01", "VP-12-01"]


def _style_ids(styles_xml: bytes) -> set[str]:
    return set(re.findall(rb'<w:style [^>]*w:styleId="([^"]+)"', styles_xml))


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_built_docx_keeps_exactly_the_styles_in_use(example_build: Path, doc_id: str) -> None:
    package = zipfile.ZipFile(example_build / "build" / f"{doc_id}.docx")
    names = package.namelist()
    assert "word/stylesWithEffects.xml" not in names
    assert "docProps/thumbnail.jpeg" not in names
    defined = _style_ids(package.read("word/styles.xml"))
    used = set()
    for name in names:
        if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
            used |= set(re.findall(rb'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', package.read(name)))
    assert used <= defined  # nothing in use was dropped
    assert b"Heading1" in used and b"TableGrid" in defined
    assert len(defined) < 40  # the template's stock styles (170) are gone


def test_styles_that_used_styles_build_on_are_kept() -> None:
    document = docx.Document()
    styles = document.styles
    base = styles.add_style("Base Label", WD_STYLE_TYPE.PARAGRAPH)
    label = styles.add_style("Derived Label", WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = base
    styles.add_style("Never Used", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("正文", style="Derived Label")
    drop_unused_styles(document)
    names = {style.get(qn("w:styleId")) for style in styles.element.findall(qn("w:style"))}
    assert {"DerivedLabel", "BaseLabel", "Normal"} <= names  # Normal: the default paragraph style
    assert "NeverUsed" not in names and "Heading1" not in names
    package = zipfile.ZipFile(io.BytesIO(docx_bytes(document)))
    assert "word/stylesWithEffects.xml" not in package.namelist()
    assert docx.Document(io.BytesIO(docx_bytes(document))).paragraphs[0].style.name == "Derived Label"


@pytest.mark.parametrize("spelling", ["1", "true", "on"])
def test_default_styles_stay_however_default_is_spelled(spelling: str) -> None:
    document = docx.Document()
    for style in document.styles.element.findall(qn("w:style")):
        if style.get(qn("w:default")) == "1":
            style.set(qn("w:default"), spelling)
    drop_unused_styles(document)
    kept = {style.get(qn("w:styleId")) for style in document.styles.element.findall(qn("w:style"))}
    assert {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"} <= kept
