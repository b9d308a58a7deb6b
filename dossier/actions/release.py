"""Release the working revision of a document: approve it, archive it, record it in the ledger.

A release renders the document as approved, stages its outputs and sources read-only beside
`releases/DOC-ID/REV/`, appends a hash-chained entry to the ledger (signed with the approver's
key when a 批准 profile signs), then moves the archive into place: one step from the user's
view (an interrupted one is finished or undone by the next ledger command, which says so). The
approver of record is one person everywhere: the YAML, the ledger, the archived sources and the
PDF (device GMP 2025 Art. 43(1)-(2), Art. 46; 电子签名法 Art. 13).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from dossier.actions.approval import Approval, approval_day, approver_of_record, check_effective, require_signoffs, where
from dossier.actions.diff import change_summary_text
from dossier.actions.revise import _revise, ledger_session, obsolete, revise  # noqa: F401 (the commands of document control)
from dossier.actions.yamledit import set_fields
from dossier.control.archive import commit_staged, discard_staged, stage_outputs
from dossier.control.controls import PendingRelease, document_controls, ledger_of
from dossier.control.digest import input_hashes, inputs_digest
from dossier.control.ledger import Action, LedgerEntry, format_timestamp
from dossier.control.ledger import queries as ledger_queries
from dossier.control.lifecycle import recorded_date
from dossier.control.signoffs import named_people
from dossier.control.validation_status import report_release_problems
from dossier.errors import Problems, UsageError
from dossier.markdown.queries import citation_place, cited_ids, unknown_numbers
from dossier.pipeline.cache import BuildCache
from dossier.pipeline.documents import produce
from dossier.pipeline.load import load_checked
from dossier.pipeline.record import document_outputs, write_manifest, write_outputs
from dossier.pipeline.sign import check_signers, load_signers, sign_with
from dossier.util import clock
from dossier.util.atomic import write_bytes
from dossier.validation.results import csv_names
from dossier.workspace.model import Document, Workspace
from dossier.workspace.revisions import scheme
from dossier.workspace.roles import APPROVAL_ROLE


@dataclass(frozen=True)
class ReleaseResult:
    """The ledger entry of a release, where its outputs were archived, and what the run noted."""

    entry: LedgerEntry
    archive: Path
    notes: list[str] = field(default_factory=list)
    approval: Approval | None = None  # the approval day recorded, and where it came from


def _document(ws: Workspace, doc_id: str) -> Document:
    if doc_id not in ws.documents:
        raise UsageError(f"error: {doc_id}: no such document in {ws.config.content_dir}/")
    return ws.documents[doc_id]


def check_numbers_exist(ws: Workspace, doc: Document) -> None:
    """Refuse to release a body naming, as plain text, a document number no document has (check only warns)."""
    problems = Problems()
    for line, number in unknown_numbers(ws, doc):
        problems.add(doc.body_source, line, "body", f"{number} is written as a document number but no document {number} "
                                                    "exists: correct it, or cite an existing document as [[ID]], before release")
    problems.raise_if_any()


def release(
    root: Path,
    doc_id: str,
    approved_by: str,
    reason: str,
    effective: date | None = None,
    minor: bool = False,
    now: datetime | None = None,
    sign: tuple[str, ...] = (),
    diff_summary: bool = False,
) -> ReleaseResult:
    """Release the working revision of `doc_id` (see module docstring).

    `approved_by` may be empty when the YAML names the approver; when both are given they must
    agree. Refused (UsageError, exit 2) while `check` fails; while the author or reviewer (name
    and date) is missing; when the revision was already released; when the effective date lies
    before the approval date or before the revision it replaces takes effect; when the body names
    as plain text a document number that names no document; when the approver is outside the
    `approval_authority`; when a signing profile's key is not the named person's;
    and, with `require_signed_releases`, without a 批准 profile. `minor` first starts the next
    minor revision. `sign` names signing profiles: the archive then also holds `ID.signed.pdf`
    (the issued file) beside the unsigned `ID.pdf`, and the 批准 profile signs the ledger entry.
    `diff_summary` appends the redline summary against the previous release to the change text.
    """
    with ledger_session(root, f"release {doc_id}") as notes:
        if minor:
            ws = load_checked(root, released_unchanged=False, settings=False)
            doc = ws.documents.get(doc_id)
            if doc is not None and ledger_of(ws).released(doc.id, doc.revision) is not None:
                _revise(ws, doc_id, minor=True, change=reason)
        result = _release(root, doc_id, approved_by, reason, effective, now, sign, diff_summary)
        return ReleaseResult(result.entry, result.archive, notes, result.approval)


def _release(root: Path, doc_id: str, approved_by: str, reason: str, effective: date | None, now: datetime | None,
             sign: tuple[str, ...], diff_summary: bool) -> ReleaseResult:
    ws = load_checked(root)
    moment = (now or clock.now()).astimezone(ws.config.zone)
    today = moment.date()
    doc = _document(ws, doc_id)
    ledger = ledger_of(ws)
    entries = ledger.entries()
    previous = ledger_queries.release_of(entries, doc.id, doc.revision)
    if previous is not None:
        nxt = scheme(ws.config.revision_scheme).next(doc.revision)
        raise UsageError(f"error: {where(doc, 'revision')}: revision: {doc.id} revision {doc.revision} was already released "
                         f"({recorded_date(previous, ws.config.zone)}); start revision {nxt} with `dossier revise {doc.id}`")
    check_release_order(ws, doc, entries)
    check_numbers_exist(ws, doc)
    not_ready = report_release_problems(ws, doc, entries)
    if not_ready:
        raise UsageError("\n".join(not_ready))
    require_signoffs(doc)
    approver = approver_of_record(ws, doc, approved_by)
    if not reason.strip():
        raise UsageError("error: --reason: the reason for this release is required")
    approval = approval_day(ws, doc, entries, today)
    effective_on = effective or doc.effective_date or today
    check_effective(doc, effective, effective_on, today, entries)
    signers = load_signers(ws, sign)
    check_signers(ws, signers, {f"{doc.id}.pdf": named_people(doc, entries, approver)})
    entry_signer = next((s for s in signers if s.profile.role == APPROVAL_ROLE), None)
    if ws.config.require_signed_releases and entry_signer is None:
        raise UsageError(f"error: {doc.id}: require_signed_releases is true in dossier.yaml: sign the release with the "
                         f"approver's profile (--sign PROFILE whose role is {APPROVAL_ROLE})")
    edits: dict[str, object] = {}
    if doc.effective_date != effective_on:  # the YAML states the date the release takes effect
        edits["effective_date"] = effective_on.isoformat()
    if doc.approved_by is None or doc.approved_by.name != approver or doc.approved_by.date != approval.day:
        # the approver of record, in the sources too; the date only where the YAML had none (approval_day)
        edits["approved_by"] = {"name": approver, "date": approval.day.isoformat()}
    release = _Release(approver, reason, effective_on, moment, approval, signers, entry_signer, diff_summary)
    if not edits:
        return _record_release(ws, doc, release)
    original = doc.source.read_bytes()
    set_fields(doc.source, edits, {key: doc.raw.line_of(key) if key in doc.raw else None for key in edits},
               after=("reviewed_by", "prepared_by", "department", "revision"))

    def undo() -> None:
        write_bytes(doc.source, original)

    try:
        ws = load_checked(root)
    except BaseException:
        undo()
        raise
    return _record_release(ws, _document(ws, doc_id), release, undo)


@dataclass(frozen=True)
class _Release:
    """What one release records besides the document: approver, reason, dates, signers."""

    approver: str
    reason: str
    effective: date
    moment: datetime
    approval: Approval
    signers: list
    entry_signer: object
    diff_summary: bool


def _record_release(ws: Workspace, doc: Document, release: _Release, undo=lambda: None) -> ReleaseResult:
    """Render the approved revision, stage it, append the (signed) ledger entry, move the archive into place.

    `undo` reverts what release() changed in the sources; it runs when anything fails before the
    ledger entry exists (afterwards the release has happened, whatever else fails).
    """
    root, ledger = ws.root, ledger_of(ws)
    entries = ledger.entries()
    staged = None
    try:
        change = doc.change
        if release.diff_summary and ledger.for_document(doc.id):
            change = f"{doc.change}（{change_summary_text(root, doc.id)}）" if doc.change else change_summary_text(root, doc.id)
        pending = PendingRelease(release.approver, release.approval.day, release.effective, release.reason.strip(), change)
        controls = {doc.id: document_controls(ws, doc, entries, release.moment.date(), pending)}
        outputs = produce(ws, [doc], controls)[doc.id]
        files = {f"{doc.id}.{suffix}": data for suffix, data in outputs.items()}
        files.update(source_files(ws, doc))
        if release.signers:
            files[f"{doc.id}.signed.pdf"] = sign_with(release.signers, {f"{doc.id}.pdf": outputs["pdf"]})[f"{doc.id}.pdf"]
        staged = stage_outputs(ws.root, doc.id, doc.revision, files, ws.config.releases_dir)
        signer = release.entry_signer
        signature = {"signer": signer.fingerprint, "sign": signer.sign_text} if signer else {}
        entry = ledger.append(
            action=Action.RELEASE, document=doc.id, revision=doc.revision, timestamp=format_timestamp(release.moment),
            effective_date=release.effective.isoformat(), inputs_sha256=inputs_digest(ws, doc),
            inputs=input_hashes(ws, doc, controls[doc.id].citations), outputs=staged.hashes,
            prepared_by=doc.prepared_by.name, reviewed_by=doc.reviewed_by.name, approved_by=pending.approved_by,
            approved_on=release.approval.day.isoformat(),
            reason=pending.reason, change_summary=pending.change or None, **signature,
        )
    except BaseException:
        if staged is not None:
            discard_staged(staged.staging)
        undo()
        raise
    try:
        commit_staged(staged)
    except OSError as exc:
        raise UsageError(f"error: {doc.id} revision {doc.revision} is released (ledger entry {entry.seq}) but its archive "
                         f"could not be moved into place ({exc.strerror}); it is staged in "
                         f"{staged.staging.relative_to(root)} and the next release, revise or obsolete finishes it") from None
    write_outputs(ws, document_outputs({doc.id: outputs}))
    write_manifest(ws, BuildCache(ws.config.build_path))
    return ReleaseResult(entry, staged.dest, approval=release.approval)


def source_files(ws: Workspace, doc: Document) -> dict[str, bytes]:
    """The document's YAML and Markdown body, archived with its outputs for later comparison
    (a validation report's CSV results too: the raw data it was judged on)."""
    files = {f"{doc.id}.yaml": doc.source.read_bytes()}
    body = ws.root / doc.body_source
    if doc.body_source != doc.source_display and body.is_file():
        files[f"{doc.id}.md"] = body.read_bytes()
    block = doc.raw.get("report") if doc.kind == "validation_report" else None
    for name in csv_names(block) if isinstance(block, dict) else []:
        path = doc.source.parent / name
        if path.is_file() and name not in files:
            files[name] = path.read_bytes()
    return files


def check_release_order(ws: Workspace, doc: Document, entries: list[LedgerEntry]) -> None:
    """Refuse a revision that skips or goes back, a new revision without a change description,
    and citations of withdrawn documents. (Citing a draft is allowed: a procedure and its
    record forms cite each other and are released one after the other.)"""
    revisions = scheme(ws.config.revision_scheme)
    releases = ledger_queries.releases(entries, doc.id)
    problems = []
    if not releases and doc.revision != revisions.first():
        problems.append(f"error: {where(doc, 'revision')}: revision: the first release of {doc.id} is revision {revisions.first()}, not {doc.revision}")
    if releases:
        last = releases[-1]
        allowed = {revisions.next(last.revision)}
        try:
            allowed.add(revisions.next(last.revision, minor=True))
        except ValueError:
            pass  # the letters scheme has no minor revisions
        if doc.revision not in allowed:
            problems.append(f"error: {where(doc, 'revision')}: revision: after {last.revision} comes "
                            f"{' or '.join(sorted(allowed))}, not {doc.revision} (dossier revise {doc.id})")
        if not doc.change or doc.change == (last.change_summary or ""):
            problems.append(f"error: {where(doc, 'change')}: change: describe what revision {doc.revision} changes "
                            f"(it reads {doc.change or 'nothing'!r}, as in revision {last.revision})")
    withdrawn = {e.document for e in ledger_queries.withdrawals(entries)}
    for cited in sorted(cited_ids(doc)):
        if cited in withdrawn:
            path, line, place = citation_place(doc, cited)
            problems.append(f"error: {path}:{line}: {place}: cites {cited}, which was withdrawn (作废)")
    if problems:
        raise UsageError("\n".join(problems))
