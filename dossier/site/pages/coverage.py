"""The GMP coverage page (GMP条款对照), its dashboard tile and the 符合的GMP条款 block of document pages.

The rows are the matrix `dossier coverage --json` prints (`dossier.pipeline.coverage.coverage_of`,
the workspace's first rule set, on the site's day): each article (第N条), its chapter and the
documents it requires, its status — 已覆盖, 不适用 with the reason declared under device GMP 2025
Art. 130, 缺口, 原则性条款 — and the documents that claim it with their revision and state. A
workspace that declares no `covers:` and no article not applicable has no page, tile or block.
"""

from __future__ import annotations

from typing import Any

from dossier.coverage.matrix import Matrix, Row
from dossier.pipeline.coverage import coverage_of, declarations_of
from dossier.site.model import DOCUMENT_STATES, DocumentView, SiteData
from dossier.site.registry import Overdue, Page, Section, overdue, page, section

PAGE = "coverage.html"
# status -> (label, badge class); the same words as the .docx/.csv matrix
STATUSES = {"covered": ("已覆盖", "cov-covered"), "not_applicable": ("不适用", "cov-na"), "gap": ("缺口", "cov-gap"),
            "informative": ("原则性条款", "cov-info")}


def anchor(row: Row) -> str:
    """The id of an article's row on the coverage page."""
    return f"article-{row.article.key}"


def site_matrix(data: SiteData) -> Matrix | None:
    """The matrix on the site's day, computed once per build; None when the workspace declares no coverage."""
    if "coverage" not in data.extra:
        decl = declarations_of(data.ws)
        declared = any(decl.claims.values()) or any(decl.not_applicable.values())
        data.extra["coverage"] = coverage_of(data.ws, None, data.as_of) if declared else None
    return data.extra["coverage"]


def row_view(row: Row, data: SiteData) -> dict[str, Any]:
    """One article as the page shows it: its `dossier coverage --json` row, label, links and badges."""
    label, css = STATUSES[row.status]
    documents = [{"id": c.document.id, "title": c.document.title, "revision": c.document.revision, "section": c.section,
                  "state": c.document.state, "state_label": DOCUMENT_STATES.get(c.document.state, c.document.state),
                  "counts": c.counts, "page": data.documents[c.document.id].page if c.document.id in data.documents else None}
                 for c in row.documents]
    return {**row.as_dict(), "anchor": anchor(row), "status_label": label, "css": css,
            "text": row.article.text, "requires_text": "；".join(dict.fromkeys(r.subject for r in row.article.requires)),
            "documents": documents}


@page("coverage", "GMP条款对照", order=30)
def coverage_page(data: SiteData) -> list[Page]:
    """coverage.html: every article of the rule set and how the documents meet it (GMP 2025 Art. 128, 130)."""
    matrix = site_matrix(data)
    if matrix is None:
        return []
    rows = [row_view(row, data) for row in matrix.rows]
    summary = matrix.summary()
    counts = {STATUSES[status][0]: summary[status] for status in STATUSES}
    return [Page(PAGE, "coverage.html.j2", "GMP条款对照",
                 {"rules": matrix.rules, "rows": rows, "counts": counts, "summary": summary})]


@overdue("coverage", "GMP条款缺口", order=40)
def coverage_gaps(data: SiteData) -> list[Overdue] | None:
    """Articles requiring a document that no document in force meets (the check fails on them); None without coverage."""
    matrix = site_matrix(data)
    if matrix is None:
        return None
    return [Overdue(row.article.label, f"{PAGE}#{anchor(row)}", "缺少符合要求的现行文件：" + ("；".join(
        dict.fromkeys(r.subject for r in row.article.requires)) or row.problem)) for row in matrix.failing]


@section("coverage", order=22)
def met_articles(data: SiteData, view: DocumentView) -> Section | None:
    """符合的GMP条款: the articles this document claims (`covers:`), linked to their rows on the coverage page."""
    matrix = site_matrix(data)
    if matrix is None:
        return None
    met = [{"label": row.article.label, "anchor": anchor(row), "section": c.section, "status": STATUSES[row.status][0],
            "css": STATUSES[row.status][1], "counts": c.counts}
           for row in matrix.rows for c in row.documents if c.document.id == view.id]
    if not met:
        return None
    return Section("符合的GMP条款", "sections/coverage.html.j2", {"met": met, "rules": matrix.rules}, "coverage")
