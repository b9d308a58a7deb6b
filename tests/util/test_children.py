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
from dossier.util.parallel import parallel_map
def work(item):
    print(os.getpid(), flush=True)
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
def test_workers_exit_when_their_parent_is_killed(signum: int) -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).parents[2])
    workers = {int(parent.stdout.readline()), int(parent.stdout.readline())}
    assert parent.pid not in workers and all(_alive(pid) for pid in workers)
    os.kill(parent.pid, signum)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "workers outlived their parent"
