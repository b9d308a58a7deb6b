"""Temporary folders that a killed run does not leave behind for long.

`scratch_dir("dossier-build-")` makes a folder in the system's temporary directory holding a
`.lock` file locked (`fcntl.flock`) for as long as the folder is in use; forked workers inherit
the lock, so it is held while any of them lives. The folder is removed when the block ends. A
run killed with SIGKILL cannot remove it: every new scratch folder first removes the
`dossier-*` folders whose lock nobody holds any more (their owner is gone), and folders of
older versions (no `.lock`) once they are a day old; a process still using such a folder (a
LibreOffice the dead run left converting into it) is ended first.

`remove_stale_tmp(folder)` removes the temporary files of atomic writes (`.NAME.PID.XXXX.tmp`,
see `dossier.util.atomic`) whose process is gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from dossier.util.children import kill_mentioning

PREFIX = "dossier-"
LOCK = ".lock"
UNLOCKED_MAX_AGE = 24 * 3600  # seconds: folders of versions without a lock file
_TMP_NAME = re.compile(r"^\..+\.(\d+)\.[A-Za-z0-9_]+\.tmp$")


def _try_lock(path: Path) -> int | None:
    """An fd holding an exclusive lock on `path`, or None when someone else holds it."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except OSError:
        os.close(fd)
        return None


def abandoned(folder: Path, lock_name: str = LOCK, max_age: float = UNLOCKED_MAX_AGE) -> bool:
    """True when `folder` belongs to a run that is gone: its lock is free (or, without one, it is old)."""
    lock = folder / lock_name
    if not lock.exists():
        try:
            return time.time() - folder.stat().st_mtime > max_age
        except OSError:
            return False
    fd = _try_lock(lock)
    if fd is None:
        return False
    os.close(fd)
    return True


def clean_scratch(base: Path | None = None) -> list[Path]:
    """Remove the `dossier-*` scratch folders of runs that are gone; the folders removed."""
    base = Path(base or tempfile.gettempdir())
    removed = []
    try:
        candidates = [p for p in base.iterdir() if p.name.startswith(PREFIX) and p.is_dir() and not p.is_symlink()]
    except OSError:
        return []
    for folder in candidates:
        try:
            if folder.stat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        if abandoned(folder):
            kill_mentioning(str(folder))  # a LibreOffice of the dead run may still be writing into it
            shutil.rmtree(folder, ignore_errors=True)
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextlib.contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    """A locked temporary folder named `prefix…` (prefix starts with "dossier-"), removed afterwards."""
    clean_scratch()
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    lock = folder / LOCK
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield folder
    finally:
        os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_tmp(folder: Path) -> list[Path]:
    """Remove the atomic-write temporary files under `folder` whose writing process is gone."""
    removed = []
    if not folder.is_dir():
        return removed
    for path in folder.rglob(".*.tmp"):
        match = _TMP_NAME.match(path.name)
        if match is None or not path.is_file() or _alive(int(match.group(1))):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed
