"""Issued copies and periodic review: `dossier issue`, `recall`, `destroy` and `review`.

Device GMP 2025 Art. 43(1): distribution, replacement and destruction records; 43(3): the right
text in use, withdrawn copies identified. `issue` stamps the archived, released PDF (never a new
rendering) with the copy's 发放号, holder and revision on every page, writes it to
`build/copies/DOC-ID_REV_copyN.pdf` and records the issue in the ledger; `recall` records a
copy's return, `destroy` its destruction (with a witness, 监销人), `review` the conclusion of a
periodic review. Each refuses what the records could not show (see
`dossier.control.ledger.copies`) before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from dossier.control.archive import revision_dirname, sha256_bytes
from dossier.control.controls import ledger_of
from dossier.control.copies import copy_out, document_issues, planned
from dossier.control.forms import stamp_lines
from dossier.control.ledger import Action, LedgerEntry, format_timestamp
from dossier.control.ledger import queries as ledger_queries
from dossier.control.ledger.copies import Issue, copy_book
from dossier.control.ledger.entry import REVIEW_RESULTS
from dossier.control.lifecycle import State, entry_date, recorded_date, revision_states
from dossier.errors import CheckFailed, UsageError
from dossier.pdf.copystamp import stamp_copy
from dossier.pipeline.load import load_checked
from dossier.util import clock
from dossier.util.atomic import write_bytes
from dossier.util.lock import workspace_lock
from dossier.workspace.model import Document, Workspace

COPIES_DIR = "copies"


@dataclass(frozen=True)
class IssuedCopy:
    """One copy issued: its ledger entry and the stamped PDF written."""

    entry: LedgerEntry
    pdf: Path


def copy_path(ws: Workspace, doc_id: str, revision: str, copy: int) -> Path:
    """`build/copies/DOC-ID_REV_copyN.pdf` (a revision `A/1` is written `A-1`)."""
    return ws.config.build_path / COPIES_DIR / f"{doc_id}_{revision_dirname(revision)}_copy{copy}.pdf"


def _day(option: str, value: date | None, today: date, earliest: date, what: str) -> date:
    """The day of a record: `value` or today; not in the future, not before `earliest` (`what` says why)."""
    day = value or today
    if day > today:
        raise UsageError(f"error: {option} {day} is in the future: record what has happened")
    if day < earliest:
        raise UsageError(f"error: {option} {day} is before {what} ({earliest})")
    return day


def _person(by: str | None, who: str) -> str:
    """`by` stripped: the person a distribution or destruction record names; UsageError when empty."""
    name = (by or "").strip()
    if not name:
        raise UsageError(f"error: --by: name {who}")
    return name


def _moment(ws: Workspace, now: datetime | None) -> datetime:
    """Now (or `now`) in the workspace time zone: what a record's day means."""
    return (now or clock.now()).astimezone(ws.config.zone)


def _open(root: Path, doc_id: str) -> tuple[Workspace, Document, list[LedgerEntry]]:
    ws = load_checked(root, released_unchanged=False, settings=False)
    doc = ws.document(doc_id)
    return ws, doc, ledger_of(ws).entries()


def _issuable(ws: Workspace, doc: Document, entries: list[LedgerEntry]) -> tuple[LedgerEntry, bytes]:
    """The release to issue copies of (the latest, document not withdrawn) and its archived PDF bytes."""
    releases = ledger_queries.releases(entries, doc.id)
    if not releases:
        raise UsageError(f"error: {doc.id} was never released: only released revisions are issued "
                         f"(dossier release {doc.id} --approved-by NAME --reason TEXT)")
    if copy_book(entries, doc.id).withdrawn:
        raise UsageError(f"error: {doc.id} is withdrawn (作废): its copies are recalled, not issued")
    release = releases[-1]
    name = next((p for p in release.outputs if p.endswith(f"/{doc.id}.pdf")), None)
    archived = ws.root / name if name else None
    if archived is None or not archived.is_file():
        raise CheckFailed([f"{doc.id} revision {release.revision}: the archived PDF is missing (run dossier verify)"])
    data = archived.read_bytes()
    if sha256_bytes(data) != release.outputs[name]:
        raise CheckFailed([f"{name}: SHA-256 differs from ledger entry {release.seq}: it is not the released PDF "
                           "(run dossier verify)"])
    return release, data


