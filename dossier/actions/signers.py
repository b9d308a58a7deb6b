"""Who signed a PDF against who the document names for each role: part of `dossier verify`.

For a PDF in the release archive (`releases/QP-04/B/QP-04.signed.pdf`) the named people are
those its release entry records (编制, 审核 and the approver of record, 批准); for a
document's PDF elsewhere (`build/QP-04.pdf`) those of the working revision, with no 批准 while it
is not released. Each signature in a person's role must be that person's (电子签名法 Art. 13;
device GMP 2025 Art. 43(2), 46).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

from dossier.control.archive import revision_dirname
from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.signoffs import named_people
from dossier.signing.people import holder_matches
from dossier.signing.verify import PdfCheck
from dossier.workspace.model import Workspace
from dossier.workspace.roles import APPROVAL_ROLE, ROLE_FIELDS


def _stem(pdf: Path) -> str:
    return pdf.name.removesuffix(".pdf").removesuffix(".signed")


def archived_people(root: Path, releases: str, pdf: Path, entries: list[LedgerEntry]) -> dict[str, str | None] | None:
    """Named people of an archived PDF (`releases/ID/REV/ID*.pdf`) as its release entry records them.

    None when the PDF is not one of an archived release the ledger records.
    """
    try:
        parts = pdf.resolve().relative_to((root / releases).resolve()).parts
    except ValueError:
        return None
    if len(parts) != 3 or _stem(pdf) != parts[0]:
        return None
    doc_id, folder = parts[0], parts[1]
    release = next((e for e in ledger_queries.releases(entries, doc_id) if revision_dirname(e.revision) == folder), None)
    if release is None:
        return None
    return {role: release.get(key) for role, key in ROLE_FIELDS.items()}


def working_people(ws: Workspace, pdf: Path, entries: list[LedgerEntry]) -> dict[str, str | None] | None:
    """Named people of the working revision of the document a PDF is named after, None when there is none."""
    doc = ws.documents.get(_stem(pdf))
    return named_people(doc, entries) if doc is not None else None


def check_people(check: PdfCheck, named: dict[str, str | None] | None, people: dict[str, str]) -> None:
    """Record on each signature the person named for its role, and a problem when the signer is not them.

    `people` maps certificate fingerprints to names (`signing.people`); the signer shown is the
    listed name when there is one. A 批准 signature on a revision that is not released fails.
    """
    for sig in check.signatures:
        if sig.fingerprint and sig.fingerprint in people:
            sig.signer = people[sig.fingerprint]
        if named is None or sig.role not in ROLE_FIELDS:
            continue
        person = named.get(sig.role)
        sig.named = person or ""
        if person is None:
            if sig.role == APPROVAL_ROLE:
                sig.problems.append("a 批准 signature on a revision that is not released")
            else:
                sig.problems.append(f"the document names nobody for {sig.role} ({ROLE_FIELDS[sig.role]})")
        elif sig.fingerprint and not holder_matches(person, sig.fingerprint, sig.signer, people):
            sig.problems.append(f"signed by {sig.signer}, but the document names {person} for {sig.role}")


def local_times(check: PdfCheck, zone: tzinfo) -> None:
    """Show every signing time of `check` in `zone` (the workspace time zone)."""
    for sig in check.signatures:
        if sig.signing_time:
            try:
                sig.signing_time = datetime.fromisoformat(sig.signing_time).astimezone(zone).isoformat()
            except ValueError:
                pass


def check_pdf_signer(root: Path, signer, paths: list[Path], matching: bool = False) -> tuple[list[str], list[Path]]:
    """Which PDFs `signer` may sign: (warnings, the paths to sign).

    A PDF of one of the workspace's documents (by file name, or archived) is signed in the
    roles 编制/审核/批准 only with the key of the person the document names (see
    `pipeline.sign.signer_problems`). Refused (UsageError, exit 2) otherwise, unless `matching`:
    then such PDFs are skipped with a warning each. PDFs of no document are signed with a warning
    that their signer is not checked.
    """
    from dossier.control.controls import ledger_of
    from dossier.errors import CheckFailed, Problems, UsageError
    from dossier.pipeline.sign import signer_problems
    from dossier.workspace.load import load_workspace

    ws = load_workspace(root, Problems())
    try:
        entries = ledger_of(ws).entries()
    except CheckFailed:  # an unreadable ledger: verify reports it; bind to the YAML alone
        entries = []
    warnings, keep, refused = [], [], []
    for path in paths:
        people = archived_people(ws.root, ws.config.releases_dir, path, entries) or working_people(ws, path, entries)
        if people is None:
            if signer.profile.role in ROLE_FIELDS:
                warnings.append(f"{path}: no document of this workspace is named {_stem(path)}: "
                                f"the {signer.profile.role} signer is not checked against a named person")
            keep.append(path)
            continue
        problems = signer_problems(ws, [signer], {str(path): people})
        if not problems:
            keep.append(path)
        elif matching:
            warnings.extend(f"skipped {line.removeprefix('error: ')}" for line in problems)
        else:
            refused.extend(problems)
    if refused:
        raise UsageError("\n".join(refused))
    return warnings, keep
