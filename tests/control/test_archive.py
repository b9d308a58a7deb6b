"""The release archive and the workspace check of archived outputs against the ledger."""

from __future__ import annotations

import hashlib
import stat
from datetime import date
from pathlib import Path

import pytest

import dossier.control.archive as archive_module
from dossier.control.archive import archive_outputs, release_dir, revision_dirname
from dossier.control.ledger import Ledger, verify_workspace
from dossier.control.lifecycle import DraftChange, State, document_status, history_rows
from dossier.errors import UsageError
from dossier.workspace.revisions import scheme

PDF_A = b"%PDF-1.7 QP-04 revision A"
DOCX_A = b"PK docx QP-04 revision A"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def release(root: Path, doc: str, rev: str, files: dict[str, bytes], day: int = 1, releases: str = "releases",
            ledger_name: str = "ledger.jsonl") -> dict[str, str]:
    """Archive `files` and record the release, as `dossier release` does."""
    outputs = archive_outputs(root, doc, rev, files, releases=releases)
    Ledger(root / ledger_name).append(
        action="release", document=doc, revision=rev, timestamp=f"2026-11-{day:02d}T08:00:00Z",
        effective_date="2026-12-01", inputs_sha256=sha(doc.encode() + rev.encode()), outputs=outputs,
        prepared_by="张敏", reviewed_by="李强", approved_by="王建国", reason="首次发布", change_summary="首次发布",
    )
    return outputs


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """QP-04 A and B and QP-05 A released and archived."""
    release(tmp_path, "QP-04", "A", {"QP-04.pdf": PDF_A, "QP-04.docx": DOCX_A}, 1)
    release(tmp_path, "QP-05", "A", {"QP-05.pdf": b"%PDF QP-05 A"}, 2)
    release(tmp_path, "QP-04", "B", {"QP-04.pdf": b"%PDF QP-04 B", "QP-04.docx": b"PK QP-04 B"}, 3)
    return tmp_path


def writable(path: Path) -> Path:
    path.chmod(0o644)
    return path


# --- archive_outputs -------------------------------------------------------------------------

def test_archive_writes_read_only_files_and_returns_their_hashes(tmp_path):
    outputs = archive_outputs(tmp_path, "QP-04", "A", {"QP-04.pdf": PDF_A, "QP-04.docx": DOCX_A})
    assert outputs == {"releases/QP-04/A/QP-04.docx": sha(DOCX_A), "releases/QP-04/A/QP-04.pdf": sha(PDF_A)}
    assert list(outputs) == sorted(outputs)
    folder = tmp_path / "releases" / "QP-04" / "A"
    assert sorted(p.name for p in folder.iterdir()) == ["QP-04.docx", "QP-04.pdf"]
    assert (folder / "QP-04.pdf").read_bytes() == PDF_A
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert [p.name for p in (tmp_path / "releases" / "QP-04").iterdir()] == ["A"]  # no temp folder left


def test_an_archived_revision_is_never_overwritten(tmp_path):
    archive_outputs(tmp_path, "QP-04", "A", {"QP-04.pdf": PDF_A})
    with pytest.raises(UsageError, match="^QP-04 revision A is already archived$"):
        archive_outputs(tmp_path, "QP-04", "A", {"QP-04.pdf": b"changed", "extra.pdf": b"x"})
    folder = tmp_path / "releases" / "QP-04" / "A"
    assert [p.name for p in folder.iterdir()] == ["QP-04.pdf"]
    assert (folder / "QP-04.pdf").read_bytes() == PDF_A
    assert [p.name for p in folder.parent.iterdir()] == ["A"]


def test_edition_revisions_get_a_folder_without_slash(tmp_path):
    assert revision_dirname("A/1") == "A-1"
    outputs = archive_outputs(tmp_path, "QP-04", "A/1", {"QP-04.pdf": PDF_A})
    assert outputs == {"releases/QP-04/A-1/QP-04.pdf": sha(PDF_A)}
    assert release_dir(tmp_path, "QP-04", "A/1") == tmp_path / "releases" / "QP-04" / "A-1"


