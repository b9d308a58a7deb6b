"""The archive check: the ledger's chain, and every archived output against its entry.

Removing entries from the end of the ledger leaves a valid shorter chain; this check catches
that while the release archive still holds their outputs (device GMP Art. 43(1) issue and
withdrawal records, Art. 46(2) traceable electronic records).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from dossier.control.archive import RELEASES_DIR, sha256_file
from dossier.control.ledger.chain import analyse, read_lines
from dossier.control.ledger.store import DEFAULT_NAME
from dossier.errors import UsageError


def verify_workspace(root: Path, ledger_name: str = DEFAULT_NAME, releases: str = RELEASES_DIR) -> list[str]:
    """Check a workspace: the ledger's chain, and every archived output against its entry.

    One line per problem: chain problems (see `Ledger.verify`), recorded outputs that are
    missing or whose SHA-256 changed, and archived files no ledger entry records (a sign
    that entries were removed from the end of the ledger). `ledger_name` and `releases` are
    relative to `root`; UsageError when `root` is not a folder. Device GMP Art. 43(1) records
    checked against what was issued, Art. 46(2) traceability.
    """
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"{root}: not a workspace folder")
    lines = read_lines(root / ledger_name)
    found = [f"{ledger_name} line {n}: {m}" for n, m in analyse(lines)]
    archive = PurePosixPath(releases)
    recorded: set[str] = set()
    for line in lines:
        entry = line.entry
        if entry is None:
            continue  # every entry's outputs: a release's archive, a withdrawal's record
        for rel, digest in entry.outputs.items():
            path = PurePosixPath(rel)
            if path.is_absolute() or ".." in path.parts or path.parts[:len(archive.parts)] != archive.parts:
                found.append(f"{ledger_name} line {line.number}: {entry.describe()} records an output "
                             f"outside {archive}/: {rel}")
                continue
            recorded.add(path.as_posix())
            target = root / path
            if not target.is_file():
                found.append(f"{rel}: missing (recorded in ledger entry {entry.seq})")
            elif sha256_file(target) != digest:
                found.append(f"{rel}: SHA-256 differs from ledger entry {entry.seq}")
    found.extend(_unrecorded(root / archive, root, recorded, ledger_name))
    return found


def _unrecorded(archive: Path, root: Path, recorded: set[str], ledger_name: str) -> list[str]:
    """Files under `archive` no entry records; a folder with no recorded file is named once.

    `recorded` holds the recorded outputs as `root`-relative POSIX paths; hidden files are
    ignored. One message per stray file or folder: the sign of entries removed from the end
    of the ledger (device GMP Art. 46(2)).
    """
    if not archive.is_dir():
        return []
    stray: dict[str, list[str]] = {}
    for path in sorted(archive.rglob("*")):
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(archive).parts):
            continue
        rel = path.relative_to(root)
        stray.setdefault(rel.parent.as_posix(), []).append(rel.as_posix())
    found = []
    for folder, files in stray.items():
        if not any(r.startswith(folder + "/") for r in recorded):
            found.append(f"{folder}: archived, but no entry in {ledger_name} records it (entry removed?)")
            continue
        for f in files:
            if f in recorded:
                continue
            if PurePosixPath(f).name.startswith("withdrawn-"):
                found.append(f"{f}: a withdrawal record, but {ledger_name} records no withdrawal with it "
                             "(the obsolete entry was removed?): the document must not be in force")
            else:
                found.append(f"{f}: archived, but not recorded in {ledger_name}")
    return found
