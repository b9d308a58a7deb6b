"""The release archive: `releases/DOC-ID/REV/`, written once and never overwritten.

Each released revision's outputs are staged in a hidden folder next to the archive folder
(`releases/QP-04/.A.staging`), made read-only, and renamed into place in one step once the
ledger entry is written, so an archive folder is either complete and recorded or absent. Revisions containing `/` (edition scheme, `A/1`) are
stored as `A-1`. Checking archived files against the ledger is
`dossier.control.ledger.verify_workspace`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
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


STAGING_SUFFIX = ".staging"


@dataclass(frozen=True)
class Staged:
    """Archive content written beside its place, waiting for its ledger entry.

    `staging` is the hidden folder (or file) `releases/QP-04/.A.staging`; `dest` where it goes
    (`releases/QP-04/A`); `hashes` maps each file's workspace-relative path at `dest` to its
    SHA-256, as the ledger entry records it.
    """

    staging: Path
    dest: Path
    hashes: dict[str, str]


def staging_path(dest: Path) -> Path:
    """Where the content of `dest` is staged: `.NAME.staging` in the same folder."""
    return dest.parent / f".{dest.name}{STAGING_SUFFIX}"


def stage_outputs(
    root: Path, doc_id: str, rev: str, files: dict[str, bytes], releases: str = RELEASES_DIR
) -> Staged:
    """Write the released outputs of `doc_id` revision `rev` read-only into a staging folder.

    A release is one step from the user's view: stage, append the ledger entry, then
    `commit_staged` (a kill in between is finished or undone by `control.recovery` on the next
    run). UsageError when the revision is already archived or staged.
    """
    if not files:
        raise ValueError(f"{doc_id} revision {rev}: nothing to archive")
    for name in files:
        _check_component(name, "file name")
    dest = release_dir(root, doc_id, rev, releases)
    if dest.exists():
        raise UsageError(f"{doc_id} revision {rev} is already archived")
    staging = staging_path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        staging.mkdir()
    except FileExistsError:
        raise UsageError(f"error: {staging.relative_to(root)}: an interrupted release of {doc_id} revision {rev} "
                         "is still staged") from None
    try:
        for name in sorted(files):
            _write_read_only(staging / name, files[name])
        fsync_dir(staging)
        fsync_dir(dest.parent)
    except BaseException:
        discard_staged(staging)
        raise
    prefix = dest.relative_to(root).as_posix()
    return Staged(staging, dest, {f"{prefix}/{name}": sha256_bytes(files[name]) for name in sorted(files)})


def stage_file(root: Path, relative: str, data: bytes) -> Staged:
    """Stage one read-only archive file (a withdrawal record) at workspace-relative `relative`."""
    dest = root / relative
    if dest.exists():
        raise UsageError(f"error: {relative} already exists")
    staging = staging_path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging.unlink(missing_ok=True)
    _write_read_only(staging, data)
    fsync_dir(dest.parent)
    return Staged(staging, dest, {relative: sha256_bytes(data)})


def commit_staged(staged: Staged) -> None:
    """Move staged content into its place in one rename (it never overwrites)."""
    if staged.dest.exists():
        raise UsageError(f"error: {staged.dest} already exists")
    os.rename(staged.staging, staged.dest)
    fsync_dir(staged.dest.parent)


def discard_staged(staging: Path) -> None:
    """Remove a staging folder or file (read-only files included)."""
    if staging.is_dir() and not staging.is_symlink():
        staging.chmod(0o755)
        for path in staging.iterdir():
            path.chmod(0o644)
        shutil.rmtree(staging)
    else:
        staging.unlink(missing_ok=True)


def archive_outputs(
    root: Path, doc_id: str, rev: str, files: dict[str, bytes], releases: str = RELEASES_DIR
) -> dict[str, str]:
    """Archive the released outputs of `doc_id` revision `rev` at once; return {relative path: sha256}.

    Relative paths use `/` and start at the workspace root (`releases/QP-04/A/QP-04.pdf`).
    Refuses with UsageError when that revision is already archived. (A release stages, records,
    then commits: see `stage_outputs`.)
    """
    staged = stage_outputs(root, doc_id, rev, files, releases)
    try:
        commit_staged(staged)
    except BaseException:
        discard_staged(staged.staging)
        raise
    return staged.hashes


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
