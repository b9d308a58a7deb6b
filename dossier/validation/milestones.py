"""The dates a validation report's own sign-offs must not precede (device GMP 2025 Art. 76).

A report states results that exist only once the protocol has been executed, and deviations
assessed and approved during or after execution; preparing, reviewing or approving it before
then would sign off work not yet done. This module reads those dates from the `report:` block
as written (`executed.to`, each deviation's `approved_by.date`), with their lines, so a rule can
say where each comes from. Dates that do not parse are the loader's problem and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dossier.util.dates import parse_date
from dossier.workspace.yamlsrc import SourceList, SourceMap

# the sign-off fields a report's work binds (all three: 编制, 审核, 批准)
ALL_SIGNOFFS = ("prepared_by", "reviewed_by", "approved_by")


@dataclass(frozen=True)
class Milestone:
    """A day before which `binds` (sign-off fields of the report) may not be dated.

    `what` names it for a message (`the end of execution 2027-01-08`), `source` says where it
    is written (`report.executed.to, line 17`, `ledger entry 3`), `rule` why it binds.
    """

    day: date
    what: str
    source: str
    binds: tuple[str, ...] = ALL_SIGNOFFS
    rule: str = "a validation report is prepared, reviewed and approved after the work it reports"

    def __str__(self) -> str:
        return f"{self.what} ({self.source})"


def work_milestones(report: object) -> list[Milestone]:
    """The end of execution and the approval day of every deviation of a `report:` block."""
    if not isinstance(report, SourceMap):
        return []
    found = []
    executed = report.get("executed")
    if isinstance(executed, SourceMap):
        day = parse_date(executed.get("to"))
        if day is not None:
            found.append(Milestone(day, f"the end of execution {day}", f"report.executed.to, line {executed.line_of('to')}"))
    deviations = report.get("deviations")
    for deviation in deviations if isinstance(deviations, SourceList) else []:
        approval = deviation.get("approved_by") if isinstance(deviation, SourceMap) else None
        day = parse_date(approval.get("date")) if isinstance(approval, SourceMap) else None
        if day is not None:
            found.append(Milestone(day, f"the approval of deviation {deviation.get('id')} on {day}",
                                   f"report.deviations, line {approval.line_of('date')}"))
    return found
