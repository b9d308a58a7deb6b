"""The produced Annex 1, 3, 4 and 5 against the regulation text, character by character.

Each test builds, from the regulation's form (tests/regulation_forms.py, parsed from
docs/regulations) and from the product's YAML, the text the filled form must read: every label,
item and note in the form's order, each followed by the product's answer. The PDF's text (drawing
order, whitespace removed, the answer marks √ removed) must be exactly that — so a lost "。", two
labels printed as one, a finding or a remark the form does not have, or a 在华责任单位 filled for a
domestic product fails, at the first character that differs.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests import regulation_forms as reg
from tests.conftest import REPO
from tests.pipeline.conftest import IMPORTED, INCOMPLETE

pytestmark = pytest.mark.libreoffice

NONE = "／"
SKIN, DEVICE, RENEWAL = "skin-ethanol", "plasma-air-device", "iodophor-renewal"
PRODUCTS = (SKIN, DEVICE, RENEWAL, INCOMPLETE, IMPORTED)


def pdf_text(path: Path) -> str:
    """The PDF's text in drawing order, all whitespace removed."""
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)


def assert_reads(pieces: list[str], path: Path) -> None:
    """The PDF reads exactly the concatenation of `pieces` (whitespace and √ ignored)."""
    expected = reg.squash("".join(pieces))
    actual = pdf_text(path).replace("√", "")
    if actual != expected:
        at = next((i for i, (a, b) in enumerate(zip(expected, actual)) if a != b), min(len(expected), len(actual)))
        raise AssertionError(
            f"{path.name} differs from the form at character {at}:\n"
            f"  form + answers: …{expected[max(0, at - 30):at + 30]}…\n"
            f"  PDF:            …{actual[max(0, at - 30):at + 30]}…"
        )


def product(filing_workspace: Path, slug: str) -> dict:
    return yaml.safe_load((filing_workspace / "content" / "disinfectant" / slug / "product.yaml").read_text("utf-8"))


def cn_date(when: date) -> str:
    return f"{when.year}年{when.month}月{when.day}日"


def value(text) -> str:
    return str(text) if text not in (None, "") else NONE


def licence(p: dict) -> str:
    """The hygiene licence valid on the evaluation date; ／ for imports (第五条: 国产产品)."""
    if p["product"].get("imported"):
        return NONE
    when = p["evaluation"]["date"]
    (valid,) = [lic for lic in p["manufacturer"]["hygiene_licence"] if lic["valid_from"] <= when <= lic["valid_until"]]
    return valid["number"]


def klass(slug: str) -> int:
    return 2 if slug == DEVICE else 1


def interleave(labels: list[str], values: list[str]) -> list[str]:
    return [piece for pair in zip(labels, values) for piece in pair]


def annex3_text(p: dict) -> list[str]:
    form = reg.annex3()
    r, m = p["responsible_unit"], p["manufacturer"]
    imported = p["product"].get("imported")
    cover = [p["product"]["name"], p["product"]["form_model"], r["name"], cn_date(p["evaluation"]["date"])]
    basic = [
        [r["name"], r["address"]],
        [r["legal_representative"], r["phone"], r["postcode"]],
        [m["name"], m["address"]],
        [licence(p), m["legal_representative"]],
        [p["import"]["customs_declaration"] if imported else NONE],
    ]
    pieces = [form.title, *interleave(form.cover, cover), form.title, form.part1]
    for labels, values in zip(form.basic, basic, strict=True):
        pieces += interleave(labels, [value(v) for v in values])
    for item in form.items:
        pieces += [f"{item.number}.", item.label, item.options]
    return [*pieces, form.pledge, form.part2, *form.materials, form.remarks_title, *form.remarks]


def annex4_text(p: dict, slug: str) -> list[str]:
    form = reg.annex4()
    r, m = p["responsible_unit"], p["manufacturer"]
    china = bool(p["product"].get("imported"))  # 第四条: the 在华责任单位 is an import's responsible unit
    values = {
        ("产品名称", "中文"): p["product"]["name"],
        ("产品名称", "英文"): p["product"].get("name_en"),
        ("剂型/型号", "产品类别"): f"第{'一二'[klass(slug) - 1]}类产品",  # 注2
        ("生产企业", "中文名称"): m["name"],
        ("生产企业", "英文名称"): m.get("name_en"),
        ("生产企业", "地址"): m["address"],
        ("生产企业", "生产国（地区）"): m["country"],
        ("生产企业", "联系电话"): m["phone"],
        ("生产企业", "联系人"): m["contact"],
        **{("在华责任单位", label): r[key] if china else None for label, key in (
            ("名称", "name"), ("地址", "address"), ("联系电话", "phone"), ("联系人", "contact"), ("传真", "fax"),
            ("邮编", "postcode"))},
    }
    pieces = [form.title]
    for heading, labels in form.groups:
        pieces.append(heading)
        if heading == "剂型/型号":
            pieces.append(p["product"]["form_model"])
        for label in labels:
            pieces += [label, value(values[heading, label])]
    applicant = [form.applicant[0], r["contact"], form.applicant[1]]
    return [*pieces, form.guarantee, form.signature, *applicant, form.notes_title, *form.notes]