def test_archive_folder_is_configurable(tmp_path):
    outputs = archive_outputs(tmp_path, "QP-04", "1.0", {"QP-04.pdf": PDF_A}, releases="records/released")
    assert outputs == {"records/released/QP-04/1.0/QP-04.pdf": sha(PDF_A)}
    assert (tmp_path / "records/released/QP-04/1.0/QP-04.pdf").read_bytes() == PDF_A


@pytest.mark.parametrize("doc, rev, name", [
    ("../QP-04", "A", "QP-04.pdf"), ("QP-04", "..", "QP-04.pdf"), ("QP-04", "A", "../x.pdf"),
    ("QP-04", "A", ".hidden"), ("QP-04", "A", "sub/x.pdf"), ("", "A", "x.pdf"),
])
def test_unsafe_names_are_refused_before_anything_is_written(tmp_path, doc, rev, name):
    with pytest.raises(ValueError, match="cannot be used as a file or folder name"):
        archive_outputs(tmp_path, doc, rev, {name: b"x"})
    assert list(tmp_path.iterdir()) == []


def test_nothing_to_archive_is_refused(tmp_path):
    with pytest.raises(ValueError, match="QP-04 revision A: nothing to archive"):
        archive_outputs(tmp_path, "QP-04", "A", {})


def test_a_failed_write_leaves_no_archive_folder(tmp_path, monkeypatch):
    real = archive_module._write_read_only

    def failing(path: Path, data: bytes) -> None:
        if path.name == "QP-04.pdf":
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(archive_module, "_write_read_only", failing)
    with pytest.raises(OSError, match="No space left"):
        archive_outputs(tmp_path, "QP-04", "A", {"QP-04.docx": DOCX_A, "QP-04.pdf": PDF_A})
    assert list((tmp_path / "releases" / "QP-04").iterdir()) == []
    monkeypatch.setattr(archive_module, "_write_read_only", real)
    assert archive_outputs(tmp_path, "QP-04", "A", {"QP-04.pdf": PDF_A})  # a retry works


# --- verify_workspace ------------------------------------------------------------------------

def test_an_intact_workspace_verifies(workspace):
    assert verify_workspace(workspace) == []


def test_empty_workspace_verifies(tmp_path):
    assert verify_workspace(tmp_path) == []


def test_a_missing_workspace_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not a workspace folder"):
        verify_workspace(tmp_path / "nope")


def test_changed_archived_file_names_the_entry(workspace):
    pdf = writable(workspace / "releases/QP-04/A/QP-04.pdf")
    pdf.write_bytes(PDF_A.replace(b"A", b"a"))
    assert verify_workspace(workspace) == ["releases/QP-04/A/QP-04.pdf: SHA-256 differs from ledger entry 1"]


def test_missing_archived_file(workspace):
    (workspace / "releases/QP-04/B/QP-04.docx").unlink()
    assert verify_workspace(workspace) == ["releases/QP-04/B/QP-04.docx: missing (recorded in ledger entry 3)"]


def test_file_added_to_an_archive_folder(workspace):
    (workspace / "releases/QP-05/A/QP-05-scan.pdf").write_bytes(b"%PDF added later")
    assert verify_workspace(workspace) == ["releases/QP-05/A/QP-05-scan.pdf: archived, but not recorded in ledger.jsonl"]


def test_entries_removed_from_the_end_show_as_unrecorded_archives(workspace):
    ledger = workspace / "ledger.jsonl"
    ledger.write_text("".join(ledger.read_text(encoding="utf-8").splitlines(keepends=True)[:2]), encoding="utf-8")
    assert verify_workspace(workspace) == [
        "releases/QP-04/B: archived, but no entry in ledger.jsonl records it (entry removed?)"
    ]


def test_ledger_and_archive_problems_are_reported_together(workspace):
    ledger = workspace / "ledger.jsonl"
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    ledger.write_text(lines[0].replace("王建国", "王建图") + "".join(lines[1:]), encoding="utf-8")
    writable(workspace / "releases/QP-05/A/QP-05.pdf").write_bytes(b"%PDF replaced")
    assert verify_workspace(workspace) == [
        "ledger.jsonl line 1: entry 1 (release of QP-04 revision A) was edited: its content no longer matches its hash",
        "releases/QP-05/A/QP-05.pdf: SHA-256 differs from ledger entry 2",
    ]


