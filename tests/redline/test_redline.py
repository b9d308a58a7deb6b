"""Redline unit tests on small documents rendered from Markdown (no LibreOffice).

`resolved()` accepts or rejects every tracked change the way Word does (a paragraph whose mark
is removed joins the next paragraph), so tests can check both directions against the inputs.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path

from docx import Document
from lxml import etree

from dossier.errors import Problems
from dossier.redline import redline, split_tokens
from dossier.redline.summary import Comparison, Revision, summary, summary_sentence
from dossier.word.body import render_markdown
from dossier.word.document import docx_bytes
from dossier.word.package import CoreProperties
from dossier.word.templates import PACKAGE_TEMPLATES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LONG = "操作人员进入洁净区前按规定更衣，洗手后用百分之七十五乙醇溶液消毒双手，经缓冲间进入操作间，并在进入记录上签名。"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def resolved(data: bytes, accept: bool | None = None) -> etree._Element:
    """The document body as is (None), with every change accepted (True) or rejected (False)."""
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find(_w("body"))
    if accept is None:
        return body
    keep, drop = ("ins", "del") if accept else ("del", "ins")
    for tr in list(body.iter(_w("tr"))):
        if tr.find(f"{_w('trPr')}/{_w(drop)}") is not None:
            tr.getparent().remove(tr)
    for node in list(body.iter(_w(drop))):
        if node.getparent().tag not in (_w("rPr"), _w("trPr")):
            node.getparent().remove(node)
    for node in list(body.iter(_w(keep))):
        parent = node.getparent()
        if parent.tag not in (_w("rPr"), _w("trPr")):
            for child in reversed(list(node)):
                node.addnext(child)
        parent.remove(node)
    for text in body.iter(_w("delText")):
        text.tag = _w("t")
    for change in list(body.iter(_w("rPrChange"), _w("pPrChange"))):
        props = change.getparent()
        props.remove(change)
        if accept:
            continue
        mark = props.find(_w("rPr")) if props.tag == _w("pPr") else None  # the paragraph mark's own
        for child in list(props):
            props.remove(child)
        props.extend(change.find(props.tag))
        if mark is not None:
            props.append(mark)
    for p in list(body.iter(_w("p"))):
        mark = p.find(f"{_w('pPr')}/{_w('rPr')}/{_w(drop)}")
        if mark is None:
            continue
        mark.getparent().remove(mark)
        following = p.getnext()
        content = [c for c in p if c.tag != _w("pPr")]
        if following is not None and following.tag == _w("p"):
            at = 1 if following.find(_w("pPr")) is not None else 0
            for child in content:
                following.insert(at, child)
                at += 1
        p.getparent().remove(p)
    return body


def texts(body: etree._Element) -> list[str]:
    """The text of every paragraph (table cells included) in document order."""
    return ["".join(t.text or "" for t in p.iter(_w("t"))) for p in body.iter(_w("p"))]


def _docx(markdown: str, images: Path | None = None, numbering: str = "auto") -> bytes:
    document = Document()
    problems = Problems()
    render_markdown(markdown, document, resolve_citation=lambda doc_id: doc_id, image_dir=images or Path("."),
                    source="test.md", problems=problems, numbering=numbering)
    assert not problems, problems.items
    return docx_bytes(document, CoreProperties(when=datetime(2026, 1, 1)))


def _compare(old_md: str, new_md: str, images: Path | None = None, numbering: tuple[str, str] = ("auto", "auto")):
    old, new = _docx(old_md, images, numbering[0]), _docx(new_md, images, numbering[1])
    result = redline(old, new, "张敏", date(2026, 12, 10))
    assert texts(resolved(result.data, accept=True)) == texts(resolved(new))
    assert texts(resolved(result.data, accept=False)) == texts(resolved(old))
    return result, resolved(result.data)


def _changes(body: etree._Element) -> list[tuple[str, str]]:
    found = []
    for node in body.iter(_w("ins"), _w("del")):
        if node.getparent().tag not in (_w("rPr"), _w("trPr")):
            found.append((etree.QName(node).localname, "".join(node.itertext())))
    return found


def test_tokens_are_cjk_characters_and_latin_words() -> None:
    assert split_tokens("温度45℃，按ISO 13485") == ["温", "度", "45", "℃", "，", "按", "ISO", " ", "13485"]


def test_one_character_in_a_long_sentence_is_a_one_character_change() -> None:
    result, body = _compare(f"# 更衣\n\n{LONG}\n", f"# 更衣\n\n{LONG.replace('缓冲间', '气闸间')}\n")
    assert _changes(body) == [("del", "缓冲"), ("ins", "气闸")]
    assert [(c.kind, c.action, c.section) for c in result.changes] == [("paragraph", "changed", "1 更衣")]


def test_scattered_common_characters_do_not_fragment_a_rewrite() -> None:
    _, body = _compare("检查：甲的乙丙，完毕。\n", "检查：丁的戊己，完毕。\n")
    assert _changes(body) == [("del", "甲的乙丙"), ("ins", "丁的戊己")]


def test_a_moved_paragraph_is_deleted_there_inserted_here_and_reported_moved() -> None:
    first, second, third = "第一段：取样。", "第二段：检验。", "第三段：记录和报告。"
    result, body = _compare(f"{first}\n\n{second}\n\n{third}\n", f"{second}\n\n{third}\n\n{first}\n")
    assert _changes(body) == [("del", first), ("ins", first)]
    assert [(c.action, c.old, c.new) for c in result.changes] == [("moved", first, first)]


def test_added_and_removed_paragraphs_mark_their_paragraph_marks() -> None:
    result, body = _compare("# 甲\n\n保留。\n\n删去这一段。\n\n# 乙\n\n末段。\n", "# 甲\n\n保留。\n\n# 乙\n\n新增这一段。\n\n末段。\n")
    marks = [(etree.QName(m).localname, "".join(m.getparent().getparent().getparent().itertext()))
             for m in body.iter(_w("ins"), _w("del")) if m.getparent().tag == _w("rPr")]
    assert marks == [("del", "删去这一段。"), ("ins", "新增这一段。")]
    assert [(c.action, c.section) for c in result.changes] == [("removed", "1 甲"), ("added", "2 乙")]


TABLE = "| 项目 | 要求 |\n|---|---|\n| 温度 | 18～26 ℃ |\n| 湿度 | 45%～65% |\n| 压差 | 不小于 10 Pa |\n"


def test_a_cell_edit_changes_only_that_cell() -> None:
    result, body = _compare(TABLE, TABLE.replace("45%～65%", "45%～60%"))
    assert _changes(body) == [("del", "65"), ("ins", "60")]
    changed = [tr for tr in body.iter(_w("tr")) if tr.find(f".//{_w('ins')}") is not None]
    assert len(changed) == 1 and "".join(changed[0].findall(_w("tc"))[1].itertext()).startswith("45%～")
    (change,) = result.changes
    assert (change.kind, change.action, change.old, change.new, change.table) == (
        "row", "changed", ("湿度", "45%～65%"), ("湿度", "45%～60%"), "项目 | 要求")


def test_removed_and_added_rows_are_tracked_rows() -> None:
    new = TABLE.replace("| 湿度 | 45%～65% |\n", "") + "| 照度 | 不小于 300 lx |\n"
    result, body = _compare(TABLE, new)
    deleted = [tr for tr in body.iter(_w("tr")) if tr.find(f"{_w('trPr')}/{_w('del')}") is not None]
    inserted = [tr for tr in body.iter(_w("tr")) if tr.find(f"{_w('trPr')}/{_w('ins')}") is not None]
    assert ["".join(tr.itertext()) for tr in deleted] == ["湿度45%～65%"]
    assert ["".join(tr.itertext()) for tr in inserted] == ["照度不小于 300 lx"]
    assert [(c.kind, c.action) for c in result.changes] == [("row", "removed"), ("row", "added")]


def test_an_added_table_inserts_every_row() -> None:
    result, body = _compare("说明。\n", f"说明。\n\n{TABLE}")
    assert len([tr for tr in body.iter(_w("tr")) if tr.find(f"{_w('trPr')}/{_w('ins')}") is not None]) == 4
    assert [c.action for c in result.changes] == ["added"] * 4


def test_removed_list_keeps_its_numbering_definition() -> None:
    _, body = _compare("说明。\n\n- 甲\n- 乙\n\n1. 一\n2. 二\n", "说明。\n\n1. 一\n2. 二\n")
    removed = [p for p in body.iter(_w("p")) if p.find(f"{_w('pPr')}/{_w('rPr')}/{_w('del')}") is not None]
    assert ["".join(p.itertext()) for p in removed] == ["甲", "乙"]
    num_ids = {p.find(f".//{_w('numId')}").get(_w("val")) for p in removed}
    kept = {p.find(f".//{_w('numId')}").get(_w("val")) for p in body.iter(_w("p"))
            if p not in removed and p.find(f".//{_w('numId')}") is not None}
    assert len(num_ids) == 1 and not num_ids & kept


def test_removed_list_numbering_exists_in_the_new_package() -> None:
    old, new = _docx("- 甲\n- 乙\n\n正文。\n"), _docx("正文。\n")
    result = redline(old, new, "张敏", None)
    numbering = etree.fromstring(zipfile.ZipFile(io.BytesIO(result.data)).read("word/numbering.xml"))
    defined = set(numbering.xpath("w:num/@w:numId", namespaces={"w": W}))
    used = set(resolved(result.data).xpath(".//w:numId/@w:val", namespaces={"w": W}))
    assert used and used <= defined
    assert not resolved(result.data).xpath(".//@w:date", namespaces={"w": W})  # no date given, none written


def _png(path: Path, rgb: tuple[int, int, int]) -> None:
    raw = b"\x00" + bytes(rgb) * 4
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw * 4)) + chunk(b"IEND", b""))


def test_a_removed_picture_is_carried_into_the_redline(tmp_path: Path) -> None:
    _png(tmp_path / "old.png", (200, 30, 30))
    _png(tmp_path / "new.png", (30, 30, 200))
    result, body = _compare("图示：\n\n![](old.png)\n", "图示：\n\n![](new.png)\n", tmp_path)
    package = zipfile.ZipFile(io.BytesIO(result.data))
    rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    embeds = body.xpath(".//w:drawing//@r:embed", namespaces={"w": W, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"})
    blobs = [package.read("word/" + targets[rid]) for rid in embeds]
    assert blobs == [(tmp_path / "old.png").read_bytes(), (tmp_path / "new.png").read_bytes()]
    drawings = [etree.QName(d.getparent().getparent()).localname for d in body.iter(_w("drawing"))]
    assert drawings == ["del", "ins"]
    doc_ids = body.xpath(".//wp:docPr/@id", namespaces={"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"})
    assert len(doc_ids) == len(set(doc_ids)) == 2


def _cell_docx(*paragraphs: str) -> bytes:
    document = Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = paragraphs[0]
    for text in paragraphs[1:]:
        cell.add_paragraph(text)
    return docx_bytes(document, CoreProperties(when=datetime(2026, 1, 1)))


def test_a_cell_losing_or_gaining_its_last_paragraph_resolves_both_ways() -> None:
    for old, new in ((_cell_docx("一", "二"), _cell_docx("一")), (_cell_docx("一"), _cell_docx("一", "二"))):
        result = redline(old, new, "张敏", None)
        cell = next(resolved(result.data).iter(_w("tc")))
        last = cell.findall(_w("p"))[-1]
        assert last.find(f"{_w('pPr')}/{_w('rPr')}") is None  # a cell's last mark never changes
        assert texts(resolved(result.data, accept=True)) == texts(resolved(new))
        assert texts(resolved(result.data, accept=False)) == texts(resolved(old))


def test_same_inputs_give_same_bytes_and_no_changes_for_equal_documents() -> None:
    old, new = _docx(f"# 甲\n\n{LONG}\n"), _docx(f"# 甲\n\n{LONG}改\n")
    assert redline(old, new, "张敏", date(2026, 1, 2)).data == redline(old, new, "张敏", date(2026, 1, 2)).data
    same = redline(old, old, "张敏", None)
    assert same.changes == [] and _changes(resolved(same.data)) == []


def test_content_scope_follows_the_template_and_falls_back_to_the_whole_body() -> None:
    old, new = _docx("甲。\n"), _docx("乙。\n")
    assert redline(old, new, "张敏", None).scope == "document"
    assert redline(old, new, "张敏", None, PACKAGE_TEMPLATES / "procedure.docx").scope == "document"


def test_headings_renumbered_by_an_added_section_are_reported_as_renumbered_not_changed() -> None:
    old = "# 目的\n\n规定要求。\n\n# 职责\n\n质量部负责。\n\n## 审核\n\n审核人审核。\n"
    new = "# 目的\n\n规定要求。\n\n# 术语\n\n受控文件：经批准发布的文件。\n\n# 职责\n\n质量部负责。\n\n## 审核\n\n审核人审核。\n"
    result, body = _compare(old, new)
    assert [(c.action, c.old, c.new) for c in result.changes] == [
        ("added", None, "2 术语"), ("added", None, "受控文件：经批准发布的文件。"),
        ("renumbered", "2 职责", "3 职责"), ("renumbered", "2.1 审核", "3.1 审核")]
    assert ("ins", "3") in _changes(body)  # the tracked document still shows the new number as a change
    data = summary(Comparison("QP-01", "文件控制程序", _revision("A"), _revision("B"), "张敏", result, [], Path("build")))
    assert data["sections"] == ["2 术语"]
    assert data["paragraphs"]["renumbered"] == [{"section": "3 职责", "old": "2 职责", "new": "3 职责"},
                                                {"section": "3.1 审核", "old": "2.1 审核", "new": "3.1 审核"}]
    assert data["counts"]["paragraphs_added"] == 2 and data["counts"]["paragraphs_changed"] == 0
    assert summary_sentence(data) == "与A版相比：涉及“2 术语”；段落新增2处。"


def test_a_heading_whose_words_changed_is_changed_even_when_renumbered() -> None:
    result, _ = _compare("# 目的\n\n甲。\n\n# 职责\n\n乙。\n", "# 目的\n\n甲。\n\n# 术语\n\n丙。\n\n# 部门职责\n\n乙。\n")
    assert ("changed", "2 职责", "3 部门职责") in [(c.action, c.old, c.new) for c in result.changes]


CHAPTERS = "# 目的\n\n甲。\n\n# 职责\n\n乙。\n\n## 审核\n\n丙。\n"


def _actions(result) -> list[tuple[str, str | None, str | None]]:
    return [(c.action, c.old, c.new) for c in result.changes]


def test_chapter_numbers_renumbered_by_an_added_chapter() -> None:
    result, _ = _compare(CHAPTERS, CHAPTERS.replace("# 职责", "# 术语\n\n丁。\n\n# 职责"), numbering=("chapter", "chapter"))
    assert ("renumbered", "第二章\u3000职责", "第三章\u3000职责") in _actions(result)
    assert not [c for c in result.changes if c.new == "第一节\u3000审核"]  # its number is the same: no change at all


def test_what_looks_like_a_renumbering_but_is_not_is_a_change() -> None:
    demoted, _ = _compare(CHAPTERS, CHAPTERS.replace("# 职责", "## 职责"))  # a level change renumbers too
    assert ("changed", "2 职责", "1.1 职责") in _actions(demoted)
    reformatted, _ = _compare(CHAPTERS, CHAPTERS.replace("# 职责", "# 术语\n\n丁。\n\n# *职责*"))
    assert ("changed", "2 职责", "3 职责") in _actions(reformatted)
    typed = "# 目的\n\n甲。\n\n# 2025 年度质量目标\n\n乙。\n\n# 一、总则\n\n丙。\n"  # numbering: none, numbers typed
    edited, _ = _compare(typed, typed.replace("2025", "2026").replace("一、", "三、"), numbering=("none", "none"))
    assert _actions(edited) == [("changed", "2025 年度质量目标", "2026 年度质量目标"), ("changed", "一、总则", "三、总则")]
    numbered, _ = _compare(CHAPTERS, CHAPTERS, numbering=("none", "chapter"))  # the numbering style itself changed
    assert {action for action, _, _ in _actions(numbered)} == {"changed"}


def _revision(label: str):
    return Revision(label, label, b"", {}, f"releases/QP-01/{label}/QP-01.docx", "张敏", None)


def test_an_inserted_subsection_is_added_and_the_next_one_renumbered_not_renamed() -> None:
    old = "# 范围\n\n## 范围一\n\n范围一内容。\n\n## 范围二\n\n范围二内容。\n"
    new = "# 范围\n\n## 范围零\n\n范围零内容。\n\n## 范围一\n\n范围一内容。\n\n## 范围二\n\n范围二内容。\n"
    result, _ = _compare(old, new)
    assert _actions(result) == [("added", None, "1.1 范围零"), ("added", None, "范围零内容。"),
                                ("renumbered", "1.1 范围一", "1.2 范围一"), ("renumbered", "1.2 范围二", "1.3 范围二")]


def test_the_printed_summary_keeps_the_ideographic_space_of_chapter_numbers() -> None:
    from dossier.cli.diff import summary_lines

    result, _ = _compare(CHAPTERS, CHAPTERS.replace("# 职责", "# 术语\n\n丁。\n\n# 职责"), numbering=("chapter", "chapter"))
    data = summary(Comparison("QP-01", "文件控制程序", _revision("A"), _revision("B"), "张敏", result, None, Path("build")))
    lines = summary_lines(data)
    assert lines[1] == "sections: 第二章\u3000术语"
    assert "  paragraph added [第二章\u3000术语]: 第二章\u3000术语" in lines
    assert "  heading renumbered: 第二章\u3000职责 -> 第三章\u3000职责" in lines


def _summary(result) -> dict:
    return summary(Comparison("QP-01", "文件控制程序", _revision("A"), _revision("B"), "张敏", result, None, Path("build")))


def test_a_replaced_picture_is_a_change_in_the_summary(tmp_path: Path) -> None:
    _png(tmp_path / "old.png", (200, 30, 30))
    _png(tmp_path / "new.png", (30, 30, 200))
    alone, _ = _compare("图示：\n\n![](old.png)\n", "图示：\n\n![](new.png)\n", tmp_path)
    assert _actions(alone) == [("changed", "[图片]", "[图片]")]
    data = _summary(alone)
    assert data["paragraphs"]["changed"][0]["diff"] == "[图片]（图片已更换）"
    assert summary_sentence(data) == "与A版相比：段落修改1处。"
    removed, _ = _compare("图示：\n\n![](old.png)\n\n说明。\n", "图示：\n\n说明。\n", tmp_path)
    assert _actions(removed) == [("removed", "[图片]", None)]
    in_cell, _ = _compare("| 甲 | 乙 |\n|---|---|\n| 丙 | ![](old.png) |\n", "| 甲 | 乙 |\n|---|---|\n| 丙 | ![](new.png) |\n", tmp_path)
    assert summary_sentence(_summary(in_cell)) != "与A版相比内容无变化。"


def test_formatting_changed_in_a_table_cell_is_a_formatted_row() -> None:
    table = "| 项目 | 要求 |\n|---|---|\n| 温度 | 18～26 ℃ |\n| 湿度 | 45%～65% |\n"
    result, body = _compare(table, table.replace("18～26 ℃", "**18～26 ℃**"))
    assert [(c.kind, c.action, c.new) for c in result.changes] == [("row", "formatted", ("温度", "18～26 ℃"))]
    assert len(body.findall(f".//{_w('rPrChange')}")) == 1
    data = _summary(result)
    assert data["table_rows"]["formatted"] == [{"section": "", "table": "项目 | 要求", "cells": ["温度", "18～26 ℃"]}]
    assert data["counts"]["table_rows_formatted"] == 1
    assert summary_sentence(data) == "与A版相比：表格格式调整1行。"


def test_an_edited_footnote_is_a_changed_paragraph_not_a_move() -> None:
    result, _ = _compare("按规定执行[^1]。\n\n[^1]: 见 2014 年版。\n", "按规定执行[^1]。\n\n[^1]: 见 2025 年版。\n")
    assert _actions(result) == [("changed", "按规定执行[脚注：见 2014 年版。]。", "按规定执行[脚注：见 2025 年版。]。")]
    assert _summary(result)["paragraphs"]["changed"][0]["diff"] == "…执行[脚注：见 [-2014-]{+2025+} 年版。]。"


def test_a_moved_section_is_moved_under_its_new_number_and_resolves_both_ways() -> None:
    old = "# 甲\n\n甲内容。\n\n# 乙\n\n乙内容。\n\n# 丙\n\n丙内容。\n"
    result, _ = _compare(old, "# 乙\n\n乙内容。\n\n# 丙\n\n丙内容。\n\n# 甲\n\n甲内容。\n")  # _compare: accept and reject give each side
    assert _actions(result) == [("moved", "1 甲", "3 甲"), ("moved", "甲内容。", "甲内容。"),
                                ("renumbered", "2 乙", "1 乙"), ("renumbered", "3 丙", "2 丙")]
    assert _summary(result)["sections"] == ["3 甲"]
    last_removed, _ = _compare(old, "# 丙\n\n丙内容。\n\n# 甲\n\n甲内容。\n\n# 乙\n\n乙内容。\n")
    assert ("moved", "3 丙", "1 丙") in _actions(last_removed)
    for new in ("# 甲\n\n甲内容。\n", "# 甲\n\n甲内容。\n\n# 乙\n\n乙内容。\n\n# 丙\n\n丙内容。\n\n丁。\n\n戊。\n"):
        _compare(old, new)  # paragraphs removed or added at the end


DUTIES = "| 部门 | 职责 |\n|---|---|\n| 质量部 | 审核 |\n| 生产部 | 执行 |\n"


def test_a_moved_table_and_swapped_rows_are_moves_not_rows_added_and_removed() -> None:
    old = f"# 目的\n\n甲。\n\n# 职责\n\n{DUTIES}\n# 工作程序\n\n乙。\n\n# 附则\n\n丙。\n"
    new = f"# 目的\n\n甲。\n\n# 工作程序\n\n乙。\n\n# 职责\n\n{DUTIES}\n# 附则\n\n丙。\n"
    result, _ = _compare(old, new)
    data = _summary(result)
    assert {action: len(rows) for action, rows in data["table_rows"].items() if rows} in ({}, {"moved": 3})
    assert len(data["sections"]) == 1 and not data["table_rows"]["added"] and not data["table_rows"]["removed"]
    moved_heading = next(p for p in data["paragraphs"]["moved"] if "old" in p)
    assert (moved_heading["old"], moved_heading["text"]) in (("3 工作程序", "2 工作程序"), ("2 职责", "3 职责"))
    from dossier.cli.diff import summary_lines
    assert f"  paragraph moved [{moved_heading['section']}]: {moved_heading['old']} -> {moved_heading['text']}" in summary_lines(data)
    swapped, _ = _compare(DUTIES, DUTIES.replace("| 质量部 | 审核 |\n| 生产部 | 执行 |", "| 生产部 | 执行 |\n| 质量部 | 审核 |"))
    assert [action for action, _, _ in _actions(swapped)] == ["moved"]  # either of the two rows
    assert summary_sentence(_summary(swapped)) == "与A版相比：表格移动1行。"


def test_a_removed_row_is_shown_under_the_header_it_had() -> None:
    wider = "| 部门 | 职责 | 备注 |\n|---|---|---|\n| 质量部 | 审核 | 无 |\n| 生产部 | 执行 | 无 |\n"
    result, _ = _compare(DUTIES, wider)
    assert {(c.action, c.table) for c in result.changes} == {("removed", "部门 | 职责"), ("added", "部门 | 职责 | 备注")}


def test_rows_swapped_at_a_distance_or_between_tables_of_one_header_are_moves() -> None:
    rows = ["| 质量部 | 负责文件的编号 |", "| 研发部 | 负责设计文件 |", "| 采购部 | 负责采购文件 |", "| 生产部 | 负责执行 |"]
    table = "| 部门 | 职责 |\n|---|---|\n" + "\n".join(rows) + "\n"
    far = table.replace(rows[0], "ROW0").replace(rows[3], rows[0]).replace("ROW0", rows[3])
    swapped, _ = _compare(table, far)
    assert {c.action for c in swapped.changes} == {"moved"}
    reversed_rows, _ = _compare(table, "| 部门 | 职责 |\n|---|---|\n" + "\n".join(rows[::-1]) + "\n")
    assert {c.action for c in reversed_rows.changes} == {"moved"}
    two = f"# 甲\n\n{table}\n# 乙\n\n| 部门 | 职责 |\n|---|---|\n| 销售部 | 负责合同 |\n"
    across, _ = _compare(two, two.replace("| 生产部 | 负责执行 |", "| 销售部 | 负责合同 |").replace(
        "|---|---|\n| 销售部 | 负责合同 |\n", "|---|---|\n| 生产部 | 负责执行 |\n", 1))
    assert [c.action for c in across.changes] == ["moved", "moved"], _actions(across)
    edited, _ = _compare(table, table.replace("负责执行", "负责生产"))  # an edit in place stays one change
    assert _actions(edited) == [("changed", ("生产部", "负责执行"), ("生产部", "负责生产"))]


def test_a_swap_beside_an_edit_moves_only_the_swapped_rows() -> None:
    rows = {k: f"| {k} | {k.lower()}1 |" for k in "ABCDE"}
    table = "| 部门 | 职责 |\n|---|---|\n" + "\n".join(rows.values()) + "\n"
    second = "\n# 记录\n\n| 部门 | 职责 |\n|---|---|\n| F | f1 |\n| A | a1 |\n"
    new = (table.replace(rows["A"], "X").replace(rows["E"], rows["A"]).replace("X", rows["E"])
           .replace(rows["C"], "| C | c2 |"))
    result, _ = _compare("# 职责\n\n" + table + second, "# 职责\n\n" + new + second)
    assert sorted(_actions(result)) == [("changed", ("C", "c1"), ("C", "c2")), ("moved", ("A", "a1"), ("A", "a1")),
                                        ("moved", ("E", "e1"), ("E", "e1"))]
    rotated = table.replace(rows["A"], "X").replace(rows["E"], rows["C"]).replace(rows["C"], rows["A"], 1)
    rotation, _ = _compare(table, rotated.replace("X", rows["E"]))
    assert {cells[0] for action, cells, _ in _actions(rotation) if action == "moved"} <= {"A", "C", "E"}
