"""`kill -TERM` / `kill -9` of a build (issue 14 #14, #15): workers and LibreOffice end with it, build/ is
untouched or finished by the next run, and its temporary folders do not stay."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.hostile_support import new_workspace, with_product


def _processes() -> dict[int, tuple[int, bytes]]:
    """pid -> (parent pid, command line) of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if fields[0] != "Z":
            found[int(entry.name)] = (int(fields[1]), cmdline)
    return found


def _ours(marker: bytes) -> set[int]:
    return {pid for pid, (_, cmdline) in _processes().items() if marker in cmdline}


def _children(pid: int) -> set[int]:
    return {child for child, (parent, _) in _processes().items() if parent == pid}


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.fixture()
def run_env(tmp_path: Path) -> tuple[Path, dict[str, str], bytes]:
    root = new_workspace(tmp_path / "ws")  # two documents and a product's seven filing files: workers fork, LibreOffice runs
    with_product(root)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    cache = tmp_path / "cache"
    env = {**os.environ, "TMPDIR": str(scratch), "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(REPO)}
    env.pop("DOSSIER_CONVERTER", None)
    return root, env, str(cache).encode()


def _start_and_wait_for_libreoffice(root: Path, env: dict[str, str], marker: bytes) -> tuple[subprocess.Popen, set[int]]:
    build = subprocess.Popen([sys.executable, "-m", "dossier", "build", str(root)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _wait(lambda: bool(_ours(marker)) or build.poll() is not None, 120), "LibreOffice never started"
    assert build.poll() is None, build.communicate()
    return build, _children(build.pid) - _ours(marker)


def test_sigterm_ends_workers_and_libreoffice_and_changes_nothing(run_env) -> None:
    root, env, marker = run_env
    build, workers = _start_and_wait_for_libreoffice(root, env, marker)
    assert workers, "no forked workers to watch"
    build.send_signal(signal.SIGTERM)
    out, err = build.communicate(timeout=15)
    assert build.returncode == 128 + signal.SIGTERM, (out, err)
    assert err.strip().splitlines() == ["error: stopped by SIGTERM; build/ and the workspace are as they were"]
    assert _wait(lambda: not (workers & set(_processes())) and not _ours(marker), 5)
    assert not [p for p in (root / "build").rglob("*") if p.is_file()] if (root / "build").exists() else True
    assert not [p for p in Path(env["TMPDIR"]).iterdir() if p.name.startswith("dossier-")]


def test_sigkill_workers_exit_and_the_next_run_cleans_up(run_env) -> None:
    root, env, marker = run_env
    build, workers = _start_and_wait_for_libreoffice(root, env, marker)
    build.kill()
    build.wait()
    assert _wait(lambda: not (workers & set(_processes())), 3), "forked workers outlived a kill -9"
    left = [p for p in Path(env["TMPDIR"]).iterdir() if p.name.startswith("dossier-build-")]
    assert left  # what SIGKILL leaves: the next run removes it
    again = subprocess.run([sys.executable, "-m", "dossier", "build", str(root)], env=env, capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0, again.stderr
    assert not any(p.exists() for p in left), (left, list(Path(env["TMPDIR"]).iterdir()), again.stderr[-2000:])
    assert not _ours(marker)  # LibreOffice of the killed run ended when its profile was taken again
    assert not list((root / "build").rglob(".*.tmp")) and not list((root / "build").glob(".staging-*"))
    manifest = json.loads((root / "build" / "manifest.json").read_text(encoding="utf-8"))
    documents = sorted(path.stem for path in (root / "content").glob("*.yaml"))
    assert sorted(entry["id"] for entry in manifest["documents"]) == documents and manifest["disinfectant"]
