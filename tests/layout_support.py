"""The inputs of the layout faults of issue 13, as a workspace, and readers of what LibreOffice drew.

`make_workspace` writes one small document per fault (the input as the report gave it) next to
the `dossier init` starter files; the tests build it once and look at the .docx XML and the PDF
(pypdf page sizes, `pdftotext -bbox` word boxes, `pdfinfo`).
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from dossier.actions.init import init_workspace

COMPANY = "示例医疗科技有限公司"
POINTS_PER_CM = 72 / 2.54
HEAD = """\
kind: {kind}
revision: A
department: 质量部
prepared_by: {{name: 陈静, date: "2026-11-02"}}
change: 首次发布
"""


def png(width: int, height: int, colour: tuple[int, int, int] = (128, 128, 128)) -> bytes:
    """A PNG of the given pixel size that states no resolution (Word takes it as 72 dpi)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def sideways_jpeg(width: int = 400, height: int = 200, orientation: int = 6) -> bytes:
    """A JPEG stored `width`×`height` whose EXIF tag says to turn it (6: 90° clockwise).

    The top row of the stored pixels is red, so the turned picture has red at its right edge.
    """
    image = Image.new("RGB", (width, height), (230, 230, 230))
    for x in range(width):
        for y in range(20):
            image.putpixel((x, y), (220, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95, exif=exif.tobytes())
    return buffer.getvalue()


def sentences(count: int, prefix: str = "第") -> str:
    """`第001句。第002句。…` (`count` short sentences)."""
    return "".join(f"{prefix}{n:03d}句。" for n in range(1, count + 1))


TITLE_60 = "一次性使用无菌医疗器械生产企业十万级洁净车间环境监测、清洁消毒、人员卫生、物料与设备进出及废弃物处理管理控制程序（试行）"  # noqa: RUF001
WIDE_COLUMNS = ["序号", "日期", "房间编号", "清洁部位", "清洁剂", "消毒剂", "浓度", "开始时间", "结束时间", "操作人",
                "复核人", "备注"]
TABLE_12 = ("| " + " | ".join(f"第{n}列参数" for n in range(1, 13)) + " |\n|" + "---|" * 12 + "\n"
            + "\n".join("| " + " | ".join(f"内容{r}{c}较长的说明" for c in range(1, 13)) + " |" for r in range(1, 4)) + "\n")

BODIES = {
    # 1, 2, 6: a tall screenshot right after a heading, a sideways photo, captions
    "QP-21": ("procedure", "设备操作规程", """\
# 操作界面

![设备操作界面截图](screenshot.png)

# 现场照片

![灭菌柜现场照片](photo.jpg)

| 项目 | 要求 |
|---|---|
| 温度 | 121 ℃ |

Table: 灭菌参数
"""),
    # 4, 5: emphasis beside Chinese punctuation; a footnote after a list
    "QP-22": ("procedure", "受控文件标识程序", """\
# 标识

**注意：**操作前必须佩戴手套。

标识为**“受控”**的副本方可使用，*（试行）*版本另行标识。

- 受控副本加盖受控章
- 作废副本加盖作废章

发放按国家规定执行，注册资料的格式应符合相关的规定[^1]。

[^1]: 国家药品监督管理局公告2025年第107号。
"""),
    # 7: numbers typed into headings (warned), numbered again by default
    "QP-23": ("procedure", "条款编号示例", """\
# 总则

## 1.1 条款1

正文。
"""),
    # 7: the same headings with automatic numbering off, and the chapter style
    "QP-24": ("procedure", "不自动编号示例", "# 总则\n\n## 1.1 条款1\n\n正文。\n"),
    "QP-25": ("procedure", "章节编号示例", "# 总则\n\n## 适用范围\n\n### 细则\n\n正文。\n\n# 附则\n\n正文。\n"),
    # 3: rows taller than a page, first, middle and last; a long revision history row
    "QP-26": ("procedure", "长表格行示例", (
        "# 长行\n\n| 序号 | 内容 |\n|---|---|\n"
        f"| 1 | {sentences(300, '甲')} |\n| 2 | 短 |\n| 3 | 短 |\n\n"
        f"| 序号 | 内容 |\n|---|---|\n| 1 | 短 |\n| 2 | {sentences(450)} |\n| 3 | 短 |\n\n"
        f"| 序号 | 内容 |\n|---|---|\n| 1 | 短 |\n| 2 | 短 |\n| 3 | {sentences(900, '丙')} |\n")),
    # 8: a 12-column Markdown table
    "QP-27": ("procedure", "宽表格示例", f"# 参数\n\n正文在表前。\n\n{TABLE_12}\n正文在表后。\n"),
    # 9: a 60-character title
    "QP-28": ("procedure", TITLE_60, "# 目的\n\n正文。\n"),
}
FORM_12 = """\
form:
  header_fields: [区域/房间, 日期, 班次, 清洁类别]
  columns: [{columns}]
  rows: 20
  footer_fields: [记录人, 复核人, QA审核]
""".format(columns=", ".join(WIDE_COLUMNS))
FORM_NOTE = "# 填写说明\n\n1. 每个房间每次清洁消毒填写一份。\n2. 空行划一斜线。\n"


def make_workspace(root: Path) -> Path:
    """The starter workspace plus one document per layout fault (see BODIES)."""
    init_workspace(root, COMPANY, "2026-11-01")
    content = root / "content"
    for doc_id, (kind, title, body) in BODIES.items():
        head = f"id: {doc_id}\ntitle: {title}\n" + HEAD.format(kind=kind)
        if doc_id == "QP-24":
            head += "numbering_style: none\n"
        if doc_id == "QP-25":
            head += "numbering_style: chapter\n"
        if doc_id == "QP-26":
            head = head.replace("change: 首次发布", f"change: {sentences(700, '修')}")
        (content / f"{doc_id}.yaml").write_text(head, encoding="utf-8")
        (content / f"{doc_id}.md").write_text(body, encoding="utf-8")
    (content / "screenshot.png").write_bytes(png(1080, 2400))
    (content / "photo.jpg").write_bytes(sideways_jpeg())
    form = "id: QR-21-01\ntitle: 洁净区清洁消毒记录\n" + HEAD.format(kind="record_form") + FORM_12
    (content / "QR-21-01.yaml").write_text(form, encoding="utf-8")
    (content / "QR-21-01.md").write_text(FORM_NOTE, encoding="utf-8")
    return root


@dataclass(frozen=True)
class Word:
    """A word of `pdftotext -bbox`: its text, page (1-based) and box in points from the top left."""

    text: str
    page: int
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def words(pdf: Path) -> tuple[list[Word], list[tuple[float, float]]]:
    """Every word of a PDF with its box, and each page's (width, height) in points."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    found, pages = [], []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S), start=1):
        size = re.match(r'width="([\d.]+)" height="([\d.]+)"', page)
        pages.append((float(size.group(1)), float(size.group(2))))
        for box in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page):
            found.append(Word(box.group(5), number, *(float(box.group(i)) for i in range(1, 5))))
    return found, pages


def pdf_problems(pdf: Path) -> list[str]:
    """What qpdf and poppler say is wrong with a PDF, and every font it does not embed (empty: sound).

    `qpdf --check` must pass without warnings; `pdfinfo`, `pdffonts` and `pdftotext -bbox` (which
    reads every page's content and fonts) must print nothing on stderr.
    """
    found = []
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    if check.returncode != 0 or "No syntax or stream encoding errors found" not in check.stdout or check.stderr.strip():
        found.append(f"qpdf --check (exit {check.returncode}): {check.stdout.strip()} {check.stderr.strip()}")
    for command in (["pdfinfo"], ["pdffonts"], ["pdftotext", "-bbox"]):
        run = subprocess.run([*command, str(pdf), "-"] if command[0] == "pdftotext" else [*command, str(pdf)],
                             capture_output=True, text=True)
        if run.returncode != 0 or run.stderr.strip():
            found.append(f"{command[0]}: {run.stderr.strip()}")
        if command == ["pdffonts"]:
            for line in run.stdout.splitlines()[2:]:
                columns = line.split()
                if len(columns) >= 5 and columns[-5] != "yes":
                    found.append(f"font not embedded: {line.strip()}")
    return found


def drawn_images(pdf: Path) -> list[tuple[int, int, int]]:
    """(page, width px, height px) of every image a page draws (`pdfimages -list`)."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    return [(int(row[0]), int(row[3]), int(row[4])) for row in rows if len(row) > 4 and row[2] == "image"]


def page_images(pdf: Path, page: int, folder: Path) -> list[Image.Image]:
    """The images drawn on one page, as extracted by `pdfimages -png`."""
    prefix = folder / f"page{page}"
    subprocess.run(["pdfimages", "-f", str(page), "-l", str(page), "-png", str(pdf), str(prefix)], check=True)
    return [Image.open(path).convert("RGB") for path in sorted(folder.glob(f"page{page}-*.png"))]
