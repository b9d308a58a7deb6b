"""Released revisions are delivered from the release archive, not rendered again.

A revision in force (or approved, waiting for its effective date) is what was approved: its
archived .docx and PDF, checked against the SHA-256 its ledger entry records. Rendering it again
with today's template or company settings would change an approved document without a new
revision (device GMP 2025 Art. 43(1)-(2); Art. 46(2): records stay as approved). Withdrawn and
superseded revisions are rendered again with their 作废 marks; drafts with the current template.
"""

from __future__ import annotations

from dossier.control.archive import release_dir, sha256_bytes
from dossier.control.ledger import LedgerEntry
from dossier.control.lifecycle import State
from dossier.errors import CheckFailed
from dossier.workspace.model import Workspace

DELIVERED_STATES = (State.APPROVED, State.EFFECTIVE)


def archived_outputs(ws: Workspace, release: LedgerEntry, suffixes: list[str]) -> dict[str, bytes]:
    """{suffix: bytes} of the archived outputs of `release`, each checked against its entry.

    CheckFailed (exit 1, one line per file) when a file is missing, not recorded, or differs
    from the SHA-256 its ledger entry records.
    """
    folder = release_dir(ws.root, release.document, release.revision, ws.config.releases_dir)
    prefix = folder.relative_to(ws.root).as_posix()
    found: dict[str, bytes] = {}
    problems = []
    for suffix in suffixes:
        name = f"{prefix}/{release.document}.{suffix}"
        recorded = release.outputs.get(name)
        if recorded is None:
            problems.append(f"{name}: not recorded in {release.describe()}; cannot deliver the released revision")
            continue
        try:
            data = (ws.root / name).read_bytes()
        except OSError:
            problems.append(f"{name}: missing from the release archive (recorded in {release.describe()}); run dossier verify")
            continue
        if sha256_bytes(data) != recorded:
            problems.append(f"{name}: SHA-256 differs from {release.describe()}; the archive was changed (run dossier verify)")
            continue
        found[suffix] = data
    if problems:
        raise CheckFailed(problems)
    return found
