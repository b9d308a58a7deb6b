"""The release archive: `releases/DOC-ID/REV/`, written once and never overwritten.

Each released revision's outputs are written into a temporary folder next to the archive
folder, made read-only, and the folder is renamed into place in one step, so an archive
folder is either complete or absent. Revisions containing `/` (edition scheme, `A/1`) are
stored as `A-1`. Checking archived files against the ledger is
`dossier.control.ledger.verify_workspace`.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from dossier.errors import UsageError

RELEASES_DIR = "releases"
READ_ONLY = 0o444


def revision_dirname(rev: str) -> str:
    """The folder name of revision `rev` (`/` becomes `-`)."""
    return rev.replace("/", "-")


def release_dir(root: Path, doc_id: str, rev: str, releases: str = RELEASES_DIR) -> Path:
    """Where the outputs of `doc_id` revision `rev` are archived under workspace `root`.

    `releases` is the archive folder relative to the root (`paths: releases:` in dossier.yaml).
    """
    _check_component(doc_id, "document id")
    name = revision_dirname(rev)
    _check_component(name, "revision")
    return root / releases / doc_id / name


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file at `path`."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def archive_outputs(
    root: Path, doc_id: str, rev: str, files: dict[str, bytes], releases: str = RELEASES_DIR
) -> dict[str, str]:
    """Archive the released outputs of `doc_id` revision `rev`; return {relative path: sha256}.

    Relative paths use `/` and start at the workspace root (`releases/QP-04/A/QP-04.pdf`).
    Refuses with UsageError when that revision is already archived.
    """
    if not files:
        raise ValueError(f"{doc_id} revision {rev}: nothing to archive")
    for name in files:
        _check_component(name, "file name")
    dest = release_dir(root, doc_id, rev, releases)
    if dest.exists():
        raise UsageError(f"{doc_id} revision {rev} is already archived")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}."))
    try:
        for name in sorted(files):
            _write_read_only(tmp / name, files[name])
        tmp.chmod(0o755)
        try:
            os.rename(tmp, dest)
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                raise UsageError(f"{doc_id} revision {rev} is already archived") from None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    fsync_dir(dest.parent)
    prefix = dest.relative_to(root).as_posix()
    return {f"{prefix}/{name}": sha256_bytes(files[name]) for name in sorted(files)}


def _write_read_only(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(READ_ONLY)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_component(name: str, what: str) -> None:
    """Reject names that are not one plain path component (no separators, not hidden)."""
    if (
        not isinstance(name, str)
        or not name
        or name.startswith(".")
        or "/" in name
        or "\\" in name
        or "\x00" in name
    ):
        raise ValueError(f"{what} {name!r} cannot be used as a file or folder name")
