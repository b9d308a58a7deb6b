"""The site shows the records `dossier status` keeps: issued copies and their recall state, periodic
reviews and the next review date, the validation plan status (no LibreOffice, no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html

from dossier.control.archive import archive_outputs
from dossier.control.ledger import Ledger
from tests.conftest import run_cli
from tests.site_support import AS_OF, recorded_workspace


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    root = recorded_workspace(tmp_path_factory.mktemp("recorded"))
    result = run_cli("site", str(root), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    return root


def _page(root: Path, path: str, site: str = "site"):
    return html.fromstring((root / "build" / site / path).read_bytes())


def _status(root: Path, *args: str) -> dict:
    result = run_cli("status", "-w", str(root), "--today", AS_OF.isoformat(), "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _copies(page) -> list[tuple[str, str, str, str]]:
    return [(tr.get("data-copy"), tr.get("data-revision"), tr.get("data-state"), tr.xpath("./td")[-1].text_content().strip())
            for tr in page.xpath('//table[@class="copies"]/tbody/tr')]


def test_issued_copies_from_the_ledger_with_their_recall_state(recorded: Path) -> None:
    page = _page(recorded, "documents/QP-04.html")
    assert _copies(page) == [("1", "A", "destroyed", "已销毁"), ("1", "B", "out", "在用"), ("2", "A", "recall", "待回收（换发）")]
    rows = {(tr.get("data-copy"), tr.get("data-revision")): [td.text_content() for td in tr.xpath("./td")]
            for tr in page.xpath('//table[@class="copies"]/tbody/tr')}
    assert rows[("1", "A")][2:7] == ["张敏", "质量部", "2026-12-01", "2027-01-11", "2027-01-12"]
    assert "to-recall" in page.xpath('//tr[@data-copy="2"]')[0].get("class")
    # the same copies as `dossier status QP-04 --json`
    row = _status(recorded, "QP-04")
    assert sorted((str(c["copy"]), c["revision"]) for c in row["copies"]) == sorted(rows)
    assert [(str(c["copy"]), c["revision"]) for c in row["copies_to_recall"]] == [("2", "A")]
    assert page.xpath('//*[@id="planned"]')[0].text_content().startswith("分发范围：1号 张敏（质量部）；2号 赵磊（生产部）")
    withdrawn = _page(recorded, "documents/WI-12-01.html")
    assert _copies(withdrawn) == [(str(n), "A", "recall", "待回收") for n in (1, 2, 3)]
    assert withdrawn.xpath('//*[@id="planned"]') == []  # a withdrawn document is not distributed again
    released_not_issued = _page(recorded, "documents/QP-12.html")
    assert released_not_issued.xpath('//*[@id="no-copies"]') and released_not_issued.xpath('//*[@id="planned"]')
    assert _page(recorded, "documents/QM-01.html").xpath('//section[@id="copies"]') == []  # never released, nothing issued


def test_periodic_review_recorded_and_still_overdue_after_a_revise_conclusion(recorded: Path) -> None:
    page = _page(recorded, "documents/QP-12.html")
    reviews = [[td.text_content().strip() for td in tr.xpath("./td")] for tr in page.xpath('//table[@class="reviews"]/tbody/tr')]
    assert reviews == [["2027-01-13", "A", "李强", "需修订", "按GMP 2025修订"]]
    assert "2027-01-13 李强：需修订" in page.xpath('//*[@id="last-review"]')[0].text_content()
    assert page.xpath('//*[@id="next-review"]')[0].text_content().split() == ["2026-01-15", "逾期"]
    assert _page(recorded, "documents/QP-04.html").xpath('//table[@class="reviews"]') == []


def test_a_continue_review_restarts_the_interval_on_every_page(tmp_path: Path) -> None:
    root = recorded_workspace(tmp_path / "ws")
    Ledger(root / "ledger.jsonl").append(action="review", document="QP-12", revision="A", timestamp="2027-01-14T02:00:00Z",
                                         effective_date="2027-01-14", performed_by="李强", result="continue")
    assert run_cli("site", str(root), "--as-of", AS_OF.isoformat()).exit_code == 0
    status = {row["id"]: row for row in _status(root)["documents"]}
    assert status["QP-12"]["next_review"] == "2029-01-14" and not status["QP-12"]["review_overdue"]
    page = _page(root, "documents/QP-12.html")
    assert page.xpath('//*[@id="next-review"]')[0].text_content().strip() == "2029-01-14"
    assert "继续有效" in page.xpath('//*[@id="last-review"]')[0].text_content()
    index = _page(root, "index.html")
    assert index.xpath('//tr[@id="row-QP-12"]/td[contains(@class, "review")]')[0].text_content().strip() == "2029-01-14"
    tiles = {r.get("data-kind"): int(r.get("data-count")) for r in index.xpath('//svg[@id="chart-overdue"]/rect')}
    assert tiles["review"] == 0
    months = {r.get("data-month"): int(r.get("data-count")) for r in index.xpath('//svg[@id="chart-reviews"]/rect')}
    assert months["逾期"] == 0


def test_validation_page_shows_what_status_shows(recorded: Path) -> None:
    page = _page(recorded, "validation.html")
    rows = {tr.get("data-object"): tr for tr in page.xpath('//table[@id="validation-objects"]/tbody/tr')}
    objects = {o["object"]: o for o in _status(recorded)["validation"]}
    assert list(rows) == list(objects)  # plan order
    for ident, tr in rows.items():
        expected = objects[ident]
        cells = [td.text_content().strip() for td in tr.xpath("./td")]
        assert tr.get("data-state") == expected["state"] and cells[4] == expected["state_label"]
        assert cells[9] == (expected["last_validated"] or "—") and cells[10] == (expected["next_due"] or "—")
        flags = {name for name in ("overdue", "late", "failed") if expected[name]}
        flags |= {"assess"} if expected["revalidation_to_assess"] else set()
        assert set(tr.get("data-flags").split()) == flags, ident
    assert set(rows["PW-01"].get("data-flags").split()) == {"overdue", "late"}
    eo = rows["EO-01"]
    assert eo.get("data-state") == "executed" and eo.xpath(".//a/@href") == ["documents/VP-12-01.html", "documents/VR-12-07.html"]
    assert "待评估变更 1" in rows["SW-01"].text_content()
    assert "QP-04 B版于 2027-01-05 发布" in page.xpath('//section[@id="assess-SW-01"]')[0].text_content()
    assert page.xpath('//*[@id="validation-plans"]//a/@href') == ["documents/VMP-01.html"]
    assert "草稿" in page.xpath('//*[@id="validation-plans"]')[0].text_content()
    # the plan, protocol and report pages list the objects they concern
    for doc_id, expected_objects in (("VMP-01", list(objects)), ("VP-12-01", ["EO-01"]), ("VR-12-07", ["EO-01"])):
        section = _page(recorded, f"documents/{doc_id}.html").xpath('//section[@id="validation"]')
        assert [tr.get("data-object") for tr in section[0].xpath(".//tbody/tr")] == expected_objects, doc_id
        assert section[0].xpath(".//a/@href")[-1] == "../validation.html"
    assert _page(recorded, "documents/QP-04.html").xpath('//section[@id="validation"]') == []


def test_failed_validation_is_flagged_and_listed_as_overdue(tmp_path: Path) -> None:
    """An approved report concluding 不合格 (a deviation that affects the conclusion) marks its object FAILED."""
    root = recorded_workspace(tmp_path / "ws")
    report = root / "content" / "VR-12-07.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("affects_conclusion: false", "affects_conclusion: true"), encoding="utf-8")
    ledger = Ledger(root / "ledger.jsonl")
    for doc, when in (("VP-12-01", "2027-01-13"), ("VR-12-07", "2027-01-14")):
        outputs = archive_outputs(root, doc, "A", {f"{doc}.yaml": (root / "content" / f"{doc}.yaml").read_bytes()})
        ledger.append(action="release", document=doc, revision="A", timestamp=f"{when}T02:00:00Z", effective_date=when,
                      inputs_sha256="0" * 64, outputs=outputs, prepared_by="陈静", reviewed_by="李强", approved_by="王建国",
                      reason="首次发布", change_summary="首次发布")
    assert run_cli("site", str(root), "--as-of", AS_OF.isoformat()).exit_code == 0
    eo = next(o for o in _status(root)["validation"] if o["object"] == "EO-01")
    assert eo["failed"] and eo["state"] == "report_approved" and eo["conclusion"] == "不合格"
    row = _page(root, "validation.html").xpath('//tr[@data-object="EO-01"]')[0]
    assert row.get("data-flags") == "failed" and "结论不合格" in row.text_content()
    assert row.xpath("./td")[8].text_content() == "不合格" and row.xpath("./td")[10].text_content() == "2028-01-14"
    overdue = {a.get("href"): a.getparent().text_content() for a in _page(root, "index.html").xpath('//ul[@id="overdue-list"]/li/a')}
    assert "验证报告 VR-12-07 结论不合格" in overdue["validation.html#object-EO-01"]