def annex5_text(p: dict) -> list[str]:
    form = reg.annex5()
    r, m = p["responsible_unit"], p["manufacturer"]
    imported = p["product"].get("imported")
    papers = p.get("import") or {}
    values = [
        p["product"]["form_model"],
        "",  # 产品类别：第一类( ) 第二类( ) — the options are part of the label
        p["product"]["enterprise_standard"],
        m["name"],
        m["address"],
        m["country"],
        r["name"] if imported else None,
        f"{r['address']}{r['phone']}" if imported else None,
        r["legal_representative"],
        licence(p),
        papers.get("business_licence"),
        papers.get("customs_declaration"),
    ]
    lines = [
        form.lines[0].replace(reg.BLANK, r["name"]),
        form.lines[1].replace(reg.BLANK, p["product"]["name"]),
    ]
    fields = [label + (value(v) if v != "" else "") for label, v in zip(form.fields, values, strict=True)]
    return [form.title, *lines, *fields, form.disclaimer, form.seal]


def annex1_text(p: dict) -> list[str]:
    form, cover = reg.annex1(), reg.annex3().cover
    title = reg.annex3().materials[5].removeprefix("（六）").rstrip("；")  # 评价资料（六）产品配方
    rows = []
    for mat in p["formula"]["materials"]:
        percent = f"{float(mat['percent']):.4f}".rstrip("0").rstrip(".")
        rows += [mat["name"], mat["cas"], mat["trade_name"], mat["purity"], mat["grade"], mat["amount"], percent]
    r = p["responsible_unit"]
    return [
        title, cover[0], p["product"]["name"], cover[1], p["product"]["form_model"], *form.headers, *rows,
        form.notes_title, *form.notes, cover[2], r["name"],
    ]


@pytest.mark.parametrize("slug", PRODUCTS)
def test_annex3_reads_as_the_regulation_form(filings: dict[str, Path], filing_workspace: Path, slug: str) -> None:
    assert_reads(annex3_text(product(filing_workspace, slug)), filings[f"{slug}-annex3-evaluation-report.pdf"])


@pytest.mark.parametrize("slug", PRODUCTS)
def test_annex4_reads_as_the_regulation_form(filings: dict[str, Path], filing_workspace: Path, slug: str) -> None:
    assert_reads(annex4_text(product(filing_workspace, slug), slug), filings[f"{slug}-annex4-filing-form.pdf"])


@pytest.mark.parametrize("slug", PRODUCTS)
def test_annex5_reads_as_the_regulation_form(filings: dict[str, Path], filing_workspace: Path, slug: str) -> None:
    assert_reads(annex5_text(product(filing_workspace, slug)), filings[f"{slug}-annex5-certificate-draft.pdf"])


@pytest.mark.parametrize("slug", [SKIN, RENEWAL])
def test_annex1_reads_as_the_regulation_form(filings: dict[str, Path], filing_workspace: Path, slug: str) -> None:
    assert_reads(annex1_text(product(filing_workspace, slug)), filings[f"{slug}-annex1-formula.pdf"])


ANSWERS = {  # question -> the option marked; None: the question does not apply, nothing marked
    SKIN: {1: "第一类", 8: "否", 10: None},
    DEVICE: {1: "第二类", 8: None, 9: None, 12: None},
    INCOMPLETE: {1: "第一类", 4: "否", 8: "否", 10: None, 13: "否"},
    IMPORTED: {1: "第一类", 7: None, 8: "否", 10: None},
}


@pytest.mark.parametrize("slug", list(ANSWERS))
def test_annex3_marks_the_answers(filings: dict[str, Path], slug: str) -> None:
    text = pdf_text(filings[f"{slug}-annex3-evaluation-report.pdf"])
    for item in reg.annex3().items:
        options = re.findall(r"(\S+?)\(\s*\)", item.options)
        expected = ANSWERS[slug].get(item.number, "是")
        marked = "".join(f"{o}({'√' if o == expected else ''})" for o in options)
        assert f"{item.number}.{item.label}{marked}" in text, (slug, item.number)


def test_annex5_marks_the_class(filings: dict[str, Path]) -> None:
    assert "产品类别：第一类()第二类(√)" in pdf_text(filings[f"{DEVICE}-annex5-certificate-draft.pdf"])
    assert "产品类别：第一类(√)第二类()" in pdf_text(filings[f"{SKIN}-annex5-certificate-draft.pdf"])


def test_the_regulation_text_is_the_one_the_forms_are_checked_against() -> None:
    assert reg.REGULATION == REPO / "docs" / "regulations" / "disinfectant-hygiene-safety-evaluation-2014.md"
    items = {i.number: i.label for i in reg.annex3().items}
    assert items[3].endswith("的要求。") and items[13].endswith("法定要求。")
    assert reg.annex3().basic[1] == ["法定代表人/责任人", "电话", "邮编"]
