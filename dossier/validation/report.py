"""A validation report (验证报告) judged against its protocol: results, deviations, conclusion.

    report:
      protocol: VP-12-01                 # the protocol executed (a validation_protocol)
      protocol_revision: A               # the revision executed (the report is judged against it)
      executed: {from: "2026-12-15", to: "2027-01-08"}
      results: {...}                     # see dossier.validation.results
      results_csv: [VR-12-07-loggers.csv]
      deviations:
        - id: DEV-2026-047
          criteria: [AC-06]              # the criteria it concerns (optional: a deviation of execution)
          description: 半周期运行转移用时 68 min
          impact: 负载温湿度仍在范围内，半周期 PCD 全部无菌生长……   # 影响评估 (required)
          disposition: 接受本次运行结果；增加备用叉车             # 处理 (required)
          affects_conclusion: false       # true when the deviation makes the validation fail
          capa: CAPA-2026-019             # optional
          approved_by: {name: 王建国, date: "2027-01-18"}
      conclusion: 合格                    # optional; the tool writes the conclusion it computes

Every criterion is evaluated (dossier.validation.evaluate). A criterion that fails needs a
deviation naming it, with impact assessment and disposition, else that is an input problem at
the failing result. The conclusion is 合格 when every criterion is met, or every one that is not
has an approved deviation that does not affect the conclusion; 待定 while such a deviation awaits
approval; 不合格 otherwise. A stated `conclusion: 合格` that the evaluation does not give is an
input problem (device GMP 2025 Art. 76: a report on the protocol's acceptance criteria).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dossier.validation.criteria import Criterion
from dossier.validation.evaluate import Evaluation, evaluate, judged
from dossier.validation.results import read_results
from dossier.validation.values import Where, wording
from dossier.workspace.fields import FieldReader

REPORT_FIELDS = {"protocol", "protocol_revision", "executed", "results", "results_csv", "deviations", "conclusion"}
DEVIATION_FIELDS = {"id", "criteria", "description", "impact", "disposition", "affects_conclusion", "capa", "approved_by"}
PASS, FAIL, PENDING = "pass", "fail", "pending"


@dataclass(frozen=True)
class Deviation:
    """One deviation recorded in a report (偏差): what happened, its assessment and its approval."""

    id: str
    criteria: tuple[str, ...]
    description: str
    impact: str
    disposition: str
    affects_conclusion: bool = False
    capa: str = ""
    approved_by: str = ""
    approved_on: date | None = None

    @property
    def approved(self) -> bool:
        """True once an approver and date are recorded."""
        return bool(self.approved_by and self.approved_on)


@dataclass
class ReportEvaluation:
    """A report judged against its protocol's criteria."""

    protocol: str
    revision: str
    evaluations: list[Evaluation] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    conclusion: str = PENDING
    reasons: list[str] = field(default_factory=list)  # why the conclusion is not 合格
    executed_from: date | None = None
    executed_to: date | None = None

    @property
    def conclusion_label(self) -> str:
        """合格 / 不合格 / 待定."""
        return wording()["conclusions"][self.conclusion]

    def failed(self) -> list[Evaluation]:
        """The criteria not met."""
        return [e for e in self.evaluations if not e.passed]


def protocol_reference(report: object) -> tuple[str, str]:
    """(protocol id, revision) a report block names; empty strings where it names none."""
    if not isinstance(report, dict):
        return "", ""
    ident, revision = report.get("protocol"), report.get("protocol_revision")
    return (str(ident).strip() if isinstance(ident, (str, int)) else "",
            str(revision).strip() if isinstance(revision, (str, int)) and not isinstance(revision, bool) else "")


