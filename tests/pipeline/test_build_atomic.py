"""A build changes build/ as one step after the whole run succeeded; the manifest describes build/ (issue 14 #14)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.conftest import run_cli
from tests.hostile_support import new_workspace


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _manifest_matches(root: Path) -> None:
    manifest = json.loads((root / "build" / "manifest.json").read_text(encoding="utf-8"))
    listed = {item["path"]: item["sha256"] for doc in manifest["documents"] for item in doc["outputs"]}
    listed.update({item["path"]: item["sha256"] for item in manifest["disinfectant"]})
    on_disk = {f"build/{name}": digest for name, digest in _tree(root / "build").items()
               if not name.startswith(".") and name != "manifest.json"}
    assert listed == on_disk


def test_a_cache_that_cannot_be_written_leaves_build_as_it_was(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    assert run_cli("build", str(root), "--format", "docx").exit_code == 0
    _manifest_matches(root)
    cache = root / "build" / ".cache"
    for path in cache.iterdir():
        path.unlink()
    cache.rmdir()
    cache.write_text("a file where the cache folder goes (as immutable as it gets for root)\n")
    before = _tree(root / "build")
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    result = run_cli("build", str(root), "--format", "docx")
    assert result.exit_code == 3, result.output
    assert result.output.startswith("error: ") and "Traceback" not in result.output
    assert _tree(root / "build") == before  # not one output moved: QP-01.docx is the old one
    assert not list((root / "build").glob(".staging-*"))


def test_switching_format_removes_the_other_and_the_manifest_follows(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    (root / "build").mkdir()
    (root / "build" / "QP-01.pdf").write_bytes(b"%PDF- an old PDF")
    assert run_cli("build", str(root), "--format", "docx").exit_code == 0
    assert not (root / "build" / "QP-01.pdf").exists()
    _manifest_matches(root)


def test_leftovers_of_killed_runs_are_cleaned_by_the_next_build(tmp_path: Path, monkeypatch) -> None:
    import subprocess
    import sys

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    root = new_workspace(tmp_path / "ws")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (root / "build").mkdir()
    leftover_tmp = root / "build" / f".QP-01.docx.{gone.pid}.x1y2z3w4.tmp"
    leftover_tmp.write_bytes(b"half written")
    stage = root / "build" / ".staging-killed"
    (stage / "new").mkdir(parents=True)
    (stage / ".lock").write_bytes(b"")
    old_scratch = scratch / "dossier-build-killed"
    old_scratch.mkdir()
    (old_scratch / ".lock").write_bytes(b"")
    assert run_cli("build", str(root), "--format", "docx").exit_code == 0
    assert not leftover_tmp.exists() and not stage.exists() and not old_scratch.exists()
    assert not [p for p in scratch.iterdir() if p.name.startswith("dossier-")]


def _fake_run_jobs(jobs, staging, converters, pdf=True, progress=False, workers=None, timeout=None):
    """Render for real, 'convert' to a blank one-page PDF (this test is about writing, not LibreOffice)."""
    import io

    from pypdf import PdfWriter

    from dossier.pipeline.overlap import Produced

    def blank() -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()
    return {job.name: Produced(job.render(None).docx, blank() if pdf else None) for job in jobs}


def test_filings_are_staged_with_the_rest(tmp_path: Path, monkeypatch) -> None:
    from dossier.pipeline import overlap as overlap_module
    from tests.hostile_support import with_product

    monkeypatch.setattr(overlap_module, "run_jobs", _fake_run_jobs)  # build imports it when something is to be made
    root = new_workspace(tmp_path)
    product = with_product(root)
    assert run_cli("build", str(root)).exit_code == 0
    filings = root / "build" / "disinfectant" / "skin-ethanol"
    assert len(list(filings.iterdir())) == 11  # annex 1–5 as .docx and PDF, and the bound filing
    _manifest_matches(root)
    before = _tree(root / "build")
    product.write_text(product.read_text(encoding="utf-8").replace("x_mm: 145", "x_mm: 150"), encoding="utf-8")
    manifest = root / "build" / "manifest.json"
    manifest.unlink()
    manifest.mkdir()  # something in the way of the last file to move
    (manifest / "keep").write_text("x")
    before = _tree(root / "build")
    result = run_cli("build", str(root))
    # the warnings come first, as check prints them (the product's rule set is not the one in force)
    assert result.exit_code == 3 and result.stderr.splitlines()[-1].startswith("error: "), result.output
    assert all(line.startswith("warning: content/disinfectant/") for line in result.stderr.splitlines()[:-1])
    assert _tree(root / "build") == before  # no new filing beside old ones
