"""The forms of the 2014 disinfectant rules as the regulation text prints them (docs/regulations).

Parsed here, independently of the package's form data, so tests can compare the data and the
produced PDFs with the regulation character by character. Conventions of the transcript: in a
form table, " / " (a slash with a space beside it) separates labels; "______" is a blank;
"N. 项目 —— 选项" is an item with the options of its answer column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.conftest import REPO

REGULATION = REPO / "docs" / "regulations" / "disinfectant-hygiene-safety-evaluation-2014.md"
BLANK = "______"
_SPLIT = re.compile(r"\s+/\s*|\s*/\s+")
_NUMBERED = re.compile(r"^(\d+)\. (.*)$")


def squash(text: str) -> str:
    """The text with all whitespace removed (the only normalisation the comparisons make)."""
    return re.sub(r"\s+", "", text)


def _section(number: int) -> tuple[str, list[str]]:
    """(heading without 附件N and its （表单…） remark, non-empty lines) of Annex `number`."""
    lines = REGULATION.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"## 附件{number} "))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    heading = re.sub(r"（表单.*）$", "", lines[start].removeprefix(f"## 附件{number} "))
    return heading, [line.strip() for line in lines[start + 1 : end] if line.strip()]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _labels(cell: str) -> list[str]:
    return [label for label in _SPLIT.split(cell) if label]


@dataclass
class Annex1:
    """附件1: the table headers and the notes."""

    headers: list[str]
    notes_title: str
    notes: list[str]


@dataclass
class Item:
    """An Annex 3 item: number, label, options of its answer column."""

    number: int
    label: str
    options: str


@dataclass
class Annex3:
    """附件3 as printed: cover labels, 基本情况 rows, items, pledge, materials, remarks."""

    title: str
    cover: list[str] = field(default_factory=list)
    part1: str = ""
    basic: list[list[str]] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    pledge: str = ""
    part2: str = ""
    materials: list[str] = field(default_factory=list)
    remarks_title: str = ""
    remarks: list[str] = field(default_factory=list)


@dataclass
class Annex4:
    """附件4: the table (heading, sub-labels), guarantee, signature line, applicant line, notes."""

    title: str
    groups: list[tuple[str, list[str]]] = field(default_factory=list)
    guarantee: str = ""
    signature: str = ""
    applicant: list[str] = field(default_factory=list)
    notes_title: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Annex5:
    """附件5: lines with blanks, the field labels, the disclaimer, the seal line."""

    title: str
    lines: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    disclaimer: str = ""
    seal: str = ""


def annex1() -> Annex1:
    """附件1 配方的书写格式和要求."""
    _, lines = _section(1)
    headers = _cells(next(line for line in lines if line.startswith("|")))
    notes_at = lines.index("注：")
    return Annex1(headers, "注：", lines[notes_at + 1 :])


def annex3() -> Annex3:
    """附件3 消毒产品卫生安全评价报告."""
    title, lines = _section(3)
    form = Annex3(title)
    part = "cover"
    for line in lines:
        if line.startswith("### "):
            part = "part1" if not form.part1 else "part2"
            setattr(form, part, line.removeprefix("### "))
        elif line.startswith("逐项判定") or line == "封面栏目：" or line.startswith("|---"):
            continue  # the transcript's own explanations and table rules
        elif part == "cover" and line.startswith("- "):
            form.cover.append(line.removeprefix("- "))
        elif line.startswith("|"):
            cells = _cells(line)
            if cells != ["栏目", "栏目"]:
                form.basic.append([label for cell in cells for label in _labels(cell)])
        elif line.startswith("承诺："):
            form.pledge = line
        elif line == "备注：":
            form.remarks_title, part = line, "remarks"
        elif part == "remarks":
            form.remarks.append(line)
        elif part == "part2":
            form.materials.append(line)
        elif match := _NUMBERED.match(line):
            label, options = match.group(2).split(" —— ")
            form.items.append(Item(int(match.group(1)), label, options))
    return form


def annex4() -> Annex4:
    """附件4 消毒产品卫生安全评价报告备案登记表."""
    title, lines = _section(4)
    form = Annex4(title)
    for line in lines:
        if line.startswith("|---"):
            continue
        if line.startswith("|"):
            cells = _cells(line)
            if cells != ["栏目", "子栏目"]:
                form.groups.append((cells[0], _labels(cells[1])))
        elif line.startswith("保证书："):
            form.guarantee = line
        elif line.startswith("产品责任单位（签章）"):
            form.signature = line
        elif line.startswith("申请人："):
            form.applicant = line.split("　")
        elif line == "注：":
            form.notes_title = line
        elif form.notes_title:
            form.notes.append(line)
    return form


def annex5() -> Annex5:
    """附件5 消毒产品卫生安全评价报告备案凭证."""
    title, lines = _section(5)
    form = Annex5(title)
    for line in lines:
        if line.startswith("- "):
            form.fields.append(line.removeprefix("- "))
        elif line.startswith("（省级"):
            form.disclaimer = line
        elif line.startswith("（盖章）"):
            form.seal = line
        else:
            form.lines.append(line)
    return form


def table_notes() -> dict[str, dict[str, str]]:
    """{表N: {mark: note text}} of Annex 2, as the regulation prints them."""
    _, lines = _section(2)
    notes: dict[str, dict[str, str]] = {}
    current = ""
    for line in lines:
        if heading := re.match(r"### (表\d)", line):
            current = heading.group(1)
            notes[current] = {}
        elif current and line[:1] in "①②③④⑤⑥⑦⑧⑨":
            notes[current][line[0]] = line[1:]
    return notes
