"""One page per document, and the sections every document page has (history, citations, copies, reviews)."""

from __future__ import annotations

from dossier.site.model import DocumentView, SiteData
from dossier.site.registry import Page, Section, document_sections, page, section


@page("documents", "", order=10, nav=False)
def document_pages(data: SiteData) -> list[Page]:
    """documents/<ID>.html: metadata, the current PDF (only when a revision is in force), the sections."""
    return [Page(view.page, "document.html.j2", f"{view.id} {view.doc.title}",
                 {"view": view, "sections": document_sections(data, view)})
            for view in data.documents.values()]


@section("history", order=10)
def history(data: SiteData, view: DocumentView) -> Section | None:
    """修订记录: every released revision from the ledger; only the one in force is current."""
    if not view.history and view.row["state"] != "draft":
        return None
    return Section("修订记录", "sections/history.html.j2", {"view": view}, "history")


@section("citations", order=20)
def citations(data: SiteData, view: DocumentView) -> Section | None:
    """引用文件 / 被引用: the documents this one cites ([[ID]]) and those that cite it."""
    if not view.cites and not view.cited_by:
        return None
    documents = data.documents
    return Section("引用关系", "sections/citations.html.j2",
                   {"cites": [documents[i] for i in view.cites], "cited_by": [documents[i] for i in view.cited_by]}, "citations")


@section("copies", order=30)
def issued_copies(data: SiteData, view: DocumentView) -> Section | None:
    """发放回收记录: every copy issued (`dossier issue`), returned and destroyed, which must come back
    (a replaced revision's, to exchange; all of a withdrawn document's), and the planned
    distribution (Art. 43(一), (三)). Left out for a document never released with nothing planned."""
    if not view.copies and not (view.planned and view.history):
        return None
    return Section("发放回收记录", "sections/copies.html.j2", {"view": view}, "copies")


@section("reviews", order=40)
def periodic_reviews(data: SiteData, view: DocumentView) -> Section | None:
    """定期评审记录: the periodic reviews recorded (`dossier review`); the next one is in the page's data."""
    if not view.reviews:
        return None
    return Section("定期评审记录", "sections/reviews.html.j2", {"view": view}, "reviews")
