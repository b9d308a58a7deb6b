"""Issue 13, case 2 for templates: a workspace template's own pictures (a logo in the page header)
are shown upright, their drawn size turned with them."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.shared import Cm
from PIL import Image

from dossier.word.templating import Template, upright_images
from tests.layout_support import sideways_jpeg


def test_a_sideways_logo_in_a_template_header_is_turned_upright(tmp_path: Path) -> None:
    template = docx.Document()
    template.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(sideways_jpeg(400, 200, 6)), width=Cm(4))
    template.add_paragraph("{{p body }}")
    template.save(tmp_path / "t.docx")
    tpl = Template(str(tmp_path / "t.docx"))
    assert upright_images(tpl.get_docx()) == 1
    header = tpl.get_docx().sections[0].header
    (shape,) = header.part.element.xpath(".//wp:extent")
    assert (int(shape.get("cx")), int(shape.get("cy"))) == (Cm(2), Cm(4))  # drawn 4 × 2 cm as stored, now 2 × 4
    embed = header.part.element.xpath(".//a:blip/@r:embed")[0]
    image = Image.open(io.BytesIO(header.part.related_parts[embed].blob))
    assert image.size == (200, 400) and image.getexif().get(0x0112, 1) == 1
    assert upright_images(tpl.get_docx()) == 0  # already upright: nothing more to do
