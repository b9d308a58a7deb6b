"""Where each object of a validation master plan stands, from the ledger (device GMP 2025 Art. 74–76).

Per object on a day: its state — planned, protocol approved (its protocol released), executed (a
report on that protocol exists), report approved (a report on it released after the plan's
`last_validated`: the planned validation is done) — the last validation (the approval day of the
latest released report, or the plan's `last_validated` for one done before), when revalidation is
due (`revalidation.interval_months` later, Art. 75) and flags: overdue (due date passed), late
(planned date passed and the state is not report approved, unless `last_validated` is on or
after the planned date), failed
(the approved report concludes 不合格) and the changes to assess (Art. 74): a new revision of a
document the object `depends_on`, released after the last validation or being prepared, that
the plan's `assessed` list does not cover.

Also the two rules that need the ledger: a report is judged against a released protocol, and is
not released while a deviation awaits approval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.lifecycle import add_months, approval_date, recorded_date
from dossier.errors import InputProblem
from dossier.validation.plan import PlanObject, catalogue, plan_objects
from dossier.validation.report import PENDING, protocol_reference
from dossier.validation.sources import report_evaluation
from dossier.workspace.model import Document, Workspace

PLANNED, PROTOCOL_APPROVED, EXECUTED, REPORT_APPROVED = "planned", "protocol_approved", "executed", "report_approved"


@dataclass
class ObjectStatus:
    """The status of one plan object on one day (see module docstring)."""

    plan: str
    object: PlanObject
    state: str = PLANNED
    protocol_revision: str | None = None
    report: str | None = None
    report_revision: str | None = None
    conclusion: str | None = None  # of the report shown: 合格 / 不合格 / 待定
    last_validated: date | None = None
    next_due: date | None = None
    overdue: bool = False
    late: bool = False
    failed: bool = False
    to_assess: list[dict[str, str]] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        """OVERDUE, LATE, FAILED, REVALIDATE-ASSESS(n) as they apply."""
        flags = ["OVERDUE"] * self.overdue + ["LATE"] * self.late + ["FAILED"] * self.failed
        return flags + ([f"REVALIDATE-ASSESS-{len(self.to_assess)}"] if self.to_assess else [])

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as YYYY-MM-DD)."""
        o = self.object
        return {
            "plan": self.plan, "object": o.id, "name": o.name, "type": o.type, "owner": o.owner,
            "state": self.state, "state_label": catalogue()["states"][self.state],
            "planned": _iso(o.planned), "protocol": o.protocol or None, "protocol_revision": self.protocol_revision,
            "report": self.report, "report_revision": self.report_revision, "conclusion": self.conclusion,
            "last_validated": _iso(self.last_validated), "next_due": _iso(self.next_due),
            "interval_months": o.interval_months, "triggers": list(o.triggers),
            "overdue": self.overdue, "late": self.late, "failed": self.failed,
            "revalidation_to_assess": self.to_assess,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def reports_on(ws: Workspace, protocol: str) -> list[Document]:
    """The validation reports of the workspace that name `protocol`, by id."""
    return [doc for doc in ws.documents.values()
            if doc.kind == "validation_report" and protocol_reference(doc.raw.get("report"))[0] == protocol]


def _changes(ws: Workspace, obj: PlanObject, entries: list[LedgerEntry], since: date) -> list[dict[str, str]]:
    """New revisions of the documents `obj` depends on, after `since`, not assessed (Art. 74)."""
    assessed = {(a.document, a.revision) for a in obj.assessed}
    found = []
    for name in obj.depends_on:
        releases = ledger_queries.releases(entries, name)
        for release in releases[1:]:  # the first release issues the document; later ones change it
            day = recorded_date(release, ws.config.zone)
            if day > since and (name, release.revision) not in assessed:
                found.append({"document": name, "revision": release.revision, "change": "released",
                              "date": day.isoformat()})
        doc = ws.documents.get(name)
        if doc is not None and releases and doc.revision not in {r.revision for r in releases} and (name, doc.revision) not in assessed:
            found.append({"document": name, "revision": doc.revision, "change": "in preparation", "date": ""})
    return found


def _approved_reports(ws: Workspace, obj: PlanObject, reports: list[Document],
                      entries: list[LedgerEntry]) -> list[tuple[date, LedgerEntry, Document]]:
    """The released reports on `obj`'s protocol, in ledger order, each with its approval day."""
    found = sorted(((entry, doc) for doc in reports for entry in ledger_queries.releases(entries, doc.id)),
                   key=lambda pair: pair[0].seq)
    return [(approval_date(entry, ws.config.zone), entry, doc) for entry, doc in found]


def object_status(ws: Workspace, plan: Document, obj: PlanObject, entries: list[LedgerEntry], today: date) -> ObjectStatus:
    """The status of one object of `plan` on `today` (see module docstring).

    The planned validation is done by a report approved after the validation the plan records as
    the last one (`last_validated`; any approved report when the plan records none): then the
    state is report_approved, never late (nor when `last_validated` itself is on or after the
    planned date: a validation the plan records as done). A report approved on or before
    `last_validated` is that earlier validation: it counts for the last validation and the next
    due date only.
    """
    status = ObjectStatus(plan.id, obj, last_validated=obj.last_validated)
    if obj.protocol:
        released = ledger_queries.releases(entries, obj.protocol)
        if released:
            status.state, status.protocol_revision = PROTOCOL_APPROVED, released[-1].revision
        reports = reports_on(ws, obj.protocol)
        approved = _approved_reports(ws, obj, reports, entries)
        if approved:
            day = max(day for day, _, _ in approved)
            status.last_validated = max(day, obj.last_validated) if obj.last_validated else day
        done = [(day, entry, doc) for day, entry, doc in approved if obj.last_validated is None or day > obj.last_validated]
        drafts = [doc for doc in reports if ledger_queries.release_of(entries, doc.id, doc.revision) is None]
        shown = done[-1][2] if done else drafts[-1] if drafts else None
        if done:
            status.state, status.report, status.report_revision = REPORT_APPROVED, shown.id, done[-1][1].revision
        elif shown is not None:
            status.state, status.report, status.report_revision = EXECUTED, shown.id, shown.revision
        if shown is not None:
            evaluation = report_evaluation(ws, shown)
            status.conclusion = evaluation.conclusion_label if evaluation is not None else None
            status.failed = status.state == REPORT_APPROVED and evaluation is not None and evaluation.conclusion == "fail"
    if status.last_validated and obj.interval_months:
        status.next_due = add_months(status.last_validated, obj.interval_months)
        status.overdue = status.next_due < today
    recorded_done = obj.last_validated is not None and obj.planned is not None and obj.last_validated >= obj.planned
    status.late = bool(obj.planned and obj.planned < today and status.state != REPORT_APPROVED and not recorded_done)
    if status.last_validated:
        status.to_assess = _changes(ws, obj, entries, status.last_validated)
    return status


def plan_status(ws: Workspace, entries: list[LedgerEntry], today: date) -> list[ObjectStatus]:
    """The status of every object of every validation plan of the workspace, plan by plan."""
    return [object_status(ws, doc, obj, entries, today)
            for doc in ws.documents.values() if doc.kind == "validation_plan"
            for obj in plan_objects(doc.raw)]


def plan_lines(statuses: list[ObjectStatus]) -> list[str]:
    """A readable table of plan objects: state, protocol, report, last validation, next due, flags."""
    if not statuses:
        return []
    lines = [f"{'object':<10} {'plan':<7} {'state':<17} {'protocol':<12} {'report':<12} {'validated':<10} {'next due':<10} flags  name"]
    for s in statuses:
        protocol = f"{s.object.protocol} {s.protocol_revision or ''}".strip() or "-"
        report = f"{s.report} {s.report_revision or ''}".strip() if s.report else "-"
        lines.append(f"{s.object.id:<10} {s.plan:<7} {s.state:<17} {protocol:<12} {report:<12} "
                     f"{s.last_validated.isoformat() if s.last_validated else '-':<10} {s.next_due.isoformat() if s.next_due else '-':<10} "
                     f"{' '.join(s.flags) or '-':<6} {s.object.name}")
    for s in statuses:
        for change in s.to_assess:
            when = f" on {change['date']}" if change["date"] else ""
            lines.append(f"revalidation to assess: {s.object.id} depends on {change['document']}, revision {change['revision']} "
                         f"{change['change']}{when} after validation on {s.last_validated}")
    return lines


def _report_line(doc: Document, key: str) -> int | None:
    """The line of `report.KEY` in the report's YAML (of the `report:` block when the key is absent)."""
    report = doc.raw.get("report")
    if hasattr(report, "line_of"):
        return report.line_of(key)
    return doc.raw.line_of("report") if hasattr(doc.raw, "line_of") else None


def validation_warnings(ws: Workspace, entries: list[LedgerEntry]) -> list[InputProblem]:
    """Draft reports judged against a protocol revision that is not released (release it first),
    each at its `report.protocol` line."""
    warnings = []
    for doc in ws.documents.values():
        if doc.kind != "validation_report" or ledger_queries.release_of(entries, doc.id, doc.revision) is not None:
            continue
        protocol, revision = protocol_reference(doc.raw.get("report"))
        if protocol and revision and ledger_queries.release_of(entries, protocol, revision) is None:
            warnings.append(InputProblem(doc.source_display, _report_line(doc, "protocol"), "report.protocol",
                                         f"{doc.id} is judged against {protocol} {revision}, which is not released; "
                                         "release the protocol before the report (Art. 76: an approved protocol)"))
    return warnings


def report_release_problems(ws: Workspace, doc: Document, entries: list[LedgerEntry]) -> list[str]:
    """Why the report `doc` cannot be released yet: an unreleased protocol, a deviation awaiting approval."""
    if doc.kind != "validation_report":
        return []
    problems = []
    protocol, revision = protocol_reference(doc.raw.get("report"))
    if ledger_queries.release_of(entries, protocol, revision) is None:
        where = InputProblem(doc.source_display, _report_line(doc, "protocol"), "report.protocol",
                             f"{protocol} revision {revision} is not released; "
                             f"a report is released only on an approved protocol (dossier release {protocol})")
        problems.append(f"error: {where}")
    evaluation = report_evaluation(ws, doc)
    if evaluation is not None and evaluation.conclusion == PENDING:
        where = InputProblem(doc.source_display, _report_line(doc, "deviations"), "report.deviations",
                             f"{'；'.join(evaluation.reasons)}: record approved_by (name, date) before the report is released")
        problems.append(f"error: {where}")
    return problems
