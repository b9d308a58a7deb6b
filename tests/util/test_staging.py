"""Outputs move into place as one step; what killed runs leave is finished or removed (issue 14 #14, #15)."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.util import staging as staging_module
from dossier.util.scratch import clean_scratch, remove_stale_tmp
from dossier.util.staging import Staging, recover


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _old_build(folder: Path) -> dict[str, bytes]:
    files = {"QP-01.docx": b"old docx", "QP-01.pdf": b"old pdf", "manifest.json": b"{old}", ".cache/state.json": b"{}"}
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return files


def test_commit_puts_and_removes_together_manifest_last(tmp_path: Path) -> None:
    _old_build(tmp_path)
    order = []
    real = os.replace

    def spy(src, dst):
        order.append(Path(dst).name)
        return real(src, dst)

    with Staging(tmp_path) as stage:
        stage.put("QP-01.docx", b"new docx")
        stage.put("manifest.json", b"{new}")
        stage.put("disinfectant/p/a.pdf", b"filing")
        stage.remove("QP-01.pdf")
        assert _tree(tmp_path)["QP-01.docx"] == b"old docx"  # nothing changes before commit
        os.replace = spy
        try:
            stage.commit(last=("manifest.json",))
        finally:
            os.replace = real
    assert _tree(tmp_path) == {"QP-01.docx": b"new docx", "manifest.json": b"{new}", "disinfectant/p/a.pdf": b"filing",
                               ".cache/state.json": b"{}"}
    assert [n for n in order if not n.startswith(".")][-1] == "manifest.json"
    assert not list(tmp_path.glob(".staging-*"))


@pytest.mark.parametrize("blocker", ["file-for-folder", "folder-for-file"])
def test_a_failing_move_puts_everything_back(tmp_path: Path, blocker: str) -> None:
    before = _old_build(tmp_path)
    if blocker == "file-for-folder":  # build/.cache is a file: the cache cannot go in (like an immutable folder)
        (tmp_path / ".cache" / "state.json").unlink()
        (tmp_path / ".cache").rmdir()
        (tmp_path / ".cache").write_bytes(b"in the way")
        before = _tree(tmp_path)
    else:  # a folder (with content) where the manifest should go
        (tmp_path / "manifest.json").unlink()
        (tmp_path / "manifest.json").mkdir()
        (tmp_path / "manifest.json" / "x").write_bytes(b"x")
        before = _tree(tmp_path)
    stage = Staging(tmp_path)
    stage.put("QP-01.docx", b"new docx")
    stage.put("QP-02.docx", b"another")
    stage.remove("QP-01.pdf")
    stage.put(".cache/state.json", b"{new}")
    stage.put("manifest.json", b"{new}")
    with pytest.raises(OSError):
        stage.commit(last=(".cache/state.json", "manifest.json"))
    stage.close()
    assert _tree(tmp_path) == before
    assert not list(tmp_path.glob(".staging-*"))


KILLED_COMMIT = """
import os, sys
from pathlib import Path
from dossier.util import staging
folder = Path(sys.argv[1])
stage = staging.Staging(folder)
for i in range(6):
    stage.put(f"doc-{i}.pdf", f"new {i}".encode())
stage.remove("stale.pdf")
stage.put("manifest.json", b"{new}")
real, calls = os.replace, [0]
def dying(src, dst):
    calls[0] += 1
    if calls[0] == 5:
        os._exit(9)  # as SIGKILL would: no clean-up, no roll-back
    return real(src, dst)
staging.os.replace = dying
stage.commit(last=("manifest.json",))
"""


def test_a_commit_killed_halfway_is_finished_by_the_next_run(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    for i in range(6):
        (build / f"doc-{i}.pdf").write_bytes(f"old {i}".encode())
    (build / "stale.pdf").write_bytes(b"stale")
    (build / "manifest.json").write_bytes(b"{old}")
    done = subprocess.run([sys.executable, "-c", KILLED_COMMIT, str(build)], cwd=Path(__file__).parents[2])
    assert done.returncode == 9
    half = _tree(build)
    assert half["manifest.json"] == b"{old}" and any(v.startswith(b"new") for k, v in half.items() if k.startswith("doc"))
    assert recover(build) == ["finished the interrupted update of 7 files in build/"]
    assert {k: v for k, v in _tree(build).items()} == {**{f"doc-{i}.pdf": f"new {i}".encode() for i in range(6)},
                                                       "manifest.json": b"{new}"}


def test_staging_without_journal_of_a_dead_run_is_removed_and_a_live_one_kept(tmp_path: Path) -> None:
    dead = tmp_path / ".staging-dead"
    (dead / "new").mkdir(parents=True)
    (dead / "new" / "QP-01.pdf").write_bytes(b"half")
    (dead / staging_module.LOCK).write_bytes(b"")
    live = Staging(tmp_path)
    live.put("QP-02.pdf", b"in progress")
    assert recover(tmp_path) == []
    assert not dead.exists() and live.path.exists()
    live.close()
    assert json.dumps(_tree(tmp_path)) == "{}"


def test_stale_tmp_files_of_dead_processes_are_removed(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = tmp_path / "sub" / f".QP-01.pdf.{gone.pid}.k3j2h1g0.tmp"
    stale.parent.mkdir()
    stale.write_bytes(b"half")
    mine = tmp_path / f".QP-02.pdf.{os.getpid()}.abcdefgh.tmp"
    mine.write_bytes(b"being written")
    other = tmp_path / ".notes.tmp"
    other.write_bytes(b"not ours")
    assert remove_stale_tmp(tmp_path) == [stale]
    assert mine.exists() and other.exists()


def test_scratch_folders_of_dead_runs_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / "dossier-build-dead"
    dead.mkdir()
    (dead / ".lock").write_bytes(b"")
    (dead / "QP-01.docx").write_bytes(b"x")
    live = tmp_path / "dossier-build-live"
    live.mkdir()
    fd = os.open(live / ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    foreign = tmp_path / "other-tool-x"
    foreign.mkdir()
    try:
        assert clean_scratch(tmp_path) == [dead]
        assert live.exists() and foreign.exists()
    finally:
        os.close(fd)


@pytest.mark.parametrize("journal", [
    {"put": [], "remove": ["../content/QP-01.md"]},
    {"put": ["../../victim.txt"], "remove": []},
    {"put": [], "remove": ["/etc/hostname"]},
    {"put": "QP-01.pdf", "remove": []},
    [1],
    None,
], ids=["remove-outside", "put-outside", "absolute", "not-a-list", "a-list", "null"])
def test_a_journal_dossier_did_not_write_is_left_alone_and_said(tmp_path: Path, journal) -> None:
    """A planted staging folder (user test): its journal naming files outside build/ must not move or delete them."""
    build, content = tmp_path / "ws" / "build", tmp_path / "ws" / "content"
    build.mkdir(parents=True)
    content.mkdir()
    (content / "QP-01.md").write_text("正文", encoding="utf-8")
    (tmp_path / "victim.txt").write_text("x", encoding="utf-8")
    stage = build / ".staging-planted"
    (stage / "new").mkdir(parents=True)
    (stage / "new" / "victim.txt").write_text("y", encoding="utf-8")
    (stage / "JOURNAL").write_text(json.dumps(journal), encoding="utf-8")
    assert recover(build) == ["left build/.staging-planted: its journal is unreadable or names files outside build/; "
                              "look inside, then remove it"]
    assert (content / "QP-01.md").read_text(encoding="utf-8") == "正文"
    assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "x"
    assert stage.is_dir() and not (build / "victim.txt").exists()
