"""Incremental builds: only documents whose inputs changed are rebuilt; a bad cache means a full rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

import dossier.pipeline.cache
from dossier.pipeline.build import build
from dossier.pipeline.cache import CACHE_FILE, tool_fingerprint
from tests.conftest import run_cli

BOTH = ["QP-01", "QR-01-01"]  # the scaffold's procedure and record form cite each other


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    first = build(root, fmt="docx")
    assert sorted(first.outputs) == BOTH and first.up_to_date == []
    return root


def _rebuilt(root: Path, **options) -> list[str]:
    result = build(root, fmt="docx", **options)
    return sorted(set(result.outputs) - set(result.up_to_date))


def test_nothing_changed_nothing_rebuilt(workspace: Path) -> None:
    before = (workspace / "build/QP-01.docx").stat().st_mtime_ns
    assert _rebuilt(workspace) == []
    assert (workspace / "build/QP-01.docx").stat().st_mtime_ns == before


def test_an_edited_body_rebuilds_only_its_document(workspace: Path) -> None:
    body = workspace / "content/QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    assert _rebuilt(workspace) == ["QP-01"]


def test_a_cited_documents_new_title_rebuilds_the_citing_one(workspace: Path) -> None:
    form = workspace / "content/QR-01-01.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("title: 文件发放回收记录", "title: 文件发放与回收记录"),
                    encoding="utf-8")
    assert _rebuilt(workspace) == BOTH  # QP-01 prints the form's title where it cites it


def test_an_output_changed_on_disk_is_rebuilt(workspace: Path) -> None:
    (workspace / "build/QR-01-01.docx").write_bytes(b"overwritten")
    assert _rebuilt(workspace) == ["QR-01-01"]


@pytest.mark.parametrize("damage", ["{not json", '{"format": 1, "documents": {}}', ""])
def test_an_unreadable_cache_means_a_full_rebuild(workspace: Path, damage: str) -> None:
    (workspace / "build" / CACHE_FILE).write_text(damage, encoding="utf-8")
    assert _rebuilt(workspace) == BOTH


def test_another_build_of_the_tool_rebuilds_everything(workspace: Path, monkeypatch) -> None:
    assert tool_fingerprint().startswith(dossier.__version__ + "+")
    monkeypatch.setattr(dossier.pipeline.cache, "tool_fingerprint", lambda: f"{dossier.__version__}+changed")
    assert _rebuilt(workspace) == BOTH


def test_force_rebuilds_everything(workspace: Path) -> None:
    assert _rebuilt(workspace, force=True) == BOTH


def test_a_changed_image_rebuilds_the_document_that_shows_it(workspace: Path) -> None:
    from tests.conftest import REPO

    picture = REPO / "tests/data/org-chart.png"
    (workspace / "content/流程 图.png").write_bytes(picture.read_bytes())
    body = workspace / "content/QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n![流程](<流程 图.png>)\n", encoding="utf-8")
    assert _rebuilt(workspace) == ["QP-01"]
    (workspace / "content/流程 图.png").write_bytes(picture.read_bytes() + b"\0")  # same picture, other bytes
    assert _rebuilt(workspace) == ["QP-01"]


@pytest.mark.parametrize("markdown", ["![图 [1] 流程](fig(1).png)", "![流程][fig]\n\n[fig]: fig(1).png", "![流程](fig\\(1\\).png)"])
def test_images_in_every_markdown_form_are_part_of_the_key(workspace: Path, markdown: str) -> None:
    from tests.conftest import REPO

    picture = REPO / "tests/data/org-chart.png"
    (workspace / "content/fig(1).png").write_bytes(picture.read_bytes())
    body = workspace / "content/QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + f"\n{markdown}\n", encoding="utf-8")
    assert _rebuilt(workspace) == ["QP-01"]
    (workspace / "content/fig(1).png").write_bytes(picture.read_bytes() + b"\0")
    assert _rebuilt(workspace) == ["QP-01"]
