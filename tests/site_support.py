"""A released example workspace for the site tests: revised, withdrawn, pending, overdue documents.

Every release and withdrawal is made with a fixed clock, so the ledger and the site describe the
same history on every run. On 2027-01-15 (AS_OF):

- QP-12 A effective since 2024-01-15: its periodic review (24 months) is overdue; the review of
  2027-01-13 concluded it needs revising (需修订), which does not restart the interval;
- QP-04 A (effective 2026-12-01) superseded by B (effective 2027-01-10): copies 1 and 2 were issued
  under A on 2026-12-01; copy 1 came back on 2027-01-11, was issued again under B and its A copy
  destroyed on 2027-01-12; copy 2 (A) is still out, to exchange;
- WI-12-01 A released, copies 1–3 issued on 2026-12-07, then withdrawn on 2027-01-08 (作废): its
  three copies are to recall;
- QP-05 A approved, effective only from 2027-02-01;
- QM-01, QR-12-01, VP-12-01, VR-12-07, VMP-01: drafts, never released. VMP-01's objects: PW-01 and
  EO-01 are overdue and late, SW-01 depends on QP-04 (revised after its validation: to assess),
  EO-01 has a report (VR-12-07, a draft: executed).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from dossier.actions.copies import destroy, issue, recall, review
from dossier.actions.release import obsolete, release, revise
from tests.conftest import copy_workspace, set_signoffs

AS_OF = date(2027, 1, 15)


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T02:00:00").replace(tzinfo=timezone.utc)


def released_workspace(target: Path) -> Path:
    """Copy the example into `target` and give it the history above (six LibreOffice renders)."""
    root = copy_workspace(target)
    qp12 = root / "content" / "QP-12.yaml"  # written and approved in 2023, in force since 2024
    qp12.write_text(qp12.read_text(encoding="utf-8").replace('"2026-11-', '"2023-12-').replace('"2026-12-01"', '"2024-01-15"'),
                    encoding="utf-8")
    release(root, "QP-12", "王建国", "首次发布", now=_at("2024-01-10"))
    release(root, "QP-04", "王建国", "首次发布", now=_at("2026-11-20"))
    release(root, "WI-12-01", "李强", "首次发布", now=_at("2026-11-25"))
    issue(root, "QP-04", [1, 2], by="张敏", now=_at("2026-12-01"))
    issue(root, "WI-12-01", [1, 2, 3], by="张敏", now=_at("2026-12-07"))
    revise(root, "QP-04", change="第4.3条增加电子文件控制要求")
    set_signoffs(root / "content" / "QP-04.yaml", prepared_by=("张敏", "2026-12-28"), reviewed_by=("李强", "2026-12-30"))
    body = root / "content" / "QP-04.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n# 电子文件\n\n电子文件的控制按本程序执行。\n", encoding="utf-8")
    release(root, "QP-04", "王建国", "GMP 2025 第四十六条", effective=date(2027, 1, 10), now=_at("2027-01-05"))
    obsolete(root, "WI-12-01", "工艺变更，合并入QP-12", "王建国", now=_at("2027-01-08"))
    recall(root, "QP-04", 1, by="张敏", now=_at("2027-01-11"))
    issue(root, "QP-04", [1], by="张敏", now=_at("2027-01-11"))
    destroy(root, "QP-04", 1, by="张敏", witness="李强", revision="A", now=_at("2027-01-12"))
    release(root, "QP-05", "王建国", "首次发布", effective=date(2027, 2, 1), now=_at("2027-01-12"))
    review(root, "QP-12", "李强", "revise", note="按GMP 2025修订", now=_at("2027-01-13"))
    return root


def _pdf(text: str) -> bytes:
    """A one-page A4 PDF standing in for a rendered revision (its text names the revision)."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(595.276, 841.89)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def recorded_workspace(target: Path) -> Path:
    """The history of `released_workspace` written straight into the ledger and archive (no LibreOffice).

    Each archived PDF is a one-page stand-in reading `ID REV` (QP-12 also has a signed copy, `ID REV
    signed`); the ledger entries are real ones.
    """
    from dossier.control.archive import archive_outputs
    from dossier.control.ledger import Ledger

    root = copy_workspace(target)
    qp04 = root / "content" / "QP-04.yaml"
    qp04.write_text(qp04.read_text(encoding="utf-8").replace("revision: A", "revision: B")
                    .replace("change: 首次发布", "change: 第4.3条增加电子文件控制要求"), encoding="utf-8")
    ledger = Ledger(root / "ledger.jsonl")

    def released(doc: str, rev: str, when: str, effective: str, change: str = "首次发布", reason: str = "首次发布") -> None:
        files = {f"{doc}.pdf": _pdf(f"{doc} {rev}"), f"{doc}.yaml": b"id: x\n"}
        if doc == "QP-12":  # released with --sign: the archive also holds the signed copy, the one issued
            files[f"{doc}.signed.pdf"] = _pdf(f"{doc} {rev} signed")
        outputs = archive_outputs(root, doc, rev, files)
        ledger.append(action="release", document=doc, revision=rev, timestamp=f"{when}T02:00:00Z", effective_date=effective,
                      inputs_sha256="0" * 64, outputs=outputs, prepared_by="张敏", reviewed_by="李强", approved_by="王建国",
                      reason=reason, change_summary=change)

    def copy(action: str, doc: str, rev: str, number: int, when: str, **values: str) -> None:
        ledger.append(action=action, document=doc, revision=rev, timestamp=f"{when}T02:00:00Z", effective_date=when, copy=number,
                      performed_by="张敏", **values)

    holders = {"QP-04": {1: ("张敏", "质量部"), 2: ("赵磊", "生产部")},
               "WI-12-01": {1: ("张敏", "质量部"), 2: ("赵磊", "生产部"), 3: ("赵磊", "生产部（C106 洁具间张贴）")}}
    released("QP-12", "A", "2024-01-10", "2024-01-15")
    released("QP-04", "A", "2026-11-20", "2026-12-01")
    released("WI-12-01", "A", "2026-11-25", "2026-12-07")
    for doc, rev, when, numbers in (("QP-04", "A", "2026-12-01", (1, 2)), ("WI-12-01", "A", "2026-12-07", (1, 2, 3))):
        for number in numbers:
            holder, department = holders[doc][number]
            copy("issue", doc, rev, number, when, holder=holder, department=department)
    released("QP-04", "B", "2027-01-05", "2027-01-10", "第4.3条增加电子文件控制要求", "GMP 2025 第四十六条")
    ledger.append(action="obsolete", document="WI-12-01", revision="A", timestamp="2027-01-08T02:00:00Z",
                  effective_date="2027-01-08", reason="工艺变更，合并入QP-12", approved_by="王建国")
    copy("recall", "QP-04", "A", 1, "2027-01-11")
    copy("issue", "QP-04", "B", 1, "2027-01-11", holder="张敏", department="质量部")
    copy("destroy", "QP-04", "A", 1, "2027-01-12", witness="李强")
    released("QP-05", "A", "2027-01-12", "2027-02-01")
    ledger.append(action="review", document="QP-12", revision="A", timestamp="2027-01-13T02:00:00Z", effective_date="2027-01-13",
                  performed_by="李强", result="revise", note="按GMP 2025修订")
    return root
