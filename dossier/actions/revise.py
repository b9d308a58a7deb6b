"""Start the next revision of a document, or withdraw it; the session every ledger writer runs in.

`ledger_session` takes the workspace lock (one writer at a time; a second command fails at once
and changes nothing) and finishes or undoes what an interrupted run left in the archive, saying
so. `revise` starts the next revision as a draft: its sign-off dates are cleared and its approver
removed, since review and approval belong to each revision. `obsolete` withdraws a document with
the approval of an authorised person, recorded in the ledger and as a withdrawal record in the
archive (device GMP 2025 Art. 43(1)-(2), Art. 46(2)).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from dossier.actions.yamledit import set_fields
from dossier.control.archive import commit_staged, discard_staged, revision_dirname, stage_file
from dossier.control.controls import ledger_of
from dossier.control.integrity import check_released_unchanged
from dossier.control.ledger import Action, LedgerEntry, format_timestamp
from dossier.control.ledger import queries as ledger_queries
from dossier.control.recovery import recover
from dossier.control.signoffs import authority_problem
from dossier.errors import Problems, UsageError
from dossier.pipeline.load import load_valid
from dossier.pipeline.sign import check_signers, load_signers
from dossier.util import clock
from dossier.util.lock import workspace_lock
from dossier.workspace.load import find_root, load_config
from dossier.workspace.model import Document, Workspace
from dossier.workspace.revisions import scheme
from dossier.workspace.roles import APPROVAL_ROLE


@contextmanager
def ledger_session(root: Path, what: str) -> Iterator[list[str]]:
    """Hold the workspace lock and recover interrupted archive steps; yields the notes of what was recovered.

    Every command that writes the ledger or a document's control fields runs inside one.
    UsageError (exit 2) at once when another command holds the lock.
    """
    folder = find_root(Path(root))
    with workspace_lock(folder, what):
        problems = Problems()
        config = load_config(folder, problems)
        notes = recover(folder, config.releases_dir, ledger_of_config(folder, config).entries()) if not problems else []
        yield notes


def ledger_of_config(root: Path, config) -> object:
    """The ledger named by a loaded config (before the documents are loaded)."""
    from dossier.control.ledger import Ledger

    return Ledger(root / config.ledger_file, config.ledger_file)



def _document(ws: Workspace, doc_id: str) -> Document:
    if doc_id not in ws.documents:
        raise UsageError(f"error: {doc_id}: no such document in {ws.config.content_dir}/")
    return ws.documents[doc_id]


def revise(root: Path, doc_id: str, minor: bool = False, change: str = "", report: Callable[[str], None] | None = None) -> str:
    """Start the next revision of a released document as a draft; returns the new revision.

    The YAML gets the new revision and change text; its effective date and the preparation and
    review dates are cleared and its approver removed: each revision is prepared, reviewed and
    approved anew (release writes the approver of record and the new effective date). `report`
    receives what recovering an interrupted run did.
    """
    with ledger_session(root, f"revise {doc_id}") as notes:
        for note in notes:
            (report or _ignore)(note)
        return _revise(load_valid(root), doc_id, minor, change)


def _revise(ws: Workspace, doc_id: str, minor: bool, change: str) -> str:
    doc = _document(ws, doc_id)
    if ledger_of(ws).released(doc.id, doc.revision) is None:
        raise UsageError(f"error: {doc.source_display}:{doc.raw.line_of('revision')}: revision: {doc.id} revision "
                         f"{doc.revision} is not released yet: edit it as it is")
    try:
        new = scheme(ws.config.revision_scheme).next(doc.revision, minor)
    except ValueError as exc:
        raise UsageError(f"error: {doc.source_display}:{doc.raw.line_of('revision')}: revision: {doc.id}: {exc}") from exc
    edits: dict[str, object] = {"revision": new, "change": change}
    if doc.effective_date is not None:  # the released revision's date; the new one gets its own on release
        edits["effective_date"] = ""
    for key in ("prepared_by", "reviewed_by"):
        signoff = getattr(doc, key)
        if signoff is not None:  # the same people, likely; the dates are the new revision's to fill in
            edits[key] = {"name": signoff.name}
    if "approved_by" in doc.raw:
        edits["approved_by"] = None
    set_fields(doc.source, edits, {key: doc.raw.line_of(key) if key in doc.raw else None for key in edits})
    return new


def withdrawal_record_path(ws: Workspace, doc_id: str, revision: str) -> str:
    """Workspace-relative path of the withdrawal record of `doc_id` (last released `revision`)."""
    return f"{ws.config.releases_dir}/{doc_id}/withdrawn-{revision_dirname(revision)}.json"


def obsolete(root: Path, doc_id: str, reason: str, approved_by: str = "", now: datetime | None = None,
             sign: tuple[str, ...] = (), report: Callable[[str], None] | None = None) -> LedgerEntry:
    """Withdraw a document from use (its revisions become 作废); recorded in the ledger and the archive.

    `approved_by` is required and must be within the workspace's `approval_authority` for the
    document's kind. `sign` names a 批准 profile whose key (the approver's) signs the ledger entry;
    required with `require_signed_releases`. The archive gets a read-only withdrawal record
    (`releases/ID/withdrawn-REV.json`) the entry records, so removing the entry from the ledger
    leaves evidence `verify` finds. `report` receives what recovering an interrupted run did.
    """
    with ledger_session(root, f"obsolete {doc_id}") as notes:
        for note in notes:
            (report or _ignore)(note)
        return _obsolete(Path(root), doc_id, reason, approved_by, now, sign)


def _ignore(note: str) -> None:
    """Where notes go when the caller does not ask for them."""


def _obsolete(root: Path, doc_id: str, reason: str, approved_by: str, now: datetime | None, sign: tuple[str, ...]) -> LedgerEntry:
    ws = load_valid(root)
    ledger = ledger_of(ws)
    problems = Problems()
    check_released_unchanged(ws, ledger.entries(), problems)
    problems.raise_if_any()
    doc = _document(ws, doc_id)
    if not reason.strip():
        raise UsageError("error: --reason: the reason for the withdrawal is required")
    approver = approved_by.strip()
    if not approver:
        raise UsageError("error: --approved-by: who approved the withdrawal is required")
    problem = authority_problem(ws, doc.kind, "approve", approver)
    if problem:
        raise UsageError(f"error: --approved-by: {problem}")
    released = ledger_queries.releases(ledger.entries(), doc.id)
    if not released:
        raise UsageError(f"error: {doc.id} was never released: nothing to withdraw")
    signers = load_signers(ws, sign)
    wrong = [s.profile.name for s in signers if s.profile.role != APPROVAL_ROLE]
    if wrong:
        raise UsageError(f"error: --sign {wrong[0]}: a withdrawal is signed by its approver (a profile whose role is {APPROVAL_ROLE})")
    check_signers(ws, signers, {f"withdrawal of {doc.id}": {APPROVAL_ROLE: approver}})
    if ws.config.require_signed_releases and not signers:
        raise UsageError(f"error: {doc.id}: require_signed_releases is true in dossier.yaml: sign the withdrawal with the "
                         f"approver's profile (--sign PROFILE whose role is {APPROVAL_ROLE})")
    moment = (now or clock.now()).astimezone(ws.config.zone)
    revision = released[-1].revision
    record = {"document": doc.id, "revision": revision, "withdrawn_on": moment.date().isoformat(),
              "reason": reason.strip(), "approved_by": approver, "timestamp": format_timestamp(moment)}
    staged = stage_file(ws.root, withdrawal_record_path(ws, doc.id, revision),
                        (json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    signature = {"signer": signers[0].fingerprint, "sign": signers[0].sign_text} if signers else {}
    try:
        entry = ledger.append(
            action=Action.OBSOLETE, document=doc.id, revision=revision, timestamp=format_timestamp(moment),
            effective_date=moment.date().isoformat(), reason=reason.strip(), approved_by=approver,
            outputs=staged.hashes, **signature,
        )
    except BaseException:
        discard_staged(staged.staging)
        raise
    commit_staged(staged)
    return entry
