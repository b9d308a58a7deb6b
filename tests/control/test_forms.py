"""Form wording of document control (forms.yaml): the copy stamp, the registers, candidates for destruction."""

from __future__ import annotations

from datetime import date

import pytest

from dossier.control.forms import heading_line, register_form, register_names, stamp_lines
from dossier.control.ledger.copies import Issue
from dossier.control.status import due_rows
from dossier.workspace.model import REGISTER_NAMES


def test_the_registers_dossier_yaml_may_number_are_those_forms_yaml_defines() -> None:
    assert register_names() == REGISTER_NAMES


@pytest.mark.parametrize("name", REGISTER_NAMES)
def test_each_register_fills_a_landscape_page_and_signs_by_hand(name: str) -> None:
    form = register_form(name)
    assert sum(form.widths) == pytest.approx(25.2)  # landscape A4 text width
    row = {"number": "QP-04", "title": "文件控制程序", "revision": "B", "returned": None}
    cells = form.cells(3, row)
    assert cells[0] == "3" and cells[1] == "QP-04" and len(cells) == len(form.headers)
    for header, cell in zip(form.headers, cells):
        if header in ("签收", "回收"):
            assert cell == ""  # signed on paper
    assert heading_line("QR-04-02", "2026-12-06", 3) == "编号：QR-04-02　　编制日期：2026-12-06　　共 3 项"


def test_the_stamp_names_the_copy_holder_and_revision() -> None:
    issue = Issue("QP-04", 3, "B", "赵磊", "生产部", date(2026, 12, 1), "王芳")
    assert stamp_lines(issue) == ["受控文件　发放号：03", "持有人：赵磊（生产部）", "版本：B　发放日期：2026-12-01"]
    issue.department = None
    assert stamp_lines(issue)[1] == "持有人：赵磊"


def test_due_lists_revisions_past_their_retention_and_their_returned_copies() -> None:
    rows = [{"id": "QP-04", "retention": {"A": "2035-06-02", "B": "2040-01-01"},
             "awaiting_destruction": [{"copy": 2, "revision": "A"}, {"copy": 5, "revision": "B"}]}]
    assert due_rows(rows, date(2035, 6, 1)) == []
    assert due_rows(rows, date(2035, 6, 2)) == [
        {"document": "QP-04", "revision": "A", "retention_until": "2035-06-02", "copy": None},
        {"document": "QP-04", "revision": "A", "retention_until": "2035-06-02", "copy": 2},
    ]
