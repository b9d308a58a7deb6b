"""The local LibreOffice pool: conversion, reused and locked profiles, failures named, reproducibility."""

from __future__ import annotations

import io
import socket
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from dossier.convert import convert_batch
from dossier.convert.profiles import lo_profile
from dossier.errors import EXIT_INPUT, EXIT_TOOL, ToolError, UsageError
from dossier.pdf.normalise import normalise_pdf

pytestmark = pytest.mark.libreoffice


def make_docx(path: Path, text: str, paragraphs: int = 3) -> Path:
    """A small Chinese docx whose body repeats `text`."""
    document = docx.Document()
    document.add_heading(text, level=1)
    for number in range(paragraphs):
        document.add_paragraph(f"{text}：第{'一二三四五六七八九十'[number]}段，质量管理体系文件控制要求。")
    document.save(path)
    return path


def make_unconvertible(path: Path) -> Path:
    """A .docx that is a zip without a document: LibreOffice writes no PDF for it."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "no word/document.xml here")
    return path


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def cache_home(tmp_path, monkeypatch) -> Path:
    """An empty XDG cache for the profiles of this test."""
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("DOSSIER_CONVERTER", raising=False)
    return home


def test_pool_converts_each_document_reports_it_and_keeps_its_profiles(tmp_path, cache_home):
    names = {"甲": "alpha", "乙": "beta", "丙": "gamma"}
    files = [make_docx(tmp_path / f"{stem}.docx", f"文件{text}") for text, stem in names.items()]
    done: list[Path] = []
    results = convert_batch(files, tmp_path / "pdf", workers=2, on_done=done.append)
    assert sorted(done) == sorted(files)
    for text, stem in names.items():
        pdf = results[tmp_path / f"{stem}.docx"]
        assert pdf == tmp_path / "pdf" / f"{stem}.pdf"
        assert f"文件{text}：第三段" in pdf_text(pdf)
    profiles = sorted(p.name for p in (cache_home / "dossier").iterdir() if p.is_dir())
    assert profiles == ["lo-profile-0", "lo-profile-1"]
    for name in profiles:
        assert (cache_home / "dossier" / name / "user").is_dir(), "LibreOffice wrote its profile there"
    with lo_profile() as profile:
        assert profile.name == "lo-profile-0", "the locks were released"


def test_profiles_are_locked_per_process_and_fall_back_to_a_temporary_one(tmp_path, cache_home, monkeypatch):
    with lo_profile() as first, lo_profile() as second:
        assert first != second and first.parent == second.parent == cache_home / "dossier"
    (tmp_path / "not-a-dir").write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-dir"))
    with lo_profile() as temporary:
        assert temporary.is_dir() and cache_home not in temporary.parents
    assert not temporary.exists(), "the temporary profile is removed"


def test_a_document_that_cannot_be_converted_is_named_after_a_retry(tmp_path, cache_home):
    good = make_docx(tmp_path / "good.docx", "正常文件")
    bad = make_unconvertible(tmp_path / "broken.docx")
    done: list[Path] = []
    with pytest.raises(ToolError) as error:
        convert_batch([good, bad], tmp_path / "pdf", on_done=done.append)
    assert error.value.exit_code == EXIT_TOOL
    assert error.value.lines() == ["error: broken.docx: LibreOffice conversion to PDF produced no valid PDF (tried twice)"]
    assert done == [good]
    assert not (tmp_path / "pdf" / "broken.pdf").exists()


def test_converter_urls_are_checked_together(tmp_path):
    doc = make_docx(tmp_path / "a.docx", "文件")
    with pytest.raises(UsageError) as error:
        convert_batch([doc], tmp_path / "pdf", converters=["http://x:1", "unoserver://"])
    assert error.value.exit_code == EXIT_INPUT
    assert str(error.value).splitlines() == [
        "error: converter 'http://x:1': expected unoserver://HOST:PORT, gotenberg+http://HOST:PORT or gotenberg+https://HOST:PORT",
        "error: converter 'unoserver://': expected unoserver://HOST:PORT, gotenberg+http://HOST:PORT or gotenberg+https://HOST:PORT",
    ]


def test_the_environment_selects_remote_converters(tmp_path, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("DOSSIER_CONVERTER", f"unoserver://127.0.0.1:{port}")
    doc = make_docx(tmp_path / "a.docx", "文件")
    with pytest.raises(ToolError, match=rf"a\.docx: .*no converter reachable .*127\.0\.0\.1:{port}: cannot reach server"):
        convert_batch([doc], tmp_path / "pdf")


def normalised(pdf: Path) -> bytes:
    return normalise_pdf(pdf.read_bytes(), datetime(2026, 1, 1), "标题")


def test_a_document_normalises_to_the_same_bytes_alone_and_late_in_a_batch(tmp_path, cache_home):
    others = [make_docx(tmp_path / f"other{n}.docx", f"其他文件{n}", paragraphs=8) for n in range(2)]
    target = make_docx(tmp_path / "target.docx", "目标文件", paragraphs=2)  # the smallest goes last
    alone = convert_batch([target], tmp_path / "alone", workers=1)[target]
    late = convert_batch([*others, target], tmp_path / "batch", workers=1)[target]
    fonts = [PdfReader(io.BytesIO(p.read_bytes())).pages[0]["/Resources"]["/Font"] for p in (alone, late)]
    assert len(fonts[0]) == len(fonts[1])
    assert normalised(alone) == normalised(late)


def test_a_long_batch_is_split_over_fresh_processes(tmp_path, cache_home, monkeypatch):
    """Each soffice converts at most MAX_PER_PROCESS documents, which bounds its memory."""
    from dossier.convert import local

    runs: list[int] = []
    real_run = local.run_soffice

    def counting(files, out_dir, timeout, profile):
        runs.append(len(files))
        return real_run(files, out_dir, timeout, profile)

    monkeypatch.setattr(local, "MAX_PER_PROCESS", 2)
    monkeypatch.setattr(local, "run_soffice", counting)
    files = [make_docx(tmp_path / f"d{n}.docx", f"文件{n}") for n in range(5)]
    results = convert_batch(files, tmp_path / "pdf", workers=1)
    assert runs == [2, 2, 1]
    assert all(PdfReader(results[f]).pages for f in files)
