"""The home page: the master list of controlled documents (受控文件清单) and the dashboard."""

from __future__ import annotations

from collections import Counter

from dossier.site.dashboard import overdue_chart, reviews_chart, states_chart
from dossier.site.model import DOCUMENT_STATES, SiteData
from dossier.site.registry import Overdue, Page, overdue, overdue_items, page
from dossier.workspace.kinds import KINDS


@page("index", "受控文件清单", order=0)
def master_list(data: SiteData) -> list[Page]:
    """index.html: every document with its revision in force, state, dates; filters; the dashboard.

    Device GMP 2025 Art. 43(三): the list shows which revision of each document is in force
    and links only that one.
    """
    views = list(data.documents.values())
    counts = Counter(view.state for view in views)
    sources = overdue_items(data)
    kinds = [(name, kind.label) for name, kind in KINDS.items() if any(v.doc.kind == name for v in views)]
    states = [(state, label) for state, label in DOCUMENT_STATES.items() if counts.get(state)]
    departments = sorted({v.doc.department for v in views if v.doc.department})
    context = {
        "views": views,
        "kinds": kinds,
        "states": states,
        "departments": departments,
        "charts": {"states": states_chart(dict(counts)), "reviews": reviews_chart(data),
                   "overdue": overdue_chart([(source.name, source.label, len(items)) for source, items in sources])},
        "overdue": [item for _, items in sources for item in items],
    }
    return [Page("index.html", "index.html.j2", "受控文件清单", context)]


@overdue("review", "逾期评审", order=10)
def reviews_overdue(data: SiteData) -> list[Overdue]:
    """Documents in force whose periodic review date has passed."""
    return [Overdue(view.id, view.page, f"定期评审已逾期（应于 {view.row['next_review']} 前完成）")
            for view in data.documents.values() if view.state == "effective" and view.row["review_overdue"]]


@overdue("recall", "待回收文件", order=20)
def copies_to_recall(data: SiteData) -> list[Overdue]:
    """Issued copies of a replaced or withdrawn revision still out (device GMP 2025 Art. 43(一))."""
    items = []
    for view in data.documents.values():
        recall = [c for c in view.copies if c.to_recall]
        if recall:
            numbers = "、".join(f"{c.copy}号（{c.holder}）" for c in recall)
            items.append(Overdue(view.id, view.page, f"待回收 {len(recall)} 份：{numbers}"))
    return items
