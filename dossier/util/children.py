"""Processes a run starts end with it.

Forked workers (rendering, normalising) call `follow_parent` first: a thread checks every
POLL_SECONDS that the process that forked them is still there and ends the worker when it is
not, so a `kill -9` of `dossier build` does not leave workers running for minutes. They leave
SIGINT to their parent (Ctrl-C reaches the whole process group) and take the default SIGTERM.

The parent keeps its external processes (LibreOffice) in `running`; `terminate_all` ends
their process groups, which the CLI does on SIGTERM and SIGINT (`dossier.cli.report`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

POLL_SECONDS = 0.1

running: set[subprocess.Popen] = set()  # external processes of this run, each the leader of its own group
stopping = threading.Event()  # set when the run is being ended: start no new external process
_lock = threading.Lock()


def follow_parent(parent: int) -> None:
    """Initializer of a forked worker: exit as soon as `parent` is gone; SIGINT is the parent's business."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(POLL_SECONDS)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


def track(process: subprocess.Popen) -> None:
    """Remember an external process (started with start_new_session=True) until `forget`."""
    with _lock:
        running.add(process)


def forget(process: subprocess.Popen) -> None:
    """The process has ended."""
    with _lock:
        running.discard(process)


def kill_mentioning(text: str, proc: Path = Path("/proc")) -> list[int]:
    """Kill this user's processes whose command line has an argument containing `text` (Linux /proc); their pids.

    For what a killed run left: a LibreOffice still converting into its temporary folder, or on its profile.
    """
    needle = text.encode()
    killed = []
    try:
        entries = [p for p in proc.iterdir() if p.name.isdigit()]
    except OSError:
        return killed
    for entry in entries:
        try:
            pid = int(entry.name)
            if entry.stat().st_uid != os.getuid() or pid == os.getpid():
                continue
            if not any(needle in argument for argument in (entry / "cmdline").read_bytes().split(b"\0")):
                continue
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except (OSError, ValueError):
            continue
    return killed


def terminate_all() -> None:
    """End every tracked external process group and stop new ones from starting."""
    stopping.set()
    with _lock:
        processes = list(running)
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