def read_deviations(report: FieldReader, criteria: dict[str, Criterion]) -> list[Deviation]:
    """The report's deviations, each with its required fields; unknown criteria are problems."""
    deviations: list[Deviation] = []
    seen: set[str] = set()
    for entry in report.mappings("deviations"):
        entry.unknown(DEVIATION_FIELDS)
        ident = entry.text("id", required=True)
        if ident in seen:
            entry.fail("id", f"deviation {ident} is listed twice")
        seen.add(ident)
        names = entry.text_list("criteria")
        for name in names:
            if name not in criteria:
                entry.fail("criteria", f"{name} is not a criterion of the protocol")
        flag = entry.get("affects_conclusion")
        if flag is not None and not isinstance(flag, bool):
            entry.fail("affects_conclusion", f"expected true or false, got {flag!r}")
        approver = entry.child("approved_by")
        name, on = "", None
        if approver is not None:
            approver.unknown({"name", "date"})
            name, on = approver.text("name", required=True), approver.date("date", required=True)
        deviations.append(Deviation(
            ident, tuple(names), entry.text("description", required=True),
            entry.text("impact", required=True), entry.text("disposition", required=True),
            flag is True, entry.text("capa"), name, on,
        ))
    return deviations


def _conclude(result: ReportEvaluation, report: FieldReader) -> None:
    verdicts = wording()["conclusions"]
    result.conclusion = PASS
    for evaluation in result.failed():
        ident = evaluation.criterion.id
        covering = [d for d in result.deviations if ident in d.criteria]
        if not covering:
            where = next((f.where for f in evaluation.findings if f.where is not None), None) or Where(
                report.mapping.path, report.line_of("results"), report.name("results"))
            reasons = "；".join(f.text for f in evaluation.findings[:3]) or evaluation.verdict_label
            report.problems.add(where.path, where.line, where.field,
                                f"{ident} {evaluation.verdict_label}（{reasons}）: record a deviation naming {ident} in "
                                f"{report.name('deviations')}, with its impact assessment (impact) and disposition")
            result.conclusion = FAIL
            result.reasons.append(f"{ident} 不符合且没有偏差记录")
        elif any(d.affects_conclusion for d in covering):
            result.conclusion = FAIL
            result.reasons.append(f"{ident} 不符合，偏差 {'、'.join(d.id for d in covering if d.affects_conclusion)} 影响验证结论")
        elif not any(d.approved for d in covering):
            if result.conclusion == PASS:
                result.conclusion = PENDING
            result.reasons.append(f"{ident} 不符合，偏差 {'、'.join(d.id for d in covering)} 尚未批准")
    stated = report.text("conclusion")
    if not stated:
        return
    if stated not in (verdicts[PASS], verdicts[FAIL]):
        report.fail("conclusion", f"expected {verdicts[PASS]} or {verdicts[FAIL]}, got {stated!r}")
    elif stated == verdicts[FAIL]:
        result.conclusion = FAIL
    elif result.conclusion != PASS:
        report.fail("conclusion", f"states {verdicts[PASS]}, but the evaluation gives {result.conclusion_label}: {'；'.join(result.reasons)} "
                    "(a report is 合格 only when every criterion is met or its deviation is approved and does not affect the conclusion)")


def evaluate_report(report: FieldReader, criteria: list[Criterion], folder: Path, shown_folder: str,
                    protocol: str, revision: str) -> ReportEvaluation:
    """Judge a report block (a reader of `report:`) against `criteria` of `protocol` revision `revision`.

    Problems (results, deviations, conclusion) go to the reader's collector; the evaluation is
    returned whatever they are, so a build can show what it could compute.
    """
    result = ReportEvaluation(protocol, revision)
    executed = report.child("executed")
    if executed is not None:
        executed.unknown({"from", "to"})
        result.executed_from, result.executed_to = executed.date("from", required=True), executed.date("to")
        if result.executed_from and result.executed_to and result.executed_to < result.executed_from:
            executed.fail("to", f"{result.executed_to} is before {result.executed_from}")
    results = read_results(report, criteria, folder, shown_folder, f"{protocol} {revision}")
    for criterion in criteria:
        found = results.get(criterion.id)
        if found is None:
            continue
        if criterion.judged_by_reviewer:
            if found.judged is not None:
                result.evaluations.append(judged(criterion, found.judged, found.note))
            continue
        evaluation = evaluate(criterion, found.readings)
        result.evaluations.append(Evaluation(**{**evaluation.__dict__, "note": found.note}))
    result.deviations = read_deviations(report, {c.id: c for c in criteria})
    _conclude(result, report)
    return result

