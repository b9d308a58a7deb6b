"""Document control actions: release a revision, start the next one, withdraw a document.

A release renders the document as approved, archives its outputs under
`releases/DOC-ID/REV/` (never overwritten) and appends a hash-chained entry to the ledger.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from dossier.actions.diff import change_summary_text
from dossier.control.archive import archive_outputs, release_dir
from dossier.control.controls import PendingRelease, document_controls, ledger_of
from dossier.control.digest import inputs_digest
from dossier.control.integrity import check_released_unchanged
from dossier.control.ledger import Action, LedgerEntry, format_timestamp
from dossier.control.ledger import queries as ledger_queries
from dossier.errors import Problems, UsageError
from dossier.markdown.queries import cited_ids, unknown_numbers
from dossier.pipeline.cache import BuildCache
from dossier.pipeline.documents import produce
from dossier.pipeline.load import load_checked
from dossier.pipeline.record import document_outputs, write_manifest, write_outputs
from dossier.pipeline.sign import sign_pdfs
from dossier.util.atomic import write_bytes, write_text
from dossier.validate import validate_workspace
from dossier.workspace.load import load_workspace
from dossier.workspace.model import Document, Workspace
from dossier.workspace.revisions import scheme


@dataclass(frozen=True)
class ReleaseResult:
    """The ledger entry of a release and where its outputs were archived."""

    entry: LedgerEntry
    archive: Path


def _document(ws: Workspace, doc_id: str) -> Document:
    if doc_id not in ws.documents:
        raise UsageError(f"error: {doc_id}: no such document in {ws.config.content_dir}/")
    return ws.documents[doc_id]


def _set_yaml_field(path: Path, key: str, line: int | None, value: str) -> None:
    """Replace the single-line top-level `key:` at `line` (or append it) keeping everything else."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if line:
        index = line - 1
        match = re.match(rf"^{key}\s*:", lines[index])
        if not match:
            raise UsageError(f"error: {path}:{line}: {key}: cannot update this field automatically")
        end = index + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
            end += 1  # a block value continues on indented lines
        lines[index:end] = [f"{key}: {quoted}\n"]
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(f"{key}: {quoted}\n")
    write_text(path, "".join(lines))


def check_numbers_exist(ws: Workspace, doc: Document) -> None:
    """Refuse to release a body naming, as plain text, a document number no document has (check only warns)."""
    problems = Problems()
    for line, number in unknown_numbers(ws, doc):
        problems.add(doc.body_source, line, "body", f"{number} is written as a document number but no document {number} "
                                                    "exists: correct it, or cite an existing document as [[ID]], before release")
    problems.raise_if_any()


