"""One page per document, and the sections every document page has (history, citations, copies)."""

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
    """发放记录: the issued copies (`distribution:`) and whether each must come back (Art. 43(一))."""
    if not view.copies:
        return None
    return Section("发放记录", "sections/copies.html.j2", {"view": view}, "copies")
