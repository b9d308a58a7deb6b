"""A released example workspace for the site tests: revised, withdrawn, pending, overdue documents.

Every release and withdrawal is made with a fixed clock, so the ledger and the site describe the
same history on every run. On 2027-01-15 (AS_OF):

- QP-12 A effective since 2024-01-15: its periodic review (24 months) is overdue;
- QP-04 A (effective 2026-12-01) superseded by B (effective 2027-01-10): copies issued under A are to recall;
- WI-12-01 A released, then withdrawn on 2027-01-08 (作废);
- QP-05 A approved, effective only from 2027-02-01;
- QM-01, QR-12-01, VP-12-01: drafts, never released.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from dossier.actions.release import obsolete, release, revise
from tests.conftest import copy_workspace

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
    release(root, "WI-12-01", "王建国", "首次发布", now=_at("2026-11-25"))
    revise(root, "QP-04", change="第4.3条增加电子文件控制要求")
    body = root / "content" / "QP-04.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n# 电子文件\n\n电子文件的控制按本程序执行。\n", encoding="utf-8")
    release(root, "QP-04", "王建国", "GMP 2025 第四十六条", effective=date(2027, 1, 10), now=_at("2027-01-05"))
    obsolete(root, "WI-12-01", "工艺变更，合并入QP-12", "王建国", now=_at("2027-01-08"))
    release(root, "QP-05", "王建国", "首次发布", effective=date(2027, 2, 1), now=_at("2027-01-12"))
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

    released("QP-12", "A", "2024-01-10", "2024-01-15")
    released("QP-04", "A", "2026-11-20", "2026-12-01")
    released("WI-12-01", "A", "2026-11-25", "2026-12-07")
    released("QP-04", "B", "2027-01-05", "2027-01-10", "第4.3条增加电子文件控制要求", "GMP 2025 第四十六条")
    ledger.append(action="obsolete", document="WI-12-01", revision="A", timestamp="2027-01-08T02:00:00Z",
                  effective_date="2027-01-08", reason="工艺变更，合并入QP-12", approved_by="王建国")
    released("QP-05", "A", "2027-01-12", "2027-02-01")
    return root
