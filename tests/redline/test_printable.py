"""Issue 13, case 10: the printable copy of a redline (tracked changes drawn as formatting)."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from dossier.redline.printable import DELETED_COLOUR, INSERTED_COLOUR, printable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
NUMBERING = (f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
             '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
             '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num></w:numbering>')
ITEM = '<w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr>{mark}</w:pPr>'
MARK = '<w:rPr><w:{kind} w:id="9" w:author="a"/></w:rPr>'
BODY = (
    f'<w:document xmlns:w="{W}"><w:body>'
    '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>2 程序</w:t></w:r></w:p>'
    f'<w:p>{ITEM.format(mark=MARK.format(kind="ins"))}<w:ins w:id="1" w:author="a"><w:r><w:t>新增项</w:t></w:r></w:ins></w:p>'
    f'<w:p>{ITEM.format(mark="")}<w:r><w:t>不变项</w:t></w:r></w:p>'
    f'<w:p>{ITEM.format(mark=MARK.format(kind="del"))}<w:del w:id="2" w:author="a"><w:r><w:delText>删除项</w:delText></w:r></w:del></w:p>'
    f'<w:p>{ITEM.format(mark="")}<w:r><w:t>修改</w:t></w:r><w:del w:id="3" w:author="a"><w:r><w:delText>旧</w:delText></w:r></w:del>'
    '<w:ins w:id="4" w:author="a"><w:r><w:t>新</w:t></w:r></w:ins></w:p>'
    '<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id="5" w:author="a"><w:rPr/></w:rPrChange></w:rPr><w:t>加粗</w:t></w:r></w:p>'
    '<w:sectPr/></w:body></w:document>'
)


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/document.xml", BODY)
        package.writestr("word/numbering.xml", NUMBERING)
    return out.getvalue()


def _printed() -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(printable(_docx()))) as package:
        return etree.fromstring(package.read("word/document.xml"))


def test_no_tracked_change_is_left_and_the_text_reads_old_and_new_in_place() -> None:
    body = _printed()
    assert not body.xpath("//w:ins | //w:del | //w:rPrChange | //w:pPrChange | //w:delText", namespaces=NS)
    texts = ["".join(p.xpath(".//w:t/text()", namespaces=NS)) for p in body.iter(f"{{{W}}}p")]
    assert texts == ["2 程序", "新增项", "不变项", "2.\t删除项", "修改旧新", "加粗"]


def test_insertions_are_blue_underlined_and_deletions_red_struck() -> None:
    body = _printed()
    def look(text: str) -> tuple[str | None, bool, bool]:
        run = body.xpath(f"//w:r[w:t='{text}']", namespaces=NS)[0]
        colour = run.xpath("./w:rPr/w:color/@w:val", namespaces=NS)
        return (colour[0] if colour else None, bool(run.xpath("./w:rPr/w:u", namespaces=NS)),
                bool(run.xpath("./w:rPr/w:strike", namespaces=NS)))
    assert look("新增项") == (INSERTED_COLOUR, True, False)
    assert look("删除项") == (DELETED_COLOUR, False, True)
    assert look("不变项") == (None, False, False)


def test_a_deleted_item_shows_its_old_number_and_no_longer_counts() -> None:
    body = _printed()
    deleted = body.xpath("//w:p[.//w:t='删除项']", namespaces=NS)[0]
    assert deleted.xpath("./w:pPr/w:numPr/w:numId/@w:val", namespaces=NS) == ["0"]  # numbering off
    kept = body.xpath("//w:p[.//w:t='不变项']", namespaces=NS)[0]
    assert kept.xpath("./w:pPr/w:numPr/w:numId/@w:val", namespaces=NS) == ["5"]


def test_change_bars_only_beside_changed_paragraphs() -> None:
    body = _printed()
    barred = ["".join(p.xpath(".//w:t/text()", namespaces=NS)) for p in body.iter(f"{{{W}}}p")
              if p.xpath("./w:pPr/w:pBdr/w:left", namespaces=NS)]
    assert barred == ["新增项", "2.\t删除项", "修改旧新", "加粗"]
