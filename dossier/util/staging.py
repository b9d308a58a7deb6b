"""Put many files into a folder as one step: all of them, or none.

A build writes dozens of files (documents, filings, the cache, the manifest). Written one by
one, a kill or a failure halfway leaves new files beside old ones and a manifest that describes
neither. `Staging(folder)` collects the new files in `folder/.staging-XXXX/new/` (same file
system, so moving is a rename) and the names to remove; `commit()` then

1. writes a journal of what it will do (`JOURNAL`, atomically): from here on the step is decided;
2. moves each existing target aside into `old/` and the new file into place, the names in the
   order given (the manifest last);
3. on any failure (a read-only or immutable folder, a file where a folder should be) moves
   everything back and raises: the folder is as it was;
4. removes the staging folder.

SIGTERM and SIGINT wait while the moves run (a few milliseconds). A SIGKILL during them leaves
the journal: the next `recover(folder)` (at the start of every build) finishes the step, since
every new file was complete before the journal was written. A staging folder without a journal,
of a run that is gone (its `.lock` is free), is removed. Until `commit`, nothing in `folder`
changes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from dossier.util.atomic import write_bytes
from dossier.util.jsoncache import read_cache
from dossier.util.scratch import abandoned

STAGING_PREFIX = ".staging-"
JOURNAL = "JOURNAL"
LOCK = ".lock"


def _relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if not is_inside(name):
        raise ValueError(f"{name!r} is not a path inside the folder")
    return path


def is_inside(name: str) -> bool:
    """True when `name` is a relative path that stays inside the folder it is joined to (no `..`, not absolute)."""
    path = PurePosixPath(name)
    return not path.is_absolute() and bool(path.parts) and ".." not in path.parts


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGTERM, SIGINT and SIGHUP wait until the block ends (they are delivered then)."""
    held = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class Staging:
    """New files and removals for `folder`, applied together by `commit` (see module docstring)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(dir=self.folder, prefix=STAGING_PREFIX))
        self._lock = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        self.puts: dict[str, bytes | None] = {}  # name -> data while not yet written to disk (None: written)
        self.removals: list[str] = []
        self.order: list[str] = []

    def put(self, name: str, data: bytes) -> None:
        """Stage `data` as `folder/name` (a relative POSIX path)."""
        rel = _relative(name).as_posix()
        write_bytes(self.path / "new" / rel, data)
        if rel not in self.puts:
            self.order.append(rel)
        self.puts[rel] = None
        if rel in self.removals:
            self.removals.remove(rel)

    def remove(self, name: str) -> None:
        """Remove `folder/name` at commit (nothing happens when it does not exist then)."""
        rel = _relative(name).as_posix()
        if rel not in self.puts and rel not in self.removals:
            self.removals.append(rel)

    def staged(self, name: str) -> Path | None:
        """The staged new file for `name`, if any."""
        rel = _relative(name).as_posix()
        return self.path / "new" / rel if rel in self.puts else None

    def commit(self, last: tuple[str, ...] = ()) -> None:
        """Apply every put and removal (names in `last` go last, in that order); all or nothing."""
        order = [n for n in self.order if n not in last] + [n for n in last if n in self.puts]
        journal = {"put": order, "remove": self.removals}
        write_bytes(self.path / JOURNAL, json.dumps(journal, ensure_ascii=False).encode("utf-8"))
        with _signals_held():
            _apply(self.folder, self.path, journal)
        self.close()

    def close(self) -> None:
        """Drop the staging folder (what was not committed is discarded)."""
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _apply(folder: Path, stage: Path, journal: dict) -> None:
    """Move the journal's files into `folder`, rolling back on the first failure."""
    done: list[tuple[str, bool, bool]] = []  # (name, moved the old file aside, installed a new one)
    try:
        for name in journal["remove"]:
            done.append((name, _aside(folder, stage, name), False))
        for name in journal["put"]:
            moved = _aside(folder, stage, name)
            done.append((name, moved, False))
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / "new" / name, target)
            done[-1] = (name, moved, True)
    except BaseException:
        for name, moved, installed in reversed(done):
            with contextlib.suppress(OSError):
                if installed:
                    os.replace(folder / name, stage / "new" / name)
                if moved:
                    os.replace(stage / "old" / name, folder / name)
        raise


def _aside(folder: Path, stage: Path, name: str) -> bool:
    """Move an existing `folder/name` into the staging folder's `old/`; True when there was one."""
    target = folder / name
    if not target.exists() and not target.is_symlink():
        return False
    if target.is_dir() and not target.is_symlink():  # never replace (and so lose) a folder someone put there
        raise IsADirectoryError(errno.EISDIR, "a folder is where an output goes", str(target))
    keep = stage / "old" / name
    keep.parent.mkdir(parents=True, exist_ok=True)
    os.replace(target, keep)
    return True


def _journal(path: Path) -> dict[str, list[str]] | None:
    """The journal's {"put": [names], "remove": [names]}, or None when it is unreadable or names a file
    outside the folder (a journal dossier did not write: following it could move any file)."""
    data = read_cache(path)
    if not isinstance(data, dict):
        return None
    journal = {key: data.get(key) for key in ("put", "remove")}
    for names in journal.values():
        if not isinstance(names, list) or not all(isinstance(name, str) and is_inside(name) for name in names):
            return None
    return journal


def recover(folder: Path) -> list[str]:
    """Finish or discard the staging folders of runs that are gone; a line for each one finished or left.

    A staging folder whose journal cannot be followed (unreadable, or naming files outside
    `folder`) is left as it is, with a line saying so: it may hold the only copy of a file.
    """
    done: list[str] = []
    if not folder.is_dir():
        return done
    for stage in sorted(folder.glob(f"{STAGING_PREFIX}*")):
        if not stage.is_dir() or not abandoned(stage, LOCK, max_age=0):
            continue
        journal_path = stage / JOURNAL
        if journal_path.is_file():
            journal = _journal(journal_path)
            if journal is None:
                done.append(f"left {folder.name}/{stage.name}: its journal is unreadable or names files outside "
                            f"{folder.name}/; look inside, then remove it")
                continue
            try:
                for name in journal["remove"]:
                    if (folder / name).exists() and not (stage / "old" / name).exists():
                        _aside(folder, stage, name)
                for name in journal["put"]:
                    if (stage / "new" / name).exists():
                        _aside(folder, stage, name)
                        (folder / name).parent.mkdir(parents=True, exist_ok=True)
                        os.replace(stage / "new" / name, folder / name)
                done.append(f"finished the interrupted update of {len(journal['put'])} files in {folder.name}/")
            except OSError:
                continue  # leave it for a later run rather than lose files
        shutil.rmtree(stage, ignore_errors=True)
    return done
