"""The rule set's form data and table notes against the regulation text, character by character.

Only whitespace is normalised. The regulation side is parsed from docs/regulations by
tests/regulation_forms.py; the data side is what dossier prints (dossier/disinfectant/rules/).
"""

from __future__ import annotations

import pytest

from dossier.disinfectant.ruleset import load_rule_set
from tests import regulation_forms as reg

FORMS = load_rule_set("ws2014").forms


def same(regulation: str, data: str, what: str) -> None:
    """Equal after removing whitespace; else name the first character that differs."""
    a, b = reg.squash(regulation), reg.squash(data)
    if a != b:
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        raise AssertionError(f"{what}: differs at character {at}: regulation …{a[max(0, at - 15):at + 15]}… "
                             f"data …{b[max(0, at - 15):at + 15]}…")


def same_list(regulation: list[str], data: list[str], what: str) -> None:
    assert len(regulation) == len(data), (what, regulation, data)
    for index, (a, b) in enumerate(zip(regulation, data)):
        same(a, b, f"{what}[{index + 1}]")


def test_annex1() -> None:
    form, data = reg.annex1(), FORMS.annex1
    same_list(form.headers, [c.header for c in data.columns], "附件1 headers")
    same(form.notes_title, data.notes_title, "附件1 注")
    same_list(form.notes, list(data.notes), "附件1 notes")
    # the labels around the table are Annex 3's (the formula is its material （六）产品配方)
    annex3 = reg.annex3()
    same(annex3.materials[5], f"（六）{data.title}；", "附件1 title")
    same_list(annex3.cover[:2], [f.label for f in data.lines], "附件1 lines")
    same(annex3.cover[2], data.signature.label, "附件1 signature")
    # the separate listings use the words of notes 2 and 3
    note2, note3 = reg.squash(form.notes[1]), reg.squash(form.notes[2])
    for text in (data.composite_caption, *(c.header for c in data.composite)):
        assert reg.squash(text) in note2 or text in ("CAS号", "原材料投加百分比"), text
    for text in (data.extract_caption, *(c.header for c in data.extract)):
        assert reg.squash(text) in note3, text


def test_annex3() -> None:
    form, data = reg.annex3(), FORMS.annex3
    same(form.title, data.title, "附件3 title")
    same_list(form.cover, [f.label for f in data.cover], "附件3 cover")
    same(form.part1, data.part1, "附件3 一")
    assert len(form.basic) == len(data.basic)
    for index, (labels, fields) in enumerate(zip(form.basic, data.basic), start=1):
        same_list(labels, [f.label for f in fields], f"附件3 基本情况 row {index}")
    assert [i.number for i in form.items] == [q.number for q in data.questions]
    for item, question in zip(form.items, data.questions):
        same(item.label, question.label, f"附件3 item {item.number}")
        same(item.options, FORMS.ticked(question.choices, None), f"附件3 item {item.number} options")
    same(form.pledge, data.pledge, "附件3 承诺")
    same(form.part2, data.part2, "附件3 二")
    same_list(form.materials, [m.number + m.title for m in data.materials], "附件3 materials")
    same(form.remarks_title, data.remarks_title, "附件3 备注")
    same_list(form.remarks, list(data.remarks), "附件3 remarks")


def test_annex4() -> None:
    form, data = reg.annex4(), FORMS.annex4
    same(form.title, data.title, "附件4 title")
    same_list([h for h, _ in form.groups], [g.heading for g in data.groups], "附件4 headings")
    for (heading, labels), group in zip(form.groups, data.groups):
        same_list(labels, [f.label for line in group.lines for f in line if f.label], f"附件4 {heading}")
    same(form.guarantee, data.guarantee, "附件4 保证书")
    same(form.signature, data.signature, "附件4 signature")
    same_list(form.applicant, [f.label for f in data.applicant], "附件4 applicant")
    same(form.notes_title, data.notes_title, "附件4 注")
    same_list(form.notes, list(data.notes), "附件4 notes")


def test_annex5() -> None:
    form, data = reg.annex5(), FORMS.annex5
    same(form.title, data.title, "附件5 title")
    same_list(form.lines, [line.label for line in data.lines], "附件5 lines")
    fields = [f.label + (FORMS.ticked(f.choices, None) if f.choices else "") for f in data.fields]
    same_list(form.fields, fields, "附件5 fields")
    same(form.disclaimer, data.disclaimer, "附件5 disclaimer")
    same(form.seal, data.seal, "附件5 seal")


@pytest.mark.parametrize("table", ["表1", "表2", "表3", "表4", "表5"])
def test_table_notes_are_the_regulation_notes(table: str) -> None:
    notes = reg.table_notes()[table]
    (rules_table,) = [t for t in load_rule_set("ws2014").tables if t.id == table]
    data = {n.mark: n.text for n in rules_table.notes if n.mark}  # unmarked: the item names' own restrictions
    assert sorted(data) == sorted(notes), table
    for mark, text in notes.items():
        same(text, data[mark], f"{table}注{mark}")


def test_note4_reads_high_level_disinfection() -> None:
    """Fault: the rule data read 灭菌和高水平 的应做 (消毒 lost)."""
    (table1,) = [t for t in load_rule_set("ws2014").tables if t.id == "表1"]
    (note4,) = [n for n in table1.notes if n.mark == "④"]
    assert "用于医疗器械、用品灭菌和高水平消毒的应做细菌芽孢定性杀菌试验" in reg.squash(note4.text)
