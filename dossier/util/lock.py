"""One lock per workspace for every command that changes its records (release, revise, obsolete …).

The lock is an exclusive `flock` on the workspace folder itself, so no lock file is left behind
and a killed process releases it at once. A second command does not wait: it fails at once and
changes nothing (device GMP Art. 46(2): a record is changed by one writer at a time).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dossier.errors import UsageError


@contextmanager
def workspace_lock(root: Path, what: str) -> Iterator[None]:
    """Hold the workspace's exclusive lock while the block runs; `what` names the command.

    UsageError (exit 2) when another process holds it: nothing has been read or written yet.
    """
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"error: {what}: another dossier command is changing the workspace {root} "
                             "(release, revise or obsolete); nothing was changed: run it again when that one has finished") from None
        yield
    finally:
        os.close(fd)