def _holder(doc: Document, issues: list[Issue], copy: int, holder: str | None, department: str | None) -> tuple[str, str | None]:
    """Who gets `copy`: as given, else its last holder (the number stays with them), else the plan."""
    if holder:
        return holder.strip(), (department or "").strip() or None
    earlier = next((i for i in reversed(issues) if i.copy == copy), None)
    if earlier is not None:
        return earlier.holder, department or earlier.department
    plan = planned(doc).get(copy)
    if plan is not None:
        return plan.holder, department or plan.department or None
    raise UsageError(f"error: --holder: copy {copy} of {doc.id} was never issued and is not in distribution: "
                     f"of {doc.source_display}:{doc.raw.line_of('distribution')}; name its holder "
                     "(--holder NAME --department DEPT)")


def _legacy_line(doc: Document, copy: int) -> str:
    """`content/QP-04.yaml:14`: where `distribution:` records the issue of `copy` (earlier versions' records)."""
    line = next((e["line"] for e in reversed(doc.distribution) if e["copy"] == copy and e["issued"]),
                doc.raw.line_of("distribution"))
    return f"{doc.source_display}:{line}"


def _refuse_out(doc: Document, out: Issue) -> None:
    where = f"{out.holder}, issued {out.issued_on}"
    if out.legacy:
        raise UsageError(f"error: {_legacy_line(doc, out.copy)}: distribution.withdrawn: copy {out.copy} of {doc.id} is "
                         f"out (revision {out.revision}, {where}): add its withdrawn: date here first")
    raise UsageError(f"error: copy {out.copy} of {doc.id} is out (revision {out.revision}, {where}): "
                     f"record its return first (dossier recall {doc.id} --copy {out.copy} --by NAME)")


def issue(root: Path, doc_id: str, copies: list[int], by: str, holder: str | None = None, department: str | None = None,
          on: date | None = None, now: datetime | None = None) -> list[IssuedCopy]:
    """Issue `copies` of the revision of `doc_id` last released, by `by`: stamped PDFs and ledger entries.

    The holder and department come from the options, else from the copy's last issue, else
    from the YAML `distribution:` plan. `by` is the 发放人 the distribution record names, a
    person; the ledger's `actor` (who ran the command) is recorded beside it. Refused
    (UsageError, nothing written) without `by`, for a document never released or withdrawn, a
    copy still out, a date before the release was recorded or in the future, `holder` with
    several copies.
    """
    issuer = _person(by, "who issues the copies (发放人)")
    if not copies:
        raise UsageError("error: --copy: name the copy number (发放号) to issue")
    if holder and len(copies) > 1:
        raise UsageError("error: --holder names one holder: issue one --copy at a time")
    with workspace_lock(Path(root), "issue"):
        ws, doc, entries = _open(root, doc_id)
        moment = _moment(ws, now)
        release, pdf = _issuable(ws, doc, entries)
        day = _day("--date", on, moment.date(), recorded_date(release, ws.config.zone),
                   f"{doc.id} revision {release.revision} was released")
        issues = document_issues(doc, entries, ws.config.zone)
        planned_copies = []
        for copy in sorted(set(copies)):
            out = copy_out(issues, copy)
            if out is not None:
                _refuse_out(doc, out)
            name, dept = _holder(doc, issues, copy, holder, department)
            planned_copies.append(Issue(doc.id, copy, release.revision, name, dept, day, issuer))
        stamped = {i.copy: stamp_copy(pdf, stamp_lines(i), datetime(day.year, day.month, day.day)) for i in planned_copies}
        done = []
        ledger = ledger_of(ws)
        for i in planned_copies:
            entry = ledger.append(action=Action.ISSUE, document=doc.id, revision=i.revision, timestamp=format_timestamp(moment),
                                  effective_date=day.isoformat(), copy=i.copy, holder=i.holder, department=i.department,
                                  performed_by=issuer)
            path = copy_path(ws, doc.id, i.revision, i.copy)
            write_bytes(path, stamped[i.copy])
            done.append(IssuedCopy(entry, path))
    return done


def recall(root: Path, doc_id: str, copy: int, by: str, on: date | None = None, reason: str | None = None,
           now: datetime | None = None) -> LedgerEntry:
    """Record the return (回收) of `copy` of `doc_id`, collected by `by` (回收人, a person; the
    ledger's `actor` records who ran the command); refused without `by` or when that copy is not out."""
    collector = _person(by, "who collected the copy (回收人)")
    with workspace_lock(Path(root), "recall"):
        ws, doc, entries = _open(root, doc_id)
        moment = _moment(ws, now)
        out = copy_out(document_issues(doc, entries, ws.config.zone), copy)
        if out is None:
            raise UsageError(f"error: --copy: copy {copy} of {doc.id} is not out: nothing to return")
        if out.legacy:
            raise UsageError(f"error: {_legacy_line(doc, copy)}: distribution.withdrawn: copy {copy} of {doc.id} was "
                             "issued here (distribution:): record its return here as withdrawn: DATE")
        day = _day("--date", on, moment.date(), out.issued_on, f"copy {copy} was issued")
        return ledger_of(ws).append(
            action=Action.RECALL, document=doc.id, revision=out.revision, timestamp=format_timestamp(moment),
            effective_date=day.isoformat(), copy=copy, performed_by=collector,
            reason=(reason or "").strip() or None)