def revise(root: Path, doc_id: str, minor: bool = False, change: str = "") -> str:
    """Start the next revision of a released document as a draft; returns the new revision.

    The YAML gets the new revision and change text, and its effective date is cleared: release
    writes the new revision's own date (today, or `--effective`).
    """
    problems = Problems()
    ws = load_workspace(root, problems)
    validate_workspace(ws, problems)
    problems.raise_if_any()
    doc = _document(ws, doc_id)
    ledger = ledger_of(ws)
    if ledger.released(doc.id, doc.revision) is None:
        raise UsageError(f"error: {doc.id} revision {doc.revision} is not released yet: edit it as it is")
    try:
        new = scheme(ws.config.revision_scheme).next(doc.revision, minor)
    except ValueError as exc:
        raise UsageError(f"error: {doc.id}: {exc}") from exc
    edits = {"revision": new, "change": change}
    if doc.effective_date is not None:  # the released revision's date; the new one gets its own on release
        edits["effective_date"] = ""
    # bottom-up, so a block value replaced by one line cannot shift the lines of the next edit
    for key in sorted(edits, key=lambda k: doc.raw.line_of(k) if k in doc.raw else 0, reverse=True):
        _set_yaml_field(doc.source, key, doc.raw.line_of(key) if key in doc.raw else None, edits[key])
    return new


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

    Refused while `check` fails, while the author or reviewer is missing, when the revision was
    already released, when the effective date lies before the approval date, or when the body
    names as plain text a document number that names no document.
    `minor` first starts the next minor revision of a released document (edition/numeric schemes).
    `sign` names signing profiles: the archive then also holds `ID.signed.pdf` (the issued file)
    beside the unsigned `ID.pdf` (the reproducible artifact). `diff_summary` appends the redline
    summary against the previous release (sections, paragraphs, rows, fields) to the change text.
    """
    moment = now or datetime.now(timezone.utc)
    today = moment.date()
    if minor:
        ws = load_workspace(root, Problems())
        doc = ws.documents.get(doc_id)
        if doc is not None and ledger_of(ws).released(doc.id, doc.revision) is not None:
            revise(root, doc_id, minor=True, change=reason)
    ws = load_checked(root)
    doc = _document(ws, doc_id)
    ledger = ledger_of(ws)
    previous = ledger.released(doc.id, doc.revision)
    if previous is not None:
        nxt = scheme(ws.config.revision_scheme).next(doc.revision)
        raise UsageError(f"error: {doc.id} revision {doc.revision} was already released ({previous.timestamp[:10]}); "
                         f"start revision {nxt} with `dossier revise {doc.id}`")
    check_release_order(ws, doc, ledger.entries())
    check_numbers_exist(ws, doc)
    missing = [label for label, who in (("prepared_by", doc.prepared_by), ("reviewed_by", doc.reviewed_by)) if who is None or not who.name]
    if missing:
        raise UsageError("\n".join(f"error: {doc.source_display}: {field}: required before release (name and date)" for field in missing))
    if not approved_by.strip():
        raise UsageError("error: --approved-by: the approver's name is required")
    if not reason.strip():
        raise UsageError("error: --reason: the reason for this release is required")
    effective_on = effective or doc.effective_date or today
    if effective_on < today:
        source = "--effective" if effective else f"{doc.source_display}: effective_date:"
        raise UsageError(f"error: {source} {effective_on} is before the approval date {today}")
    if doc.effective_date == effective_on:
        return _record_release(ws, doc, approved_by, reason, effective_on, moment, sign, diff_summary)
    # the YAML states the date the release takes effect, so the archived sources and the ledger agree
    original = doc.source.read_bytes()
    _set_yaml_field(doc.source, "effective_date", doc.raw.line_of("effective_date") if "effective_date" in doc.raw else None,
                    effective_on.isoformat())

    def undo() -> None:
        write_bytes(doc.source, original)

    try:
        ws = load_checked(root)
    except BaseException:
        undo()
        raise
    return _record_release(ws, _document(ws, doc_id), approved_by, reason, effective_on, moment, sign, diff_summary, undo)


def _record_release(ws: Workspace, doc: Document, approved_by: str, reason: str, effective_on: date, moment: datetime,
                    sign: tuple[str, ...], diff_summary: bool, undo: Callable[[], None] = lambda: None) -> ReleaseResult:
    """Render the approved revision, archive it and append the ledger entry (release() has checked it).

    `undo` reverts what release() changed in the sources; it runs when anything fails before the
    ledger entry exists (afterwards the release has happened, whatever else fails).
    """
    root, today, ledger = ws.root, moment.date(), ledger_of(ws)
    entries = ledger.entries()
    archive = None
    try:
        change = doc.change
        if diff_summary and ledger.for_document(doc.id):
            change = f"{doc.change}（{change_summary_text(root, doc.id)}）" if doc.change else change_summary_text(root, doc.id)
        pending = PendingRelease(approved_by.strip(), today, effective_on, reason.strip(), change)
        controls = {doc.id: document_controls(ws, doc, entries, today, pending)}
        outputs = produce(ws, [doc], controls)[doc.id]
        files = {f"{doc.id}.{suffix}": data for suffix, data in outputs.items()}
        files.update(source_files(ws, doc))
        if sign:
            files[f"{doc.id}.signed.pdf"] = sign_pdfs(ws, sign, {f"{doc.id}.pdf": outputs["pdf"]})[f"{doc.id}.pdf"]
        hashes = archive_outputs(ws.root, doc.id, doc.revision, files, ws.config.releases_dir)
        archive = release_dir(ws.root, doc.id, doc.revision, ws.config.releases_dir)
        entry = ledger.append(
            action=Action.RELEASE, document=doc.id, revision=doc.revision, timestamp=format_timestamp(moment),
            effective_date=effective_on.isoformat(), inputs_sha256=inputs_digest(ws, doc), outputs=hashes,
            prepared_by=doc.prepared_by.name, reviewed_by=doc.reviewed_by.name, approved_by=pending.approved_by,
            reason=pending.reason, change_summary=pending.change or None,
        )
    except BaseException:
        if archive is not None:
            _remove_archive(archive)
        undo()
        raise
    write_outputs(ws, document_outputs({doc.id: outputs}))
    write_manifest(ws, BuildCache(ws.config.build_path))
    return ReleaseResult(entry, archive)


def source_files(ws: Workspace, doc: Document) -> dict[str, bytes]:
    """The document's YAML and Markdown body, archived with its outputs for later comparison."""
    files = {f"{doc.id}.yaml": doc.source.read_bytes()}
    body = ws.root / doc.body_source
    if doc.body_source != doc.source_display and body.is_file():
        files[f"{doc.id}.md"] = body.read_bytes()
    return files


