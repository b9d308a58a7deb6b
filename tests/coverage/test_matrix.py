"""Article statuses from declarations and document states: what counts as meeting an article."""

from __future__ import annotations

import pytest

from dossier.coverage.catalogue import load_rules
from dossier.coverage.declarations import Claim, Declarations, Exclusion
from dossier.coverage.matrix import DocumentInfo, coverage_matrix

RULES = load_rules()
KIND_LABELS = {"procedure": "程序文件", "record_form": "记录表单", "quality_manual": "质量手册"}


def info(doc_id: str, kind: str = "procedure", state: str = "effective") -> DocumentInfo:
    return DocumentInfo(doc_id, f"{doc_id} 标题", "A", kind, KIND_LABELS[kind], state)


def matrix(claims: dict[str, list[int]], documents: list[DocumentInfo], exclusions: tuple[int, ...] = (), drafts_cover: bool = False):
    decl = Declarations(["device-gmp-2025"], drafts_cover)
    decl.claims["device-gmp-2025"] = [Claim(doc, str(a), "", "x.yaml", 1) for doc, articles in claims.items() for a in articles]
    decl.not_applicable["device-gmp-2025"] = {str(a): Exclusion(str(a), "不适用的理由", False, "dossier.yaml", 9) for a in exclusions}
    result = coverage_matrix(RULES, decl, {d.id: d for d in documents})
    return result, {row.article.number: row for row in result.rows}


def test_nothing_declared_fails_on_every_article_that_requires_a_document() -> None:
    result, rows = matrix({}, [])
    assert len(result.rows) == 132
    assert {n for n, r in rows.items() if r.status == "informative"} == {1, 2, 3, 4, 5, 6, 130, 131, 132}
    assert [r.article.number for r in result.failing] == [n for n in range(1, 133) if RULES.article(n).requires]
    assert rows[43].problem == "no document covers it (requires 文件控制程序、文件分发、替换或者撤销、销毁记录)"
    assert rows[8].status == "gap" and not rows[8].failing  # an activity article: reported, not failed
    summary = result.summary()
    assert summary["requiring_documents"] == 70 and summary["requiring_documents_met"] == 0 and len(summary["failing"]) == 70


def test_an_effective_procedure_covers_and_a_declared_article_is_not_applicable() -> None:
    result, rows = matrix({"QP-04": [43, 44]}, [info("QP-04")], exclusions=(120,))
    assert rows[43].status == "covered" and rows[43].documents[0].document.id == "QP-04"
    assert rows[44].status == "covered"
    assert rows[120].status == "not_applicable" and rows[120].exclusion.reason == "不适用的理由" and not rows[120].failing
    assert 43 not in result.summary()["failing"]


@pytest.mark.parametrize("state", ["draft", "obsolete"])
def test_drafts_and_withdrawn_documents_do_not_cover(state: str) -> None:
    _, rows = matrix({"QP-04": [43]}, [info("QP-04", state=state)])
    assert rows[43].status == "gap" and rows[43].failing
    word = {"draft": "drafts QP-04", "obsolete": "withdrawn documents QP-04"}[state]
    assert rows[43].problem.startswith(f"covered only by {word}")


def test_drafts_count_while_the_system_is_set_up_but_withdrawn_documents_never() -> None:
    _, rows = matrix({"QP-04": [43], "QP-05": [45]}, [info("QP-04", state="draft"), info("QP-05", state="obsolete")], drafts_cover=True)
    assert rows[43].status == "covered"
    assert rows[45].status == "gap"


def test_an_approved_revision_counts() -> None:
    _, rows = matrix({"QP-04": [43]}, [info("QP-04", state="approved")])
    assert rows[43].status == "covered"


def test_a_record_form_alone_cannot_be_the_procedure_an_article_requires() -> None:
    _, rows = matrix({"QR-04-02": [43]}, [info("QR-04-02", kind="record_form")])
    assert rows[43].status == "gap" and rows[43].failing
    assert rows[43].problem == ("requires 文件控制程序 (程序), which only a procedure / quality_manual / work_instruction can be; "
                                "covered only by QR-04-02（记录表单）")
    _, rows = matrix({"QR-04-02": [43], "QM-01": [43]}, [info("QR-04-02", kind="record_form"), info("QM-01", kind="quality_manual")])
    assert rows[43].status == "covered"


def test_a_record_requirement_is_met_by_any_kind() -> None:
    _, rows = matrix({"QR-13-01": [81]}, [info("QR-13-01", kind="record_form")])
    assert rows[81].status == "covered"


def test_json_form() -> None:
    result, _ = matrix({"QP-04": [43]}, [info("QP-04")], exclusions=(120,))
    data = result.as_dict()
    assert data["rules"] == "device-gmp-2025" and len(data["articles"]) == 132
    row = next(a for a in data["articles"] if a["article"] == 43)
    assert row["status"] == "covered" and row["requires"][0] == {"type": "procedure", "subject": "文件控制程序"}
    assert row["documents"] == [{"id": "QP-04", "title": "QP-04 标题", "revision": "A", "state": "effective", "kind": "procedure",
                                 "section": None, "counts": True}]
    assert data["summary"]["not_applicable"] == 1 and data["summary"]["informative"] == 9
