"""The external-document register page (外来文件, device GMP 2025 Art. 44), its dashboard tile and document block.

Each entry of `external.yaml` (`ws.externals`): number, title, type, issuer, year, effective date,
status (现行 / 已被替代 / 已废止) and what replaces it, with the controlled documents citing it
(`[[KEY]]`). A citation of an entry no longer current is marked: the citing document must be
reviewed (Art. 44: external documents are kept current). Without a register there is no page,
tile or block.
"""

from __future__ import annotations

from typing import Any

from dossier.markdown.queries import cited_externals
from dossier.site.model import DocumentView, SiteData
from dossier.site.registry import Overdue, Page, Section, overdue, page, section
from dossier.workspace.external import ExternalDocument

PAGE = "external.html"
STATUSES = {"current": ("现行", "ext-current"), "superseded": ("已被替代", "ext-superseded"), "withdrawn": ("已废止", "ext-withdrawn")}


def citing(data: SiteData) -> dict[str, list[str]]:
    """Register key -> the ids of the documents citing it, computed once per build."""
    if "external" not in data.extra:
        found: dict[str, list[str]] = {key: [] for key in data.ws.externals}
        for view in data.documents.values():
            for key in cited_externals(data.ws, view.doc):
                found[key].append(view.id)
        data.extra["external"] = found
    return data.extra["external"]


def entry_view(entry: ExternalDocument, data: SiteData) -> dict[str, Any]:
    """One register entry as the page shows it, with its citing documents."""
    label, css = STATUSES[entry.status]
    replacement = data.ws.externals.get(entry.replaced_by)
    return {"key": entry.key, "anchor": f"ext-{entry.key}", "number": entry.number, "title": entry.title, "type": entry.type,
            "issuer": entry.issuer, "year": entry.year, "effective": entry.effective.isoformat() if entry.effective else "",
            "status": entry.status, "status_label": label, "css": css, "outdated": entry.status != "current",
            "replaced_by": replacement.citation if replacement else entry.replaced_by,
            "replaced_anchor": f"ext-{entry.replaced_by}" if replacement else "",
            "citing": [data.documents[i] for i in citing(data)[entry.key]]}


@page("external", "外来文件", order=40)
def external_page(data: SiteData) -> list[Page]:
    """external.html: the register and who cites each entry; nothing when the workspace has no register."""
    if not data.ws.externals:
        return []
    entries = [entry_view(entry, data) for entry in data.ws.externals.values()]
    outdated = sum(len(e["citing"]) for e in entries if e["outdated"])
    return [Page(PAGE, "external.html.j2", "外来文件清单", {"entries": entries, "outdated": outdated})]


@overdue("external", "引用失效的外来文件", order=45)
def outdated_citations(data: SiteData) -> list[Overdue] | None:
    """Documents citing a superseded or withdrawn external document (to review); None without a register."""
    if not data.ws.externals:
        return None
    items = []
    for key, ids in citing(data).items():
        entry = data.ws.externals[key]
        if entry.status == "current":
            continue
        for doc_id in ids:
            what = f"已被 {entry.replaced_by} 替代" if entry.status == "superseded" else "已废止"
            items.append(Overdue(doc_id, data.documents[doc_id].page, f"引用的 {entry.key} {what}，需评审修订"))
    return sorted(items, key=lambda o: (o.label, o.text))


@section("external", order=24)
def cited_external(data: SiteData, view: DocumentView) -> Section | None:
    """引用的外来文件: the register entries this document cites, an outdated one marked."""
    keys = cited_externals(data.ws, view.doc) if data.ws.externals else []
    if not keys:
        return None
    return Section("引用的外来文件", "sections/external.html.j2", {"entries": [entry_view(data.ws.externals[k], data) for k in keys]},
                   "external")