def check_release_order(ws: Workspace, doc: Document, entries: list[LedgerEntry]) -> None:
    """Refuse a revision that skips or goes back, a new revision without a change description,
    and citations of withdrawn documents. (Citing a draft is allowed: a procedure and its
    record forms cite each other and are released one after the other.)"""
    revisions = scheme(ws.config.revision_scheme)
    releases = ledger_queries.releases(entries, doc.id)
    problems = []
    if not releases and doc.revision != revisions.first():
        problems.append(f"error: {doc.source_display}: revision: the first release of {doc.id} is revision {revisions.first()}, not {doc.revision}")
    if releases:
        last = releases[-1]
        allowed = {revisions.next(last.revision)}
        try:
            allowed.add(revisions.next(last.revision, minor=True))
        except ValueError:
            pass  # the letters scheme has no minor revisions
        if doc.revision not in allowed:
            problems.append(f"error: {doc.source_display}: revision: after {last.revision} comes "
                            f"{' or '.join(sorted(allowed))}, not {doc.revision} (dossier revise {doc.id})")
        if not doc.change or doc.change == (last.change_summary or ""):
            problems.append(f"error: {doc.source_display}: change: describe what revision {doc.revision} changes "
                            f"(it reads {doc.change or 'nothing'!r}, as in revision {last.revision})")
    withdrawn = {e.document for e in ledger_queries.withdrawals(entries)}
    for cited in sorted(cited_ids(doc)):
        if cited in withdrawn:
            problems.append(f"error: {doc.source_display}: body: cites {cited}, which was withdrawn (作废)")
    if problems:
        raise UsageError("\n".join(problems))


def _remove_archive(folder: Path) -> None:
    """Undo an archive whose ledger entry could not be written."""
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)
    shutil.rmtree(folder)


def obsolete(root: Path, doc_id: str, reason: str, approved_by: str = "", now: datetime | None = None) -> LedgerEntry:
    """Withdraw a document from use (its revisions become 作废); recorded in the ledger."""
    moment = now or datetime.now(timezone.utc)
    problems = Problems()
    ws = load_workspace(root, problems)
    validate_workspace(ws, problems)
    check_released_unchanged(ws, ledger_of(ws).entries(), problems)
    problems.raise_if_any()
    doc = _document(ws, doc_id)
    if not reason.strip():
        raise UsageError("error: --reason: the reason for the withdrawal is required")
    released = ledger_queries.releases(ledger_of(ws).entries(), doc.id)
    if not released:
        raise UsageError(f"error: {doc.id} was never released: nothing to withdraw")
    return ledger_of(ws).append(
        action=Action.OBSOLETE, document=doc.id, revision=released[-1].revision, timestamp=format_timestamp(moment),
        effective_date=moment.date().isoformat(), reason=reason.strip(), approved_by=approved_by.strip() or None,
    )
