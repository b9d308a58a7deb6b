"""Finish or undo what an interrupted release or withdrawal left in the archive.

A release stages its archive folder (`releases/QP-04/.A.staging`), appends its ledger entry, then
moves the folder into place. A process killed before the entry leaves a staging folder no entry
records: it is removed. One killed after the entry leaves a recorded release whose archive is
still staged: it is moved into place (after checking every file against the entry). Either way
the command says what it did (device GMP Art. 43(1) complete issue records; Art. 46(2)).
"""

from __future__ import annotations

from pathlib import Path

from dossier.control.archive import STAGING_SUFFIX, Staged, commit_staged, discard_staged, sha256_file
from dossier.control.ledger import LedgerEntry


def staged_leftovers(root: Path, releases: str) -> list[tuple[Path, Path]]:
    """(staging path, destination) of every staging folder or file under the archive, sorted."""
    archive = root / releases
    if not archive.is_dir():
        return []
    found = []
    for staging in sorted(archive.glob(f"*/.*{STAGING_SUFFIX}")):
        name = staging.name[1:-len(STAGING_SUFFIX)]
        if name:
            found.append((staging, staging.parent / name))
    return found


def _recorded(entries: list[LedgerEntry], prefix: str) -> dict[str, str]:
    return {path: digest for entry in entries for path, digest in entry.outputs.items()
            if path == prefix or path.startswith(prefix + "/")}


def _staged_hashes(staging: Path, prefix: str) -> dict[str, str]:
    if staging.is_file():
        return {prefix: sha256_file(staging)}
    return {f"{prefix}/{path.name}": sha256_file(path) for path in sorted(staging.iterdir()) if path.is_file()}


def recover(root: Path, releases: str, entries: list[LedgerEntry]) -> list[str]:
    """Finish or undo every interrupted archive step; one sentence per thing done (or left alone)."""
    notes = []
    for staging, dest in staged_leftovers(root, releases):
        prefix = dest.relative_to(root).as_posix()
        shown = staging.relative_to(root).as_posix()
        recorded = _recorded(entries, prefix)
        if not recorded:
            discard_staged(staging)
            notes.append(f"removed {shown}: an interrupted run staged it but never recorded it in the ledger")
        elif dest.exists():
            notes.append(f"left {shown} alone: {prefix} exists and is recorded; remove the staging copy by hand")
        elif _staged_hashes(staging, prefix) == recorded:
            commit_staged(Staged(staging, dest, recorded))
            notes.append(f"finished an interrupted run: moved {shown} into place as {prefix} (recorded in the ledger)")
        else:
            notes.append(f"left {shown} alone: it does not match what the ledger records for {prefix} (run dossier verify)")
    return notes