def test_output_recorded_outside_the_archive_is_reported(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    Ledger(tmp_path / "ledger.jsonl").append(
        action="release", document="QP-04", revision="A", timestamp="2026-11-01T08:00:00Z",
        effective_date="2026-12-01", inputs_sha256=sha(b"x"), outputs={"../notes.txt": sha(b"x")},
        approved_by="王建国",
    )
    assert verify_workspace(tmp_path) == [
        "ledger.jsonl line 1: entry 1 (release of QP-04 revision A) records an output outside releases/: ../notes.txt"
    ]


def test_leftover_temporary_folders_are_ignored(workspace):
    (workspace / "releases/QP-04/.C.tmp123").mkdir()
    (workspace / "releases/QP-04/.C.tmp123/QP-04.pdf").write_bytes(b"half")
    assert verify_workspace(workspace) == []


def test_configured_ledger_and_archive_paths(tmp_path):
    release(tmp_path, "QP-04", "A", {"QP-04.pdf": PDF_A}, releases="archive", ledger_name="records/ledger.jsonl")
    assert verify_workspace(tmp_path, "records/ledger.jsonl", releases="archive") == []
    writable(tmp_path / "archive/QP-04/A/QP-04.pdf").write_bytes(b"x")
    (tmp_path / "archive/QP-05/A").mkdir(parents=True)
    (tmp_path / "archive/QP-05/A/QP-05.pdf").write_bytes(b"y")
    assert verify_workspace(tmp_path, "records/ledger.jsonl", releases="archive") == [
        "archive/QP-04/A/QP-04.pdf: SHA-256 differs from ledger entry 1",
        "archive/QP-05/A: archived, but no entry in records/ledger.jsonl records it (entry removed?)",
    ]


# --- the whole release cycle the CLI builds on -----------------------------------------------

def test_release_revise_release_then_tamper(tmp_path):
    """Release QP-04 A, revise to B, release B: status, history and archive hold; tampering shows."""
    letters = scheme("letters")
    ledger = Ledger(tmp_path / "ledger.jsonl")
    rev_a = letters.first()
    pdf_a = b"%PDF-1.7 QP-04 A body"
    outputs_a = archive_outputs(tmp_path, "QP-04", rev_a, {"QP-04.pdf": pdf_a})
    ledger.append(action="release", document="QP-04", revision=rev_a, timestamp="2026-11-20T01:00:00Z",
                  effective_date="2026-12-01", inputs_sha256=sha(b"inputs A"), outputs=outputs_a,
                  prepared_by="张敏", reviewed_by="李强", approved_by="王建国", reason="首次发布",
                  change_summary="首次发布")

    rev_b = letters.next(rev_a)
    assert rev_b == "B" and ledger.released("QP-04", rev_b) is None
    outputs_b = archive_outputs(tmp_path, "QP-04", rev_b, {"QP-04.pdf": b"%PDF-1.7 QP-04 B body"})
    ledger.append(action="release", document="QP-04", revision=rev_b, timestamp="2027-02-10T01:00:00Z",
                  effective_date="2027-03-01", inputs_sha256=sha(b"inputs B"), outputs=outputs_b,
                  prepared_by="张敏", reviewed_by="李强", approved_by="王建国",
                  reason="CAPA-2027-004：文件发放改为电子受控", change_summary="第5.4条改为电子发放")

    status = document_status(ledger.entries(), "QP-04", "B", "procedure", date(2027, 3, 2))
    assert status.as_dict()["revisions"] == {"A": "superseded", "B": "effective"}
    assert status.state is State.EFFECTIVE
    rows = history_rows(ledger.entries(), "QP-04", DraftChange("B", "draft text", "2027-03-01", "张敏", "王建国"))
    assert [(r.revision, r.reason) for r in rows] == [("A", "首次发布"), ("B", "CAPA-2027-004：文件发放改为电子受控")]
    assert (tmp_path / "releases/QP-04/A/QP-04.pdf").read_bytes() == pdf_a
    assert verify_workspace(tmp_path) == []

    lines = ledger.path.read_text(encoding="utf-8").splitlines(keepends=True)
    ledger.path.write_text(lines[0].replace("首次发布", "首次发行", 1) + lines[1], encoding="utf-8")
    assert verify_workspace(tmp_path) == [
        "ledger.jsonl line 1: entry 1 (release of QP-04 revision A) was edited: its content no longer matches its hash"
    ]