def _destroy_reason(doc: Document, entries: list[LedgerEntry], revision: str) -> str:
    """Why a returned copy is destroyed, as the destruction record reads when no --reason is given."""
    releases = ledger_queries.releases(entries, doc.id)
    if copy_book(entries, doc.id).withdrawn:
        return "文件作废"
    if releases and releases[-1].revision != revision:
        return f"换版回收（{releases[-1].revision}版替代）"
    return "回收"


def destroy(root: Path, doc_id: str, copy: int, by: str, witness: str | None = None, revision: str | None = None,
            on: date | None = None, reason: str | None = None, now: datetime | None = None) -> LedgerEntry:
    """Record the destruction (销毁) of a returned `copy` of `doc_id`, by `by`, witnessed by `witness`.

    The copy is the returned one awaiting destruction (`revision` picks one when several are).
    Refused when `by` is empty, the copy is still out or nothing of it awaits destruction.
    """
    destroyer = _person(by, "who destroyed the copy (销毁人)")
    with workspace_lock(Path(root), "destroy"):
        ws, doc, entries = _open(root, doc_id)
        moment = _moment(ws, now)
        waiting = [i for i in copy_book(entries, doc.id).issues
                   if i.copy == copy and i.awaiting_destruction and revision in (None, i.revision)]
        if not waiting:
            out = copy_out(document_issues(doc, entries, ws.config.zone), copy)
            if out is not None and revision in (None, out.revision):
                raise UsageError(f"error: copy {copy} of {doc.id} (revision {out.revision}) is still out: "
                                 f"record its return first (dossier recall {doc.id} --copy {copy} --by NAME)")
            raise UsageError(f"error: --copy: no returned copy {copy} of {doc.id}"
                             f"{' revision ' + revision if revision else ''} awaits destruction")
        if len({i.revision for i in waiting}) > 1:
            raise UsageError(f"error: --revision: returned copies {copy} of revisions "
                             f"{', '.join(sorted({i.revision for i in waiting}))} await destruction: name one")
        target = waiting[-1]
        day = _day("--date", on, moment.date(), target.returned_on, f"copy {copy} was returned")
        return ledger_of(ws).append(
            action=Action.DESTROY, document=doc.id, revision=target.revision, timestamp=format_timestamp(moment),
            effective_date=day.isoformat(), copy=copy, performed_by=destroyer, witness=(witness or "").strip() or None,
            reason=(reason or "").strip() or _destroy_reason(doc, entries, target.revision))


def review(root: Path, doc_id: str, by: str, result: str, note: str | None = None, on: date | None = None,
           now: datetime | None = None) -> LedgerEntry:
    """Record a periodic review of the revision of `doc_id` in force: `continue` restarts the interval.

    Refused when `by` is empty, `result` is not continue, revise or withdraw, or no revision is
    in force (never released, not yet effective, or withdrawn).
    """
    if not by.strip():
        raise UsageError("error: --by: name the reviewer (评审人)")
    if result not in REVIEW_RESULTS:
        raise UsageError(f"error: --result: expected one of {', '.join(REVIEW_RESULTS)}, got {result!r}")
    with workspace_lock(Path(root), "review"):
        ws, doc, entries = _open(root, doc_id)
        moment = _moment(ws, now)
        states = revision_states(entries, doc.id, moment.date())
        in_force = next((rev for rev, state in states.items() if state is State.EFFECTIVE), None)
        if in_force is None:
            raise UsageError(f"error: {doc.id} has no revision in force to review "
                             f"({'withdrawn' if copy_book(entries, doc.id).withdrawn else 'not released or not yet effective'})")
        since = entry_date(ledger_queries.release_of(entries, doc.id, in_force))
        day = _day("--date", on, moment.date(), since, f"revision {in_force} took effect")
        return ledger_of(ws).append(
            action=Action.REVIEW, document=doc.id, revision=in_force, timestamp=format_timestamp(moment),
            effective_date=day.isoformat(), performed_by=by.strip(), result=result, note=(note or "").strip() or None)
