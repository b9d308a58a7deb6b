"""The validation plan status page (验证状态) and what it adds to the dashboard and document pages.

Each object of every validation master plan (`kind: validation_plan`) as `dossier status` shows
it (`dossier.control.validation_status`): state, protocol and report with their revisions, the
report's conclusion, last validation, revalidation due and the flags OVERDUE (due date passed,
Art. 75), LATE (planned date passed without an approved report), FAILED (the approved report
concludes 不合格) and the changes to assess (Art. 74). Without a plan there is no page, no
dashboard tile and no document section.
"""

from __future__ import annotations

from typing import Any

from dossier.control.validation_status import ObjectStatus, plan_status
from dossier.site.model import DocumentView, SiteData
from dossier.site.registry import Overdue, Page, Section, overdue, page, section
from dossier.validation.plan import catalogue

PAGE = "validation.html"
# flag -> (label on the page, badge class)
FLAGS = {"overdue": ("再验证逾期", "overdue"), "late": ("未按计划完成", "flag-late"), "failed": ("结论不合格", "flag-failed")}


def plan_objects(data: SiteData) -> list[ObjectStatus]:
    """Every plan object's status on the site's day, computed once per site build."""
    if "validation" not in data.extra:
        data.extra["validation"] = plan_status(data.ws, data.entries, data.as_of)
    return data.extra["validation"]


def object_view(status: ObjectStatus, data: SiteData) -> dict[str, Any]:
    """One object as the page shows it: its `dossier status --json` row, links and flags."""
    row = status.as_dict()
    obj = status.object
    flags = [{"name": name, "label": label, "css": css} for name, (label, css) in FLAGS.items() if row[name]]
    if status.to_assess:
        flags.append({"name": "assess", "label": f"待评估变更 {len(status.to_assess)}", "css": "flag-assess"})
    documents = data.documents
    return {
        **row,
        "anchor": f"object-{obj.id}",
        "type_label": obj.type_label,
        "stages": "、".join(obj.stages),
        "protocol_page": documents[obj.protocol].page if obj.protocol in documents else None,
        "report_page": documents[status.report].page if status.report in documents else None,
        "flags": flags,
        "to_assess": status.to_assess,
        "last_report": obj.last_report,
    }


@page("validation", "验证状态", order=20)
def validation_page(data: SiteData) -> list[Page]:
    """validation.html, when the workspace has a validation master plan with objects (GMP 2025 Art. 69–77)."""
    statuses = plan_objects(data)
    if not statuses:
        return []
    views = [object_view(status, data) for status in statuses]
    states = catalogue()["states"]
    counts = {label: sum(1 for v in views if v["state"] == state) for state, label in states.items()}
    flagged = sum(1 for v in views if v["flags"])
    plans = [data.documents[name] for name in dict.fromkeys(s.plan for s in statuses) if name in data.documents]
    return [Page(PAGE, "validation.html.j2", "验证状态", {"objects": views, "counts": counts, "flagged": flagged, "plans": plans})]


@overdue("validation", "验证待处理", order=25)
def validation_due(data: SiteData) -> list[Overdue] | None:
    """Plan objects overdue for revalidation, late, failed or with changes to assess; None without a plan."""
    statuses = plan_objects(data)
    if not statuses:
        return None
    items = []
    for status in statuses:
        reasons = []
        if status.overdue:
            reasons.append(f"再验证已逾期（应于 {status.next_due} 前完成）")
        if status.late:
            reasons.append(f"未按计划于 {status.object.planned} 完成")
        if status.failed:
            reasons.append(f"验证报告 {status.report} 结论不合格")
        if status.to_assess:
            changes = "、".join(f"{c['document']} {c['revision']}版" for c in status.to_assess)
            reasons.append(f"相关文件变更待评估：{changes}")
        if reasons:
            items.append(Overdue(f"{status.object.id} {status.object.name}", f"{PAGE}#object-{status.object.id}", "；".join(reasons)))
    return items


@section("validation", order=25)
def validation_objects(data: SiteData, view: DocumentView) -> Section | None:
    """验证对象: on a plan, protocol or report page, the plan objects it concerns and their state."""
    kind = view.doc.kind
    if kind not in ("validation_plan", "validation_protocol", "validation_report"):
        return None
    concerned = [s for s in plan_objects(data)
                 if (kind == "validation_plan" and s.plan == view.id) or (kind == "validation_protocol" and s.object.protocol == view.id)
                 or (kind == "validation_report" and s.report == view.id)]
    if not concerned:
        return None
    return Section("验证对象", "sections/validation.html.j2", {"objects": [object_view(s, data) for s in concerned]}, "validation")
