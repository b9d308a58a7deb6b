"""The issued-copy stamp: the copy's lines on every page, extractable, embedded, reproducible."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from dossier.errors import UsageError
from dossier.pdf.copystamp import stamp_copy

LINES = ["受控文件　发放号：03", "持有人：赵磊（生产部）", "版本：B　发放日期：2026-12-01"]


def _pdf(pages: list[tuple[float, float]]) -> bytes:
    writer = PdfWriter()
    for width, height in pages:
        writer.add_blank_page(width, height)
    writer.add_metadata({"/Title": "文件控制程序"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text(path: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                          check=True, capture_output=True, text=True).stdout


def test_every_page_carries_the_copy_lines_in_an_embedded_font(tmp_path: Path) -> None:
    out = tmp_path / "copy.pdf"
    out.write_bytes(stamp_copy(_pdf([(595.3, 841.9), (841.9, 595.3), (595.3, 841.9)]), LINES, datetime(2026, 12, 1)))
    for page in (1, 2, 3):
        text = _text(out, page)
        assert all(line.replace("　", " ") in text.replace("　", " ") for line in LINES), (page, text)
    fonts = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True, text=True).stdout
    stamp_font = next(line for line in fonts.splitlines() if "NotoSansCJKsc" in line)
    assert "CID Type 0C" in stamp_font and " yes yes " in stamp_font  # embedded subset, with a ToUnicode map
    reader = PdfReader(out)
    assert reader.metadata["/Title"] == "文件控制程序" and reader.metadata["/CreationDate"] == "D:20261201000000+00'00'"
    box = reader.pages[1].extract_text()
    assert "发放号：03" in box


def test_the_same_copy_gives_the_same_bytes_and_another_copy_differs() -> None:
    source = _pdf([(595.3, 841.9)])
    first = stamp_copy(source, LINES, datetime(2026, 12, 1))
    assert stamp_copy(source, LINES, datetime(2026, 12, 1)) == first
    assert stamp_copy(source, [LINES[0].replace("03", "04"), *LINES[1:]], datetime(2026, 12, 1)) != first


def test_a_long_holder_line_is_set_smaller_to_stay_in_the_corner(tmp_path: Path) -> None:
    long = ["受控文件　发放号：01", "持有人：" + "很长的部门名称" * 8]
    out = tmp_path / "long.pdf"
    out.write_bytes(stamp_copy(_pdf([(595.3, 841.9)]), long, datetime(2026, 12, 1)))
    words = subprocess.run(["pdftotext", "-bbox", str(out), "-"], check=True, capture_output=True, text=True).stdout
    right_edges = [float(part.split('"')[1]) for part in words.split("xMax=")[1:]]
    assert max(right_edges) < 20 / 25.4 * 72 + 68 / 25.4 * 72 + 1  # within the 68 mm the box may take


def test_a_character_the_font_lacks_is_named() -> None:
    with pytest.raises(UsageError, match="cannot draw"):
        stamp_copy(_pdf([(595.3, 841.9)]), ["发放号：\U0001F600"], datetime(2026, 12, 1))
