"""Issue 13, case 10: the redline PDF reviewers sign numbers list items as the document does and
puts change bars beside changed paragraphs only (LibreOffice's own view of tracked changes
printed `3.[2.] …` and barred the unchanged paragraph after an insertion)."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from dossier.actions.init import init_workspace
from dossier.actions.release import release, revise
from tests.conftest import run_cli
from tests.layout_support import pdf_problems, words

DOC = "QP-07"
YAML = """\
id: QP-07
kind: procedure
title: 设计开发控制程序
revision: A
effective_date: "2026-12-01"
department: 技术部
prepared_by: {name: 陈静, date: "2026-11-02"}
reviewed_by: {name: 李强, date: "2026-11-05"}
approved_by: {name: 王建国, date: "2026-11-10"}
change: 首次发布
"""
BODY = """\
# 目的

规范设计开发。

# 程序

1. 项目立项后，技术部编制设计开发计划。
2. 设计开发计划经评审后实施。
3. 设计输入形成文件。
4. 设计输出经验证后放行。

# 记录

保存记录。
"""
EDITED = BODY.replace("1. 项目立项后，技术部编制设计开发计划。\n",
                      "1. 项目立项前，技术部进行可行性分析。\n2. 项目立项后，技术部编制设计开发计划。\n") \
    .replace("3. 设计输入形成文件。", "3. 设计输入形成文件并评审。").replace("4. 设计输出经验证后放行。\n", "")


@pytest.fixture(scope="module")
def redline_pdf(tmp_path_factory) -> Path:
    """QP-07 released as A, an item inserted before item 1, item 3 edited, item 4 removed; `dossier diff`."""
    root = tmp_path_factory.mktemp("redline") / "ws"
    init_workspace(root, "示例医疗科技有限公司", "2026-11-01")
    (root / "content" / f"{DOC}.yaml").write_text(YAML, encoding="utf-8")
    (root / "content" / f"{DOC}.md").write_text(BODY, encoding="utf-8")
    release(root, DOC, "王建国", "首次发布", now=datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    revise(root, DOC, change="增加可行性分析")
    (root / "content" / f"{DOC}.md").write_text(EDITED, encoding="utf-8")
    result = run_cli("diff", DOC, "-w", str(root))
    assert result.exit_code == 0, result.output
    return root / "build" / "diff" / f"{DOC}_A_working.pdf"


def _lines(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


def test_list_numbers_read_as_in_the_document(redline_pdf: Path) -> None:
    lines = _lines(redline_pdf)
    items = [line for line in lines if re.match(r"^\d\.", line)]
    assert items == ["1. 项目立项前，技术部进行可行性分析。", "2. 项目立项后，技术部编制设计开发计划。",
                     "3. 设计开发计划经评审后实施。", "4. 设计输入形成文件并评审。",
                     "4. 设计输出经验证后放行。"]  # the removed item, struck through, with its old number
    assert not any("[" in line for line in lines)


def _bar_at(page: Image.Image, top: float, bottom: float, left: float) -> bool:
    """True when a dark vertical mark is drawn in the margin left of a line (x < `left`)."""
    strip = page.crop((int(left) - 16, int(top) + 2, int(left) - 1, int(bottom) - 2)).convert("L")
    return min(strip.tobytes(), default=255) < 100


def test_change_bars_only_beside_changed_paragraphs(redline_pdf: Path) -> None:
    found, _ = words(redline_pdf)
    page = next(w.page for w in found if "技术部编制" in w.text)
    lines = {}
    for word in (w for w in found if w.page == page):
        for key in ("可行性分析", "技术部编制", "经评审后实施", "形成文件并评审", "经验证后放行", "规范设计开发", "程序", "保存记录"):
            if (key in word.text if key != "程序" else word.text == key) and key not in lines:
                lines[key] = word
    image = subprocess.run(["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-png", str(redline_pdf)],
                           check=True, capture_output=True).stdout
    rendered = Image.open(io.BytesIO(image))
    margin = 2.5 * 72 / 2.54
    barred = {key: _bar_at(rendered, word.y_min, word.y_max, margin) for key, word in lines.items()}
    assert barred == {"可行性分析": True, "技术部编制": False, "经评审后实施": False, "形成文件并评审": True,
                      "经验证后放行": True, "规范设计开发": False, "程序": False, "保存记录": False}


def test_redline_pdf_is_sound(redline_pdf: Path) -> None:
    assert pdf_problems(redline_pdf) == []
