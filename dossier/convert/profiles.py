"""LibreOffice profile directories, reused across runs.

The first start of LibreOffice on a new profile costs about a second (it creates the profile);
a profile of an earlier run starts warm. Each profile in `$XDG_CACHE_HOME/dossier/` (default
`~/.cache/dossier/`) is held with an exclusive `fcntl` lock while a process uses it, so two
processes, of one run or of two concurrent dossier runs, never share one (LibreOffice silently
converts nothing then). When no cached profile can be had, a temporary one is used.

A LibreOffice left running on a profile by a run that was killed (SIGKILL: no chance to end its
children) is ended when the next run takes that profile: it holds the lock, so whatever still
runs on the profile is an orphan, and it would make the new process convert nothing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dossier.util.children import kill_mentioning
from dossier.util.scratch import scratch_dir

MAX_CACHED_PROFILES = 16


def cache_root() -> Path:
    """`$XDG_CACHE_HOME/dossier`, else `~/.cache/dossier`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dossier"


def _locked_slot(root: Path):
    """(lock file handle, profile dir) of the first free slot, or None when none is free."""
    for number in range(MAX_CACHED_PROFILES):
        try:
            handle = open(root / f"lo-profile-{number}.lock", "a+b")
        except OSError:
            return None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        profile = root / f"lo-profile-{number}"
        try:
            profile.mkdir(exist_ok=True)
        except OSError:
            handle.close()
            return None
        return handle, profile
    return None


@contextmanager
def lo_profile() -> Iterator[Path]:
    """A profile directory for one LibreOffice process: a locked cached one, else a temporary one."""
    root = cache_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        slot = _locked_slot(root)
    except OSError:
        slot = None
    if slot is None:
        with scratch_dir("dossier-lo-") as tmp:
            yield tmp
        return
    handle, profile = slot
    end_orphans(profile)
    try:
        yield profile
    finally:
        handle.close()


def end_orphans(profile: Path) -> list[int]:
    """Kill the processes of this user still running LibreOffice on `profile`; their pids."""
    return kill_mentioning(f"-env:UserInstallation={profile.resolve().as_uri()}")


def discard(profile: Path) -> None:
    """Empty a profile that may be broken, so its next user starts from a fresh one."""
    if profile.is_dir():
        shutil.rmtree(profile, ignore_errors=True)
        profile.mkdir(exist_ok=True)
