"""Forked workers end with their parent (issue 14 #15)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PARENT = """
import os, sys, time
from pathlib import Path
from dossier.util.parallel import parallel_map
def work(item):
    Path(sys.argv[1], str(os.getpid())).touch()
    time.sleep(600)
parallel_map(work, list(range(8)), workers=2)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_workers_exit_when_their_parent_is_killed(signum: int, tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path)], cwd=Path(__file__).parents[2])
    deadline = time.monotonic() + 60  # each worker leaves a file named by its pid when it starts
    while time.monotonic() < deadline and len(list(tmp_path.iterdir())) < 2:
        time.sleep(0.05)
    workers = {int(path.name) for path in tmp_path.iterdir()}
    assert len(workers) == 2, workers
    assert parent.pid not in workers and all(_alive(pid) for pid in workers)
    os.kill(parent.pid, signum)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "workers outlived their parent"
